import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiScope } from '../../domain/src/access';

/** A key for a system (e.g. a city platform pushing data); its secret is stored only as a keyed hash. */
@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  /** The public part of the key (`dbk_<prefix>_…`), to find it and to show it. */
  @Column('text', { unique: true }) prefix: string;
  @Column('text', { name: 'secret_hash', select: false }) secretHash: string;
  @Column('text', { array: true }) scopes: ApiScope[];
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
