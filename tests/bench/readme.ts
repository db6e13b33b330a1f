/**
 * The README's speed summary, regenerated from one run's JSON: the run's
 * machine, every goal of the speed issue beside what the run measured and
 * whether it was met, and the tables (Duban beside pg-boss, the battle map,
 * the faults). `npm run bench` rewrites it between the README's
 * `<!-- bench:summary -->` markers after a run written to docs/bench;
 * `tsx tests/bench/readme.ts docs/bench/<date>.json` does it for a kept run.
 * Why a goal is missed is prose in the README around the block: a
 * generator can say what was measured, not why.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename, dirname, join, relative } from 'node:path';
import type { Distribution } from './distribution';
import { comparisonTable, type SystemDelays } from './report';

/** The parts of docs/bench/<date>.json the summary reads (each part may be missing: a run can skip it or stop early). */
export interface BenchRun {
  at: string;
  cores: number;
  postgres?: { embedded: boolean; version: string };
  temporalDevServer?: { store: string; crashes: { at: string; restartMs: number }[] };
  workers?: number;
  auditUnderImport?: { rows: number; importSeconds: number; alone: { perSecond: number; maxMs: number }; duringImport: { perSecond: number; maxMs: number }; chainOk: boolean };
  sameInstant?: Burst;
  bigBurst?: Burst & { idleAfter?: number };
  battleMapApi?: { projects: number; rows: { query: string; p50: number; p95: number; p99: number; total: number }[] };
  mixedReads?: {
    seconds: number;
    targetRate: number;
    rate: number;
    requests: number;
    latencyMs: { p50: number; p90?: number; p99: number; max: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  battleMapBrowser?: { routes: { route: string; load: string; rows: { p50: number } }[] };
  idleCost?: {
    openBefore: number;
    openAfter: number;
    reported?: number;
    reportSeconds?: number;
    perSecond: number;
    retried503?: number;
    rssMbBefore?: Record<string, number>;
    rssMbAfter?: Record<string, number>;
    postgresMbBefore?: number;
    postgresMbAfter?: number;
    temporalStoreMbBefore?: number;
    temporalStoreMbAfter?: number;
    perMatterKb: Record<string, number>;
    millionGb: Record<string, number>;
  };
  loneDeadlines?: { probes: number; delayMs: Distribution; openMatters: number };
  faults?: {
    kind: string;
    escalatedBeforeFault: number;
    downMs: number;
    restartToLastMs: number;
    dueToLastMs: number;
    lost: number;
    escalatedTwice: number;
    duplicateNotices: number;
    numbersConsecutive: boolean;
  }[];
  comparison?: SystemDelays[];
}

interface Burst {
  n: number;
  reportSeconds: number;
  noticeMs?: Distribution;
  cpu?: { wallSeconds: number; cpuSeconds: Record<string, number> };
  reportCpu?: { cpuSeconds: Record<string, number> };
}

/** One goal of the speed issue: what it asks, what the run measured, and whether that meets it. */
export interface GoalRow {
  figure: string;
  goal: string;
  result: string;
  met: string;
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const s1 = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const yes = (ok: boolean, no = 'no') => (ok ? 'yes' : no);
const notRun = (figure: string, goal: string): GoalRow => ({ figure, goal, result: 'not measured in this run', met: '–' });

/** The goals, in the issue's order, judged from the run alone. */
export function goalRows(run: BenchRun): GoalRow[] {
  const rows: GoalRow[] = [];
  const tuned = run.comparison?.find((s) => s.system === 'pg-boss tuned');
  const b = run.sameInstant?.noticeMs;
  if (b) {
    const ratio = tuned?.burst ? b.max / tuned.burst.max : null;
    rows.push({
      figure: `${n0(run.sameInstant!.n)} due at one instant → last notice stored`,
      goal: '≤ 2 s (≤ 0.5 s: ahead of tuned pg-boss)',
      result: `${s1(b.max)} (p50 ${s1(b.p50)}, p99 ${s1(b.p99)})${tuned?.burst ? `; tuned pg-boss ${s1(tuned.burst.max)}` : ''}`,
      met: b.max <= 2000 ? 'yes' : ratio ? `no (${ratio.toFixed(1)}× behind tuned pg-boss)` : 'no',
    });
  } else rows.push(notRun('1,000 due at one instant → last notice stored', '≤ 2 s'));
  const big = run.bigBurst?.noticeMs;
  rows.push(
    big
      ? {
          figure: `${n0(run.bigBurst!.n)} due at one instant → last notice stored`,
          goal: '≤ 20 s',
          result: `${s1(big.max)} (p50 ${s1(big.p50)}, p99 ${s1(big.p99)})`,
          met: yes(big.max <= 20_000),
        }
      : notRun('10,000 due at one instant → last notice stored', '≤ 20 s'),
  );
  const lone = run.loneDeadlines;
  rows.push(
    lone
      ? {
          figure: `lone deadline among the open matters, p99 of ${lone.probes}`,
          goal: '≤ 1 s with ≥ 100,000 open',
          result: `${n0(lone.delayMs.p99)} ms (p50 ${n0(lone.delayMs.p50)} ms) with ${n0(lone.openMatters)} open`,
          met: lone.delayMs.p99 <= 1000 && lone.openMatters >= 100_000 ? 'yes' : lone.delayMs.p99 <= 1000 ? `under 1 s, with ${n0(lone.openMatters)} open` : 'no',
        }
      : notRun('lone deadline among the open matters, p99', '≤ 1 s with ≥ 100,000 open'),
  );
  if (lone && tuned?.lone) {
    const defaults = run.comparison?.find((s) => s.system === 'pg-boss defaults');
    const ahead = lone.delayMs.p99 < tuned.lone.p99;
    rows.push({
      figure: 'lone deadlines beside tuned pg-boss, p99',
      goal: 'Duban ahead, ≤ 100 ms',
      result: `${n0(lone.delayMs.p99)} ms against ${n0(tuned.lone.p99)} ms (${(lone.delayMs.p99 / tuned.lone.p99).toFixed(2)}×)${defaults?.lone ? `; pg-boss defaults ${n0(defaults.lone.p99)} ms` : ''}`,
      met: lone.delayMs.p99 <= 100 ? 'yes' : ahead ? 'ahead, not ≤ 100 ms' : defaults?.lone && lone.delayMs.p99 < defaults.lone.p99 ? 'no (ahead of the defaults only)' : 'no',
    });
  } else rows.push(notRun('lone deadlines beside tuned pg-boss, p99', 'Duban ahead, ≤ 100 ms'));
  const idle = run.idleCost;
  rows.push(
    idle
      ? {
          figure: 'idle cost per open matter',
          goal: 'reported at ≥ 100,000 open, extrapolated to 1,000,000',
          result: idleResult(idle),
          met:
            idle.openAfter < 100_000 ? `to ${n0(idle.openAfter)} open` : idle.perMatterKb['temporal on disk'] === undefined ? "yes (Temporal's SQLite store not measured)" : 'yes',
        }
      : notRun('idle cost per open matter', 'reported at ≥ 100,000 open'),
  );
  const rates = [
    run.sameInstant && `${Math.round(run.sameInstant.n / run.sameInstant.reportSeconds)} per second (the ${n0(run.sameInstant.n)})`,
    run.bigBurst && `${Math.round(run.bigBurst.n / run.bigBurst.reportSeconds)} (the ${n0(run.bigBurst.n)})`,
    idle && `${idle.perSecond} (the idle fill)`,
  ].filter(Boolean);
  const best = Math.max(0, ...[run.sameInstant, run.bigBurst].filter((x): x is Burst => !!x).map((x) => x.n / x.reportSeconds), idle?.perSecond ?? 0);
  rows.push(
    rates.length
      ? { figure: 'reporting over HTTP (validation, audit row, workflow start, read model)', goal: '≥ 200 per second', result: rates.join(', '), met: yes(best >= 200) }
      : notRun('reporting over HTTP', '≥ 200 per second'),
  );
  const a = run.auditUnderImport;
  rows.push(
    a
      ? {
          figure: `${n0(a.rows)}-row ledger import`,
          goal: '≤ 60 s, lifecycles running',
          result: `${a.importSeconds.toFixed(1)} s through \`LedgerService\` (this part starts no Temporal: no lifecycles run)`,
          met: a.importSeconds <= 60 ? 'in part' : 'no',
        }
      : notRun('20,000-row ledger import', '≤ 60 s'),
  );
  const map = run.battleMapApi;
  if (map?.rows.length) {
    const p99s = map.rows.map((r) => r.p99);
    const ok = map.rows.filter((r) => r.p99 <= 50).length;
    rows.push({
      figure: 'battle map, p99 of each query',
      goal: `≤ 50 ms on ${n0(map.projects)} projects`,
      result: `${Math.min(...p99s)}–${Math.max(...p99s)} ms (p50 ${Math.min(...map.rows.map((r) => r.p50))}–${Math.max(...map.rows.map((r) => r.p50))} ms)`,
      met: ok === map.rows.length ? 'yes' : `${ok} of ${map.rows.length}`,
    });
  } else rows.push(notRun('battle map, p99 of each query', '≤ 50 ms on 20,000 projects'));
  const m = run.mixedReads;
  if (m) {
    const errors = m.errors + m.timeouts + m.non2xx;
    const rateOk = m.rate >= 0.95 * m.targetRate;
    rows.push({
      figure: `mixed reads, ${m.targetRate} per second for ${m.seconds / 60} minutes`,
      goal: 'p99 ≤ 100 ms, no errors',
      result: `${m.rate} per second served, p99 ${m.latencyMs.p99} ms, ${n0(m.requests)} requests, ${errors} errors`,
      met: rateOk && m.latencyMs.p99 <= 100 && !errors ? 'yes' : !errors ? 'no errors; not the rate or the p99' : 'no',
    });
  } else rows.push(notRun('mixed reads, 200 per second for 5 minutes', 'p99 ≤ 100 ms, no errors'));
  const f = run.faults ?? [];
  rows.push(
    f.length
      ? {
          figure: 'faults in a burst: lost / doubled / number gaps',
          goal: 'none',
          result: f.map((x) => `${x.kind}: ${x.lost} / ${x.escalatedTwice + x.duplicateNotices} / ${x.numbersConsecutive ? 'none' : 'gaps'}`).join('; '),
          met: yes(f.every((x) => !x.lost && !x.escalatedTwice && !x.duplicateNotices && x.numbersConsecutive)),
        }
      : notRun('faults in a burst', 'none lost or doubled'),
  );
  return rows;
}

const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];

const cpuLine = (c: Record<string, number>, per: number) =>
  ['worker', 'temporal', 'postgres', 'api']
    .filter((k) => c[k] !== undefined)
    .map((k) => `${k} ${((c[k] * 1000) / per).toFixed(1)} ms`)
    .join(', ');

const fmtMb = (r: Record<string, number> | undefined) =>
  r
    ? ['temporal', 'worker', 'api', 'postgres']
        .filter((k) => r[k] !== undefined)
        .map((k) => `${k} ${n0(r[k])}`)
        .join(', ')
    : '?';
/** The idle row: what each open matter costs where it grows, and a million of them. */
function idleResult(idle: NonNullable<BenchRun['idleCost']>): string {
  const parts: [string, string][] = [
    ['worker resident', 'worker'],
    ['postgres on disk', 'PostgreSQL on disk'],
    ['temporal on disk', "Temporal dev server's SQLite file"],
  ];
  const per = parts
    .filter(([k]) => idle.perMatterKb[k] !== undefined)
    .map(([k, label]) => `${label} ${idle.perMatterKb[k] > 0 ? `${idle.perMatterKb[k]} KB (a million: ${idle.millionGb[k]} GB)` : 'did not grow'}`);
  const fell = ['temporal', 'api'].filter((p) => (idle.perMatterKb[`${p} resident`] ?? 1) <= 0);
  return (
    `${n0(idle.openBefore)} → ${n0(idle.openAfter)} open; per matter: ${per.join(', ')}` +
    (fell.length ? `; resident memory of ${fell.join(' and ')} did not grow` : '') +
    (idle.perMatterKb['temporal on disk'] === undefined ? "; the dev server's SQLite file was not measured in this run" : '')
  );
}

/** Per-matter figures; a part whose resident memory fell over the fill (a collector or cache giving memory back) cost nothing measurable. */
const fmtKb = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v > 0 ? v : 'none measured (it fell)'}`)
    .join(', ');

/** The whole block between the markers, as markdown (prettier formats it afterwards). */
export function speedSummary(run: BenchRun, jsonPath: string): string {
  const date = run.at.slice(0, 10);
  const out: string[] = [];
  const dev = run.temporalDevServer;
  out.push(
    `_Generated by \`npm run bench\` from one run: [${jsonPath}](${jsonPath}), started ${run.at.replace('T', ' ').slice(0, 16)} UTC, ` +
      `${run.cores} cores, ${run.postgres ? `${run.postgres.embedded ? 'embedded ' : ''}PostgreSQL ${run.postgres.version}` : 'PostgreSQL'}, ` +
      `${run.workers ?? 1} worker process${(run.workers ?? 1) > 1 ? 'es' : ''}, the Temporal dev server ${dev?.store === 'sqlite file' ? 'on a SQLite file' : 'in memory'}` +
      `${dev?.crashes.length ? ` (it ended unasked ${dev.crashes.length} time(s) and was started again: ${dev.crashes.map((c) => c.at.slice(11, 19)).join(', ')} UTC)` : ''}._`,
    '',
  );
  out.push(
    ...table(
      ['figure', 'goal', `result (${date})`, 'met'],
      goalRows(run).map((g) => [g.figure, g.goal, g.result, g.met]),
    ),
    '',
  );
  const cpu = (x: Burst | undefined, what: string) =>
    x?.cpu && x.reportCpu ? `- ${what}: per escalation ${cpuLine(x.cpu.cpuSeconds, x.n)}; per matter reported over HTTP ${cpuLine(x.reportCpu.cpuSeconds, x.n)}.` : null;
  const cpuLines = [cpu(run.sameInstant, `The ${n0(run.sameInstant?.n ?? 0)} burst`), cpu(run.bigBurst, `The ${n0(run.bigBurst?.n ?? 0)} burst`)].filter(Boolean) as string[];
  if (cpuLines.length) out.push('CPU of each part (from the due instant to the last escalation; and while reporting):', '', ...cpuLines, '');
  if (run.comparison && run.comparison.length > 1) {
    const n = run.sameInstant?.n ?? 1000;
    out.push('Duban beside pg-boss 12 in the same run (ms from the due instant to the stored notices; ≈: extrapolated):', '');
    out.push(...comparisonTable(run.comparison, { burst: `${n0(n)} at once`, lone: `${run.loneDeadlines?.probes ?? 100} probes` }));
    for (const s of run.comparison) if (s.note) out.push('', `${s.system}: ${s.note}.`);
    out.push('', `![Delay from the due instant to the stored notice, Duban and pg-boss · 到期至通知落库的延迟](docs/bench/${date}.svg)`, '');
  }
  const more: string[] = [];
  const a = run.auditUnderImport;
  if (a)
    more.push(
      `- Audited writes (4 writers) while a ${n0(a.rows)}-row ledger import runs (${a.importSeconds.toFixed(1)} s): ${a.alone.perSecond} per second alone (longest ${a.alone.maxMs} ms), ` +
        `${a.duringImport.perSecond} per second during the import (longest ${n0(a.duringImport.maxMs)} ms); the audit chain ${a.chainOk ? 'verifies' : 'does not verify'} afterwards.`,
    );
  const i = run.idleCost;
  if (i)
    more.push(
      `- Idle fill: ${n0(i.openBefore)} → ${n0(i.openAfter)} open matters, ${i.reported !== undefined ? `${n0(i.reported)} reported over HTTP in ${n0(i.reportSeconds ?? 0)} s, ` : ''}${i.perSecond} per second` +
        `${i.retried503 ? ` (${i.retried503} answered 503 and sent again)` : ''}; resident MB ${fmtMb(i.rssMbBefore)} → ${fmtMb(i.rssMbAfter)}; the database ${i.postgresMbBefore ?? '?'} → ${i.postgresMbAfter ?? '?'} MB` +
        `${i.temporalStoreMbAfter !== undefined ? `; the dev server's SQLite file ${i.temporalStoreMbBefore} → ${i.temporalStoreMbAfter} MB` : ''}. ` +
        `Per open matter (KB): ${fmtKb(i.perMatterKb)}; a million open matters (GB): ${fmtKb(i.millionGb)}.`,
    );
  const m = run.mixedReads;
  if (m)
    more.push(
      `- Mixed reads (autocannon, ${m.targetRate} per second asked for ${m.seconds} s): ${n0(m.requests)} requests, ${m.rate} per second served; ` +
        `p50 ${m.latencyMs.p50} ms${m.latencyMs.p90 !== undefined ? `, p90 ${m.latencyMs.p90} ms` : ''}, p99 ${m.latencyMs.p99} ms, max ${m.latencyMs.max} ms; errors ${m.errors}, timeouts ${m.timeouts}, non-2xx ${m.non2xx}.`,
    );
  const browser = run.battleMapBrowser?.routes.filter((r) => r.route === '/battle-map');
  if (browser?.length) more.push(`- The battle map in headless Chromium, first rows on screen (p50): ${browser.map((r) => `${r.load} ${r.rows.p50} ms`).join(', ')}.`);
  if (more.length) out.push('The other parts:', '', ...more, '');
  if (run.battleMapApi?.rows.length) {
    out.push(`The battle map over HTTP, ${n0(run.battleMapApi.projects)} projects:`, '');
    out.push(
      ...table(
        ['query', 'p50 / p95 / p99 (ms)', 'rows'],
        run.battleMapApi.rows.map((r) => [r.query, `${r.p50} / ${r.p95} / ${r.p99}`, n0(r.total)]),
      ),
      '',
    );
  }
  if (run.faults?.length) {
    out.push('Faults in a burst (the fault 300 ms after the due instant):', '');
    out.push(
      ...table(
        ['fault', 'escalated when it struck', 'down', 'restart → last escalation', 'due instant → last', 'lost / twice / notices twice / number gaps'],
        run.faults.map((x) => [
          x.kind,
          String(x.escalatedBeforeFault),
          s1(x.downMs),
          s1(x.restartToLastMs),
          s1(x.dueToLastMs),
          `${x.lost} / ${x.escalatedTwice} / ${x.duplicateNotices} / ${x.numbersConsecutive ? 'none' : 'gaps'}`,
        ]),
      ),
      '',
    );
  }
  return out.join('\n');
}

const BEGIN = '<!-- bench:summary:begin -->';
const END = '<!-- bench:summary:end -->';

/** Rewrites the README's block from a run's JSON; the README keeps its Prettier formatting. */
export async function writeReadmeSummary(readmePath: string, jsonPath: string, projectRoot: string): Promise<void> {
  const run = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchRun;
  const readme = readFileSync(readmePath, 'utf8');
  const [head, rest] = readme.split(BEGIN);
  if (rest === undefined || !rest.includes(END)) throw new Error(`${readmePath} has no ${BEGIN} … ${END} block`);
  const tail = rest.slice(rest.indexOf(END));
  const block = speedSummary(run, relative(projectRoot, jsonPath) || basename(jsonPath));
  // Prettier's CLI in a child process: its API loads itself by dynamic import, which Jest's VM cannot run.
  const cli = join(dirname(require.resolve('prettier/package.json')), 'bin/prettier.cjs');
  const text = execFileSync(process.execPath, [cli, '--stdin-filepath', readmePath], { input: `${head}${BEGIN}\n\n${block}\n${tail}`, encoding: 'utf8' });
  writeFileSync(readmePath, text);
}

if (require.main === module) {
  const root = join(__dirname, '../..');
  const json = process.argv[2];
  if (!json) throw new Error('usage: tsx tests/bench/readme.ts docs/bench/<date>.json');
  writeReadmeSummary(join(root, 'README.md'), join(root, json), root).then(
    () => console.log(`README.md: speed summary regenerated from ${json}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
