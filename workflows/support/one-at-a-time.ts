/**
 * Workflow helpers shared by the lifecycle and approval item workflows
 * (deterministic: conditions and timers from the SDK only).
 */
import { condition } from '@temporalio/workflow';
import { nowMs } from './clock';

/**
 * One change at a time: a person's command and a timer never interleave their
 * awaits. After each change `afterEach` runs (recording its events) and the
 * version moves on, so a waiting timer loop re-evaluates.
 */
export function oneAtATime(afterEach: () => Promise<void>) {
  let locked = false;
  let version = 0;
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      await condition(() => !locked);
      locked = true;
      try {
        const result = await fn();
        await afterEach();
        return result;
      } finally {
        locked = false;
        version++;
      }
    },
    /** Waits for the next change, or until `at` (ms) if given: false when the time came first. */
    async next(at: number | null): Promise<boolean> {
      const seen = version;
      if (at === null) {
        await condition(() => version !== seen);
        return true;
      }
      return condition(() => version !== seen, Math.max(at - nowMs(), 1));
    },
  };
}
