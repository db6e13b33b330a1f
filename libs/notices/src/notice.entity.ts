import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What a person finds in their inbox. (event_id, recipient_id, channel) is
 * unique: a notice is delivered at most once per event, recipient and channel.
 */
export const NOTICE_KINDS = [
  'assigned',
  'reminder',
  'escalation',
  'copy',
  'overdue',
  'repeat_reminder',
  'remind',
  'progress',
  'extension_requested',
  'extension_decided',
  'transferred',
  'resolved',
  'reopened',
  'due_changed',
  // About a project, not a blocker's event:
  'stage_warning',
  'stage_overdue',
  'completion_reported',
  'completion_returned',
  'replan_requested',
  'replan_decided',
  'late_start',
  'investment_lag',
  'approval',
  // To the project office: a rung member reachable only in the inbox (once per person and day).
  'unreachable',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

@Entity('notice')
export class Notice {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** A blocker's event; null for a notice about a project (then `sourceKey` names what it is about). */
  @Column('uuid', { name: 'event_id', nullable: true }) eventId: string | null;
  @Column('uuid', { name: 'blocker_id', nullable: true }) blockerId: string | null;
  @Column('uuid', { name: 'project_id', nullable: true }) projectId: string | null;
  @Column('text', { name: 'source_key', nullable: true }) sourceKey: string | null;
  @Column('uuid', { name: 'recipient_id' }) recipientId: string;
  @Column('text', { default: 'inbox' }) channel: string;
  @Column('text') kind: NoticeKind;
  /** 督办〔2026〕12号: the number of the escalation notice (and of its copy). */
  @Column('text', { name: 'document_no', nullable: true }) documentNo: string | null;
  @Column('text') rung: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('text', { name: 'title_en' }) titleEn: string;
  @Column('text', { name: 'body_en' }) bodyEn: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt: Date | null;
  /** Urgent notices pierce quiet hours and never wait for the digest (see libs/domain/src/notice-rules.ts). */
  @Column('boolean', { default: false }) urgent: boolean;
  /** An escalation notice asks for 签收: acknowledging it is the matter's acknowledge action. */
  @Column('boolean', { name: 'ack_required', default: false }) ackRequired: boolean;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt: Date | null;
  /** A deputy's copy (代): the person the deputy stands in for. */
  @Column('uuid', { name: 'deputy_for', nullable: true }) deputyFor: string | null;
  @Column('uuid', { name: 'delegation_id', nullable: true }) delegationId: string | null;
  /** Waits for the 08:30 digest instead of its own message; digestedAt once a digest listed it. */
  @Column('boolean', { default: false }) digest: boolean;
  @Column('timestamptz', { name: 'digested_at', nullable: true }) digestedAt: Date | null;
}
