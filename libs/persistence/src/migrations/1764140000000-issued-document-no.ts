import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register of numbers issued in an official series (超时默认〔2026〕3号):
 * each number with what it was issued for, written in the transaction that
 * takes it from document_counter. A retried activity finds its number here
 * instead of taking a new one, so a lost completion leaves no gap.
 */
export class IssuedDocumentNo1764140000000 implements MigrationInterface {
  name = 'IssuedDocumentNo1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE issued_document_no (
        owner_key text PRIMARY KEY,
        series text NOT NULL,
        year int NOT NULL,
        number int NOT NULL,
        document_no text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (series, year, number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE issued_document_no`);
  }
}
