import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BlockerCategory, BlockerStatus, Severity } from '../../domain/src/blocker';
import type { LadderRung, PolicyRung, RungKey } from '../../domain/src/ladder';

/** Read model of a blocker (问题/卡点); written only by the escalation workflow's activities. */
@Entity('blocker')
export class Blocker {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'responsible_unit_id' }) responsibleUnitId: string;
  @Column('text') category: BlockerCategory;
  @Column('text') severity: Severity;
  @Column('text') title: string;
  @Column('text') description: string;
  @Column('uuid', { name: 'reported_by' }) reportedBy: string;
  @Column('timestamptz', { name: 'reported_at' }) reportedAt: Date;
  @Column('uuid', { name: 'policy_id', nullable: true }) policyId: string | null;
  /** The policy as it was when the matter was opened. */
  @Column('jsonb', { name: 'policy_rungs' }) policyRungs: PolicyRung[];
  @Column('text') status: BlockerStatus;
  @Column('text') rung: RungKey;
  @Column('int', { name: 'rung_index' }) rungIndex: number;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('boolean', { name: 'overdue_at_top', default: false }) overdueAtTop: boolean;
  @Column('text', { nullable: true }) resolution: string | null;
  @Column('uuid', { name: 'resolved_by', nullable: true }) resolvedBy: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('text', { name: 'workflow_id' }) workflowId: string;
  /** v2: the ladder as it was when the matter was opened (null: opened by version 1, the default ladder). */
  @Column('jsonb', { nullable: true }) ladder: LadderRung[] | null;
  @Column('text', { name: 'repeat_every', nullable: true }) repeatEvery: string | null;
  @Column('text', { name: 'reopen_within', nullable: true }) reopenWithin: string | null;
  /** When the reminder before the due time goes out; the colour turns yellow then. */
  @Column('timestamptz', { name: 'warn_at', nullable: true }) warnAt: Date | null;
  /** The due time falls in a year whose holiday notice is not loaded yet. */
  @Column('boolean', { default: false }) provisional: boolean;
  @Column('timestamptz', { name: 'entered_rung_at', nullable: true }) enteredRungAt: Date | null;
  @Column('uuid', { name: 'acknowledged_by', array: true, default: () => "'{}'" }) acknowledgedBy: string[];
  @Column('jsonb', { nullable: true }) extension: { requestedBy: string; until: string; reason: string; at: string } | null;
  @Column('timestamptz', { name: 'reopen_until', nullable: true }) reopenUntil: Date | null;
  @Column('int', { name: 'last_seq', default: 0, select: false }) lastSeq: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
