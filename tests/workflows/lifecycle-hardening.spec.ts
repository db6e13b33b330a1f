/**
 * The lifecycle and approval item workflows under concurrency and over a long
 * life, on the time-skipping server with in-memory activities (what is proved
 * here is the workflows' own decisions, not the read model):
 *   - two updates and a stage's due timer in one activation: one holder of
 *     the lock at a time, so exactly one schedule matter and gapless numbering;
 *   - continue-as-new on a small bound: numbering and the pending replan carry over;
 *   - an approval item follows a calendar change (its limit and warning recomputed),
 *     and continues as new with its clock intact.
 *
 * The time-skipping server gives no way to force the timer and updates into
 * one activation; `atDue` sends them as the clock reaches the due instant.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { STAGES } from '../../libs/domain/src/lifecycle';
import {
  type LifecycleActor,
  type LifecycleState,
  type StagePlan,
  lifecycleActUpdate,
  lifecycleOpenedUpdate,
  lifecycleStateQuery,
  lifecycleWorkflowId,
} from '../../libs/domain/src/lifecycle-plan';
import {
  type ApprovalActor,
  type ApprovalItemInput,
  type ApprovalItemState,
  approvalActUpdate,
  approvalOpenedUpdate,
  approvalRecomputeUpdate,
  approvalStateQuery,
  approvalWorkflowId,
} from '../../libs/domain/src/approval';
import { createTimeSkippingEnv, testBundle } from '../support/temporal';

const DAY = 86_400_000;
const taskQueue = 'test-hardening';
let env: TestWorkflowEnvironment;
let code: string;

/** What the in-memory activities saw. */
const seen = {
  clashes: [] as string[],
  events: new Map<string, Map<number, string>>(),
  opened: [] as { kind: string; projectId?: string; itemId?: string }[],
  resolved: [] as string[],
};
/** Days off for the in-memory approval calendar (ISO dates); weekends are ignored here. */
const daysOff = new Set<string>();

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
function addWorkingDays(from: string, days: number): string {
  let t = Date.parse(from);
  for (let n = 0; n < days;) {
    t += DAY;
    if (!daysOff.has(dayOf(t))) n++;
  }
  return new Date(t).toISOString();
}
/**
 * Keeps an event as the read model does (once per seq: a local activity may run
 * again after a lost task); the same seq recorded with another event would be
 * two changes numbered alike, and fails here.
 */
function keep(id: string, e: { seq: number; type: string }) {
  const events = seen.events.get(id) ?? new Map<number, string>();
  if (events.has(e.seq) && events.get(e.seq) !== e.type) seen.clashes.push(`${id} seq ${e.seq}: ${events.get(e.seq)} / ${e.type}`);
  events.set(e.seq, e.type);
  seen.events.set(id, events);
}
const activities = {
  recordLifecycle: async (events: { projectId: string; seq: number; type: string }[]) => events.forEach((e) => keep(e.projectId, e)),
  openMatter: async (m: { kind: string; projectId: string }) => void seen.opened.push(m),
  resolveMatter: async (m: { blockerId: string }) => void seen.resolved.push(m.blockerId),
  workingDays: async (a: { op: 'add' | 'between'; from: string; days?: number; to?: string }) =>
    a.op === 'add' ? { at: addWorkingDays(a.from, a.days!) } : { days: Math.floor((Date.parse(a.to!) - Date.parse(a.from)) / DAY) },
  recordApproval: async (events: { itemId: string; seq: number; type: string }[]) => events.forEach((e) => keep(e.itemId, e)),
  openApprovalMatter: async (m: { kind: string; itemId: string }) => void seen.opened.push(m),
  resolveApprovalMatter: async (m: { blockerId: string }) => void seen.resolved.push(m.blockerId),
  afterDecision: async () => undefined,
  deemedApprovalNumber: async () => 'DEEMED-1',
};

let worker: Worker;
let running: Promise<void>;
/** One worker for the file (the time-skipping server does not move its clock past a task no worker takes). */
const withWorker = <T>(fn: () => Promise<T>): Promise<T> => fn();

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  code = await testBundle();
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code }, activities });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const person = (extra: Partial<LifecycleActor>): LifecycleActor => ({ personId: randomUUID(), name: '某人', office: false, liaison: false, unit: false, ...extra });
const unit = person({ unit: true });
const office = person({ office: true });
const evidence = [{ title: '竣工验收备案表', number: 'BA-1' }];

/** A plan due `days` (ms offsets allowed) from `now`, stage by stage, yellow 10 days before each. */
function plan(now: number, dues: number[]): StagePlan[] {
  return STAGES.map((stage, i) => {
    const due = now + dues[i]! * DAY;
    return { stage, dueOn: dayOf(due), dueAt: new Date(due).toISOString(), warnAt: new Date(due - 10 * DAY).toISOString(), notApplicable: null };
  });
}

async function openLifecycle(
  dues: number[],
  extra: { continueAsNewAfter?: number; confirmCompletion?: boolean } = {},
): Promise<{ projectId: string; h: WorkflowHandle; now: number }> {
  const projectId = randomUUID();
  const now = await env.currentTimeMs();
  const h = await env.client.workflow.start('projectLifecycle', {
    workflowId: lifecycleWorkflowId(projectId),
    taskQueue,
    args: [
      {
        projectId,
        plan: plan(now, dues),
        confirmCompletion: extra.confirmCompletion ?? true,
        setBy: office,
        reason: '倒排工期',
        ...(extra.continueAsNewAfter && { continueAsNewAfter: extra.continueAsNewAfter }),
      },
    ],
  });
  await withWorker(() => h.executeUpdate(lifecycleOpenedUpdate));
  return { projectId, h, now };
}

const act = (h: WorkflowHandle, a: LifecycleActor, cmd: object) => h.executeUpdate(lifecycleActUpdate, { args: [{ ...cmd, actor: a } as never] });
const lifecycleState = (h: WorkflowHandle): Promise<LifecycleState> => h.query(lifecycleStateQuery);

/** Sends updates while no worker runs, waits until the server holds them, then lets one worker take them all in one task. */
/**
 * Sends updates at the instant a stage falls due: the clock moves there while
 * they are in flight, so the timer and the updates reach the workflow as close
 * together as the test server allows (often in one activation).
 */
async function atDue(h: WorkflowHandle, at: number, send: () => Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
  return withWorker(async () => {
    const results = Promise.allSettled(send());
    await env.sleep(Math.max(at - (await env.currentTimeMs()), 1));
    await results;
    // The due timer's change has run once the stage carries its schedule matter; its events
    // are written by a local activity that may finish just after the query shows that.
    for (let i = 0; i < 100 && !(await lifecycleState(h)).stages[0]!.scheduleBlockerId; i++) await env.sleep(1000);
    const projectId = (await h.describe()).workflowId.slice('lifecycle-'.length);
    const recorded = () => [...(seen.events.get(projectId)?.values() ?? [])].includes('schedule_blocker_opened');
    for (let i = 0; i < 200 && !recorded(); i++) await new Promise((r) => setTimeout(r, 50));
    return results;
  });
}

/** Seqs recorded for a workflow: 1..n, each once (the read model drops a repeated seq, so a gap or a repeat is a lost event). */
function expectGapless(id: string): { seq: number; type: string }[] {
  const events = [...(seen.events.get(id) ?? new Map<number, string>()).entries()].sort(([a], [b]) => a - b).map(([seq, type]) => ({ seq, type }));
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(seen.clashes).toEqual([]);
  return events;
}

describe('lifecycle: one change at a time', () => {
  test('two updates sent as the due timer fires open one schedule matter, numbered without gaps', async () => {
    const { projectId, h, now } = await openLifecycle([2, 60, 90, 120, 400]);
    const results = await atDue(h, now + 2 * DAY, () => [
      act(h, unit, { action: 'requestReplan', plan: plan(now, [30, 60, 90, 120, 400]), reason: '征迁推迟', requestId: randomUUID() }),
      act(h, unit, { action: 'reportCompletion', stage: 'completion', completedOn: dayOf(now), evidence, note: '' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const schedule = seen.opened.filter((m) => m.projectId === projectId && m.kind === 'schedule');
    expect(schedule).toHaveLength(1);
    const events = expectGapless(projectId);
    expect(events.filter((e) => e.type === 'schedule_blocker_opened')).toHaveLength(1);
    expect((await lifecycleState(h)).stages[0]!.scheduleBlockerId).toBeTruthy();
  });
});

describe('lifecycle: continue-as-new', () => {
  test('a run past its bound continues as new; numbering, confirmations and the pending replan carry over', async () => {
    const { projectId, h, now } = await openLifecycle([200, 300, 400, 500, 600], { continueAsNewAfter: 40 });
    const firstRun = (await h.describe()).runId;
    const latest = env.client.workflow.getHandle(lifecycleWorkflowId(projectId));
    const { after, s } = await withWorker(async () => {
      for (let i = 0; i < 6; i++) {
        await act(h, unit, { action: 'requestReplan', plan: plan(now, [210 + i, 300, 400, 500, 600]), reason: `第${i + 1}次申请`, requestId: randomUUID() });
        await act(h, office, { action: 'decideReplan', grant: false, reason: '不同意' });
      }
      await act(h, unit, { action: 'reportCompletion', stage: 'planning', completedOn: dayOf(now), evidence, note: '' });
      await act(h, unit, { action: 'requestReplan', plan: plan(now, [200, 333, 400, 500, 600]), reason: '待批', requestId: randomUUID() });
      // After each change the loop looks at the bound: the run has continued as new (more than once) on the way.
      const after = await lifecycleState(latest);
      await act(latest, office, { action: 'confirmCompletion', stage: 'planning', accept: true, reason: '' });
      await act(latest, office, { action: 'decideReplan', grant: true, reason: '同意' });
      return { after, s: await lifecycleState(latest) };
    });
    expect((await latest.describe()).runId).not.toBe(firstRun);
    expect(after.pendingReplan?.reason).toBe('待批');
    expect(after.stages[0]!.reported?.completedOn).toBe(dayOf(now));
    expect(s.stages[0]!.state).toBe('done');
    expect(s.stages[1]!.dueOn).toBe(dayOf(now + 333 * DAY));
    const events = expectGapless(projectId);
    expect(events.map((e) => e.type)).toContain('stage_done');
    expect(events.at(-1)!.type).toBe('replan_granted');
    const history = await latest.fetchHistory();
    expect(history.events!.length).toBeLessThan(80);
  });
});

const clerk: ApprovalActor = { personId: randomUUID(), name: '审批员', department: true, applicant: false, office: false };
const applicant: ApprovalActor = { personId: randomUUID(), name: '申请人', department: false, applicant: true, office: false };

async function openItem(over: Partial<ApprovalItemInput> = {}): Promise<{ itemId: string; h: WorkflowHandle }> {
  const itemId = randomUUID();
  const input: ApprovalItemInput = {
    itemId,
    projectId: randomUUID(),
    name: '施工许可',
    stage: 'start',
    departmentId: randomUUID(),
    limitDays: 10,
    warningDays: 2,
    deemedAcceptDays: 5,
    green: false,
    acceptWithDeficiencies: false,
    suspendOnMissedCommitment: true,
    commitmentBased: false,
    verificationDays: 3,
    submittedBy: applicant,
    ...over,
  };
  const h = await env.client.workflow.start('approvalItem', { workflowId: approvalWorkflowId(itemId), taskQueue, args: [input] });
  await withWorker(() => h.executeUpdate(approvalOpenedUpdate));
  return { itemId, h };
}
const approvalAct = (h: WorkflowHandle, a: ApprovalActor, cmd: object) => h.executeUpdate(approvalActUpdate, { args: [{ ...cmd, actor: a } as never] });

describe('approval item', () => {
  test('follows a calendar change: its limit and warning recomputed from the clock’s start on the new calendar', async () => {
    const { itemId, h } = await openItem();
    const accepted = await withWorker(() => approvalAct(h, clerk, { action: 'accept' }));
    const before = accepted as ApprovalItemState;
    // Two local days off inside the running limit.
    const start = Date.parse(before.clockStart!);
    daysOff.add(dayOf(start + 3 * DAY));
    daysOff.add(dayOf(start + 4 * DAY));
    const after = await withWorker(() => h.executeUpdate(approvalRecomputeUpdate, { args: [{ reason: '工作日历调整' }] }));
    expect(Date.parse(after.dueAt!) - Date.parse(before.dueAt!)).toBe(2 * DAY);
    expect(Date.parse(after.warnAt!) - Date.parse(before.warnAt!)).toBe(2 * DAY);
    expect(after.clockStart).toBe(before.clockStart);
    const events = expectGapless(itemId);
    expect(events.at(-1)!.type).toBe('recomputed');
    // Nothing changed since: a second recompute records nothing.
    await withWorker(() => h.executeUpdate(approvalRecomputeUpdate, { args: [{ reason: '再次调整' }] }));
    expect(expectGapless(itemId)).toHaveLength(events.length);
    daysOff.clear();
  });

  test('a long item continues as new with its clock: the limit still passes at its instant and opens one matter', async () => {
    const { itemId, h } = await openItem({ continueAsNewAfter: 30 });
    const firstRun = (await h.describe()).runId;
    const accepted = (await withWorker(async () => {
      await approvalAct(h, clerk, { action: 'accept' });
      for (let i = 0; i < 4; i++) {
        await approvalAct(h, clerk, {
          action: 'stopClock',
          kind: 'expert_review',
          reason: `专家评审${i + 1}`,
          days: 1,
          dueAt: new Date((await env.currentTimeMs()) + 30 * DAY).toISOString(),
        });
        await approvalAct(h, clerk, { action: 'resumeClock', note: '' });
      }
      return h.query(approvalStateQuery);
    })) as ApprovalItemState;
    const latest = env.client.workflow.getHandle(approvalWorkflowId(itemId));
    const s = await withWorker(async () => {
      await env.sleep(Math.max(1000, Date.parse(accepted.dueAt!) + 1000 - (await env.currentTimeMs())));
      return latest.query(approvalStateQuery) as Promise<ApprovalItemState>;
    });
    expect((await latest.describe()).runId).not.toBe(firstRun);
    expect(s.escalationBlockerId).toBeTruthy();
    expect(seen.opened.filter((m) => m.itemId === itemId && m.kind === 'overdue')).toHaveLength(1);
    expectGapless(itemId);
  });
});
