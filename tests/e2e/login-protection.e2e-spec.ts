/**
 * Login protection that fits a county, on the real API process: successes never
 * use up an address's allowance, wrong passwords slow an account down for the
 * addresses they came from without locking its owner out, and the client
 * address comes from X-Forwarded-For only through trusted proxies.
 */
import { join } from 'node:path';
import { freePort } from '../../apps/stack/src/ports';
import { NodeChild, spawnNode } from '../../apps/stack/src/processes';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';
import { TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

let db: TestDatabase;
let stack: RealStack;
const apis: NodeChild[] = [];

/** The stack's API believes X-Forwarded-For from loopback (a reverse proxy on this machine). */
const TRUSTING = { TRUSTED_PROXIES: 'loopback' };

async function startApi(extraEnv: Record<string, string>): Promise<string> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...stack.env, API_PORT: String(port), ...extraEnv };
  for (const [k, v] of Object.entries(extraEnv)) if (v === '') delete env[k];
  apis.push(spawnNode('api', join(PROJECT_ROOT, 'dist/apps/api/src/main.js'), env));
  const url = `http://127.0.0.1:${port}/api`;
  await eventually('API', async () => (await fetch(`${url}/health`)).status === 200);
  return url;
}

/** One login, as if forwarded for `from` (no header when undefined). */
async function login(api: string, username: string, password: string, from?: string) {
  const res = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify({ username, password }),
  });
  return {
    status: res.status,
    retryAfter: Number(res.headers.get('retry-after') ?? 0),
    body: (await res.json()) as { message?: string },
    requestId: res.headers.get('x-request-id'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const auditAddress = async (requestId: string | null) => (await db.ds.query(`SELECT after->>'address' AS address FROM audit_log WHERE request_id = $1`, [requestId]))[0]?.address;

beforeAll(async () => {
  db = await createTestDatabase('login');
  const county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { worker: false, env: TRUSTING });
});

afterAll(async () => {
  for (const a of apis) await a.stop();
  await stack?.stop();
  await db?.drop();
});

test('30 successful logins from one address within a minute all succeed, on default limits', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) statuses.push((await login(stack.api, i % 2 ? 'staff' : 'office', TEST_PASSWORD, '203.0.113.10')).status);
  expect(statuses).toEqual(Array(30).fill(200));
});

test("an attacker's wrong passwords slow the account for the attacker only; its owner gets in from elsewhere", async () => {
  const attacker = '198.51.100.9';
  const tries: Awaited<ReturnType<typeof login>>[] = [];
  for (let i = 0; i < 5; i++) tries.push(await login(stack.api, 'county', 'guess-password-1', attacker));
  expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 401, 429]);
  expect(tries[4].retryAfter).toBe(2);
  expect(tries[4].body.message).toMatch(/秒后再试/);
  // Even the right password waits, from the address that failed: the delay is not a guessing oracle.
  const held = await login(stack.api, 'county', TEST_PASSWORD, attacker);
  expect(held.status).toBe(429);
  expect(held.retryAfter).toBeGreaterThan(0);
  // The county leader, from his own office, is let in at once, and his success ends the delay.
  expect((await login(stack.api, 'county', TEST_PASSWORD, '203.0.113.5')).status).toBe(200);
  const [row] = await db.ds.query(`SELECT failed_logins, locked_until FROM account WHERE username = 'county'`);
  expect(row).toEqual({ failed_logins: 0, locked_until: null });
});

test('the delay grows with each further failure, and ends on its own: no lock-out', async () => {
  const from = '198.51.100.20';
  for (let i = 0; i < 4; i++) expect((await login(stack.api, 'head', 'guess-password-1', from)).status).toBe(401);
  const fifth = await login(stack.api, 'head', 'guess-password-1', from);
  expect([fifth.status, fifth.retryAfter]).toEqual([429, 2]);
  await sleep(fifth.retryAfter * 1000 + 200);
  const sixth = await login(stack.api, 'head', 'guess-password-1', from);
  expect([sixth.status, sixth.retryAfter]).toEqual([429, 4]);
  // Attempts during the delay are refused without being verified or counted.
  expect((await login(stack.api, 'head', 'guess-password-1', from)).status).toBe(429);
  expect((await db.ds.query(`SELECT failed_logins FROM account WHERE username = 'head'`))[0].failed_logins).toBe(6);
  await sleep(sixth.retryAfter * 1000 + 200);
  expect((await login(stack.api, 'head', TEST_PASSWORD, from)).status).toBe(200);
  const failures = await db.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND after->>'address' = $1`, [from]);
  expect(failures[0].n).toBe(6);
});

test('an address with too many failures waits, whatever the account; other addresses do not', async () => {
  const api = await startApi({ ...TRUSTING, LOGIN_ADDRESS_MAX_FAILURES: '3' });
  for (const name of ['nobody-1', 'nobody-2', 'nobody-3']) expect((await login(api, name, 'guess-password-1', '198.51.100.30')).status).toBe(401);
  const sprayed = await login(api, 'liaison', TEST_PASSWORD, '198.51.100.30');
  expect(sprayed.status).toBe(429);
  expect(sprayed.retryAfter).toBeGreaterThan(800);
  expect((await login(api, 'liaison', TEST_PASSWORD, '203.0.113.40')).status).toBe(200);
});

test('X-Forwarded-For is believed only through proxies named in TRUSTED_PROXIES', async () => {
  const trusting = await login(stack.api, 'supervision', TEST_PASSWORD, '10.9.8.7, 203.0.113.77');
  expect(trusting.status).toBe(200);
  expect(await auditAddress(trusting.requestId)).toBe('203.0.113.77'); // the last hop before our proxy, not what the client wrote
  const plain = await startApi({ TRUSTED_PROXIES: '' });
  const direct = await login(plain, 'supervision', TEST_PASSWORD, '203.0.113.77');
  expect(direct.status).toBe(200);
  expect(await auditAddress(direct.requestId)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  // Failures sent with a forged header still count against the real address.
  const strict = await startApi({ TRUSTED_PROXIES: '', LOGIN_ADDRESS_MAX_FAILURES: '2' });
  expect((await login(strict, 'nobody', 'guess-password-1', '192.0.2.1')).status).toBe(401);
  expect((await login(strict, 'nobody', 'guess-password-1', '192.0.2.2')).status).toBe(401);
  expect((await login(strict, 'supervision', TEST_PASSWORD, '192.0.2.3')).status).toBe(429);
});
