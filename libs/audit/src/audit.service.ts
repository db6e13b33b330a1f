import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Page, pageOf } from '../../persistence/src/page';
import { auditHash } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import type { AuditRecord } from './audit.types';

/** Any constant: the one lock that orders audited commits into a single chain. */
const CHAIN_LOCK = 0x6475_6261; // "duba"

export interface AuditQuery {
  targetType?: string;
  targetId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
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
   * records (`em` is that transaction's manager), last, so the chain lock is
   * held only briefly: it serialises audited commits, which keeps the chain
   * linear (seq order = commit order) whatever runs concurrently.
   */
  async record(em: EntityManager, r: AuditRecord): Promise<AuditEntry> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('AuditService.record must run inside the transaction of the write it records');
    await em.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const [{ seq }] = await em.query(`SELECT nextval('audit_log_seq_seq')::text AS seq`);
    const [last]: { hash: string }[] = await em.query('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const at = r.at ?? new Date();
    const row = {
      seq,
      at,
      actorKind: r.actor.kind,
      actorId: r.actor.id,
      actorName: r.actor.name,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      before: r.before ?? null,
      after: r.after ?? null,
      reason: r.reason ?? null,
      requestId: r.requestId ?? null,
    };
    // Round-trip through JSON so the hash covers exactly what jsonb will give back.
    row.before = row.before === null ? null : JSON.parse(JSON.stringify(row.before));
    row.after = row.after === null ? null : JSON.parse(JSON.stringify(row.after));
    const prevHash = last?.hash ?? null;
    const entry = em.create(AuditEntry, { ...row, prevHash, hash: auditHash(prevHash, row) });
    await em.save(AuditEntry, entry);
    return entry;
  }

  /** Newest first, by target, actor, action and time window. */
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
