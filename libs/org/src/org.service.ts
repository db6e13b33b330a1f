import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
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
  ) {}

  async createUnit(input: { name: string; kind: OrgUnitKind }): Promise<OrgUnit> {
    if (await this.units.existsBy({ name: input.name })) {
      throw new DomainError(DomainErrorCode.Conflict, `单位名称已存在：${input.name}`, `An org unit named ${input.name} already exists`);
    }
    return this.units.save(this.units.create(input));
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

  async createPerson(input: { name: string; title?: string; orgUnitId: string; roles: Role[]; email?: string; phone?: string }): Promise<Person> {
    await this.getUnit(input.orgUnitId);
    return this.people.save(
      this.people.create({ ...input, title: input.title ?? '', email: input.email ?? null, phone: input.phone ?? null }),
    );
  }

  async listPeople(q: { orgUnitId?: string; role?: Role; page: number; pageSize: number }): Promise<Page<Person>> {
    const qb = this.people.createQueryBuilder('p').orderBy('p.name', 'ASC').skip((q.page - 1) * q.pageSize).take(q.pageSize);
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
