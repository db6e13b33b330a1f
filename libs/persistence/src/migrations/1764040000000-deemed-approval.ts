import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deemed approval on timeout (超时默认), per catalogue item, where local rules adopt it (off by default). */
export class DeemedApproval1764040000000 implements MigrationInterface {
  name = 'DeemedApproval1764040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approval_catalogue_item ADD COLUMN deemed_approval boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approval_catalogue_item DROP COLUMN deemed_approval`);
  }
}
