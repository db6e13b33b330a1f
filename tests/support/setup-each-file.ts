// Keep the Temporal SDK's own INFO logs (worker state changes) out of the test output.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier test file in this process.
}
