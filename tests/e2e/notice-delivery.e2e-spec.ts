/**
 * The outbox on the real stack (PostgreSQL, the Temporal dev server, the
 * compiled worker and API processes) with the local provider receivers:
 *   - a provider answering errors: retries with back-off, then the dead-letter
 *     list, then a successful manual retry by the project office (audited);
 *   - the worker killed mid-delivery (the provider has the message, we have not
 *     recorded its answer): exactly one message where the provider recognises a
 *     retry (webhook, WeCom app message), and on the DingTalk group robot at
 *     most one duplicate, flagged possible_duplicate.
 */
import { join } from 'node:path';
import { NodeChild, spawnNode } from '../../apps/stack/src/processes';
import { startReceivers, type Receivers } from '../../libs/channels/src/receivers';
import type { ChannelKind } from '../../libs/channels/src/channel';
import { planDeliveries } from '../../libs/notices/src/delivery-planner';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { RealStack, eventually, http as rawHttp, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(240_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let receivers: Receivers;
let token: string;
let worker: NodeChild;
const http = (method: string, path: string, body?: unknown) => rawHttp(method, `${stack.api}${path}`, body, token);
const startWorker = () => spawnNode('worker', join(PROJECT_ROOT, 'dist', 'apps/worker/src/main.js'), stack.env);

beforeAll(async () => {
  db = await createTestDatabase('outbox');
  county = await seedSmallCounty(db.ds);
  await createAccounts(db.ds, { office: county.officer, head: county.unitStaff[0] });
  receivers = await startReceivers();
  // No quiet hours here (the test may run at any hour); three attempts in all: 10 s and 20 s apart.
  await db.ds.query(`UPDATE notice_settings SET quiet_start = '00:00', quiet_end = '00:00', max_attempts = 3`);
  await db.ds.query(`UPDATE person SET wecom_user_id = $2 WHERE id = $1`, [county.unitStaff[1], 'liaison-yi']);
  for (const kind of ['webhook', 'wecom_app', 'dingtalk_robot'] as ChannelKind[]) {
    await db.ds.query(`INSERT INTO notice_channel (kind, name, settings) VALUES ($1, $2, $3)`, [kind, `测试${kind}`, JSON.stringify(receivers.settingsFor(kind))]);
  }
  stack = await startRealStack(db.url, { worker: false }); // the test runs its own worker, and kills it
  worker = startWorker();
  token = await loginAs(stack.api, 'office', TEST_PASSWORD);
});

afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
  await receivers?.close();
  await db?.drop();
});

/** A matter reported: its 'reported' event notifies the unit (WeCom app) and the group channels get one summary each. */
async function report(title: string): Promise<string> {
  const r = await http('POST', `/projects/${county.projectId}/blockers`, { category: 'relocation', title });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function deliveryOf(blockerId: string, channel: ChannelKind): Promise<{ id: string }> {
  return eventually(`${channel} delivery of ${blockerId}`, async () => {
    const [d] = await db.ds.query(`SELECT d.id FROM delivery d JOIN notice n ON n.id = d.notice_id WHERE n.blocker_id = $1 AND d.channel = $2`, [blockerId, channel]);
    return d;
  });
}

test('a provider answering errors: retries, then the dead-letter list, then a manual retry that succeeds', async () => {
  receivers.failNext('webhook', 3, { status: 503 });
  const blockerId = await report('城东安置房项目供电线路迁改受阻');
  const { id } = await deliveryOf(blockerId, 'webhook');

  const dead = await eventually(
    'dead letter',
    async () => {
      const r = await http('GET', '/deliveries?status=dead');
      return r.body.items.find((d: { id: string }) => d.id === id);
    },
    120_000,
  );
  expect(dead).toMatchObject({ status: 'dead', attempts: 3, channel: 'webhook', possibleDuplicate: false, lastError: expect.stringContaining('503') });
  expect(receivers.failedCount('webhook')).toBe(3);
  expect(receivers.delivered('webhook')).toHaveLength(0);
  const detail = await http('GET', `/deliveries/${id}`);
  expect(detail.body.attemptLog.map((a: { ok: boolean; httpStatus: number }) => [a.ok, a.httpStatus])).toEqual([
    [false, 503],
    [false, 503],
    [false, 503],
  ]);

  // Only the project office sees and retries the dead letters.
  const head = await loginAs(stack.api, 'head', TEST_PASSWORD);
  expect((await rawHttp('GET', `${stack.api}/deliveries?status=dead`, undefined, head)).status).toBe(403);
  expect((await rawHttp('POST', `${stack.api}/deliveries/${id}/retry`, { reason: '对方平台已恢复' }, head)).status).toBe(403);

  const retried = await http('POST', `/deliveries/${id}/retry`, { reason: '市平台维护结束，重新推送' });
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ status: 'pending', attempts: 0, retries: 1 });
  await eventually('sent after the retry', async () => (await http('GET', `/deliveries/${id}`)).body.status === 'sent', 60_000);
  const messages = receivers.delivered('webhook');
  expect(messages).toHaveLength(1);
  expect(messages[0].signatureOk).toBe(true);
  expect(messages[0].text).toContain('城东安置房项目供电线路迁改受阻');
  const after = await http('GET', `/deliveries/${id}`);
  expect(after.body.attemptLog).toHaveLength(4);
  expect(after.body.attemptLog[3]).toMatchObject({ ok: true });
  const audit = await db.ds.query(`SELECT action, reason, actor_id FROM audit_log WHERE target_type = 'delivery' AND target_id = $1`, [id]);
  expect(audit).toEqual([{ action: 'delivery.retry', reason: '市平台维护结束，重新推送', actor_id: county.officer }]);
  // A sent delivery is not retried again.
  expect((await http('POST', `/deliveries/${id}/retry`, { reason: '再试一次' })).status).toBe(409);
});

test('the worker killed mid-delivery: one message on the webhook and the WeCom app, at most one flagged duplicate on the DingTalk robot', async () => {
  receivers.clear();
  const kinds: ChannelKind[] = ['webhook', 'wecom_app', 'dingtalk_robot'];
  // Each provider takes the message and holds its answer: the worker dies before it hears it.
  for (const k of kinds) receivers.hold(k, 15_000);
  const blockerId = await report('城西工业园污水管网接入审批滞后');
  const ids = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, (await deliveryOf(blockerId, k)).id] as const)));
  await eventually('every provider has the message', async () => kinds.every((k) => receivers.messages(k).length === 1), 60_000);
  worker.child.kill('SIGKILL');
  await worker.exited;
  for (const k of kinds) receivers.hold(k, 0);
  worker = startWorker();

  const rows = await eventually(
    'all three sent by the new worker',
    async () => {
      const r: { channel: string; status: string; possible_duplicate: boolean; attempts: number }[] = await db.ds.query(
        `SELECT channel, status, possible_duplicate, attempts FROM delivery WHERE id = ANY($1::uuid[]) ORDER BY channel`,
        [Object.values(ids)],
      );
      return r.every((d) => d.status === 'sent') && r;
    },
    120_000,
  );
  expect(rows).toEqual([
    { channel: 'dingtalk_robot', status: 'sent', possible_duplicate: true, attempts: 2 },
    { channel: 'webhook', status: 'sent', possible_duplicate: false, attempts: 2 },
    { channel: 'wecom_app', status: 'sent', possible_duplicate: false, attempts: 2 },
  ]);
  // Exactly once where the provider recognises the retry (the delivery id is its idempotency key) …
  expect(receivers.delivered('webhook')).toHaveLength(1);
  expect(receivers.delivered('wecom_app')).toHaveLength(1);
  expect(receivers.delivered('wecom_app')[0].to).toBe('liaison-yi');
  // … and where it cannot, at most one duplicate, visible to the office.
  expect(receivers.delivered('dingtalk_robot').length).toBeLessThanOrEqual(2);
  const listed = await http('GET', `/deliveries/${ids.dingtalk_robot}`);
  expect(listed.body).toMatchObject({ possibleDuplicate: true, status: 'sent' });
  expect(listed.body.attemptLog[0]).toMatchObject({ ok: null, error: expect.stringContaining('interrupted') });
});

test('a delivery committed while no worker listens (its NOTIFY unheard) is sent once a worker is back', async () => {
  receivers.clear();
  worker.child.kill('SIGKILL');
  await worker.exited;
  // As an activity writes it: the notice and its deliveries in one transaction; nobody hears the NOTIFY.
  const noticeId = await db.ds.transaction(async (em) => {
    const [n] = await em.query(
      `INSERT INTO notice (project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en)
       VALUES ($1, 'test:sweep', $2, 'inbox', 'stage_warning', 'unit', '【阶段预警】用地预审临期', '请抓紧办理。', 'Stage warning', 'Hurry.') RETURNING id`,
      [county.projectId, county.unitStaff[1]],
    );
    await planDeliveries(em, [n.id], { DUBAN_TIME_ZONE: 'Asia/Shanghai' });
    return n.id as string;
  });
  const rows = await db.ds.query(`SELECT channel, dispatched_at FROM delivery WHERE notice_id = $1 ORDER BY channel`, [noticeId]);
  expect(rows).toEqual([
    { channel: 'dingtalk_robot', dispatched_at: null },
    { channel: 'webhook', dispatched_at: null },
    { channel: 'wecom_app', dispatched_at: null },
  ]);
  await new Promise((r) => setTimeout(r, 11_000)); // older than the sweep's 10 s: no NOTIFY is still on its way
  worker = startWorker();
  await eventually('sent by the sweep', async () => (await db.ds.query(`SELECT 1 FROM delivery WHERE notice_id = $1 AND status = 'sent'`, [noticeId])).length === 3, 90_000);
  expect(receivers.delivered('wecom_app').map((m) => m.to)).toEqual(['liaison-yi']);
  expect(receivers.delivered('webhook')).toHaveLength(1);
  expect(receivers.delivered('dingtalk_robot')).toHaveLength(1);
});
