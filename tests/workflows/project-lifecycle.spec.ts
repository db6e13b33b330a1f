/**
 * The project lifecycle workflow on the time-skipping server, with its real
 * activities writing to a real PostgreSQL and opening real escalation
 * workflows: stage timers and colours, the automatic schedule blocker opening
 * and closing, the late-start matter, completion with evidence and the
 * office's confirmation, replanning moving the timers, overlapping stages.
 */
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import type { Stage } from '../../libs/domain/src/lifecycle';
import {
  type LifecycleAction,
  type LifecycleActor,
  type LifecycleState,
  lifecycleActUpdate,
  lifecycleOpenedUpdate,
  lifecycleStateQuery,
  lifecycleWorkflowId,
} from '../../libs/domain/src/lifecycle-plan';
import type { LifecycleActivities } from '../../libs/lifecycle/src/lifecycle.activities';
import type { LifecycleService, PlanDays } from '../../libs/lifecycle/src/lifecycle.service';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';
import { createTimeSkippingEnv, settled } from '../support/temporal';
import { type TestWorker, startTestWorker } from '../support/worker';

const DAY = 86_400_000;
const ZONE = 'Asia/Shanghai';
const taskQueue = 'test-lifecycle';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let tw: TestWorker;
let lifecycle: LifecycleService;
let lifecycleActs: LifecycleActivities;
let unit: LifecycleActor;
let office: LifecycleActor;
let leader: LifecycleActor;
let projects = 0;

beforeAll(async () => {
  db = await createTestDatabase('lifecycle');
  county = await seedSmallCounty(db.ds);
  env = await createTimeSkippingEnv();
  tw = await startTestWorker(db, env, taskQueue, ZONE);
  lifecycleActs = tw.lifecycleActivities;
  lifecycle = tw.lifecycle;
  unit = { personId: county.unitStaff[1], name: '联络员乙', office: false, liaison: false, unit: true };
  office = { personId: county.officer, name: '项目办戊', office: true, liaison: false, unit: false };
  leader = { personId: county.leader, name: '副县长丙', office: false, liaison: true, unit: false };
}, 120_000);

afterAll(async () => {
  await tw?.stop();
  await env?.teardown();
  await db?.drop();
});

async function newProject(): Promise<string> {
  const code = `2026-341122-48-01-${String(100000 + ++projects).slice(-6)}`;
  const [{ id }] = await db.ds.query(
    `INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment) VALUES ($1,$2,'industry',$3,'某公司',$4,5000) RETURNING id`,
    [code, `测试项目${projects}`, county.unitId, county.townshipId],
  );
  await db.ds.query(`INSERT INTO project_liaison_leader (project_id, person_id) VALUES ($1,$2)`, [id, county.leader]);
  return id;
}

/** The local day `n` days from the test server's now. */
async function day(n: number): Promise<string> {
  return DateTime.fromMillis((await env.currentTimeMs()) + n * DAY, { zone: ZONE }).toISODate()!;
}

/** A plan due `dues` days from now, stage by stage (null: not applicable). */
async function plan(dues: (number | null)[], extra: Partial<Record<Stage, { startsIn: number }>> = {}): Promise<PlanDays> {
  const stages = ['planning', 'approval', 'land', 'start', 'completion'] as const;
  const last = Math.max(...dues.map((d) => d ?? 0));
  return {
    warningDays: 10,
    stages: await Promise.all(
      stages.map(async (stage, i) => ({
        stage,
        dueOn: await day(dues[i] ?? last),
        notApplicable: dues[i] === null ? '已取得土地使用权' : null,
        startsOn: extra[stage] ? await day(extra[stage]!.startsIn) : null,
      })),
    ),
  };
}

async function start(days: PlanDays, confirmCompletion = false): Promise<{ id: string; handle: WorkflowHandle }> {
  const id = await newProject();
  const handle = await env.client.workflow.start('projectLifecycle', {
    workflowId: lifecycleWorkflowId(id),
    taskQueue,
    args: [{ projectId: id, plan: lifecycle.toPlan(days), confirmCompletion, setBy: office, reason: '按倒排工期计划' }],
  });
  await handle.executeUpdate(lifecycleOpenedUpdate);
  return { id, handle };
}

const act = (h: WorkflowHandle, actor: LifecycleActor, a: LifecycleAction) => h.executeUpdate(lifecycleActUpdate, { args: [{ ...a, actor } as never] });
const state = (h: WorkflowHandle): Promise<LifecycleState> => h.query(lifecycleStateQuery);
const stageOf = async (h: WorkflowHandle, s: Stage) => (await state(h)).stages.find((x) => x.stage === s)!;

async function refused(p: Promise<unknown>): Promise<{ type: string; zh: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as unknown as { type: string; details: unknown[] };
  return { type: cause.type, zh: cause.details[0] as string };
}

async function readStage(id: string, s: Stage) {
  const now = new Date(await env.currentTimeMs());
  const [row] = await settled(() =>
    db.ds.query(
      `SELECT state, CASE WHEN state <> 'active' THEN NULL WHEN due_at <= $3 THEN 'red' WHEN warn_at <= $3 THEN 'yellow' ELSE 'green' END AS colour, schedule_blocker_id
       FROM project_stage WHERE project_id = $1 AND stage = $2`,
      [id, s, now],
    ),
  );
  return row;
}

const blockerRow = async (id: string) => (await db.ds.query(`SELECT category, status, reported_by, resolution, rung FROM blocker WHERE id = $1`, [id]))[0];
/** The matter as the read model has it once its own workflow has recorded `status` (it runs beside the lifecycle, not inside it). */
async function matter(id: string, status: 'open' | 'resolved') {
  for (let i = 0; i < 100; i++) {
    const row = await blockerRow(id);
    if (row?.status === status) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  return blockerRow(id);
}
const events = (id: string) =>
  settled(async () => (await db.ds.query(`SELECT type FROM lifecycle_event WHERE project_id = $1 ORDER BY seq`, [id])).map((e: { type: string }) => e.type) as string[]);
const noticesOf = (id: string, kind: string) =>
  settled(
    async () =>
      (await db.ds.query(`SELECT recipient_id FROM notice WHERE project_id = $1 AND kind = $2 ORDER BY recipient_id`, [id, kind])).map(
        (n: { recipient_id: string }) => n.recipient_id,
      ) as string[],
  );

test('stage colours at each boundary; red opens a schedule blocker, completing the stage resolves it and the next stage begins', async () => {
  const { id, handle } = await start(await plan([20, 60, 90, 120, 400]));
  let planning = await stageOf(handle, 'planning');
  expect([planning.state, planning.colour]).toEqual(['active', 'green']);
  expect((await stageOf(handle, 'approval')).state).toBe('pending');
  expect(await readStage(id, 'planning')).toMatchObject({ state: 'active', colour: 'green' });

  // The warning window opens 10 days before the end of the due day.
  const dueAt = Date.parse(planning.dueAt);
  expect(Date.parse(planning.warnAt)).toBe(dueAt - 10 * DAY);
  await env.sleep(Date.parse(planning.warnAt) - (await env.currentTimeMs()) + 1000);
  planning = await stageOf(handle, 'planning');
  expect(planning.colour).toBe('yellow');
  expect(await noticesOf(id, 'stage_warning')).toEqual([...county.unitStaff].sort());

  await env.sleep(dueAt - (await env.currentTimeMs()) + 1000);
  planning = await stageOf(handle, 'planning');
  expect(planning.colour).toBe('red');
  expect(planning.scheduleBlockerId).toBeTruthy();
  expect(await matter(planning.scheduleBlockerId!, 'open')).toMatchObject({ category: 'schedule', status: 'open', reported_by: null, rung: 'unit' });
  expect(await noticesOf(id, 'stage_overdue')).toEqual([...county.unitStaff, county.leader].sort());
  expect(await readStage(id, 'planning')).toMatchObject({ colour: 'red', schedule_blocker_id: planning.scheduleBlockerId });
  const blockerId = planning.scheduleBlockerId!;

  const after = await act(handle, unit, {
    action: 'reportCompletion',
    stage: 'planning',
    completedOn: await day(0),
    evidence: [{ title: '项目可行性研究报告批复', number: '发改投资〔2026〕88号' }],
    note: '',
  });
  expect(after.stages[0]).toMatchObject({ state: 'done', colour: null, scheduleBlockerId: null });
  expect(after.stages[1]).toMatchObject({ state: 'active', colour: 'green' });
  expect(await matter(blockerId, 'resolved')).toMatchObject({ status: 'resolved', resolution: '前期阶段已完成' });
  expect(await events(id)).toEqual([
    'plan_set',
    'stage_activated',
    'colour_changed',
    'colour_changed',
    'colour_changed',
    'schedule_blocker_opened',
    'stage_done',
    'schedule_blocker_resolved',
    'stage_activated',
    'colour_changed',
  ]);
  // Every event has its audit row, by who did it.
  const audit = await db.ds.query(`SELECT action, actor_kind, actor_id FROM audit_log WHERE target_id = $1 AND action LIKE 'lifecycle.%' ORDER BY seq`, [id]);
  expect(audit).toHaveLength(10);
  expect(audit.find((a: { action: string }) => a.action === 'lifecycle.stage_done')).toMatchObject({ actor_kind: 'person', actor_id: county.unitStaff[1] });
  expect(audit.find((a: { action: string }) => a.action === 'lifecycle.schedule_blocker_opened')).toMatchObject({ actor_kind: 'system' });
});

test('with confirmation: the unit reports with evidence, the office sends back, then confirms; the rules refuse the wrong people and bad evidence', async () => {
  const { id, handle } = await start(await plan([30, 60, 90, 120, 400]), true);
  const report = {
    action: 'reportCompletion' as const,
    stage: 'planning' as const,
    completedOn: await day(0),
    evidence: [{ title: '立项批复', number: '发改〔2026〕1号', issuedBy: '县发改局', issuedOn: await day(0) }],
    note: '已立项',
  };
  expect(await refused(act(handle, leader, report))).toMatchObject({ type: 'Forbidden' });
  expect(await refused(act(handle, unit, { ...report, evidence: [] }))).toMatchObject({ type: 'Invalid', zh: '须至少列出一份佐证材料（名称、文号、日期）' });
  let s = await act(handle, unit, report);
  expect(s.stages[0]).toMatchObject({ state: 'active', reported: { byName: '联络员乙', completedOn: report.completedOn } });
  expect(await noticesOf(id, 'completion_reported')).toEqual([county.officer]);
  expect(await refused(act(handle, unit, report))).toMatchObject({ type: 'Conflict' });
  expect(await refused(act(handle, unit, { action: 'confirmCompletion', stage: 'planning', accept: true, reason: '' }))).toMatchObject({ type: 'Forbidden' });
  expect(await refused(act(handle, office, { action: 'confirmCompletion', stage: 'planning', accept: false, reason: ' ' }))).toMatchObject({ type: 'Invalid' });
  s = await act(handle, office, { action: 'confirmCompletion', stage: 'planning', accept: false, reason: '缺少批复文件扫描件' });
  expect(s.stages[0]).toMatchObject({ state: 'active', reported: null });
  expect(await noticesOf(id, 'completion_returned')).toEqual([...county.unitStaff].sort());
  await act(handle, unit, report);
  s = await act(handle, office, { action: 'confirmCompletion', stage: 'planning', accept: true, reason: '' });
  expect(s.stages[0]).toMatchObject({ state: 'done', completedOn: report.completedOn, evidence: report.evidence });
  const [row] = await db.ds.query(`SELECT state, to_char(completed_on, 'YYYY-MM-DD') AS completed_on, evidence FROM project_stage WHERE project_id = $1 AND stage = 'planning'`, [
    id,
  ]);
  expect(row).toEqual({ state: 'done', completed_on: report.completedOn, evidence: report.evidence });

  // The start stage is done only with its construction permit recorded; a stage may be marked n/a by the office alone.
  expect(await refused(act(handle, office, { action: 'reportCompletion', stage: 'start', completedOn: await day(0), evidence: [{ title: '开工报告' }], note: '' }))).toMatchObject({
    type: 'Invalid',
  });
  expect(await refused(act(handle, unit, { action: 'markNotApplicable', stage: 'land', reason: '已有用地' }))).toMatchObject({ type: 'Forbidden' });
  s = await act(handle, office, { action: 'markNotApplicable', stage: 'land', reason: '已取得国有土地使用权证' });
  expect(s.stages[2]).toMatchObject({ state: 'n/a', notApplicable: '已取得国有土地使用权证' });
});

test('a project not started by its committed start date gets a late-start explanation matter, told to the office, its liaison leader and the county committee', async () => {
  const { id, handle } = await start(await plan([null, null, null, 3, 200]));
  expect((await stageOf(handle, 'start')).state).toBe('active');
  await env.sleep(4 * DAY);
  const s = await state(handle);
  expect(s.lateStartBlockerId).toBeTruthy();
  expect(s.stages[3].colour).toBe('red');
  expect(await matter(s.lateStartBlockerId!, 'open')).toMatchObject({ category: 'late_start', status: 'open', rung: 'unit' });
  const [policy] = await db.ds.query(`SELECT p.name FROM blocker b JOIN escalation_policy p ON p.id = b.policy_id WHERE b.id = $1`, [s.lateStartBlockerId]);
  expect(policy.name).toBe('未按期开工书面说明');
  const told = await noticesOf(id, 'late_start');
  expect(told).toEqual(expect.arrayContaining([county.officer, county.leader, ...county.countyLeaders]));
  expect(told).not.toContain(county.unitStaff[0]);
  // The unit is assigned the matter on the ladder like any other.
  expect((await db.ds.query(`SELECT count(*)::int AS n FROM notice WHERE blocker_id = $1 AND kind = 'assigned'`, [s.lateStartBlockerId]))[0].n).toBe(2);
  expect(await events(id)).toContain('late_start');
});

test('replanning: the unit asks, the liaison leader grants, red goes back to green, the blocker closes and the timers follow the new dates; the old plan stays', async () => {
  const { id, handle } = await start(await plan([5, 60, 90, 120, 400]));
  await env.sleep(6 * DAY);
  const blockerId = (await stageOf(handle, 'planning')).scheduleBlockerId!;
  expect(blockerId).toBeTruthy();
  const newPlan = lifecycle.toPlan(await plan([40, 70, 100, 130, 400]));
  expect(await refused(act(handle, leader, { action: 'requestReplan', plan: newPlan, reason: '征迁进度调整', requestId: '5d7c2b8e-7f51-4c4e-9a59-1f8f3f0f7a01' }))).toMatchObject({
    type: 'Forbidden',
  });
  await act(handle, unit, { action: 'requestReplan', plan: newPlan, reason: '征迁协议签订推迟', requestId: '5d7c2b8e-7f51-4c4e-9a59-1f8f3f0f7a02' });
  expect(await noticesOf(id, 'replan_requested')).toEqual([county.leader, county.officer].sort());
  expect(await refused(act(handle, unit, { action: 'decideReplan', grant: true, reason: '' }))).toMatchObject({ type: 'Forbidden' });
  const s = await act(handle, leader, { action: 'decideReplan', grant: true, reason: '同意' });
  expect(s.revision).toBe(2);
  expect(s.stages[0]).toMatchObject({ colour: 'green', scheduleBlockerId: null, dueOn: newPlan[0].dueOn });
  expect(await matter(blockerId, 'resolved')).toMatchObject({ status: 'resolved', resolution: '计划调整后前期阶段不再逾期' });
  const revisions = await db.ds.query(`SELECT revision, kind, plan->0->>'dueOn' AS due FROM plan_revision WHERE project_id = $1 ORDER BY revision`, [id]);
  expect(revisions.map((r: { kind: string }) => r.kind)).toEqual(['initial', 'granted']);
  expect(revisions[1].due).toBe(newPlan[0].dueOn);
  expect(revisions[0].due).not.toBe(newPlan[0].dueOn);
  expect((await db.ds.query(`SELECT status, decided_by_name FROM replan_request WHERE project_id = $1`, [id]))[0]).toEqual({ status: 'granted', decided_by_name: '副县长丙' });

  // The timer follows the new due day: yellow 10 days before it, not before.
  await env.sleep(Date.parse(newPlan[0].warnAt) - (await env.currentTimeMs()) - DAY);
  expect((await stageOf(handle, 'planning')).colour).toBe('green');
  await env.sleep(2 * DAY);
  expect((await stageOf(handle, 'planning')).colour).toBe('yellow');

  // A refusal needs a reason and leaves the plan as it is.
  await act(handle, unit, {
    action: 'requestReplan',
    plan: lifecycle.toPlan(await plan([90, 100, 110, 130, 400])),
    reason: '再次延期',
    requestId: '5d7c2b8e-7f51-4c4e-9a59-1f8f3f0f7a03',
  });
  expect(await refused(act(handle, office, { action: 'decideReplan', grant: false, reason: '' }))).toMatchObject({ type: 'Invalid' });
  const after = await act(handle, office, { action: 'decideReplan', grant: false, reason: '理由不充分' });
  expect(after.revision).toBe(2);
  expect(after.stages[0].dueOn).toBe(newPlan[0].dueOn);
});

test('a plan may let a stage begin before the one before it is done; a retried event is recorded once', async () => {
  const { id, handle } = await start(await plan([30, 60, 90, 120, 400], { land: { startsIn: 2 } }));
  expect((await stageOf(handle, 'land')).state).toBe('pending');
  await env.sleep(3 * DAY);
  expect((await state(handle)).stages.map((s) => s.state)).toEqual(['active', 'pending', 'active', 'pending', 'pending']);

  const [last] = await db.ds.query(`SELECT max(seq) AS seq FROM lifecycle_event WHERE project_id = $1`, [id]);
  const counts = async () =>
    (
      await db.ds.query(`SELECT (SELECT count(*) FROM lifecycle_event WHERE project_id = $1)::int AS e, (SELECT count(*) FROM audit_log WHERE target_id = $1::text)::int AS a`, [
        id,
      ])
    )[0];
  const before = await counts();
  await lifecycleActs.recordLifecycle([
    { projectId: id, seq: last.seq, type: 'stage_activated', at: new Date().toISOString(), actor: office, reason: null, details: { stage: 'land' }, state: await state(handle) },
  ]);
  expect(await counts()).toEqual(before);
});

test('a project under way comes in with the stages it has done: they are done from its first plan, the next one is active', async () => {
  const days = await plan([-200, -100, 30, 60, 400]);
  days.stages[0].doneOn = await day(-210);
  days.stages[1].doneOn = await day(-95);
  const { id, handle } = await start(days);
  const s = await state(handle);
  expect(s.stages.map((x) => [x.state, x.completedOn])).toEqual([
    ['done', days.stages[0].doneOn],
    ['done', days.stages[1].doneOn],
    ['active', null],
    ['pending', null],
    ['pending', null],
  ]);
  expect(s.stages.every((x) => !x.scheduleBlockerId)).toBe(true);
  expect((await db.ds.query(`SELECT count(*)::int AS n FROM project_stage WHERE project_id = $1 AND state = 'done'`, [id]))[0].n).toBe(2);
  // Afterwards a plan cannot mark a stage done: only a completion report can.
  const next = lifecycle.toPlan({
    ...(await plan([-200, -100, 40, 60, 400])),
    stages: (await plan([-200, -100, 40, 60, 400])).stages.map((x) => ({ ...x, doneOn: x.stage === 'land' ? (x.dueOn as string) : null })),
  });
  const after = await act(handle, office, { action: 'setPlan', plan: next, reason: '调整' });
  expect(after.stages[2]).toMatchObject({ state: 'active', dueOn: next[2].dueOn });
});

test('a finished lifecycle given a new plan is refused (409), over the plan API and the ledger import path alike, and never starts again', async () => {
  const days = await plan([-200, -100, -50, -20, -5]);
  days.stages.forEach((s, i) => (s.doneOn = days.stages[i].dueOn));
  const { id, handle } = await start(days);
  const done = await handle.result();
  expect(done.completedAt).toBeTruthy();
  const count = async () => (await db.ds.query(`SELECT count(*)::int AS n, max(seq)::int AS last FROM lifecycle_event WHERE project_id = $1`, [id]))[0];
  const finished = await settled(count);
  expect(await lifecycle.finished(id)).toBe(true);

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
    requestId: 'r-finished',
  };
  const again = await plan([30, 60, 90, 120, 400]);
  const refusal = { code: 'conflict', messageZh: expect.stringContaining('已竣工投产'), messageEn: expect.stringContaining('complete') };
  await expect(lifecycle.setPlan(ctx, id, { ...again, reason: '新计划' })).rejects.toMatchObject(refusal);
  await expect(lifecycle.startIfNew(id, lifecycle.toPlan(again), false, office, '台账导入', false)).rejects.toMatchObject(refusal);
  await expect(lifecycle.act(ctx, id, { action: 'setPlan', plan: lifecycle.toPlan(again), reason: '调整' }, office)).rejects.toMatchObject(refusal);
  // Even with the read model out of the way, Temporal refuses the id: the closed execution is never replaced.
  await expect(
    env.client.workflow.start('projectLifecycle', {
      workflowId: lifecycleWorkflowId(id),
      taskQueue,
      args: [{ projectId: id, plan: lifecycle.toPlan(again), confirmCompletion: false, setBy: office, reason: 'x' }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }),
  ).rejects.toThrow(/already/i);
  expect((await handle.describe()).status.name).toBe('COMPLETED');
  expect(await count()).toEqual(finished);
});
