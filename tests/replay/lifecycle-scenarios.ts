/**
 * Lifecycle workflow scenarios recorded into histories (tests/replay/histories/lifecycle-v<N>-*; v2: records in a local activity),
 * with in-memory activities. Bump LIFECYCLE_VERSION when the workflow changes behind `patched`.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { STAGES } from '../../libs/domain/src/lifecycle';
import { type LifecycleActor, type StagePlan, lifecycleActUpdate, lifecycleOpenedUpdate, lifecycleWorkflowId } from '../../libs/domain/src/lifecycle-plan';
import type { Scenario } from './scenarios';

export const LIFECYCLE_VERSION = 'lifecycle-v3';

const DAY = 86_400_000;
const activities = () => ({ recordLifecycle: async () => undefined, openMatter: async () => undefined, resolveMatter: async () => undefined });
const actor = (extra: Partial<LifecycleActor>): LifecycleActor => ({ personId: randomUUID(), name: '某人', office: false, liaison: false, unit: false, ...extra });
const unit = actor({ unit: true });
const office = actor({ office: true });
const leader = actor({ liaison: true });

/** A plan due `days` from now per stage (null: not applicable), yellow 10 days before each. */
function plan(now: number, days: (number | null)[]): StagePlan[] {
  return STAGES.map((stage, i) => {
    const due = now + (days[i] ?? days[3]!) * DAY;
    return {
      stage,
      dueOn: new Date(due).toISOString().slice(0, 10),
      dueAt: new Date(due).toISOString(),
      warnAt: new Date(due - 10 * DAY).toISOString(),
      notApplicable: days[i] === null ? '已取得' : null,
    };
  });
}

async function open(env: TestWorkflowEnvironment, taskQueue: string, days: (number | null)[], confirmCompletion: boolean, continueAsNewAfter?: number): Promise<WorkflowHandle> {
  const projectId = randomUUID();
  const h = await env.client.workflow.start('projectLifecycle', {
    workflowId: lifecycleWorkflowId(projectId),
    taskQueue,
    args: [{ projectId, plan: plan(await env.currentTimeMs(), days), confirmCompletion, setBy: office, reason: '倒排工期', ...(continueAsNewAfter && { continueAsNewAfter }) }],
  });
  await h.executeUpdate(lifecycleOpenedUpdate);
  return h;
}

const act = (h: WorkflowHandle, a: LifecycleActor, cmd: object) => h.executeUpdate(lifecycleActUpdate, { args: [{ ...cmd, actor: a } as never] });
const evidence = [{ title: '建筑工程施工许可证', number: '341122-001' }];

export const lifecycleScenarios: Scenario[] = [
  {
    name: 'colours-schedule-blocker-completion',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue, [20, 60, 90, 120, 400], false);
      await env.sleep('15d'); // yellow
      await env.sleep('6d'); // red: a schedule blocker
      for (const stage of STAGES) await act(h, unit, { action: 'reportCompletion', stage, completedOn: '2026-11-23', evidence, note: '' });
      await h.result();
      return h;
    },
  },
  {
    name: 'late-start-replan-confirmation-overlap',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue, [null, null, 30, 3, 200], true, 60); // v3: continues as new on the way; the last run is recorded
      await env.sleep('4d'); // the start stage overdue: schedule blocker and late-start matter
      const now = await env.currentTimeMs();
      await act(h, unit, { action: 'requestReplan', plan: plan(now, [null, null, 40, 40, 300]), reason: '征迁推迟', requestId: randomUUID() });
      await act(h, leader, { action: 'decideReplan', grant: true, reason: '同意' });
      await act(h, unit, { action: 'requestReplan', plan: plan(now, [null, null, 50, 50, 300]), reason: '再推迟', requestId: randomUUID() });
      await act(h, office, { action: 'decideReplan', grant: false, reason: '不同意' });
      await act(h, unit, { action: 'reportCompletion', stage: 'land', completedOn: '2026-11-23', evidence, note: '' });
      await act(h, office, { action: 'confirmCompletion', stage: 'land', accept: false, reason: '材料不全' });
      await act(h, office, { action: 'markNotApplicable', stage: 'land', reason: '已有用地' });
      await act(h, unit, { action: 'reportCompletion', stage: 'start', completedOn: '2026-11-23', evidence, note: '' });
      await act(h, office, { action: 'confirmCompletion', stage: 'start', accept: true, reason: '' });
      await act(h, office, { action: 'setPlan', plan: plan(await env.currentTimeMs(), [null, null, 1, 1, 100]), reason: '调整竣工', confirmCompletion: false });
      await act(h, unit, { action: 'reportCompletion', stage: 'completion', completedOn: '2026-11-23', evidence, note: '' });
      await h.result();
      return h;
    },
  },
];
