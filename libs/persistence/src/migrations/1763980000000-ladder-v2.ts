import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full ladder: ladders as data, policies with working-day response times,
 * warnings, repeat reminders and a reopen period; the blocker read model's new
 * state (warning time, acknowledgements, a pending extension, reopen window);
 * numbered escalation notices (督办〔2026〕12号).
 */
export class LadderV21763980000000 implements MigrationInterface {
  name = 'LadderV21763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ladder (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        rungs jsonb NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX ladder_one_default_idx ON ladder(is_default) WHERE is_default;
      INSERT INTO ladder (name, is_default, rungs) VALUES ('默认督办层级', true, '[
        {"key":"unit","name":{"zh":"责任单位","en":"responsible unit"},"members":{"kind":"responsible_unit"}},
        {"key":"liaison","name":{"zh":"包联领导","en":"liaison leader"},"members":{"kind":"project_liaison"}},
        {"key":"county","name":{"zh":"县委县政府","en":"county committee"},"members":{"kind":"county_committee"}}
      ]');

      ALTER TABLE escalation_policy
        ADD COLUMN ladder_id uuid REFERENCES ladder(id) ON DELETE RESTRICT,
        ADD COLUMN repeat_every text,
        ADD COLUMN reopen_within text NOT NULL DEFAULT 'P30D',
        ADD COLUMN version int NOT NULL DEFAULT 1,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
      UPDATE escalation_policy SET ladder_id = (SELECT id FROM ladder WHERE is_default);
      -- The two default policies now count working days, warn a working day ahead and repeat weekly at the top.
      UPDATE escalation_policy SET repeat_every = 'P7D', rungs = '[
        {"rung":"unit","responseTime":{"unit":"workingDays","amount":5},"warningBefore":{"unit":"workingDays","amount":1}},
        {"rung":"liaison","responseTime":{"unit":"workingDays","amount":5},"warningBefore":{"unit":"workingDays","amount":1}},
        {"rung":"county","responseTime":{"unit":"workingDays","amount":7},"warningBefore":{"unit":"workingDays","amount":1}}
      ]' WHERE name = '默认（一般）';
      UPDATE escalation_policy SET repeat_every = 'P1D', rungs = '[
        {"rung":"unit","responseTime":{"unit":"workingDays","amount":2},"warningBefore":{"fraction":0.25}},
        {"rung":"liaison","responseTime":{"unit":"workingDays","amount":2},"warningBefore":{"fraction":0.25}},
        {"rung":"county","responseTime":{"unit":"workingDays","amount":3},"warningBefore":{"fraction":0.25}}
      ]' WHERE name = '默认（紧急）';
      ALTER TABLE escalation_policy ALTER COLUMN ladder_id SET NOT NULL;

      ALTER TABLE blocker
        ADD COLUMN ladder jsonb,
        ADD COLUMN repeat_every text,
        ADD COLUMN reopen_within text,
        ADD COLUMN warn_at timestamptz,
        ADD COLUMN provisional boolean NOT NULL DEFAULT false,
        ADD COLUMN entered_rung_at timestamptz,
        ADD COLUMN acknowledged_by uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN extension jsonb,
        ADD COLUMN reopen_until timestamptz,
        ADD COLUMN last_seq int NOT NULL DEFAULT 0;
      CREATE INDEX blocker_unit_idx ON blocker(responsible_unit_id);
      CREATE INDEX blocker_open_warn_idx ON blocker(status, warn_at);

      ALTER TABLE blocker_event
        ADD COLUMN actor_name text NOT NULL DEFAULT '',
        ADD COLUMN details jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN document_no text;
      ALTER TABLE notice ADD COLUMN document_no text;

      -- Escalation notices are numbered per organisation (one per installation for now) and year.
      CREATE TABLE document_counter (
        series text NOT NULL,
        year int NOT NULL,
        last int NOT NULL,
        PRIMARY KEY (series, year)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE document_counter;
      ALTER TABLE notice DROP COLUMN document_no;
      ALTER TABLE blocker_event DROP COLUMN actor_name, DROP COLUMN details, DROP COLUMN document_no;
      DROP INDEX blocker_unit_idx; DROP INDEX blocker_open_warn_idx;
      ALTER TABLE blocker DROP COLUMN ladder, DROP COLUMN repeat_every, DROP COLUMN reopen_within, DROP COLUMN warn_at, DROP COLUMN provisional,
        DROP COLUMN entered_rung_at, DROP COLUMN acknowledged_by, DROP COLUMN extension, DROP COLUMN reopen_until, DROP COLUMN last_seq;
      ALTER TABLE escalation_policy DROP COLUMN ladder_id, DROP COLUMN repeat_every, DROP COLUMN reopen_within, DROP COLUMN version, DROP COLUMN updated_at;
      DROP TABLE ladder;
    `);
  }
}
