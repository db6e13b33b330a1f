import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log, append-only in the database itself: triggers refuse UPDATE,
 * DELETE and TRUNCATE whatever the code does. (A superuser can disable the
 * triggers; the hash chain is what reveals such an edit.)
 */
export class AuditLog1763960000000 implements MigrationInterface {
  name = 'AuditLog1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('person','api_key','system','anonymous')),
        actor_id text,
        actor_name text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        before jsonb,
        after jsonb,
        reason text,
        request_id text,
        prev_hash text,
        hash text NOT NULL
      );
      CREATE INDEX audit_log_target_idx ON audit_log(target_type, target_id);
      CREATE INDEX audit_log_actor_idx ON audit_log(actor_id);
      CREATE INDEX audit_log_at_idx ON audit_log(at);

      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log; DROP FUNCTION audit_log_append_only();`);
  }
}
