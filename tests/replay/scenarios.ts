/**
 * Scenarios recorded into histories by record-histories.ts, for the current
 * workflow version (v6: `timer-from-recording`, timers armed from when the
 * last recording ended; v5 was `blocker-local-record`, events recorded by a
 * local activity; v4 `blocker-hardened`: a real mutex, timers re-decided in the
 * lock, continue-as-new). When a workflow changes (behind `patched`), bump VERSION,
 * adapt the scenarios, and record again: the older histories stay and must
 * keep replaying.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { addResponseTime } from '../../libs/domain/src/duration';
import { ActingPerson, BlockerWorkflowInput, blockerWorkflowId } from '../../libs/domain/src/blocker';
import { actUpdate, BlockerRunInput, openedUpdate, stateQuery } from '../../libs/domain/src/blocker.contract';
import { DEFAULT_LADDER_RUNGS } from '../../libs/domain/src/ladder';

export const VERSION = 'v6';

/** In-memory activities: recording needs the workflow's commands, not the read model. */
const activities = () => ({
  computeDue: async (a: { from: string; responseTime: string; dueAt?: string }) => ({
    dueAt: a.dueAt ?? new Date(addResponseTime(Date.parse(a.from), a.responseTime, 'Asia/Shanghai')).toISOString(),
    warnAt: null,
    provisional: false,
  }),
  recordEvent: async () => ({ endedAtMs: Date.now() }),
});
const person = (rungs: string[], extra: Partial<ActingPerson> = {}): ActingPerson => ({
  personId: randomUUID(),
  name: '某人',
  rungs,
  reporter: false,
  office: false,
  supervision: false,
  ...extra,
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
  ladder: DEFAULT_LADDER_RUNGS,
  repeatEvery: 'PT30M',
  reopenWithin: 'PT2H',
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

const act = (h: WorkflowHandle, cmd: object) => h.executeUpdate(actUpdate, { args: [cmd as never] });

export const scenarios: Scenario[] = [
  {
    name: 'climbs-to-top-repeats-then-resolved-and-closes',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue);
      await env.sleep('250m'); // unit → liaison → county → overdue at top → repeat reminders
      await act(h, { action: 'resolve', resolution: '专题协调会议定解决', actor: person(['county']) });
      await env.sleep('3h'); // the reopen period ends
      await h.result();
      return h;
    },
  },
  {
    name: 'every-action',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue);
      const unit = person(['unit'], { reporter: true });
      const leader = person(['liaison']);
      await act(h, { action: 'acknowledge', actor: unit });
      await act(h, { action: 'progress', text: '已约谈', actor: unit });
      const { dueAt } = await h.query(stateQuery);
      await act(h, { action: 'requestExtension', until: new Date(Date.parse(dueAt!) + 3_600_000).toISOString(), reason: '等待评估', actor: unit });
      await act(h, { action: 'grantExtension', reason: '同意', actor: leader });
      await act(h, { action: 'transfer', toUnitId: randomUUID(), toUnitName: '城关镇', reason: '属地', actor: leader });
      await act(h, { action: 'remind', text: '请反馈', actor: person([], { supervision: true }) });
      await act(h, { action: 'escalateNow', reason: '需包联领导协调', actor: unit });
      await act(h, { action: 'resolve', resolution: '已解决', actor: leader });
      await act(h, { action: 'reopen', reason: '未落实', actor: unit });
      await env.sleep('70m');
      await act(h, { action: 'resolve', resolution: '已落实', actor: person(['county']) });
      await env.sleep('3h');
      await h.result();
      return h;
    },
  },
  {
    // A run continued from another (continue-as-new): it starts from the carried state, on the top rung,
    // overdue, repeating; it neither reports again nor recomputes the due time.
    name: 'continued-run-repeats-then-resolved-and-closes',
    activities,
    async run(env, taskQueue) {
      const i = input();
      const now = await env.currentTimeMs(); // the test server's clock, not the host's
      const at = (ms: number) => new Date(now + ms).toISOString();
      const carried: BlockerRunInput = {
        ...i,
        carried: {
          state: {
            blockerId: i.blockerId,
            status: 'open',
            rungIndex: 2,
            rung: 'county',
            dueAt: at(-3_600_000),
            warnAt: null,
            provisional: false,
            overdueAtTop: true,
            enteredRungAt: at(-7_200_000),
            responsibleUnitId: i.responsibleUnitId,
            acknowledgedBy: [],
            extension: null,
            resolvedAt: null,
            reopenUntil: null,
          },
          seq: 170,
          policy: { policyId: null, rungs: i.rungs, repeatEvery: i.repeatEvery, reopenWithin: i.reopenWithin },
          ladder: DEFAULT_LADDER_RUNGS,
          warned: false,
          dueSetByPerson: false,
          nextRepeatAt: at(600_000),
        },
      };
      const h = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [carried] });
      await h.executeUpdate(openedUpdate);
      await env.sleep('65m'); // repeats at 10, 40 min
      await act(h, { action: 'resolve', resolution: '专题协调会议定解决', actor: person(['county']) });
      await env.sleep('3h');
      await h.result();
      return h;
    },
  },
];
