/**
 * A burst of matters due at one instant with, just after that instant, the
 * Temporal dev server restarted, then (a second burst) PostgreSQL restarted:
 * every matter escalates exactly once, no notice twice, the notice numbers
 * consecutive. No timings are asserted (`npm run bench` reports them, with a
 * worker killed too; tests/e2e/worker-crash.e2e-spec.ts kills the worker
 * mid-ladder). PostgreSQL is an embedded server of this test's own, so that
 * restarting it disturbs no other suite.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { freePort } from '../../apps/stack/src/ports';
import { PostgresChild, spawnEmbeddedPostgres } from '../../apps/stack/src/postgres';
import { dataSourceOptions, migrate } from '../../libs/persistence/src/data-source';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { faultBurst } from '../bench/faults';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { RealStack, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(240_000);

const N = 30;
let dir: string;
let pg: PostgresChild;
let ds: DataSource;
let county: SmallCounty;
let stack: RealStack;
let token: string;
let policyId: string;
let pgOptions: Parameters<typeof spawnEmbeddedPostgres>[0];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duban-faults-'));
  chmodSync(dir, 0o755); // run as root, the server runs as postgres and must reach its data folder
  pgOptions = {
    dataDir: join(dir, 'postgres'),
    port: await freePort(),
    database: 'duban_test_faults',
    logFile: join(dir, 'pg.log'),
    script: join(PROJECT_ROOT, 'dist/apps/stack/src/postgres-main.js'),
  };
  pg = await spawnEmbeddedPostgres(pgOptions);
  await migrate(pg.url);
  ds = await new DataSource(dataSourceOptions(pg.url)).initialize();
  county = await seedSmallCounty(ds);
  await createAccounts(ds, { office: county.officer });
  stack = await startRealStack(pg.url, { persistentTemporal: true });
  token = await loginAs(stack.api, 'office', TEST_PASSWORD);
  const policy = await http(
    'POST',
    `${stack.api}/escalation-policies`,
    { name: 'faults', severity: 'urgent', automatic: false, rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: 'P30D' })) },
    token,
  );
  expect(policy.status).toBe(201);
  policyId = policy.body.id;
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy().catch(() => undefined);
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exactlyOnce = { lost: 0, escalatedTwice: 0, duplicateNotices: 0, numbersConsecutive: true };

test('Temporal restarted in the middle of a burst: every matter escalates exactly once', async () => {
  const r = await faultBurst({ kind: 'temporal', n: N, stack, ds, api: stack.api, token, projectId: county.projectId, policyId, leadMs: 8000 });
  expect(r).toMatchObject(exactlyOnce);
});

test('PostgreSQL restarted in the middle of a burst: every matter escalates exactly once', async () => {
  const restartPostgres = async (downMs: number) => {
    await pg.stop();
    await new Promise((r) => setTimeout(r, downMs));
    pg = await spawnEmbeddedPostgres(pgOptions);
  };
  const r = await faultBurst({ kind: 'postgres', n: N, stack, ds, api: stack.api, token, projectId: county.projectId, policyId, leadMs: 8000, restartPostgres });
  expect(r).toMatchObject(exactlyOnce);
});
