/**
 * Approval figures as the workflow records them, on the time-skipping server
 * with the real activities and PostgreSQL: an item extended by its department
 * head and decided within the extended limit counts on time (the figures read
 * the limit written at submission, so it showed late); a deemed approval
 * (超时默认) counts late (it showed on time). And the 超时默认 number: a
 * retried numbering activity gets the number it was given, and the series has
 * no gap.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowHandle } from '@temporalio/client';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { ApprovalsService } from '../../libs/approvals/src/approvals.service';
import type { Actor } from '../../libs/domain/src/access';
import {
  type ApprovalAction,
  type ApprovalActor,
  type ApprovalItemInput,
  type ApprovalItemState,
  approvalActUpdate,
  approvalOpenedUpdate,
  approvalStateQuery,
  approvalWorkflowId,
} from '../../libs/domain/src/approval';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';
import { createTimeSkippingEnv, settled } from '../support/temporal';
import { type TestWorker, startTestWorker } from '../support/worker';

const DAY = 86_400_000;
const taskQueue = 'test-approval-figures';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let tw: TestWorker;
let approvals: ApprovalsService;
let dept: { id: string; clerk: string; head: string };

beforeAll(async () => {
  db = await createTestDatabase('approval_figures');
  county = await seedSmallCounty(db.ds);
  const q = async (sql: string, p: unknown[] = []) => (await db.ds.query(sql, p))[0]?.id as string;
  const id = await q(`INSERT INTO org_unit (name, kind) VALUES ('县发改局','department') RETURNING id`);
  dept = {
    id,
    clerk: await q(`INSERT INTO person (name, org_unit_id, roles) VALUES ('审批员', $1, '{approval_staff}') RETURNING id`, [id]),
    head: await q(`INSERT INTO person (name, org_unit_id, roles) VALUES ('发改局长', $1, '{unit_head}') RETURNING id`, [id]),
  };
  await db.ds.query(`UPDATE org_unit SET leader_in_charge_id = $2 WHERE id = $1`, [id, county.countyLeaders[1]]);
  env = await createTimeSkippingEnv();
  tw = await startTestWorker(db, env, taskQueue);
  approvals = new ApprovalsService(db.ds, env.client, tw.audit, tw.calendar, tw.cfg);
}, 120_000);

afterAll(async () => {
  await tw?.stop();
  await env?.teardown();
  await db?.drop();
});

const clerk = (): ApprovalActor => ({ personId: dept.clerk, name: '审批员', department: true, applicant: false, office: false });
const head = (): ApprovalActor => ({ personId: dept.head, name: '发改局长', department: true, departmentHead: true, applicant: false, office: false });
const office: Actor = {
  kind: 'person',
  personId: randomUUID(),
  accountId: randomUUID(),
  sessionId: randomUUID(),
  name: '项目办戊',
  orgUnitId: randomUUID(),
  roles: ['project_office'],
};

let n = 0;
/** An item submitted as the API submits it: limit_days written at submission (5 working days). */
async function item(over: Partial<ApprovalItemInput> = {}): Promise<{ id: string; h: WorkflowHandle }> {
  const id = randomUUID();
  await db.ds.query(`INSERT INTO approval_catalogue_item (code, name, department_name, stage, statutory_days, promised_days) VALUES ($1, $2, '县发改局', 'approval', 20, 5)`, [
    `f-${++n}`,
    `统计事项${n}`,
  ]);
  const [{ id: cat }] = await db.ds.query(`SELECT id FROM approval_catalogue_item WHERE code = $1`, [`f-${n}`]);
  await db.ds.query(
    `INSERT INTO approval_item (id, project_id, catalogue_item_id, name, stage, department_id, status, limit_days, submitted_at) VALUES ($1,$2,$3,$4,'approval',$5,'submitted',5,now())`,
    [id, county.projectId, cat, `统计事项${n}`, dept.id],
  );
  const input: ApprovalItemInput = {
    itemId: id,
    projectId: county.projectId,
    name: `统计事项${n}`,
    stage: 'approval',
    departmentId: dept.id,
    limitDays: 5,
    warningDays: 2,
    deemedAcceptDays: 5,
    green: false,
    acceptWithDeficiencies: false,
    suspendOnMissedCommitment: true,
    commitmentBased: false,
    verificationDays: 10,
    submittedBy: { personId: county.unitStaff[1], name: '联络员乙', department: false, applicant: true, office: false },
    ...over,
  };
  const h = await env.client.workflow.start('approvalItem', { workflowId: approvalWorkflowId(id), taskQueue, args: [input] });
  await h.executeUpdate(approvalOpenedUpdate);
  return { id, h };
}
const act = (h: WorkflowHandle, actor: ApprovalActor, a: ApprovalAction): Promise<ApprovalItemState> => h.executeUpdate(approvalActUpdate, { args: [{ ...a, actor } as never] });
const sleepUntil = async (iso: string, plusMs = 1000) => env.sleep(Math.max(1, Date.parse(iso) - (await env.currentTimeMs()) + plusMs));
const decision = (id: string) =>
  settled(async () => (await db.ds.query(`SELECT details FROM approval_item_event WHERE item_id = $1 AND type IN ('approved','rejected')`, [id]))[0]?.details ?? null);
const normalFigures = async () =>
  (await approvals.departments(office, {})).departments.find((d) => d.departmentId === dept.id)?.normal as { decided: number; onTime: number; onTimeRate: number | null };

test('an item decided within its extended limit counts on time; a deemed approval counts late', async () => {
  // Extended: 5 + 10 working days; decided after more than 5 (the limit at submission) but within 15.
  const x = await item();
  await act(x.h, clerk(), { action: 'accept' });
  await act(x.h, head(), { action: 'extend', days: 10, reason: '需现场踏勘' });
  await env.sleep(12 * DAY);
  await act(x.h, clerk(), { action: 'approve', documentNo: '县发改投资〔2026〕7号' });
  const recorded = await decision(x.id);
  expect(recorded).toMatchObject({ limitDays: 15, onTime: true });
  expect(recorded.usedDays).toBeGreaterThan(5); // past the limit written at submission
  expect(await normalFigures()).toMatchObject({ decided: 1, onTime: 1, onTimeRate: 100 });
  // The item's view holds it to the extended limit too.
  const view = await approvals.get(office, x.id);
  expect([view.limitDays, view.overdue]).toEqual([15, false]);

  // Deemed approval: the limit passes with no decision; approved, late against the department.
  const y = await item({ deemedApproval: true });
  const s = await act(y.h, clerk(), { action: 'accept' });
  await sleepUntil(s.dueAt!);
  expect((await y.h.query(approvalStateQuery)).status).toBe('approved');
  expect(await decision(y.id)).toMatchObject({ onTime: false, limitDays: 5 });
  const [row] = await db.ds.query(`SELECT elapsed_days, limit_days FROM approval_item WHERE id = $1`, [y.id]);
  expect(row.elapsed_days).toBeLessThanOrEqual(row.limit_days); // within the limit by the count of days, yet late: the workflow says so
  expect(await normalFigures()).toMatchObject({ decided: 2, onTime: 1, onTimeRate: 50 });
});

test('the 超时默认 number: a retried activity returns the number it issued; the series has no gap', async () => {
  const at = new Date(await env.currentTimeMs()).toISOString();
  const number = (itemId: string) =>
    new MockActivityEnvironment({ workflowExecution: { workflowId: approvalWorkflowId(itemId), runId: randomUUID() }, attempt: 1 }).run(
      tw.approvalActivities.deemedApprovalNumber.bind(tw.approvalActivities),
      { at },
    ) as Promise<string>;
  const [a, b] = [randomUUID(), randomUUID()];
  const first = await number(a);
  // The completion was lost; Temporal runs the activity again, once and twice, even at the same time.
  const retries = await Promise.all([number(a), number(a), number(a)]);
  expect(retries).toEqual([first, first, first]);
  const second = await number(b);
  const seq = (no: string) => Number(/〕(\d+)号$/.exec(no)![1]);
  expect(seq(second)).toBe(seq(first) + 1);
  // Every number of the year is registered against one item, 1..N without a gap (the deemed approval above included).
  const issued: { number: number; owner_key: string }[] = await db.ds.query(`SELECT number, owner_key FROM issued_document_no WHERE series = '超时默认' ORDER BY number`);
  expect(issued.map((r) => r.number)).toEqual(issued.map((_, i) => i + 1));
  expect(new Set(issued.map((r) => r.owner_key)).size).toBe(issued.length);
  const [{ last }] = await db.ds.query(`SELECT last FROM document_counter WHERE series = '超时默认'`);
  expect(last).toBe(issued.length);
});
