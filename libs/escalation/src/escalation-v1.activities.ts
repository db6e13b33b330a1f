import { Inject } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { SYSTEM_ACTOR } from '../../audit/src/audit.types';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import type { BlockerCategory, BlockerEventType, BlockerWorkflowInput } from '../../domain/src/blocker';
import { addResponseTime, parseResponseTime } from '../../domain/src/duration';
import type { RungKey } from '../../domain/src/ladder';
import type { NoticeKind } from '../../notices/src/notice.entity';
import { noticeText } from './notice-text';
import { rungMembers } from './rung-members';
import { planDeliveries } from '../../notices/src/delivery-planner';
import { DEFAULT_LADDER_RUNGS, rungLabel } from '../../domain/src/ladder';

interface EventRecord {
  blockerId: string;
  seq: number;
  type: BlockerEventType;
  fromRung: RungKey | null;
  toRung: RungKey | null;
  actor: string;
  reason?: string | null;
  dueAt?: string | null;
  at: string;
}

/** Who gets a notice of an event: the people on a rung, or named people. */
type NoticePlan = { kind: NoticeKind; rung: RungKey; people?: string[] };

/**
 * VERSION 1 activities, still registered for matters whose workflow runs the
 * first version (see workflows/blocker-escalation-v1.ts). New code: the
 * subclass in escalation.activities.ts.
 *
 * The escalation workflow's side effects. Each activity is one transaction and
 * idempotent: the event row is keyed by (blocker, seq) from the workflow, and
 * notices by (event, recipient, channel); a retry after a commit finds the
 * event and does nothing, a retry after a crash before it does everything once.
 */
export class EscalationActivitiesV1Base {
  constructor(
    protected readonly ds: DataSource,
    @Inject(DUBAN_CONFIG) protected readonly cfg: DubanConfig,
    protected readonly audit: AuditService,
  ) {}

  async computeDueAt(a: { fromMs: number; responseTime: string }): Promise<string> {
    if (!parseResponseTime(a.responseTime)) {
      throw ApplicationFailure.create({ nonRetryable: true, message: `invalid response time ${a.responseTime}` });
    }
    return new Date(addResponseTime(a.fromMs, a.responseTime, this.cfg.DUBAN_TIME_ZONE)).toISOString();
  }

  async recordReported(a: { input: BlockerWorkflowInput; seq: number; at: string; dueAt: string }): Promise<void> {
    const i = a.input;
    const rung = i.rungs[0].rung;
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO blocker (id, project_id, responsible_unit_id, category, severity, title, description, reported_by,
           reported_at, policy_id, policy_rungs, status, rung, rung_index, due_at, workflow_id, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'open',$12,0,$13,$14,$9)
         ON CONFLICT (id) DO NOTHING`,
        [
          i.blockerId,
          i.projectId,
          i.responsibleUnitId,
          i.category,
          i.severity,
          i.title,
          i.description,
          i.reportedBy,
          a.at,
          i.policyId,
          JSON.stringify(i.rungs),
          rung,
          a.dueAt,
          `blocker-${i.blockerId}`,
        ],
      );
      const recorded = await this.recordEventV1(
        em,
        { blockerId: i.blockerId, seq: a.seq, type: 'reported', fromRung: null, toRung: rung, actor: i.reportedBy!, reason: i.description, dueAt: a.dueAt, at: a.at },
        [{ kind: 'assigned', rung }],
      );
      if (recorded) {
        await this.audit.record(em, {
          actor: { kind: 'person', id: i.reportedBy, name: i.reporterName ?? '' },
          action: 'blocker.report',
          targetType: 'blocker',
          targetId: i.blockerId,
          after: { projectId: i.projectId, category: i.category, severity: i.severity, title: i.title, rung, dueAt: a.dueAt, policyId: i.policyId },
          requestId: i.requestId ?? null,
        });
      }
    });
  }

  async recordEscalated(a: { blockerId: string; seq: number; at: string; fromRung: RungKey; toRung: RungKey; dueAt: string }): Promise<void> {
    await this.ds.transaction(async (em) => {
      const recorded = await this.recordEventV1(em, { ...a, type: 'escalated', actor: 'system', reason: '逾期未办结，自动提级督办 / unresolved at the due time' }, [
        { kind: 'escalation', rung: a.toRung },
        { kind: 'copy', rung: a.fromRung },
      ]);
      if (recorded) {
        await em.query(`UPDATE blocker SET rung = $2, rung_index = rung_index + 1, due_at = $3, updated_at = $4 WHERE id = $1`, [a.blockerId, a.toRung, a.dueAt, a.at]);
        await this.audit.record(em, {
          actor: SYSTEM_ACTOR,
          action: 'blocker.escalate',
          targetType: 'blocker',
          targetId: a.blockerId,
          before: { rung: a.fromRung },
          after: { rung: a.toRung, dueAt: a.dueAt },
          reason: '逾期未办结，自动提级督办 / unresolved at the due time',
        });
      }
    });
  }

  async recordOverdueAtTop(a: { blockerId: string; seq: number; at: string; rung: RungKey }): Promise<void> {
    await this.ds.transaction(async (em) => {
      const recorded = await this.recordEventV1(
        em,
        {
          blockerId: a.blockerId,
          seq: a.seq,
          type: 'overdue_at_top',
          fromRung: a.rung,
          toRung: a.rung,
          actor: 'system',
          at: a.at,
          reason: '最高层级逾期 / overdue at the top rung',
        },
        [{ kind: 'overdue', rung: a.rung }],
      );
      if (recorded) {
        await em.query(`UPDATE blocker SET overdue_at_top = true, updated_at = $2 WHERE id = $1`, [a.blockerId, a.at]);
        await this.audit.record(em, {
          actor: SYSTEM_ACTOR,
          action: 'blocker.overdue_at_top',
          targetType: 'blocker',
          targetId: a.blockerId,
          before: { overdueAtTop: false },
          after: { overdueAtTop: true },
        });
      }
    });
  }

  async recordResolved(a: { blockerId: string; seq: number; at: string; rung: RungKey; actor: string; actorName?: string; requestId?: string; resolution: string }): Promise<void> {
    await this.ds.transaction(async (em) => {
      const [b] = await em.query(`SELECT reported_by FROM blocker WHERE id = $1`, [a.blockerId]);
      const recorded = await this.recordEventV1(
        em,
        { blockerId: a.blockerId, seq: a.seq, type: 'resolved', fromRung: a.rung, toRung: null, actor: a.actor, reason: a.resolution, at: a.at },
        [
          { kind: 'resolved', rung: a.rung },
          { kind: 'resolved', rung: a.rung, people: b ? [b.reported_by] : [] },
        ],
        a.resolution,
      );
      if (recorded) {
        await em.query(`UPDATE blocker SET status = 'resolved', resolution = $2, resolved_by = $3, resolved_at = $4, updated_at = $4 WHERE id = $1`, [
          a.blockerId,
          a.resolution,
          a.actor,
          a.at,
        ]);
        await this.audit.record(em, {
          actor: { kind: 'person', id: a.actor, name: a.actorName ?? '' },
          action: 'blocker.resolve',
          targetType: 'blocker',
          targetId: a.blockerId,
          before: { status: 'open', rung: a.rung },
          after: { status: 'resolved' },
          reason: a.resolution,
          requestId: a.requestId ?? null,
        });
      }
    });
  }

  /** Records the event once; returns false when it was already recorded (a retry). */
  private async recordEventV1(em: EntityManager, e: EventRecord, plans: NoticePlan[], resolution?: string): Promise<boolean> {
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO blocker_event (blocker_id, seq, type, from_rung, to_rung, actor, reason, due_at, at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (blocker_id, seq) DO NOTHING RETURNING id`,
      [e.blockerId, e.seq, e.type, e.fromRung, e.toRung, e.actor, e.reason ?? null, e.dueAt ?? null, e.at],
    );
    if (!inserted.length) return false;
    const eventId = inserted[0].id;
    const [ctx]: { project_id: string; project_name: string; responsible_unit_id: string; title: string; category: BlockerCategory }[] = await em.query(
      `SELECT b.project_id, p.name AS project_name, b.responsible_unit_id, b.title, b.category
         FROM blocker b JOIN project p ON p.id = b.project_id WHERE b.id = $1`,
      [e.blockerId],
    );
    for (const plan of plans) {
      const members = DEFAULT_LADDER_RUNGS.find((r) => r.key === plan.rung)!.members;
      const people = plan.people ?? (await rungMembers(em, members, { projectId: ctx.project_id, responsibleUnitId: ctx.responsible_unit_id }));
      if (!people.length) continue;
      const text = noticeText(plan.kind, {
        projectName: ctx.project_name,
        blockerTitle: ctx.title,
        category: ctx.category,
        rung: rungLabel(plan.kind === 'copy' ? e.toRung! : plan.rung),
        fromRung: e.fromRung ? rungLabel(e.fromRung) : null,
        dueAt: e.dueAt,
        resolution,
        zone: this.cfg.DUBAN_TIME_ZONE,
      });
      // One statement for all recipients; the unique key drops whoever already has one for this event.
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO notice (event_id, blocker_id, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
         SELECT $1, $2, r, 'inbox', $3, $4, $5, $6, $7, $8, $9 FROM unnest($10::uuid[]) AS r
         ON CONFLICT (event_id, recipient_id, channel) DO NOTHING RETURNING id`,
        [eventId, e.blockerId, plan.kind, plan.rung, text.title, text.body, text.titleEn, text.bodyEn, e.at, people],
      );
      await planDeliveries(em, inserted, this.cfg);
    }
    return true;
  }
}

/** What a version-1 workflow calls. */
export type EscalationActivitiesV1 = Pick<EscalationActivitiesV1Base, 'computeDueAt' | 'recordReported' | 'recordEscalated' | 'recordOverdueAtTop' | 'recordResolved'>;
