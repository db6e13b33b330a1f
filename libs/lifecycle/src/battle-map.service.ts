import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import type { Actor } from '../../domain/src/access';
import { investmentLag, type Colour, type Stage } from '../../domain/src/lifecycle';
import { colourRankSql, colourSql } from '../../domain/src/colour';
import { PROJECT_CATEGORIES, type ProjectCategory } from '../../projects/src/project.entity';
import { visibleProjects } from '../../projects/src/visibility';

export interface BattleMapQuery {
  townshipId?: string;
  unitId?: string;
  liaisonLeaderId?: string;
  category?: ProjectCategory;
  /** A project's colour: its worst active stage (red overdue, yellow due soon, green); `none` without a plan. */
  colour?: Colour | 'none';
  /** The first stage not yet settled. */
  stage?: Stage;
  page: number;
  pageSize: number;
}

/**
 * Red when a stage is overdue, yellow when one is in its warning window, green on plan, null without a plan.
 * One join against the few projects with an alerting stage, not a subquery per row: per-row EXISTS made the
 * planner overestimate the cost by orders of magnitude, and PostgreSQL's JIT then spent seconds compiling.
 */
const STAGE_COLOUR = colourSql({ running: `s.state = 'active'`, dueAt: 's.due_at', warnAt: 's.warn_at' });
const BLOCKER_COLOUR = colourSql({ running: `b.status = 'open'`, dueAt: 'b.due_at', warnAt: 'b.warn_at' });
/**
 * worstColour over the stages' STAGE_COLOUR. The WHERE is the rule's "red or yellow" written so the planner can use
 * the instants' indexes; tests/integration/rules-sql.spec.ts checks the map's colours against worstColour(colourAt).
 */
const PROJECT_COLOUR = `CASE WHEN ac.red THEN 'red' WHEN ac.project_id IS NOT NULL THEN 'yellow' WHEN lc.project_id IS NOT NULL THEN 'green' END`;
const ALERTING = `LEFT JOIN (SELECT s.project_id, bool_or(${STAGE_COLOUR} = 'red') AS red FROM project_stage s
  WHERE s.state = 'active' AND (s.warn_at <= now() OR s.due_at <= now()) GROUP BY s.project_id) ac ON ac.project_id = p.id`;

/**
 * The battle map (挂图作战): every project the actor may see with its stages,
 * due days, colours, open blockers and investment lag, filtered and paged in
 * the database. Colours are computed at read time from due and warning
 * instants, so the map is right between the workflows' timers.
 */
@Injectable()
export class BattleMapService {
  constructor(
    private readonly ds: DataSource,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  async map(actor: Actor, q: BattleMapQuery, nowMs = Date.now()) {
    const params: unknown[] = [];
    const $ = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    const visible = visibleProjects(actor, 'p');
    if (visible) where.push(visible.sql.replace(/:(visUnit|visPerson)/g, (_, n: string) => $(visible.params[n])));
    if (q.townshipId) where.push(`p.township_id = ${$(q.townshipId)}`);
    if (q.unitId) where.push(`p.responsible_unit_id = ${$(q.unitId)}`);
    if (q.category) where.push(`p.category = ${$(q.category)}`);
    if (q.liaisonLeaderId) where.push(`EXISTS (SELECT 1 FROM project_liaison_leader pl WHERE pl.project_id = p.id AND pl.person_id = ${$(q.liaisonLeaderId)})`);
    if (q.stage) where.push(`lc.current_stage = ${$(q.stage)}`);
    const filtered = `SELECT p.id, p.code, ${PROJECT_COLOUR} AS colour FROM project p LEFT JOIN project_lifecycle lc ON lc.project_id = p.id ${ALERTING} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    // The counts by colour and the page are independent reads: asked for at once, on two pooled connections (one
    // query serving both from a materialised pass was slower here: 40 ms against 28 on 20,000 projects). The total
    // comes from the counts, so the page is a top-N sort, not a window over every row; codes (ASCII) sort in byte
    // order, since a collation's comparisons cost more than the rest of a deep page.
    const summaryRead: Promise<{ colour: string | null; n: number }[]> = this.ds.query(`SELECT f.colour, count(*)::int AS n FROM (${filtered}) f GROUP BY 1`, [...params]);
    const colourFilter = q.colour ? `WHERE coalesce(f.colour, 'none') = ${$(q.colour)}` : '';
    const year = DateTime.fromMillis(nowMs, { zone: this.cfg.DUBAN_TIME_ZONE }).year;
    const rowsRead: Promise<any[]> = this.ds.query(
      `WITH page AS (
         SELECT f.id, f.colour FROM (${filtered}) f ${colourFilter}
          ORDER BY ${colourRankSql('f.colour')}, f.code COLLATE "C"
          LIMIT ${$(q.pageSize)} OFFSET ${$((q.page - 1) * q.pageSize)})
       SELECT page.colour, p.id, p.code, p.name, p.category, p.total_investment::float AS "totalInvestment",
              json_build_object('id', u.id, 'name', u.name) AS unit, CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'name', t.name) END AS township,
              lc.current_stage AS "currentStage", lc.revision AS "planRevision", lc.late_start_blocker_id AS "lateStartBlockerId",
              (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name) ORDER BY l.name), '[]') FROM project_liaison_leader pl JOIN person l ON l.id = pl.person_id WHERE pl.project_id = p.id) AS "liaisonLeaders",
              (SELECT coalesce(json_agg(json_build_object('stage', s.stage, 'state', s.state, 'dueOn', to_char(s.due_on, 'YYYY-MM-DD'), 'completedOn', to_char(s.completed_on, 'YYYY-MM-DD'),
                        'colour', ${STAGE_COLOUR},
                        'awaitingConfirmation', s.reported IS NOT NULL) ORDER BY s.position), '[]') FROM project_stage s WHERE s.project_id = p.id) AS stages,
              (SELECT coalesce(json_agg(json_build_object('id', b.id, 'title', b.title, 'category', b.category, 'rung', b.rung, 'dueAt', b.due_at,
                        'colour', ${BLOCKER_COLOUR}) ORDER BY b.due_at), '[]')
                 FROM blocker b WHERE b.project_id = p.id AND b.status = 'open') AS "openBlockers",
              (SELECT ip.amount::float FROM investment_plan ip WHERE ip.project_id = p.id AND ip.year = ${$(year)}) AS "annualPlan",
              (SELECT r.completed::float FROM investment_report r WHERE r.project_id = p.id AND r.year = ${$(year)} ORDER BY r.month DESC, r.reported_at DESC LIMIT 1) AS completed
         FROM page JOIN project p ON p.id = page.id JOIN org_unit u ON u.id = p.responsible_unit_id LEFT JOIN org_unit t ON t.id = p.township_id
         LEFT JOIN project_lifecycle lc ON lc.project_id = p.id
        ORDER BY ${colourRankSql('page.colour')}, p.code COLLATE "C"`,
      params,
    );
    const [summaryRows, rows] = await Promise.all([summaryRead, rowsRead]);
    const zone = this.cfg.DUBAN_TIME_ZONE;
    const summary = { red: 0, yellow: 0, green: 0, none: 0 };
    for (const r of summaryRows) summary[(r.colour ?? 'none') as keyof typeof summary] += r.n;
    const total = q.colour ? summary[q.colour] : summaryRows.reduce((n, r) => n + r.n, 0);
    return {
      asOf: new Date(nowMs).toISOString(),
      summary,
      items: rows.map(({ annualPlan, completed, ...r }: Record<string, unknown> & { annualPlan: number | null; completed: number | null; category: ProjectCategory }) => ({
        ...r,
        categoryName: PROJECT_CATEGORIES[r.category],
        investment: annualPlan === null ? null : { year, annualPlan, completed: completed ?? 0, ...investmentLag({ annualPlan, completed: completed ?? 0, onMs: nowMs, zone }) },
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
