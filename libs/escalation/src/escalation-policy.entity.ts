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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
