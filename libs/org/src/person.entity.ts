import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ROLE_KEYS, RoleKey } from '../../domain/src/access';
import { OrgUnit } from './org-unit.entity';

/**
 * Roles a person holds. Who sits on a rung is resolved from these at the
 * moment a matter reaches it (people change jobs).
 */
export const ROLES = ROLE_KEYS;
export type Role = RoleKey;

/** The fields of a person that only some may read (see mayReadContact); any new contact column belongs here. */
export const CONTACT_FIELDS = ['email', 'phone', 'dingtalkUserId', 'wecomUserId', 'feishuOpenId'] as const;

@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  /** Post, e.g. 县发改局局长. */
  @Column('text', { default: '' }) title: string;
  @Column('uuid', { name: 'org_unit_id' }) orgUnitId: string;
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnit;
  @Column('text', { array: true, default: () => "'{}'" }) roles: Role[];
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  /** Contact points on the county's work platforms (notices by DingTalk work notification, WeCom application message). */
  @Column('text', { name: 'dingtalk_user_id', nullable: true }) dingtalkUserId: string | null;
  @Column('text', { name: 'wecom_user_id', nullable: true }) wecomUserId: string | null;
  @Column('text', { name: 'feishu_open_id', nullable: true }) feishuOpenId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
