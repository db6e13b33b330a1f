import { existsSync, readFileSync } from 'node:fs';
import { BUNDLE_PATH, buildBundle } from '../../apps/worker/src/workflow-bundle';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { TEMPORAL_TEST_SERVER } from '../../libs/temporal/src/binaries';

/**
 * The time-skipping test server, found by the global setup (env var, PATH,
 * .tools via pip); without one, the SDK's own download is the last resort.
 */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env[TEMPORAL_TEST_SERVER.envVar];
  return TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : undefined);
}

/**
 * The workflow bundle for tests: the one `npm test`'s global setup has just
 * built into dist/ (one webpack run for the whole suite), or, when the build
 * was skipped (DUBAN_TEST_SKIP_BUILD=1, possibly stale), bundled from source.
 */
export async function testBundle(): Promise<string> {
  if (process.env.DUBAN_TEST_SKIP_BUILD !== '1' && existsSync(BUNDLE_PATH)) return readFileSync(BUNDLE_PATH, 'utf8');
  return buildBundle();
}

/**
 * A read of the read model once it has settled: a timer's change shows in the
 * workflow's state before its records commit, so a test reads until two
 * reads 150 ms apart agree (at most 5 s).
 */
export async function settled<T>(read: () => Promise<T>): Promise<T> {
  let last = JSON.stringify(await read());
  for (let i = 0; i < 33; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await read();
    if (JSON.stringify(now) === last) return now;
    last = JSON.stringify(now);
  }
  return read();
}
