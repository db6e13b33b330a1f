/**
 * The blocker workflow under concurrency, long life and data errors, on the
 * time-skipping server with its real activities over a real PostgreSQL
 * (ISSUE-11 items 1, 2 and 11):
 * - messages and a due timer delivered in one workflow activation are applied
 *   one after the other, and a timer re-decides once it holds the lock;
 * - a matter repeating thousands of times continues as new with its numbering intact;
 * - a change whose recording fails for good is undone and the matter goes on.
 *
 * To put several messages (and a timer) into one activation, a test stops the
 * matter's worker, lets the messages and the timer queue up on the server, and
 * starts a new worker: its first workflow task carries them all. The workers
 * keep no workflow cache (no sticky queue), so the new worker gets that task
 * at once.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activitiesOf } from '../../apps/worker/src/worker.service';
import { ActingPerson, BlockerAction, BlockerState, BlockerWorkflowInput, blockerWorkflowId } from '../../libs/domain/src/blocker';
import { actUpdate, BLOCKER_MAX_HISTORY_EVENTS, openedUpdate, stateQuery } from '../../libs/domain/src/blocker.contract';
import { PolicyRung } from '../../libs/domain/src/ladder';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, blockerInput, seedSmallCounty } from '../support/fixtures';
import { escalationActivities } from '../support/escalation';
import { createTimeSkippingEnv, settled, testBundle } from '../support/temporal';

const H = 3_600_000;
const HOURS: PolicyRung[] = [
  { rung: 'unit', responseTime: 'PT10H', warningBefore: { fraction: 0.2 } },
  { rung: 'liaison', responseTime: 'PT10H' },
  { rung: 'county', responseTime: 'PT10H' },
];
/** Marks a text the test's recording activity refuses, as PostgreSQL refuses a NUL. */
const REFUSED = '〈refused by the database〉';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let bundle: { code: string };
let activities: Record<string, (...args: never[]) => Promise<unknown>>;

beforeAll(async () => {
  db = await createTestDatabase('wfconc');
  county = await seedSmallCounty(db.ds);
  env = await createTimeSkippingEnv();
  activities = activitiesOf(escalationActivities(db));
  // A data error, as the recording activity reports one: non-retryable, with the Chinese reason first.
  const recordEvent = activities.recordEvent as (e: { reason: string | null }) => Promise<unknown>;
  activities.recordEvent = (async (e: { reason: string | null }) => {
    if (e.reason?.includes(REFUSED)) throw ApplicationFailure.create({ type: 'DataError', nonRetryable: true, message: 'invalid byte sequence', details: ['数据库拒绝了该值'] });
    return recordEvent(e);
  }) as never;
  bundle = { code: await testBundle() };
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

/**
 * A worker on its own task queue; `stop` lets messages queue up until the next one starts. Without a
 * cache (`sticky`: false) a new worker gets the next task at once, but replays the whole history for each.
 */
async function startWorker(taskQueue: string, sticky = false) {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities, ...(!sticky && { maxCachedWorkflows: 0 }) });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

const input = (extra: Partial<BlockerWorkflowInput> = {}): BlockerWorkflowInput => blockerInput(county, HOURS, extra);

async function start(i: BlockerWorkflowInput, taskQueue: string): Promise<WorkflowHandle> {
  const handle = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [i] });
  await handle.executeUpdate(openedUpdate);
  return handle;
}

const who = {
  staff: (): ActingPerson => ({ personId: county.unitStaff[1], name: '联络员乙', rungs: ['unit'], reporter: true, office: false, supervision: false }),
  head: (): ActingPerson => ({ personId: county.unitStaff[0], name: '局长甲', rungs: ['unit'], reporter: false, office: false, supervision: false }),
  leader: (): ActingPerson => ({ personId: county.leader, name: '副县长丙', rungs: ['liaison', 'county'], reporter: false, office: false, supervision: false }),
  countyHead: (): ActingPerson => ({ personId: county.countyLeaders[1], name: '县长丁', rungs: ['county'], reporter: false, office: false, supervision: false }),
};
const act = (h: WorkflowHandle, actor: ActingPerson, action: BlockerAction) => h.executeUpdate(actUpdate, { args: [{ ...action, actor } as never] }) as Promise<BlockerState>;

async function events(blockerId: string) {
  return (await db.ds.query(`SELECT seq, type, to_rung, actor, document_no, at, due_at FROM blocker_event WHERE blocker_id = $1 ORDER BY seq`, [blockerId])) as {
    seq: number;
    type: string;
    to_rung: string;
    actor: string;
    document_no: string | null;
    at: Date;
    due_at: Date | null;
  }[];
}
const eventTypes = async (id: string) => (await settled(() => events(id))).map((e) => e.type);

/** The server has the update (admitted, waiting for a worker) before the test goes on: it keeps the order of two updates. */
async function admitted<T>(p: Promise<T>): Promise<{ result: Promise<T> }> {
  p.catch(() => undefined); // awaited later by the test
  await new Promise((r) => setTimeout(r, 500)); // only orders the sends; every assertion below holds in either order
  return { result: p }; // wrapped: an async function returning the promise itself would wait for it
}

/** How many updates the workflow accepted in one workflow task, at most: proves the messages really came in one activation. */
async function mostUpdatesInOneTask(h: WorkflowHandle): Promise<number> {
  const T = temporal.api.enums.v1.EventType;
  let most = 0;
  let run = 0;
  for (const e of (await h.fetchHistory()).events ?? []) {
    if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) run = 0;
    else if (e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) most = Math.max(most, ++run);
  }
  return most;
}

/** Whether the last update came in the same workflow task as a timer: a TimerFired since the task before the one that accepted it. */
async function timerFiredWithLastUpdate(h: WorkflowHandle): Promise<boolean> {
  const T = temporal.api.enums.v1.EventType;
  const types = ((await h.fetchHistory()).events ?? []).map((e) => e.eventType);
  const accepted = types.lastIndexOf(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  const task = types.lastIndexOf(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, accepted);
  const previous = types.lastIndexOf(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, task - 1);
  return types.slice(previous + 1, task).includes(T.EVENT_TYPE_TIMER_FIRED);
}

describe('messages in one activation', () => {
  test('two actions delivered together are applied one after the other: no action records between the events of another', async () => {
    // Today's flag lock admitted both at once: 主动上报 recorded the lapsed extension, then the progress
    // was recorded, then the escalation (lapsed · progress · escalated).
    const taskQueue = `conc-${randomUUID()}`;
    let w = await startWorker(taskQueue);
    const i = input();
    const h = await start(i, taskQueue);
    const t0 = (await events(i.blockerId))[0].at.getTime();
    await act(h, who.staff(), { action: 'requestExtension', until: new Date(t0 + 15 * H).toISOString(), reason: '需等待评估报告' });
    await w.stop();
    const escalate = await admitted(act(h, who.staff(), { action: 'escalateNow', reason: '已多次协商，需包联领导协调' }));
    const progress = act(h, who.staff(), { action: 'progress', text: '已约谈3户中的2户' });
    progress.catch(() => undefined);
    w = await startWorker(taskQueue);
    try {
      await Promise.all([escalate.result, progress]);
      expect(await mostUpdatesInOneTask(h)).toBe(2);
      const types = await eventTypes(i.blockerId);
      expect(types.slice(0, 2)).toEqual(['reported', 'extension_requested']);
      expect([
        ['extension_lapsed', 'escalated', 'progress'],
        ['progress', 'extension_lapsed', 'escalated'],
      ]).toContainEqual(types.slice(2));
      expect((await events(i.blockerId)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await h.query(stateQuery)).rung).toBe('liaison');
      await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
    } finally {
      await w.stop();
    }
  });
});

describe('an action and the due timer in one activation', () => {
  /**
   * The matter's worker is down across its due instant (10 h on the unit rung, the reminder sent at 8 h);
   * the action comes while the due timer's task waits; a new worker gets both in one task.
   */
  async function atTheDueInstant(prepare: (h: WorkflowHandle, t0: number) => Promise<void>, action: (h: WorkflowHandle, t0: number) => Promise<BlockerState>) {
    const taskQueue = `due-${randomUUID()}`;
    let w = await startWorker(taskQueue);
    const i = input();
    const h = await start(i, taskQueue);
    const t0 = (await events(i.blockerId))[0].at.getTime();
    await prepare(h, t0);
    await env.sleep('9h');
    await w.stop();
    // Just past the due instant: the timer fires with no worker to take its task. From then on the server
    // skips no time (a workflow task is pending), so the last half second passes in real time.
    await env.sleep(t0 + 10 * H + 500 - (await env.currentTimeMs()));
    const acted = await admitted(action(h, t0));
    w = await startWorker(taskQueue);
    try {
      const state = await acted.result;
      expect(await timerFiredWithLastUpdate(h)).toBe(true);
      return { h, i, t0, state, stop: () => w.stop() };
    } catch (err) {
      await w.stop();
      throw err;
    }
  }

  test('主动上报 at the due instant: one escalation, one number, one rung', async () => {
    // Today: the timer had decided to escalate before the lock; it escalated again after the action (county, two numbers).
    const { h, i, state, stop } = await atTheDueInstant(
      async () => undefined,
      (h) => act(h, who.staff(), { action: 'escalateNow', reason: '已多次协商，需包联领导协调' }),
    );
    try {
      expect(state.rung).toBe('liaison');
      const ev = await settled(() => events(i.blockerId));
      expect(ev.map((e) => e.type)).toEqual(['reported', 'reminder', 'escalated']);
      expect(ev[2]).toMatchObject({ actor: county.unitStaff[1], to_rung: 'liaison', document_no: expect.stringMatching(/^督办〔\d{4}〕\d+号$/) });
      expect((await h.query(stateQuery)).rung).toBe('liaison');
      await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
    } finally {
      await stop();
    }
  });

  test('an extension granted at the due instant: no escalation; the matter is due at the granted time', async () => {
    // Today: the grant moved the due time, then the stale due timer escalated anyway.
    const { h, i, t0, state, stop } = await atTheDueInstant(
      (h, t0) => act(h, who.staff(), { action: 'requestExtension', until: new Date(t0 + 15 * H).toISOString(), reason: '需等待评估报告' }).then(() => undefined),
      (h) => act(h, who.leader(), { action: 'grantExtension', reason: '同意延期' }),
    );
    try {
      expect(state).toMatchObject({ rung: 'unit', dueAt: new Date(t0 + 15 * H).toISOString() });
      expect(await eventTypes(i.blockerId)).toEqual(['reported', 'extension_requested', 'reminder', 'extension_granted']);
      await env.sleep('5h'); // the granted time: now it moves
      const ev = await settled(() => events(i.blockerId));
      expect(ev.filter((e) => e.type === 'escalated').map((e) => e.at.getTime() - t0)).toEqual([15 * H]);
      await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
    } finally {
      await stop();
    }
  });

  test('a transfer with a new due time at the due instant: no stale escalation', async () => {
    const { h, i, t0, state, stop } = await atTheDueInstant(
      async () => undefined,
      (h, t0) =>
        act(h, who.leader(), { action: 'transfer', toUnitId: county.townshipId, toUnitName: '城关镇', dueAt: new Date(t0 + 20 * H).toISOString(), reason: '征迁由属地乡镇负责' }),
    );
    try {
      expect(state).toMatchObject({ rung: 'unit', responsibleUnitId: county.townshipId, dueAt: new Date(t0 + 20 * H).toISOString() });
      expect(await eventTypes(i.blockerId)).toEqual(['reported', 'reminder', 'transferred']);
      await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
    } finally {
      await stop();
    }
  });
});

test('a matter repeating every minute at the top rung for days continues as new: bounded history, numbering unbroken, still answers', async () => {
  const taskQueue = `long-${randomUUID()}`;
  const w = await startWorker(taskQueue, true);
  try {
    const i = input({ rungs: HOURS.map((r) => ({ ...r, responseTime: 'PT1H' })), repeatEvery: 'PT1M' });
    const h = await start(i, taskQueue);
    const first = (await h.describe()).runId;
    await env.sleep('3h'); // unit → liaison → county → overdue at the top
    // 2,160 repeat reminders, about 12 history events each; an hour at a time, since one long sleep call
    // outlives the test server's connection (it drops the client for its keepalive pings).
    for (let hour = 0; hour < 36; hour++) await env.sleep('1h');
    const latest = await h.describe();
    expect(latest.runId).not.toBe(first);
    expect(latest.status.name).toBe('RUNNING');
    expect((await h.fetchHistory()).events!.length).toBeLessThan(BLOCKER_MAX_HISTORY_EVENTS + 100);

    const s = await act(h, who.countyHead(), { action: 'resolve', resolution: '专题协调会议定解决' });
    expect(s).toMatchObject({ status: 'resolved', rung: 'county', overdueAtTop: true });
    const ev = await settled(() => events(i.blockerId));
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, n) => n + 1)); // one number each, none lost, none twice
    expect(ev.filter((e) => e.type === 'reported')).toHaveLength(1);
    expect(ev.filter((e) => e.type === 'escalated')).toHaveLength(2);
    expect(ev.filter((e) => e.type === 'repeat_reminder').length).toBeGreaterThanOrEqual(2_000);
    // Each repeat one minute after the last, across every run.
    const repeats = ev.filter((e) => e.type === 'repeat_reminder').map((e) => e.at.getTime());
    expect(repeats.slice(1).every((t, n) => t - repeats[n] === 60_000)).toBe(true);
    expect(ev.at(-1)!.type).toBe('resolved');
    const [row] = await db.ds.query(`SELECT status, rung FROM blocker WHERE id = $1`, [i.blockerId]);
    expect(row).toEqual({ status: 'resolved', rung: 'county' });
  } finally {
    await w.stop();
  }
}, 900_000);

test('a change the database refuses is undone: the update fails, the state and the events are as before, the next action works', async () => {
  // Today: the transfer was applied to the workflow's state (other unit, other due time) but never recorded,
  // and the next event skipped a number.
  const taskQueue = `data-${randomUUID()}`;
  const w = await startWorker(taskQueue);
  try {
    const i = input();
    const h = await start(i, taskQueue);
    await act(h, who.head(), { action: 'acknowledge' });
    const before = await h.query(stateQuery);
    const later = new Date(Date.parse(before.dueAt!) + 24 * H).toISOString();
    const err = await act(h, who.leader(), { action: 'transfer', toUnitId: county.townshipId, toUnitName: '城关镇', dueAt: later, reason: `属地${REFUSED}` }).then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect({ type: err.cause.type, zh: err.cause.details[0] }).toEqual({ type: 'Invalid', zh: '数据库拒绝了该值' });
    expect(await h.query(stateQuery)).toEqual(before);
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'acknowledged']);

    const s = await act(h, who.leader(), { action: 'transfer', toUnitId: county.townshipId, toUnitName: '城关镇', dueAt: later, reason: '征迁由属地乡镇负责' });
    expect(s).toMatchObject({ responsibleUnitId: county.townshipId, dueAt: later, acknowledgedBy: [] });
    const ev = await settled(() => events(i.blockerId));
    expect(ev.map((e) => `${e.seq}:${e.type}`)).toEqual(['1:reported', '2:acknowledged', '3:transferred']);
    await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
  } finally {
    await w.stop();
  }
});
