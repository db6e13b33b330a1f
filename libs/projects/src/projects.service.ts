import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { type Actor, canSee } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { isProjectCode } from '../../domain/src/project-code';
import { OrgUnit } from '../../org/src/org-unit.entity';
import { Person } from '../../org/src/person.entity';
import { containsPattern, searchText } from '../../persistence/src/like';
import { Page, pageOf } from '../../persistence/src/page';
import { Project, ProjectCategory } from './project.entity';
import { approvalDepartmentSql, visibleProjects } from './visibility';
import { type ProgressNote, progressHistory } from '../../ledger/src/progress-store';

/** A project as answers give it: with the names people read beside the ids. */
export type NamedProject = Project & { responsibleUnitName: string | null; townshipName: string | null };

export const PROJECT = { zh: '项目', en: 'Project' };

export interface CreateProject {
  code: string;
  name: string;
  category: ProjectCategory;
  responsibleUnitId: string;
  owner: string;
  townshipId?: string;
  totalInvestment: number;
  liaisonLeaderIds?: string[];
}

@Injectable()
export class ProjectsService {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, input: CreateProject): Promise<Project> {
    if (!isProjectCode(input.code)) {
      throw new DomainError(DomainErrorCode.Invalid, `项目代码格式不正确：${input.code}`, `Malformed project code: ${input.code}`);
    }
    if (await this.projects.existsBy({ code: input.code })) {
      throw new DomainError(DomainErrorCode.Conflict, `项目代码已存在：${input.code}`, `A project with code ${input.code} already exists`);
    }
    const unit = await this.units.findOneBy({ id: input.responsibleUnitId });
    if (!unit) throw DomainError.notFound({ zh: '责任单位', en: 'Responsible unit' }, input.responsibleUnitId);
    if (input.townshipId) {
      const township = await this.units.findOneBy({ id: input.townshipId });
      if (!township) throw DomainError.notFound({ zh: '乡镇', en: 'Township' }, input.townshipId);
      if (township.kind !== 'township') {
        throw new DomainError(DomainErrorCode.Invalid, `所选单位不是乡镇：${township.name}`, `Org unit ${township.name} is not a township`);
      }
    }
    const leaderIds = [...new Set(input.liaisonLeaderIds ?? [])];
    const leaders = leaderIds.length ? await this.people.findBy({ id: In(leaderIds) }) : [];
    const missing = leaderIds.filter((id) => !leaders.some((l) => l.id === id));
    if (missing.length) throw DomainError.notFound({ zh: '包联领导', en: 'Liaison leader' }, missing.join(', '));
    const notLeaders = leaders.filter((l) => !l.roles.includes('liaison_leader') && !l.roles.includes('county_leader'));
    if (notLeaders.length) {
      const names = notLeaders.map((l) => l.name).join('、');
      throw new DomainError(DomainErrorCode.Invalid, `以下人员不是县级领导，不能包联项目：${names}`, `Not a county-level leader, cannot be a liaison leader: ${names}`);
    }
    const saved = await this.ds.transaction(async (em) => {
      const project = await em.save(
        em.create(Project, {
          code: input.code,
          name: input.name,
          category: input.category,
          responsibleUnitId: input.responsibleUnitId,
          owner: input.owner,
          townshipId: input.townshipId ?? null,
          totalInvestment: input.totalInvestment.toFixed(2),
          liaisonLeaders: leaders,
        }),
      );
      const after = { code: input.code, name: input.name, category: input.category, responsibleUnitId: input.responsibleUnitId, liaisonLeaderIds: leaderIds };
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'project.create', targetType: 'project', targetId: project.id, after, requestId: ctx.requestId });
      return project;
    });
    return this.get(saved.id);
  }

  async list(
    actor: Actor,
    q: { responsibleUnitId?: string; townshipId?: string; liaisonLeaderId?: string; category?: ProjectCategory; q?: string; page: number; pageSize: number },
  ): Promise<Page<NamedProject>> {
    const qb = this.projects
      .createQueryBuilder('p')
      .leftJoinAndSelect('p.liaisonLeaders', 'l')
      .orderBy('p.code', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    const visible = visibleProjects(actor, 'p');
    // An approval clerk also sees the projects with an item at their department (their queue's projects).
    const department = approvalDepartmentSql(actor, 'p');
    if (visible) qb.andWhere(department ? `(${visible.sql} OR ${department.sql})` : visible.sql, { ...visible.params, ...department?.params });
    const text = searchText(q.q);
    if (text) qb.andWhere(`(p.name ILIKE :text ESCAPE '\\' OR p.code ILIKE :text ESCAPE '\\')`, { text: containsPattern(text) });
    if (q.responsibleUnitId) qb.andWhere('p.responsible_unit_id = :u', { u: q.responsibleUnitId });
    if (q.townshipId) qb.andWhere('p.township_id = :t', { t: q.townshipId });
    if (q.category) qb.andWhere('p.category = :c', { c: q.category });
    if (q.liaisonLeaderId) {
      qb.andWhere('EXISTS (SELECT 1 FROM project_liaison_leader pl WHERE pl.project_id = p.id AND pl.person_id = :ll)', { ll: q.liaisonLeaderId });
    }
    const [items, total] = await qb.getManyAndCount();
    return pageOf([await this.named(items), total], q);
  }

  /** A project; with an actor, refused (403) unless the actor may see it (or, an approval clerk, holds one of its items). */
  async get(id: string, actor?: Actor): Promise<NamedProject> {
    const project = await this.projects.findOne({ where: { id }, relations: { liaisonLeaders: true } });
    if (!project) throw DomainError.notFound(PROJECT, id);
    if (actor && !canSee(actor, scopeOf(project), 'projects:read') && !(await holdsApprovalItem(this.ds, actor, id))) throw notYours();
    return (await this.named([project]))[0];
  }

  /** The project's progress notes (形象进度, 存在问题, 下步计划) by month, to whoever may see the project. */
  async progressNotes(id: string, actor: Actor): Promise<ProgressNote[]> {
    await this.get(id, actor);
    return progressHistory(this.ds, id);
  }

  /** The responsible unit's and township's names beside their ids, in one query per page. */
  private async named(projects: Project[]): Promise<NamedProject[]> {
    const ids = [...new Set(projects.flatMap((p) => [p.responsibleUnitId, p.townshipId]).filter((x): x is string => !!x))];
    const rows: { id: string; name: string }[] = ids.length ? await this.ds.query(`SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[])`, [ids]) : [];
    const name = new Map(rows.map((r) => [r.id, r.name]));
    return projects.map((p) =>
      Object.assign(p, { responsibleUnitName: name.get(p.responsibleUnitId) ?? null, townshipName: p.townshipId ? (name.get(p.townshipId) ?? null) : null }),
    );
  }
}

/** A project as the access rules see it. */
export const scopeOf = (p: Project, matterUnitId?: string) => ({
  projectUnitId: p.responsibleUnitId,
  matterUnitId,
  liaisonLeaderIds: (p.liaisonLeaders ?? []).map((l) => l.id),
});

/** An approval department's clerk or head sees a project that has an item at their department. */
export async function holdsApprovalItem(ds: DataSource, actor: Actor, projectId: string): Promise<boolean> {
  if (actor.kind !== 'person' || !(actor.roles.includes('approval_staff') || actor.roles.includes('unit_head'))) return false;
  const [row] = await ds.query(`SELECT 1 FROM approval_item WHERE project_id = $1 AND department_id = $2 LIMIT 1`, [projectId, actor.orgUnitId]);
  return !!row;
}

export const notYours = () => DomainError.forbidden('无权查看或办理该项目（非本单位或非包联项目）', 'Not your project: neither your unit’s nor one you are liaison leader for');
