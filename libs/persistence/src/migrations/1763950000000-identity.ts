import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts (logins linked to people), their sessions, and API keys for systems. */
export class Identity1763950000000 implements MigrationInterface {
  name = 'Identity1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL UNIQUE REFERENCES person(id) ON DELETE RESTRICT,
        username text NOT NULL UNIQUE CHECK (username = lower(username) AND username ~ '^[a-z0-9._-]{3,40}$'),
        password_hash text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        must_change_password boolean NOT NULL DEFAULT false,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
        access_hash text NOT NULL UNIQUE,
        access_expires_at timestamptz NOT NULL,
        refresh_hash text NOT NULL UNIQUE,
        previous_refresh_hash text,
        refresh_expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        user_agent text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX session_account_idx ON session(account_id);
      CREATE INDEX session_previous_refresh_idx ON session(previous_refresh_hash);
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        scopes text[] NOT NULL,
        created_by uuid NOT NULL REFERENCES person(id),
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key; DROP TABLE session; DROP TABLE account;`);
  }
}
