import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import { InjectRepository } from '@nestjs/typeorm';
import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Repository } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { type Actor, canReport, canSee, isProjectOffice } from '../../domain/src/access';
import { ActingPerson, BlockerAction, BlockerCategory, BlockerCommand, BlockerState, BlockerWorkflowInput, Severity, blockerWorkflowId } from '../../domain/src/blocker';
import { actUpdate, openedUpdate, resolveUpdate, systemResolveSignal } from '../../domain/src/blocker.contract';
import { OFFERED_ACTIONS, type OfferedAction, allowedActions, refusal } from '../../domain/src/blocker-rules';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { colourSql } from '../../domain/src/colour';
import { DEFAULT_LADDER_RUNGS, type LadderRung } from '../../domain/src/ladder';
import type { RequestContext } from '../../identity/src/context';
import { OrgUnit } from '../../org/src/org-unit.entity';
import { containsPattern, searchText } from '../../persistence/src/like';
import { Page, pageOf } from '../../persistence/src/page';
import { Project } from '../../projects/src/project.entity';
import { notYours, scopeOf } from '../../projects/src/projects.service';
import { visibleProjects } from '../../projects/src/visibility';
import { Blocker } from './blocker.entity';
import { BlockerEvent } from './blocker-event.entity';
import { EscalationPolicy } from './escalation-policy.entity';
import { PoliciesService } from './policies.service';
import { actingRungs, activeDelegators, type Delegator } from './acting-rungs';
import { temporalCall, updateIdFor, uuidV5 } from '../../temporal/src/calls';

export const BLOCKER = { zh: '问题', en: 'Blocker' };

export interface ReportBlocker {
  category: BlockerCategory;
  severity: Severity;
  title: string;
  description: string;
  policyId?: string;
  responsibleUnitId?: string;
  /** A first due time set by the assigner (交办时限); the project office or the project's liaison leader only. */
  dueAt?: string;
}

export const COLOURS = ['green', 'yellow', 'red'] as const;
export type Colour = (typeof COLOURS)[number];

export interface BlockerListQuery {
  projectId?: string;
  unitId?: string;
  status?: 'open' | 'resolved';
  rung?: string;
  category?: BlockerCategory;
  colour?: Colour;
  dueBefore?: Date;
  sort?: 'dueAt' | 'reportedAt' | 'updatedAt';
  order?: 'asc' | 'desc';
  /** Search text over the title. */
  q?: string;
  page: number;
  pageSize: number;
}

/** The names people read beside a matter's ids. */
export interface MatterNames {
  projectName: string;
  projectCode: string;
  responsibleUnitName: string | null;
  reportedByName: string | null;
}
export type BlockerDetail = Blocker & MatterNames & { colour: Colour | null; events: BlockerEvent[]; allowedActions: OfferedAction[] };

const UNIT_NAME_SQL = '(SELECT u.name FROM org_unit u WHERE u.id = b.responsible_unit_id)';
const REPORTER_NAME_SQL = '(SELECT r.name FROM person r WHERE r.id = b.reported_by)';

/** Green, yellow (in the warning window) or red (overdue) — for open matters. */
const COLOUR_SQL = colourSql({ running: `b.status = 'open'`, dueAt: 'b.due_at', warnAt: 'b.warn_at' });

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
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
    private readonly calendar: CalendarStore,
  ) {}

  /** Reports a blocker: starts its escalation workflow and waits until the report is recorded. */
  async report(ctx: RequestContext, projectId: string, r: ReportBlocker): Promise<BlockerDetail> {
    const project = await this.projects.findOne({ where: { id: projectId }, relations: { liaisonLeaders: true } });
    if (!project) throw DomainError.notFound({ zh: '项目', en: 'Project' }, projectId);
    const actor = ctx.actor;
    if (actor.kind !== 'person' || !canReport(actor, scopeOf(project))) {
      throw DomainError.forbidden(
        '只有本项目的责任单位、包联领导或项目办可以报告问题',
        'Only the project’s unit, its liaison leader or the project office may report a blocker on it',
      );
    }
    if (r.responsibleUnitId && !(await this.projects.manager.exists(OrgUnit, { where: { id: r.responsibleUnitId } }))) {
      throw DomainError.notFound({ zh: '责任单位', en: 'Responsible unit' }, r.responsibleUnitId);
    }
    if (r.policyId && !isProjectOffice(actor)) throw DomainError.forbidden('只有项目办可以为问题指定督办规则', 'Only the project office may choose a policy for a blocker');
    if (r.dueAt) {
      const leader = project.liaisonLeaders?.some((l) => l.id === actor.personId);
      if (!isProjectOffice(actor) && !leader)
        throw DomainError.forbidden('只有项目办或包联领导可以指定交办时限', 'Only the project office or the liaison leader may set the due time');
      if (Date.parse(r.dueAt) <= Date.now()) throw new DomainError(DomainErrorCode.Invalid, '交办时限须晚于当前时间', 'The due time must be in the future');
    }
    const policy = await this.choosePolicy(r);
    const ladder = await this.policies.ladder(policy.ladderId);
    // With an Idempotency-Key the id (hence the workflow id) derives from the key and the report itself:
    // a retry after a lost answer, even one whose API process died after starting the workflow, finds the same workflow.
    const blockerId = ctx.idempotencyKey ? uuidV5('blocker', ctx.idempotencyKey, projectId, JSON.stringify(r)) : randomUUID();
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
      ladder: ladder.rungs,
      repeatEvery: policy.repeatEvery ?? undefined,
      reopenWithin: policy.reopenWithin,
      firstDueAt: r.dueAt ? new Date(r.dueAt).toISOString() : undefined,
    };
    const workflowId = blockerWorkflowId(blockerId);
    const start = new WithStartWorkflowOperation('blockerEscalation', {
      workflowId,
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [input],
      // A retry joins the workflow its first attempt started; a finished matter is never started again under its id.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      await temporalCall(this.temporal, () =>
        this.temporal.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: start, updateId: updateIdFor(ctx, workflowId, 'opened') }),
      );
    } catch (err) {
      // Reported under this key long ago and finished since: the answer is that matter.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError && ctx.idempotencyKey)) throw err;
    }
    return this.get(blockerId, actor);
  }

  /**
   * A matter the system opens itself (an overdue stage, a late start): no
   * reporting person, the project's unit responsible, the policy chosen by
   * category. Idempotent on `blockerId`: a retry finds the matter already open.
   */
  async openAutomatic(m: {
    blockerId: string;
    projectId: string;
    category: BlockerCategory;
    title: string;
    description: string;
    /** Default: the project's unit. */
    responsibleUnitId?: string;
    /** A policy by name (the approvals ladder's); default: chosen by category. */
    policyName?: string;
    /** Back-dated start and a first due time (already passed: the matter climbs at once, recorded at that instant). */
    reportedAt?: string;
    firstDueAt?: string;
  }): Promise<void> {
    const project = await this.projects.findOneBy({ id: m.projectId });
    if (!project) throw DomainError.notFound({ zh: '项目', en: 'Project' }, m.projectId);
    const policy = m.policyName
      ? await this.policies.byName(m.policyName)
      : await this.choosePolicy({ category: m.category, severity: 'normal', title: m.title, description: m.description });
    const ladder = await this.policies.ladder(policy.ladderId);
    const input: BlockerWorkflowInput = {
      blockerId: m.blockerId,
      projectId: m.projectId,
      responsibleUnitId: m.responsibleUnitId ?? project.responsibleUnitId,
      category: m.category,
      severity: 'normal',
      title: m.title,
      description: m.description,
      reportedBy: null,
      ...(m.reportedAt && { reportedAt: m.reportedAt }),
      ...(m.firstDueAt && { firstDueAt: m.firstDueAt }),
      reporterName: '系统',
      policyId: policy.id,
      rungs: policy.rungs,
      ladder: ladder.rungs,
      repeatEvery: policy.repeatEvery ?? undefined,
      reopenWithin: policy.reopenWithin,
    };
    // Started, not awaited: waiting for the matter's first record would hold an activity slot its own activities may need.
    await temporalCall(this.temporal, () =>
      this.temporal.workflow
        .start('blockerEscalation', {
          workflowId: blockerWorkflowId(m.blockerId),
          taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // A retried activity after the matter was resolved and its process closed must not open it again.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // closed already: the matter was opened (and is done)
        }),
    );
  }

  /** Resolves a matter the system opened, once what opened it is gone (the stage done). Already resolved: nothing to do. */
  async resolveAutomatic(blockerId: string, resolution: string): Promise<void> {
    try {
      await temporalCall(this.temporal, () => this.temporal.workflow.getHandle(blockerWorkflowId(blockerId)).signal(systemResolveSignal, { resolution }));
    } catch (err) {
      // A matter whose process has ended is resolved already.
      if (err instanceof WorkflowNotFoundError) return;
      throw err;
    }
  }

  /**
   * A person's action on a matter (签收, 进展反馈, 办结, 主动上报, 延期, 转办, 重新打开, 催办):
   * checked here against the read model, then by the workflow against the live state.
   */
  async act(ctx: RequestContext, id: string, action: BlockerAction): Promise<BlockerDetail> {
    const { blocker, project } = await this.load(id, ctx.actor);
    const actor = ctx.actor;
    if (actor.kind !== 'person') throw DomainError.forbidden('只有人员可以办理问题', 'Only a person can act on a blocker');
    if (action.action === 'transfer') {
      const unit = await this.projects.manager.findOneBy(OrgUnit, { id: action.toUnitId });
      if (!unit) throw DomainError.notFound({ zh: '转办单位', en: 'Unit' }, action.toUnitId);
      action = { ...action, toUnitName: unit.name };
    }
    const ladder = ladderOf(blocker);
    const now = Date.now();
    const acting = await this.actingPerson(ctx, actor, blocker, project, ladder, action, now);
    const cmd = { ...action, actor: acting } as BlockerCommand;
    const refused = refusal(cmd, stateOf(blocker), ladder, now);
    // A keyed retry goes to the workflow even if the read model shows the action done: Temporal answers a
    // repeated update id with the first outcome, so a lost answer is found again instead of refused as a repeat.
    if (refused && !ctx.idempotencyKey) throw new DomainError(CODES[refused.type], refused.zh, refused.en);
    const updateId = updateIdFor(ctx, blocker.workflowId, `act:${action.action}`);
    await this.update(
      () => temporalCall(this.temporal, () => this.temporal.workflow.getHandle(blocker.workflowId).executeUpdate(actUpdate, { args: [cmd], updateId })),
      blocker,
      cmd,
      updateId,
    );
    return this.get(id, actor);
  }

  /**
   * Who acts, with the rungs they may act on now (actingRungs: their own, and
   * those of people who named them deputy). An action their own rungs allow is
   * theirs; one that needs a delegator's rung is taken as deputy for that
   * person, and says so (name 代…, deputyFor in the event and audit row).
   */
  private async actingPerson(
    ctx: RequestContext,
    actor: Extract<Actor, { kind: 'person' }>,
    blocker: Blocker,
    project: Project,
    ladder: LadderRung[],
    action: BlockerAction,
    now: number,
  ): Promise<ActingPerson> {
    const [self, ...deputies] = await this.actingAs(actor, blocker, project, ladder, now, ctx.requestId);
    const state = stateOf(blocker);
    const allowed = (a: ActingPerson) => !refusal({ ...action, actor: a } as BlockerCommand, state, ladder, now);
    if (allowed(self)) return self;
    // Refused either way: as deputy, the refusal says why (e.g. already acknowledged for them), not "not your rung".
    return deputies.find(allowed) ?? deputies[0] ?? self;
  }

  /** The person as themself, then as deputy for each person who named them (their own rungs plus the delegator's). */
  private async actingAs(
    actor: Extract<Actor, { kind: 'person' }>,
    blocker: Blocker,
    project: Project,
    ladder: LadderRung[],
    now: number,
    requestId: string,
  ): Promise<ActingPerson[]> {
    const scope = { projectId: project.id, responsibleUnitId: blocker.responsibleUnitId };
    const { own, deputised } = await actingRungs(this.blockers.manager, ladder, scope, actor.personId, now);
    const self: ActingPerson = {
      personId: actor.personId,
      name: actor.name,
      rungs: own,
      reporter: blocker.reportedBy === actor.personId,
      office: isProjectOffice(actor),
      supervision: actor.roles.includes('supervision'),
      requestId,
    };
    const deputies: ActingPerson[] = [];
    for (const d of new Map(deputised.map((x) => [x.delegator.delegationId, x.delegator])).values()) {
      const held = new Set([...own, ...deputised.filter((x) => x.delegator.delegationId === d.delegationId).map((x) => x.rung)]);
      deputies.push({
        ...self,
        name: `${actor.name}（代${d.name}）`,
        rungs: ladder.map((r) => r.key).filter((k) => held.has(k)),
        deputyFor: { personId: d.personId, name: d.name, delegationId: d.delegationId },
      });
    }
    return [self, ...deputies];
  }

  /** What the caller may do on the matter now (as themself or as a deputy): the buttons a page shows. */
  private async allowedFor(actor: Actor, blocker: Blocker, project: Project | null): Promise<OfferedAction[]> {
    if (actor.kind !== 'person' || !project) return [];
    const ladder = ladderOf(blocker);
    const now = Date.now();
    const variants = await this.actingAs(actor, blocker, project, ladder, now, '');
    const state = stateOf(blocker);
    const allowed = new Set(variants.flatMap((v) => allowedActions(v, state, ladder, now)));
    return OFFERED_ACTIONS.filter((a) => allowed.has(a));
  }

  async get(id: string, actor: Actor): Promise<BlockerDetail> {
    const { blocker } = await this.load(id, actor);
    const [project, events, [{ colour, unitName, reporterName }]] = await Promise.all([
      this.projects.findOneBy({ id: blocker.projectId }),
      this.events.find({ where: { blockerId: id }, order: { seq: 'ASC' } }),
      this.blockers.query(`SELECT ${COLOUR_SQL} AS colour, ${UNIT_NAME_SQL} AS "unitName", ${REPORTER_NAME_SQL} AS "reporterName" FROM blocker b WHERE b.id = $1`, [id]),
    ]);
    const names: MatterNames = { projectName: project?.name ?? '', projectCode: project?.code ?? '', responsibleUnitName: unitName ?? null, reportedByName: reporterName ?? null };
    return { ...blocker, ...names, colour, events, allowedActions: await this.allowedFor(actor, blocker, project) };
  }

  /** Blockers the actor may see, filtered and sorted in the database. */
  async list(actor: Actor, q: BlockerListQuery): Promise<Page<Blocker & MatterNames & { colour: Colour | null }>> {
    const sort = { dueAt: 'b.due_at', reportedAt: 'b.reported_at', updatedAt: 'b.updated_at' }[q.sort ?? 'dueAt'];
    const qb = this.blockers
      .createQueryBuilder('b')
      .innerJoin(Project, 'p', 'p.id = b.project_id')
      .addSelect(COLOUR_SQL, 'b_colour')
      .addSelect('p.name', 'b_project_name')
      .addSelect('p.code', 'b_project_code')
      .addSelect(UNIT_NAME_SQL, 'b_unit_name')
      .addSelect(REPORTER_NAME_SQL, 'b_reporter_name')
      .orderBy(sort, q.order === 'desc' ? 'DESC' : 'ASC', q.order === 'desc' ? 'NULLS LAST' : 'NULLS LAST')
      .addOrderBy('b.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    const visible = await this.visibleMatters(actor);
    if (visible) qb.andWhere(visible.sql, visible.params);
    if (q.projectId) qb.andWhere('b.project_id = :projectId', { projectId: q.projectId });
    if (q.unitId) qb.andWhere('b.responsible_unit_id = :unitId', { unitId: q.unitId });
    if (q.status) qb.andWhere('b.status = :status', { status: q.status });
    if (q.rung) qb.andWhere('b.rung = :rung', { rung: q.rung });
    if (q.category) qb.andWhere('b.category = :category', { category: q.category });
    if (q.colour) qb.andWhere(`${COLOUR_SQL} = :colour`, { colour: q.colour });
    if (q.dueBefore) qb.andWhere('b.due_at < :dueBefore', { dueBefore: q.dueBefore });
    const text = searchText(q.q);
    if (text) qb.andWhere(`b.title ILIKE :text ESCAPE '\\'`, { text: containsPattern(text) });
    const [rows, total] = await Promise.all([qb.getRawAndEntities(), qb.getCount()]);
    const items = rows.entities.map((b) => {
      const raw = rows.raw.find((r) => r.b_id === b.id);
      return {
        ...b,
        projectName: raw?.b_project_name ?? '',
        projectCode: raw?.b_project_code ?? '',
        responsibleUnitName: raw?.b_unit_name ?? null,
        reportedByName: raw?.b_reporter_name ?? null,
        colour: (raw?.b_colour ?? null) as Colour | null,
      };
    });
    return pageOf([items, total], q);
  }

  private async load(id: string, actor: Actor): Promise<{ blocker: Blocker; project: Project }> {
    const blocker = await this.blockers.findOneBy({ id });
    if (!blocker) throw DomainError.notFound(BLOCKER, id);
    const project = await this.projects.findOneOrFail({ where: { id: blocker.projectId }, relations: { liaisonLeaders: true } });
    const scope = scopeOf(project, blocker.responsibleUnitId);
    if (!canSee(actor, scope, 'blockers:read') && !(await this.seenThroughDelegation(actor, scope))) throw notYours();
    return { blocker, project };
  }

  /** The matters a list shows: the actor's own, and, for a deputy, those of each person they stand in for now. */
  private async visibleMatters(actor: Actor): Promise<{ sql: string; params: Record<string, unknown> } | null> {
    let visible = visibleProjects(actor, 'p', 'b.responsible_unit_id');
    if (!visible || actor.kind !== 'person') return visible;
    for (const [i, d] of (await activeDelegators(this.blockers.manager, actor.personId, Date.now())).entries()) {
      const theirs = visibleProjects(delegatorAsActor(d), 'p', 'b.responsible_unit_id');
      if (!theirs) return null;
      // Each condition names its parameters (:visUnit, :visPerson); suffixed so that they do not collide.
      const sql = theirs.sql.replace(/:(vis\w+)/g, `:$1_d${i}`);
      const params = Object.fromEntries(Object.entries(theirs.params).map(([k, v]) => [`${k}_d${i}`, v]));
      visible = { sql: `(${visible.sql} OR ${sql})`, params: { ...visible.params, ...params } };
    }
    return visible;
  }

  /** A deputy sees, for the period, the matters the person they stand in for sees (not a deputy's deputy's). */
  private async seenThroughDelegation(actor: Actor, scope: ReturnType<typeof scopeOf>): Promise<boolean> {
    if (actor.kind !== 'person') return false;
    const delegators = await activeDelegators(this.blockers.manager, actor.personId, Date.now());
    return delegators.some((d) => canSee(delegatorAsActor(d), scope, 'blockers:read'));
  }

  private async choosePolicy(r: ReportBlocker): Promise<EscalationPolicy> {
    if (r.policyId) return this.policies.get(r.policyId);
    const policy = await this.policies.choose(r.category, r.severity);
    if (!policy) throw new DomainError(DomainErrorCode.Conflict, `未配置${r.severity}级别的默认督办规则`, `No default escalation policy for severity ${r.severity}`);
    return policy;
  }

  /** Runs a workflow update, turning a refusal by the workflow into a DomainError; version-1 matters know only "resolve". */
  private async update<T>(run: () => Promise<T>, blocker: Blocker, cmd: BlockerCommand, updateId: string): Promise<T | BlockerState> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        if (/no registered handler/i.test(err.cause.message) && !blocker.ladder) return this.legacy(blocker, cmd, updateId);
        const code = CODES[err.cause.type as keyof typeof CODES] ?? DomainErrorCode.Conflict;
        const zh = typeof err.cause.details?.[0] === 'string' ? (err.cause.details[0] as string) : err.cause.message;
        throw new DomainError(code, zh, err.cause.message);
      }
      if (err instanceof Error && /already completed|workflow execution already completed/i.test(err.message)) {
        throw new DomainError(DomainErrorCode.Conflict, '该问题的办理流程已结束', 'The blocker’s process has ended');
      }
      throw err;
    }
  }

  private async legacy(blocker: Blocker, cmd: BlockerCommand, updateId: string): Promise<BlockerState> {
    if (cmd.action !== 'resolve')
      throw new DomainError(DomainErrorCode.Conflict, '该问题由旧版流程办理，仅支持办结', 'This blocker runs on the first version of the process: only resolve is possible');
    const v1 = { resolution: cmd.resolution, resolvedBy: cmd.actor.personId, resolverName: cmd.actor.name, requestId: cmd.actor.requestId, actorRungs: cmd.actor.rungs };
    return temporalCall(this.temporal, () => this.temporal.workflow.getHandle(blocker.workflowId).executeUpdate(resolveUpdate, { args: [v1], updateId: `${updateId}-v1` }));
  }
}

const CODES = { Forbidden: DomainErrorCode.Forbidden, Invalid: DomainErrorCode.Invalid, Conflict: DomainErrorCode.Conflict } as const;

/** The person a deputy stands in for, as the access rules see a person (their roles and unit, no session). */
const delegatorAsActor = (d: Delegator): Actor => ({ kind: 'person', personId: d.personId, accountId: '', sessionId: '', name: d.name, orgUnitId: d.orgUnitId, roles: d.roles });

export const ladderOf = (b: Blocker): LadderRung[] => b.ladder ?? DEFAULT_LADDER_RUNGS.slice(0, b.policyRungs.length);

/** The read model's view of the live state, for the API's first check. */
function stateOf(b: Blocker): BlockerState {
  return {
    blockerId: b.id,
    status: b.status,
    rungIndex: b.rungIndex,
    rung: b.rung,
    dueAt: b.dueAt?.toISOString() ?? null,
    warnAt: b.warnAt?.toISOString() ?? null,
    overdueAtTop: b.overdueAtTop,
    enteredRungAt: b.enteredRungAt?.toISOString(),
    responsibleUnitId: b.responsibleUnitId,
    acknowledgedBy: b.acknowledgedBy,
    extension: b.extension,
    resolvedAt: b.resolvedAt?.toISOString() ?? null,
    reopenUntil: b.reopenUntil?.toISOString() ?? null,
  };
}
