/**
 * Where a burst's time goes: the CPU seconds each part of the stack spent in a
 * window, read from /proc for every process the bench started (the Temporal
 * dev server, the worker, the API, PostgreSQL's backends, the bench itself).
 * Beside the wall time it says which part is the ceiling: on 2 cores, a part
 * near 2 CPU-seconds per second is saturated, parts well below it wait on
 * another.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux's USER_HZ

type Part = 'temporal' | 'worker' | 'api' | 'postgres' | 'bench' | 'other';

/** CPU ticks per part, summed over this process and all its descendants (living ones). */
function sample(): Map<Part, number> {
  const procs = new Map<number, { ppid: number; ticks: number; part: Part }>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      procs.set(pid, { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), part: partOf(pid, cmd) });
    } catch {
      // the process ended between the listing and the read
    }
  }
  const out = new Map<Part, number>();
  for (const [pid, p] of procs) {
    if (!descends(pid, procs)) continue;
    out.set(p.part, (out.get(p.part) ?? 0) + p.ticks);
  }
  return out;
}

function partOf(pid: number, cmd: string): Part {
  if (pid === process.pid) return 'bench';
  if (/temporal\0server|temporal-test-server/.test(cmd) || cmd.startsWith('temporal')) return 'temporal';
  if (cmd.includes('apps/worker/')) return 'worker';
  if (cmd.includes('apps/api/')) return 'api';
  if (cmd.includes('postgres')) return 'postgres';
  return 'other';
}

function descends(pid: number, procs: Map<number, { ppid: number }>): boolean {
  for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = procs.get(p)?.ppid, hops++) if (p === process.pid) return true;
  return false;
}

export interface CpuProfile {
  wallSeconds: number;
  /** CPU seconds per part in the window (a process that ended within it is not counted). */
  cpuSeconds: Record<string, number>;
  /** Each part's CPU seconds per wall second: 2.0 is both cores of a 2-core machine. */
  coresBusy: Record<string, number>;
}

/** Starts a window; the returned function ends it. */
export function cpuWindow(): () => CpuProfile {
  const t0 = Date.now();
  const before = sample();
  return () => {
    const after = sample();
    const wallSeconds = (Date.now() - t0) / 1000;
    const cpuSeconds: Record<string, number> = {};
    const coresBusy: Record<string, number> = {};
    for (const [part, ticks] of after) {
      const s = Math.max(0, ticks - (before.get(part) ?? 0)) / TICKS_PER_SECOND;
      if (s === 0) continue;
      cpuSeconds[part] = Math.round(s * 100) / 100;
      coresBusy[part] = Math.round((s / Math.max(wallSeconds, 0.001)) * 100) / 100;
    }
    return { wallSeconds: Math.round(wallSeconds * 100) / 100, cpuSeconds, coresBusy };
  };
}

export function formatProfile(p: CpuProfile): string {
  const parts = Object.entries(p.cpuSeconds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, s]) => `${k} ${s} s (${p.coresBusy[k]} cores)`);
  return `${p.wallSeconds} s wall: ${parts.join(', ')}`;
}

/** Resident memory (MB) per part, summed over its processes (PostgreSQL's shared buffers count once per backend: read its figure as an upper bound). */
export function rssByPart(): Record<string, number> {
  const out: Record<string, number> = {};
  const procs = new Map<number, { ppid: number }>();
  const rss = new Map<number, { kb: number; part: Part }>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      procs.set(pid, { ppid });
      rss.set(pid, { kb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0), part: partOf(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8')) });
    } catch {
      // ended meanwhile
    }
  }
  for (const [pid, r] of rss) if (descends(pid, procs)) out[r.part] = (out[r.part] ?? 0) + r.kb;
  for (const k of Object.keys(out)) out[k] = Math.round(out[k] / 1024);
  return out;
}
