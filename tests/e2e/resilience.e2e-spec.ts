/**
 * The API under retries and outages, on the real stack: a report retried
 * with its Idempotency-Key makes one matter (also when the API was killed
 * mid-request), a key reused for another request is refused, 429 says when
 * to retry, and with Temporal stopped a report answers 503 at once, writes
 * nothing, and the matters already running escalate once Temporal is back.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { spawnNode } from '../../apps/stack/src/processes';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, loginAs, startRealStack } from '../support/stack';
import { TcpProxy, tcpProxy } from '../support/tcp-proxy';

jest.setTimeout(240_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let pg: TcpProxy;
const tokens: Record<string, string> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await createTestDatabase('resilience');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  // A short lease, so a retry after the API was killed takes its key over without waiting 30 s.
  pg = await tcpProxy(db.url); // the API and worker reach PostgreSQL through it, so a test can take it away
  stack = await startRealStack(pg.url, { persistentTemporal: true, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '8', IDEMPOTENCY_LEASE_SECONDS: '2' } });
  for (const u of ['office', 'liaison']) tokens[u] = await loginAs(stack.api, u, TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await pg?.close();
  await db?.drop();
});

async function post(user: string, path: string, body: unknown, key?: string) {
  const res = await fetch(`${stack.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[user]}`, ...(key && { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const report = (title: string, key?: string, user = 'office', extra: object = {}) =>
  post(user, `/projects/${county.projectId}/blockers`, { category: 'relocation', title, ...extra }, key);
const byTitle = async (title: string): Promise<string[]> => (await db.ds.query(`SELECT id FROM blocker WHERE title = $1`, [title])).map((r: { id: string }) => r.id);

test('the same report twice with one key: one matter, the same answer; the key on another body or another person is not replayed', async () => {
  const key = randomUUID();
  const first = await report('重复提交的问题', key);
  expect(first.status).toBe(201);
  const again = await report('重复提交的问题', key);
  expect(again.status).toBe(201);
  expect(again.headers.get('idempotency-replayed')).toBe('true');
  expect(again.body).toEqual(first.body);
  expect(await byTitle('重复提交的问题')).toEqual([first.body.id]);

  const other = await report('另一个问题', key);
  expect(other.status).toBe(422);
  expect(other.body.message).toMatch(/Idempotency-Key 已用于另一请求/);
  expect(other.body.messageEn).toMatch(/already used for another request/);
  expect(await byTitle('另一个问题')).toEqual([]);

  // Keys belong to their actor: the liaison leader's request with the office's key is his own.
  const his = await report('重复提交的问题', key, 'liaison');
  expect(his.status).toBe(201);
  expect(his.body.id).not.toBe(first.body.id);
  expect(his.headers.get('idempotency-replayed')).toBeNull();
});

test('an action retried with its key after its answer was lost: the first outcome, done once', async () => {
  const matter = await report('办结重试的问题', randomUUID());
  const key = randomUUID();
  const first = await post('office', `/blockers/${matter.body.id}/resolve`, { resolution: '已协调解决' }, key);
  expect(first.status).toBe(200);
  // As if the API had died before storing its answer: the retry reaches the workflow again, which has already resolved it.
  await db.ds.query(`DELETE FROM idempotency_key WHERE key = $1`, [key]);
  const again = await post('office', `/blockers/${matter.body.id}/resolve`, { resolution: '已协调解决' }, key);
  expect(again.status).toBe(200);
  expect(again.body.status).toBe('resolved');
  const resolved = await db.ds.query(`SELECT count(*) FROM blocker_event WHERE blocker_id = $1 AND type = 'resolved'`, [matter.body.id]);
  expect(Number(resolved[0].count)).toBe(1);
  // Without a key a repeat is refused as one.
  expect((await post('office', `/blockers/${matter.body.id}/resolve`, { resolution: '已协调解决' })).status).toBe(409);
});

test('the OpenAPI document declares the Idempotency-Key header on the writes of a signed-in actor, not on login', async () => {
  const doc = (await (await fetch(`${stack.api}/docs-json`)).json()) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  const header = (op: { parameters?: { name: string; in: string }[] }) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  expect(header(doc.paths['/api/projects/{id}/blockers'].post)).toBe(true);
  expect(header(doc.paths['/api/blockers/{id}/resolve'].post)).toBe(true);
  expect(header(doc.paths['/api/auth/login'].post)).toBeFalsy();
  expect(header(doc.paths['/api/blockers'].get)).toBeFalsy();
});

test('the API killed while a report is in flight, restarted, the request retried with its key: exactly one matter and one workflow', async () => {
  const temporal = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
  const workflowIds = async () => {
    const ids = new Set<string>();
    for await (const w of temporal.workflow.list({ query: `WorkflowType = 'blockerEscalation'` })) ids.add(w.workflowId);
    return ids;
  };
  const retry = (title: string, key: string) =>
    eventually(
      'the retried report',
      async () => {
        const r = await report(title, key);
        if (r.status === 409) await sleep(Number(r.headers.get('retry-after')) * 1000);
        return r.status === 201 ? r : null;
      },
      60_000,
    );
  const exactlyOne = async (title: string, id: string) => {
    expect(await byTitle(title)).toEqual([id]);
    expect((await temporal.workflow.count(`WorkflowId = 'blocker-${id}'`)).count).toBe(1);
  };
  try {
    // The window that matters, made certain: with the worker stopped the report waits after starting its workflow,
    // and the API is killed there, the workflow started and no answer stored.
    await stack.worker!.stop();
    const known = await workflowIds();
    const key = randomUUID();
    const inFlight = report('工作流已启动时进程被杀', key).catch(() => null);
    await eventually('the report’s workflow to start', async () => [...(await workflowIds())].some((id) => !known.has(id)));
    expect((await db.ds.query(`SELECT status FROM idempotency_key WHERE key = $1`, [key]))[0].status).toBe('in_flight');
    await stack.killApi();
    await inFlight;
    stack.worker = spawnNode('worker', join(PROJECT_ROOT, 'dist/apps/worker/src/main.js'), stack.env);
    await stack.restartApi();
    const answer = await retry('工作流已启动时进程被杀', key);
    await exactlyOne('工作流已启动时进程被杀', answer.body.id);

    // And at whatever moment a kill lands, with the worker running.
    for (const [i, delay] of [30, 150].entries()) {
      const k = randomUUID();
      const title = `进程被杀时的问题 ${i + 1}`;
      const pending = report(title, k).catch(() => null);
      await sleep(delay);
      await stack.killApi();
      await pending;
      await stack.restartApi();
      await exactlyOne(title, (await retry(title, k)).body.id);
    }
    // No workflow without its matter, and no matter twice, over everything reported in this file so far.
    const rows = Number((await db.ds.query(`SELECT count(*) FROM blocker`))[0].count);
    await eventually('visibility to catch up', async () => (await workflowIds()).size === rows);
  } finally {
    await temporal.connection.close();
  }
});

test('429 says when to retry (Retry-After)', async () => {
  let r: Response | null = null;
  for (let i = 0; i < 12 && r?.status !== 429; i++) {
    r = await fetch(`${stack.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
    });
  }
  expect(r!.status).toBe(429);
  expect(Number(r!.headers.get('retry-after'))).toBeGreaterThan(0);
});

test('PostgreSQL unreachable: 503 within 5 s naming it, with Retry-After; back: the retry with the same key does the work', async () => {
  await pg.cut();
  try {
    const health = await fetch(`${stack.api}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ database: 'down', message: '数据库（PostgreSQL）不可用' });
    const t0 = Date.now();
    const r = await report('数据库停机期间上报的问题', 'db-outage-key-1');
    expect(Date.now() - t0).toBeLessThanOrEqual(5000);
    expect(r.status).toBe(503);
    expect(r.body.message).toMatch(/数据库（PostgreSQL）暂时不可用/);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  } finally {
    await pg.restore();
  }
  const again = await eventually('the retried report', async () => {
    const r = await report('数据库停机期间上报的问题', 'db-outage-key-1');
    return r.status === 201 ? r : null;
  });
  expect(await byTitle('数据库停机期间上报的问题')).toEqual([again.body.id]);
});

test('Temporal stopped: a report answers 503 within 5 s with Retry-After and writes nothing; back on: the matter reported before escalates once', async () => {
  const policy = await post('office', '/escalation-policies', {
    name: 'outage 6s',
    severity: 'urgent',
    automatic: false,
    rungs: [
      { rung: 'unit', responseTime: 'PT6S' },
      { rung: 'liaison', responseTime: 'PT1H' },
      { rung: 'county', responseTime: 'PT1H' },
    ],
  });
  expect(policy.status).toBe(201);
  const before = await report('停机前上报的问题', randomUUID(), 'office', { policyId: policy.body.id });
  expect(before.status).toBe(201);

  await stack.stopTemporal();
  const health = await fetch(`${stack.api}/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ temporal: 'down', database: 'up', message: '工作流服务（Temporal）不可用' });

  const key = randomUUID();
  const t0 = Date.now();
  const during = await report('停机期间上报的问题', key);
  const took = Date.now() - t0;
  expect(during.status).toBe(503);
  expect(took).toBeLessThanOrEqual(5000);
  expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(during.body.message).toMatch(/Temporal/);
  expect(during.body.messageEn).toMatch(/Temporal/);
  expect(await byTitle('停机期间上报的问题')).toEqual([]);
  expect(Number((await db.ds.query(`SELECT count(*) FROM idempotency_key WHERE key = $1`, [key]))[0].count)).toBe(0);

  await sleep(7000); // the first matter's due instant passes while Temporal is down
  await stack.startTemporal();

  await eventually(
    'the matter reported before the outage to escalate',
    async () => (await db.ds.query(`SELECT rung FROM blocker WHERE id = $1`, [before.body.id]))[0].rung === 'liaison',
    90_000,
  );
  const events: { type: string }[] = await db.ds.query(`SELECT type FROM blocker_event WHERE blocker_id = $1 ORDER BY seq`, [before.body.id]);
  expect(events.map((e) => e.type)).toEqual(['reported', 'escalated']);

  // The key was left free: the retry now does the work.
  const retried = await eventually('the retried report', async () => {
    const r = await report('停机期间上报的问题', key);
    return r.status === 201 ? r : null;
  });
  expect(await byTitle('停机期间上报的问题')).toEqual([retried.body.id]);
});
