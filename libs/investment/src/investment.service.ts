import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { type Actor, isProjectOffice } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { investmentLag, type InvestmentLag } from '../../domain/src/lifecycle';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { ProjectsService } from '../../projects/src/projects.service';
import { visibleProjects } from '../../projects/src/visibility';

export const GROUPS = ['project', 'unit', 'township', 'category', 'county'] as const;
export type Group = (typeof GROUPS)[number];

export type LagRow = { key: string; name: string; projects: number; annualPlan: number; completed: number } & InvestmentLag;

/** What each group is keyed and named by (amounts in 万元). */
const GROUP_SQL: Record<Group, { key: string; name: string; join: string }> = {
  project: { key: 'p.id::text', name: 'p.name', join: '' },
  unit: { key: 'p.responsible_unit_id::text', name: 'u.name', join: 'JOIN org_unit u ON u.id = p.responsible_unit_id' },
  township: { key: "coalesce(p.township_id::text, '')", name: "coalesce(t.name, '（未指定乡镇）')", join: 'LEFT JOIN org_unit t ON t.id = p.township_id' },
  category: { key: 'p.category', name: 'p.category', join: '' },
  county: { key: "'county'", name: "'全县'", join: '' },
};

/**
 * Investment (投资): each project's annual plan, completed-investment reports
 * (year to date, monthly or more often, each kept; the latest counts), and
 * how far completion lags time-proportional progress (序时进度), per project,
 * unit, township, category and for the county.
 */
@Injectable()
export class InvestmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly projects: ProjectsService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** The project office sets (or changes) a project's annual plan. */
  async setPlan(ctx: RequestContext, projectId: string, year: number, amount: number, reason: string) {
    await this.projects.get(projectId, ctx.actor);
    const [before] = await this.ds.query(`SELECT amount FROM investment_plan WHERE project_id = $1 AND year = $2`, [projectId, year]);
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO investment_plan (project_id, year, amount, set_by) VALUES ($1,$2,$3,$4)
         ON CONFLICT (project_id, year) DO UPDATE SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, set_at = now()`,
        [projectId, year, amount.toFixed(2), personOf(ctx)],
      );
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'investment.plan',
        targetType: 'project',
        targetId: projectId,
        before: before ? { year, amount: Number(before.amount) } : null,
        after: { year, amount },
        reason,
        requestId: ctx.requestId,
      });
    });
    return this.ofProject(ctx.actor, projectId);
  }

  /** The project's unit (or the project office) reports completed investment, year to date, for a month. */
  async report(ctx: RequestContext, projectId: string, r: { year: number; month: number; completed: number; note?: string }) {
    const project = await this.projects.get(projectId, ctx.actor);
    const actor = ctx.actor;
    const ownUnit = actor.kind === 'person' && actor.orgUnitId === project.responsibleUnitId && (actor.roles.includes('unit_staff') || actor.roles.includes('unit_head'));
    if (!ownUnit && !isProjectOffice(actor))
      throw DomainError.forbidden('只有项目责任单位或项目办可以填报完成投资', 'Only the project’s unit or the project office may report investment');
    const now = DateTime.now().setZone(this.cfg.DUBAN_TIME_ZONE);
    if (r.year > now.year || (r.year === now.year && r.month > now.month)) {
      throw new DomainError(DomainErrorCode.Invalid, '不能填报未来月份的完成投资', 'Investment cannot be reported for a month still to come');
    }
    const [earlier] = await this.ds.query(
      `SELECT completed, month FROM investment_report WHERE project_id = $1 AND year = $2 AND month < $3 ORDER BY month DESC, reported_at DESC LIMIT 1`,
      [projectId, r.year, r.month],
    );
    if (earlier && Number(earlier.completed) > r.completed) {
      throw new DomainError(
        DomainErrorCode.Invalid,
        `年度累计完成投资不能少于${earlier.month}月已报的${Number(earlier.completed)}万元`,
        `Year-to-date completion cannot fall below the ${Number(earlier.completed)} reported for month ${earlier.month}`,
      );
    }
    const [row] = await this.ds.transaction(async (em) => {
      const inserted = await em.query(
        `INSERT INTO investment_report (project_id, year, month, completed, note, reported_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id, reported_at AS "reportedAt"`,
        [projectId, r.year, r.month, r.completed.toFixed(2), r.note ?? '', personOf(ctx)],
      );
      await this.audit.record(em, { actor: auditActorOf(actor), action: 'investment.report', targetType: 'project', targetId: projectId, after: r, requestId: ctx.requestId });
      return inserted;
    });
    return { id: row.id, projectId, ...r, reportedAt: row.reportedAt };
  }

  /** A project's plans and every report, newest first. */
  async ofProject(actor: Actor, projectId: string) {
    await this.projects.get(projectId, actor);
    const plans = await this.ds.query(`SELECT year, amount::float AS amount, set_at AS "setAt" FROM investment_plan WHERE project_id = $1 ORDER BY year DESC`, [projectId]);
    const reports = await this.ds.query(
      `SELECT id, year, month, completed::float AS completed, note, reported_by AS "reportedBy", reported_at AS "reportedAt"
         FROM investment_report WHERE project_id = $1 ORDER BY year DESC, month DESC, reported_at DESC`,
      [projectId],
    );
    return { projectId, plans, reports };
  }

  /** Lag against time-proportional progress on a day (default today), grouped; only projects the actor may see. */
  async lag(actor: Actor, q: { year: number; on?: string; groupBy: Group }): Promise<{ on: string; timeShare: number; rows: LagRow[] }> {
    const zone = this.cfg.DUBAN_TIME_ZONE;
    const on = q.on ? DateTime.fromISO(q.on, { zone }).endOf('day') : DateTime.now().setZone(zone);
    if (on.year !== q.year) throw new DomainError(DomainErrorCode.Invalid, `统计日期须在${q.year}年内`, `The day must be in ${q.year}`);
    const g = GROUP_SQL[q.groupBy];
    const visible = visibleProjects(actor, 'p');
    // The figures reported for the months up to the day count (a June report entered in July still counts for June).
    const params: unknown[] = [q.year, on.month];
    let where = 'TRUE';
    if (visible) {
      // Named parameters to positional ones, adding only those the condition uses.
      where = visible.sql.replace(/:(visUnit|visPerson)/g, (_, name: string) => `$${params.push(visible.params[name])}`);
    }
    const rows: { key: string; name: string; projects: number; plan: string; completed: string }[] = await this.ds.query(
      `SELECT ${g.key} AS key, ${g.name} AS name, count(*)::int AS projects, sum(ip.amount) AS plan,
              sum(coalesce((SELECT r.completed FROM investment_report r WHERE r.project_id = p.id AND r.year = $1 AND r.month <= $2
                             ORDER BY r.month DESC, r.reported_at DESC LIMIT 1), 0)) AS completed
         FROM project p JOIN investment_plan ip ON ip.project_id = p.id AND ip.year = $1 ${g.join}
        WHERE ${where}
        GROUP BY 1, 2 ORDER BY 2`,
      params,
    );
    const result = rows.map((r) => {
      const annualPlan = Number(r.plan);
      const completed = Number(r.completed);
      return { key: r.key, name: r.name, projects: r.projects, annualPlan, completed, ...investmentLag({ annualPlan, completed, onMs: on.toMillis(), zone }) };
    });
    return {
      on: on.toISODate()!,
      timeShare: investmentLag({ annualPlan: 1, completed: 1, onMs: on.toMillis(), zone }).timeShare,
      rows: result.sort((a, b) => b.lagPoints - a.lagPoints || a.name.localeCompare(b.name, 'zh-CN')),
    };
  }
}

const personOf = (ctx: RequestContext) => (ctx.actor.kind === 'person' ? ctx.actor.personId : null);
