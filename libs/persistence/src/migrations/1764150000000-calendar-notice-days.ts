import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which calendar days came from a loaded holiday notice (and from which year's),
 * so that a notice can be replaced or removed without touching the project
 * office's own amendments. Days loaded before this migration are matched to
 * their notice through the audit log, which records every loaded day.
 */
export class CalendarNoticeDays1764150000000 implements MigrationInterface {
  name = 'CalendarNoticeDays1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_amendment ADD COLUMN notice_year int REFERENCES calendar_notice_year(year)`);
    await q.query(`CREATE INDEX calendar_amendment_notice_year ON calendar_amendment (notice_year) WHERE notice_year IS NOT NULL`);
    await q.query(`
      UPDATE calendar_amendment a SET notice_year = y.year
      FROM calendar_notice_year y
      WHERE extract(year FROM a.date)::int = y.year
        AND EXISTS (
          SELECT 1 FROM audit_log l, jsonb_array_elements(coalesce(l.after->'days', '[]'::jsonb)) d
          WHERE l.action = 'calendar.notice_load' AND l.target_id = y.year::text AND d->>'date' = to_char(a.date, 'YYYY-MM-DD')
        )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_amendment DROP COLUMN notice_year`);
  }
}
