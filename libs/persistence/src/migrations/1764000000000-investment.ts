import { MigrationInterface, QueryRunner } from 'typeorm';

/** Annual investment plans (年度计划投资) and completed-investment reports, each report kept. */
export class Investment1764000000000 implements MigrationInterface {
  name = 'Investment1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE investment_plan (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        amount numeric(16,2) NOT NULL CHECK (amount >= 0),
        set_by uuid NOT NULL REFERENCES person(id),
        set_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, year)
      );
      CREATE TABLE investment_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        month int NOT NULL CHECK (month BETWEEN 1 AND 12),
        completed numeric(16,2) NOT NULL CHECK (completed >= 0),
        note text NOT NULL DEFAULT '',
        reported_by uuid NOT NULL REFERENCES person(id),
        reported_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX investment_report_latest_idx ON investment_report(project_id, year, month DESC, reported_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE investment_report; DROP TABLE investment_plan;`);
  }
}
