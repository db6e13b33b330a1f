import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Actor, seesEverything } from '../../domain/src/access';
import type { ApprovalStatus } from '../../domain/src/approval';
import { type Colour, colourRankSql, colourSql } from '../../domain/src/colour';
import { DomainError } from '../../domain/src/errors';
import type { Page } from '../../persistence/src/page';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import { ApprovalsService } from './approvals.service';

/** What the department works on: submitted, awaiting the applicant's supplement, accepted, under review. */
export const QUEUE_STATUSES: readonly ApprovalStatus[] = ['submitted', 'supplement_requested', 'accepted', 'under_review'];

/**
 * The department's clock as the one colour rule sees it: running while the
 * department holds the item and no stop pauses it; its due instant is the
 * limit's end. Before acceptance nothing can be late: at the end of the intake
 * days the item is deemed accepted (视为受理) and its limit starts.
 */
const DUE_SQL = `a.due_at`;
export const APPROVAL_COLOUR_SQL = colourSql({
  running: `a.status IN ('submitted','accepted','under_review') AND a.paused_since IS NULL`,
  dueAt: DUE_SQL,
  warnAt: 'a.warn_at',
});

export interface QueueQuery {
  orgUnitId?: string;
  status?: ApprovalStatus;
  colour?: Colour;
  projectId?: string;
  page: number;
  pageSize: number;
}

/**
 * An approval department's queue (待办审批事项): the items at the caller's
 * department, red first, each with its project, clock and colour. A clerk or
 * head sees their own department's; the project office, supervision and county
 * leaders may name any department (or see all).
 */
@Injectable()
export class ApprovalQueueService {
  constructor(
    private readonly ds: DataSource,
    private readonly approvals: ApprovalsService,
    private readonly calendar: CalendarStore,
  ) {}

  async queue(actor: Actor, q: QueueQuery): Promise<Page<Record<string, unknown>> & { departmentId: string | null }> {
    const departmentId = this.department(actor, q.orgUnitId);
    const where: string[] = [];
    const params: unknown[] = [];
    const $ = (v: unknown) => `$${params.push(v)}`;
    if (departmentId) where.push(`a.department_id = ${$(departmentId)}`);
    where.push(q.status ? `a.status = ${$(q.status)}` : `a.status = ANY(${$(QUEUE_STATUSES)})`);
    if (q.projectId) where.push(`a.project_id = ${$(q.projectId)}`);
    if (q.colour) where.push(`${APPROVAL_COLOUR_SQL} = ${$(q.colour)}`);
    const page: { id: string; colour: Colour | null; due: Date | null; total: number }[] = await this.ds.query(
      `SELECT a.id, ${APPROVAL_COLOUR_SQL} AS colour, ${DUE_SQL} AS due, count(*) OVER ()::int AS total
         FROM approval_item a WHERE ${where.join(' AND ')}
        ORDER BY ${colourRankSql(APPROVAL_COLOUR_SQL)}, ${DUE_SQL} NULLS LAST, a.submitted_at NULLS LAST, a.id
        LIMIT ${$(q.pageSize)} OFFSET ${$((q.page - 1) * q.pageSize)}`,
      params,
    );
    let total = page[0]?.total ?? 0;
    if (!page.length && q.page > 1) {
      const [c] = await this.ds.query(`SELECT count(*)::int AS n FROM approval_item a WHERE ${where.join(' AND ')}`, params.slice(0, -2));
      total = c.n;
    }
    const rows = page.length ? await this.approvals.view(`a.id = ANY($1::uuid[])`, [page.map((r) => r.id)]) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const cal = await this.calendar.current();
    const items = page.map((p) => {
      const row = byId.get(p.id)! as (typeof rows)[number] & { submittedAt: Date | null; deemedAcceptDays: number };
      // Awaiting acceptance: the clock shows when it is deemed accepted, the working days the department has left for intake.
      const intake = row.status === 'submitted' && !p.due && row.submittedAt ? cal.addWorkingDays(row.submittedAt, row.deemedAcceptDays) : null;
      const remainingDays = intake ? Math.max(0, cal.workingDaysBetween(new Date(), intake.at).days) : row.remainingDays;
      return { ...row, colour: p.colour, clock: { dueAt: intake ? intake.at : p.due, remainingDays, running: p.colour !== null, intake: !!intake } };
    });
    return { items, total, page: q.page, pageSize: q.pageSize, departmentId };
  }

  /** The department whose queue this is: the caller's own, or, for who oversees all, the one asked for (none: all). */
  private department(actor: Actor, asked: string | undefined): string | null {
    if (actor.kind === 'person' && seesEverything(actor)) return asked ?? null;
    if (actor.kind === 'person' && (actor.roles.includes('approval_staff') || actor.roles.includes('unit_head'))) {
      if (asked && asked !== actor.orgUnitId) throw DomainError.forbidden('只能查看本部门的审批事项', 'You may see only your own department’s queue');
      return actor.orgUnitId;
    }
    throw DomainError.forbidden(
      '只有审批部门、项目办、督查室和县领导可以查看审批事项队列',
      'Only approval departments, the project office, supervision and county leaders see approval queues',
    );
  }
}
