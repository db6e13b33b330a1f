/**
 * The ledger's progress columns, month by month: 本年完成投资 becomes that
 * month's investment report (the table investment reports already live in,
 * so the lag and the ranking see it), 形象进度 / 存在问题 / 下步计划 a progress
 * note. Each import adds rows and never overwrites one: the history is the
 * point. A row that says what is already recorded adds nothing, so an
 * exported ledger imported back changes nothing.
 */
import type { DataSource, EntityManager } from 'typeorm';

export interface Progress {
  completed: number | null;
  progressLine: string | null;
  problems: string | null;
  nextSteps: string | null;
}

export interface Latest {
  completed: number | null;
  completedMonth: number | null;
  progressLine: string;
  problems: string;
  nextSteps: string;
  /** The open blockers' titles: what the 存在问题 column shows. */
  blockers: string[];
}

/** Each project's latest figures for the year, and its open blockers' titles. */
export async function latestProgress(ds: DataSource | EntityManager, projectIds: string[], year: number): Promise<Map<string, Latest>> {
  const rows: (Latest & { id: string })[] = await ds.query(
    `SELECT p.id,
            (SELECT r.completed::float FROM investment_report r WHERE r.project_id = p.id AND r.year = $2 ORDER BY r.month DESC, r.reported_at DESC LIMIT 1) AS completed,
            (SELECT r.month FROM investment_report r WHERE r.project_id = p.id AND r.year = $2 ORDER BY r.month DESC, r.reported_at DESC LIMIT 1) AS "completedMonth",
            coalesce(n.progress_line, '') AS "progressLine", coalesce(n.problems, '') AS problems, coalesce(n.next_steps, '') AS "nextSteps",
            coalesce((SELECT array_agg(b.title ORDER BY b.reported_at, b.title) FROM blocker b WHERE b.project_id = p.id AND b.status = 'open'), '{}') AS blockers
       FROM unnest($1::uuid[]) AS p(id)
       LEFT JOIN LATERAL (SELECT * FROM project_progress_note x WHERE x.project_id = p.id ORDER BY x.recorded_at DESC, x.id LIMIT 1) n ON TRUE`,
    [projectIds, year],
  );
  return new Map(rows.map(({ id, ...r }) => [id, r]));
}

/** The 存在问题 cell as exported: the open blockers, one per line, then the latest problems note the ledger brought. */
export const problemsText = (l: Latest | undefined): string => [...(l?.blockers ?? []).map((t, i) => `${i + 1}. ${t}`), ...(l?.problems ? [l.problems] : [])].join('\n');

const same = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/**
 * What an imported row adds: a report when the completed figure differs from
 * the latest, a note when any text differs from the latest note. 存在问题 that
 * only repeats the open blockers (as exported) is no new note; it never opens
 * or closes a blocker: blockers are matters with their own ladder.
 */
export function changes(p: Progress, l: Latest | undefined): { report: number | null; note: { progressLine: string; problems: string; nextSteps: string } | null } {
  const report = p.completed !== null && p.completed !== (l?.completed ?? null) ? p.completed : null;
  const next = {
    progressLine: p.progressLine ?? l?.progressLine ?? '',
    problems: p.problems !== null && !same(p.problems, problemsText(l)) ? p.problems : (l?.problems ?? ''),
    nextSteps: p.nextSteps ?? l?.nextSteps ?? '',
  };
  const before = { progressLine: l?.progressLine ?? '', problems: l?.problems ?? '', nextSteps: l?.nextSteps ?? '' };
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => !same(next[k], before[k]));
  return { report, note: changed ? next : null };
}

export async function recordProgress(
  em: EntityManager,
  projectId: string,
  at: { year: number; month: number },
  c: ReturnType<typeof changes>,
  personId: string | null,
): Promise<void> {
  if (c.report !== null) {
    await em.query(`INSERT INTO investment_report (project_id, year, month, completed, note, reported_by) VALUES ($1,$2,$3,$4,'台账导入',$5)`, [
      projectId,
      at.year,
      at.month,
      c.report.toFixed(2),
      personId,
    ]);
  }
  if (c.note) {
    await em.query(
      `INSERT INTO project_progress_note (project_id, year, month, progress_line, problems, next_steps, source, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,'ledger_import',$7)`,
      [projectId, at.year, at.month, c.note.progressLine, c.note.problems, c.note.nextSteps, personId],
    );
  }
}

export interface ProgressNote {
  id: string;
  year: number;
  month: number;
  progressLine: string;
  problems: string;
  nextSteps: string;
  source: 'ledger_import' | 'manual';
  recordedByName: string | null;
  recordedAt: string;
}

/** A project's progress notes, newest first: the 形象进度 history the monthly ledgers brought. */
export async function progressHistory(ds: DataSource | EntityManager, projectId: string, limit = 24): Promise<ProgressNote[]> {
  const rows: (Omit<ProgressNote, 'recordedAt'> & { recordedAt: Date })[] = await ds.query(
    `SELECT n.id, n.year, n.month, n.progress_line AS "progressLine", n.problems, n.next_steps AS "nextSteps", n.source,
            p.name AS "recordedByName", n.recorded_at AS "recordedAt"
       FROM project_progress_note n LEFT JOIN person p ON p.id = n.recorded_by
      WHERE n.project_id = $1 ORDER BY n.recorded_at DESC, n.id LIMIT $2`,
    [projectId, limit],
  );
  return rows.map((r) => ({ ...r, recordedAt: r.recordedAt.toISOString() }));
}
