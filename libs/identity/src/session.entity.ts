import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One login on one device. It holds the current access token and refresh
 * token, both stored only as keyed hashes; refreshing rotates both, and a
 * rotated-out refresh token used again revokes the session (token theft).
 */
@Entity('session')
export class Session {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('text', { name: 'access_hash', unique: true }) accessHash: string;
  @Column('timestamptz', { name: 'access_expires_at' }) accessExpiresAt: Date;
  @Column('text', { name: 'refresh_hash', unique: true }) refreshHash: string;
  @Column('text', { name: 'previous_refresh_hash', nullable: true }) previousRefreshHash: string | null;
  @Column('timestamptz', { name: 'refresh_expires_at' }) refreshExpiresAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason: string | null;
  @Column('text', { name: 'user_agent', default: '' }) userAgent: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
