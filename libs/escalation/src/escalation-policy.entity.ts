import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PolicyRung } from '../../domain/src/ladder';

/**
 * An escalation policy: for each rung of the ladder, how long its holder has.
 * Chosen by blocker category and severity; the one with `category` null is the
 * fallback for its severity.
 */
@Entity('escalation_policy')
export class EscalationPolicy {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { nullable: true }) category: string | null;
  @Column('text', { default: 'normal' }) severity: string;
  @Column('jsonb') rungs: PolicyRung[];
  /** Chosen automatically for new matters of its category and severity; if false, only when named. */
  @Column('boolean', { default: true }) automatic: boolean;
  @Column('uuid', { name: 'ladder_id' }) ladderId: string;
  /** At the top rung, once overdue: a repeat reminder this often (ISO-8601). */
  @Column('text', { name: 'repeat_every', nullable: true }) repeatEvery: string | null;
  /** How long after resolving a matter may be reopened (ISO-8601). */
  @Column('text', { name: 'reopen_within', default: 'P30D' }) reopenWithin: string;
  /** Bumped by every edit; a matter keeps the version it was opened with. */
  @Column('int', { default: 1 }) version: number;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
