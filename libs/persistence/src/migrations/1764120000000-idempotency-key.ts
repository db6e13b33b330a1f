import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of the HTTP API: one row per (actor, key), holding the
 * request's fingerprint while it runs and its answer once done, so a retry
 * gets the first answer (apps/api/src/idempotency). Rows older than the
 * retention period are purged lazily.
 */
export class IdempotencyKey1764120000000 implements MigrationInterface {
  name = 'IdempotencyKey1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        actor text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        route text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_flight','done')),
        locked_until timestamptz,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (actor, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_created_idx ON idempotency_key(created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}
