import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goalRows, writeReadmeSummary, type BenchRun } from '../bench/readme';

// The README's speed summary is judged from one run's JSON: a goal is "yes" only when the run's own figure meets it.
const dist = (p50: number, p99: number, max = p99) => ({ n: 100, p50, p95: p99, p99, max });

const run = (over: Partial<BenchRun> = {}): BenchRun => ({
  at: '2026-12-02T18:17:16.000Z',
  cores: 2,
  postgres: { embedded: true, version: '18.4' },
  temporalDevServer: { store: 'sqlite file', crashes: [] },
  sameInstant: { n: 1000, reportSeconds: 40, noticeMs: dist(13_204, 24_003, 24_754) },
  loneDeadlines: { probes: 100, delayMs: dist(316, 498), openMatters: 16_100 },
  comparison: [
    { system: 'Duban', systemZh: '督办', burst: dist(13_204, 24_003, 24_754), lone: dist(316, 498) },
    { system: 'pg-boss defaults', systemZh: '默认', lone: dist(1003, 1956) },
    { system: 'pg-boss tuned', systemZh: '调优', burst: dist(657, 1179, 1193), lone: dist(204, 422) },
  ],
  battleMapApi: {
    projects: 20_000,
    rows: [
      { query: 'no filter, page 1', p50: 27, p95: 45, p99: 65, total: 20_001 },
      { query: 'colour=yellow', p50: 21, p95: 33, p99: 46, total: 2_000 },
    ],
  },
  ...over,
});

const row = (r: BenchRun, figure: RegExp) => goalRows(r).find((g) => figure.test(g.figure))!;

describe('the README speed summary, judged from one run', () => {
  it('says how far a missed burst is behind tuned pg-boss, and yes only within 2 s', () => {
    expect(row(run(), /^1,000 due/).met).toBe('no (20.7× behind tuned pg-boss)');
    expect(row(run({ sameInstant: { n: 1000, reportSeconds: 5, noticeMs: dist(900, 1800, 1999) } }), /^1,000 due/).met).toBe('yes');
  });

  it('does not call the idle goal met below 100,000 open matters, however fast the lone deadlines are', () => {
    expect(row(run(), /^lone deadline among/).met).toBe('under 1 s, with 16,100 open');
    expect(row(run({ loneDeadlines: { probes: 100, delayMs: dist(300, 700), openMatters: 100_012 } }), /^lone deadline among/).met).toBe('yes');
  });

  it('reports the idle cost where it grows, and says when memory fell or the dev server file was not measured', () => {
    const idle = {
      openBefore: 11_000,
      openAfter: 100_000,
      perSecond: 19,
      perMatterKb: { 'temporal resident': -1, 'worker resident': 0.3, 'api resident': -1, 'postgres resident': 54.3, 'postgres on disk': 5.8 },
      millionGb: { 'temporal resident': -1, 'worker resident': 0.2, 'api resident': -1, 'postgres resident': 51.7, 'postgres on disk': 5.6 },
    };
    const r = row(run({ idleCost: idle }), /^idle cost/);
    expect(r.result).not.toContain('-1');
    expect(r.result).toContain('PostgreSQL on disk 5.8 KB (a million: 5.6 GB)');
    expect(r.result).toContain('resident memory of temporal and api did not grow');
    expect(r.met).toBe("yes (Temporal's SQLite store not measured)");
    const measured = { ...idle, perMatterKb: { ...idle.perMatterKb, 'temporal on disk': 9.1 }, millionGb: { ...idle.millionGb, 'temporal on disk': 8.7 } };
    expect(row(run({ idleCost: measured }), /^idle cost/)).toMatchObject({ met: 'yes' });
    expect(row(run({ idleCost: measured }), /^idle cost/).result).toContain("Temporal dev server's SQLite file 9.1 KB (a million: 8.7 GB)");
    expect(row(run({ idleCost: { ...idle, openAfter: 70_000 } }), /^idle cost/).met).toBe('to 70,000 open');
  });

  it('compares lone deadlines with both pg-boss settings', () => {
    expect(row(run(), /beside tuned/).met).toBe('no (ahead of the defaults only)');
    expect(row(run({ loneDeadlines: { probes: 100, delayMs: dist(60, 90), openMatters: 100_000 } }), /beside tuned/).met).toBe('yes');
  });

  it('counts the battle map queries within 50 ms, and marks parts the run did not measure', () => {
    expect(row(run(), /^battle map/).met).toBe('1 of 2');
    expect(row(run(), /^mixed reads/)).toMatchObject({ result: 'not measured in this run', met: '–' });
    expect(row(run(), /^faults/).met).toBe('–');
  });

  it('calls a fault run with a number gap a failure', () => {
    const fault = { kind: 'worker', escalatedBeforeFault: 2, downMs: 2100, restartToLastMs: 14_800, dueToLastMs: 17_200, lost: 0, escalatedTwice: 0, duplicateNotices: 0 };
    expect(row(run({ faults: [{ ...fault, numbersConsecutive: true }] }), /^faults/).met).toBe('yes');
    expect(row(run({ faults: [{ ...fault, numbersConsecutive: false }] }), /^faults/).met).toBe('no');
  });

  it('rewrites only the block between the markers, and refuses a README without them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    try {
      writeFileSync(join(dir, 'run.json'), JSON.stringify(run()));
      writeFileSync(join(dir, 'README.md'), '# Duban\n\nbefore\n\n<!-- bench:summary:begin -->\n\nstale\n\n<!-- bench:summary:end -->\n\nafter\n');
      await writeReadmeSummary(join(dir, 'README.md'), join(dir, 'run.json'), dir);
      const text = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(text).not.toContain('stale');
      expect(text).toMatch(/^# Duban\n\nbefore\n\n<!-- bench:summary:begin -->\n/);
      expect(text).toMatch(/<!-- bench:summary:end -->\n\nafter\n$/);
      expect(text).toContain('[run.json](run.json)');
      expect(text).toContain('no (20.7× behind tuned pg-boss)');
      writeFileSync(join(dir, 'README.md'), '# Duban\n');
      await expect(writeReadmeSummary(join(dir, 'README.md'), join(dir, 'run.json'), dir)).rejects.toThrow(/bench:summary:begin/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
