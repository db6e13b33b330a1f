import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig, requireAuthSecret } from '../../config/src';
import type { PersonActor } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf } from '../../identity/src/context';
import { keyedHash, newSecret } from '../../identity/src/secrets';

/** How long a ticket may wait to be used. */
export const TICKET_SECONDS = 60;

export const badTicket = () =>
  new DomainError(
    DomainErrorCode.Unauthenticated,
    '实时通知凭证无效、已过期或已使用，请重新获取（POST /api/notices/stream-tickets）',
    'The stream ticket is invalid, expired or already used; get a new one (POST /api/notices/stream-tickets)',
  );

/**
 * Tickets for the live stream, for browsers whose EventSource cannot send an
 * Authorization header: 32 random bytes, single use, valid 60 s, bound to the
 * session that asked for it. PostgreSQL keeps only an HMAC under the API's
 * secret, so any API process can redeem a ticket another one issued, and a copy
 * of the database holds no usable ticket.
 */
@Injectable()
export class StreamTicketsService {
  private readonly secret: string;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(DUBAN_CONFIG) cfg: DubanConfig,
  ) {
    this.secret = requireAuthSecret(cfg);
  }

  async issue(actor: PersonActor, requestId: string): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = newSecret(32);
    return this.ds.transaction(async (em) => {
      // Old tickets are of no use to anyone: swept here rather than by a job of their own.
      await em.query(`DELETE FROM stream_ticket WHERE expires_at < now() - interval '1 hour'`);
      const [{ expires_at }] = await em.query(
        `INSERT INTO stream_ticket (hash, person_id, session_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
        [keyedHash(this.secret, ticket), actor.personId, actor.sessionId, TICKET_SECONDS],
      );
      await this.audit.record(em, {
        actor: auditActorOf(actor),
        action: 'notice.stream_ticket',
        targetType: 'person',
        targetId: actor.personId,
        after: { expiresAt: new Date(expires_at).toISOString() },
        requestId,
      });
      return { ticket, expiresAt: new Date(expires_at).toISOString() };
    });
  }

  /** Uses a ticket up; the person it was issued to, while their session and account are still good. */
  async redeem(ticket: string): Promise<{ personId: string; sessionId: string }> {
    if (!ticket || ticket.length > 200) throw badTicket();
    const rows: { person_id: string; session_id: string }[] = await this.ds.query(
      `WITH used AS (
         UPDATE stream_ticket SET used_at = now() WHERE hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING person_id, session_id)
       SELECT u.person_id, u.session_id FROM used u
         JOIN session s ON s.id = u.session_id AND s.revoked_at IS NULL
         JOIN account a ON a.id = s.account_id AND a.status = 'active' AND a.person_id = u.person_id`,
      [keyedHash(this.secret, ticket)],
    );
    if (!rows.length) throw badTicket();
    return { personId: rows[0].person_id, sessionId: rows[0].session_id };
  }

  /** Whether a stream's session still stands (not logged out or revoked, the account not disabled). */
  async sessionAlive(sessionId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM session s JOIN account a ON a.id = s.account_id AND a.status = 'active' WHERE s.id = $1 AND s.revoked_at IS NULL`, [
      sessionId,
    ]);
    return rows.length > 0;
  }
}
