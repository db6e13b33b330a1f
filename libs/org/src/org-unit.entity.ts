import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Kinds of body in a county: departments, townships, the committee, the offices. */
export const ORG_UNIT_KINDS = ['department', 'township', 'county_committee', 'project_office', 'supervision_office'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

@Entity('org_unit')
export class OrgUnit {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('text') kind: OrgUnitKind;
  /** The county leader in charge (分管县领导): the approvals ladder's third rung. */
  @Column('uuid', { name: 'leader_in_charge_id', nullable: true }) leaderInChargeId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
