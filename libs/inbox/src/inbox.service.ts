import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import type { PersonActor } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { BlockersService } from '../../escalation/src/blockers.service';
import { auditActorOf, type RequestContext } from '../../identity/src/context';
import type { NoticeKind } from '../../notices/src/notice.entity';
import { Page } from '../../persistence/src/page';
import { InboxNotice, InboxQuery, NOTICE_READ_CHANNEL, UnreadCounts } from './inbox.types';

const NOTICE = { zh: '通知', en: 'Notice' };

/** The inbox's columns: the notice, and the names of its project, matter and the person a deputy stands in for. */
// Writes are \`WITH u AS (UPDATE … RETURNING …) SELECT …\`: TypeORM answers a bare UPDATE with [rows, count], a SELECT with its rows.
const SELECT = `
  SELECT n.id, n.recipient_id, n.kind, n.title, n.body, n.title_en, n.body_en, n.rung, n.document_no, n.channel, n.created_at, n.read_at,
         n.urgent, n.ack_required, n.acknowledged_at, n.event_id, n.source_key, n.blocker_id, b.title AS blocker_title,
         COALESCE(n.project_id, b.project_id) AS project_id, p.name AS project_name, n.deputy_for, d.name AS deputy_for_name, n.delegation_id
  FROM notice n
  LEFT JOIN blocker b ON b.id = n.blocker_id
  LEFT JOIN project p ON p.id = COALESCE(n.project_id, b.project_id)
  LEFT JOIN person d ON d.id = n.deputy_for`;

type Row = Record<string, unknown> & { id: string; blocker_id: string | null; deputy_for: string | null; ack_required: boolean };

const iso = (v: unknown): string | null => (v == null ? null : new Date(v as string).toISOString());

export function inboxNotice(r: Row): InboxNotice {
  return {
    id: r.id,
    recipientId: r.recipient_id as string,
    kind: r.kind as NoticeKind,
    title: r.title as string,
    body: r.body as string,
    titleEn: r.title_en as string,
    bodyEn: r.body_en as string,
    rung: r.rung as string,
    documentNo: (r.document_no as string | null) ?? null,
    channel: r.channel as string,
    createdAt: iso(r.created_at)!,
    readAt: iso(r.read_at),
    urgent: r.urgent as boolean,
    ackRequired: r.ack_required,
    acknowledgedAt: iso(r.acknowledged_at),
    eventId: (r.event_id as string | null) ?? null,
    sourceKey: (r.source_key as string | null) ?? null,
    blockerId: r.blocker_id,
    blockerTitle: (r.blocker_title as string | null) ?? null,
    projectId: (r.project_id as string | null) ?? null,
    projectName: (r.project_name as string | null) ?? null,
    deputyFor: r.deputy_for ? { personId: r.deputy_for, name: (r.deputy_for_name as string | null) ?? '' } : null,
    delegationId: (r.delegation_id as string | null) ?? null,
    acknowledge: r.ack_required && r.blocker_id ? { blockerId: r.blocker_id, acknowledged: r.acknowledged_at != null, href: `/api/notices/${r.id}/acknowledge` } : null,
  };
}

/**
 * A person's own inbox (收件箱): reading it, counting it, marking notices read and
 * acknowledging (签收) those that ask for it. Every query is bound to the caller's id:
 * another person's notice is "not found", never shown or changed.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly blockers: BlockersService,
  ) {}

  async list(personId: string, q: InboxQuery): Promise<Page<InboxNotice>> {
    const where = ['n.recipient_id = $1'];
    const params: unknown[] = [personId];
    if (q.unreadOnly) where.push('n.read_at IS NULL');
    if (q.kind) where.push(`n.kind = $${params.push(q.kind)}`);
    if (q.urgent !== undefined) where.push(`n.urgent = $${params.push(q.urgent)}`);
    if (q.ackPending !== undefined) where.push(q.ackPending ? 'n.ack_required AND n.acknowledged_at IS NULL' : 'NOT (n.ack_required AND n.acknowledged_at IS NULL)');
    const cond = where.join(' AND ');
    const [rows, [{ count }]] = await Promise.all([
      this.ds.query(`${SELECT} WHERE ${cond} ORDER BY n.created_at DESC, n.id ASC OFFSET ${(q.page - 1) * q.pageSize} LIMIT ${q.pageSize}`, params),
      this.ds.query(`SELECT count(*)::int AS count FROM notice n WHERE ${cond}`, params),
    ]);
    return { items: (rows as Row[]).map(inboxNotice), total: count as number, page: q.page, pageSize: q.pageSize };
  }

  /** One of the person's notices, or null (another's notice is as good as absent). */
  async one(personId: string, id: string, em: EntityManager = this.ds.manager): Promise<InboxNotice | null> {
    const [row] = (await em.query(`${SELECT} WHERE n.id = $1 AND n.recipient_id = $2`, [id, personId])) as Row[];
    return row ? inboxNotice(row) : null;
  }

  /** The person's notices stored after the given one (by its creation time), oldest first: what a reconnecting stream missed. */
  async after(personId: string, lastId: string, limit = 200): Promise<InboxNotice[]> {
    const rows = (await this.ds.query(
      `${SELECT} WHERE n.recipient_id = $1 AND n.id <> $2
         AND n.created_at >= (SELECT created_at FROM notice WHERE id = $2 AND recipient_id = $1)
       ORDER BY n.created_at ASC, n.id ASC LIMIT ${limit}`,
      [personId, lastId],
    )) as Row[];
    return rows.map(inboxNotice);
  }

  /** Where a live stream starts (its `ready` event's id): the person's newest notice, or the database's time when they have none. */
  async streamStart(personId: string): Promise<string> {
    const [r]: { id: string | null; now: Date }[] = await this.ds.query(
      `SELECT (SELECT id::text FROM notice WHERE recipient_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1) AS id, now() AS now`,
      [personId],
    );
    return r.id ?? `t:${new Date(r.now).toISOString()}`;
  }

  /** The person's notices created at or after `since`, oldest first. */
  async since(personId: string, since: Date, limit = 200): Promise<InboxNotice[]> {
    const rows = (await this.ds.query(`${SELECT} WHERE n.recipient_id = $1 AND n.created_at >= $2 ORDER BY n.created_at ASC, n.id ASC LIMIT ${limit}`, [personId, since])) as Row[];
    return rows.map(inboxNotice);
  }

  async counts(personId: string): Promise<UnreadCounts> {
    const [[totals], kinds] = await Promise.all([
      this.ds.query(
        `SELECT count(*) FILTER (WHERE read_at IS NULL)::int AS total, count(*) FILTER (WHERE read_at IS NULL AND urgent)::int AS urgent,
                count(*) FILTER (WHERE ack_required AND acknowledged_at IS NULL)::int AS ack_pending
         FROM notice WHERE recipient_id = $1`,
        [personId],
      ),
      this.ds.query(`SELECT kind, count(*)::int AS n FROM notice WHERE recipient_id = $1 AND read_at IS NULL GROUP BY kind ORDER BY kind`, [personId]),
    ]);
    const byKind: UnreadCounts['byKind'] = {};
    for (const k of kinds as { kind: NoticeKind; n: number }[]) byKind[k.kind] = k.n;
    return { total: totals.total, urgent: totals.urgent, byKind, ackPending: totals.ack_pending };
  }

  /** Marks one of the caller's notices read; read once, at the first time (a repeat changes nothing). */
  async markRead(ctx: RequestContext, id: string, reason?: string): Promise<InboxNotice> {
    const me = person(ctx);
    return this.ds.transaction(async (em) => {
      const [changed] = await em.query(`WITH u AS (UPDATE notice SET read_at = now() WHERE id = $1 AND recipient_id = $2 AND read_at IS NULL RETURNING read_at) SELECT * FROM u`, [
        id,
        me.personId,
      ]);
      const notice = await this.one(me.personId, id, em);
      if (!notice) throw DomainError.notFound(NOTICE, id);
      if (changed) {
        await this.audit.record(em, {
          actor: auditActorOf(me),
          action: 'notice.read',
          targetType: 'notice',
          targetId: id,
          after: { readAt: notice.readAt, kind: notice.kind },
          reason: reason ?? null,
          requestId: ctx.requestId,
        });
        await notifyRead(em, me.personId);
      }
      return notice;
    });
  }

  /** Marks the caller's unread notices read (of one kind, stored up to an instant, if given); returns how many. */
  async readAll(ctx: RequestContext, f: { kind?: NoticeKind; before?: string; reason?: string }): Promise<{ marked: number }> {
    const me = person(ctx);
    return this.ds.transaction(async (em) => {
      const rows: unknown[] = await em.query(
        `WITH u AS (
           UPDATE notice SET read_at = now()
           WHERE recipient_id = $1 AND read_at IS NULL AND ($2::text IS NULL OR kind = $2) AND ($3::timestamptz IS NULL OR created_at <= $3)
           RETURNING id)
         SELECT id FROM u`,
        [me.personId, f.kind ?? null, f.before ?? null],
      );
      if (rows.length) {
        await this.audit.record(em, {
          actor: auditActorOf(me),
          action: 'notice.read_all',
          targetType: 'person',
          targetId: me.personId,
          after: { marked: rows.length, ...(f.kind && { kind: f.kind }), ...(f.before && { before: f.before }) },
          reason: f.reason ?? null,
          requestId: ctx.requestId,
        });
        await notifyRead(em, me.personId);
      }
      return { marked: rows.length };
    });
  }

  /**
   * 签收 through a notice: for a notice asking for it, this is the matter's own acknowledge
   * action (the same path as POST /api/blockers/:id/acknowledge, with its rung rules), then
   * the notice is read and acknowledged. Done already: answered as it is, nothing repeated.
   */
  async acknowledge(ctx: RequestContext, id: string): Promise<InboxNotice> {
    const me = person(ctx);
    const notice = await this.one(me.personId, id);
    if (!notice) throw DomainError.notFound(NOTICE, id);
    if (!notice.acknowledge) {
      throw new DomainError(DomainErrorCode.Conflict, '该通知无需签收（只有督办通知需要签收）', 'This notice does not ask for acknowledgement (only escalation notices do)');
    }
    if (notice.acknowledgedAt) return notice;
    const blockerId = notice.acknowledge.blockerId;
    const blocker = await this.blockers.get(blockerId, me);
    // Acknowledged already on the matter (through the blocker, by the deputy or the person stood in for, or a
    // lost answer): only the notice is behind. Otherwise the matter's own action decides, with its rung rules.
    const done = [me.personId, notice.deputyFor?.personId].some((p) => p && blocker.acknowledgedBy.includes(p));
    if (!done) await this.blockers.act(ctx, blockerId, { action: 'acknowledge' });
    return this.ds.transaction(async (em) => {
      const [changed] = await em.query(
        `WITH u AS (
           UPDATE notice SET acknowledged_at = now(), read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_id = $2 AND acknowledged_at IS NULL RETURNING id)
         SELECT id FROM u`,
        [id, me.personId],
      );
      const after = (await this.one(me.personId, id, em))!;
      if (changed) {
        await this.audit.record(em, {
          actor: auditActorOf(me),
          action: 'notice.acknowledge',
          targetType: 'notice',
          targetId: id,
          after: { blockerId, acknowledgedAt: after.acknowledgedAt, ...(after.deputyFor && { deputyFor: after.deputyFor.personId }) },
          requestId: ctx.requestId,
        });
        await notifyRead(em, me.personId);
      }
      return after;
    });
  }
}

/** Only people have an inbox. */
function person(ctx: RequestContext): PersonActor {
  if (ctx.actor.kind !== 'person') throw DomainError.forbidden('只有人员有收件箱', 'Only a person has an inbox');
  return ctx.actor;
}

/** Delivered to the LISTENing API processes when the transaction commits. */
export async function notifyRead(em: EntityManager, personId: string): Promise<void> {
  await em.query(`SELECT pg_notify('${NOTICE_READ_CHANNEL}', json_build_object('recipientId', $1::uuid)::text)`, [personId]);
}
