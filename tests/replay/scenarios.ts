/**
 * Scenarios recorded into histories by record-histories.ts, for the current
 * workflow version. When a workflow changes (behind `patched`), bump VERSION,
 * adapt the scenarios, and record again: the older histories stay and must
 * keep replaying.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { addResponseTime } from '../../libs/domain/src/duration';
import { BlockerWorkflowInput, blockerWorkflowId } from '../../libs/domain/src/blocker';
import { openedUpdate, resolveUpdate } from '../../libs/domain/src/blocker.contract';

export const VERSION = 'v1';

/** In-memory activities: recording needs the workflow's commands, not the read model. */
const activities = () => ({
  computeDueAt: async (a: { fromMs: number; responseTime: string }) => new Date(addResponseTime(a.fromMs, a.responseTime, 'Asia/Shanghai')).toISOString(),
  recordReported: async () => undefined,
  recordEscalated: async () => undefined,
  recordOverdueAtTop: async () => undefined,
  recordResolved: async () => undefined,
});

const input = (): BlockerWorkflowInput => ({
  blockerId: randomUUID(),
  projectId: randomUUID(),
  responsibleUnitId: randomUUID(),
  category: 'relocation',
  severity: 'normal',
  title: '3户拆迁户未签订补偿协议',
  description: '补偿标准存在争议',
  reportedBy: randomUUID(),
  policyId: null,
  rungs: [
    { rung: 'unit', responseTime: 'PT1H' },
    { rung: 'liaison', responseTime: 'PT1H' },
    { rung: 'county', responseTime: 'PT1H' },
  ],
});

async function open(env: TestWorkflowEnvironment, taskQueue: string): Promise<WorkflowHandle> {
  const i = input();
  const handle = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [i] });
  await handle.executeUpdate(openedUpdate);
  return handle;
}

export interface Scenario {
  name: string;
  activities: () => Record<string, (...args: never[]) => Promise<unknown>>;
  run(env: TestWorkflowEnvironment, taskQueue: string): Promise<WorkflowHandle>;
}

export const scenarios: Scenario[] = [
  {
    name: 'climbs-to-top-then-resolved',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue);
      await env.sleep('190m'); // unit → liaison → county → overdue at top
      await h.executeUpdate(resolveUpdate, { args: [{ resolution: '专题协调会议定解决', resolvedBy: randomUUID() }] });
      await h.result();
      return h;
    },
  },
  {
    name: 'resolved-on-first-rung',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue);
      await env.sleep('20m');
      await h.executeUpdate(resolveUpdate, { args: [{ resolution: '已签订补偿协议', resolvedBy: randomUUID() }] }).catch(() => undefined);
      await h.result();
      return h;
    },
  },
  {
    name: 'resolved-after-one-escalation',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue);
      await env.sleep('90m');
      await h.executeUpdate(resolveUpdate, { args: [{ resolution: '包联领导协调解决', resolvedBy: randomUUID() }] });
      await h.result();
      return h;
    },
  },
];
