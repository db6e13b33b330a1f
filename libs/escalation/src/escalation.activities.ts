import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DateTime, Duration } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { computeDue, type Calendar, type ResponseTimeSpec } from '../../calendar/src';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import type { BlockerCategory, BlockerEventType, BlockerState, BlockerWorkflowInput } from '../../domain/src/blocker';
import { rungLabel, type LadderRung, type ResponseTime, type WarningBefore } from '../../domain/src/ladder';
import { acknowledgeNotices } from '../../inbox/src/notice-acknowledgement';
import type { NoticeKind } from '../../notices/src/notice.entity';
import { EscalationActivitiesV1Base } from './escalation-v1.activities';
import { noticeText } from './notice-text';
import { planDeliveriesInGroups } from '../../notices/src/delivery-planner';
import { rungMembers } from './rung-members';

/** One transition of a matter, with the matter's state after it (the read model takes that state). */
export interface BlockerEventRecord {
  blockerId: string;
  seq: number;
  type: BlockerEventType;
  at: string;
  actor: { kind: 'person' | 'system'; id: string | null; name: string };
  requestId: string | null;
  fromRung: string | null;
  toRung: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  state: BlockerState;
  ladder: LadderRung[];
  input?: BlockerWorkflowInput;
}

/** Who gets which notice for an event: a rung's people (by index), or the reporter. */
type Plan = { kind: NoticeKind; rung: number | 'reporter'; numbered?: boolean };

interface Recipients {
  ctx: { project_id: string; project_name: string; title: string; category: BlockerCategory; reported_by: string };
  todo: Plan[];
  people: string[][];
}

function plans(e: BlockerEventRecord): Plan[] {
  const i = e.state.rungIndex;
  switch (e.type) {
    case 'reported':
      return [{ kind: 'assigned', rung: i }];
    case 'reminder':
      return [{ kind: 'reminder', rung: i }];
    case 'escalated':
      return [
        { kind: 'escalation', rung: i, numbered: true },
        { kind: 'copy', rung: i - 1, numbered: true },
      ];
    case 'overdue_at_top':
      return [{ kind: 'overdue', rung: i }];
    case 'repeat_reminder':
      return [{ kind: 'repeat_reminder', rung: i }];
    case 'remind':
      return [{ kind: 'remind', rung: i }];
    case 'progress':
      return [{ kind: 'progress', rung: 'reporter' }];
    case 'extension_requested':
      return [{ kind: 'extension_requested', rung: Math.min(i + 1, e.ladder.length - 1) }];
    case 'extension_granted':
    case 'extension_refused':
      return [{ kind: 'extension_decided', rung: i }];
    case 'transferred':
      return [{ kind: 'transferred', rung: 0 }];
    case 'resolved':
      return [
        { kind: 'resolved', rung: i },
        { kind: 'resolved', rung: 'reporter' },
      ];
    case 'reopened':
      return [{ kind: 'reopened', rung: i }];
    case 'policy_applied':
    case 'due_recomputed':
      return [{ kind: 'due_changed', rung: i }];
    default:
      return []; // acknowledged, extension_lapsed, closed: recorded, nobody notified
  }
}

/**
 * The escalation workflow's side effects (version 2). Each event is one
 * transaction and idempotent: the event row is keyed by (blocker, seq) from
 * the workflow, notices by (event, recipient, channel), and the read model
 * only moves forward (last_seq); a retry after a commit does nothing, a retry
 * after a crash before it does everything once.
 */
@Injectable()
export class EscalationActivities extends EscalationActivitiesV1Base {
  constructor(
    ds: DataSource,
    @Inject(DUBAN_CONFIG) cfg: DubanConfig,
    audit: AuditService,
    private readonly calendar: CalendarStore,
  ) {
    super(ds, cfg, audit);
  }

  /** A rung's due time (and warning time) from `from` on the calendar, or the given due time with its warning. */
  async computeDue(a: {
    from: string;
    responseTime: ResponseTime;
    warningBefore?: WarningBefore;
    dueAt?: string;
    fresh?: boolean;
  }): Promise<{ dueAt: string; warnAt: string | null; provisional: boolean }> {
    const cal = await this.calendar.current(a.fresh);
    let due: { dueAt: string; provisional: boolean };
    try {
      due = a.dueAt ? { dueAt: new Date(a.dueAt).toISOString(), provisional: false } : computeDue(cal, a.from, toSpec(a.responseTime));
    } catch (err) {
      throw ApplicationFailure.create({ nonRetryable: true, message: `cannot compute a due time: ${err instanceof Error ? err.message : err}` });
    }
    const warnAt = a.warningBefore ? warningTime(cal, a.from, due.dueAt, a.warningBefore) : null;
    return { ...due, warnAt: warnAt && warnAt > Date.parse(a.from) ? new Date(warnAt).toISOString() : null };
  }

  /**
   * Records one event of a matter. Returns when it ended (after the commit): the workflow arms its
   * next timer from that instant, not from its own clock, which stands still through the task
   * (workflows/support/clock.ts armingNowMs).
   */
  async recordEvent(e: BlockerEventRecord): Promise<{ endedAtMs: number }> {
    await this.record(e);
    return { endedAtMs: Date.now() };
  }

  private async record(e: BlockerEventRecord): Promise<void> {
    await this.ds.transaction(async (em) => {
      if (e.type === 'reported') await this.insertBlocker(em, e);
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO blocker_event (blocker_id, seq, type, from_rung, to_rung, actor, actor_name, reason, due_at, at, details)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (blocker_id, seq) DO NOTHING RETURNING id`,
        [e.blockerId, e.seq, e.type, e.fromRung, e.toRung, e.actor.id ?? 'system', e.actor.name, e.reason, e.state.dueAt, e.at, JSON.stringify(e.details)],
      );
      if (!inserted.length) return; // a retry: all of it was done
      const eventId = inserted[0].id;
      await this.updateReadModel(em, e);
      // 签收 however it was done: the person's notices asking for it are acknowledged with it (and their deputies' copies).
      if (e.type === 'acknowledged' && e.actor.id) await acknowledgeNotices(em, { blockerId: e.blockerId, personId: e.actor.id, rung: e.state.rung, at: e.at });
      const recipients = await this.recipients(em, e);
      // The yearly number is taken late in the transaction: its row lock is held until commit.
      const documentNo = e.type === 'escalated' ? await this.nextDocumentNo(em, e.at) : null;
      if (documentNo) await em.query(`UPDATE blocker_event SET document_no = $2 WHERE id = $1`, [eventId, documentNo]);
      await this.sendNotices(em, e, eventId, documentNo, recipients);
      const s = e.state;
      await this.audit.record(em, {
        actor: e.actor,
        action: `blocker.${AUDIT_VERB[e.type] ?? e.type}`,
        targetType: 'blocker',
        targetId: e.blockerId,
        after: { status: s.status, rung: s.rung, dueAt: s.dueAt, responsibleUnitId: s.responsibleUnitId, ...(documentNo && { documentNo }), ...e.details },
        reason: e.reason,
        requestId: e.requestId,
      });
    });
  }

  private async insertBlocker(em: EntityManager, e: BlockerEventRecord): Promise<void> {
    const i = e.input!;
    await em.query(
      `INSERT INTO blocker (id, project_id, responsible_unit_id, category, severity, title, description, reported_by, reported_at, policy_id,
         policy_rungs, ladder, repeat_every, reopen_within, status, rung, rung_index, due_at, workflow_id, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,'open',$15,0,$16,$17,$9) ON CONFLICT (id) DO NOTHING`,
      [
        i.blockerId,
        i.projectId,
        i.responsibleUnitId,
        i.category,
        i.severity,
        i.title,
        i.description,
        i.reportedBy,
        e.at,
        i.policyId,
        JSON.stringify(i.rungs),
        JSON.stringify(e.ladder),
        i.repeatEvery ?? null,
        i.reopenWithin ?? null,
        e.state.rung,
        e.state.dueAt,
        `blocker-${i.blockerId}`,
      ],
    );
  }

  /** The read model takes the state after the event, unless a later event got there first. */
  private async updateReadModel(em: EntityManager, e: BlockerEventRecord): Promise<void> {
    const s = e.state;
    const resolved = e.type === 'resolved';
    await em.query(
      `UPDATE blocker SET status = $3, rung = $4, rung_index = $5, due_at = $6, warn_at = $7, provisional = $8, overdue_at_top = $9,
         entered_rung_at = $10, responsible_unit_id = $11, acknowledged_by = $12, extension = $13, reopen_until = $14, last_seq = $2, updated_at = $15,
         resolution = CASE WHEN $16 THEN $17 WHEN $3 = 'open' THEN NULL ELSE resolution END,
         resolved_by = CASE WHEN $16 THEN $18::uuid WHEN $3 = 'open' THEN NULL ELSE resolved_by END,
         resolved_at = CASE WHEN $16 THEN $15::timestamptz WHEN $3 = 'open' THEN NULL ELSE resolved_at END,
         policy_id = COALESCE($19, policy_id), policy_rungs = COALESCE($20, policy_rungs)
       WHERE id = $1 AND last_seq < $2`,
      [
        e.blockerId,
        e.seq,
        s.status,
        s.rung,
        s.rungIndex,
        s.dueAt,
        s.warnAt ?? null,
        s.provisional ?? false,
        s.overdueAtTop,
        s.enteredRungAt ?? null,
        s.responsibleUnitId,
        s.acknowledgedBy ?? [],
        s.extension ? JSON.stringify(s.extension) : null,
        s.reopenUntil ?? null,
        e.at,
        resolved,
        e.reason,
        e.actor.id,
        e.type === 'policy_applied' ? (e.details.policyId as string) : null,
        e.type === 'policy_applied' ? JSON.stringify(e.details.rungs ?? null) : null,
      ],
    );
  }

  /** 督办〔2026〕12号: numbered per organisation and year, in the organisation's time zone. */
  private async nextDocumentNo(em: EntityManager, at: string): Promise<string> {
    const year = DateTime.fromISO(at).setZone(this.cfg.DUBAN_TIME_ZONE).year;
    const [{ last }] = await em.query(
      `INSERT INTO document_counter (series, year, last) VALUES ('督办', $1, 1)
       ON CONFLICT (series, year) DO UPDATE SET last = document_counter.last + 1 RETURNING last`,
      [year],
    );
    return `督办〔${year}〕${last}号`;
  }

  /** Who gets each notice of the event, resolved from the organisation model now. */
  private async recipients(em: EntityManager, e: BlockerEventRecord): Promise<Recipients | null> {
    const todo = plans(e);
    if (!todo.length) return null;
    const [ctx]: Recipients['ctx'][] = await em.query(
      `SELECT b.project_id, p.name AS project_name, b.title, b.category, b.reported_by FROM blocker b JOIN project p ON p.id = b.project_id WHERE b.id = $1`,
      [e.blockerId],
    );
    const scope = { projectId: ctx.project_id, responsibleUnitId: e.state.responsibleUnitId! };
    const people: string[][] = [];
    for (const plan of todo) people.push(plan.rung === 'reporter' ? (ctx.reported_by ? [ctx.reported_by] : []) : await rungMembers(em, e.ladder[plan.rung].members, scope));
    return { ctx, todo, people };
  }

  private async sendNotices(em: EntityManager, e: BlockerEventRecord, eventId: string, documentNo: string | null, r: Recipients | null): Promise<void> {
    if (!r) return;
    const { ctx } = r;
    // All plans' notices in one statement, column by column; each row carries its plan's text.
    const rows: { recipient: string; kind: string; rung: string; title: string; body: string; titleEn: string; bodyEn: string; documentNo: string | null }[] = [];
    for (const [k, plan] of r.todo.entries()) {
      const rungIndex = plan.rung === 'reporter' ? e.state.rungIndex : plan.rung;
      const text = noticeText(plan.kind, {
        projectName: ctx.project_name,
        blockerTitle: ctx.title,
        category: ctx.category,
        rung: rungLabel(e.ladder[plan.kind === 'copy' ? e.state.rungIndex : rungIndex].key, e.ladder),
        fromRung: e.fromRung ? rungLabel(e.fromRung, e.ladder) : null,
        dueAt: e.state.dueAt,
        resolution: e.reason,
        documentNo: plan.numbered ? documentNo : null,
        text: e.reason,
        until: (e.details.until as string | undefined) ?? (e.type === 'extension_granted' ? e.state.dueAt : null),
        toUnitName: e.details.toUnitName as string | undefined,
        actorName: e.actor.name,
        zone: this.cfg.DUBAN_TIME_ZONE,
      });
      const row = { kind: plan.kind, rung: e.ladder[rungIndex].key, ...text, documentNo: plan.numbered ? documentNo : null };
      for (const recipient of r.people[k]) rows.push({ recipient, ...row });
    }
    if (!rows.length) return;
    // In plan order: someone on two plans gets the first plan's notice only (the unique key drops the rest), as with one INSERT per plan.
    const col = <T>(f: (x: (typeof rows)[number]) => T) => rows.map(f);
    const inserted: { id: string; recipient_id: string }[] = await em.query(
      `INSERT INTO notice (event_id, blocker_id, recipient_id, channel, kind, rung, title, body, title_en, body_en, document_no, created_at)
       SELECT $1, $2, r, 'inbox', kind, rung, title, body, title_en, body_en, document_no, $3
         FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
              WITH ORDINALITY AS x(r, kind, rung, title, body, title_en, body_en, document_no, ord)
        ORDER BY ord
       ON CONFLICT (event_id, recipient_id, channel) DO NOTHING RETURNING id, recipient_id`,
      [
        eventId,
        e.blockerId,
        e.at,
        col((x) => x.recipient),
        col((x) => x.kind),
        col((x) => x.rung),
        col((x) => x.title),
        col((x) => x.body),
        col((x) => x.titleEn),
        col((x) => x.bodyEn),
        col((x) => x.documentNo),
      ],
    );
    // The event is new in this transaction, so each inserted notice is its recipient's first plan's; planned plan after plan.
    const groups = r.todo.map((): string[] => []);
    for (const n of inserted) groups[r.people.findIndex((p) => p.includes(n.recipient_id))].push(n.id);
    await planDeliveriesInGroups(em, groups, this.cfg);
  }
}

/** Audit actions use the verbs of the first version for the same moves. */
const AUDIT_VERB: Partial<Record<BlockerEventType, string>> = { reported: 'report', escalated: 'escalate', resolved: 'resolve' };

function toSpec(r: ResponseTime): ResponseTimeSpec {
  return typeof r === 'string' ? { unit: 'duration', iso: r } : r;
}

/** The instant of the reminder before `dueAt` (ms). */
function warningTime(cal: Calendar, from: string, dueAt: string, w: WarningBefore): number | null {
  const due = Date.parse(dueAt);
  if ('fraction' in w) return due - Math.round((due - Date.parse(from)) * w.fraction);
  const zone = cal.settings.timeZone;
  if (w.unit === 'duration') return DateTime.fromMillis(due, { zone }).minus(Duration.fromISO(w.iso)).toMillis();
  // N working days before: the same time of day on the N-th working day before the due day.
  let t = DateTime.fromMillis(due, { zone });
  for (let n = 0; n < w.amount;) {
    t = t.minus({ days: 1 });
    if (cal.isWorkingDay(t.toFormat('yyyy-MM-dd'))) n++;
  }
  return t.toMillis();
}
