/**
 * 1,000 matters due at the same instant (shared by the end-to-end test and
 * `npm run bench`): the project office reports N blockers with one due time
 * T (交办时限), then waits until every one has escalated, and measures how
 * long after T the read model recorded each escalation.
 */
import { DataSource } from 'typeorm';
import { http } from '../support/stack';

export interface SameInstantResult {
  n: number;
  dueAt: string;
  reportSeconds: number;
  /** Milliseconds from T to the moment the read model recorded each escalation. */
  lagMs: { p50: number; p95: number; max: number };
  /** Every escalation event is recorded at T itself (its due instant). */
  allAtDueInstant: boolean;
}

export async function sameInstant(opts: {
  api: string;
  token: string;
  ds: DataSource;
  projectId: string;
  policyId: string;
  n: number;
  leadMs: number;
  concurrency?: number;
}): Promise<SameInstantResult> {
  const dueAt = new Date(Date.now() + opts.leadMs).toISOString();
  const started = Date.now();
  let next = 0;
  const ids: string[] = [];
  const worker = async () => {
    while (next < opts.n) {
      const k = next++;
      const r = await http(
        'POST',
        `${opts.api}/projects/${opts.projectId}/blockers`,
        { category: 'funding', title: `同时到期 ${k + 1}`, policyId: opts.policyId, dueAt },
        opts.token,
      );
      if (r.status !== 201) throw new Error(`report ${k}: ${r.status} ${JSON.stringify(r.body)}`);
      ids.push(r.body.id);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 16 }, worker));
  const reportSeconds = (Date.now() - started) / 1000;
  if (Date.now() >= Date.parse(dueAt)) throw new Error(`reporting ${opts.n} matters took ${reportSeconds}s, past the due instant: raise leadMs`);

  const deadline = Date.parse(dueAt) + 300_000;
  for (;;) {
    const [{ n }] = await opts.ds.query(`SELECT count(*)::int AS n FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[])`, [ids]);
    if (n >= opts.n) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${opts.n} escalated within 5 minutes of the due instant`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const rows: { lag: number; at_due: boolean }[] = await opts.ds.query(
    `SELECT extract(epoch FROM (recorded_at - $2::timestamptz)) * 1000 AS lag, at = $2::timestamptz AS at_due
       FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[]) ORDER BY lag`,
    [ids, dueAt],
  );
  const lags = rows.map((r) => Number(r.lag));
  const pct = (p: number) => Math.round(lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))]);
  return { n: opts.n, dueAt, reportSeconds, lagMs: { p50: pct(50), p95: pct(95), max: Math.round(lags[lags.length - 1]) }, allAtDueInstant: rows.every((r) => r.at_due) };
}
