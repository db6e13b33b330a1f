/**
 * Lone deadlines on Duban: P matters, each due alone at its own instant, the
 * instants at least 300 ms apart (so no escalation overlaps another) with a
 * random offset (so they fall at any phase of whatever the engine polls or
 * batches), all reported well ahead. The delay of each is its escalation
 * notice's commit (heard on LISTEN) − its due instant: what a person waiting
 * on one deadline sees, against the peer's probes (tests/bench/peer-pg-boss.ts).
 */
import { DataSource } from 'typeorm';
import { commitClock, commitDelays } from './commit-clock';
import { distribution, machine, type Distribution } from './distribution';
import { reportMatters } from './same-instant';

export interface LoneDeadlinesResult {
  probes: number;
  spacingMs: number;
  delayMs: Distribution;
  machine: ReturnType<typeof machine>;
}

export async function loneDeadlines(opts: {
  api: string;
  token: string;
  ds: DataSource;
  dbUrl: string;
  projectId: string;
  policyId: string;
  probes: number;
}): Promise<LoneDeadlinesResult> {
  const spacingMs = 400; // each slot 300 ms plus a random 0–100 ms: neighbours ≥ 300 ms apart
  // Reporting runs at a few dozen per second: leave it (and the reported events) done before the first instant.
  const first = Date.now() + 15_000 + opts.probes * 150;
  const dueMs = Array.from({ length: opts.probes }, (_, k) => first + k * spacingMs + Math.floor(Math.random() * 100));
  const clock = await commitClock(opts.dbUrl, 'duban_notice');
  try {
    const ids = await reportMatters({ ...opts, title: '单独到期', dueAts: dueMs.map((t) => new Date(t).toISOString()) });
    if (Date.now() >= first) throw new Error('reporting the probes ran past the first due instant');
    const before = machine();
    const due = new Map(ids.map((id, k) => [id, dueMs[k]]));
    const last = dueMs[dueMs.length - 1];
    for (;;) {
      const [{ n }] = await opts.ds.query(`SELECT count(*)::int AS n FROM notice WHERE kind = 'escalation' AND blocker_id = ANY($1::uuid[])`, [ids]);
      if (n >= ids.length) break;
      if (Date.now() > last + 120_000) throw new Error(`only ${n} of ${ids.length} probes escalated within 2 minutes of the last due instant`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const delays = await commitDelays((sql, params) => opts.ds.query(sql, params), 'notice', clock, due);
    return { probes: opts.probes, spacingMs, delayMs: distribution(delays), machine: before };
  } finally {
    await clock.close();
  }
}
