/**
 * Identity, access and audit on the real stack (PostgreSQL, the Temporal dev
 * server, the compiled worker and API processes): every role refused outside
 * its scope with nothing changed, bad tokens refused, login throttled and
 * delayed, and every write leaving exactly one audit row.
 */
import { join } from 'node:path';
import { freePort } from '../../apps/stack/src/ports';
import { NodeChild, spawnNode } from '../../apps/stack/src/processes';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

let db: TestDatabase;
let county: SmallCounty;
let extra: Awaited<ReturnType<typeof smallCountyAccounts>>;
let stack: RealStack;
const apis: NodeChild[] = [];
let api: string;
const tokens: Record<string, string> = {};

/** Another API process beside the stack's, with other settings (a strict login limit). */
async function startApi(extraEnv: Record<string, string>): Promise<string> {
  const port = await freePort();
  apis.push(spawnNode('api', join(PROJECT_ROOT, 'dist/apps/api/src/main.js'), { ...stack.env, API_PORT: String(port), ...extraEnv }));
  const url = `http://127.0.0.1:${port}/api`;
  await eventually('API', async () => (await http('GET', `${url}/health`)).status === 200);
  return url;
}

beforeAll(async () => {
  db = await createTestDatabase('access');
  county = await seedSmallCounty(db.ds);
  extra = await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  api = stack.api;
  for (const u of ['head', 'staff', 'liaison', 'county', 'office', 'supervision', 'approval', 'other']) tokens[u] = await loginAs(api, u, TEST_PASSWORD);
});

afterAll(async () => {
  for (const a of apis) await a.stop();
  await stack?.stop();
  await db?.drop();
});

const as = (user: string) => ({
  get: (path: string) => http('GET', `${api}${path}`, undefined, tokens[user]),
  post: (path: string, body?: unknown) => http('POST', `${api}${path}`, body ?? {}, tokens[user]),
  patch: (path: string, body?: unknown) => http('PATCH', `${api}${path}`, body ?? {}, tokens[user]),
});
const count = async (table: string, where = 'TRUE', params: unknown[] = []) => Number((await db.ds.query(`SELECT count(*) FROM ${table} WHERE ${where}`, params))[0].count);
/** Every table a refused request could have written to. */
const snapshot = async () =>
  Promise.all(['org_unit', 'person', 'project', 'blocker', 'blocker_event', 'notice', 'escalation_policy', 'account', 'api_key', 'audit_log'].map((t) => count(t)));

const slowPolicy = {
  name: '',
  severity: 'normal',
  automatic: false,
  rungs: [
    { rung: 'unit', responseTime: 'P30D' },
    { rung: 'liaison', responseTime: 'P30D' },
    { rung: 'county', responseTime: 'P30D' },
  ],
};
let policySeq = 0;

/** A blocker on the small county's project, reported by the office, moved to `rung` by an "escalate" through the read model's own workflow. */
async function blockerAt(rung: 'unit' | 'liaison' | 'county'): Promise<string> {
  // A policy whose lower rungs last 1 s puts the matter on the wanted rung within seconds, for real.
  const quick = { rung: 'unit', responseTime: rung === 'unit' ? 'P30D' : 'PT1S' };
  const mid = { rung: 'liaison', responseTime: rung === 'county' ? 'PT1S' : 'P30D' };
  const policy = await as('office').post('/escalation-policies', {
    ...slowPolicy,
    name: `to-${rung}-${++policySeq}`,
    rungs: [quick, mid, { rung: 'county', responseTime: 'P30D' }],
  });
  expect(policy.status).toBe(201);
  const b = await as('office').post(`/projects/${county.projectId}/blockers`, { category: 'funding', title: `资金问题 ${policySeq}`, policyId: policy.body.id });
  expect(b.status).toBe(201);
  await eventually(`blocker on ${rung}`, async () => (await as('office').get(`/blockers/${b.body.id}`)).body.rung === rung, 20_000);
  return b.body.id;
}

describe('default deny and authentication', () => {
  test('nothing but health, login, refresh and the docs answers without a token or key', async () => {
    expect((await http('GET', `${api}/health`)).status).toBe(200);
    expect((await http('GET', `${api}/docs-json`)).status).toBe(200);
    const docs = (await http('GET', `${api}/docs-json`)).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(docs.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{id\}/g, county.projectId)]));
    expect(routes.length).toBeGreaterThan(20);
    const open = ['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/refresh'];
    for (const [method, path] of routes) {
      const r = await http(method, `http://127.0.0.1:${new URL(api).port}${path}`, method === 'GET' ? undefined : {});
      if (open.includes(`${method} ${path}`)) expect(r.status).not.toBe(401);
      else expect({ route: `${method} ${path}`, status: r.status }).toEqual({ route: `${method} ${path}`, status: 401 });
    }
  });

  test('security headers are set and CORS is closed unless configured', async () => {
    const r = await fetch(`${api}/projects`, { headers: { authorization: `Bearer ${tokens.office}`, origin: 'https://evil.example' } });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('expired, tampered and revoked tokens are refused', async () => {
    const login = await http('POST', `${api}/auth/login`, { username: 'staff', password: TEST_PASSWORD });
    const { accessToken, refreshToken } = login.body;
    expect((await http('GET', `${api}/auth/me`, undefined, accessToken)).status).toBe(200);
    const tampered = accessToken.slice(0, -2) + (accessToken.endsWith('A') ? 'BB' : 'AA');
    expect((await http('GET', `${api}/auth/me`, undefined, tampered)).status).toBe(401);

    // Refresh rotates both tokens; the old access and refresh tokens stop working.
    const refreshed = await http('POST', `${api}/auth/refresh`, { refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await http('GET', `${api}/auth/me`, undefined, accessToken)).status).toBe(401);
    expect((await http('GET', `${api}/auth/me`, undefined, refreshed.body.accessToken)).status).toBe(200);
    // The old refresh token used again: stolen; the whole session is revoked.
    expect((await http('POST', `${api}/auth/refresh`, { refreshToken })).status).toBe(401);
    expect((await http('GET', `${api}/auth/me`, undefined, refreshed.body.accessToken)).status).toBe(401);

    // Expired: the session's access token is past its expiry.
    const second = (await http('POST', `${api}/auth/login`, { username: 'staff', password: TEST_PASSWORD })).body;
    await db.ds.query(`UPDATE session SET access_expires_at = now() - interval '1 second' WHERE id = (SELECT id FROM session ORDER BY created_at DESC LIMIT 1)`);
    const expired = await http('GET', `${api}/auth/me`, undefined, second.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/登录已失效/);
    expect((await http('POST', `${api}/auth/refresh`, { refreshToken: second.refreshToken })).status).toBe(200); // refresh still works

    // Revoked by logout: access and refresh both refused.
    const third = (await http('POST', `${api}/auth/login`, { username: 'staff', password: TEST_PASSWORD })).body;
    expect((await http('POST', `${api}/auth/logout`, undefined, third.accessToken)).status).toBe(204);
    expect((await http('GET', `${api}/auth/me`, undefined, third.accessToken)).status).toBe(401);
    expect((await http('POST', `${api}/auth/refresh`, { refreshToken: third.refreshToken })).status).toBe(401);
  });

  test('API keys: scoped, refused outside their scopes, revocable, stored hashed', async () => {
    const created = await as('office').post('/api-keys', { name: '市重点项目平台', scopes: ['projects:read', 'org:write'] });
    expect(created.status).toBe(201);
    const key = { apiKey: created.body.key as string };
    expect((await db.ds.query(`SELECT secret_hash FROM api_key WHERE id = $1`, [created.body.id]))[0].secret_hash).not.toContain(key.apiKey.split('_')[2]);
    expect((await http('GET', `${api}/projects`, undefined, key)).body.total).toBe(1);
    const before = await snapshot();
    expect(
      (
        await http(
          'POST',
          `${api}/projects`,
          { code: '2026-341122-48-01-000099', name: 'x', category: 'industry', responsibleUnitId: county.unitId, owner: 'x', totalInvestment: 1 },
          key,
        )
      ).status,
    ).toBe(403);
    expect((await http('GET', `${api}/accounts`, undefined, key)).status).toBe(403);
    expect((await http('POST', `${api}/projects/${county.projectId}/blockers`, { category: 'funding', title: 't' }, key)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
    const unit = await http('POST', `${api}/org-units`, { name: '县商务局', kind: 'department' }, key);
    expect(unit.status).toBe(201);
    const row = (await db.ds.query(`SELECT actor_kind, actor_id, action FROM audit_log WHERE target_id = $1`, [unit.body.id]))[0];
    expect(row).toEqual({ actor_kind: 'api_key', actor_id: created.body.id, action: 'org_unit.create' });
    expect((await as('office').post(`/api-keys/${created.body.id}/revoke`, { reason: '平台停用' })).status).toBe(200);
    expect((await http('GET', `${api}/projects`, undefined, key)).status).toBe(401);
    expect((await http('GET', `${api}/projects`, undefined, { apiKey: key.apiKey.slice(0, -1) + 'x' })).status).toBe(401);
  });
});

describe('each role, outside its scope: 403 and nothing changes', () => {
  async function refused(user: string, method: 'post' | 'patch' | 'get', path: string, body?: unknown) {
    const before = await snapshot();
    const r = await as(user)[method](path, body);
    expect({ user, path, status: r.status }).toEqual({ user, path, status: 403 });
    expect(r.body.message).toEqual(expect.any(String));
    expect(await snapshot()).toEqual(before);
  }

  test('unit staff: another unit’s project, a higher rung, an admin action', async () => {
    const otherProject = (
      await db.ds.query(
        `INSERT INTO project (code, name, category, responsible_unit_id, owner, total_investment) VALUES ('2026-341122-48-01-000077','住建局项目','urban',$1,'x',1) RETURNING id`,
        [extra.otherUnitId],
      )
    )[0].id;
    await refused('staff', 'get', `/projects/${otherProject}`);
    await refused('staff', 'post', `/projects/${otherProject}/blockers`, { category: 'funding', title: '越权上报' });
    expect((await as('staff').get('/projects')).body.items.map((p: { id: string }) => p.id)).toEqual([county.projectId]);
    expect((await as('other').get('/projects')).body.items.map((p: { id: string }) => p.id)).toEqual([otherProject]);

    const atLiaison = await blockerAt('liaison');
    await refused('staff', 'post', `/blockers/${atLiaison}/resolve`, { resolution: '越级办结' });
    await refused('head', 'post', `/blockers/${atLiaison}/resolve`, { resolution: '越级办结' });
    await refused('other', 'get', `/blockers/${atLiaison}`);
    await refused('staff', 'post', '/accounts', { personId: county.unitStaff[1], username: 'newbie' });
    await refused('staff', 'post', '/org-units', { name: '越权单位', kind: 'department' });
    await refused('staff', 'patch', `/people/${county.unitStaff[1]}`, { roles: ['project_office'], reason: '自我提权' });
    await refused('staff', 'get', `/people/${county.leader}/notices`);
    await refused('staff', 'get', '/audit');
    expect((await db.ds.query(`SELECT status FROM blocker WHERE id = $1`, [atLiaison]))[0].status).toBe('open');

    // On its own rung it may act: a matter on `unit` is resolved by the unit's staff.
    const atUnit = await blockerAt('unit');
    const ok = await as('staff').post(`/blockers/${atUnit}/resolve`, { resolution: '已协调财政局拨付' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'resolved', resolvedBy: county.unitStaff[1] });
  });

  test('liaison leader: a project not linked to them, the county rung', async () => {
    const unlinked = (
      await db.ds.query(
        `INSERT INTO project (code, name, category, responsible_unit_id, owner, total_investment) VALUES ('2026-341122-48-01-000088','未包联项目','urban',$1,'x',1) RETURNING id`,
        [county.unitId],
      )
    )[0].id;
    // The small county's leader is also a county leader; use a pure liaison leader.
    const pure = (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ('副县长壬',$1,'{liaison_leader}') RETURNING id`, [county.committeeId]))[0].id;
    await db.ds.query(`INSERT INTO project_liaison_leader (project_id, person_id) VALUES ($1,$2)`, [county.projectId, pure]);
    await as('office').post('/accounts', { personId: pure, username: 'pure-liaison', password: TEST_PASSWORD, mustChangePassword: false });
    tokens.pure = await loginAs(api, 'pure-liaison', TEST_PASSWORD);
    await refused('pure', 'get', `/projects/${unlinked}`);
    await refused('pure', 'post', `/projects/${unlinked}/blockers`, { category: 'funding', title: '越权' });
    const atCounty = await blockerAt('county');
    await refused('pure', 'post', `/blockers/${atCounty}/resolve`, { resolution: '越级办结' });
    await refused('pure', 'post', '/projects', {
      code: '2026-341122-48-01-000066',
      name: 'x',
      category: 'industry',
      responsibleUnitId: county.unitId,
      owner: 'x',
      totalInvestment: 1,
    });
    // At or below its rung ("or above"): allowed.
    const atLiaison = await blockerAt('liaison');
    expect((await as('pure').post(`/blockers/${atLiaison}/resolve`, { resolution: '包联领导协调解决' })).status).toBe(200);
    const atUnit = await blockerAt('unit');
    expect((await as('pure').post(`/blockers/${atUnit}/resolve`, { resolution: '提前协调解决' })).status).toBe(200);
  });

  test('county leader: sees all and acts at the county rung, but no admin action', async () => {
    await refused('county', 'post', '/projects', {
      code: '2026-341122-48-01-000055',
      name: 'x',
      category: 'industry',
      responsibleUnitId: county.unitId,
      owner: 'x',
      totalInvestment: 1,
    });
    await refused('county', 'post', '/accounts', { personId: county.countyLeaders[1], username: 'another' });
    await refused('county', 'post', '/escalation-policies', { ...slowPolicy, name: '县领导规则' });
    await refused('county', 'get', '/audit');
    const atCounty = await blockerAt('county');
    expect((await as('county').post(`/blockers/${atCounty}/resolve`, { resolution: '专题协调会议定解决' })).status).toBe(200);
  });

  test('supervision office: sees everything, acts on nothing', async () => {
    expect((await as('supervision').get('/projects')).body.total).toBeGreaterThanOrEqual(3);
    const open = await blockerAt('unit');
    expect((await as('supervision').get(`/blockers/${open}`)).status).toBe(200);
    await refused('supervision', 'post', `/blockers/${open}/resolve`, { resolution: '督查室办结' });
    await refused('supervision', 'post', `/projects/${county.projectId}/blockers`, { category: 'funding', title: '督查室上报' });
    await refused('supervision', 'post', '/people', { name: '新人', orgUnitId: county.unitId, roles: ['unit_staff'] });
  });

  test('approval department staff: no projects or matters outside their items', async () => {
    expect((await as('approval').get('/projects')).body.total).toBe(0);
    await refused('approval', 'get', `/projects/${county.projectId}`);
    await refused('approval', 'post', `/projects/${county.projectId}/blockers`, { category: 'approval', title: '审批问题' });
  });
});

describe('login throttling and lock-out', () => {
  test('the login rate limit refuses the (N+1)th attempt in a minute with 429', async () => {
    const strict = await startApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await http('POST', `${strict}/auth/login`, { username: 'nobody', password: 'wrong-password-1' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await http('GET', `${strict}/health`)).status).toBe(200); // other routes are not affected
  });

  test('repeated failures delay the account, even for the right password from that address; audited; the office lifts it', async () => {
    const failuresBefore = await count('audit_log', `action = 'auth.login_failed'`);
    for (let i = 0; i < 4; i++) expect((await http('POST', `${api}/auth/login`, { username: 'head', password: 'wrong-password-1' })).status).toBe(401);
    const fifth = await http('POST', `${api}/auth/login`, { username: 'head', password: 'wrong-password-1' });
    expect(fifth.status).toBe(429);
    expect(fifth.body.message).toMatch(/秒后再试/);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    const right = await http('POST', `${api}/auth/login`, { username: 'head', password: TEST_PASSWORD });
    expect(right.status).toBe(429);
    expect(await count('audit_log', `action = 'auth.login_failed'`)).toBe(failuresBefore + 5);
    // The project office lifts the delay, with a record.
    const accountId = (await db.ds.query(`SELECT id FROM account WHERE username = 'head'`))[0].id;
    expect((await as('office').post(`/accounts/${accountId}/enable`, { reason: '本人确认，解除限制' })).status).toBe(200);
    expect(await count('audit_log', `action = 'account.enable' AND target_id = $1`, [accountId])).toBe(1);
    expect((await http('POST', `${api}/auth/login`, { username: 'head', password: TEST_PASSWORD })).status).toBe(200);
  });

  test('password change: the old password stops working and other sessions end', async () => {
    const other = await loginAs(api, 'approval', TEST_PASSWORD);
    const weak = await http('POST', `${api}/auth/password`, { currentPassword: TEST_PASSWORD, newPassword: 'short' }, tokens.approval);
    expect(weak.status).toBe(422);
    expect((await http('POST', `${api}/auth/password`, { currentPassword: TEST_PASSWORD, newPassword: 'NewPassword2026' }, tokens.approval)).status).toBe(204);
    expect((await http('GET', `${api}/auth/me`, undefined, other)).status).toBe(401);
    expect((await http('GET', `${api}/auth/me`, undefined, tokens.approval)).status).toBe(200);
    expect((await http('POST', `${api}/auth/login`, { username: 'approval', password: TEST_PASSWORD })).status).toBe(401);
    expect((await http('POST', `${api}/auth/login`, { username: 'approval', password: 'NewPassword2026' })).status).toBe(200);
  });
});

describe('holiday notice years over HTTP', () => {
  test('the project office corrects (PUT) and removes (DELETE) a loaded year with a reason; others are refused', async () => {
    const send = (user: string, method: string, path: string, body?: unknown) => http(method, `${api}${path}`, body, tokens[user]);
    const wrong = { year: 2029, note: '2029年放假安排', days: [{ date: '2029-02-12', kind: 'work' }], reason: '载入2029年通知' };
    const corrected = {
      note: '2029年放假安排（更正）',
      days: [
        { date: '2029-02-12', kind: 'off', note: '春节' },
        { date: '2029-02-13', kind: 'off', note: '春节' },
      ],
      reason: '录入错误，按正式文件更正',
    };
    expect((await send('office', 'POST', '/calendar/notice-years', wrong)).status).toBe(201);
    expect((await send('office', 'POST', '/calendar/notice-years', { year: 2029, ...corrected })).status).toBe(409);
    for (const user of ['county', 'staff']) {
      expect((await send(user, 'PUT', '/calendar/notice-years/2029', corrected)).status).toBe(403);
      expect((await send(user, 'DELETE', '/calendar/notice-years/2029', { reason: '删除' })).status).toBe(403);
    }
    expect((await send('office', 'PUT', '/calendar/notice-years/2029', { ...corrected, reason: '' })).status).toBe(400);
    expect((await send('office', 'PUT', '/calendar/notice-years/2029', corrected)).body).toEqual({ year: 2029, days: 2, recomputeJobId: expect.any(String) });
    const day = async (d: string) => (await send('staff', 'GET', `/calendar/days?from=${d}&to=${d}`)).body[0];
    expect(await day('2029-02-13')).toMatchObject({ working: false, provisional: false });
    expect((await send('office', 'DELETE', '/calendar/notice-years/2029', {})).status).toBe(400);
    expect((await send('office', 'DELETE', '/calendar/notice-years/2029', { reason: '国务院尚未发布，撤下' })).status).toBe(204);
    expect(await day('2029-02-13')).toMatchObject({ working: true, provisional: true });
    expect((await send('office', 'DELETE', '/calendar/notice-years/2029', { reason: '再删' })).status).toBe(404);
    expect((await send('office', 'PUT', '/calendar/notice-years/abc', corrected)).status).toBe(400);
    const rows = await db.ds.query(`SELECT action, reason FROM audit_log WHERE target_type = 'calendar' AND target_id = '2029' ORDER BY seq`);
    expect(rows).toEqual([
      { action: 'calendar.notice_load', reason: '载入2029年通知' },
      { action: 'calendar.notice_replace', reason: '录入错误，按正式文件更正' },
      { action: 'calendar.notice_remove', reason: '国务院尚未发布，撤下' },
    ]);
  });
});

describe('personal contact data', () => {
  test('mobile numbers and e-mail are read only by the project office and the person themself, wherever a person appears', async () => {
    await db.ds.query(`UPDATE person SET phone = '139' || substr(md5(id::text), 1, 8), email = left(id::text, 8) || '@example.gov.cn'`);
    const withContact = (people: { id: string; phone?: string; email?: string }[]) => people.filter((p) => p.phone !== undefined || p.email !== undefined).map((p) => p.id);
    const staffId = county.unitStaff[1];
    // The people list and one person.
    const everyone = (await as('office').get('/people?pageSize=100')).body.items;
    expect(withContact(everyone).length).toBe(everyone.length);
    for (const user of ['staff', 'county', 'liaison', 'supervision', 'approval']) {
      const list = await as(user).get('/people?pageSize=100');
      expect(list.status).toBe(200);
      const self = (await as(user).get('/auth/me')).body.personId;
      expect(withContact(list.body.items)).toEqual([self]);
    }
    expect((await as('staff').get(`/people/${staffId}`)).body.phone).toMatch(/^139/);
    const other = await as('staff').get(`/people/${county.leader}`);
    expect(other.status).toBe(200);
    expect(other.body).not.toHaveProperty('phone');
    expect(other.body).not.toHaveProperty('email');
    expect(other.body.name).toBe('副县长丙');
    // A project's liaison leaders, in one project and in the list.
    const project = (await as('staff').get(`/projects/${county.projectId}`)).body;
    expect(project.liaisonLeaders.map((l: { id: string }) => l.id)).toContain(county.leader);
    expect(withContact(project.liaisonLeaders)).toEqual([]);
    expect(withContact((await as('liaison').get(`/projects/${county.projectId}`)).body.liaisonLeaders)).toEqual([county.leader]); // themself
    const leadersAs = async (user: string) => (await as(user).get(`/projects?pageSize=100`)).body.items.flatMap((p: { liaisonLeaders: never[] }) => p.liaisonLeaders);
    const allLeaders = await leadersAs('office');
    expect(allLeaders.length).toBeGreaterThan(0);
    expect(withContact(allLeaders).length).toBe(allLeaders.length);
    expect(withContact(await leadersAs('county'))).toEqual([]);
    // Nothing else that returns people leaks them: no answer to a non-office caller holds a phone number.
    for (const path of ['/people?pageSize=100', `/projects/${county.projectId}`, '/projects?pageSize=100', '/blockers?pageSize=100', '/battle-map', '/org-units?pageSize=100']) {
      const r = await as('head').get(path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      const mine = (await db.ds.query(`SELECT phone FROM person WHERE id = $1`, [county.unitStaff[0]]))[0].phone;
      // Whole JSON strings only: the same 11 characters can occur inside a UUID.
      const phones = JSON.stringify(r.body).match(/"139[0-9a-f]{8}"/g) ?? [];
      expect({ path, phones: phones.filter((p) => p !== `"${mine}"`) }).toEqual({ path, phones: [] });
    }
  });
});

describe('audit', () => {
  /** Runs a write with a known request id and returns the audit rows it left. */
  async function audited(run: (requestId: string) => Promise<{ status: number }>, expected: number) {
    const requestId = `req-${Math.random().toString(36).slice(2)}`;
    const [{ last }] = await db.ds.query(`SELECT coalesce(max(seq), 0) AS last FROM audit_log`);
    const r = await run(requestId);
    expect(r.status).toBe(expected);
    const rows = await db.ds.query(`SELECT action, actor_kind, actor_id, request_id FROM audit_log WHERE seq > $1 ORDER BY seq`, [last]);
    return { rows, requestId };
  }
  const send = (user: string | null, method: string, path: string, body?: unknown) => (requestId: string) =>
    fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(user && { authorization: `Bearer ${tokens[user]}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: await res.json().catch(() => null) }));

  test('every write in the API leaves exactly one audit row, with actor, action and request id', async () => {
    const office = county.officer;
    const steps: [string, ReturnType<typeof send>, number, string, string | null][] = [
      ['org_unit.create', send('office', 'POST', '/org-units', { name: '县文旅局', kind: 'department' }), 201, 'person', office],
      ['person.create', send('office', 'POST', '/people', { name: '新人甲', orgUnitId: county.unitId, roles: ['unit_staff'] }), 201, 'person', office],
      [
        'project.create',
        send('office', 'POST', '/projects', {
          code: '2026-341122-48-01-000044',
          name: '审计项目',
          category: 'industry',
          responsibleUnitId: county.unitId,
          owner: 'x',
          totalInvestment: 10,
        }),
        201,
        'person',
        office,
      ],
      ['policy.create', send('office', 'POST', '/escalation-policies', { ...slowPolicy, name: '审计规则' }), 201, 'person', office],
      ['blocker.report', send('staff', 'POST', `/projects/${county.projectId}/blockers`, { category: 'funding', title: '审计问题' }), 201, 'person', county.unitStaff[1]],
      ['auth.login', send(null, 'POST', '/auth/login', { username: 'liaison', password: TEST_PASSWORD }), 200, 'person', county.leader],
      ['auth.login_failed', send(null, 'POST', '/auth/login', { username: 'liaison', password: 'wrong-password-9' }), 401, 'anonymous', null],
    ];
    for (const [action, run, status, kind, actorId] of steps) {
      const { rows, requestId } = await audited(run, status);
      expect({ action, rows }).toEqual({ action, rows: [{ action, actor_kind: kind, actor_id: actorId, request_id: requestId }] });
    }
    const blocker = (await as('staff').get(`/blockers?status=open&pageSize=200`)).body.items.find((b: { title: string }) => b.title === '审计问题');
    const resolved = await audited(send('staff', 'POST', `/blockers/${blocker.id}/resolve`, { resolution: '已解决' }), 200);
    expect(resolved.rows).toEqual([{ action: 'blocker.resolve', actor_kind: 'person', actor_id: county.unitStaff[1], request_id: resolved.requestId }]);
    const person = (await db.ds.query(`SELECT id FROM person WHERE name = '新人甲'`))[0].id;
    const patched = await audited(send('office', 'PATCH', `/people/${person}`, { roles: ['unit_head'], reason: '任命为负责人' }), 200);
    expect(patched.rows.map((r: { action: string }) => r.action)).toEqual(['person.update']);
    const acct = await audited(send('office', 'POST', '/accounts', { personId: person, username: 'xinren' }), 201);
    expect(acct.rows.map((r: { action: string }) => r.action)).toEqual(['account.create']);

    // Account and key administration, and the session writes, each leave one row.
    const acctId = (await db.ds.query(`SELECT id FROM account WHERE username = 'xinren'`))[0].id;
    for (const [action, run, status] of [
      ['account.password_reset', send('office', 'POST', `/accounts/${acctId}/reset-password`, { reason: '忘记密码' }), 200],
      ['account.disable', send('office', 'POST', `/accounts/${acctId}/disable`, { reason: '人员调离' }), 200],
      ['account.enable', send('office', 'POST', `/accounts/${acctId}/enable`, { reason: '返岗' }), 200],
      ['api_key.create', send('office', 'POST', '/api-keys', { name: '审计测试', scopes: ['org:read'] }), 201],
    ] as const) {
      const r = await audited(run, status);
      expect({ action, rows: r.rows.map((x: { action: string; request_id: string }) => [x.action, x.request_id]) }).toEqual({ action, rows: [[action, r.requestId]] });
    }
    const keyId = (await db.ds.query(`SELECT id FROM api_key WHERE name = '审计测试'`))[0].id;
    expect((await audited(send('office', 'POST', `/api-keys/${keyId}/revoke`, { reason: '不再使用' }), 200)).rows.map((x: { action: string }) => x.action)).toEqual([
      'api_key.revoke',
    ]);
    const session = (await http('POST', `${api}/auth/login`, { username: 'liaison', password: TEST_PASSWORD })).body;
    const refresh = await audited(() => http('POST', `${api}/auth/refresh`, { refreshToken: session.refreshToken }), 200);
    expect(refresh.rows.map((x: { action: string }) => x.action)).toEqual(['auth.refresh']);
    const leaving = (await http('POST', `${api}/auth/login`, { username: 'liaison', password: TEST_PASSWORD })).body.accessToken;
    const out = await audited(() => http('POST', `${api}/auth/logout`, undefined, leaving), 204);
    expect(out.rows.map((x: { action: string }) => x.action)).toEqual(['auth.session_revoke']);

    // Refused writes leave no row.
    const refused = await audited(send('staff', 'POST', '/org-units', { name: '不应存在', kind: 'department' }), 403);
    expect(refused.rows).toEqual([]);
    const invalid = await audited(send('office', 'POST', '/org-units', { name: '' }), 400);
    expect(invalid.rows).toEqual([]);

    // Before/after and reason are kept.
    const row = (await db.ds.query(`SELECT before, after, reason FROM audit_log WHERE action = 'person.update' AND target_id = $1`, [person]))[0];
    expect(row).toEqual({ before: expect.objectContaining({ roles: ['unit_staff'] }), after: expect.objectContaining({ roles: ['unit_head'] }), reason: '任命为负责人' });
  });

  test('workflow moves are audited as system; the project office queries by target, actor and time', async () => {
    const id = await blockerAt('liaison');
    const rows = (await as('office').get(`/audit?targetType=blocker&targetId=${id}`)).body.items as { action: string; actorKind: string }[];
    expect(rows.map((r) => `${r.action}:${r.actorKind}`)).toEqual(['blocker.escalate:system', 'blocker.report:person']);
    const byActor = (await as('office').get(`/audit?actorId=${county.unitStaff[1]}&action=blocker.report`)).body;
    expect(byActor.total).toBe(await count('audit_log', `actor_id = $1 AND action = 'blocker.report'`, [county.unitStaff[1]]));
    const future = (await as('office').get(`/audit?from=${new Date(Date.now() + 60_000).toISOString()}`)).body;
    expect(future.total).toBe(0);
    expect((await as('office').get('/audit?from=yesterday')).status).toBe(400);
  });
});
