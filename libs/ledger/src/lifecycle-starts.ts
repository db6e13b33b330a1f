/**
 * After an import's projects are committed, their lifecycles: a new plan
 * starts a workflow, a changed one is sent to the running workflow, a
 * finished project's is left alone. A few at once, so that thousands of rows
 * do not queue one behind another nor flood Temporal.
 */
import type { DataSource } from 'typeorm';
import type { LifecycleActor } from '../../domain/src/lifecycle-plan';
import type { RequestContext } from '../../identity/src/context';
import type { LifecycleService, PlanDays } from '../../lifecycle/src/lifecycle.service';
import { NOT_APPLICABLE } from './cells';

/** How many lifecycle workflows an import starts at once. */
const START_CONCURRENCY = 16;

export async function startLifecycles(
  ds: DataSource,
  lifecycle: LifecycleService,
  ctx: RequestContext,
  plans: { projectId: string; stages: PlanDays['stages'] }[],
): Promise<{ workflowsStarted: number; plansChanged: number; finishedUnchanged: number }> {
  const a = ctx.actor;
  const setBy: LifecycleActor =
    a.kind === 'person'
      ? { personId: a.personId, name: a.name, office: true, liaison: false, unit: false, requestId: ctx.requestId }
      : { personId: null, name: a.kind === 'api_key' ? `API key ${a.name}` : 'system', office: true, liaison: false, unit: false, requestId: ctx.requestId };
  const current = new Map<string, string>(
    (
      await ds.query(
        `SELECT project_id, string_agg(CASE WHEN state = 'n/a' THEN '${NOT_APPLICABLE}' ELSE to_char(due_on, 'YYYY-MM-DD') END, ',' ORDER BY position) AS days
         FROM project_stage WHERE project_id = ANY($1::uuid[]) GROUP BY project_id`,
        [plans.map((p) => p.projectId)],
      )
    ).map((r: { project_id: string; days: string }) => [r.project_id, r.days]),
  );
  let workflowsStarted = 0;
  let plansChanged = 0;
  let finishedUnchanged = 0;
  const finished = new Set<string>(
    (await ds.query(`SELECT project_id FROM project_lifecycle WHERE project_id = ANY($1::uuid[]) AND completed_at IS NOT NULL`, [plans.map((p) => p.projectId)])).map(
      (r: { project_id: string }) => r.project_id,
    ),
  );
  const queue = [...plans];
  const work = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const plan = lifecycle.toPlan({ stages: p.stages });
      const before = current.get(p.projectId);
      // A finished project's lifecycle is never restarted nor replanned; its row in the ledger changes the project only.
      if (finished.has(p.projectId)) {
        finishedUnchanged++;
        continue;
      }
      if (before === undefined) {
        await lifecycle.startIfNew(p.projectId, plan, false, setBy, '台账导入', false);
        workflowsStarted++;
      } else if (before !== p.stages.map((s) => (s.notApplicable ? NOT_APPLICABLE : s.dueOn)).join(',')) {
        await lifecycle.act(ctx, p.projectId, { action: 'setPlan', plan, reason: '台账导入' }, setBy);
        plansChanged++;
      }
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, work));
  return { workflowsStarted, plansChanged, finishedUnchanged };
}
