import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { runUpdate } from '../../temporal/src/update-errors';
import { temporalCall, updateIdFor } from '../../temporal/src/calls';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { type Actor, canSee, isProjectOffice } from '../../domain/src/access';
import {
  type ApprovalAction,
  type ApprovalActor,
  type ApprovalItemInput,
  APPROVAL_STATUS_NAMES,
  approvalActUpdate,
  approvalLimitDays,
  approvalOpenedUpdate,
  approvalWorkflowId,
  effectiveLimitDaysSql,
} from '../../domain/src/approval';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, type RequestContext } from '../../identity/src/context';
import { Project } from '../../projects/src/project.entity';
import { holdsApprovalItem, notYours, scopeOf } from '../../projects/src/projects.service';

export const ITEM = { zh: '审批事项', en: 'Approval item' };
const IN_PROGRESS = ['submitted', 'supplement_requested', 'accepted', 'under_review'];
const limitOf = (i: { green: boolean; promised_days: number; green_factor: string }) =>
  approvalLimitDays({ green: i.green, promisedDays: i.promised_days, greenFactor: Number(i.green_factor) });

interface ItemRow {
  id: string;
  project_id: string;
  catalogue_item_id: string;
  name: string;
  stage: string;
  department_id: string;
  status: string;
  green: boolean;
  promised_days: number;
  green_factor: string;
  warning_days: number;
  deemed_accept_days: number;
  accept_with_deficiencies: boolean;
  suspend_on_missed_commitment: boolean;
  commitment_based: boolean;
  deemed_approval: boolean;
  verification_days: number;
  parallel: boolean;
}

/**
 * Approval items of key projects: the project's approval plan, the green
 * channel, one workflow per submitted item (commands go through it), and the
 * views over the read model its activities keep.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    private readonly audit: AuditService,
    private readonly calendar: CalendarStore,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** Grants the green channel (绿色通道) to a project: compressed limits, parallel submission, accept-with-deficiencies, commitment-based approval. */
  async grantGreenChannel(ctx: RequestContext, projectId: string, reason: string) {
    await this.project(projectId, ctx.actor);
    const a = ctx.actor;
    if (a.kind !== 'person' || !isProjectOffice(a)) throw DomainError.forbidden('只有项目办可以授予绿色通道', 'Only the project office may grant the green channel');
    return this.ds.transaction(async (em) => {
      const [row] = await em.query(
        `INSERT INTO green_channel (project_id, granted_by, granted_by_name, reason) VALUES ($1,$2,$3,$4) ON CONFLICT (project_id) DO NOTHING RETURNING granted_at AS "grantedAt"`,
        [projectId, a.personId, a.name, reason],
      );
      if (!row) throw new DomainError(DomainErrorCode.Conflict, '该项目已在绿色通道中', 'The project already has the green channel');
      // Items not yet submitted take the compressed limits; those under way keep theirs.
      await em.query(`UPDATE approval_item SET green = true, updated_at = now() WHERE project_id = $1 AND status = 'planned'`, [projectId]);
      await this.audit.record(em, { actor: auditActorOf(a), action: 'approval.green_channel', targetType: 'project', targetId: projectId, reason, requestId: ctx.requestId });
      return { projectId, green: true, grantedAt: row.grantedAt, grantedBy: a.name, reason };
    });
  }

  /** The items a project needs (by default those the catalogue lists for its category), each with its department. */
  async setPlan(ctx: RequestContext, projectId: string, catalogueItemIds: string[] | undefined, reason: string) {
    const project = await this.project(projectId, ctx.actor);
    if (!isProjectOffice(ctx.actor)) throw DomainError.forbidden('只有项目办可以制定项目审批计划', 'Only the project office sets a project’s approval plan');
    const chosen: { id: string; name: string; stage: string; department_id: string | null; department_name: string; resolved: string | null }[] = await this.ds.query(
      `SELECT c.id, c.name, c.stage, c.department_id, c.department_name, coalesce(c.department_id, (SELECT u.id FROM org_unit u WHERE u.name = c.department_name LIMIT 1)) AS resolved
         FROM approval_catalogue_item c WHERE c.active AND ${catalogueItemIds ? 'c.id = ANY($1::uuid[])' : '$1 = ANY(c.categories)'} ORDER BY c.stage, c.code`,
      [catalogueItemIds ?? project.category],
    );
    if (catalogueItemIds && chosen.length !== new Set(catalogueItemIds).size)
      throw DomainError.notFound({ zh: '目录中的审批事项', en: 'Catalogue item' }, catalogueItemIds.filter((id) => !chosen.some((c) => c.id === id)).join(', '));
    const orphan = chosen.filter((c) => !c.resolved);
    if (orphan.length)
      throw new DomainError(
        DomainErrorCode.Invalid,
        `以下审批事项的审批部门尚未登记：${orphan.map((c) => `${c.name}（${c.department_name}）`).join('、')}`,
        `No org unit for the department of: ${orphan.map((c) => c.name).join(', ')}`,
      );
    const [green] = await this.ds.query(`SELECT 1 FROM green_channel WHERE project_id = $1`, [projectId]);
    return this.ds.transaction(async (em) => {
      for (const c of chosen) {
        await em.query(
          `INSERT INTO approval_item (id, project_id, catalogue_item_id, name, stage, department_id, green) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (project_id, catalogue_item_id) DO NOTHING`,
          [randomUUID(), projectId, c.id, c.name, c.stage, c.resolved, !!green],
        );
      }
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'approval.plan',
        targetType: 'project',
        targetId: projectId,
        after: { items: chosen.map((c) => c.name) },
        reason,
        requestId: ctx.requestId,
      });
      return this.ofProject(ctx.actor, projectId, em.query.bind(em));
    });
  }

  /** The applicant submits an item: its workflow starts. Off the green channel a stage's items go one after another. */
  async submit(ctx: RequestContext, itemId: string, commitment?: string) {
    const item = await this.item(itemId);
    const project = await this.project(item.project_id, ctx.actor);
    const actor = this.actorFor(ctx, project, item);
    if (!actor.applicant) throw DomainError.forbidden('只有项目责任单位（申请方）或项目办可以申报', 'Only the applicant (the project’s unit) or the project office may submit');
    if (item.status !== 'planned')
      throw new DomainError(DomainErrorCode.Conflict, `该事项已申报（${APPROVAL_STATUS_NAMES[item.status as 'planned']}）`, 'The item is already submitted');
    if (!item.green || !item.parallel) {
      const [busy] = await this.ds.query(`SELECT name FROM approval_item WHERE project_id = $1 AND stage = $2 AND id <> $3 AND status = ANY($4)`, [
        item.project_id,
        item.stage,
        item.id,
        IN_PROGRESS,
      ]);
      if (busy)
        throw new DomainError(
          DomainErrorCode.Conflict,
          `非绿色通道并联审批，须逐项报批：${busy.name}尚在办理中`,
          `Without parallel approval the stage's items go one at a time: ${busy.name} is under way`,
        );
    }
    if (commitment && !(item.green && item.commitment_based))
      throw new DomainError(DomainErrorCode.Conflict, '该事项不适用告知承诺制（须为绿色通道项目且目录允许）', 'Commitment-based approval is not available for this item');
    const limitDays = limitOf(item);
    const input: ApprovalItemInput = {
      itemId,
      projectId: item.project_id,
      name: item.name,
      stage: item.stage,
      departmentId: item.department_id,
      limitDays,
      warningDays: item.warning_days,
      deemedAcceptDays: item.deemed_accept_days,
      green: item.green,
      acceptWithDeficiencies: item.green && item.accept_with_deficiencies,
      suspendOnMissedCommitment: item.suspend_on_missed_commitment,
      commitmentBased: item.green && item.commitment_based,
      verificationDays: item.verification_days,
      submittedBy: actor,
      commitment: commitment?.trim() || null,
      deemedApproval: item.deemed_approval,
    };
    // The row leaves 'planned' at once, so a second submission is refused; the workflow records the rest.
    const [claimed] = await this.ds.query(
      `UPDATE approval_item SET status = 'submitted', limit_days = $2, submitted_at = now(), updated_at = now() WHERE id = $1 AND status = 'planned' RETURNING id`,
      [itemId, limitDays],
    );
    if (!claimed) throw new DomainError(DomainErrorCode.Conflict, '该事项已申报', 'The item is already submitted');
    const start = new WithStartWorkflowOperation('approvalItem', {
      workflowId: approvalWorkflowId(itemId),
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      await temporalCall(this.temporal, () =>
        this.temporal.workflow.executeUpdateWithStart(approvalOpenedUpdate, { startWorkflowOperation: start, updateId: updateIdFor(ctx, approvalWorkflowId(itemId), 'opened') }),
      );
    } catch (err) {
      // Temporal did not take it (or did not say): give the claim back, so the retry is not refused as a second submission.
      // Safe either way: the workflow id is the item's, so a retry joins a workflow that did start.
      if (err instanceof DomainError && err.code === DomainErrorCode.Unavailable) {
        await this.ds.query(`UPDATE approval_item SET status = 'planned', submitted_at = NULL, updated_at = now() WHERE id = $1 AND status = 'submitted'`, [itemId]);
      }
      throw err;
    }
    return this.get(ctx.actor, itemId);
  }

  /** Green channel: every planned item of the stage at once (并联审批). */
  async submitStage(ctx: RequestContext, projectId: string, stage: string) {
    await this.project(projectId, ctx.actor);
    const [green] = await this.ds.query(`SELECT 1 FROM green_channel WHERE project_id = $1`, [projectId]);
    if (!green) throw new DomainError(DomainErrorCode.Conflict, '并联审批须先获批绿色通道', 'Parallel submission needs the green channel');
    const items: { id: string }[] = await this.ds.query(`SELECT id FROM approval_item WHERE project_id = $1 AND stage = $2 AND status = 'planned' ORDER BY name`, [
      projectId,
      stage,
    ]);
    if (!items.length) throw new DomainError(DomainErrorCode.Conflict, '该阶段没有待申报的审批事项', 'No planned item in this stage');
    const submitted = [];
    for (const i of items) submitted.push(await this.submit(ctx, i.id));
    return { submitted: submitted.length, items: submitted };
  }

  /** A department's or the applicant's action on an item, validated by its workflow against the live state. */
  async act(ctx: RequestContext, itemId: string, action: ApprovalAction) {
    const item = await this.item(itemId);
    const project = await this.project(item.project_id, ctx.actor, item.department_id);
    if (item.status === 'planned') throw new DomainError(DomainErrorCode.Conflict, '该事项尚未申报', 'The item is not submitted yet');
    const actor = this.actorFor(ctx, project, item);
    if (action.action === 'stopClock') {
      const cal = await this.calendar.current();
      action = { ...action, dueAt: cal.addWorkingDays(new Date(), Math.max(1, action.days)).at };
    }
    if (action.action === 'accept' && action.deficiencies) {
      const commitAt = DateTime.fromISO(action.deficiencies.commitOn, { zone: this.cfg.DUBAN_TIME_ZONE }).plus({ days: 1 });
      const cal = await this.calendar.current();
      const limitDays = limitOf(item);
      const limit = Date.parse(cal.addWorkingDays(new Date(), limitDays).at);
      if (!commitAt.isValid || commitAt.toMillis() <= Date.now())
        throw new DomainError(DomainErrorCode.Invalid, '承诺补齐日期须为今后的日期', 'The commitment date must be in the future');
      if (commitAt.toMillis() > limit + 1)
        throw new DomainError(
          DomainErrorCode.Invalid,
          `承诺补齐日期不得晚于承诺办理时限（${limitDays}个工作日）`,
          `The commitment date may not be later than the item's limit (${limitDays} working days)`,
        );
      action = { ...action, deficiencies: { ...action.deficiencies, commitAt: commitAt.toUTC().toISO()! } };
    }
    const updateId = updateIdFor(ctx, approvalWorkflowId(itemId), `act:${action.action}`);
    await runUpdate(
      () =>
        temporalCall(this.temporal, () =>
          this.temporal.workflow.getHandle(approvalWorkflowId(itemId)).executeUpdate(approvalActUpdate, { args: [{ ...action, actor }], updateId }),
        ),
      { zh: '该审批事项已办结', en: 'The item is decided' },
    );
    return this.get(ctx.actor, itemId);
  }

  /** One item: elapsed and paused working days against its limit, who holds it now, and its history. */
  async get(actor: Actor, itemId: string) {
    const item = await this.item(itemId);
    await this.project(item.project_id, actor, item.department_id);
    const [row] = await this.view(`a.id = $1`, [itemId]);
    const events = await this.ds.query(`SELECT seq, type, at, actor_name AS "actorName", reason, details FROM approval_item_event WHERE item_id = $1 ORDER BY seq`, [itemId]);
    return { ...row, events };
  }

  /** The project's approval plan as parallel lanes per stage, with each stage's critical (slowest) item. */
  async ofProject(actor: Actor, projectId: string, query: (sql: string, p: unknown[]) => Promise<never[]> = this.ds.query.bind(this.ds)) {
    await this.project(projectId, actor);
    const items = await this.view(`a.project_id = $1`, [projectId], query);
    const [green] = await query(`SELECT granted_at AS "grantedAt", granted_by_name AS "grantedBy", reason FROM green_channel WHERE project_id = $1`, [projectId]);
    const stages = [...new Set(items.map((i) => i.stage))].map((stage) => {
      const lanes = items.filter((i) => i.stage === stage);
      const open = lanes.filter((i) => i.status !== 'approved' && i.status !== 'rejected');
      // Critical: the open item furthest through (or past) its limit; when all are done, the one that took longest.
      const critical = [...(open.length ? open : lanes)].sort(
        (a, b) => b.elapsedDays / Math.max(1, b.limitDays ?? b.promisedDays) - a.elapsedDays / Math.max(1, a.limitDays ?? a.promisedDays) || b.elapsedDays - a.elapsedDays,
      )[0];
      return { stage, done: lanes.filter((i) => i.required).every((i) => i.status === 'approved'), lanes, criticalItemId: critical?.id ?? null };
    });
    return { projectId, greenChannel: green ?? null, stages };
  }

  /** Per department: decided items on time, average working days, green vs normal. */
  async departments(actor: Actor, q: { from?: string; to?: string }) {
    if (actor.kind === 'person' && !['project_office', 'county_leader', 'supervision', 'approval_staff', 'unit_head'].some((r) => (actor.roles as string[]).includes(r))) {
      throw DomainError.forbidden('无权查看部门审批统计', 'Not allowed to see department figures');
    }
    // As the workflow records them: on time is the decision event's own record (decidedOnTime: within the effective
    // limit after an extension, never escalated, not deemed approved), written in the transaction that set the status.
    const rows = await this.ds.query(
      `SELECT u.id AS "departmentId", u.name AS department, a.green,
              count(*) FILTER (WHERE a.status IN ('approved','rejected'))::int AS decided,
              count(*) FILTER (WHERE a.status IN ('approved','rejected')
                AND d.on_time IS TRUE)::int AS "onTime",
              round(avg(a.elapsed_days) FILTER (WHERE a.status IN ('approved','rejected')), 2)::float AS "averageDays",
              count(*) FILTER (WHERE a.status = ANY($3))::int AS "inProgress",
              count(*) FILTER (WHERE a.status = ANY($3) AND a.due_at < now())::int AS overdue
         FROM approval_item a JOIN org_unit u ON u.id = a.department_id
         LEFT JOIN LATERAL (SELECT (e.details->>'onTime')::boolean AS on_time FROM approval_item_event e
                             WHERE e.item_id = a.id AND e.type IN ('approved','rejected') ORDER BY e.seq DESC LIMIT 1) d ON true
        WHERE a.status <> 'planned' AND ($1::timestamptz IS NULL OR a.submitted_at >= $1) AND ($2::timestamptz IS NULL OR a.submitted_at < $2)
        GROUP BY 1, 2, 3 ORDER BY 2, 3`,
      [q.from ?? null, q.to ?? null, IN_PROGRESS],
    );
    const byDept = new Map<string, { departmentId: string; department: string; green: unknown; normal: unknown }>();
    for (const r of rows) {
      const d = byDept.get(r.departmentId) ?? { departmentId: r.departmentId, department: r.department, green: null, normal: null };
      const figures = {
        decided: r.decided,
        onTime: r.onTime,
        onTimeRate: r.decided ? Math.round((r.onTime / r.decided) * 10_000) / 100 : null,
        averageDays: r.averageDays,
        inProgress: r.inProgress,
        overdue: r.overdue,
      };
      if (r.green) d.green = figures;
      else d.normal = figures;
      byDept.set(r.departmentId, d);
    }
    return { departments: [...byDept.values()] };
  }

  /** The items matching `where` (over approval_item `a`), each with its clock in working days and who holds it. */
  async view(where: string, params: unknown[], query: (sql: string, p: unknown[]) => Promise<never[]> = this.ds.query.bind(this.ds)) {
    const rows: (Record<string, unknown> & {
      running: boolean;
      clockStart: string | null;
      usedDays: number;
      stage: string;
      status: string;
      required: boolean;
      elapsedDays: number;
      limitDays: number | null;
      promisedDays: number;
      id: string;
      escalationRung: string | null;
      department: string;
    })[] = await query(
      `SELECT a.id, a.project_id AS "projectId", p.name AS "projectName", p.code AS "projectCode", a.name, a.stage, a.status, a.required, a.green, ${effectiveLimitDaysSql('a')} AS "limitDays", a.limit_days AS "submittedLimitDays", c.promised_days AS "promisedDays", c.statutory_days AS "statutoryDays", c.deemed_accept_days AS "deemedAcceptDays",
              a.submitted_at AS "submittedAt", a.accepted_at AS "acceptedAt", a.due_at AS "dueAt", a.paused_since AS "pausedSince", a.paused_days AS "pausedDays",
              a.elapsed_days AS "usedDays", a.state->>'clockStart' AS "clockStart", a.decided_at AS "decidedAt", a.decision_reason AS "decisionReason", a.document_no AS "documentNo",
              a.deficiency, a.verification, a.escalation_blocker_id AS "escalationBlockerId", u.id AS "departmentId", u.name AS department,
              (SELECT b.rung FROM blocker b WHERE b.id = a.escalation_blocker_id AND b.status = 'open') AS "escalationRung"
         FROM approval_item a JOIN org_unit u ON u.id = a.department_id JOIN approval_catalogue_item c ON c.id = a.catalogue_item_id JOIN project p ON p.id = a.project_id
        WHERE ${where} ORDER BY a.stage, a.name`,
      params,
    );
    const cal = await this.calendar.current();
    const now = new Date();
    return rows.map((r) => {
      const elapsedDays = r.usedDays + (r.clockStart ? Math.max(0, cal.workingDaysBetween(r.clockStart, now).days) : 0);
      const holder =
        r.status === 'supplement_requested'
          ? { zh: '申请方（补正中）', en: 'the applicant (supplement awaited)' }
          : r.status === 'planned'
            ? { zh: '申请方（未申报）', en: 'the applicant (not submitted)' }
            : r.status === 'approved' || r.status === 'rejected'
              ? null
              : {
                  zh: `${r.department}${r.escalationRung ? `（已提级督办：${r.escalationRung}）` : ''}`,
                  en: `${r.department}${r.escalationRung ? ` (escalated: ${r.escalationRung})` : ''}`,
                };
      const { usedDays: _u, clockStart: _c, ...rest } = r;
      return {
        ...rest,
        statusName: APPROVAL_STATUS_NAMES[r.status as 'planned'],
        elapsedDays,
        remainingDays: r.limitDays === null ? null : r.limitDays - elapsedDays,
        overdue: r.limitDays !== null && elapsedDays > r.limitDays,
        holder,
      };
    });
  }

  private async item(id: string): Promise<ItemRow> {
    const [row] = await this.ds.query(
      `SELECT a.id, a.project_id, a.catalogue_item_id, a.name, a.stage, a.department_id, a.status, a.green, c.promised_days, c.green_factor, c.warning_days, c.deemed_accept_days,
              c.accept_with_deficiencies, c.suspend_on_missed_commitment, c.commitment_based, c.deemed_approval, c.verification_days, c.parallel
         FROM approval_item a JOIN approval_catalogue_item c ON c.id = a.catalogue_item_id WHERE a.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound(ITEM, id);
    return row;
  }

  /** The project, if the actor may see it, or (an approval department) holds one of its items. */
  private async project(id: string, actor: Actor, departmentId?: string): Promise<Project> {
    const project = await this.ds.getRepository(Project).findOne({ where: { id }, relations: { liaisonLeaders: true } });
    if (!project) throw DomainError.notFound({ zh: '项目', en: 'Project' }, id);
    const department = actor.kind === 'person' && departmentId !== undefined && actor.orgUnitId === departmentId;
    if (!department && !canSee(actor, scopeOf(project), 'projects:read') && !(await holdsApprovalItem(this.ds, actor, id))) throw notYours();
    return project;
  }

  private actorFor(ctx: RequestContext, project: Project, item: ItemRow): ApprovalActor {
    const a = ctx.actor;
    if (a.kind !== 'person') throw DomainError.forbidden('只有人员可以办理审批事项', 'Only a person can act on an approval item');
    return {
      personId: a.personId,
      name: a.name,
      department: a.orgUnitId === item.department_id && (a.roles.includes('approval_staff') || a.roles.includes('unit_head')),
      departmentHead: a.orgUnitId === item.department_id && a.roles.includes('unit_head'),
      applicant: isProjectOffice(a) || (a.orgUnitId === project.responsibleUnitId && (a.roles.includes('unit_staff') || a.roles.includes('unit_head'))),
      office: isProjectOffice(a),
      requestId: ctx.requestId,
    };
  }
}
