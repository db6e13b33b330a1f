import { MigrationInterface, QueryRunner } from 'typeorm';

/** The organisation's amendments to the working-day calendar, and the notice years it has loaded. */
export class Calendar1763970000000 implements MigrationInterface {
  name = 'Calendar1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_amendment (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('off','work')),
        note text NOT NULL DEFAULT '',
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE calendar_notice_year (
        year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        note text NOT NULL DEFAULT '',
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_notice_year; DROP TABLE calendar_amendment;`);
  }
}
