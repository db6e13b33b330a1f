import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many times the project office has retried a dead delivery: each retry
 * runs under its own workflow id, delivery-<id>-retry-<n>, since the first
 * run's id is taken for good (a second start of it is refused by design).
 */
export class DeliveryRetries1764210000000 implements MigrationInterface {
  name = 'DeliveryRetries1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery ADD COLUMN retries int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery DROP COLUMN retries`);
  }
}
