import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A login, linked to one person. What the account may do comes from the
 * person's roles and unit (the organisation model), not from the account.
 */
@Entity('account')
export class Account {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'person_id', unique: true }) personId: string;
  /** Lower-case; unique. */
  @Column('text', { unique: true }) username: string;
  /** argon2id, with its parameters in the string. Never serialised. */
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  @Column('text') status: 'active' | 'disabled';
  @Column('int', { name: 'failed_logins', default: 0 }) failedLogins: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil: Date | null;
  /** Set by an administrator's reset: the person must choose a new password first. */
  @Column('boolean', { name: 'must_change_password', default: false }) mustChangePassword: boolean;
  @Column('timestamptz', { name: 'password_changed_at' }) passwordChangedAt: Date;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
