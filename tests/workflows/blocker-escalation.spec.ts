/**
 * The blocker escalation workflow on the time-skipping server, with its real
 * activities writing to a real PostgreSQL: each move happens exactly at its
 * due time, with exactly its notices, and nothing moves after a resolve.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activitiesOf } from '../../apps/worker/src/worker.service';
import { buildBundle } from '../../apps/worker/src/workflow-bundle';
import { loadConfig } from '../../libs/config/src';
import { BlockerWorkflowInput, blockerWorkflowId } from '../../libs/domain/src/blocker';
import { openedUpdate, resolveUpdate, stateQuery } from '../../libs/domain/src/blocker.contract';
import { PolicyRung } from '../../libs/domain/src/ladder';
import { EscalationActivities } from '../../libs/escalation/src/escalation.activities';
import { AuditService } from '../../libs/audit/src/audit.service';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';
import { createTimeSkippingEnv } from '../support/temporal';

const DAY = 86_400_000;
const RUNGS: PolicyRung[] = [
  { rung: 'unit', responseTime: 'P3D' },
  { rung: 'liaison', responseTime: 'P2D' },
  { rung: 'county', responseTime: 'P1D' },
];

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let bundle: { code: string };
let activities: EscalationActivities;
const taskQueue = 'test-escalation';

beforeAll(async () => {
  db = await createTestDatabase('wf');
  county = await seedSmallCounty(db.ds);
  env = await createTimeSkippingEnv();
  activities = new EscalationActivities(db.ds, loadConfig({ DATABASE_URL: db.url }), new AuditService(db.ds));
  bundle = { code: await buildBundle() };
}, 120_000);

/** A worker runs once; each test gets its own over the one bundle. */
async function newWorker(): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: activitiesOf(activities) });
}

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

function input(rungs = RUNGS): BlockerWorkflowInput {
  return {
    blockerId: randomUUID(),
    projectId: county.projectId,
    responsibleUnitId: county.unitId,
    category: 'relocation',
    severity: 'normal',
    title: '3户拆迁户未签订补偿协议',
    description: '补偿标准存在争议',
    reportedBy: county.unitStaff[1],
    policyId: null,
    rungs,
  };
}

async function start(i: BlockerWorkflowInput) {
  const handle = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(i.blockerId), taskQueue, args: [i] });
  await handle.executeUpdate(openedUpdate);
  return handle;
}

async function events(blockerId: string) {
  const rows: { seq: number; type: string; from_rung: string | null; to_rung: string | null; at: Date; due_at: Date | null; id: string }[] =
    await db.ds.query(`SELECT * FROM blocker_event WHERE blocker_id = $1 ORDER BY seq`, [blockerId]);
  return rows;
}

async function noticesOf(eventId: string) {
  const rows: { recipient_id: string; kind: string; created_at: Date }[] = await db.ds.query(
    `SELECT recipient_id, kind, created_at FROM notice WHERE event_id = $1 ORDER BY kind, recipient_id`,
    [eventId],
  );
  return rows;
}

const sorted = (ids: string[]) => [...ids].sort();

test('climbs unit → liaison → county exactly at each due time, then is overdue at the top', async () => {
  const i = input();
  await (await newWorker()).runUntil(async () => {
    const handle = await start(i);
    const t0 = (await events(i.blockerId))[0].at.getTime();
    await env.sleep('1d');
    expect(await events(i.blockerId)).toHaveLength(1); // nothing moves before its due time
    await env.sleep('7d');
    expect((await handle.query(stateQuery)).overdueAtTop).toBe(true);

    const ev = await events(i.blockerId);
    expect(ev.map((e) => [e.seq, e.type, e.from_rung, e.to_rung])).toEqual([
      [0, 'reported', null, 'unit'],
      [1, 'escalated', 'unit', 'liaison'],
      [2, 'escalated', 'liaison', 'county'],
      [3, 'overdue_at_top', 'county', 'county'],
    ]);
    // Each move at its due instant, to the millisecond.
    expect(ev.map((e) => e.at.getTime() - t0)).toEqual([0, 3 * DAY, 5 * DAY, 6 * DAY]);
    expect(ev.map((e) => e.due_at?.getTime() ?? null)).toEqual([t0 + 3 * DAY, t0 + 5 * DAY, t0 + 6 * DAY, null]);

    // Notices: the rung it reaches gets the escalation notice, the rung below a copy.
    const county3 = sorted([...county.countyLeaders, county.officer]);
    expect((await noticesOf(ev[0].id)).map((n) => [n.kind, n.recipient_id])).toEqual(sorted(county.unitStaff).map((p) => ['assigned', p]));
    expect((await noticesOf(ev[1].id)).map((n) => [n.kind, n.recipient_id])).toEqual([
      ...sorted(county.unitStaff).map((p) => ['copy', p]),
      ['escalation', county.leader],
    ]);
    const atCounty = await noticesOf(ev[2].id);
    expect(atCounty.filter((n) => n.kind === 'escalation').map((n) => n.recipient_id)).toEqual(county3);
    // The liaison leader also sits on the county committee: one notice each, the escalation.
    expect(atCounty.filter((n) => n.kind === 'copy').map((n) => n.recipient_id)).toEqual([]);
    expect((await noticesOf(ev[3].id)).map((n) => [n.kind, n.recipient_id])).toEqual(county3.map((p) => ['overdue', p]));
    expect((await noticesOf(ev[1].id))[0].created_at.getTime()).toBe(t0 + 3 * DAY);

    const [row] = await db.ds.query(`SELECT rung, rung_index, status, overdue_at_top FROM blocker WHERE id = $1`, [i.blockerId]);
    expect(row).toEqual({ rung: 'county', rung_index: 2, status: 'open', overdue_at_top: true });

    // It waits at the top until resolved, and then completes.
    await handle.executeUpdate(resolveUpdate, { args: [{ resolution: '县专题协调会议定补偿方案，已签约', resolvedBy: county.leader }] });
    expect((await handle.result()).status).toBe('resolved');
  });
});

test('a blocker resolved before its due time never moves again', async () => {
  const i = input();
  await (await newWorker()).runUntil(async () => {
    const handle = await start(i);
    await env.sleep('2d');
    const state = await handle.executeUpdate(resolveUpdate, { args: [{ resolution: '已签订补偿协议', resolvedBy: county.unitStaff[0] }] });
    expect(state.status).toBe('resolved');
    await env.sleep('30d');
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
  const ev = await events(i.blockerId);
  expect(ev.map((e) => e.type)).toEqual(['reported', 'resolved']);
  const [row] = await db.ds.query(`SELECT status, rung, resolution, resolved_by FROM blocker WHERE id = $1`, [i.blockerId]);
  expect(row).toEqual({ status: 'resolved', rung: 'unit', resolution: '已签订补偿协议', resolved_by: county.unitStaff[0] });
});

test('resolving refuses an empty resolution and a second resolve, changing nothing', async () => {
  const i = input();
  await (await newWorker()).runUntil(async () => {
    const handle = await start(i);
    await expect(handle.executeUpdate(resolveUpdate, { args: [{ resolution: '   ', resolvedBy: county.officer }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await handle.query(stateQuery)).status).toBe('open');
    expect((await events(i.blockerId)).map((e) => e.type)).toEqual(['reported']);
    await handle.executeUpdate(resolveUpdate, { args: [{ resolution: '已解决', resolvedBy: county.officer }] });
  });
  expect((await events(i.blockerId)).map((e) => e.type)).toEqual(['reported', 'resolved']);
});

test('a one-rung policy goes straight to overdue at its top', async () => {
  const i = input([{ rung: 'unit', responseTime: 'PT2H' }]);
  await (await newWorker()).runUntil(async () => {
    await start(i);
    await env.sleep('3h');
  });
  expect((await events(i.blockerId)).map((e) => e.type)).toEqual(['reported', 'overdue_at_top']);
});

test('activities are idempotent: a retried escalation records one event and one notice per person', async () => {
  const i = input();
  await (await newWorker()).runUntil(() => start(i));
  const a = { blockerId: i.blockerId, seq: 1, at: new Date().toISOString(), fromRung: 'unit' as const, toRung: 'liaison' as const, dueAt: new Date(Date.now() + DAY).toISOString() };
  await activities.recordEscalated(a);
  await activities.recordEscalated(a);
  const ev = await events(i.blockerId);
  expect(ev.map((e) => e.type)).toEqual(['reported', 'escalated']);
  expect(await noticesOf(ev[1].id)).toHaveLength(3);
  const [row] = await db.ds.query(`SELECT rung_index FROM blocker WHERE id = $1`, [i.blockerId]);
  expect(row.rung_index).toBe(1);
});
