/**
 * The figures of a weekly bulletin (通报) as of one instant, from the read
 * model: the ranking by investment progress (一周一排序), laggards, overdue
 * stages, open matters by category and rung, the four rates (四率) where the
 * data allows, and per-unit totals. Colours are taken at that instant, not
 * at the moment the query runs, so a bulletin can be reproduced.
 */
import { DateTime } from 'luxon';
import { colourSql } from '../../domain/src/colour';
import type { EntityManager } from 'typeorm';
import { BLOCKER_CATEGORIES, type BlockerCategory } from '../../domain/src/blocker';
import { STAGE_NAMES, type Stage, investmentLag, rankByProgress, timeProportionalProgress, type Colour } from '../../domain/src/lifecycle';

/** Matters overdue by more than this many days are named in the bulletin. */
export const NAMED_OVERDUE_DAYS = 5;

export interface ProjectFigure {
  projectId: string;
  code: string;
  name: string;
  unit: string;
  township: string | null;
  liaisonLeaders: string[];
  liaisonLeaderIds: string[];
  annualPlan: number;
  completed: number;
  completedShare: number;
  lagPoints: number;
  colour: Colour;
}

/** Completed investment against the annual plan for every project that has one, as of `asOf`. */
export async function projectFigures(em: EntityManager, asOf: DateTime): Promise<ProjectFigure[]> {
  const rows: { id: string; code: string; name: string; unit: string; township: string | null; leaders: string[]; leader_ids: string[]; plan: number; completed: number }[] =
    await em.query(
      `SELECT p.id, p.code, p.name, u.name AS unit, t.name AS township, ip.amount::float AS plan,
            coalesce(array(SELECT l.name FROM project_liaison_leader pl JOIN person l ON l.id = pl.person_id WHERE pl.project_id = p.id ORDER BY l.name), '{}') AS leaders,
            coalesce(array(SELECT pl.person_id FROM project_liaison_leader pl WHERE pl.project_id = p.id), '{}') AS leader_ids,
            coalesce((SELECT r.completed::float FROM investment_report r WHERE r.project_id = p.id AND r.year = $1 AND r.month <= $2 AND r.reported_at <= $3
                      ORDER BY r.month DESC, r.reported_at DESC LIMIT 1), 0) AS completed
       FROM project p JOIN investment_plan ip ON ip.project_id = p.id AND ip.year = $1
       JOIN org_unit u ON u.id = p.responsible_unit_id LEFT JOIN org_unit t ON t.id = p.township_id`,
      [asOf.year, asOf.month, asOf.toUTC().toISO()],
    );
  return rows.map((r) => ({
    projectId: r.id,
    code: r.code,
    name: r.name,
    unit: r.unit,
    township: r.township,
    liaisonLeaders: r.leaders,
    liaisonLeaderIds: r.leader_ids,
    annualPlan: r.plan,
    completed: r.completed,
    ...pick(investmentLag({ annualPlan: r.plan, completed: r.completed, onMs: asOf.toMillis(), zone: asOf.zoneName! })),
  }));
}

const pick = ({ completedShare, lagPoints, colour }: ReturnType<typeof investmentLag>) => ({ completedShare, lagPoints, colour });
const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 100);
const round2 = (n: number) => Math.round(n * 100) / 100;

export async function bulletinFigures(em: EntityManager, asOf: DateTime, ladderNames: Record<string, string>) {
  const at = asOf.toUTC().toISO()!;
  const day = asOf.toISODate()!;
  const projects = await projectFigures(em, asOf);
  const ranking = rankByProgress(projects).map(({ liaisonLeaderIds: _ids, ...p }) => p);
  const annualPlan = round2(projects.reduce((n, p) => n + p.annualPlan, 0));
  const completed = round2(projects.reduce((n, p) => n + p.completed, 0));
  const county = investmentLag({ annualPlan, completed, onMs: asOf.toMillis(), zone: asOf.zoneName! });

  const overdueStages: { projectId: string; code: string; name: string; unit: string; stage: Stage; stageName: string; dueOn: string; daysOverdue: number }[] = (
    await em.query(
      `SELECT p.id AS "projectId", p.code, p.name, u.name AS unit, s.stage, to_char(s.due_on, 'YYYY-MM-DD') AS "dueOn",
              ($2::date - s.due_on) AS "daysOverdue"
         FROM project_stage s JOIN project p ON p.id = s.project_id JOIN org_unit u ON u.id = p.responsible_unit_id
        WHERE ${colourSql({ running: `s.state = 'active'`, dueAt: 's.due_at', warnAt: 's.warn_at', now: '$1::timestamptz' })} = 'red' ORDER BY s.due_on, p.code`,
      [at, day],
    )
  ).map((r: { stage: Stage }) => ({ ...r, stageName: STAGE_NAMES[r.stage].zh }));

  const open: { category: BlockerCategory; rung: string; overdue_days: number | null; id: string; title: string; project: string; unit: string; due_at: Date }[] = await em.query(
    `SELECT b.id, b.title, b.category, b.rung, p.name AS project, u.name AS unit, b.due_at,
            CASE WHEN ${colourSql({ running: 'true', dueAt: 'b.due_at', warnAt: 'b.warn_at', now: '$1::timestamptz' })} = 'red'
                 THEN floor(extract(epoch FROM ($1::timestamptz - b.due_at)) / 86400)::int END AS overdue_days
       FROM blocker b JOIN project p ON p.id = b.project_id JOIN org_unit u ON u.id = b.responsible_unit_id
      WHERE b.reported_at <= $1 AND (b.status = 'open' OR b.resolved_at > $1)`,
    [at],
  );
  const count = <K extends string>(key: (b: (typeof open)[number]) => K) => {
    const m = new Map<K, number>();
    for (const b of open) m.set(key(b), (m.get(key(b)) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };

  const stageRate = async (stage: Stage) => {
    const [r]: { due: number; done: number }[] = await em.query(
      `SELECT count(*)::int AS due, count(*) FILTER (WHERE s.state = 'done' AND s.completed_on <= $2::date)::int AS done
         FROM project_stage s WHERE s.stage = $1 AND s.state <> 'n/a' AND s.due_on <= $2::date`,
      [stage, day],
    );
    return { due: r.due, done: r.done, rate: rate(r.done, r.due) };
  };

  const units = new Map<string, { unit: string; projects: number; annualPlan: number; completed: number }>();
  for (const p of projects) {
    const u = units.get(p.unit) ?? { unit: p.unit, projects: 0, annualPlan: 0, completed: 0 };
    u.projects++;
    u.annualPlan = round2(u.annualPlan + p.annualPlan);
    u.completed = round2(u.completed + p.completed);
    units.set(p.unit, u);
  }
  const byUnit = rankByProgress(
    [...units.values()].map((u) => ({
      ...u,
      name: u.unit,
      ...pick(investmentLag({ annualPlan: u.annualPlan, completed: u.completed, onMs: asOf.toMillis(), zone: asOf.zoneName! })),
    })),
  ).map(({ name: _n, ...u }) => ({ ...u, overdueStages: overdueStages.filter((s) => s.unit === u.unit).length, openBlockers: open.filter((b) => b.unit === u.unit).length }));

  const fastest = ranking.slice(0, 5);
  return {
    asOf: at,
    day,
    timeShare: timeProportionalProgress(asOf.toMillis(), asOf.zoneName!),
    county: { projects: projects.length, annualPlan, completed, completedShare: county.completedShare, lagPoints: county.lagPoints, colour: county.colour },
    ranking,
    /** 红榜 / 黑榜: the five fastest and the five slowest (those not already among the fastest). */
    redList: fastest,
    blackList: [...ranking]
      .reverse()
      .filter((p) => !fastest.some((f) => f.projectId === p.projectId))
      .slice(0, 5),
    laggards: ranking.filter((p) => p.colour !== 'green').sort((a, b) => b.lagPoints - a.lagPoints || a.code.localeCompare(b.code)),
    overdueStages,
    openBlockers: {
      total: open.length,
      byCategory: count((b) => b.category).map(([category, n]) => ({ category, name: BLOCKER_CATEGORIES[category] ?? category, count: n })),
      byRung: count((b) => b.rung).map(([rung, n]) => ({ rung, name: ladderNames[rung] ?? rung, count: n })),
    },
    /** Matters overdue by more than NAMED_OVERDUE_DAYS days, named. */
    overdueMatters: open
      .filter((b) => (b.overdue_days ?? -1) > NAMED_OVERDUE_DAYS)
      .sort((a, b) => b.overdue_days! - a.overdue_days!)
      .map((b) => ({ blockerId: b.id, title: b.title, project: b.project, unit: b.unit, category: b.category, rung: ladderNames[b.rung] ?? b.rung, daysOverdue: b.overdue_days })),
    /** 四率: contract fulfilment and funds in place need data Duban does not hold yet (null); start and completion rates from the stages. */
    fourRates: { contractFulfilment: null, fundsInPlace: null, start: await stageRate('start'), completion: await stageRate('completion') },
    byUnit,
  };
}

export type BulletinData = Awaited<ReturnType<typeof bulletinFigures>>;
