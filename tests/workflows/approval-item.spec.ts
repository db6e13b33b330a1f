/**
 * Approval items on the time-skipping server, with their real activities on a
 * real PostgreSQL and the real working-day calendar: limits across a holiday,
 * the clock paused while a supplement is awaited, warning and escalation at
 * the limit on the approvals ladder (the escalation engine's own workflow),
 * deemed acceptance, parallel items completing the project's approval stage,
 * a missed commitment date, a commitment-based item and its verification.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { createCalendar } from '../../libs/calendar/src';
import type { CalendarStore } from '../../libs/calendar-store/src/calendar-store.service';
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
import { lifecycleOpenedUpdate, lifecycleWorkflowId } from '../../libs/domain/src/lifecycle-plan';
import type { LifecycleService } from '../../libs/lifecycle/src/lifecycle.service';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';
import { createTimeSkippingEnv, settled } from '../support/temporal';
import { type TestWorker, startTestWorker } from '../support/worker';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
const taskQueue = 'test-approvals';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let tw: TestWorker;
let calendar: CalendarStore;
let lifecycle: LifecycleService;
let dept: { id: string; clerk: string; head: string; leader: string };
let catalogueId: string;
/** A weekday made a local day off for this test (as the office would with a calendar amendment). */
let localHoliday: string;

const clerk = (): ApprovalActor => ({ personId: dept.clerk, name: '审批员', department: true, applicant: false, office: false });
const applicant = (): ApprovalActor => ({ personId: county.unitStaff[1], name: '联络员乙', department: false, applicant: true, office: false });
const outsider: ApprovalActor = { personId: randomUUID(), name: '他部门审批员', department: false, applicant: false, office: false };

beforeAll(async () => {
  db = await createTestDatabase('approvals');
  county = await seedSmallCounty(db.ds);
  const q = async (sql: string, p: unknown[] = []) => (await db.ds.query(sql, p))[0]?.id as string;
  const id = await q(`INSERT INTO org_unit (name, kind) VALUES ('县发改局','department') RETURNING id`);
  dept = {
    id,
    clerk: await q(`INSERT INTO person (name, org_unit_id, roles) VALUES ('审批员', $1, '{approval_staff}') RETURNING id`, [id]),
    head: await q(`INSERT INTO person (name, org_unit_id, roles) VALUES ('发改局长', $1, '{unit_head}') RETURNING id`, [id]),
    leader: county.countyLeaders[1],
  };
  await db.ds.query(`UPDATE org_unit SET leader_in_charge_id = $2 WHERE id = $1`, [id, dept.leader]);
  catalogueId = await q(`SELECT id FROM approval_catalogue_item WHERE code = 'project-approval'`);
  // The third working day from today becomes a local day off: every limit below runs across it.
  const bundled = createCalendar();
  localHoliday = DateTime.fromISO(bundled.addWorkingDays(new Date(), 3).at).setZone(ZONE).toISODate()!;
  await db.ds.query(`INSERT INTO calendar_amendment (date, kind, note) VALUES ($1, 'off', '测试：地方放假')`, [localHoliday]);

  env = await createTimeSkippingEnv();
  tw = await startTestWorker(db, env, taskQueue, ZONE);
  calendar = tw.calendar;
  lifecycle = tw.lifecycle;
}, 120_000);

afterAll(async () => {
  await tw?.stop();
  await env?.teardown();
  await db?.drop();
});

let n = 0;
async function item(over: Partial<ApprovalItemInput> = {}, projectId = county.projectId): Promise<{ id: string; h: WorkflowHandle }> {
  const id = randomUUID();
  await db.ds.query(`INSERT INTO approval_catalogue_item (code, name, department_name, stage, statutory_days, promised_days) VALUES ($1, $2, '县发改局', 'approval', 20, 10)`, [
    `t-${++n}`,
    `测试事项${n}`,
  ]);
  const [{ id: cat }] = await db.ds.query(`SELECT id FROM approval_catalogue_item WHERE code = $1`, [`t-${n}`]);
  await db.ds.query(`INSERT INTO approval_item (id, project_id, catalogue_item_id, name, stage, department_id, status) VALUES ($1,$2,$3,$4,'approval',$5,'submitted')`, [
    id,
    projectId,
    over.stage === 'x' ? catalogueId : cat,
    `测试事项${n}`,
    dept.id,
  ]);
  const input: ApprovalItemInput = {
    itemId: id,
    projectId,
    name: `测试事项${n}`,
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
    submittedBy: applicant(),
    ...over,
  };
  const h = await env.client.workflow.start('approvalItem', { workflowId: approvalWorkflowId(id), taskQueue, args: [input] });
  await h.executeUpdate(approvalOpenedUpdate);
  return { id, h };
}

const act = (h: WorkflowHandle, actor: ApprovalActor, a: ApprovalAction): Promise<ApprovalItemState> => h.executeUpdate(approvalActUpdate, { args: [{ ...a, actor } as never] });
const state = (h: WorkflowHandle): Promise<ApprovalItemState> => h.query(approvalStateQuery);
const events = (id: string) =>
  settled(async () => (await db.ds.query(`SELECT type FROM approval_item_event WHERE item_id = $1 ORDER BY seq`, [id])).map((e: { type: string }) => e.type) as string[]);
const sleepUntil = async (iso: string, plusMs = 1000) => env.sleep(Math.max(1, Date.parse(iso) - (await env.currentTimeMs()) + plusMs));
async function blocker(id: string, where: (b: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const [b] = await db.ds.query(`SELECT b.*, p.name AS policy FROM blocker b LEFT JOIN escalation_policy p ON p.id = b.policy_id WHERE b.id = $1`, [id]);
    if (b && where(b)) return b;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`blocker ${id} never reached the expected state`);
}

test('the limit counts working days across a local holiday; a supplement stops the clock; warning, then escalation at the limit on the approvals ladder', async () => {
  const { id, h } = await item();
  expect(await act(h, outsider, { action: 'accept' }).catch((e: WorkflowUpdateFailedError) => (e.cause as unknown as { type: string }).type)).toBe('Forbidden');
  let s = await act(h, clerk(), { action: 'accept' });
  const cal = await calendar.current(true);
  expect(s.dueAt).toBe(cal.addWorkingDays(s.acceptedAt!, 5).at);
  // Without the local day off the limit would end a working day sooner.
  expect(Date.parse(s.dueAt!)).toBeGreaterThan(Date.parse(createCalendar().addWorkingDays(s.acceptedAt!, 5).at));
  expect(cal.workingDaysBetween(s.acceptedAt!, s.dueAt!).days).toBe(5);

  // Two calendar days in, the department asks for more: the days used are kept, the clock stops.
  await env.sleep(2 * DAY);
  const used = cal.workingDaysBetween(s.acceptedAt!, new Date(await env.currentTimeMs())).days;
  s = await act(h, clerk(), { action: 'requestSupplement', missing: ['项目申请报告（修改稿）'], reason: '投资估算不完整' });
  expect([s.status, s.dueAt, s.remainingDays, s.usedDays]).toEqual(['supplement_requested', null, 5 - used, used]);
  expect(await refusedType(act(h, clerk(), { action: 'approve' }))).toBe('Conflict');
  await env.sleep(20 * DAY); // paused: nothing moves, however long
  expect(await events(id)).not.toContain('limit_passed');
  const resumedAt = new Date(await env.currentTimeMs()).toISOString();
  s = await act(h, applicant(), { action: 'supplyMaterial', note: '已补正' });
  expect(s.status).toBe('under_review');
  expect(s.dueAt).toBe(cal.addWorkingDays(resumedAt, Math.max(1, 5 - used)).at);
  expect(s.pausedDays).toBeGreaterThanOrEqual(13);

  await sleepUntil(s.warnAt ?? s.dueAt!, s.warnAt ? 1000 : -60_000);
  if (s.warnAt) expect(await events(id)).toContain('warning');
  await sleepUntil(s.dueAt!);
  s = await state(h);
  expect(s.escalationBlockerId).toBeTruthy();
  // The escalation engine's own matter: opened on the department's rung and moved at once to its head, with a numbered notice.
  const b = await blocker(s.escalationBlockerId!, (x) => x.rung === 'department_head');
  expect([b.category, b.policy, b.responsible_unit_id]).toEqual(['approval', '审批超时督办', dept.id]);
  const notices = await db.ds.query(`SELECT kind, recipient_id, document_no FROM notice WHERE blocker_id = $1 AND kind = 'escalation'`, [b.id]);
  expect(notices).toEqual([{ kind: 'escalation', recipient_id: dept.head, document_no: expect.stringMatching(/^督办〔\d{4}〕\d+号$/) }]);

  s = await act(h, clerk(), { action: 'approve', documentNo: '县发改投资〔2026〕1号' });
  expect(s.status).toBe('approved');
  await blocker(s.escalationBlockerId!, (x) => x.status === 'resolved');
  const [row] = await db.ds.query(`SELECT status, document_no, elapsed_days, paused_days FROM approval_item WHERE id = $1`, [id]);
  expect(row).toMatchObject({ status: 'approved', document_no: '县发改投资〔2026〕1号' });
  expect(row.elapsed_days).toBeGreaterThanOrEqual(5);
});

async function refusedType(p: Promise<unknown>): Promise<string | null> {
  return p.then(
    () => null,
    (e: WorkflowUpdateFailedError) => (e.cause as unknown as { type: string }).type,
  );
}

test('a department silent for its set days has accepted; a reject needs a reason', async () => {
  const { id, h } = await item({ deemedAcceptDays: 2 });
  const s0 = await state(h);
  await sleepUntil(s0.deemedAcceptAt!);
  const s = await state(h);
  expect([s.status, s.acceptedAt !== null]).toEqual(['accepted', true]);
  expect(await events(id)).toEqual(['submitted', 'deemed_accepted']);
  expect(await refusedType(act(h, clerk(), { action: 'reject', reason: ' ' }))).toBe('Invalid');
  expect((await act(h, clerk(), { action: 'reject', reason: '不符合产业政策' })).status).toBe('rejected');
});

test('green channel: parallel items, the last approval completes the approval stage of the project’s lifecycle', async () => {
  const [{ id: projectId }] = await db.ds.query(
    `INSERT INTO project (code, name, category, responsible_unit_id, owner, total_investment) VALUES ('2026-341122-48-01-000777','并联审批项目','industry',$1,'某公司',100) RETURNING id`,
    [county.unitId],
  );
  const day = (k: number) => DateTime.fromMillis(Date.now() + k * DAY, { zone: ZONE }).toISODate()!;
  const plan = lifecycle.toPlan({
    stages: [
      { stage: 'planning', dueOn: day(60), notApplicable: '已立项' },
      { stage: 'approval', dueOn: day(60) },
      { stage: 'land', dueOn: day(90) },
      { stage: 'start', dueOn: day(120) },
      { stage: 'completion', dueOn: day(400) },
    ],
  });
  const lh = await env.client.workflow.start('projectLifecycle', {
    workflowId: lifecycleWorkflowId(projectId),
    taskQueue,
    args: [{ projectId, plan, confirmCompletion: true, setBy: { personId: county.officer, name: '项目办戊', office: true, liaison: false, unit: false }, reason: '计划' }],
  });
  await lh.executeUpdate(lifecycleOpenedUpdate);
  const a = await item({ green: true }, projectId);
  const b = await item({ green: true }, projectId);
  await act(a.h, clerk(), { action: 'accept' });
  await act(b.h, clerk(), { action: 'accept' });
  await act(a.h, clerk(), { action: 'approve', documentNo: 'A-1' });
  const stage = async () => (await db.ds.query(`SELECT state, evidence FROM project_stage WHERE project_id = $1 AND stage = 'approval'`, [projectId]))[0];
  expect((await stage()).state).toBe('active');
  await act(b.h, clerk(), { action: 'approve', documentNo: 'B-1' });
  for (let i = 0; i < 100 && (await stage()).state !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
  const done = await stage();
  expect(done.state).toBe('done');
  expect(done.evidence.map((e: { number: string }) => e.number).sort()).toEqual(['A-1', 'B-1']);
});

test('accepted with deficiencies: the commitment date missed opens a matter on the applicant and ends the acceptance; supplying closes it', async () => {
  const { id, h } = await item({ green: true, acceptWithDeficiencies: true });
  const commitAt = new Date((await env.currentTimeMs()) + 2 * DAY).toISOString();
  expect(await refusedType(act(h, clerk(), { action: 'accept', deficiencies: { missing: [], commitOn: '2026-12-01', commitAt } }))).toBe('Invalid');
  let s = await act(h, clerk(), { action: 'accept', deficiencies: { missing: ['节能审查意见'], commitOn: '2026-12-01', commitAt } });
  expect([s.status, s.deficiency?.supplied]).toEqual(['accepted', false]);
  await sleepUntil(commitAt);
  s = await state(h);
  expect([s.status, s.deficiency?.missed, s.acceptedAt, s.dueAt]).toEqual(['submitted', true, null, null]);
  const b = await blocker(s.applicantBlockerId!, (x) => x.status === 'open');
  expect([b.category, b.responsible_unit_id, b.rung]).toEqual(['approval', county.unitId, 'unit']);
  expect(await events(id)).toEqual(['submitted', 'accepted', 'commitment_missed']);
  await act(h, applicant(), { action: 'supplyDeficiency', note: '已补齐' });
  await blocker(s.applicantBlockerId!, (x) => x.status === 'resolved');
  expect((await act(h, clerk(), { action: 'accept' })).status).toBe('accepted');

  const plain = await item({ green: false, acceptWithDeficiencies: false });
  expect(await refusedType(act(plain.h, clerk(), { action: 'accept', deficiencies: { missing: ['x'], commitOn: '2026-12-01', commitAt } }))).toBe('Conflict');
});

test('commitment-based: approved at once on the written commitment; the verification overdue escalates, verifying closes it', async () => {
  const { id, h } = await item({ green: true, commitmentBased: true, verificationDays: 3, commitment: '本单位承诺符合节能审查条件' });
  let s = await state(h);
  expect([s.status, s.verification?.doneAt]).toEqual(['approved', null]);
  expect(Date.parse(s.verification!.dueAt)).toBe(Date.parse((await calendar.current(true)).addWorkingDays(s.acceptedAt!, 3).at));
  await sleepUntil(s.verification!.dueAt);
  s = await state(h);
  const b = await blocker(s.verificationBlockerId!, (x) => x.rung === 'department_head');
  expect(b.title).toContain('告知承诺事项核查逾期');
  expect(await refusedType(act(h, clerk(), { action: 'verify', passed: false, note: '' }))).toBe('Invalid');
  s = await act(h, clerk(), { action: 'verify', passed: true, note: '现场核查符合承诺' });
  expect(s.verification?.passed).toBe(true);
  await blocker(s.verificationBlockerId!, (x) => x.status === 'resolved');
  expect(await events(id)).toEqual(['submitted', 'approved_on_commitment', 'verification_overdue', 'verified']);
  await h.result(); // nothing left to watch: the item's workflow ends
});

test('the clock’s working days follow the State Council’s holidays and adjusted working days (National Day and Spring Festival 2026)', async () => {
  const acts = tw.approvalActivities;
  const day = async (from: string, days: number) =>
    DateTime.fromISO((await acts.workingDays({ op: 'add', from, days })).at!)
      .setZone(ZONE)
      .toISODate();
  // Accepted on 30 September: 1–7 October are off, Saturday 10 October is worked.
  expect(await day('2026-09-30T10:00:00+08:00', 3)).toBe('2026-10-10');
  expect(await day('2026-09-30T10:00:00+08:00', 4)).toBe('2026-10-12');
  // Accepted on Friday 13 February: Saturday the 14th is worked, 15–23 February are off.
  expect(await day('2026-02-13T10:00:00+08:00', 1)).toBe('2026-02-14');
  expect(await day('2026-02-13T10:00:00+08:00', 2)).toBe('2026-02-24');
  expect((await acts.workingDays({ op: 'between', from: '2026-09-30T10:00:00+08:00', to: '2026-10-12T10:00:00+08:00' })).days).toBe(4);
});

test('a statutory extension by the department head, once; an expert review stops the clock with its own limit; deemed approval on timeout', async () => {
  const head: ApprovalActor = { personId: dept.head, name: '发改局长', department: true, departmentHead: true, applicant: false, office: false };
  const a = await item();
  await act(a.h, clerk(), { action: 'accept' });
  expect(await refusedType(act(a.h, clerk(), { action: 'extend', days: 10, reason: '需现场踏勘' }))).toBe('Forbidden');
  const at = new Date(await env.currentTimeMs()).toISOString();
  let s = await act(a.h, head, { action: 'extend', days: 10, reason: '需现场踏勘' });
  const cal = await calendar.current(true);
  expect([s.extension?.days, s.remainingDays, s.dueAt]).toEqual([10, 15, cal.addWorkingDays(at, 15).at]);
  expect(await refusedType(act(a.h, head, { action: 'extend', days: 5, reason: '再延' }))).toBe('Conflict');

  const stopDue = cal.addWorkingDays(new Date(await env.currentTimeMs()), 3).at;
  s = await act(a.h, clerk(), { action: 'stopClock', kind: 'expert_review', reason: '组织专家评审', days: 3, dueAt: stopDue });
  expect([s.dueAt, s.stop?.kind]).toEqual([null, 'expert_review']);
  expect(await refusedType(act(a.h, clerk(), { action: 'requestSupplement', missing: ['x'], reason: 'y' }))).toBe('Conflict');
  await sleepUntil(stopDue);
  expect((await state(a.h)).stop?.overdue).toBe(true);
  s = await act(a.h, clerk(), { action: 'resumeClock', note: '评审完成' });
  expect([s.stop, s.dueAt !== null, s.pausedDays >= 3]).toEqual([null, true, true]);
  expect(await events(a.id)).toEqual(['submitted', 'accepted', 'extended', 'clock_stopped', 'clock_stop_overdue', 'clock_resumed']);

  // Where local rules adopt deemed approval, the limit passing with no decision approves it, numbered, late against the department.
  const b = await item({ deemedApproval: true });
  s = await act(b.h, clerk(), { action: 'accept' });
  await sleepUntil(s.dueAt!);
  s = await state(b.h);
  expect([s.status, s.escalationBlockerId]).toEqual(['approved', null]);
  expect(s.documentNo).toMatch(/^超时默认〔\d{4}〕\d+号$/);
  const [approved] = await db.ds.query(`SELECT details FROM approval_item_event WHERE item_id = $1 AND type = 'approved'`, [b.id]);
  expect(approved.details.onTime).toBe(false);
  expect(await events(b.id)).toEqual(['submitted', 'accepted', 'warning', 'deemed_approved', 'approved']);
});

test('a calendar change reaches a running approval item through a background job: limit and warning recomputed, progress readable', async () => {
  const { id, h } = await item({ limitDays: 10, warningDays: 2 });
  const s = await act(h, clerk(), { action: 'accept' });
  const cal = await calendar.current(true);
  // A working day inside the limit becomes a local day off.
  const off = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(cal.addWorkingDays(s.acceptedAt!, 3).at));
  const ctx = {
    actor: {
      kind: 'person' as const,
      personId: county.officer,
      accountId: county.officer,
      sessionId: 's',
      name: '项目办戊',
      orgUnitId: county.officeId,
      roles: ['project_office' as const],
    },
    requestId: 'r-cal',
  };
  const amended = await calendar.amend(ctx, { date: off, kind: 'off', note: '县庆放假', reason: '县政府通知' });
  expect(amended.recomputeJobId).toEqual(expect.any(String));
  let job = await tw.jobs.get(amended.recomputeJobId!);
  for (let i = 0; i < 100 && job.status !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = await tw.jobs.get(amended.recomputeJobId!);
  }
  expect(job).toMatchObject({ kind: 'calendar_recompute', status: 'done', failed: 0, failures: [] });
  expect(job.done).toBe(job.total);
  const reached = await db.ds.query(`SELECT target_id FROM background_job_item WHERE job_id = $1 AND target_type = 'approval_item' AND ok`, [job.id]);
  expect(reached.map((r: { target_id: string }) => r.target_id)).toContain(id);
  const after = await state(h);
  const now = await calendar.current(true);
  expect(after.dueAt).toBe(now.addWorkingDays(s.clockStart!, 10).at);
  expect(Date.parse(after.dueAt!)).toBeGreaterThan(Date.parse(s.dueAt!));
  expect(after.warnAt).toBe(now.addWorkingDays(s.clockStart!, 8).at);
  expect(await events(id)).toContain('recomputed');
  expect((await db.ds.query(`SELECT due_at FROM approval_item WHERE id = $1`, [id]))[0].due_at.toISOString()).toBe(after.dueAt);
});

test('a background job pages through its matters, continues as new, and records a matter it cannot reach as a failure with the reason', async () => {
  await item({ limitDays: 10 }).then(({ h }) => act(h, clerk(), { action: 'accept' }));
  await item({ limitDays: 10 }).then(({ h }) => act(h, clerk(), { action: 'accept' }));
  // An item the read model shows running whose workflow does not exist (as after a lost start).
  const ghost = randomUUID();
  await db.ds.query(
    `INSERT INTO approval_catalogue_item (code, name, department_name, stage, statutory_days, promised_days) VALUES ('ghost', '幽灵事项', '县发改局', 'approval', 20, 10)`,
  );
  await db.ds.query(
    `INSERT INTO approval_item (id, project_id, catalogue_item_id, name, stage, department_id, status, due_at) SELECT $1, $2, id, '幽灵事项', 'approval', $3, 'accepted', now() + interval '5 days' FROM approval_catalogue_item WHERE code = 'ghost'`,
    [ghost, county.projectId, dept.id],
  );
  const ctx = {
    actor: {
      kind: 'person' as const,
      personId: county.officer,
      accountId: county.officer,
      sessionId: 's',
      name: '项目办戊',
      orgUnitId: county.officeId,
      roles: ['project_office' as const],
    },
    requestId: 'r-job',
  };
  const jobId = await tw.jobs.start(ctx, 'calendar_recompute', '测试', undefined, { pageSize: 1, continueAsNewAfter: 12 });
  let job = await tw.jobs.get(jobId);
  for (let i = 0; i < 200 && job.status !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = await tw.jobs.get(jobId);
  }
  expect(job.status).toBe('done');
  expect(job.total).toBeGreaterThanOrEqual(3);
  expect(job.done + job.failed).toBe(job.total);
  expect(job.failures).toEqual([expect.objectContaining({ targetType: 'approval_item', targetId: ghost, reason: expect.stringContaining('workflow') })]);
  // The last run was continued from an earlier one, with the cursor.
  const last = await env.client.workflow.getHandle(`background-job-${jobId}`).fetchHistory();
  expect(last.events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).toBeTruthy();
  expect((await db.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'background_job.calendar_recompute'`, [jobId]))[0].n).toBe(1);
});
