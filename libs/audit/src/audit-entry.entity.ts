import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuditActorKind } from './audit.types';

/**
 * One row of the audit log (全程留痕). Append-only in the database itself
 * (triggers refuse UPDATE, DELETE and TRUNCATE) and hash-chained: `hash`
 * covers this row's content and `prevHash`, the hash of the row before.
 */
@Entity('audit_log')
export class AuditEntry {
  /** The chain order. bigint arrives as a string from pg. */
  @PrimaryColumn('bigint') seq: string;
  @Column('timestamptz') at: Date;
  @Column('text', { name: 'actor_kind' }) actorKind: AuditActorKind;
  @Column('text', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_name' }) actorName: string;
  @Column('text') action: string;
  @Column('text', { name: 'target_type' }) targetType: string;
  @Column('text', { name: 'target_id', nullable: true }) targetId: string | null;
  @Column('jsonb', { nullable: true }) before: unknown;
  @Column('jsonb', { nullable: true }) after: unknown;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { name: 'prev_hash', nullable: true }) prevHash: string | null;
  @Column('text') hash: string;
}
