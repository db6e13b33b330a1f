import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { runUpdate } from '../../temporal/src/update-errors';
import { temporalCall, updateIdFor } from '../../temporal/src/calls';
import { DateTime } from 'luxon';
import { colourSql } from '../../domain/src/colour';
import { DataSource } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { type Actor, canSee, isProjectOffice } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { STAGES, type Stage, stageDeadline } from '../../domain/src/lifecycle';
import {
  type LifecycleAction,
  type LifecycleActor,
  type LifecycleInput,
  type LifecycleState,
  type StagePlan,
  lifecycleActUpdate,
  lifecycleOpenedUpdate,
  lifecycleWorkflowId,
  planProblem,
} from '../../domain/src/lifecycle-plan';
import type { RequestContext } from '../../identity/src/context';
import { Project } from '../../projects/src/project.entity';
import { notYours, scopeOf } from '../../projects/src/projects.service';

/** A plan as people write it: a due day per stage, optionally a start day (overlap) or "not applicable". */
export interface PlanDays {
  stages: { stage: Stage; dueOn: string; startsOn?: string | null; notApplicable?: string | null; doneOn?: string | null }[];
  /** Days of warning (yellow) before a due day ends; default DUBAN_STAGE_WARNING_DAYS. */
  warningDays?: number;
}

/** A finished lifecycle takes no new plan: its workflow id is never started again (see README, "Workflow ids"). */
const FINISHED = {
  zh: '该项目已竣工投产，全生命周期流程已结束，不能再制定或调整倒排工期计划',
  en: 'The project is complete: its lifecycle has ended and takes no new plan',
};

const COLOUR_SQL = colourSql({ running: `s.state = 'active'`, dueAt: 's.due_at', warnAt: 's.warn_at' });

/**
 * A project's milestone plan and stages. Commands go to its lifecycle
 * workflow (started with the first plan); reads come from the read model.
 */
@Injectable()
export class LifecycleService {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** Local due days → instants in the organisation's zone: due at the end of the day, yellow `warningDays` before. */
  toPlan(days: PlanDays): StagePlan[] {
    const zone = this.cfg.DUBAN_TIME_ZONE;
    const warn = days.warningDays ?? this.cfg.DUBAN_STAGE_WARNING_DAYS;
    const byStage = new Map(days.stages.map((s) => [s.stage, s]));
    const plan = STAGES.map((stage) => {
      const s = byStage.get(stage);
      if (!s) return { stage, dueOn: '', dueAt: '', warnAt: '' };
      const deadline = stageDeadline(s.dueOn, warn, zone);
      const starts = s.startsOn ? DateTime.fromISO(s.startsOn, { zone }) : null;
      if (!deadline || (starts && !starts.isValid)) return { stage, dueOn: 'invalid', dueAt: '', warnAt: '' };
      return {
        stage,
        dueOn: s.dueOn,
        ...deadline,
        startsOn: s.startsOn ?? null,
        startsAt: starts?.toUTC().toISO() ?? null,
        notApplicable: s.notApplicable?.trim() || null,
        ...(s.doneOn && { doneOn: s.doneOn }),
      };
    });
    const problem = planProblem(plan);
    if (problem) throw new DomainError(DomainErrorCode.Invalid, problem.zh, problem.en);
    return plan;
  }

  /** Sets a project's plan: the first one starts its lifecycle workflow; later ones replace the plan (the old stays in history). */
  async setPlan(ctx: RequestContext, projectId: string, days: PlanDays & { confirmCompletion?: boolean; reason: string }): Promise<LifecycleState> {
    const project = await this.project(projectId, ctx.actor);
    if (!isProjectOffice(ctx.actor))
      throw DomainError.forbidden('只有项目办可以制定或调整倒排工期计划（责任单位可申请调整）', 'Only the project office sets a plan (the unit may ask for a new one)');
    const plan = this.toPlan(days);
    await this.refuseIfFinished(projectId);
    const actor = await this.actorFor(ctx, project);
    const started = await this.startIfNew(projectId, plan, days.confirmCompletion ?? false, actor, days.reason);
    if (started) return started;
    return this.act(ctx, projectId, { action: 'setPlan', plan, reason: days.reason, confirmCompletion: days.confirmCompletion });
  }

  /** Starts the workflow unless it runs already; returns its first state, or null when it was running. */
  async startIfNew(projectId: string, plan: StagePlan[], confirmCompletion: boolean, setBy: LifecycleActor, reason: string, wait = true): Promise<LifecycleState | null> {
    await this.refuseIfFinished(projectId);
    const input: LifecycleInput = { projectId, plan, confirmCompletion, setBy, reason };
    // Running: FAIL (the caller sends the plan to it instead). Closed: REJECT_DUPLICATE, so a finished
    // lifecycle is never started again under its id, even when the read model is behind.
    const options = {
      workflowId: lifecycleWorkflowId(projectId),
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [input] as [LifecycleInput],
      workflowIdConflictPolicy: 'FAIL' as const,
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    };
    try {
      if (!wait) {
        await temporalCall(this.temporal, () => this.temporal.workflow.start('projectLifecycle', options));
        return null;
      }
      const start = new WithStartWorkflowOperation('projectLifecycle', options);
      return await temporalCall(this.temporal, () =>
        this.temporal.workflow.executeUpdateWithStart(lifecycleOpenedUpdate, { startWorkflowOperation: start, updateId: updateIdFor(undefined, options.workflowId, 'opened') }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError || (err instanceof Error && /already (started|running)/i.test(err.message))) return null;
      throw err;
    }
  }

  /** Reports / confirms a completion, marks n/a, asks for / decides on / sets a plan: validated by the workflow against its live state. */
  async act(ctx: RequestContext, projectId: string, action: LifecycleAction, as?: LifecycleActor): Promise<LifecycleState> {
    const project = await this.project(projectId, ctx.actor);
    const [running] = await this.ds.query(`SELECT workflow_id, completed_at FROM project_lifecycle WHERE project_id = $1`, [projectId]);
    if (!running) throw new DomainError(DomainErrorCode.Conflict, '该项目尚未制定倒排工期计划', 'The project has no milestone plan yet');
    if (running.completed_at) throw new DomainError(DomainErrorCode.Conflict, FINISHED.zh, FINISHED.en);
    const actor = as ?? (await this.actorFor(ctx, project));
    const updateId = updateIdFor(ctx, running.workflow_id, `act:${action.action}`);
    return runUpdate(
      () => temporalCall(this.temporal, () => this.temporal.workflow.getHandle(running.workflow_id).executeUpdate(lifecycleActUpdate, { args: [{ ...action, actor }], updateId })),
      FINISHED,
    );
  }

  /** Whether the project's lifecycle has ended (every stage settled). */
  async finished(projectId: string): Promise<boolean> {
    const [row] = await this.ds.query(`SELECT 1 FROM project_lifecycle WHERE project_id = $1 AND completed_at IS NOT NULL`, [projectId]);
    return !!row;
  }

  private async refuseIfFinished(projectId: string): Promise<void> {
    if (await this.finished(projectId)) throw new DomainError(DomainErrorCode.Conflict, FINISHED.zh, FINISHED.en);
  }

  newRequestId(): string {
    return randomUUID();
  }

  /** The plan and stages with their colours now, every revision, the replanning requests and the event log. */
  async get(actor: Actor, projectId: string) {
    const project = await this.project(projectId, actor);
    // The page shows the project's name and code without a second request.
    const named = { projectId, projectName: project.name, projectCode: project.code };
    const [lifecycle] = await this.ds.query(
      `SELECT revision, confirm_completion AS "confirmCompletion", current_stage AS "currentStage", late_start_blocker_id AS "lateStartBlockerId",
              pending_replan AS "pendingReplan", completed_at AS "completedAt", updated_at AS "updatedAt" FROM project_lifecycle WHERE project_id = $1`,
      [projectId],
    );
    if (!lifecycle) return { ...named, plan: null, stages: [], revisions: [], replanRequests: [], events: [] };
    const [stages, revisions, replanRequests, events] = await Promise.all([
      this.ds.query(
        `SELECT s.stage, s.state, ${COLOUR_SQL} AS colour, to_char(s.due_on, 'YYYY-MM-DD') AS "dueOn", s.due_at AS "dueAt", s.warn_at AS "warnAt",
                to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn", s.activated_at AS "activatedAt", s.done_at AS "doneAt", to_char(s.completed_on, 'YYYY-MM-DD') AS "completedOn",
                s.evidence, s.reported, s.not_applicable AS "notApplicable", s.schedule_blocker_id AS "scheduleBlockerId"
         FROM project_stage s WHERE s.project_id = $1 ORDER BY s.position`,
        [projectId],
      ),
      this.ds.query(
        `SELECT revision, plan, reason, kind, set_by AS "setBy", set_by_name AS "setByName", request_id AS "requestId", at FROM plan_revision WHERE project_id = $1 ORDER BY revision DESC`,
        [projectId],
      ),
      this.ds.query(
        `SELECT id, plan, reason, requested_by AS "requestedBy", requested_by_name AS "requestedByName", requested_at AS "requestedAt", status,
                decided_by AS "decidedBy", decided_by_name AS "decidedByName", decided_at AS "decidedAt", decision_reason AS "decisionReason"
         FROM replan_request WHERE project_id = $1 ORDER BY requested_at DESC`,
        [projectId],
      ),
      this.ds.query(
        `SELECT seq, type, at, actor_id AS "actorId", actor_name AS "actorName", reason, details FROM lifecycle_event WHERE project_id = $1 ORDER BY seq DESC LIMIT 200`,
        [projectId],
      ),
    ]);
    return { ...named, plan: lifecycle, stages, revisions, replanRequests, events };
  }

  private async project(id: string, actor: Actor): Promise<Project> {
    const project = await this.ds.getRepository(Project).findOne({ where: { id }, relations: { liaisonLeaders: true } });
    if (!project) throw DomainError.notFound({ zh: '项目', en: 'Project' }, id);
    if (!canSee(actor, scopeOf(project), 'projects:read')) throw notYours();
    return project;
  }

  /** Who acts, as the workflow's rules need to know them for this project. */
  private async actorFor(ctx: RequestContext, project: Project): Promise<LifecycleActor> {
    const a = ctx.actor;
    if (a.kind !== 'person') throw DomainError.forbidden('只有人员可以办理项目计划', 'Only a person can act on a project’s plan');
    return {
      personId: a.personId,
      name: a.name,
      office: isProjectOffice(a),
      liaison: (project.liaisonLeaders ?? []).some((l) => l.id === a.personId),
      unit: a.orgUnitId === project.responsibleUnitId && (a.roles.includes('unit_staff') || a.roles.includes('unit_head')),
      requestId: ctx.requestId,
    };
  }
}
