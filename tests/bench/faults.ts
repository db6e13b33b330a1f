/**
 * A burst with a fault in the middle of it (shared by `npm run bench` and
 * tests/e2e/burst-faults.e2e-spec.ts): N matters due at one instant; just
 * after it, the worker is killed (SIGKILL) and started again, or the Temporal
 * dev server is stopped and started again on its SQLite file, or PostgreSQL is
 * stopped and started again. Then every matter must escalate exactly once:
 * no matter lost, none escalated twice, no notice twice, the notice numbers
 * distinct and consecutive. The bench reports the time from the restart to
 * the last escalation; the test asserts only the counts.
 */
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { spawnNode } from '../../apps/stack/src/processes';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import type { RealStack } from '../support/stack';
import { reportMatters } from './same-instant';

export type FaultKind = 'worker' | 'temporal' | 'postgres';

export interface FaultResult {
  kind: FaultKind;
  n: number;
  /** How long the part was down (from the fault to its restart returning). */
  downMs: number;
  /** From the restart to the last escalation recorded. */
  restartToLastMs: number;
  /** From the due instant to the last escalation recorded. */
  dueToLastMs: number;
  escalatedBeforeFault: number;
  lost: number;
  escalatedTwice: number;
  duplicateNotices: number;
  /** The escalation notices' numbers (督办〔year〕N号) of this burst are distinct and N..N+n-1. */
  numbersConsecutive: boolean;
}

export async function faultBurst(o: {
  kind: FaultKind;
  n: number;
  stack: RealStack;
  ds: DataSource;
  api: string;
  token: string;
  projectId: string;
  policyId: string;
  /** Stops PostgreSQL and starts it again (same data, same port); needed for kind 'postgres'. */
  restartPostgres?: (downMs: number) => Promise<void>;
  /** How long the part stays down (default 2 s). */
  downMs?: number;
  /** How long after the due instant the fault strikes (default 300 ms: mid-burst). */
  afterDueMs?: number;
  /** From the start of reporting to the due instant (default: room for reporting at ~20 per second). */
  leadMs?: number;
}): Promise<FaultResult> {
  const down = o.downMs ?? 2000;
  const dueAt = new Date(Date.now() + (o.leadMs ?? Math.max(20_000, o.n * 60 + 10_000))).toISOString();
  const ids = await reportMatters({ ...o, title: `故障演练 ${o.kind}`, dueAts: Array.from({ length: o.n }, () => dueAt) });
  const due = Date.parse(dueAt);
  if (Date.now() >= due) throw new Error(`reporting ${o.n} matters took past the due instant`);
  await sleep(due + (o.afterDueMs ?? 300) - Date.now());

  const escalated = async (): Promise<number> =>
    Number((await o.ds.query(`SELECT count(DISTINCT blocker_id) AS n FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[])`, [ids]))[0].n);
  const escalatedBeforeFault = await escalated();
  const faultAt = Date.now();
  if (o.kind === 'worker') {
    const w = o.stack.worker!;
    w.child.kill('SIGKILL');
    await w.exited;
    await sleep(down);
    o.stack.worker = spawnNode('worker', join(PROJECT_ROOT, 'dist/apps/worker/src/main.js'), o.stack.env, () => undefined);
  } else if (o.kind === 'temporal') {
    await o.stack.stopTemporal();
    await sleep(down);
    await o.stack.startTemporal();
  } else {
    if (!o.restartPostgres) throw new Error('a PostgreSQL restart needs restartPostgres');
    await o.restartPostgres(down);
  }
  const restartedAt = Date.now();

  // Polled through the bench's own pool, which may meet the restarted server's closed connections first.
  const deadline = restartedAt + 300_000;
  for (;;) {
    const n = await escalated().catch(() => -1);
    if (n >= o.n) break;
    if (Date.now() > deadline) break;
    await sleep(250);
  }
  const [last]: { t: Date | null }[] = await o.ds.query(`SELECT max(recorded_at) AS t FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[])`, [ids]);
  const [counts]: { lost: string; twice: string }[] = await o.ds.query(
    `SELECT count(*) FILTER (WHERE k = 0) AS lost, count(*) FILTER (WHERE k > 1) AS twice
       FROM (SELECT b.id, count(e.id) AS k FROM unnest($1::uuid[]) AS b(id)
               LEFT JOIN blocker_event e ON e.blocker_id = b.id AND e.type = 'escalated' GROUP BY b.id) x`,
    [ids],
  );
  const [dupes]: { n: string }[] = await o.ds.query(
    `SELECT count(*) AS n FROM (SELECT 1 FROM notice WHERE blocker_id = ANY($1::uuid[]) GROUP BY event_id, recipient_id, channel HAVING count(*) > 1) d`,
    [ids],
  );
  const numbers: number[] = (
    await o.ds.query(`SELECT document_no FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[]) AND document_no IS NOT NULL`, [ids])
  ).map((r: { document_no: string }) => Number(/〕(\d+)号/.exec(r.document_no)?.[1]));
  const distinct = new Set(numbers);
  const lastAt = last.t ? new Date(last.t).getTime() : NaN;
  return {
    kind: o.kind,
    n: o.n,
    downMs: restartedAt - faultAt,
    restartToLastMs: Math.max(0, lastAt - restartedAt),
    dueToLastMs: lastAt - due,
    escalatedBeforeFault,
    lost: Number(counts.lost),
    escalatedTwice: Number(counts.twice),
    duplicateNotices: Number(dupes.n),
    numbersConsecutive: distinct.size === numbers.length && numbers.length === o.n && Math.max(...numbers) - Math.min(...numbers) + 1 === o.n,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
