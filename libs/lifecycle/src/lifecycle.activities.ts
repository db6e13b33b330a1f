import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { rungMembersQuery } from '../../escalation/src/rung-members';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { STAGE_NAMES, type Stage } from '../../domain/src/lifecycle';
import { type LifecycleActor, type LifecycleEventType, type LifecycleState, lifecycleWorkflowId } from '../../domain/src/lifecycle-plan';
import { BlockersService } from '../../escalation/src/blockers.service';
import { lifecycleNotice, type NoticeAudience } from './lifecycle-notices';
import { planDeliveries } from '../../notices/src/delivery-planner';

export interface LifecycleEventRecord {
  projectId: string;
  seq: number;
  type: LifecycleEventType;
  at: string;
  actor: LifecycleActor;
  reason: string | null;
  details: Record<string, unknown>;
  state: LifecycleState;
}

export interface OpenMatter {
  kind: 'schedule' | 'late_start';
  blockerId: string;
  projectId: string;
  stage: Stage;
  dueOn: string;
  at: string;
}

/**
 * The lifecycle workflow's side effects: its read model, its notices and
 * audit rows (one transaction per event, keyed by (project, seq), so a retry
 * does nothing twice), and the matters it opens and resolves on the ladder
 * (keyed by the matter id the workflow chose).
 */
@Injectable()
export class LifecycleActivities {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly blockers: BlockersService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** The events of one change, in order, in one transaction; each keyed by (project, seq), so a retry skips what is done. */
  async recordLifecycle(events: LifecycleEventRecord[]): Promise<void> {
    await this.ds.transaction(async (em) => {
      const fresh: LifecycleEventRecord[] = [];
      for (const e of events) if (await this.recordOne(em, e)) fresh.push(e);
      if (!fresh.length) return; // a retry: all of it was done
      // The read model takes the state after the last new event (each carries the whole state).
      await this.updateReadModel(em, fresh[fresh.length - 1]);
      // Last: the audit chain's lock is held until commit.
      for (const e of fresh) {
        await this.audit.record(em, {
          actor: e.actor.system || !e.actor.personId ? { kind: 'system', id: null, name: 'system' } : { kind: 'person', id: e.actor.personId, name: e.actor.name },
          action: `lifecycle.${e.type}`,
          targetType: 'project',
          targetId: e.projectId,
          after: { revision: e.state.revision, ...e.details },
          reason: e.reason,
          requestId: e.actor.requestId ?? null,
        });
      }
    });
  }

  /** The event, its history and notices; false when a retry finds it recorded. */
  private async recordOne(em: EntityManager, e: LifecycleEventRecord): Promise<boolean> {
    {
      const inserted = await em.query(
        `INSERT INTO lifecycle_event (project_id, seq, type, at, actor_id, actor_name, reason, details) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         ON CONFLICT (project_id, seq) DO NOTHING RETURNING seq`,
        [e.projectId, e.seq, e.type, e.at, e.actor.personId, e.actor.name, e.reason, JSON.stringify(e.details)],
      );
      if (!inserted.length) return false; // a retry: all of it was done
      await this.history(em, e);
      await this.notify(em, e);
      return true;
    }
  }

  async openMatter(m: OpenMatter): Promise<void> {
    const [p]: { name: string }[] = await this.ds.query(`SELECT name FROM project WHERE id = $1`, [m.projectId]);
    const stage = STAGE_NAMES[m.stage];
    const due = this.day(m.dueOn);
    if (m.kind === 'schedule') {
      await this.blockers.openAutomatic({
        blockerId: m.blockerId,
        projectId: m.projectId,
        category: 'schedule',
        title: `${p.name}${stage.zh}阶段逾期（计划${due}前完成）`,
        description: `按倒排工期计划，${stage.zh}阶段应于${due}前完成，至今未完成。阶段完成后本事项自动办结。`,
      });
    } else {
      await this.blockers.openAutomatic({
        blockerId: m.blockerId,
        projectId: m.projectId,
        category: 'late_start',
        title: `${p.name}未按期开工，请书面说明`,
        description: `该项目承诺于${due}前开工，至今未开工。请责任单位向项目办、包联领导和县委县政府书面说明未按期开工的原因及下步措施（未按期开工书面说明）。`,
      });
    }
  }

  async resolveMatter(m: { blockerId: string; reason: string }): Promise<void> {
    await this.blockers.resolveAutomatic(m.blockerId, m.reason);
  }

  private async updateReadModel(em: EntityManager, e: LifecycleEventRecord): Promise<void> {
    const s = e.state;
    const current = s.stages.find((x) => x.state === 'active' || x.state === 'pending')?.stage ?? null;
    const updated = await em.query(
      `INSERT INTO project_lifecycle (project_id, workflow_id, revision, confirm_completion, current_stage, late_start_blocker_id, pending_replan, completed_at, last_seq, updated_at)
       VALUES ($1, $10, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (project_id) DO UPDATE SET revision = EXCLUDED.revision, confirm_completion = EXCLUDED.confirm_completion, current_stage = EXCLUDED.current_stage,
         late_start_blocker_id = EXCLUDED.late_start_blocker_id, pending_replan = EXCLUDED.pending_replan, completed_at = EXCLUDED.completed_at,
         last_seq = EXCLUDED.last_seq, updated_at = EXCLUDED.updated_at
       WHERE project_lifecycle.last_seq < EXCLUDED.last_seq RETURNING project_id`,
      [
        e.projectId,
        s.revision,
        s.confirmCompletion,
        current,
        s.lateStartBlockerId,
        s.pendingReplan ? JSON.stringify(s.pendingReplan) : null,
        s.completedAt,
        e.seq,
        e.at,
        lifecycleWorkflowId(e.projectId),
      ],
    );
    if (!updated.length) return; // a later event got there first
    await em.query(
      `INSERT INTO project_stage (project_id, stage, position, state, due_on, due_at, warn_at, starts_on, activated_at, done_at, completed_on, evidence, reported, not_applicable, schedule_blocker_id)
       SELECT $1, x.stage, x.position, x.state, x."dueOn"::date, x."dueAt", x."warnAt", x."startsOn"::date, x."activatedAt", x."doneAt", x."completedOn"::date,
              coalesce(x.evidence, '[]'), x.reported, x."notApplicable", x."scheduleBlockerId"
       FROM jsonb_to_recordset($2::jsonb) AS x(stage text, position int, state text, "dueOn" text, "dueAt" timestamptz, "warnAt" timestamptz, "startsOn" text,
            "activatedAt" timestamptz, "doneAt" timestamptz, "completedOn" text, evidence jsonb, reported jsonb, "notApplicable" text, "scheduleBlockerId" uuid)
       ON CONFLICT (project_id, stage) DO UPDATE SET state = EXCLUDED.state, due_on = EXCLUDED.due_on, due_at = EXCLUDED.due_at, warn_at = EXCLUDED.warn_at,
         starts_on = EXCLUDED.starts_on, activated_at = EXCLUDED.activated_at, done_at = EXCLUDED.done_at, completed_on = EXCLUDED.completed_on,
         evidence = EXCLUDED.evidence, reported = EXCLUDED.reported, not_applicable = EXCLUDED.not_applicable, schedule_blocker_id = EXCLUDED.schedule_blocker_id`,
      [e.projectId, JSON.stringify(s.stages.map((x, position) => ({ ...x, position })))],
    );
  }

  /** Plan revisions and replanning requests: the old plan stays in history. */
  private async history(em: EntityManager, e: LifecycleEventRecord): Promise<void> {
    const d = e.details;
    if (e.type === 'plan_set' || e.type === 'replan_granted') {
      const request = d.request as { id: string; requestedBy: string | null; requestedByName: string; reason: string } | undefined;
      await em.query(
        `INSERT INTO plan_revision (project_id, revision, plan, reason, kind, set_by, set_by_name, request_id, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
         ON CONFLICT (project_id, revision) DO NOTHING`,
        [
          e.projectId,
          d.revision,
          JSON.stringify(d.plan),
          request?.reason ?? e.reason ?? '',
          e.type === 'replan_granted' ? 'granted' : d.revision === 1 ? 'initial' : 'set',
          e.actor.personId,
          e.actor.name,
          request?.id ?? null,
          e.at,
        ],
      );
    }
    if (e.type === 'replan_requested') {
      await em.query(
        `INSERT INTO replan_request (id, project_id, plan, reason, requested_by, requested_by_name, requested_at) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING`,
        [d.requestId, e.projectId, JSON.stringify(d.plan), e.reason, e.actor.personId, e.actor.name, e.at],
      );
    }
    if (e.type === 'replan_granted' || e.type === 'replan_refused') {
      await em.query(`UPDATE replan_request SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = $5, decision_reason = $6 WHERE id = $1`, [
        d.requestId,
        e.type === 'replan_granted' ? 'granted' : 'refused',
        e.actor.personId,
        e.actor.name,
        e.at,
        e.reason,
      ]);
    }
  }

  /** Who hears of the event, inside the same transaction; one notice per (event, person). */
  private async notify(em: EntityManager, e: LifecycleEventRecord): Promise<void> {
    const audiences = AUDIENCES[e.type]?.(e) ?? [];
    if (!audiences.length) return;
    const [p]: { name: string; responsible_unit_id: string }[] = await em.query(`SELECT name, responsible_unit_id FROM project WHERE id = $1`, [e.projectId]);
    for (const audience of audiences) {
      const people = await this.people(em, audience, e.projectId, p.responsible_unit_id);
      if (!people.length) continue;
      const text = lifecycleNotice(e, p.name);
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO notice (project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
         SELECT $1, $2, r, 'inbox', $3, $4, $5, $6, $7, $8, $9 FROM unnest($10::uuid[]) AS r
         ON CONFLICT (source_key, recipient_id, channel) WHERE source_key IS NOT NULL DO NOTHING RETURNING id`,
        [e.projectId, `lifecycle:${e.projectId}:${e.seq}`, text.kind, RUNG[audience], text.title, text.body, text.titleEn, text.bodyEn, e.at, people],
      );
      await planDeliveries(em, inserted, this.cfg);
    }
  }

  private async people(em: EntityManager, a: NoticeAudience, projectId: string, unitId: string): Promise<string[]> {
    // The rungs' own rules (libs/domain sitsOnRung, its SQL in rung-members.ts), not second definitions; the county
    // committee includes the project office, which acts for it.
    const scope = { projectId, responsibleUnitId: unitId };
    const rows: { id: string }[] =
      a === 'unit'
        ? await em.query(...rungMembersQuery({ kind: 'responsible_unit' }, scope))
        : a === 'liaison'
          ? await em.query(...rungMembersQuery({ kind: 'project_liaison' }, scope))
          : a === 'office'
            ? await em.query(`SELECT id FROM person WHERE 'project_office' = ANY(roles)`)
            : await em.query(...rungMembersQuery({ kind: 'county_committee' }, scope));
    return [...new Set(rows.map((r) => r.id))];
  }

  private day(iso: string): string {
    return DateTime.fromISO(iso, { zone: this.cfg.DUBAN_TIME_ZONE }).toFormat('yyyy年M月d日');
  }
}

const RUNG: Record<NoticeAudience, string> = { unit: 'unit', liaison: 'liaison', office: 'county', county: 'county' };

/** Which events reach whom (shared/design/lifecycle.md). */
const AUDIENCES: Partial<Record<LifecycleEventType, (e: LifecycleEventRecord) => NoticeAudience[]>> = {
  colour_changed: (e) => (e.details.to === 'yellow' ? ['unit'] : e.details.to === 'red' ? ['unit', 'liaison'] : []),
  completion_reported: () => ['office'],
  completion_returned: () => ['unit'],
  replan_requested: () => ['liaison', 'office'],
  replan_granted: () => ['unit'],
  replan_refused: () => ['unit'],
  late_start: () => ['office', 'liaison', 'county'],
};
