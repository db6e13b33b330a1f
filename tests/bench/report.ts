/**
 * The bench's record: the comparison table printed beside the other figures,
 * docs/bench/<date>.json with every figure of the run (and the machine's load
 * and cores beside each), and docs/bench/<date>.svg, the delay distributions
 * per system that the README shows. The SVG is written by hand: one small
 * file, no charting dependency, readable in a diff.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Distribution } from './distribution';

/** One system's two delay distributions (ms after the due instant). */
export interface SystemDelays {
  system: string;
  systemZh: string;
  burst?: Distribution;
  /** The burst was cut short: `burst` is the extrapolation of a full drain (see `note`). */
  extrapolated?: boolean;
  lone?: Distribution;
  note?: string;
}

const KEYS = ['p50', 'p95', 'p99', 'max'] as const;
const LABEL: Record<(typeof KEYS)[number], string> = { p50: 'p50', p95: 'p95', p99: 'p99', max: 'last' };

/** The table: each system's percentiles, then Duban's as a multiple of each peer's (above 1: Duban slower). */
export function comparisonTable(systems: SystemDelays[], sizes: { burst: string; lone: string }): string[] {
  const [duban, ...peers] = systems;
  const cell = (d: Distribution | undefined, k: (typeof KEYS)[number], approx?: boolean) => (d && Number.isFinite(d[k]) ? `${approx ? '≈ ' : ''}${d[k]}` : '–');
  const ratio = (a: number | undefined, b: number | undefined, approx?: boolean) =>
    a && b && Number.isFinite(a) && Number.isFinite(b) ? `${approx ? '≈ ' : ''}${(a / b).toFixed(2)}×` : '–';
  const lines = [
    `| delay after the due instant (ms) | ${systems.map((s) => s.system).join(' | ')} | ${peers.map((p) => `Duban ÷ ${p.system}`).join(' | ')} |`,
    `|---|${systems.map(() => '---:').join('|')}|${peers.map(() => '---:').join('|')}|`,
  ];
  for (const part of ['burst', 'lone'] as const)
    for (const k of KEYS)
      lines.push(
        `| ${part === 'burst' ? `burst (${sizes.burst})` : `lone deadlines (${sizes.lone})`}: ${LABEL[k]} | ` +
          systems.map((s) => cell(s[part], k, part === 'burst' && s.extrapolated)).join(' | ') +
          ` | ${peers.map((p) => ratio(duban[part]?.[k], p[part]?.[k], part === 'burst' && p.extrapolated)).join(' | ')} |`,
      );
  return lines;
}

/** What the chart's titles and footer say: the sizes (e.g. "1,000 at once", "100 probes") and the run. */
export interface ChartText {
  burst: string;
  lone: string;
  caption: string;
}

export function writeReport(dir: string, date: string, json: unknown, systems: SystemDelays[], text: ChartText): { json: string; svg?: string } {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${date}.json`);
  writeFileSync(jsonPath, JSON.stringify(json, null, 2) + '\n');
  if (!systems.some((s) => s.burst || s.lone)) return { json: jsonPath };
  const svgPath = join(dir, `${date}.svg`);
  writeFileSync(svgPath, svgChart(systems, text));
  return { json: jsonPath, svg: svgPath };
}

const COLOURS = ['#c0392b', '#2471a3', '#1e8449', '#7d3c98'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Two panels (burst, lone deadlines), one row per system: a bar from p50 to p99, ticks at p50 and p95, a dot at the last; log scale. */
export function svgChart(systems: SystemDelays[], text: ChartText): string {
  const W = 1080;
  const left = 250;
  const right = 370; // room for "p50 16.7 min · … · max 33.4 min"
  const plotW = W - left - right;
  const rowH = 34;
  const all = systems.flatMap((s) => [s.burst, s.lone]).flatMap((d) => (d ? [d.p50, d.max] : []));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, Math.min(...all)))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(10, ...all))));
  const x = (ms: number) => left + (Math.log10(Math.max(ms, lo)) - Math.log10(lo)) * (plotW / (Math.log10(hi) - Math.log10(lo)));
  const out: string[] = [];
  let y = 60;
  const panels = [
    { key: 'burst' as const, title: `Burst, all due at one instant (${text.burst}) · 同一时刻集中到期` },
    { key: 'lone' as const, title: `Lone deadlines, each due alone (${text.lone}) · 单件到期` },
  ];
  for (const p of panels) {
    const rows = systems.filter((s) => s[p.key]);
    if (!rows.length) continue;
    out.push(`<text x="20" y="${y}" font-size="15" font-weight="bold">${esc(p.title)}</text>`);
    y += 14;
    const top = y;
    for (const [i, s] of rows.entries()) {
      const d = s[p.key]!;
      const cy = y + rowH / 2;
      const c = COLOURS[systems.indexOf(s) % COLOURS.length];
      const dashed = p.key === 'burst' && s.extrapolated ? ' stroke-dasharray="5 3"' : '';
      out.push(`<text x="20" y="${cy - 2}" font-size="13">${esc(s.system)}</text>`);
      out.push(`<text x="20" y="${cy + 13}" font-size="12" fill="#555">${esc(s.systemZh)}${p.key === 'burst' && s.extrapolated ? '（外推 extrapolated）' : ''}</text>`);
      out.push(`<line x1="${x(d.p50)}" y1="${cy}" x2="${x(d.max)}" y2="${cy}" stroke="${c}" stroke-width="2"${dashed}/>`);
      out.push(`<rect x="${x(d.p50)}" y="${cy - 8}" width="${Math.max(2, x(d.p99) - x(d.p50))}" height="16" fill="${c}" fill-opacity="0.35" stroke="${c}"${dashed}/>`);
      for (const [k, h] of [
        ['p50', 11],
        ['p95', 8],
      ] as const)
        out.push(`<line x1="${x(d[k])}" y1="${cy - h}" x2="${x(d[k])}" y2="${cy + h}" stroke="${c}" stroke-width="${k === 'p50' ? 3 : 1.5}"/>`);
      out.push(`<circle cx="${x(d.max)}" cy="${cy}" r="4" fill="${c}"/>`);
      out.push(`<text x="${W - right + 12}" y="${cy + 4}" font-size="11">p50 ${fmt(d.p50)} · p95 ${fmt(d.p95)} · p99 ${fmt(d.p99)} · max ${fmt(d.max)}</text>`);
      y += rowH + (i === rows.length - 1 ? 0 : 2);
    }
    // Decades of the log scale, light lines across the panel.
    for (let t = lo; t <= hi; t *= 10) {
      out.push(`<line x1="${x(t)}" y1="${top}" x2="${x(t)}" y2="${y}" stroke="#ccc" stroke-width="1"/>`);
      out.push(`<text x="${x(t)}" y="${y + 14}" font-size="11" text-anchor="middle" fill="#555">${t < 1000 ? `${t} ms` : `${t / 1000} s`}</text>`);
    }
    y += 44;
  }
  const h = y + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif">`,
    `<rect width="${W}" height="${h}" fill="#fff"/>`,
    `<text x="20" y="28" font-size="17" font-weight="bold">Delay from the due instant to the stored notice · 到期至通知落库的延迟</text>`,
    ...out,
    `<text x="20" y="${h - 40}" font-size="12" fill="#333">Log scale. Bar: p50–p99; ticks: p50 (thick), p95; dot: the last. 对数刻度；色条为中位数至 p99，粗竖线为中位数，细竖线为 p95，圆点为最后一件。</text>`,
    `<text x="20" y="${h - 20}" font-size="12" fill="#333">${esc(text.caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** 40 ms, 1.2 s, 3.3 min. */
function fmt(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
