import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { Page, pageOf } from '../../persistence/src/page';
import { DeliveryDispatcher } from './delivery-dispatcher';

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'skipped', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryView {
  id: string;
  noticeId: string | null;
  recipientId: string | null;
  recipientName: string | null;
  channel: string;
  channelId: string | null;
  title: string;
  urgent: boolean;
  status: DeliveryStatus;
  attempts: number;
  retries: number;
  possibleDuplicate: boolean;
  providerMessageId: string | null;
  lastError: string | null;
  notBefore: string;
  createdAt: string;
  sentAt: string | null;
  deadAt: string | null;
  retriedBy: string | null;
  retriedAt: string | null;
}

export interface DeliveryAttemptView {
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  ok: boolean | null;
  httpStatus: number | null;
  answer: unknown;
  error: string | null;
}

const COLUMNS = `d.id, d.notice_id AS "noticeId", d.recipient_id AS "recipientId", p.name AS "recipientName", d.channel, d.channel_id AS "channelId",
  d.title, d.urgent, d.status, d.attempts, d.retries, d.possible_duplicate AS "possibleDuplicate", d.provider_message_id AS "providerMessageId",
  d.last_error AS "lastError", d.not_before AS "notBefore", d.created_at AS "createdAt", d.sent_at AS "sentAt", d.dead_at AS "deadAt",
  d.retried_by AS "retriedBy", d.retried_at AS "retriedAt"`;

/**
 * The outbox as the project office sees it: deliveries by status (the
 * dead-letter list is status=dead), each with its attempts and the
 * providers' answers, and the retry of a dead one.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  async list(q: { status?: DeliveryStatus; page: number; pageSize: number }): Promise<Page<DeliveryView>> {
    const rows = await this.ds.query(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total
         FROM delivery d LEFT JOIN person p ON p.id = d.recipient_id
        WHERE ($1::text IS NULL OR d.status = $1)
        ORDER BY COALESCE(d.dead_at, d.created_at) DESC, d.id LIMIT $2 OFFSET $3`,
      [q.status ?? null, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return pageOf([rows.map(({ total: _t, ...r }: { total: number }) => view(r)), rows[0]?.total ?? 0], q);
  }

  async get(id: string): Promise<DeliveryView & { body: string; attemptLog: DeliveryAttemptView[] }> {
    const [row] = await this.ds.query(`SELECT ${COLUMNS}, d.body FROM delivery d LEFT JOIN person p ON p.id = d.recipient_id WHERE d.id = $1`, [id]);
    if (!row) throw DomainError.notFound({ zh: '投递记录', en: 'Delivery' }, id);
    const attempts = await this.ds.query(
      `SELECT attempt, started_at AS "startedAt", finished_at AS "finishedAt", ok, http_status AS "httpStatus", answer, error
         FROM delivery_attempt WHERE delivery_id = $1 ORDER BY attempt`,
      [id],
    );
    return {
      ...view(row),
      body: row.body,
      attemptLog: attempts.map((a: DeliveryAttemptView & { startedAt: Date; finishedAt: Date | null }) => ({
        ...a,
        startedAt: new Date(a.startedAt).toISOString(),
        finishedAt: a.finishedAt ? new Date(a.finishedAt).toISOString() : null,
      })),
    };
  }

  /**
   * A dead delivery goes back to pending with its attempts reset, under a new
   * workflow (delivery-<id>-retry-<n>). Retrying one already pending or
   * sending again changes nothing (idempotent); a sent or skipped one is refused.
   */
  async retry(ctx: RequestContext, id: string, reason: string): Promise<DeliveryView> {
    const retried = await this.ds.transaction(async (em) => {
      const [d] = await em.query(`SELECT status, attempts, retries, last_error FROM delivery WHERE id = $1 FOR UPDATE`, [id]);
      if (!d) throw DomainError.notFound({ zh: '投递记录', en: 'Delivery' }, id);
      if (d.status === 'pending' || d.status === 'sending') return false;
      if (d.status !== 'dead') {
        throw new DomainError(
          DomainErrorCode.Conflict,
          d.status === 'sent' ? '该消息已发送成功，无需重试' : '该消息已跳过（收件人已在站内阅读），无需重试',
          d.status === 'sent' ? 'This delivery was sent; there is nothing to retry' : 'This delivery was skipped (read in the inbox); there is nothing to retry',
          { status: d.status },
        );
      }
      const person = ctx.actor.kind === 'person' ? ctx.actor.personId : null;
      await em.query(
        `UPDATE delivery SET status = 'pending', attempts = 0, retries = retries + 1, dead_at = NULL, dispatched_at = NULL, retried_by = $2, retried_at = now(),
           not_before = LEAST(not_before, now()) WHERE id = $1`,
        [id, person],
      );
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'delivery.retry',
        targetType: 'delivery',
        targetId: id,
        before: { status: 'dead', attempts: d.attempts, lastError: d.last_error },
        after: { status: 'pending', retry: d.retries + 1 },
        reason,
        requestId: ctx.requestId,
      });
      return true;
    });
    if (retried) {
      // Committed first: if Temporal is away now, the relay's sweep starts it within a minute.
      await this.dispatcher.dispatch(id).catch((err) => this.logger.warn(`retry of delivery ${id} not started yet (the sweep will): ${err}`));
    }
    const [row] = await this.ds.query(`SELECT ${COLUMNS} FROM delivery d LEFT JOIN person p ON p.id = d.recipient_id WHERE d.id = $1`, [id]);
    return view(row);
  }
}

const isoOrNull = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);

function view(r: Record<string, any>): DeliveryView {
  return {
    ...(r as DeliveryView),
    notBefore: new Date(r.notBefore).toISOString(),
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: isoOrNull(r.sentAt),
    deadAt: isoOrNull(r.deadAt),
    retriedAt: isoOrNull(r.retriedAt),
  };
}
