import { MigrationInterface, QueryRunner } from 'typeorm';

/** Coordination meetings of the county committee (专题协调会): agendas and decisions (议定事项). */
export class Meetings1763990000000 implements MigrationInterface {
  name = 'Meetings1763990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE coordination_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        scheduled_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','held')),
        held_at timestamptz,
        minutes text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE meeting_agenda_item (
        meeting_id uuid NOT NULL REFERENCES coordination_meeting(id),
        blocker_id uuid NOT NULL REFERENCES blocker(id),
        PRIMARY KEY (meeting_id, blocker_id)
      );
      CREATE TABLE meeting_decision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES coordination_meeting(id),
        source_blocker_id uuid REFERENCES blocker(id),
        text text NOT NULL,
        owner_unit_id uuid NOT NULL REFERENCES org_unit(id),
        due_at timestamptz NOT NULL,
        decision_blocker_id uuid NOT NULL UNIQUE REFERENCES blocker(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE meeting_decision; DROP TABLE meeting_agenda_item; DROP TABLE coordination_meeting;`);
  }
}
