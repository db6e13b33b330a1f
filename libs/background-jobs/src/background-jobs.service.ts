import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import type { Actor } from '../../domain/src/access';
import { type BackgroundJobInput, type BackgroundJobKind, backgroundJobWorkflowId } from '../../domain/src/background-job';
import { DomainError } from '../../domain/src/errors';
import { PoliciesService } from '../../escalation/src/policies.service';
import { auditActorOf, type RequestContext } from '../../identity/src/context';
import { type Page, type PageQuery, pageOf } from '../../persistence/src/page';

/** What a job needs to act as the person who started it. */
export interface JobParams {
  reason: string;
  policyId?: string;
  actor: Actor;
  requestId: string;
}

const JOB_COLUMNS = `j.id, j.kind, j.status, j.reason, j.params->>'policyId' AS "policyId", j.total, j.created_by AS "createdBy", j.created_by_name AS "createdByName",
  j.created_at AS "createdAt", j.finished_at AS "finishedAt",
  (SELECT count(*)::int FROM background_job_item i WHERE i.job_id = j.id AND i.ok) AS done,
  (SELECT count(*)::int FROM background_job_item i WHERE i.job_id = j.id AND NOT i.ok) AS failed`;

/**
 * Background jobs over many open matters, started here (API side) and run by
 * the `backgroundJob` workflow: a calendar change recomputes open matters' and
 * approval items' due times; the project office applies a policy edit to its
 * open matters. The request answers at once with the job; progress is read here.
 */
@Injectable()
export class BackgroundJobsService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    private readonly audit: AuditService,
    private readonly calendar: CalendarStore,
    private readonly policies: PoliciesService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** A calendar change (a local day off, a new year's notice): open matters and approval items recompute their due times. */
  onModuleInit(): void {
    this.calendar.onChange((c, ctx) =>
      this.start(ctx, 'calendar_recompute', `工作日历调整：${[...c.years.map((y) => `${y}年放假安排`), ...c.dates].slice(0, 5).join('、')} / calendar changed`),
    );
  }

  /** Applies a policy's current version to its open matters (each recomputes its due time, recorded on each). */
  async applyPolicy(ctx: RequestContext, policyId: string, reason: string): Promise<BackgroundJobView> {
    await this.policies.get(policyId); // 404 for an unknown policy, before any job exists
    return this.get(await this.start(ctx, 'policy_apply', reason, policyId));
  }

  /**
   * Records the job (audited) and starts its workflow, whose id is the job's:
   * FAIL if running, REJECT_DUPLICATE once closed (a job runs once).
   */
  async start(
    ctx: RequestContext,
    kind: BackgroundJobKind,
    reason: string,
    policyId?: string,
    options: Pick<BackgroundJobInput, 'pageSize' | 'continueAsNewAfter'> = {},
  ): Promise<string> {
    const id = randomUUID();
    const workflowId = backgroundJobWorkflowId(id);
    const params: JobParams = { reason, ...(policyId && { policyId }), actor: ctx.actor, requestId: ctx.requestId };
    const a = auditActorOf(ctx.actor);
    await this.ds.transaction(async (em) => {
      await em.query(`INSERT INTO background_job (id, kind, reason, params, workflow_id, created_by, created_by_name) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
        id,
        kind,
        reason,
        JSON.stringify(params),
        workflowId,
        ctx.actor.kind === 'person' ? ctx.actor.personId : null,
        a.name,
      ]);
      await this.audit.record(em, {
        actor: a,
        action: `background_job.${kind}`,
        targetType: 'background_job',
        targetId: id,
        after: { kind, policyId: policyId ?? null },
        reason,
        requestId: ctx.requestId,
      });
    });
    const input: BackgroundJobInput = { jobId: id, ...options };
    await this.temporal.workflow.start('backgroundJob', {
      workflowId,
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return id;
  }

  /** A job's progress: how many matters it reaches, how many done, how many failed and why. */
  async get(id: string): Promise<BackgroundJobView> {
    const [job] = await this.ds.query(`SELECT ${JOB_COLUMNS} FROM background_job j WHERE j.id = $1`, [id]);
    if (!job) throw DomainError.notFound({ zh: '后台任务', en: 'Background job' }, id);
    const failures = await this.ds.query(
      `SELECT target_type AS "targetType", target_id AS "targetId", reason, at FROM background_job_item WHERE job_id = $1 AND NOT ok ORDER BY at LIMIT 200`,
      [id],
    );
    return { ...job, failures };
  }

  async list(q: PageQuery): Promise<Page<Omit<BackgroundJobView, 'failures'>>> {
    const [items, [{ n }]] = await Promise.all([
      this.ds.query(`SELECT ${JOB_COLUMNS} FROM background_job j ORDER BY j.created_at DESC, j.id LIMIT $1 OFFSET $2`, [q.pageSize, (q.page - 1) * q.pageSize]),
      this.ds.query(`SELECT count(*)::int AS n FROM background_job`),
    ]);
    return pageOf([items, n], q);
  }
}

export interface BackgroundJobView {
  id: string;
  kind: BackgroundJobKind;
  status: 'running' | 'done';
  reason: string;
  policyId: string | null;
  /** Matters the job reaches (null until it has counted them). */
  total: number | null;
  done: number;
  failed: number;
  failures: { targetType: 'blocker' | 'approval_item'; targetId: string; reason: string; at: string }[];
  createdBy: string | null;
  createdByName: string;
  createdAt: string;
  finishedAt: string | null;
}
