/**
 * A matter's timer is armed from when its recording ended, not from the start
 * of the workflow task that recorded it (`patched('timer-from-recording')`).
 * The workflow clock stands still through a task, so a report whose
 * transaction takes a while would otherwise arm its due timer that much late,
 * and the escalation would come that much after its due instant. Here the
 * report's recording is made 1.5 s slow (as a loaded database makes it), on
 * the time-skipping server with the real activities over a real PostgreSQL,
 * and the test reads the timer the workflow asked Temporal for.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activitiesOf } from '../../apps/worker/src/worker.service';
import { blockerWorkflowId } from '../../libs/domain/src/blocker';
import { openedUpdate } from '../../libs/domain/src/blocker.contract';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, blockerInput, seedSmallCounty } from '../support/fixtures';
import { escalationActivities } from '../support/escalation';
import { createTimeSkippingEnv, testBundle } from '../support/temporal';

const SLOW_MS = 1_500;

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let activities: Record<string, (...args: never[]) => Promise<unknown>>;
let bundle: { code: string };
const ended = new Map<string, { type: string; endedAtMs: number }[]>();

beforeAll(async () => {
  db = await createTestDatabase('wftimer');
  county = await seedSmallCounty(db.ds);
  // A fresh server: its clock has not skipped ahead of the machine's, which the activity's end is read from.
  env = await createTimeSkippingEnv();
  activities = activitiesOf(escalationActivities(db));
  const recordEvent = activities.recordEvent as (e: { blockerId: string; type: string }) => Promise<{ endedAtMs: number }>;
  activities.recordEvent = (async (e: { blockerId: string; type: string }) => {
    if (e.type === 'reported') await new Promise((r) => setTimeout(r, SLOW_MS));
    const r = await recordEvent(e);
    ended.set(e.blockerId, [...(ended.get(e.blockerId) ?? []), { type: e.type, endedAtMs: r.endedAtMs }]);
    return r;
  }) as never;
  bundle = { code: await testBundle() };
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

test('the due timer is armed from the end of the slow report, so it fires at the due instant, not 1.5 s after it', async () => {
  const taskQueue = `timer-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  const running = worker.run();
  try {
    const rungs = (['unit', 'liaison', 'county'] as const).map((rung) => ({ rung, responseTime: 'PT10H' }));
    const i = blockerInput(county, rungs, { firstDueAt: new Date(Date.now() + 3_600_000).toISOString() });
    const handle = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [i] });
    await handle.executeUpdate(openedUpdate);

    const T = temporal.api.enums.v1.EventType;
    const events = (await handle.fetchHistory()).events ?? [];
    const taskStarted = events.find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_STARTED)!;
    const taskStartMs = Number(taskStarted.eventTime!.seconds) * 1000 + Math.floor((taskStarted.eventTime!.nanos ?? 0) / 1e6);
    const timer = events.find((e) => e.eventType === T.EVENT_TYPE_TIMER_STARTED)!.timerStartedEventAttributes!.startToFireTimeout!;
    const timerMs = Number(timer.seconds) * 1000 + Math.round((timer.nanos ?? 0) / 1e6);
    const reported = ended.get(i.blockerId)!.find((e) => e.type === 'reported')!;
    const dueMs = Date.parse(i.firstDueAt!);

    expect(reported.endedAtMs - taskStartMs).toBeGreaterThanOrEqual(SLOW_MS); // the task's clock really fell behind
    expect(timerMs).toBe(dueMs - reported.endedAtMs); // armed from the recording's end…
    expect(timerMs).toBeLessThanOrEqual(dueMs - taskStartMs - SLOW_MS); // …not from the task's start, 1.5 s earlier
  } finally {
    worker.shutdown();
    await running;
  }
}, 60_000);
