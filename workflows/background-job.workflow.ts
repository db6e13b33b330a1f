/**
 * One background job (a calendar recompute, a policy applied to open matters):
 * pages through the affected open matters, listed by an activity from the read
 * model, and sends each its update through an activity that records the result
 * (done, or failed with the reason) per matter. A matter's failure is recorded
 * and the job goes on; the activity retries only what may succeed later.
 *
 * Continues as new between pages when the history grows, carrying the cursor.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BackgroundJobActivities } from '../libs/background-jobs/src/background-job.activities';
import type { BackgroundJobInput } from '../libs/domain/src/background-job';

const acts = proxyActivities<BackgroundJobActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function backgroundJob(input: BackgroundJobInput): Promise<void> {
  const pageSize = input.pageSize ?? 50;
  let after = input.after ?? null;
  if (!after) await acts.jobBegin({ jobId: input.jobId });
  for (;;) {
    const page = await acts.jobTargets({ jobId: input.jobId, after, limit: pageSize });
    if (!page.length) break;
    // A page at a time, its matters side by side: each matter's own workflow keeps them apart.
    await Promise.all(page.map((target) => acts.jobApply({ jobId: input.jobId, target })));
    after = page[page.length - 1]!;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (!!input.continueAsNewAfter && info.historyLength >= input.continueAsNewAfter)) {
      await continueAsNew<typeof backgroundJob>({ ...input, after });
    }
  }
  await acts.jobFinish({ jobId: input.jobId });
}
