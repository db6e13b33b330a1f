/**
 * 1,000 matters due at the same instant (shared by the end-to-end test and
 * `npm run bench`): the project office reports N blockers with one due time
 * T (交办时限), then waits until every one has escalated, and measures how
 * long after T the read model recorded each escalation and, given the
 * database's URL, when each escalation notice was stored (its commit, heard
 * on LISTEN: the figure compared with the peer's).
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { commitClock, commitDelays } from './commit-clock';
import { cpuWindow, type CpuProfile } from './cpu-profile';
import { distribution, machine, type Distribution } from './distribution';

export interface SameInstantResult {
  n: number;
  dueAt: string;
  reportSeconds: number;
  /** Milliseconds from T to the start of the transaction that recorded each escalation (blocker_event.recorded_at). */
  lagMs: Distribution;
  /** Milliseconds from T to the commit of each escalation's notices (only when dbUrl is given). */
  noticeMs?: Distribution;
  /** Every escalation event is recorded at T itself (its due instant). */
  allAtDueInstant: boolean;
  /** Cores and load average when reporting ended, before T. */
  machine: ReturnType<typeof machine>;
  /** CPU seconds per part of the stack from T to the last escalation seen (polled every 250 ms). */
  cpu: CpuProfile;
  /** The same while the matters were reported over HTTP. */
  reportCpu: CpuProfile;
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
  /** The database's URL: listens for the notices' commits. */
  dbUrl?: string;
}): Promise<SameInstantResult> {
  const clock = opts.dbUrl ? await commitClock(opts.dbUrl, 'duban_notice') : null;
  try {
    return await run(opts, clock);
  } finally {
    await clock?.close();
  }
}

async function run(opts: Parameters<typeof sameInstant>[0], clock: Awaited<ReturnType<typeof commitClock>> | null): Promise<SameInstantResult> {
  const dueAt = new Date(Date.now() + opts.leadMs).toISOString();
  const started = Date.now();
  const endReportWindow = cpuWindow();
  const ids = await reportMatters({ ...opts, title: '同时到期', dueAts: Array.from({ length: opts.n }, () => dueAt) });
  const reportCpu = endReportWindow();
  const reportSeconds = (Date.now() - started) / 1000;
  const before = machine();
  if (Date.now() >= Date.parse(dueAt)) throw new Error(`reporting ${opts.n} matters took ${reportSeconds}s, past the due instant: raise leadMs`);

  // The profile's window opens at T: reporting's own work is not the burst's.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(dueAt) - Date.now())));
  const endWindow = cpuWindow();
  // Five minutes, or 100 ms a matter for a big burst (ten thousand took 9 minutes on a slow day).
  const waitMs = Math.max(300_000, opts.n * 100);
  const deadline = Date.parse(dueAt) + waitMs;
  for (;;) {
    const [{ n }] = await opts.ds.query(`SELECT count(*)::int AS n FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[])`, [ids]);
    if (n >= opts.n) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${opts.n} escalated within ${waitMs / 60_000} minutes of the due instant`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const cpu = endWindow();
  const rows: { lag: number; at_due: boolean }[] = await opts.ds.query(
    `SELECT extract(epoch FROM (recorded_at - $2::timestamptz)) * 1000 AS lag, at = $2::timestamptz AS at_due
       FROM blocker_event WHERE type = 'escalated' AND blocker_id = ANY($1::uuid[]) ORDER BY lag`,
    [ids, dueAt],
  );
  const due = Date.parse(dueAt);
  const noticeMs = clock ? distribution(await commitDelays((sql, params) => opts.ds.query(sql, params), 'notice', clock, new Map(ids.map((id) => [id, due])))) : undefined;
  return {
    n: opts.n,
    dueAt,
    reportSeconds,
    lagMs: distribution(rows.map((r) => Number(r.lag))),
    noticeMs,
    allAtDueInstant: rows.every((r) => r.at_due),
    machine: before,
    cpu,
    reportCpu,
  };
}

/** The project office reports one matter per due time over HTTP (`concurrency` at a time); their ids, in order. */
export async function reportMatters(opts: {
  api: string;
  token: string;
  projectId: string;
  /** Spread the matters over these projects in turn instead (the idle fill: a county's matters are not all one project's). */
  projectIds?: string[];
  policyId: string;
  title: string;
  dueAts: string[];
  concurrency?: number;
  /** A new session when the old one expired (401): reporting a hundred thousand outlasts a session's 15 minutes. */
  relogin?: () => Promise<string>;
  /** Counts the reports answered 503 and sent again. */
  stats?: { retried503: number };
}): Promise<string[]> {
  const run = randomUUID();
  let next = 0;
  let token = opts.token;
  let renewing: Promise<string> | null = null;
  const ids: string[] = [];
  const worker = async () => {
    while (next < opts.dueAts.length) {
      const k = next++;
      const projectId = opts.projectIds?.length ? opts.projectIds[k % opts.projectIds.length] : opts.projectId;
      // One Idempotency-Key per matter: a report answered 503 (Temporal too slow to answer within 5 s) is sent again as the API asks.
      const key = `${run}-${k}`;
      const send = async (t: string) => {
        const res = await fetch(`${opts.api}/projects/${projectId}/blockers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t}`, 'idempotency-key': key },
          body: JSON.stringify({ category: 'funding', title: `${opts.title} ${k + 1}`, policyId: opts.policyId, dueAt: opts.dueAts[k] }),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, retryAfter: Number(res.headers.get('retry-after') ?? 5) };
      };
      let r = await send(token);
      for (let attempt = 0; (r.status === 401 && opts.relogin && attempt === 0) || (r.status === 503 && attempt < 60); attempt++) {
        if (r.status === 401) {
          const stale = token;
          renewing ??= opts.relogin!().finally(() => (renewing = null));
          token = stale === token ? await renewing : token;
        } else {
          if (opts.stats) opts.stats.retried503++;
          await new Promise((res) => setTimeout(res, r.retryAfter * 1000));
        }
        r = await send(token);
      }
      if (r.status !== 201) throw new Error(`report ${k}: ${r.status} ${JSON.stringify(r.body)}`);
      ids[k] = r.body.id;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 16 }, worker));
  return ids;
}
