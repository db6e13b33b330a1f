import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activities that keep failing (attempt 3 and on), one row per workflow and
 * activity type, written by the worker's interceptor and removed when the
 * activity succeeds: the project office's list of stuck work.
 */
export class StuckActivity1764141000000 implements MigrationInterface {
  name = 'StuckActivity1764141000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stuck_activity (
        workflow_id text NOT NULL,
        activity_type text NOT NULL,
        workflow_type text,
        attempt int NOT NULL,
        error_type text,
        last_error text NOT NULL,
        first_failed_at timestamptz NOT NULL DEFAULT now(),
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_id, activity_type)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stuck_activity`);
  }
}
