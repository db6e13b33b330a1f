import type { DataSource } from 'typeorm';
import { storableText } from '../../audit/src/audit-chain';

/** From this failed attempt on, an activity counts as stuck. */
export const STUCK_AFTER_ATTEMPTS = 3;
/** Recording is best effort: it never holds up the activity's own failure for longer than this. */
const RECORD_TIMEOUT_MS = 2000;

export interface StuckActivity {
  workflowId: string;
  workflowType: string | null;
  activityType: string;
  attempt: number;
  errorType: string | null;
  lastError: string;
  firstFailedAt: Date;
  lastFailedAt: Date;
}

/** The text as PostgreSQL keeps it (no NUL, no lone surrogates), shortened: the error may quote the very data that failed. */
const storable = (s: string) => storableText(s).slice(0, 2000);

/**
 * Writes and clears the rows of stuck_activity: each its own single
 * statement (its own short transaction), never the activity's.
 */
export class StuckWorkStore {
  constructor(private readonly ds: DataSource) {}

  async failed(a: { workflowId: string; workflowType?: string; activityType: string; attempt: number; errorType?: string; error: string }): Promise<void> {
    await bounded(
      this.ds.query(
        `INSERT INTO stuck_activity (workflow_id, workflow_type, activity_type, attempt, error_type, last_error)
         VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (workflow_id, activity_type) DO UPDATE SET attempt = EXCLUDED.attempt, error_type = EXCLUDED.error_type,
           last_error = EXCLUDED.last_error, workflow_type = EXCLUDED.workflow_type, last_failed_at = now()`,
        [a.workflowId, a.workflowType ?? null, a.activityType, a.attempt, a.errorType ?? null, storable(a.error)],
      ),
    );
  }

  async succeeded(a: { workflowId: string; activityType: string }): Promise<void> {
    await bounded(this.ds.query(`DELETE FROM stuck_activity WHERE workflow_id = $1 AND activity_type = $2`, [a.workflowId, a.activityType]));
  }

  async list(): Promise<StuckActivity[]> {
    return this.ds.query(
      `SELECT workflow_id AS "workflowId", workflow_type AS "workflowType", activity_type AS "activityType", attempt, error_type AS "errorType",
              last_error AS "lastError", first_failed_at AS "firstFailedAt", last_failed_at AS "lastFailedAt"
         FROM stuck_activity ORDER BY first_failed_at, workflow_id, activity_type`,
    );
  }

  async count(): Promise<number> {
    return (await this.ds.query(`SELECT count(*)::int AS n FROM stuck_activity`))[0].n;
  }
}

function bounded(p: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, RECORD_TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}
