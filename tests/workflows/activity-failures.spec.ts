/**
 * Activity failures on the time-skipping server, with the worker's real
 * wrapper (activitiesOf) and interceptor over a real PostgreSQL: a data error
 * PostgreSQL refuses (a NUL in text, class 22) and a domain refusal fail at
 * the first attempt, never retried; a transient error (40001) is retried, and
 * from its third failed attempt the activity is in the stuck-work list, until
 * it succeeds.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { activitiesOf } from '../../apps/worker/src/worker.service';
import { DomainError, DomainErrorCode } from '../../libs/domain/src/errors';
import { stuckWorkInterceptors } from '../../libs/stuck-work/src/stuck-work.interceptor';
import { StuckWorkStore } from '../../libs/stuck-work/src/stuck-work.store';
import { isPermanentSqlState } from '../../libs/temporal/src/activity-failures';
import { TestDatabase, createTestDatabase } from '../support/db';
import { createTimeSkippingEnv } from '../support/temporal';
import type { ProbeActivities } from './support/activity-probe.workflow';

const taskQueue = 'test-activity-failures';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let store: StuckWorkStore;

const attempts: Record<string, number> = {};
let release!: () => void;
const released = new Promise<void>((r) => (release = r));

class Probe implements ProbeActivities {
  async dataError(): Promise<void> {
    attempts.dataError = (attempts.dataError ?? 0) + 1;
    // What a blocker title with U+0000 met in the recording activity: PostgreSQL refuses NUL in text.
    await db.ds.query(`INSERT INTO org_unit (name, kind) VALUES ($1, 'department')`, ['县\u0000局']);
  }

  async refusal(): Promise<void> {
    attempts.refusal = (attempts.refusal ?? 0) + 1;
    throw new DomainError(DomainErrorCode.Conflict, '该事项已办结', 'The matter is closed');
  }

  async transient(): Promise<void> {
    const n = (attempts.transient = (attempts.transient ?? 0) + 1);
    if (n === 4) await released; // the fourth attempt waits until the test has seen the matter listed as stuck
    if (n < 4) throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
  }
}

beforeAll(async () => {
  db = await createTestDatabase('activity_failures');
  store = new StuckWorkStore(db.ds);
  env = await createTimeSkippingEnv();
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(__dirname, 'support/activity-probe.workflow.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code },
    activities: activitiesOf(new Probe()),
    interceptors: stuckWorkInterceptors(db.ds),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

const probe = (name: keyof ProbeActivities) => env.client.workflow.execute('activityProbe', { workflowId: `probe-${name}-${randomUUID()}`, taskQueue, args: [name] });

test('a data error PostgreSQL refuses fails the activity once, non-retryable, saying why', async () => {
  const r = await probe('dataError');
  expect(r).toMatchObject({ ok: false, type: 'DataError.22021', nonRetryable: true });
  expect((r.details![0] as { zh: string }).zh).toMatch(/^数据无法保存（22021）/);
  expect(attempts.dataError).toBe(1);
  expect(await store.count()).toBe(0); // failed for good, not stuck: the workflow has heard
});

test('a domain refusal is non-retryable too, with its code and Chinese text', async () => {
  const r = await probe('refusal');
  expect(r).toMatchObject({
    ok: false,
    type: 'DomainError.conflict',
    nonRetryable: true,
    details: [{ code: 'conflict', zh: '该事项已办结', en: 'The matter is closed', details: null }],
  });
  expect(attempts.refusal).toBe(1);
});

test('a transient error is retried; from the third failed attempt the matter is listed as stuck, and cleared once it succeeds', async () => {
  const workflowId = `probe-transient-${randomUUID()}`;
  const h = await env.client.workflow.start('activityProbe', { workflowId, taskQueue, args: ['transient'] });
  let listed = await store.list();
  for (let i = 0; i < 200 && !listed.some((s) => s.attempt >= 3); i++) {
    await new Promise((r) => setTimeout(r, 50));
    listed = await store.list();
  }
  expect(listed).toEqual([
    expect.objectContaining({
      workflowId,
      workflowType: 'activityProbe',
      activityType: 'transient',
      attempt: 3,
      errorType: 'Error 40001',
      lastError: 'could not serialize access due to concurrent update',
    }),
  ]);
  release();
  expect(await h.result()).toEqual({ ok: true });
  expect(attempts.transient).toBe(4);
  expect(await store.list()).toEqual([]);
});

test('which SQLSTATEs are permanent: data exceptions and integrity violations, not races, deadlocks or connection trouble', () => {
  for (const c of ['22021', '22P05', '22001', '22003', '23502', '23503', '23514']) expect([c, isPermanentSqlState(c)]).toEqual([c, true]);
  for (const c of ['23505', '23P01', '40001', '40P01', '08006', '57P01', '53300', undefined, 'ECONNREFUSED']) expect([c, isPermanentSqlState(c)]).toEqual([c, false]);
});
