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
