/**
 * Every recorded history (tests/replay/histories, all versions) replays on the
 * current workflow code. A change that is not guarded by `patched` makes the
 * replay diverge, and this test fails CI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { testBundle } from '../support/temporal';
import { historyFromFile } from './history-file';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
let bundle: { code: string };

beforeAll(async () => {
  bundle = { code: await testBundle() };
}, 120_000);

test('there are recorded histories of every version', () => {
  expect(files.filter((f) => f.startsWith('v1-'))).toHaveLength(3);
  expect(files.filter((f) => f.startsWith('v2-'))).toHaveLength(2);
  expect(files.filter((f) => f.startsWith('v3-'))).toHaveLength(2);
  expect(files.filter((f) => f.startsWith('v4-'))).toHaveLength(3);
  expect(files.filter((f) => f.startsWith('v5-'))).toHaveLength(3);
  expect(files.filter((f) => f.startsWith('lifecycle-v1-'))).toHaveLength(2);
  expect(files.filter((f) => f.startsWith('lifecycle-v2-'))).toHaveLength(2);
  expect(files.filter((f) => f.startsWith('lifecycle-v3-'))).toHaveLength(2);
  expect(files.filter((f) => f.startsWith('approval-v1-'))).toHaveLength(3);
  expect(files.filter((f) => f.startsWith('approval-v2-'))).toHaveLength(3);
});

test.each(files)('%s replays on the current workflow code', async (file) => {
  const history = historyFromFile(readFileSync(join(dir, file), 'utf8'));
  await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, file)).resolves.toBeUndefined();
});
