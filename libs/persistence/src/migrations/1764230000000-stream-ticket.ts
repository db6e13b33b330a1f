import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tickets for the inbox's live stream (GET /api/notices/stream?ticket=…): a browser's
 * EventSource cannot send an Authorization header, so a signed-in page first asks for a
 * ticket. Single use and short lived; kept in PostgreSQL (not in one API process's memory)
 * because the stream may be opened on another API process than the one that issued it.
 * Only an HMAC of the ticket is stored, like session tokens.
 */
export class StreamTicket1764230000000 implements MigrationInterface {
  name = 'StreamTicket1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stream_ticket (
        hash text PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        session_id uuid REFERENCES session(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX stream_ticket_expires_idx ON stream_ticket (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stream_ticket`);
  }
}
