import { cpus, loadavg } from 'node:os';

/** A delay distribution as the bench reports it (milliseconds, nearest-rank percentiles). */
export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: number[]): Distribution {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const pct = (p: number) => Math.round(v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]);
  return { n: v.length, p50: pct(50), p95: pct(95), p99: pct(99), max: Math.round(v[v.length - 1]) };
}

/** The machine's state beside a figure: a shared machine's other work shows in every delay. */
export function machine(): { cores: number; loadavg: number[] } {
  return { cores: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) };
}
