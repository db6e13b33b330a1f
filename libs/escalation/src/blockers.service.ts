import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Repository } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { BlockerCategory, BlockerState, BlockerWorkflowInput, Severity, blockerWorkflowId } from '../../domain/src/blocker';
import { openedUpdate, resolveUpdate } from '../../domain/src/blocker.contract';
import { type Actor, canReport, canSee, isProjectOffice, mayActAtRung, rungsOf } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import type { RequestContext } from '../../identity/src/context';
import { RUNG_LABELS } from '../../domain/src/ladder';
import { notYours, scopeOf } from '../../projects/src/projects.service';
import { visibleProjects } from '../../projects/src/visibility';
import type { RungKey } from '../../domain/src/ladder';
import { OrgUnit as OrgUnitRef } from '../../org/src/org-unit.entity';
import { Person } from '../../org/src/person.entity';
import { Page, pageOf } from '../../persistence/src/page';
import { Project } from '../../projects/src/project.entity';
import { Blocker } from './blocker.entity';
import { BlockerEvent } from './blocker-event.entity';
import { EscalationPolicy } from './escalation-policy.entity';
import { PoliciesService } from './policies.service';

export const BLOCKER = { zh: '问题', en: 'Blocker' };

export interface ReportBlocker {
  category: BlockerCategory;
  severity: Severity;
  title: string;
  description: string;
  policyId?: string;
  responsibleUnitId?: string;
}

export interface BlockerListQuery {
  projectId?: string;
  status?: 'open' | 'resolved';
  rung?: RungKey;
  category?: BlockerCategory;
  page: number;
  pageSize: number;
}

export type BlockerDetail = Blocker & { projectName: string; events: BlockerEvent[] };

/**
 * Blocker commands go through Temporal (start, update); reads come from the
 * read model the workflow's activities keep current.
 */
@Injectable()
export class BlockersService {
  constructor(
    @InjectRepository(Blocker) private readonly blockers: Repository<Blocker>,
    @InjectRepository(BlockerEvent) private readonly events: Repository<BlockerEvent>,
    private readonly policies: PoliciesService,
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** Reports a blocker: starts its escalation workflow and waits until the report is recorded. */
  async report(ctx: RequestContext, projectId: string, r: ReportBlocker): Promise<BlockerDetail> {
    const project = await this.projects.findOne({ where: { id: projectId }, relations: { liaisonLeaders: true } });
    if (!project) throw DomainError.notFound({ zh: '项目', en: 'Project' }, projectId);
    const actor = ctx.actor;
    if (actor.kind !== 'person' || !canReport(actor, scopeOf(project))) {
      throw DomainError.forbidden('只有本项目的责任单位、包联领导或项目办可以报告问题', 'Only the project’s unit, its liaison leader or the project office may report a blocker on it');
    }
    if (r.responsibleUnitId && !(await this.people.manager.exists(OrgUnitRef, { where: { id: r.responsibleUnitId } }))) {
      throw DomainError.notFound({ zh: '责任单位', en: 'Responsible unit' }, r.responsibleUnitId);
    }
    if (r.policyId && !isProjectOffice(actor)) {
      throw DomainError.forbidden('只有项目办可以为问题指定督办规则', 'Only the project office may choose a policy for a blocker');
    }
    const policy = await this.choosePolicy(r);
    const blockerId = randomUUID();
    const input: BlockerWorkflowInput = {
      blockerId,
      projectId,
      responsibleUnitId: r.responsibleUnitId ?? project.responsibleUnitId,
      category: r.category,
      severity: r.severity,
      title: r.title.trim(),
      description: r.description.trim(),
      reportedBy: actor.personId,
      reporterName: actor.name,
      requestId: ctx.requestId,
      policyId: policy.id,
      rungs: policy.rungs,
    };
    const start = new WithStartWorkflowOperation('blockerEscalation', {
      workflowId: blockerWorkflowId(blockerId),
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    await this.temporal.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: start });
    return this.get(blockerId, actor);
  }

  /** Resolves (办结) a blocker through its workflow, which validates the command. */
  /** Resolves (办结): people on the matter's current rung or above; the workflow checks again. */
  async resolve(ctx: RequestContext, id: string, cmd: { resolution: string }): Promise<BlockerDetail> {
    const { blocker, project } = await this.load(id, ctx.actor);
    const actor = ctx.actor;
    if (actor.kind !== 'person') throw DomainError.forbidden('只有人员可以办结问题', 'Only a person can resolve a blocker');
    if (blocker.status === 'resolved') throw alreadyResolved();
    const actorRungs = rungsOf(actor, scopeOf(project, blocker.responsibleUnitId));
    const ladder = blocker.policyRungs.map((r) => r.rung);
    if (!mayActAtRung(actorRungs, ladder, blocker.rung, true)) {
      throw DomainError.forbidden(
        `该问题当前在${RUNG_LABELS[blocker.rung].zh}层级，只有该层级及以上人员可以办结`,
        `The blocker is on the ${RUNG_LABELS[blocker.rung].en} rung; only people on that rung or above may resolve it`,
      );
    }
    const command = { resolution: cmd.resolution, resolvedBy: actor.personId, resolverName: actor.name, requestId: ctx.requestId, actorRungs };
    await this.update(blocker.workflowId, () =>
      this.temporal.workflow.getHandle(blocker.workflowId).executeUpdate(resolveUpdate, { args: [command] }),
    );
    return this.get(id, actor);
  }

  /** A blocker with its events; refused (403) unless the actor may see its project. */
  async get(id: string, actor: Actor): Promise<BlockerDetail> {
    const { blocker } = await this.load(id, actor);
    const [project, events] = await Promise.all([
      this.projects.findOneBy({ id: blocker.projectId }),
      this.events.find({ where: { blockerId: id }, order: { seq: 'ASC' } }),
    ]);
    return { ...blocker, projectName: project?.name ?? '', events };
  }

  /** Blockers the actor may see, filtered in the database. */
  async list(actor: Actor, q: BlockerListQuery): Promise<Page<Blocker>> {
    const qb = this.blockers
      .createQueryBuilder('b')
      .innerJoin(Project, 'p', 'p.id = b.project_id')
      .orderBy('b.due_at', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    const visible = visibleProjects(actor, 'p', 'b.responsible_unit_id');
    if (visible) qb.andWhere(visible.sql, visible.params);
    if (q.projectId) qb.andWhere('b.project_id = :projectId', { projectId: q.projectId });
    if (q.status) qb.andWhere('b.status = :status', { status: q.status });
    if (q.rung) qb.andWhere('b.rung = :rung', { rung: q.rung });
    if (q.category) qb.andWhere('b.category = :category', { category: q.category });
    return pageOf(await qb.getManyAndCount(), q);
  }

  private async load(id: string, actor: Actor): Promise<{ blocker: Blocker; project: Project }> {
    const blocker = await this.blockers.findOneBy({ id });
    if (!blocker) throw DomainError.notFound(BLOCKER, id);
    const project = await this.projects.findOneOrFail({ where: { id: blocker.projectId }, relations: { liaisonLeaders: true } });
    if (!canSee(actor, scopeOf(project, blocker.responsibleUnitId), 'blockers:read')) throw notYours();
    return { blocker, project };
  }

  private async choosePolicy(r: ReportBlocker): Promise<EscalationPolicy> {
    if (r.policyId) return this.policies.get(r.policyId);
    const policy = await this.policies.choose(r.category, r.severity);
    if (!policy) {
      throw new DomainError(DomainErrorCode.Conflict, `未配置${r.severity}级别的默认督办规则`, `No default escalation policy for severity ${r.severity}`);
    }
    return policy;
  }

  /** Runs a workflow update, turning a refusal by the workflow's validator into a DomainError. */
  private async update<T>(workflowId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const code = err.cause.type === 'Invalid' ? DomainErrorCode.Invalid : err.cause.type === 'Forbidden' ? DomainErrorCode.Forbidden : DomainErrorCode.Conflict;
        const zh = typeof err.cause.details?.[0] === 'string' ? (err.cause.details[0] as string) : err.cause.message;
        throw new DomainError(code, zh, err.cause.message);
      }
      if (err instanceof Error && /already completed|workflow execution already completed/i.test(err.message)) {
        throw alreadyResolved();
      }
      throw err;
    }
  }
}

function alreadyResolved(): DomainError {
  return new DomainError(DomainErrorCode.Conflict, '该问题已办结，不能重复办结', 'Blocker is already resolved');
}
