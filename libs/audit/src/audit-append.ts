import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { auditContentTail, auditHashOf } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';

/** Any constant: the one lock that orders audited commits into a single chain. */
export const AUDIT_CHAIN_LOCK = 0x6475_6261; // "duba"

interface Pending {
  entry: AuditEntry;
  at?: Date;
  /** The transaction depth it was recorded at: a savepoint rolled back takes its rows with it. */
  depth: number;
}

const pending = new WeakMap<QueryRunner, Pending[]>();
const depthOf = (qr: QueryRunner): number => (qr as unknown as { transactionDepth: number }).transactionDepth;

/** The audit rows a transaction has recorded and not yet chained. */
export function pendingOf(qr: QueryRunner): { push(p: { entry: AuditEntry; at?: Date }): void } {
  let list = pending.get(qr);
  if (!list) pending.set(qr, (list = []));
  const l = list;
  return { push: (p) => l.push({ ...p, depth: depthOf(qr) }) };
}

/**
 * Chains a transaction's audit rows at its commit. TypeORM tells subscribers
 * just before it sends COMMIT; at that moment this takes the chain's
 * transaction-level advisory lock, reads the last row's hash, and inserts the
 * transaction's rows in one go; COMMIT releases the lock. Two statements and
 * an insert, instead of the whole transaction: audited writes elsewhere wait
 * only for that.
 *
 * The lock is taken in its own statement so that the next statement's
 * snapshot (READ COMMITTED) is taken after it is granted and sees the row
 * committed just before; REPEATABLE READ or SERIALIZABLE would keep an older
 * snapshot, so they are refused (the commit fails and the transaction rolls back).
 */
export class AuditChainAppender implements EntitySubscriberInterface {
  /** Registers the appender on a data source once (record() calls this, so no data source can lose rows for want of it). */
  static attach(ds: DataSource): void {
    if (!ds.subscribers.some((s) => s instanceof AuditChainAppender)) ds.subscribers.push(new AuditChainAppender());
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const qr = event.queryRunner;
    const depth = depthOf(qr);
    if (depth > 1) {
      // A savepoint released: its rows now belong to the transaction around it.
      for (const r of pending.get(qr) ?? []) r.depth = Math.min(r.depth, depth - 1);
      return;
    }
    const rows = pending.get(qr);
    pending.delete(qr);
    if (rows?.length) await append(qr, rows);
  }

  beforeTransactionRollback(event: TransactionRollbackEvent): void {
    const qr = event.queryRunner;
    const depth = depthOf(qr);
    const rows = pending.get(qr);
    if (!rows) return;
    if (depth <= 1) pending.delete(qr);
    else
      pending.set(
        qr,
        rows.filter((r) => r.depth < depth),
      );
  }
}

async function append(qr: QueryRunner, rows: Pending[]): Promise<void> {
  // Everything that does not depend on the rows' place in the chain is prepared before the lock.
  // The time of the chaining, unless the caller gave one: at then follows seq, as it did when rows were chained one by one.
  const now = new Date();
  for (const r of rows) r.entry.at = r.at ?? now;
  const tails = rows.map((r) => auditContentTail(r.entry));
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const col = <T>(f: (e: AuditEntry) => T) => rows.map((r) => f(r.entry));
  const fixed = [
    col((e) => e.at.toISOString()),
    col((e) => e.actorKind),
    col((e) => e.actorId),
    col((e) => e.actorName),
    col((e) => e.action),
    col((e) => e.targetType),
    col((e) => e.targetId),
    col((e) => json(e.before)),
    col((e) => json(e.after)),
    col((e) => e.reason),
    col((e) => e.requestId),
  ];

  const [{ isolation }]: { isolation: string }[] = await qr.query(`SELECT pg_advisory_xact_lock($1), current_setting('transaction_isolation') AS isolation`, [AUDIT_CHAIN_LOCK]);
  if (isolation !== 'read committed')
    throw new Error(`AuditService.record needs a READ COMMITTED transaction, not ${isolation.toUpperCase()}: its snapshot could miss the last audit row`);
  const [{ prevHash, seqs }]: { prevHash: string | null; seqs: string[] }[] = await qr.query(
    `SELECT (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS "prevHash",
            array(SELECT nextval('audit_log_seq_seq')::text FROM generate_series(1, $1::int)) AS seqs`,
    [rows.length],
  );
  seqs.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  let prev = prevHash;
  rows.forEach(({ entry }, i) => {
    entry.seq = seqs[i];
    entry.prevHash = prev;
    entry.hash = auditHashOf(prev, entry.seq, tails[i]);
    prev = entry.hash;
  });
  // One statement for all the rows, column by column (unnest): fourteen parameters however many rows, and no ORM work per row.
  await qr.query(
    `INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, action, target_type, target_id, before, after, reason, request_id, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $11::text[], $12::text[], $13::text[], $14::text[])`,
    [seqs, ...fixed, col((e) => e.prevHash), col((e) => e.hash)],
  );
}
