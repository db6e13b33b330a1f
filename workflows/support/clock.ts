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
