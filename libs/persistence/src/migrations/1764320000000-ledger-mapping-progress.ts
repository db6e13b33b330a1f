import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A county's own ledger (issue 14): the column mapping the project office
 * confirmed for a header shape (keyed by its signature), proposed again the
 * next time the same shape is uploaded; and the progress notes (形象进度,
 * 存在问题, 下步计划) a ledger carries month by month, one row per import and
 * month so that the history is kept, never overwritten.
 */
export class LedgerMappingProgress1764320000000 implements MigrationInterface {
  name = 'LedgerMappingProgress1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_mapping (
        signature text PRIMARY KEY CHECK (signature ~ '^[0-9a-f]{64}$'),
        columns jsonb NOT NULL,
        confirmed_by uuid REFERENCES person(id) ON DELETE SET NULL,
        confirmed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE project_progress_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        month int NOT NULL CHECK (month BETWEEN 1 AND 12),
        progress_line text NOT NULL DEFAULT '',
        problems text NOT NULL DEFAULT '',
        next_steps text NOT NULL DEFAULT '',
        source text NOT NULL CHECK (source IN ('ledger_import', 'manual')),
        recorded_by uuid REFERENCES person(id) ON DELETE SET NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX project_progress_note_latest_idx ON project_progress_note (project_id, recorded_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_progress_note; DROP TABLE ledger_mapping;`);
  }
}
