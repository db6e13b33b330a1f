/**
 * The blocker escalation workflow (v2) on the time-skipping server, with its
 * real activities writing to a real PostgreSQL and the real working-day
 * calendar: each move at exactly its due instant, reminders, numbered notices,
 * and every action of shared/design/escalation.md allowed and refused.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activitiesOf } from '../../apps/worker/src/worker.service';
import { ActingPerson, BlockerAction, BlockerState, BlockerWorkflowInput, blockerWorkflowId } from '../../libs/domain/src/blocker';
import { actUpdate, openedUpdate, stateQuery } from '../../libs/domain/src/blocker.contract';
import { DEFAULT_LADDER_RUNGS, PolicyRung } from '../../libs/domain/src/ladder';
import { EscalationActivities } from '../../libs/escalation/src/escalation.activities';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, blockerInput, seedSmallCounty } from '../support/fixtures';
import { escalationActivities } from '../support/escalation';
import { createTimeSkippingEnv, testBundle } from '../support/temporal';

const H = 3_600_000;
const HOURS: PolicyRung[] = [
  { rung: 'unit', responseTime: 'PT10H', warningBefore: { fraction: 0.2 } },
  { rung: 'liaison', responseTime: 'PT10H' },
  { rung: 'county', responseTime: 'PT10H' },
];
const WORKING_DAYS: PolicyRung[] = [
  { rung: 'unit', responseTime: { unit: 'workingDays', amount: 3 } },
  { rung: 'liaison', responseTime: { unit: 'workingDays', amount: 5 } },
  { rung: 'county', responseTime: { unit: 'workingDays', amount: 7 } },
];

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let bundle: { code: string };
let activities: EscalationActivities;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'test-escalation-v2';

beforeAll(async () => {
  db = await createTestDatabase('wf');
  county = await seedSmallCounty(db.ds);
  env = await createTimeSkippingEnv();
  activities = escalationActivities(db);
  bundle = { code: await testBundle() };
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: activitiesOf(activities) });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

const input = (rungs = HOURS, extra: Partial<BlockerWorkflowInput> = {}): BlockerWorkflowInput => blockerInput(county, rungs, extra);

async function start(i: BlockerWorkflowInput): Promise<WorkflowHandle> {
  const handle = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [i] });
  await handle.executeUpdate(openedUpdate);
  return handle;
}

/** People as the API would describe them for this matter. */
const who = {
  staff: (): ActingPerson => ({ personId: county.unitStaff[1], name: '联络员乙', rungs: ['unit'], reporter: true, office: false, supervision: false }),
  head: (): ActingPerson => ({ personId: county.unitStaff[0], name: '局长甲', rungs: ['unit'], reporter: false, office: false, supervision: false }),
  leader: (): ActingPerson => ({ personId: county.leader, name: '副县长丙', rungs: ['liaison', 'county'], reporter: false, office: false, supervision: false }),
  liaisonOnly: (): ActingPerson => ({ personId: county.leader, name: '副县长丙', rungs: ['liaison'], reporter: false, office: false, supervision: false }),
  countyHead: (): ActingPerson => ({ personId: county.countyLeaders[1], name: '县长丁', rungs: ['county'], reporter: false, office: false, supervision: false }),
  supervisor: (): ActingPerson => ({ personId: county.officer, name: '督查员', rungs: [], reporter: false, office: false, supervision: true }),
  outsider: (): ActingPerson => ({ personId: randomUUID(), name: '外单位', rungs: [], reporter: false, office: false, supervision: false }),
};

const act = (h: WorkflowHandle, actor: ActingPerson, action: BlockerAction) => h.executeUpdate(actUpdate, { args: [{ ...action, actor } as never] }) as Promise<BlockerState>;

/** A refused action: the workflow's reason reaches the caller, and nothing is recorded. */
async function refused(h: WorkflowHandle, blockerId: string, actor: ActingPerson, action: BlockerAction, type: string, why: RegExp) {
  const before = await eventTypes(blockerId);
  const err = await act(h, actor, action).then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect({ type: err.cause.type, zh: err.cause.details[0] }).toEqual({ type, zh: expect.stringMatching(why) });
  expect(await eventTypes(blockerId)).toEqual(before);
}

async function events(blockerId: string) {
  const rows: {
    id: string;
    seq: number;
    type: string;
    from_rung: string | null;
    to_rung: string | null;
    at: Date;
    due_at: Date | null;
    document_no: string | null;
    actor: string;
  }[] = await db.ds.query(`SELECT * FROM blocker_event WHERE blocker_id = $1 ORDER BY seq`, [blockerId]);
  return rows;
}
const eventTypes = async (id: string) => (await events(id)).map((e) => e.type);
const notices = async (eventId: string) =>
  (await db.ds.query(`SELECT kind, recipient_id, document_no FROM notice WHERE event_id = $1 ORDER BY kind, recipient_id`, [eventId])) as {
    kind: string;
    recipient_id: string;
    document_no: string | null;
  }[];
const sorted = (ids: string[]) => [...ids].sort();

async function until(fn: () => Promise<unknown>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await fn()) return;
  throw new Error('timed out');
}

describe('the clock', () => {
  test('reminder before the due time, then unit → liaison → county at each due instant, numbered notices, overdue and repeat reminders at the top', async () => {
    const i = input();
    const h = await start(i);
    const t0 = (await events(i.blockerId))[0].at.getTime();
    await env.sleep('7h');
    expect(await eventTypes(i.blockerId)).toEqual(['reported']);
    await env.sleep('1h'); // 80 % of the rung's 10 h: the reminder
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'reminder']);
    await env.sleep('32h'); // 10 h, 20 h, 30 h, then repeats every 5 h from 30 h: 35 h, 40 h
    const ev = await events(i.blockerId);
    expect(ev.map((e) => `${e.seq}:${e.type}:${e.to_rung}`)).toEqual([
      '1:reported:unit',
      '2:reminder:unit',
      '3:escalated:liaison',
      '4:escalated:county',
      '5:overdue_at_top:county',
      '6:repeat_reminder:county',
      '7:repeat_reminder:county',
    ]);
    expect(ev.map((e) => (e.at.getTime() - t0) / H)).toEqual([0, 8, 10, 20, 30, 35, 40]);

    // Escalation notices are numbered per year; the copy to the rung below carries the same number.
    const [n1, n2] = [ev[2].document_no!, ev[3].document_no!];
    const year = new Date(t0 + 8 * H).getUTCFullYear();
    expect(n1).toMatch(new RegExp(`^督办〔(${year}|${year + 1})〕\\d+号$`));
    expect(Number(/〕(\d+)号/.exec(n2)![1])).toBe(Number(/〕(\d+)号/.exec(n1)![1]) + 1);
    expect(await notices(ev[2].id)).toEqual([
      ...sorted(county.unitStaff).map((p) => ({ kind: 'copy', recipient_id: p, document_no: n1 })),
      { kind: 'escalation', recipient_id: county.leader, document_no: n1 },
    ]);
    expect((await notices(ev[1].id)).map((n) => n.kind)).toEqual(['reminder', 'reminder']);
    expect((await notices(ev[5].id)).map((n) => n.recipient_id)).toEqual(sorted([...county.countyLeaders, county.officer]));
    await act(h, who.countyHead(), { action: 'resolve', resolution: '专题协调会议定解决' });
  });

  test('a matter reported before the 2026 National Day holiday is due on the adjusted working Saturday, and climbs on official working days', async () => {
    // The test server's clock cannot go back to 2026-09-30, so the matter comes in as a ledger import reported then.
    const i = input(WORKING_DAYS, { reportedAt: '2026-09-30T02:00:00.000Z' }); // Wednesday 10:00 in Shanghai
    const h = await start(i);
    // Every due time is past: acted on at once. The workflow's state moves before its last record commits: wait for the read model.
    await until(async () => (await events(i.blockerId)).some((e) => e.type === 'overdue_at_top'));
    const ev = await events(i.blockerId);
    expect(ev.map((e) => [e.type, e.at.toISOString(), e.due_at?.toISOString()])).toEqual([
      // 3 working days after 9/30: 10/1–10/7 off, 10/8 Thu, 10/9 Fri, 10/10 the adjusted working Saturday, at 18:00.
      ['reported', '2026-09-30T02:00:00.000Z', '2026-10-10T10:00:00.000Z'],
      // 5 working days after 10/10: 10/12–10/16.
      ['escalated', '2026-10-10T10:00:00.000Z', '2026-10-16T10:00:00.000Z'],
      // 7 working days after 10/16: 10/19–10/23, 10/26, 10/27.
      ['escalated', '2026-10-16T10:00:00.000Z', '2026-10-27T10:00:00.000Z'],
      ['overdue_at_top', '2026-10-27T10:00:00.000Z', '2026-10-27T10:00:00.000Z'],
    ]);
    await act(h, who.countyHead(), { action: 'resolve', resolution: '已解决' });
  });

  test('the Spring Festival: due on the adjusted working Saturday 2026-02-14, and the next rung across the holiday to 2026-02-24', async () => {
    const i = input(
      [
        { rung: 'unit', responseTime: { unit: 'workingDays', amount: 1 } },
        { rung: 'liaison', responseTime: { unit: 'workingDays', amount: 1 } },
        { rung: 'county', responseTime: { unit: 'workingDays', amount: 2 } },
      ],
      {
        reportedAt: '2026-02-13T02:00:00.000Z', // Friday before the holiday
      },
    );
    const h = await start(i);
    await until(async () => (await events(i.blockerId)).some((e) => e.type === 'overdue_at_top'));
    const due = (await events(i.blockerId)).map((e) => e.due_at?.toISOString());
    // 1 wd → Sat 2/14 (working); 1 wd → 2/24 (2/15–2/23 off); 2 wd → 2/26.
    expect(due.slice(0, 3)).toEqual(['2026-02-14T10:00:00.000Z', '2026-02-24T10:00:00.000Z', '2026-02-26T10:00:00.000Z']);
    await act(h, who.countyHead(), { action: 'resolve', resolution: '已解决' });
  });

  test('working hours on today’s calendar: the timer fires at exactly the computed instant', async () => {
    const i = input([{ rung: 'unit', responseTime: { unit: 'workingHours', amount: 6 } }, ...HOURS.slice(1)]);
    const h = await start(i);
    const [reported] = await events(i.blockerId);
    const due = reported.due_at!.getTime();
    const expected = await activities.computeDue({ from: reported.at.toISOString(), responseTime: { unit: 'workingHours', amount: 6 } });
    expect(reported.due_at!.toISOString()).toBe(expected.dueAt);
    await env.sleep(due - reported.at.getTime() - 1000);
    expect(await eventTypes(i.blockerId)).toEqual(['reported']);
    await env.sleep(2000);
    const ev = await events(i.blockerId);
    expect(ev[1]).toMatchObject({ type: 'escalated', at: new Date(due) });
    await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
  });
});

describe('actions', () => {
  test('acknowledge: people on the current rung, once each; progress: the rung or above, or the reporter', async () => {
    const i = input();
    const h = await start(i);
    await refused(h, i.blockerId, who.leader(), { action: 'acknowledge' }, 'Forbidden', /只有责任单位层级人员可以签收/);
    await act(h, who.head(), { action: 'acknowledge' });
    await refused(h, i.blockerId, who.head(), { action: 'acknowledge' }, 'Conflict', /已签收/);
    expect((await h.query(stateQuery)).acknowledgedBy).toEqual([county.unitStaff[0]]);
    await act(h, who.staff(), { action: 'progress', text: '已约谈3户中的2户' });
    await act(h, who.leader(), { action: 'progress', text: '已听取汇报' });
    await refused(h, i.blockerId, who.outsider(), { action: 'progress', text: '路过' }, 'Forbidden', /反馈进展/);
    await refused(h, i.blockerId, who.staff(), { action: 'progress', text: '  ' }, 'Invalid', /不能为空/);
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'acknowledged', 'progress', 'progress']);
    const [row] = await db.ds.query(`SELECT acknowledged_by FROM blocker WHERE id = $1`, [i.blockerId]);
    expect(row.acknowledged_by).toEqual([county.unitStaff[0]]);
    await act(h, who.staff(), { action: 'resolve', resolution: '已签约' });
  });

  test('resolve: the current rung or above, with text; a resolved matter never moves, and refuses everything but reopen', async () => {
    const i = input();
    const h = await start(i);
    await env.sleep('11h'); // now on liaison
    await refused(h, i.blockerId, who.staff(), { action: 'resolve', resolution: '越级办结' }, 'Forbidden', /只有该层级及以上人员可以办结/);
    await refused(h, i.blockerId, who.leader(), { action: 'resolve', resolution: '' }, 'Invalid', /办理结果/);
    const s = await act(h, who.leader(), { action: 'resolve', resolution: '包联领导协调解决' });
    expect(s).toMatchObject({ status: 'resolved', rung: 'liaison' });
    await env.sleep('3d');
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'reminder', 'escalated', 'resolved']);
    await refused(h, i.blockerId, who.leader(), { action: 'progress', text: '补充' }, 'Conflict', /已办结/);
    await refused(h, i.blockerId, who.leader(), { action: 'escalateNow', reason: 'x' }, 'Conflict', /已办结/);
    const [row] = await db.ds.query(`SELECT status, resolution, resolved_by FROM blocker WHERE id = $1`, [i.blockerId]);
    expect(row).toEqual({ status: 'resolved', resolution: '包联领导协调解决', resolved_by: county.leader });
  });

  test('escalate now: the current rung only, with what was tried; moves up at once with a fresh due time and a numbered notice', async () => {
    const i = input();
    const h = await start(i);
    await env.sleep('1h');
    await refused(h, i.blockerId, who.leader(), { action: 'escalateNow', reason: '想上报' }, 'Forbidden', /只有责任单位层级人员可以主动上报/);
    await refused(h, i.blockerId, who.staff(), { action: 'escalateNow', reason: '' }, 'Invalid', /已采取的措施/);
    const s = await act(h, who.staff(), { action: 'escalateNow', reason: '已多次协商，补偿标准需县级统筹' });
    expect(s.rung).toBe('liaison');
    const ev = await events(i.blockerId);
    expect(ev[1]).toMatchObject({ type: 'escalated', actor: county.unitStaff[1], document_no: expect.stringMatching(/^督办〔\d{4}〕\d+号$/) });
    expect(ev[1].due_at!.getTime() - ev[1].at.getTime()).toBe(10 * H); // the liaison rung's own time, from now
    await act(h, who.leader(), { action: 'escalateNow', reason: '需县委县政府专题研究' });
    await refused(h, i.blockerId, who.countyHead(), { action: 'escalateNow', reason: '再上报' }, 'Conflict', /最高层级/);
    await act(h, who.countyHead(), { action: 'resolve', resolution: '专题会议定' });
  });

  test('extensions: asked before the due time by the rung, decided by the rung above; granted moves the timer, the clock runs meanwhile, a pending request lapses on escalation', async () => {
    const i = input();
    const h = await start(i);
    const t0 = (await events(i.blockerId))[0].at.getTime();
    const until = new Date(t0 + 15 * H).toISOString();
    await refused(h, i.blockerId, who.leader(), { action: 'requestExtension', until, reason: '需补充材料' }, 'Forbidden', /申请延期/);
    await refused(h, i.blockerId, who.staff(), { action: 'requestExtension', until: new Date(t0 + 5 * H).toISOString(), reason: '早于' }, 'Invalid', /晚于当前时限/);
    await act(h, who.staff(), { action: 'requestExtension', until, reason: '需等待评估报告' });
    await refused(h, i.blockerId, who.staff(), { action: 'requestExtension', until, reason: '再申请' }, 'Conflict', /待审批/);
    await refused(h, i.blockerId, who.head(), { action: 'grantExtension', reason: '同意' }, 'Forbidden', /上一层级/);
    await act(h, who.leader(), { action: 'grantExtension', reason: '同意延期' });
    await env.sleep('14h');
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'extension_requested', 'extension_granted', 'reminder']); // the old 10 h passed: nothing moved
    await env.sleep('90m');
    const ev = await events(i.blockerId);
    expect(ev[4]).toMatchObject({ type: 'escalated', at: new Date(until) });

    // On liaison: a request refused; another left pending lapses when the due time passes.
    const until2 = new Date(t0 + 30 * H).toISOString();
    await act(h, who.liaisonOnly(), { action: 'requestExtension', until: until2, reason: '协调中' });
    await act(h, who.countyHead(), { action: 'refuseExtension', reason: '不予延期，按期办结' });
    await refused(h, i.blockerId, who.countyHead(), { action: 'refuseExtension', reason: '再次' }, 'Conflict', /没有待审批/);
    await act(h, who.liaisonOnly(), { action: 'requestExtension', until: until2, reason: '再次申请' });
    await env.sleep('10h');
    expect((await eventTypes(i.blockerId)).slice(5)).toEqual(['extension_requested', 'extension_refused', 'extension_requested', 'extension_lapsed', 'escalated']);
    expect((await h.query(stateQuery)).extension).toBeNull();
    // After the due time, no request is possible.
    await env.sleep('10h');
    await refused(h, i.blockerId, who.countyHead(), { action: 'requestExtension', until: new Date(t0 + 99 * H).toISOString(), reason: '晚了' }, 'Conflict', /已超过办理时限/);
    await act(h, who.countyHead(), { action: 'resolve', resolution: '已解决' });
  });

  test('transfer: the liaison rung or above; the due time stays unless one is set; the new unit holds the matter', async () => {
    const i = input();
    const h = await start(i);
    const due = (await h.query(stateQuery)).dueAt;
    await refused(h, i.blockerId, who.staff(), { action: 'transfer', toUnitId: county.townshipId, toUnitName: '城关镇', reason: '属地' }, 'Forbidden', /转办/);
    await refused(h, i.blockerId, who.leader(), { action: 'transfer', toUnitId: county.unitId, toUnitName: '同一单位', reason: '无' }, 'Invalid', /相同/);
    let s = await act(h, who.leader(), { action: 'transfer', toUnitId: county.townshipId, toUnitName: '城关镇', reason: '征迁由属地乡镇负责' });
    expect(s).toMatchObject({ responsibleUnitId: county.townshipId, dueAt: due, rung: 'unit' });
    const later = new Date(Date.parse(due!) + 24 * H).toISOString();
    s = await act(h, who.countyHead(), { action: 'transfer', toUnitId: county.unitId, toUnitName: '县自然资源局', dueAt: later, reason: '回到自然资源局，给足时间' });
    expect(s.dueAt).toBe(later);
    const [row] = await db.ds.query(`SELECT responsible_unit_id, due_at FROM blocker WHERE id = $1`, [i.blockerId]);
    expect([row.responsible_unit_id, row.due_at.toISOString()]).toEqual([county.unitId, later]);
    const ev = await events(i.blockerId);
    expect((await notices(ev[1].id)).map((n) => n.kind)).toEqual(['transferred']); // the township's people (none here: the project office)
    await act(h, who.staff(), { action: 'resolve', resolution: '已解决' });
  });

  test('reopen: the reporter or someone above, within the period: back on the rung where it was resolved, with a fresh due time; after it, refused', async () => {
    const i = input();
    const h = await start(i);
    await env.sleep('11h');
    await act(h, who.leader(), { action: 'resolve', resolution: '已协调' });
    await refused(h, i.blockerId, who.head(), { action: 'reopen', reason: '未落实' }, 'Forbidden', /报告人或更高层级/);
    await refused(h, i.blockerId, who.staff(), { action: 'reopen', reason: '' }, 'Invalid', /理由/);
    await env.sleep('2d');
    const s = await act(h, who.staff(), { action: 'reopen', reason: '补偿款仍未到位' });
    expect(s).toMatchObject({ status: 'open', rung: 'liaison', overdueAtTop: false });
    const reopened = (await events(i.blockerId)).at(-1)!;
    expect(reopened.type).toBe('reopened');
    expect(reopened.due_at!.getTime() - reopened.at.getTime()).toBe(10 * H); // the clock restarts
    await env.sleep('601m');
    expect((await eventTypes(i.blockerId)).at(-1)).toBe('escalated'); // and runs again
    await act(h, who.countyHead(), { action: 'resolve', resolution: '已到位' });
    await env.sleep('11d'); // the reopen period (10 d) ends: the process closes
    expect((await h.describe()).status.name).toBe('COMPLETED');
    expect((await eventTypes(i.blockerId)).at(-1)).toBe('closed');
  });

  test('remind: the supervision office nudges the current rung; others may not', async () => {
    const i = input();
    const h = await start(i);
    await refused(h, i.blockerId, who.leader(), { action: 'remind', text: '快点' }, 'Forbidden', /督查室/);
    await act(h, who.supervisor(), { action: 'remind', text: '请本周五前反馈' });
    const ev = await events(i.blockerId);
    expect((await notices(ev[1].id)).map((n) => [n.kind, n.recipient_id])).toEqual(sorted(county.unitStaff).map((p) => ['remind', p]));
    await act(h, who.staff(), { action: 'resolve', resolution: '已解决' });
  });

  test('apply a policy: the project office only; the current rung’s due time is recomputed from when it entered the rung', async () => {
    const i = input();
    const h = await start(i);
    const t0 = (await events(i.blockerId))[0].at.getTime();
    const office: ActingPerson = { ...who.outsider(), office: true, name: '项目办' };
    const [{ id: policyId }] = await db.ds.query(`SELECT id FROM escalation_policy LIMIT 1`);
    const policy = { policyId, rungs: HOURS.map((r) => ({ ...r, responseTime: 'PT20H' })) };
    await refused(h, i.blockerId, who.leader(), { action: 'applyPolicy', policy, reason: '新规则' }, 'Forbidden', /项目办/);
    const s = await act(h, office, { action: 'applyPolicy', policy, reason: '督办规则调整，适用于在办问题' });
    expect(Date.parse(s.dueAt!) - t0).toBe(20 * H);
    await env.sleep('15h');
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'policy_applied']); // the old 10 h passed: nothing moved
    await env.sleep('2h'); // 80 % of the new 20 h
    expect(await eventTypes(i.blockerId)).toEqual(['reported', 'policy_applied', 'reminder']);
    const [row] = await db.ds.query(`SELECT policy_id, due_at FROM blocker WHERE id = $1`, [i.blockerId]);
    expect([row.policy_id, row.due_at.getTime() - t0]).toEqual([policyId, 20 * H]);
    await act(h, who.staff(), { action: 'resolve', resolution: '已解决' });
  });
});

test('exactly one live process per matter: a second start with the same blocker id is refused by Temporal', async () => {
  const i = input();
  const h = await start(i);
  await expect(env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [i] })).rejects.toBeInstanceOf(
    WorkflowExecutionAlreadyStartedError,
  );
  expect(await eventTypes(i.blockerId)).toEqual(['reported']);
  await act(h, who.staff(), { action: 'resolve', resolution: '已解决' });
});

test('recordEvent is idempotent: a retried event records one event, one notice per person, one audit row', async () => {
  const i = input();
  const h = await start(i);
  const state = await h.query(stateQuery);
  const e = {
    blockerId: i.blockerId,
    seq: 99,
    type: 'escalated' as const,
    at: new Date().toISOString(),
    actor: { kind: 'system' as const, id: null, name: 'system' },
    requestId: null,
    fromRung: 'unit',
    toRung: 'liaison',
    reason: 'test',
    details: {},
    state: { ...state, rung: 'liaison', rungIndex: 1 },
    ladder: DEFAULT_LADDER_RUNGS,
  };
  await activities.recordEvent(e);
  await activities.recordEvent(e);
  const rows = (await events(i.blockerId)).filter((x) => x.seq === 99);
  expect(rows).toHaveLength(1);
  expect(await notices(rows[0].id)).toHaveLength(3);
  expect(Number((await db.ds.query(`SELECT count(*) FROM audit_log WHERE target_id = $1 AND action = 'blocker.escalate'`, [i.blockerId]))[0].count)).toBe(1);
  await act(h, who.leader(), { action: 'resolve', resolution: '已解决' });
});
