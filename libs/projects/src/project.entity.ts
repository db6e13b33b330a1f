import { Column, CreateDateColumn, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Person } from '../../org/src/person.entity';

export const PROJECT_CATEGORIES = {
  industry: '产业项目',
  infrastructure: '基础设施',
  social: '社会民生',
  urban: '城市建设',
  agriculture: '农业农村',
  other: '其他',
} as const;
export type ProjectCategory = keyof typeof PROJECT_CATEGORIES;

/** A key project (重点项目) on the county list. */
@Entity('project')
export class Project {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** 24-character national platform code (项目代码); the key other systems know it by. */
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') category: ProjectCategory;
  @Column('uuid', { name: 'responsible_unit_id' }) responsibleUnitId: string;
  /** Project owner (项目业主): the company or agency that builds it. */
  @Column('text') owner: string;
  @Column('uuid', { name: 'township_id', nullable: true }) townshipId: string | null;
  /** Total investment in 万元 (10,000 yuan), kept exact as a decimal string. */
  @Column('numeric', { name: 'total_investment', precision: 16, scale: 2 }) totalInvestment: string;
  @ManyToMany(() => Person)
  @JoinTable({ name: 'project_liaison_leader', joinColumn: { name: 'project_id' }, inverseJoinColumn: { name: 'person_id' } })
  liaisonLeaders?: Person[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
