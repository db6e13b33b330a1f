import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A dedicated coordination meeting (专题协调会) of the county committee. */
@Entity('coordination_meeting')
export class CoordinationMeeting {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') title: string;
  @Column('timestamptz', { name: 'scheduled_at' }) scheduledAt: Date;
  @Column('text') status: 'planned' | 'held';
  @Column('timestamptz', { name: 'held_at', nullable: true }) heldAt: Date | null;
  @Column('text', { default: '' }) minutes: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A matter on a held meeting's agenda, as it stood when the meeting was closed. */
@Entity('meeting_agenda_item')
export class MeetingAgendaItem {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId: string;
  @PrimaryColumn('uuid', { name: 'blocker_id' }) blockerId: string;
}

/** A decision (议定事项): an owner, a due date, and a matter of its own on the ladder until closed off (销号). */
@Entity('meeting_decision')
export class MeetingDecision {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId: string;
  @Column('uuid', { name: 'source_blocker_id', nullable: true }) sourceBlockerId: string | null;
  @Column('text') text: string;
  @Column('uuid', { name: 'owner_unit_id' }) ownerUnitId: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('uuid', { name: 'decision_blocker_id' }) decisionBlockerId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
