/**
 * Durable background jobs: work over many open matters (a calendar change, a
 * policy applied to open matters) done by a workflow that pages through them,
 * never inside one HTTP request. Shared by the API, the activities and the workflow.
 */
export type BackgroundJobKind = 'calendar_recompute' | 'policy_apply';
export type BackgroundJobTargetType = 'blocker' | 'approval_item';

export interface BackgroundJobTarget {
  type: BackgroundJobTargetType;
  id: string;
}

export interface BackgroundJobInput {
  /** The job's row holds what it does (kind, reason, policy, who). */
  jobId: string;
  /** Continued run: the last target done (targets are taken in (type, id) order). */
  after?: BackgroundJobTarget | null;
  /** Targets per page; small in tests. */
  pageSize?: number;
  /** Continue as new after this many history events (default: when the server suggests it). */
  continueAsNewAfter?: number;
}

export const backgroundJobWorkflowId = (jobId: string) => `background-job-${jobId}`;
