/**
 * Idle cost: fills the county up to a number of open matters (default
 * 100,000), each reported over HTTP like any other (validation, audit row,
 * workflow start, read model) and due months ahead, spread over the battle
 * map's projects. Each open matter is a Temporal workflow waiting on its
 * timer and a read-model row: what a county keeps for years. Reports the
 * fill's rate and CPU, the resident memory of each part and the database's
 * size before and after, and the cost per open matter extrapolated to a
 * million; the lone deadlines are then measured among them (lone-deadlines.ts).
 */
import { statSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { cpuWindow, rssByPart, type CpuProfile } from './cpu-profile';
import { machine } from './distribution';
import { reportMatters } from './same-instant';

export interface IdleCostResult {
  openBefore: number;
  openAfter: number;
  reported: number;
  reportSeconds: number;
  perSecond: number;
  reportCpu: CpuProfile;
  /** Reports answered 503 (Temporal did not answer within the API's 5 s) and sent again with the same Idempotency-Key. */
  retried503: number;
  rssMbBefore: Record<string, number>;
  rssMbAfter: Record<string, number>;
  postgresMbBefore: number;
  postgresMbAfter: number;
  /** The Temporal dev server's SQLite store (file, -wal and -shm) before and after, when it runs on a file. */
  temporalStoreMbBefore?: number;
  temporalStoreMbAfter?: number;
  /** Per open matter added: resident KB of each part and PostgreSQL's KB on disk. */
  perMatterKb: Record<string, number>;
  /** The same, times a million open matters, in GB. */
  millionGb: Record<string, number>;
  machine: ReturnType<typeof machine>;
}

const DAY = 86_400_000;

/** Open matters with a workflow of their own: the battle map part's read-model rows (workflow id bench-blocker-…) are not counted. */
export async function openMatters(ds: { query: (sql: string) => Promise<{ n: number }[]> }): Promise<number> {
  return (await ds.query(`SELECT count(*)::int AS n FROM blocker WHERE status = 'open' AND workflow_id NOT LIKE 'bench-blocker-%'`))[0].n;
}

export async function idleCost(opts: {
  api: string;
  token: string;
  relogin: () => Promise<string>;
  ds: DataSource;
  policyId: string;
  fallbackProjectId: string;
  target: number;
  /** The dev server's SQLite file: with it, the Temporal store's growth on disk is measured too. */
  temporalDbFile?: string;
}): Promise<IdleCostResult> {
  const open = () => openMatters(opts.ds);
  const dbMb = async () => Math.round(Number((await opts.ds.query(`SELECT pg_database_size(current_database()) AS b`))[0].b) / 1048576);
  // The dev server keeps each workflow's history and visibility record in its SQLite file; resident memory alone misses it.
  const storeMb = () => {
    if (!opts.temporalDbFile) return undefined;
    const bytes = ['', '-wal', '-shm'].reduce((sum, ext) => {
      try {
        return sum + statSync(opts.temporalDbFile + ext).size;
      } catch {
        return sum;
      }
    }, 0);
    return Math.round(bytes / 1048576);
  };
  const openBefore = await open();
  const add = Math.max(0, opts.target - openBefore);
  const projectIds: string[] = (await opts.ds.query(`SELECT id FROM project ORDER BY code LIMIT 5000`)).map((r: { id: string }) => r.id);
  const rssMbBefore = rssByPart();
  const postgresMbBefore = await dbMb();
  const temporalStoreMbBefore = storeMb();
  const m = machine();
  // Due 60 to 120 days ahead, a minute apart: nothing of the fill fires during the bench.
  const start = Date.now() + 60 * DAY;
  const dueAts = Array.from({ length: add }, (_, k) => new Date(start + (k % 86_400) * 60_000).toISOString());
  const endCpu = cpuWindow();
  const t0 = Date.now();
  const stats = { retried503: 0 };
  await reportMatters({
    stats,
    api: opts.api,
    token: opts.token,
    relogin: opts.relogin,
    projectId: opts.fallbackProjectId,
    projectIds: projectIds.length ? projectIds : undefined,
    policyId: opts.policyId,
    title: '长期挂账',
    dueAts,
    // 16 at a time left a third of a core idle (the API waits on Temporal's round trips); 32 keeps both cores busy.
    concurrency: Number(process.env.BENCH_IDLE_CONCURRENCY ?? 32),
  });
  const reportSeconds = (Date.now() - t0) / 1000;
  const reportCpu = endCpu();
  // Let the last workflows' first tasks and records settle before measuring memory.
  await new Promise((r) => setTimeout(r, 5000));
  const rssMbAfter = rssByPart();
  const postgresMbAfter = await dbMb();
  const temporalStoreMbAfter = storeMb();
  const openAfter = await open();
  const added = Math.max(1, openAfter - openBefore);
  const perMatterKb: Record<string, number> = {};
  const millionGb: Record<string, number> = {};
  const grow = (part: string, mbBefore: number, mbAfter: number) => {
    const kb = ((mbAfter - mbBefore) * 1024) / added;
    perMatterKb[part] = Math.round(kb * 10) / 10;
    millionGb[part] = Math.round(((kb * 1_000_000) / 1048576) * 10) / 10;
  };
  for (const part of ['temporal', 'worker', 'api', 'postgres']) grow(`${part} resident`, rssMbBefore[part] ?? 0, rssMbAfter[part] ?? 0);
  grow('postgres on disk', postgresMbBefore, postgresMbAfter);
  if (temporalStoreMbBefore !== undefined && temporalStoreMbAfter !== undefined) grow('temporal on disk', temporalStoreMbBefore, temporalStoreMbAfter);
  return {
    openBefore,
    openAfter,
    reported: add,
    reportSeconds: Math.round(reportSeconds * 10) / 10,
    perSecond: Math.round(add / reportSeconds),
    reportCpu,
    retried503: stats.retried503,
    rssMbBefore,
    rssMbAfter,
    postgresMbBefore,
    postgresMbAfter,
    temporalStoreMbBefore,
    temporalStoreMbAfter,
    perMatterKb,
    millionGb,
    machine: m,
  };
}
