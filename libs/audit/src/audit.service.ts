import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { Page, pageOf } from '../../persistence/src/page';
import { auditHash, storableJson, storableText } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import type { AuditRecord } from './audit.types';

/** Any constant: the one lock that orders audited commits into a single chain. */
export const AUDIT_CHAIN_LOCK = 0x6475_6261; // "duba"

export interface AuditQuery {
  targetType?: string;
  targetId?: string;
  actorId?: string;
  action?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  page: number;
  pageSize: number;
}

/** The audit log: every write in Duban appends one row, in the same transaction as the write. */
@Injectable()
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends one chained row. Call it inside the transaction of the write it
   * records (`em` is that transaction's manager), as its last step: it takes a
   * transaction-level advisory lock held until commit, which serialises
   * audited commits briefly (three statements and the commit) and keeps the
   * chain linear: no two transactions chain onto the same row, and seq order
   * is commit order. Several calls in one transaction are fine (the lock is
   * re-entrant). The transaction must be READ COMMITTED (the default): an
   * older snapshot could not see the row it has to chain onto.
   */
  async record(em: EntityManager, r: AuditRecord): Promise<AuditEntry> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('AuditService.record must run inside the transaction of the write it records');
    // Its own statement: the next one's snapshot is taken after the lock is granted, so it sees the row committed just before.
    const [{ isolation }]: { isolation: string }[] = await em.query(`SELECT pg_advisory_xact_lock($1), current_setting('transaction_isolation') AS isolation`, [AUDIT_CHAIN_LOCK]);
    if (isolation !== 'read committed') throw new Error(`AuditService.record needs a READ COMMITTED transaction, not ${isolation.toUpperCase()}: its snapshot could miss the last audit row`);
    const [{ seq, prevHash }]: { seq: string; prevHash: string | null }[] = await em.query(
      `SELECT nextval('audit_log_seq_seq')::text AS seq, (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS "prevHash"`,
    );
    // Exactly what PostgreSQL will give back, so the hash written is the hash verified.
    const row = {
      seq,
      at: r.at ?? new Date(),
      actorKind: r.actor.kind,
      actorId: storableText(r.actor.id),
      actorName: storableText(r.actor.name) ?? '',
      action: storableText(r.action),
      targetType: storableText(r.targetType),
      targetId: storableText(r.targetId),
      before: storableJson(r.before),
      after: storableJson(r.after),
      reason: storableText(r.reason),
      requestId: storableText(r.requestId),
    };
    const entry = em.create(AuditEntry, { ...row, prevHash, hash: auditHash(prevHash, row) });
    // insert, not save: save would first look the row up by its key.
    await em.insert(AuditEntry, entry as QueryDeepPartialEntity<AuditEntry>);
    return entry;
  }

  /** Newest first, by target, actor, action and time window (`from` inclusive, `to` exclusive). */
  async query(q: AuditQuery): Promise<Page<AuditEntry>> {
    const qb = this.ds.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.seq', 'DESC').skip((q.page - 1) * q.pageSize).take(q.pageSize);
    if (q.targetType) qb.andWhere('a.target_type = :tt', { tt: q.targetType });
    if (q.targetId) qb.andWhere('a.target_id = :tid', { tid: q.targetId });
    if (q.actorId) qb.andWhere('a.actor_id = :aid', { aid: q.actorId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.from) qb.andWhere('a.at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.at < :to', { to: q.to });
    return pageOf(await qb.getManyAndCount(), q);
  }
}
