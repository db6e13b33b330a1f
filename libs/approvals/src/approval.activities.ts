import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { issueDocumentNo } from '../../persistence/src/document-numbers';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import type { ApprovalActor, ApprovalEventType, ApprovalItemState } from '../../domain/src/approval';
import { lifecycleActUpdate, lifecycleWorkflowId } from '../../domain/src/lifecycle-plan';
import { BlockersService } from '../../escalation/src/blockers.service';
import { temporalCall, updateIdFor } from '../../temporal/src/calls';
import { planDeliveries } from '../../notices/src/delivery-planner';

export interface ApprovalEventRecord {
  itemId: string;
  projectId: string;
  seq: number;
  type: ApprovalEventType;
  at: string;
  actor: ApprovalActor;
  reason: string | null;
  details: Record<string, unknown>;
  state: ApprovalItemState;
}

export const APPROVALS_POLICY = '审批超时督办';

/**
 * The approval item workflow's side effects: working days on the calendar,
 * its read model and audit rows (keyed by (item, seq)), its matters on the
 * ladder (keyed by the matter id it chose), and completing the project's
 * approval stage when the last required item is approved.
 */
@Injectable()
export class ApprovalActivities {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly calendar: CalendarStore,
    private readonly blockers: BlockersService,
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** `add`: the end of the n-th working day after `from`; `between`: working days after `from`'s day up to `to`'s. */
  async workingDays(a: { op: 'add' | 'between'; from: string; days?: number; to?: string }): Promise<{ at?: string; days?: number }> {
    const cal = await this.calendar.current();
    return a.op === 'add' ? { at: cal.addWorkingDays(a.from, a.days!).at } : { days: Math.max(0, cal.workingDaysBetween(a.from, a.to!).days) };
  }

  async recordApproval(events: ApprovalEventRecord[]): Promise<void> {
    await this.ds.transaction(async (em) => {
      for (const e of events) await this.recordOne(em, e);
    });
  }

  private async recordOne(em: EntityManager, e: ApprovalEventRecord): Promise<void> {
    const inserted = await em.query(
      `INSERT INTO approval_item_event (item_id, seq, type, at, actor_id, actor_name, reason, details) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (item_id, seq) DO NOTHING RETURNING seq`,
      [e.itemId, e.seq, e.type, e.at, e.actor.personId, e.actor.name, e.reason, JSON.stringify(e.details)],
    );
    if (!inserted.length) return;
    const s = e.state;
    await em.query(
      `UPDATE approval_item SET status = $3, submitted_at = $4, accepted_at = $5, due_at = $6, warn_at = $7, remaining_days = $8, paused_since = $9, paused_days = $10,
         elapsed_days = $11, decided_at = $12, decision_reason = $13, document_no = $14, deficiency = $15, verification = $16, escalation_blocker_id = $17, state = $18,
         last_seq = $2, updated_at = $19
       WHERE id = $1 AND last_seq < $2`,
      [
        e.itemId,
        e.seq,
        s.status,
        s.submittedAt,
        s.acceptedAt,
        s.dueAt,
        s.warnAt,
        s.remainingDays,
        s.pausedSince,
        s.pausedDays,
        s.usedDays,
        s.decidedAt,
        s.reason,
        s.documentNo,
        s.deficiency ? JSON.stringify(s.deficiency) : null,
        s.verification ? JSON.stringify(s.verification) : null,
        s.escalationBlockerId,
        JSON.stringify(s),
        e.at,
      ],
    );
    await this.notify(em, e);
    await this.audit.record(em, {
      actor: e.actor.system || !e.actor.personId ? { kind: 'system', id: null, name: 'system' } : { kind: 'person', id: e.actor.personId, name: e.actor.name },
      action: `approval.${e.type}`,
      targetType: 'approval_item',
      targetId: e.itemId,
      after: { status: s.status, dueAt: s.dueAt, ...e.details },
      reason: e.reason,
      requestId: e.actor.requestId ?? null,
    });
  }

  /**
   * The department hears when an item reaches its queue (submitted, or back with the supplement) and of a
   * warning; the applicant of a supplement request and a decision.
   */
  private async notify(em: EntityManager, e: ApprovalEventRecord): Promise<void> {
    const to = ['submitted', 'material_supplied', 'warning', 'clock_stop_overdue', 'deemed_approved'].includes(e.type)
      ? 'department'
      : ['supplement_requested', 'approved', 'rejected', 'deemed_accepted', 'extended'].includes(e.type)
        ? 'applicant'
        : null;
    // Approved at once on a written commitment (告知承诺制): nothing waits in the department's queue.
    if (!to || (e.type === 'submitted' && e.details.commitment)) return;
    const [i]: { name: string; project: string; department_id: string; unit_id: string }[] = await em.query(
      `SELECT a.name, p.name AS project, a.department_id, p.responsible_unit_id AS unit_id FROM approval_item a JOIN project p ON p.id = a.project_id WHERE a.id = $1`,
      [e.itemId],
    );
    const people: string[] = (
      await em.query(
        to === 'department'
          ? `SELECT id FROM person WHERE org_unit_id = $1 AND roles && ARRAY['approval_staff','unit_head']::text[]`
          : `SELECT id FROM person WHERE org_unit_id = $1 AND roles && ARRAY['unit_staff','unit_head']::text[]`,
        [to === 'department' ? i.department_id : i.unit_id],
      )
    ).map((r: { id: string }) => r.id);
    if (!people.length) return;
    const subject = `${i.project}：${i.name}`;
    const due = e.state.dueAt ? DateTime.fromISO(e.state.dueAt).setZone(this.cfg.DUBAN_TIME_ZONE).toFormat('yyyy-MM-dd HH:mm') : '';
    const deemedAccept = e.state.deemedAcceptAt ? DateTime.fromISO(e.state.deemedAcceptAt).setZone(this.cfg.DUBAN_TIME_ZONE).toFormat('yyyy-MM-dd HH:mm') : '';
    const text: Record<string, () => [string, string]> = {
      submitted: () => [`【待受理】${subject}`, `申请方已申报，请${deemedAccept ? `于${deemedAccept}前` : '及时'}受理，或一次性告知需补正的全部材料（逾期未告知视为受理）。`],
      material_supplied: () => [`【补正材料已提交】${subject}`, `申请方已补正材料，办理时限恢复计算${due ? `，承诺时限${due}届满` : ''}，请继续办理。`],
      warning: () => [`【审批临期】${subject}`, `承诺时限将于${due}届满，请抓紧办理。`],
      supplement_requested: () => [`【补正告知】${subject}`, `请一次性补正以下材料：${((e.details.missing as string[] | undefined) ?? []).join('、')}。理由：${e.reason ?? ''}`],
      deemed_accepted: () => [`【视为受理】${subject}`, `审批部门未在规定期限内告知补正，视为已受理，时限自今日起计算。`],
      approved: () => [`【已批准】${subject}`, `该审批事项已批准${e.state.documentNo ? `（${e.state.documentNo}）` : ''}。`],
      rejected: () => [`【不予批准】${subject}`, `该审批事项不予批准，理由：${e.reason ?? ''}`],
      extended: () => [`【延长时限】${subject}`, `经部门负责人批准，办理时限延长${e.details.days}个工作日，理由：${e.reason ?? ''}`],
      clock_stop_overdue: () => [`【暂停超期】${subject}`, `该事项的${String(e.state.stop?.kind ?? '')}暂停已超过规定时限，请尽快恢复办理。`],
      deemed_approved: () => [`【超时默认通知单】${subject}`, `该事项超过办理时限未作决定，按超时默认视为批准（${e.details.documentNo}），超时记入审批部门。`],
    };
    const [title, body] = text[e.type]();
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO notice (project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
       SELECT $1, $2, r, 'inbox', 'approval', $3, $4, $5, $6, $7, $8 FROM unnest($9::uuid[]) AS r
       ON CONFLICT (source_key, recipient_id, channel) WHERE source_key IS NOT NULL DO NOTHING RETURNING id`,
      [
        e.projectId,
        `approval:${e.itemId}:${e.seq}`,
        to === 'department' ? 'department' : 'unit',
        title,
        body,
        `${e.type}: ${subject}`,
        `Approval item ${e.type.replace('_', ' ')}.`,
        e.at,
        people,
      ],
    );
    await planDeliveries(em, inserted, this.cfg);
  }

  /**
   * 超时默认〔2026〕3号: the deemed-approval notice's number, per organisation and
   * year, issued once per item (an item is deemed approved at most once): the
   * number is registered against the item in the transaction that takes it,
   * and a retry (a lost completion) gets the same number back, never a new one.
   */
  async deemedApprovalNumber(a: { at: string; itemId?: string }): Promise<string> {
    const year = DateTime.fromISO(a.at).setZone(this.cfg.DUBAN_TIME_ZONE).year;
    // The workflow id is approval-<item id>; the activity input carries only the instant.
    const item = a.itemId ?? Context.current().info.workflowExecution?.workflowId;
    if (!item) throw new Error('deemedApprovalNumber needs the item: run it as an activity of the item’s workflow, or pass itemId');
    const owner = `超时默认:${item}`;
    return issueDocumentNo(this.ds, { series: '超时默认', year, owner });
  }

  async openApprovalMatter(m: {
    kind: 'overdue' | 'verification' | 'commitment';
    blockerId: string;
    itemId: string;
    projectId: string;
    name: string;
    departmentId: string;
    reportedAt: string;
    dueAt: string;
  }): Promise<void> {
    if (m.kind === 'commitment') {
      // On the applicant: the project's unit, on the default ladder.
      await this.blockers.openAutomatic({
        blockerId: m.blockerId,
        projectId: m.projectId,
        category: 'approval',
        title: `容缺受理材料逾期未补齐：${m.name}`,
        description: `${m.name}容缺受理时承诺的补齐日期已过，材料仍未补齐。`,
      });
      return;
    }
    // On the department, on the approvals ladder: the department's rung is the item's own limit, so the matter climbs at once.
    await this.blockers.openAutomatic({
      blockerId: m.blockerId,
      projectId: m.projectId,
      category: 'approval',
      title: m.kind === 'overdue' ? `审批超时：${m.name}` : `告知承诺事项核查逾期：${m.name}`,
      description: m.kind === 'overdue' ? `${m.name}已超过承诺办理时限仍未办结，提级督办。` : `${m.name}按告知承诺制批准后，核查未在规定期限内完成。`,
      responsibleUnitId: m.departmentId,
      policyName: APPROVALS_POLICY,
      reportedAt: m.reportedAt,
      firstDueAt: m.dueAt,
    });
  }

  async resolveApprovalMatter(m: { blockerId: string; reason: string }): Promise<void> {
    await this.blockers.resolveAutomatic(m.blockerId, m.reason);
  }

  /**
   * When the last required item of the project's approval stage is approved,
   * the stage's exit condition holds: the lifecycle workflow marks it done,
   * with the approvals as its evidence.
   */
  async afterDecision(a: { itemId: string; projectId: string; stage: string; status: 'approved' | 'rejected' }): Promise<void> {
    if (a.status !== 'approved' || a.stage !== 'approval') return;
    const items: { name: string; status: string; document_no: string | null; decided_at: Date | null; department: string }[] = await this.ds.query(
      `SELECT a.name, a.status, a.document_no, a.decided_at, u.name AS department FROM approval_item a JOIN org_unit u ON u.id = a.department_id
        WHERE a.project_id = $1 AND a.stage = 'approval' AND a.required ORDER BY a.name`,
      [a.projectId],
    );
    if (!items.length || items.some((i) => i.status !== 'approved')) return;
    const [running] = await this.ds.query(`SELECT 1 FROM project_stage WHERE project_id = $1 AND stage = 'approval' AND state IN ('pending','active')`, [a.projectId]);
    if (!running) return;
    const day = (d: Date | null) => (d ? DateTime.fromJSDate(d).setZone(this.cfg.DUBAN_TIME_ZONE).toISODate()! : undefined);
    const last = new Date(Math.max(...items.map((i) => i.decided_at?.getTime() ?? 0)));
    try {
      // One update id per approved item: a retried activity does not report the stage twice.
      const updateId = updateIdFor({ idempotencyKey: `approval-decided:${a.itemId}` }, lifecycleWorkflowId(a.projectId), 'reportCompletion');
      await temporalCall(this.temporal, () =>
        this.temporal.workflow.getHandle(lifecycleWorkflowId(a.projectId)).executeUpdate(lifecycleActUpdate, {
          updateId,
          args: [
            {
              action: 'reportCompletion',
              stage: 'approval',
              completedOn: day(last)!,
              evidence: items.map((i) => ({ title: i.name, number: i.document_no ?? undefined, issuedBy: i.department, issuedOn: day(i.decided_at) })),
              note: '审批阶段所需审批事项已全部批准',
              actor: { personId: null, name: '系统（审批事项全部批准）', office: true, liaison: false, unit: false, system: true },
            },
          ],
        }),
      );
    } catch (err) {
      // Done already (a person reported it first): nothing left to do.
      if (err instanceof WorkflowUpdateFailedError) return;
      throw err;
    }
  }
}
