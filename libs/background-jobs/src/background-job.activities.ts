import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { approvalRecomputeUpdate, approvalWorkflowId } from '../../domain/src/approval';
import type { BackgroundJobTarget } from '../../domain/src/background-job';
import { DomainError } from '../../domain/src/errors';
import { BlockersService } from '../../escalation/src/blockers.service';
import { PoliciesService } from '../../escalation/src/policies.service';
import type { JobParams } from './background-jobs.service';

/** What each kind of job reaches, as (type, id) rows; $1 is the policy applied (none for a calendar change). */
const SOURCES = {
  calendar_recompute: `SELECT 'blocker' AS type, id::text AS id FROM blocker WHERE status = 'open' AND ladder IS NOT NULL AND $1::uuid IS NULL
     UNION ALL
     SELECT 'approval_item', id::text FROM approval_item WHERE status IN ('accepted', 'under_review') AND due_at IS NOT NULL AND $1::uuid IS NULL`,
  policy_apply: `SELECT 'blocker' AS type, id::text AS id FROM blocker WHERE status = 'open' AND policy_id = $1::uuid`,
} as const;

/**
 * The background job workflow's activities (worker side): list the matters a
 * job reaches, send each its update, record each result once.
 */
@Injectable()
export class BackgroundJobActivities {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    private readonly blockers: BlockersService,
    private readonly policies: PoliciesService,
  ) {}

  /** The number of matters the job reaches, fixed when it begins (matters opened later follow the new rules themselves). */
  async jobBegin(a: { jobId: string }): Promise<void> {
    const job = await this.job(a.jobId);
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM (${SOURCES[job.kind]}) t`, [job.params.policyId ?? null]);
    await this.ds.query(`UPDATE background_job SET total = $2 WHERE id = $1 AND total IS NULL`, [a.jobId, n]);
  }

  async jobTargets(a: { jobId: string; after: BackgroundJobTarget | null; limit: number }): Promise<BackgroundJobTarget[]> {
    const job = await this.job(a.jobId);
    return this.ds.query(`SELECT * FROM (${SOURCES[job.kind]}) t WHERE $2::text IS NULL OR (t.type, t.id) > ($2::text, $3::text) ORDER BY t.type, t.id LIMIT $4`, [
      job.params.policyId ?? null,
      a.after?.type ?? null,
      a.after?.id ?? null,
      a.limit,
    ]);
  }

  /**
   * One matter: its update, then the result recorded once. A refusal, a
   * process already ended or a missing matter is that matter's failure
   * (recorded with the reason, not retried); anything else (Temporal or the
   * database unreachable) throws, and the activity retries.
   */
  async jobApply(a: { jobId: string; target: BackgroundJobTarget }): Promise<void> {
    const job = await this.job(a.jobId);
    let failure: string | null = null;
    try {
      await this.apply(job.kind, job.params, a.target);
    } catch (err) {
      failure = reasonOf(err);
      if (failure === null) throw err;
    }
    await this.ds.query(`INSERT INTO background_job_item (job_id, target_type, target_id, ok, reason) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`, [
      a.jobId,
      a.target.type,
      a.target.id,
      failure === null,
      failure,
    ]);
  }

  async jobFinish(a: { jobId: string }): Promise<void> {
    await this.ds.query(`UPDATE background_job SET status = 'done', finished_at = COALESCE(finished_at, now()) WHERE id = $1`, [a.jobId]);
  }

  private async apply(kind: 'calendar_recompute' | 'policy_apply', p: JobParams, t: BackgroundJobTarget): Promise<void> {
    if (kind === 'policy_apply') {
      const policy = await this.policies.get(p.policyId!);
      const cmd = {
        action: 'applyPolicy' as const,
        policy: { policyId: policy.id, rungs: policy.rungs, repeatEvery: policy.repeatEvery ?? undefined, reopenWithin: policy.reopenWithin },
        reason: p.reason,
      };
      await this.blockers.act({ actor: p.actor, requestId: p.requestId }, t.id, cmd);
      return;
    }
    if (t.type === 'approval_item') {
      await this.temporal.workflow.getHandle(approvalWorkflowId(t.id)).executeUpdate(approvalRecomputeUpdate, { args: [{ reason: p.reason }] });
      return;
    }
    const [b] = await this.ds.query(`SELECT workflow_id FROM blocker WHERE id = $1`, [t.id]);
    if (!b) throw DomainError.notFound({ zh: '问题', en: 'Blocker' }, t.id);
    await this.temporal.workflow.getHandle(b.workflow_id).executeUpdate('recomputeDue', { args: [{ reason: p.reason }] });
  }

  private async job(id: string): Promise<{ kind: 'calendar_recompute' | 'policy_apply'; params: JobParams }> {
    const [job] = await this.ds.query(`SELECT kind, params FROM background_job WHERE id = $1`, [id]);
    if (!job) throw new Error(`background job ${id} not found`);
    return job;
  }
}

/** The reason a matter's update failed for good, or null when it may succeed on a retry. */
function reasonOf(err: unknown): string | null {
  if (err instanceof DomainError) return `${err.messageZh} / ${err.messageEn}`;
  if (err instanceof WorkflowUpdateFailedError) return `处理流程拒绝了该更新 / refused by the matter's workflow: ${err.cause?.message ?? err.message}`;
  if (err instanceof WorkflowNotFoundError) return '该事项的处理流程不存在 / the matter has no running workflow';
  if (err instanceof Error && /already completed|workflow execution not found/i.test(err.message)) return '该事项的处理流程已结束 / the matter’s workflow has ended';
  return null;
}
