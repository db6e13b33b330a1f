/**
 * A key project's life (shared/design/lifecycle.md) as pure rules: its
 * stages and their colours, time-proportional progress (序时进度) and the lag
 * of completed investment behind it, and the late-start colour. Shared by the
 * lifecycle workflow, the battle map, the weekly ranking and the tests.
 */
import { DateTime } from 'luxon';
import { type Colour, colourAt } from './colour';

export type { Colour } from './colour';

export const STAGES = ['planning', 'approval', 'land', 'start', 'completion'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Record<Stage, { zh: string; en: string }> = {
  planning: { zh: '前期', en: 'planning' },
  approval: { zh: '审批', en: 'approval' },
  land: { zh: '用地', en: 'land' },
  start: { zh: '开工', en: 'start' },
  completion: { zh: '竣工投产', en: 'completion' },
};

export type StageState = 'pending' | 'active' | 'done' | 'n/a';

/**
 * A stage's instants, in the organisation's time zone: due at the end of its
 * due day, yellow `warnDays` calendar days before that. The one rule for the
 * plan the API sends to the workflow; null for a day that does not exist.
 */
export function stageDeadline(dueOn: string, warnDays: number, zone: string): { dueAt: string; warnAt: string } | null {
  const end = DateTime.fromISO(dueOn, { zone }).plus({ days: 1 });
  if (!end.isValid) return null;
  return { dueAt: end.toUTC().toISO()!, warnAt: end.minus({ days: warnDays }).toUTC().toISO()! };
}

/**
 * The colour of a stage: the one colour rule (colourAt) over its instants.
 * Only active stages have a colour; done and n/a stages are settled, pending
 * ones not yet begun.
 */
export function stageColour(s: { state: StageState; dueAt: string; warnAt: string }, nowMs: number): Colour | null {
  return colourAt({ running: s.state === 'active', dueAt: s.dueAt, warnAt: s.warnAt }, nowMs);
}

/** Lag thresholds in percentage points, the project office's to set (defaults: one city's published rules). */
export interface LagThresholds {
  yellowPoints: number;
  redPoints: number;
}
export const DEFAULT_LAG: LagThresholds = { yellowPoints: 10, redPoints: 30 };

/**
 * Time-proportional progress (序时进度) on a day: the share of the year
 * elapsed at the end of that day, in the organisation's time zone, in percent.
 * 1 January → 1/365 (0.27 %), 31 December → 100 %.
 */
export function timeProportionalProgress(onMs: number, zone: string): number {
  const day = DateTime.fromMillis(onMs, { zone });
  const days = day.daysInYear;
  return round2((day.ordinal / days) * 100);
}

export interface InvestmentLag {
  /** Completed investment as a share of the annual plan, percent (may exceed 100). */
  completedShare: number;
  timeShare: number;
  /** Percentage points behind time-proportional progress (0 when ahead). */
  lagPoints: number;
  colour: Colour;
}

/** How far a project's (or a unit's, a township's, the county's) completed investment lags the year. */
export function investmentLag(a: { annualPlan: number; completed: number; onMs: number; zone: string }, t: LagThresholds = DEFAULT_LAG): InvestmentLag {
  const timeShare = timeProportionalProgress(a.onMs, a.zone);
  const completedShare = a.annualPlan > 0 ? round2((a.completed / a.annualPlan) * 100) : 100;
  const lagPoints = round2(Math.max(0, timeShare - completedShare));
  const colour: Colour = lagPoints > t.redPoints ? 'red' : lagPoints >= t.yellowPoints ? 'yellow' : 'green';
  return { completedShare, timeShare, lagPoints, colour };
}

/**
 * The late-start colour: yellow once the planned start month has passed
 * without a start, red after three such months (defaults from practice).
 */
export function startColour(a: { plannedStart: string; started: boolean; onMs: number; zone: string }, months = { yellow: 1, red: 3 }): Colour {
  if (a.started) return 'green';
  const planned = DateTime.fromISO(a.plannedStart, { zone: a.zone }).startOf('month');
  const now = DateTime.fromMillis(a.onMs, { zone: a.zone }).startOf('month');
  const monthsPast = Math.round(now.diff(planned, 'months').months);
  return monthsPast >= months.red ? 'red' : monthsPast >= months.yellow ? 'yellow' : 'green';
}

/** Ranks by completed share of the annual plan, highest first; ties by name, so a ranking is stable. */
export function rankByProgress<T extends { name: string; completedShare: number }>(items: readonly T[]): (T & { rank: number })[] {
  return [...items].sort((a, b) => b.completedShare - a.completedShare || a.name.localeCompare(b.name, 'zh-CN')).map((x, i) => ({ ...x, rank: i + 1 }));
}

const round2 = (n: number) => Math.round(n * 100) / 100;
