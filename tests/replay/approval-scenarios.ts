/**
 * Approval item scenarios recorded into histories (tests/replay/histories/approval-v1-*),
 * with in-memory activities. Bump APPROVAL_VERSION when the workflow changes behind `patched`.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type ApprovalActor, type ApprovalItemInput, approvalActUpdate, approvalOpenedUpdate, approvalRecomputeUpdate, approvalWorkflowId } from '../../libs/domain/src/approval';
import type { Scenario } from './scenarios';

export const APPROVAL_VERSION = 'approval-v2';

const DAY = 86_400_000;
/** Calendar days stand in for working days: replay checks commands, not the calendar. */
const activities = () => ({
  workingDays: async (a: { op: 'add' | 'between'; from: string; days?: number; to?: string }) =>
    a.op === 'add' ? { at: new Date(Date.parse(a.from) + a.days! * DAY).toISOString() } : { days: Math.floor((Date.parse(a.to!) - Date.parse(a.from)) / DAY) },
  recordApproval: async () => undefined,
  openApprovalMatter: async () => undefined,
  resolveApprovalMatter: async () => undefined,
  afterDecision: async () => undefined,
});
const actor = (extra: Partial<ApprovalActor>): ApprovalActor => ({ personId: randomUUID(), name: '某人', department: false, applicant: false, office: false, ...extra });
const clerk = actor({ department: true });
const applicant = actor({ applicant: true });

async function open(env: TestWorkflowEnvironment, taskQueue: string, over: Partial<ApprovalItemInput>): Promise<WorkflowHandle> {
  const itemId = randomUUID();
  const input: ApprovalItemInput = {
    itemId,
    projectId: randomUUID(),
    name: '项目审批（核准/备案）',
    stage: 'approval',
    departmentId: randomUUID(),
    limitDays: 5,
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
  await h.executeUpdate(approvalOpenedUpdate);
  return h;
}
const act = (h: WorkflowHandle, a: ApprovalActor, cmd: object) => h.executeUpdate(approvalActUpdate, { args: [{ ...cmd, actor: a } as never] });

export const approvalScenarios: Scenario[] = [
  {
    name: 'supplement-pause-warning-limit-approve',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue, {});
      await act(h, clerk, { action: 'requestSupplement', missing: ['申请报告'], reason: '不全' });
      await act(h, applicant, { action: 'supplyMaterial', note: '' });
      await act(h, clerk, { action: 'accept' });
      await act(h, clerk, { action: 'startReview' });
      await h.executeUpdate(approvalRecomputeUpdate, { args: [{ reason: '工作日历调整' }] }); // v2: a calendar change
      await env.sleep('2d');
      await act(h, clerk, { action: 'requestSupplement', missing: ['修改稿'], reason: '估算不全' });
      await env.sleep('10d');
      await act(h, applicant, { action: 'supplyMaterial', note: '' });
      await env.sleep('5d'); // warning, then the limit: the approvals ladder
      await act(h, clerk, { action: 'approve', documentNo: '1号' });
      await h.result();
      return h;
    },
  },
  {
    name: 'deemed-accepted-deficiency-missed-then-rejected',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue, { green: true, acceptWithDeficiencies: true, deemedAcceptDays: 2 });
      await env.sleep('3d'); // deemed accepted
      const h2 = await open(env, taskQueue, { green: true, acceptWithDeficiencies: true });
      await act(h2, clerk, {
        action: 'accept',
        deficiencies: { missing: ['资信证明'], commitOn: '2026-12-01', commitAt: new Date((await env.currentTimeMs()) + DAY).toISOString() },
      });
      await env.sleep('2d'); // the commitment missed: the acceptance ends
      await act(h2, applicant, { action: 'supplyDeficiency', note: '' });
      await act(h2, clerk, { action: 'accept' });
      await act(h2, clerk, { action: 'reject', reason: '不符合规划' });
      await act(h, clerk, { action: 'approve' });
      await h.result();
      await h2.result();
      return h2;
    },
  },
  {
    name: 'commitment-based-verification-overdue',
    activities,
    async run(env, taskQueue) {
      const h = await open(env, taskQueue, { green: true, commitmentBased: true, commitment: '承诺符合条件' });
      await env.sleep('4d');
      await act(h, clerk, { action: 'verify', passed: true, note: '' });
      await h.result();
      return h;
    },
  },
];
