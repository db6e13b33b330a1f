import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The project lifecycle's read model (stages, plan revisions, replanning
 * requests, its event log), bulletins, matters opened by the system itself
 * (no reporting person), and notices about a project rather than a blocker.
 */
export class Lifecycle1764010000000 implements MigrationInterface {
  name = 'Lifecycle1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_lifecycle (
        project_id uuid PRIMARY KEY REFERENCES project(id) ON DELETE CASCADE,
        workflow_id text NOT NULL,
        revision int NOT NULL,
        confirm_completion boolean NOT NULL,
        current_stage text,
        late_start_blocker_id uuid,
        pending_replan jsonb,
        completed_at timestamptz,
        last_seq int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE project_stage (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        stage text NOT NULL CHECK (stage IN ('planning','approval','land','start','completion')),
        position smallint NOT NULL,
        state text NOT NULL CHECK (state IN ('pending','active','done','n/a')),
        due_on date NOT NULL,
        due_at timestamptz NOT NULL,
        warn_at timestamptz NOT NULL,
        starts_on date,
        activated_at timestamptz,
        done_at timestamptz,
        completed_on date,
        evidence jsonb NOT NULL DEFAULT '[]',
        reported jsonb,
        not_applicable text,
        schedule_blocker_id uuid,
        PRIMARY KEY (project_id, stage)
      );
      -- The battle map's colour filters: active stages by due and warning time.
      CREATE INDEX project_stage_active_idx ON project_stage(due_at, warn_at) WHERE state = 'active';
      CREATE TABLE plan_revision (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        revision int NOT NULL,
        plan jsonb NOT NULL,
        reason text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('initial','set','granted')),
        set_by text,
        set_by_name text NOT NULL,
        request_id uuid,
        at timestamptz NOT NULL,
        PRIMARY KEY (project_id, revision)
      );
      CREATE TABLE replan_request (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        plan jsonb NOT NULL,
        reason text NOT NULL,
        requested_by text,
        requested_by_name text NOT NULL,
        requested_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','granted','refused')),
        decided_by text,
        decided_by_name text,
        decided_at timestamptz,
        decision_reason text
      );
      CREATE INDEX replan_request_project_idx ON replan_request(project_id, requested_at DESC);
      CREATE TABLE lifecycle_event (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        seq int NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_id text,
        actor_name text NOT NULL,
        reason text,
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (project_id, seq)
      );

      CREATE TABLE bulletin (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('weekly')),
        period_start date NOT NULL,
        number text NOT NULL,
        as_of timestamptz NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL,
        UNIQUE (kind, period_start)
      );

      -- Matters the system opens itself (an overdue stage, a late start) have no reporting person.
      ALTER TABLE blocker ALTER COLUMN reported_by DROP NOT NULL;

      -- Notices about a project (a stage turning yellow, lagging investment), not a blocker's event.
      ALTER TABLE notice ALTER COLUMN event_id DROP NOT NULL, ALTER COLUMN blocker_id DROP NOT NULL,
        ADD COLUMN project_id uuid REFERENCES project(id) ON DELETE CASCADE,
        ADD COLUMN source_key text,
        ADD CONSTRAINT notice_has_source CHECK (event_id IS NOT NULL OR source_key IS NOT NULL);
      CREATE UNIQUE INDEX notice_source_idx ON notice(source_key, recipient_id, channel) WHERE source_key IS NOT NULL;

      -- The late-start explanation (未按期开工书面说明): due within 5 working days, then up the ladder.
      INSERT INTO escalation_policy (name, category, severity, rungs, ladder_id, repeat_every, reopen_within)
      SELECT '未按期开工书面说明', 'late_start', 'normal', '[
        {"rung":"unit","responseTime":{"unit":"workingDays","amount":5},"warningBefore":{"unit":"workingDays","amount":1}},
        {"rung":"liaison","responseTime":{"unit":"workingDays","amount":5},"warningBefore":{"unit":"workingDays","amount":1}},
        {"rung":"county","responseTime":{"unit":"workingDays","amount":7},"warningBefore":{"unit":"workingDays","amount":1}}
      ]', id, 'P7D', 'P30D' FROM ladder WHERE is_default;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM escalation_policy WHERE name = '未按期开工书面说明' AND NOT EXISTS (SELECT 1 FROM blocker WHERE policy_id = escalation_policy.id);
      DELETE FROM notice WHERE event_id IS NULL;
      DROP INDEX notice_source_idx;
      ALTER TABLE notice DROP CONSTRAINT notice_has_source, DROP COLUMN source_key, DROP COLUMN project_id,
        ALTER COLUMN event_id SET NOT NULL, ALTER COLUMN blocker_id SET NOT NULL;
      ALTER TABLE blocker ALTER COLUMN reported_by SET NOT NULL;
      DROP TABLE bulletin; DROP TABLE lifecycle_event; DROP TABLE replan_request; DROP TABLE plan_revision; DROP TABLE project_stage; DROP TABLE project_lifecycle;
    `);
  }
}
