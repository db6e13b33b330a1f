import { MigrationInterface, QueryRunner } from 'typeorm';

/** The organisation model, key projects, escalation policies, blockers, their events and notices. */
export class Initial1763870400000 implements MigrationInterface {
  name = 'Initial1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('department','township','county_committee','project_office','supervision_office')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        title text NOT NULL DEFAULT '',
        org_unit_id uuid NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
        roles text[] NOT NULL DEFAULT '{}',
        email text,
        phone text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX person_org_unit_idx ON person(org_unit_id);
      CREATE INDEX person_roles_idx ON person USING gin(roles);

      CREATE TABLE project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (char_length(code) = 24),
        name text NOT NULL,
        category text NOT NULL,
        responsible_unit_id uuid NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
        owner text NOT NULL,
        township_id uuid REFERENCES org_unit(id) ON DELETE RESTRICT,
        total_investment numeric(16,2) NOT NULL CHECK (total_investment >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX project_unit_idx ON project(responsible_unit_id);
      CREATE INDEX project_township_idx ON project(township_id);
      CREATE TABLE project_liaison_leader (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        PRIMARY KEY (project_id, person_id)
      );
      CREATE INDEX project_liaison_leader_person_idx ON project_liaison_leader(person_id);

      CREATE TABLE escalation_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        category text,
        severity text NOT NULL DEFAULT 'normal' CHECK (severity IN ('normal','urgent')),
        rungs jsonb NOT NULL,
        automatic boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- At most one automatic policy per (category, severity): the choice for a new matter is never ambiguous.
      CREATE UNIQUE INDEX escalation_policy_choice_idx ON escalation_policy(coalesce(category, ''), severity) WHERE automatic;

      CREATE TABLE blocker (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE RESTRICT,
        responsible_unit_id uuid NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
        category text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('normal','urgent')),
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        reported_by uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        reported_at timestamptz NOT NULL,
        policy_id uuid REFERENCES escalation_policy(id) ON DELETE SET NULL,
        policy_rungs jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('open','resolved')),
        rung text NOT NULL,
        rung_index int NOT NULL,
        due_at timestamptz,
        overdue_at_top boolean NOT NULL DEFAULT false,
        resolution text,
        resolved_by uuid REFERENCES person(id) ON DELETE RESTRICT,
        resolved_at timestamptz,
        workflow_id text NOT NULL UNIQUE,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX blocker_project_idx ON blocker(project_id);
      CREATE INDEX blocker_open_due_idx ON blocker(status, due_at);

      CREATE TABLE blocker_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        blocker_id uuid NOT NULL REFERENCES blocker(id) ON DELETE CASCADE,
        seq int NOT NULL,
        type text NOT NULL,
        from_rung text,
        to_rung text,
        actor text NOT NULL,
        reason text,
        due_at timestamptz,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (blocker_id, seq)
      );

      CREATE TABLE notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES blocker_event(id) ON DELETE CASCADE,
        blocker_id uuid NOT NULL REFERENCES blocker(id) ON DELETE CASCADE,
        recipient_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        channel text NOT NULL DEFAULT 'inbox',
        kind text NOT NULL,
        rung text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        title_en text NOT NULL,
        body_en text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (event_id, recipient_id, channel)
      );
      CREATE INDEX notice_recipient_idx ON notice(recipient_id, created_at DESC);

      -- Default policies: working days arrive with the calendar; until then wall-clock days.
      INSERT INTO escalation_policy (name, category, severity, rungs) VALUES
        ('默认（一般）', NULL, 'normal', '[{"rung":"unit","responseTime":"P5D"},{"rung":"liaison","responseTime":"P5D"},{"rung":"county","responseTime":"P7D"}]'),
        ('默认（紧急）', NULL, 'urgent', '[{"rung":"unit","responseTime":"P2D"},{"rung":"liaison","responseTime":"P2D"},{"rung":"county","responseTime":"P3D"}]');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notice;
      DROP TABLE blocker_event;
      DROP TABLE blocker;
      DROP TABLE escalation_policy;
      DROP TABLE project_liaison_leader;
      DROP TABLE project;
      DROP TABLE person;
      DROP TABLE org_unit;
    `);
  }
}
