/**
 * Workflow helpers shared by the lifecycle and approval item workflows
 * (deterministic: conditions and timers from the SDK, promises only).
 */
import { Mutex } from 'async-mutex';
import { condition, continueAsNew, allHandlersFinished, workflowInfo } from '@temporalio/workflow';
import { nowMs } from './clock';

/**
 * One change at a time: a person's command and a timer never interleave their
 * awaits. After each change `afterEach` runs (recording its events) and the
 * version moves on, so a waiting timer loop re-evaluates.
 *
 * `mutex` (new executions, behind `patched`): a real mutex (async-mutex, as
 * Temporal's safe-message-handlers sample). The first version's
 * `locked` flag + `condition(() => !locked)` admits two holders: the SDK
 * checks every waiting condition in one pass, so two waiters both see
 * `!locked` before either sets it. The mutex hands the lock to one waiter at a
 * time, in arrival order, inside the promise chain, so no such window exists.
 * Executions started before keep the flag, so their histories replay.
 */
export function oneAtATime(afterEach: () => Promise<void>, mutex = false) {
  const lock = new Mutex();
  let locked = false;
  let version = 0;

  async function flagged<T>(fn: () => Promise<T>): Promise<T> {
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
  }

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return lock.runExclusive(async () => {
      try {
        const result = await fn();
        await afterEach();
        return result;
      } finally {
        version++;
      }
    });
  }

  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      return mutex ? exclusive(fn) : flagged(fn);
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

/**
 * Whether a long-lived workflow should continue as new now: the server
 * suggests it (history near its limits), or the run's history passed
 * `bound` events (an input option, so a test can force it small).
 */
export function timeToContinue(bound: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || (!!bound && info.historyLength >= bound);
}

/**
 * Continues as new once every handler has finished (none is cut off half
 * way: its events are recorded and its caller answered), with `next` as the
 * new run's input. Called between changes, outside the lock.
 */
export async function continueWhenIdle<A extends unknown[]>(next: () => A): Promise<never> {
  await condition(allHandlersFinished);
  return continueAsNew<(...args: A) => Promise<unknown>>(...next());
}
