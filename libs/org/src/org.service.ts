import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { Page, pageOf } from '../../persistence/src/page';
import { OrgUnit, OrgUnitKind } from './org-unit.entity';
import { Person, Role } from './person.entity';

export const ORG_UNIT = { zh: '单位', en: 'Org unit' };
export const PERSON = { zh: '人员', en: 'Person' };

@Injectable()
export class OrgService {
  constructor(
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async createUnit(ctx: RequestContext, input: { name: string; kind: OrgUnitKind }): Promise<OrgUnit> {
    if (await this.units.existsBy({ name: input.name })) {
      throw new DomainError(DomainErrorCode.Conflict, `单位名称已存在：${input.name}`, `An org unit named ${input.name} already exists`);
    }
    return this.ds.transaction(async (em) => {
      const unit = await em.save(em.create(OrgUnit, input));
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'org_unit.create', targetType: 'org_unit', targetId: unit.id, after: input, requestId: ctx.requestId });
      return unit;
    });
  }

  async setLeaderInCharge(ctx: RequestContext, id: string, leaderId: string | null, reason: string): Promise<OrgUnit> {
    const unit = await this.getUnit(id);
    if (leaderId) {
      const leader = await this.getPerson(leaderId);
      if (!leader.roles.includes('county_leader') && !leader.roles.includes('liaison_leader')) {
        throw new DomainError(DomainErrorCode.Invalid, `${leader.name}不是县级领导，不能分管部门`, `${leader.name} is not a county-level leader`);
      }
    }
    return this.ds.transaction(async (em) => {
      await em.update(OrgUnit, { id }, { leaderInChargeId: leaderId });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'org_unit.leader_in_charge',
        targetType: 'org_unit',
        targetId: id,
        before: { leaderInChargeId: unit.leaderInChargeId },
        after: { leaderInChargeId: leaderId },
        reason,
        requestId: ctx.requestId,
      });
      return { ...unit, leaderInChargeId: leaderId };
    });
  }

  async listUnits(q: { kind?: OrgUnitKind; page: number; pageSize: number }): Promise<Page<OrgUnit>> {
    const found = await this.units.findAndCount({
      where: q.kind ? { kind: q.kind } : {},
      order: { name: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(found, q);
  }

  async getUnit(id: string): Promise<OrgUnit> {
    const unit = await this.units.findOneBy({ id });
    if (!unit) throw DomainError.notFound(ORG_UNIT, id);
    return unit;
  }

  async createPerson(ctx: RequestContext, input: { name: string; title?: string; orgUnitId: string; roles: Role[]; email?: string; phone?: string }): Promise<Person> {
    await this.getUnit(input.orgUnitId);
    return this.ds.transaction(async (em) => {
      const person = await em.save(em.create(Person, { ...input, title: input.title ?? '', email: input.email ?? null, phone: input.phone ?? null }));
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'person.create',
        targetType: 'person',
        targetId: person.id,
        after: summary(person),
        requestId: ctx.requestId,
      });
      return person;
    });
  }

  /** Moves a person to another unit, changes their post or roles (what they may do); reason required. */
  async updatePerson(ctx: RequestContext, id: string, change: { orgUnitId?: string; title?: string; roles?: Role[]; reason: string }): Promise<Person> {
    const before = await this.getPerson(id);
    if (change.orgUnitId) await this.getUnit(change.orgUnitId);
    const patch = {
      ...(change.orgUnitId !== undefined && { orgUnitId: change.orgUnitId }),
      ...(change.title !== undefined && { title: change.title }),
      ...(change.roles !== undefined && { roles: change.roles }),
    };
    if (!Object.keys(patch).length) throw new DomainError(DomainErrorCode.Invalid, '没有需要修改的内容', 'Nothing to change');
    if (ctx.actor.kind === 'person' && ctx.actor.personId === id && change.roles && !change.roles.includes('project_office') && before.roles.includes('project_office')) {
      throw new DomainError(DomainErrorCode.Conflict, '不能取消自己的项目办角色', 'You cannot remove your own project office role');
    }
    return this.ds.transaction(async (em) => {
      await em.update(Person, id, patch);
      const after = await em.findOneByOrFail(Person, { id });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'person.update',
        targetType: 'person',
        targetId: id,
        before: summary(before),
        after: summary(after),
        reason: change.reason,
        requestId: ctx.requestId,
      });
      return after;
    });
  }

  async listPeople(q: { orgUnitId?: string; role?: Role; page: number; pageSize: number }): Promise<Page<Person>> {
    const qb = this.people
      .createQueryBuilder('p')
      .orderBy('p.name', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    if (q.orgUnitId) qb.andWhere('p.org_unit_id = :unit', { unit: q.orgUnitId });
    if (q.role) qb.andWhere(':role = ANY(p.roles)', { role: q.role });
    return pageOf(await qb.getManyAndCount(), q);
  }

  async getPerson(id: string): Promise<Person> {
    const person = await this.people.findOneBy({ id });
    if (!person) throw DomainError.notFound(PERSON, id);
    return person;
  }
}

const summary = (p: Person) => ({ name: p.name, title: p.title, orgUnitId: p.orgUnitId, roles: p.roles });
