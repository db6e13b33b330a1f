import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable background jobs (a calendar recompute, a policy applied to open
 * matters): one row per job, one row per matter it reached, so progress and
 * every failure with its reason can be read while the job's workflow runs.
 */
export class BackgroundJobs1764110000000 implements MigrationInterface {
  name = 'BackgroundJobs1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE background_job (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('calendar_recompute', 'policy_apply')),
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
      reason text NOT NULL,
      params jsonb NOT NULL DEFAULT '{}',
      total integer,
      workflow_id text NOT NULL,
      created_by uuid,
      created_by_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX background_job_created ON background_job (created_at DESC)`);
    await q.query(`CREATE TABLE background_job_item (
      job_id uuid NOT NULL REFERENCES background_job (id) ON DELETE CASCADE,
      target_type text NOT NULL CHECK (target_type IN ('blocker', 'approval_item')),
      target_id uuid NOT NULL,
      ok boolean NOT NULL,
      reason text,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (job_id, target_type, target_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE background_job_item`);
    await q.query(`DROP TABLE background_job`);
  }
}
