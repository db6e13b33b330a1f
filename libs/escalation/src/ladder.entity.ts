import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LadderRung } from '../../domain/src/ladder';

/** A ladder (层级): its rungs in order and who sits on each. The default is unit → liaison leader → county committee. */
@Entity('ladder')
export class Ladder {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('jsonb') rungs: LadderRung[];
  @Column('boolean', { name: 'is_default', default: false }) isDefault: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
