/**
 * The peer: pg-boss 12 delayed jobs (`startAfter` the due instant) on the same
 * PostgreSQL as Duban's run, in schemas of its own (peer_pgboss for the queue,
 * peer_escalation for what the handler writes). The same two measurements as
 * Duban's: N jobs due at one instant, and lone deadlines one at a time; each
 * delay is the commit of the job's notices (heard on LISTEN, as Duban's) − its
 * due instant. Two settings: pg-boss's defaults, and a tuned one.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PgBoss, type Job, type WorkOptions } from 'pg-boss';
import { commitClock, commitDelays, type CommitClock } from './commit-clock';
import { distribution, machine, type Distribution } from './distribution';

/** Real option names of pg-boss 12 (node_modules/pg-boss/dist/types.d.ts, WorkOptions). */
export const PEER_SETTINGS: Record<'defaults' | 'tuned', WorkOptions> = {
  // batchSize 1, pollingIntervalSeconds 2, one worker: a worker takes one job per poll.
  defaults: {},
  // 50 jobs a fetch, 4 workers in this process, a 0.5 s poll (pg-boss's floor), and no wait between full fetches.
  tuned: { batchSize: 50, localConcurrency: 4, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
};

export interface PeerBurst {
  n: number;
  /** Jobs whose notices were committed before the time limit. */
  done: number;
  limitSeconds: number;
  delayMs: Distribution;
  /** Jobs committed per second after the due instant. */
  perSecond: number;
  /** When the time limit cut the burst short: the delays if the same rate held to the last job. */
  extrapolatedMs?: Distribution;
  machine: ReturnType<typeof machine>;
}

export interface PeerResult {
  setting: 'defaults' | 'tuned';
  options: WorkOptions;
  burst?: PeerBurst;
  lone?: { probes: number; delayMs: Distribution; machine: ReturnType<typeof machine> };
}

interface EscalationJob {
  matterId: string;
  dueAt: string;
}

/**
 * The minimum an escalation writes in Duban (libs/escalation/src/escalation.activities.ts,
 * recordEvent): the event row, and its notices (in the bench's county: the liaison
 * leader's escalation notice and copies to the unit's two people), in one transaction,
 * keyed as Duban keys them so a retried job writes nothing twice. Duban's transaction
 * also moves the read model, takes the year's document number, plans deliveries and
 * chains an audit row: the peer is spared all of that.
 */
const PEER_TABLES = `
  CREATE SCHEMA IF NOT EXISTS peer_escalation;
  CREATE TABLE IF NOT EXISTS peer_escalation.event (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), blocker_id uuid NOT NULL, seq int NOT NULL, type text NOT NULL,
    from_rung text, to_rung text, actor text NOT NULL, actor_name text, reason text, due_at timestamptz, at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), details jsonb NOT NULL DEFAULT '{}', document_no text, UNIQUE (blocker_id, seq));
  CREATE TABLE IF NOT EXISTS peer_escalation.notice (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), event_id uuid NOT NULL REFERENCES peer_escalation.event(id) ON DELETE CASCADE,
    blocker_id uuid NOT NULL, recipient_id uuid NOT NULL, channel text NOT NULL DEFAULT 'inbox', kind text NOT NULL, rung text NOT NULL,
    title text NOT NULL, body text NOT NULL, title_en text NOT NULL, body_en text NOT NULL, document_no text,
    created_at timestamptz NOT NULL DEFAULT now(), read_at timestamptz, UNIQUE (event_id, recipient_id, channel));
  -- Duban's notice trigger, with the matter's id added so that a probe can wait on its own notice.
  CREATE OR REPLACE FUNCTION peer_escalation.notify_notice() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('peer_notice', json_build_object('id', NEW.id, 'recipientId', NEW.recipient_id, 'kind', NEW.kind, 'blockerId', NEW.blocker_id)::text);
    RETURN NEW;
  END $$;
  DROP TRIGGER IF EXISTS notice_notify ON peer_escalation.notice;
  CREATE TRIGGER notice_notify AFTER INSERT ON peer_escalation.notice FOR EACH ROW EXECUTE FUNCTION peer_escalation.notify_notice();`;

const LIAISON = randomUUID();
const UNIT = [randomUUID(), randomUUID()];

async function escalate(pool: Pool, job: Job<EscalationJob>): Promise<void> {
  const { matterId, dueAt } = job.data;
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const ev = await c.query(
      `INSERT INTO peer_escalation.event (blocker_id, seq, type, from_rung, to_rung, actor, actor_name, due_at, at)
       VALUES ($1, 2, 'escalated', 'unit', 'liaison', 'system', '系统', $2, $2) ON CONFLICT (blocker_id, seq) DO NOTHING RETURNING id`,
      [matterId, dueAt],
    );
    if (ev.rows.length)
      await c.query(
        `INSERT INTO peer_escalation.notice (event_id, blocker_id, recipient_id, kind, rung, title, body, title_en, body_en, created_at)
         SELECT $1, $2, r, k, 'liaison', '督办升级：项目事项已超时限', '事项已超过交办时限，升级至联系县领导督办。', 'Escalated: a matter is past its due time',
                'The matter is past its due time and goes to the liaison leader.', $3
           FROM unnest($4::uuid[], $5::text[]) AS x(r, k)`,
        [ev.rows[0].id, matterId, dueAt, [LIAISON, ...UNIT], ['escalation', 'copy', 'copy']],
      );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** One setting: its own queue and pg-boss instance, the burst then the probes. */
export async function peerPgBoss(opts: {
  dbUrl: string;
  setting: 'defaults' | 'tuned';
  burst: number;
  probes: number;
  /** The burst stops being waited on after this many seconds (the defaults drain one job per 2 s poll). */
  limitSeconds: number;
}): Promise<PeerResult> {
  const admin = new Client({ connectionString: opts.dbUrl });
  await admin.connect();
  await admin.query(PEER_TABLES).finally(() => admin.end());
  const options = PEER_SETTINGS[opts.setting];
  const pool = new Pool({ connectionString: opts.dbUrl, max: (options.localConcurrency ?? 1) + 1 });
  const boss = new PgBoss({ connectionString: opts.dbUrl, schema: 'peer_pgboss' });
  boss.on('error', (err) => console.error('pg-boss:', err));
  const clock = await commitClock(opts.dbUrl, 'peer_notice');
  const result: PeerResult = { setting: opts.setting, options };
  try {
    await boss.start();
    const queue = `escalate-${opts.setting}`;
    await boss.createQueue(queue);
    await boss.work<EscalationJob>(queue, options, async (jobs) => {
      // One transaction per job, as Duban has one per escalation; a worker's batch runs in turn on its connection.
      for (const job of jobs) await escalate(pool, job);
    });
    if (opts.burst > 0) result.burst = await burst(boss, queue, pool, clock, opts);
    if (opts.probes > 0) result.lone = await lone(boss, queue, clock, opts.probes, (options.pollingIntervalSeconds ?? 2) * 1000);
  } finally {
    await boss.stop({ graceful: false, timeout: 5_000 }).catch(() => undefined);
    await clock.close();
    await pool.end();
  }
  return result;
}

async function burst(boss: PgBoss, queue: string, pool: Pool, clock: CommitClock, opts: { burst: number; limitSeconds: number }): Promise<PeerBurst> {
  const due = Date.now() + 5_000 + opts.burst * 2;
  const jobs = Array.from({ length: opts.burst }, () => ({ matterId: randomUUID(), dueAt: new Date(due).toISOString() }));
  for (let i = 0; i < jobs.length; i += 500)
    await boss.insert(
      queue,
      jobs.slice(i, i + 500).map((data) => ({ data, startAfter: new Date(due) })),
    );
  if (Date.now() >= due) throw new Error('inserting the burst ran past its due instant');
  const before = machine();
  const limit = due + opts.limitSeconds * 1000;
  const count = async () =>
    (await pool.query(`SELECT count(*)::int AS n FROM peer_escalation.event WHERE blocker_id = ANY($1::uuid[])`, [jobs.map((j) => j.matterId)])).rows[0].n as number;
  while ((await count()) < jobs.length && Date.now() < limit) await new Promise((r) => setTimeout(r, 250));
  // Only the matters already escalated are timed.
  const escalated = await pool.query(`SELECT blocker_id FROM peer_escalation.event WHERE blocker_id = ANY($1::uuid[])`, [jobs.map((j) => j.matterId)]);
  const delays = await commitDelays(
    (sql, params) => pool.query(sql, params).then((r) => r.rows),
    'peer_escalation.notice',
    clock,
    new Map(escalated.rows.map((r) => [r.blocker_id as string, due])),
  );
  const done = delays.length;
  const delayMs = distribution(delays);
  const perSecond = done / (Math.max(1, done < jobs.length ? Date.now() - due : delayMs.max) / 1000);
  const res: PeerBurst = { n: jobs.length, done, limitSeconds: opts.limitSeconds, delayMs, perSecond: Math.round(perSecond * 10) / 10, machine: before };
  if (done < jobs.length) {
    // The rest would queue ahead of the lone probes: drop them.
    await boss.deleteQueuedJobs(queue);
    // At a steady rate the k-th job lands at k / rate: the percentiles of a full drain.
    const at = (q: number) => Math.round(((q * jobs.length) / perSecond) * 1000);
    res.extrapolatedMs = { n: jobs.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
  }
  return res;
}

async function lone(boss: PgBoss, queue: string, clock: CommitClock, probes: number, pollMs: number): Promise<PeerResult['lone']> {
  const before = machine();
  const delays: number[] = [];
  // A worker's next poll follows its last job by one interval: a window of whole intervals makes the due instant's phase uniform.
  const windowMs = pollMs * Math.ceil(1000 / pollMs);
  for (let k = 0; k < probes; k++) {
    // One at a time, 0.3 s plus a random part of the window ahead, nothing else in the queue.
    const due = Date.now() + 300 + Math.floor(Math.random() * windowMs);
    const data: EscalationJob = { matterId: randomUUID(), dueAt: new Date(due).toISOString() };
    await boss.send(queue, data, { startAfter: new Date(due) });
    delays.push((await clock.waitForMatter(data.matterId, 60_000)) - due);
  }
  return { probes, delayMs: distribution(delays), machine: before };
}
