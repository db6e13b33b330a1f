import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BlockerCategory, BlockerStatus, Severity } from '../../domain/src/blocker';
import type { PolicyRung, RungKey } from '../../domain/src/ladder';

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
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
