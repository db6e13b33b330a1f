import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A local change to the working-day calendar: a day off (a local holiday) or an extra working day. */
@Entity('calendar_amendment')
export class CalendarAmendmentRow {
  @PrimaryColumn('date') date: string;
  @Column('text') kind: 'off' | 'work';
  @Column('text', { default: '' }) note: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  /** The year whose loaded holiday notice set this day (replaced or removed with it); null for the office's own amendments. */
  @Column('int', { name: 'notice_year', nullable: true }) noticeYear: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A year whose State Council notice the project office has loaded: no longer provisional. */
@Entity('calendar_notice_year')
export class CalendarNoticeYear {
  @PrimaryColumn('int') year: number;
  @Column('text', { default: '' }) note: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
