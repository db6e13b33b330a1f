import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BlockerEventType } from '../../domain/src/blocker';

/**
 * One transition of a blocker, recorded once: (blocker_id, seq) is unique and
 * seq comes from the workflow, so a retried activity cannot record it twice.
 */
@Entity('blocker_event')
export class BlockerEvent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'blocker_id' }) blockerId: string;
  @Column('int') seq: number;
  @Column('text') type: BlockerEventType;
  @Column('text', { name: 'from_rung', nullable: true }) fromRung: string | null;
  @Column('text', { name: 'to_rung', nullable: true }) toRung: string | null;
  /** A person's id, or `system` for what the workflow does by itself. */
  @Column('text') actor: string;
  @Column('text', { name: 'actor_name', default: '' }) actorName: string;
  /** What the event carried: the requested due time, the unit transferred to, … */
  @Column('jsonb', { default: {} }) details: Record<string, unknown>;
  /** 督办〔2026〕12号, on an escalation. */
  @Column('text', { name: 'document_no', nullable: true }) documentNo: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  /** When it happened: for a timer, the due instant itself. */
  @Column('timestamptz') at: Date;
  /** When the read model learned of it (later than `at` only if a worker was down). */
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
