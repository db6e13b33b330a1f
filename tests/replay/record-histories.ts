/**
 * Records workflow histories for the replay tests: `npm run record-histories`.
 * Runs each scenario of the current workflow code on the time-skipping server
 * with in-memory activities, and writes its history to
 * tests/replay/histories/<version>-<scenario>.json. Histories of earlier
 * versions are kept: every one of them must still replay on the current code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyToFile } from './history-file';
import { Worker } from '@temporalio/worker';
import { buildBundle } from '../../apps/worker/src/workflow-bundle';
import { resolveTemporalBinary, TEMPORAL_TEST_SERVER } from '../../libs/temporal/src/binaries';
import { createTimeSkippingEnv } from '../support/temporal';
import { APPROVAL_VERSION, approvalScenarios } from './approval-scenarios';
import { LIFECYCLE_VERSION, lifecycleScenarios } from './lifecycle-scenarios';
import { scenarios, VERSION } from './scenarios';

/** `npm run record-histories -- lifecycle` records only that workflow's scenarios. */
const SETS = {
  blocker: { version: VERSION, scenarios },
  lifecycle: { version: LIFECYCLE_VERSION, scenarios: lifecycleScenarios },
  approval: { version: APPROVAL_VERSION, scenarios: approvalScenarios },
};

async function main(): Promise<void> {
  const path = resolveTemporalBinary(TEMPORAL_TEST_SERVER, (m) => console.log(m));
  if (path) process.env[TEMPORAL_TEST_SERVER.envVar] = path;
  const env = await createTimeSkippingEnv();
  const bundle = { code: await buildBundle() };
  const dir = join(__dirname, 'histories');
  mkdirSync(dir, { recursive: true });
  try {
    const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SETS);
    for (const { version, s } of wanted.flatMap((k) => SETS[k as keyof typeof SETS].scenarios.map((s) => ({ version: SETS[k as keyof typeof SETS].version, s })))) {
      const taskQueue = `record-${randomUUID()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: s.activities() });
      const history = await worker.runUntil(async () => {
        const handle = await s.run(env, taskQueue);
        return handle.fetchHistory();
      });
      const file = join(dir, `${version}-${s.name}.json`);
      writeFileSync(file, historyToFile(history));
      console.log(`recorded ${file} (${history.events?.length} events)`);
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
