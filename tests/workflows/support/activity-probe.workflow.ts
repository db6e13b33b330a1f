/** A test-only workflow: runs one probe activity with fast retries and reports how it ended. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';

export interface ProbeActivities {
  dataError(): Promise<void>;
  refusal(): Promise<void>;
  transient(): Promise<void>;
}

const acts = proxyActivities<ProbeActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '10 ms', backoffCoefficient: 1, maximumInterval: '10 ms' } });

export async function activityProbe(name: keyof ProbeActivities): Promise<{ ok: boolean; type?: string; nonRetryable?: boolean; details?: unknown[] }> {
  try {
    await acts[name]();
    return { ok: true };
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure)
      return { ok: false, type: cause.type ?? undefined, nonRetryable: cause.nonRetryable ?? undefined, details: cause.details as unknown[] };
    return { ok: false };
  }
}
