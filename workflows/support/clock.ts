/**
 * The workflow clock. Inside a workflow the SDK replaces `Date` with the time
 * of the workflow task being processed, taken from the history, so these read
 * the same on every replay (wall-clock time never enters a workflow). Timers
 * go through the SDK's `condition(…, timeout)`, never `setTimeout`.
 * For code in workflows/ only: anywhere else they would be the wall clock.
 */
export const nowMs = (): number => Date.now(); // the SDK's deterministic workflow time, not the wall clock (see above)
export const iso = (ms: number): string => new Date(ms).toISOString();
export const nowIso = (): string => iso(nowMs());

/** How far past the workflow clock an activity's reported end is believed (a workflow task lasts seconds, not minutes). */
const MAX_ACTIVITY_LEAD_MS = 60_000;

/**
 * The instant to arm a timer from. The workflow clock stands still through a
 * workflow task, so after local activities in the same task (a report's or an
 * escalation's transaction) it is behind by their time, and a timer armed from
 * it fires that much late (270–740 ms in the bench's lone deadlines). A local
 * activity reports when it ended; that result is in the history, so this reads
 * the same on replay. It only ever moves the clock forward, and a timer that
 * fires early (a worker's clock ahead of Temporal's) is re-armed by the caller,
 * which checks due times against the workflow clock.
 */
export function armingNowMs(activityEndedMs: number): number {
  const now = nowMs();
  return activityEndedMs > now ? Math.min(activityEndedMs, now + MAX_ACTIVITY_LEAD_MS) : now;
}
