import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Page, pageOf } from '../../persistence/src/page';
import { AuditChainAppender, pendingOf } from './audit-append';
import { storableJson, storableText } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import type { AuditRecord } from './audit.types';

export { AUDIT_CHAIN_LOCK } from './audit-append';

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
   * Records one audited write. Call it inside the transaction of the write it
   * records (`em` is that transaction's manager). The row is not written at
   * once: it waits on the transaction and is chained at its commit, with the
   * transaction's other audit rows, in one multi-row insert (see
   * AuditChainAppender). So the chain's lock, which serialises audited commits
   * and keeps the chain linear, is held only from that append to the commit,
   * never across the transaction's own work (a 20,000-row ledger import held
   * it for the whole import, and every audited write in the system waited).
   * The entry returned gets its seq and hashes once the transaction commits.
   * The transaction must be READ COMMITTED (the default): checked at commit.
   */
  async record(em: EntityManager, r: AuditRecord): Promise<AuditEntry> {
    const qr = em.queryRunner;
    if (!qr?.isTransactionActive) throw new Error('AuditService.record must run inside the transaction of the write it records');
    AuditChainAppender.attach(em.connection);
    const entry = em.create(AuditEntry, {
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
    });
    pendingOf(qr).push({ entry, at: r.at });
    return entry;
  }

  /** Newest first, by target, actor, action and time window (`from` inclusive, `to` exclusive). */
  async query(q: AuditQuery): Promise<Page<AuditEntry>> {
    const qb = this.ds
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .orderBy('a.seq', 'DESC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    if (q.targetType) qb.andWhere('a.target_type = :tt', { tt: q.targetType });
    if (q.targetId) qb.andWhere('a.target_id = :tid', { tid: q.targetId });
    if (q.actorId) qb.andWhere('a.actor_id = :aid', { aid: q.actorId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.from) qb.andWhere('a.at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.at < :to', { to: q.to });
    return pageOf(await qb.getManyAndCount(), q);
  }
}
