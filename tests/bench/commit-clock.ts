/**
 * When a notice was stored, seen from outside: Duban's `notice` table NOTIFYs
 * every new row (duban_notice, for the live stream), and PostgreSQL delivers
 * a NOTIFY only when its transaction commits. Listening on it timestamps each
 * escalation's commit to the millisecond without touching the engine. (The
 * notice's created_at cannot serve: it is the event's time, the due instant
 * itself, by design.) The peer's notice table has the same trigger, so both
 * systems are timed the same way.
 */
import { Client } from 'pg';

interface Payload {
  id: string;
  kind: string;
  /** Only the peer's trigger sends it (the probes wait on it); Duban's notices are looked up by id. */
  blockerId?: string;
}

export interface CommitClock {
  /** Notice id → when its commit was heard (ms since the epoch), escalation notices only. */
  seen: Map<string, number>;
  /** Resolves with the commit time of the matter's first escalation notice (peer payloads only). */
  waitForMatter(matterId: string, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

export async function commitClock(url: string, channel: 'duban_notice' | 'peer_notice'): Promise<CommitClock> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const seen = new Map<string, number>();
  const byMatter = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  client.on('notification', (m) => {
    const at = Date.now();
    if (m.channel !== channel || !m.payload) return;
    const p = JSON.parse(m.payload) as Payload;
    if (p.kind !== 'escalation' || seen.has(p.id)) return;
    seen.set(p.id, at);
    if (p.blockerId && !byMatter.has(p.blockerId)) {
      byMatter.set(p.blockerId, at);
      waiters.get(p.blockerId)?.(at);
    }
  });
  await client.query(`LISTEN ${channel}`);
  return {
    seen,
    waitForMatter: (matterId, timeoutMs) =>
      new Promise((resolve, reject) => {
        const known = byMatter.get(matterId);
        if (known !== undefined) return resolve(known);
        const timer = setTimeout(() => reject(new Error(`no escalation notice for ${matterId} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(matterId, (at) => {
          clearTimeout(timer);
          waiters.delete(matterId);
          resolve(at);
        });
      }),
    close: () => client.end(),
  };
}

/**
 * Each matter's delay (its escalation notice's commit − its due instant, ms),
 * once every escalation notice of those matters has been heard. `table` has
 * Duban's notice columns (id, blocker_id, kind).
 */
export async function commitDelays(
  query: (sql: string, params: unknown[]) => Promise<{ id: string; blocker_id: string }[]>,
  table: string,
  clock: CommitClock,
  dueMs: Map<string, number>,
): Promise<number[]> {
  const rows = await query(`SELECT id, blocker_id FROM ${table} WHERE kind = 'escalation' AND blocker_id = ANY($1::uuid[])`, [[...dueMs.keys()]]);
  // The rows are committed, so their NOTIFYs are on the way: wait for the last ones to arrive.
  for (let waited = 0; rows.some((r) => !clock.seen.has(r.id)); waited += 20) {
    if (waited > 10_000) throw new Error(`${rows.filter((r) => !clock.seen.has(r.id)).length} escalation notices committed but never heard on LISTEN`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const first = new Map<string, number>();
  for (const r of rows) first.set(r.blocker_id, Math.min(first.get(r.blocker_id) ?? Infinity, clock.seen.get(r.id)!));
  const missing = [...dueMs.keys()].filter((id) => !first.has(id));
  if (missing.length) throw new Error(`${missing.length} matters have no escalation notice (e.g. ${missing[0]})`);
  return [...first].map(([id, at]) => at - dueMs.get(id)!);
}
