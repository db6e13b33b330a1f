/**
 * How people are told, as the office and each person set it up, on the real
 * stack (PostgreSQL, the Temporal dev server, the compiled worker and API):
 * contact points, notice settings, channels, preferences and delegation (代理),
 * each route refused to whoever may not use it with nothing changed, every
 * write audited; and the deputy's right to act on the leader's rung, which ends
 * with the delegation and does not chain.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let api: string;
const tokens: Record<string, string> = {};
/** 副县长壬 and 副县长癸: county-level leaders in the committee, liaison for no project here (no rung on its matters of their own). */
let deputy: string;
let deputysDeputy: string;

beforeAll(async () => {
  db = await createTestDatabase('notice_settings');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  const person = async (name: string) =>
    (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,'{liaison_leader}') RETURNING id`, [name, county.committeeId]))[0].id as string;
  deputy = await person('副县长壬');
  deputysDeputy = await person('副县长癸');
  await createAccounts(db.ds, { deputy, chain: deputysDeputy });
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  api = stack.api;
  for (const u of ['head', 'staff', 'liaison', 'county', 'office', 'other', 'deputy', 'chain']) tokens[u] = await loginAs(api, u, TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const as = (user: string) => ({
  get: (path: string) => http('GET', `${api}${path}`, undefined, tokens[user]),
  post: (path: string, body?: unknown) => http('POST', `${api}${path}`, body ?? {}, tokens[user]),
  put: (path: string, body?: unknown) => http('PUT', `${api}${path}`, body ?? {}, tokens[user]),
  patch: (path: string, body?: unknown) => http('PATCH', `${api}${path}`, body ?? {}, tokens[user]),
  delete: (path: string, body?: unknown) => http('DELETE', `${api}${path}`, body ?? {}, tokens[user]),
});
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const count = async (table: string, where = 'TRUE', params: unknown[] = []) => Number((await db.ds.query(`SELECT count(*) FROM ${table} WHERE ${where}`, params))[0].count);
/** Every table these routes (or a refused blocker action) could write to. */
const snapshot = async () =>
  Promise.all([
    db.ds.query(`SELECT id, phone, email, dingtalk_user_id, wecom_user_id, feishu_open_id FROM person ORDER BY id`),
    db.ds.query(`SELECT * FROM notice_settings`),
    db.ds.query(`SELECT * FROM notice_channel ORDER BY id`),
    db.ds.query(`SELECT * FROM notice_preference ORDER BY id`),
    db.ds.query(`SELECT * FROM delegation ORDER BY id`),
    count('blocker_event'),
    count('audit_log'),
  ]);

/** Refused with `status` (403 unless said), a message for people, and nothing changed. */
async function refused(user: string, method: Method, path: string, body?: unknown, status = 403): Promise<{ message: string; messageEn: string; errors?: unknown }> {
  const before = await snapshot();
  const r = await as(user)[method](path, body);
  expect({ user, method, path, status: r.status }).toEqual({ user, method, path, status });
  expect(r.body.message).toEqual(expect.any(String));
  expect(r.body.messageEn).toEqual(expect.any(String));
  expect(await snapshot()).toEqual(before);
  return r.body;
}

const lastAudit = async (action: string, targetId?: string) =>
  (
    await db.ds.query(`SELECT actor_id, action, before, after, reason FROM audit_log WHERE action = $1 ${targetId ? 'AND target_id = $2' : ''} ORDER BY seq DESC LIMIT 1`, [
      action,
      ...(targetId ? [targetId] : []),
    ])
  )[0];

describe('contact points', () => {
  const path = () => `/people/${county.unitStaff[1]}/contact-points`;

  test('the person sets their own; validated; written masked to the audit log; null removes one', async () => {
    const r = await as('staff').put(path(), {
      mobile: '+8613800138000',
      email: 'lly@county.gov.cn',
      dingtalkUserId: 'manager4220',
      feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706',
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      personId: county.unitStaff[1],
      mobile: '13800138000',
      email: 'lly@county.gov.cn',
      dingtalkUserId: 'manager4220',
      wecomUserId: null,
      feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706',
    });
    expect((await as('staff').get(path())).body).toEqual(r.body);
    const audit = await lastAudit('person.contact_points', county.unitStaff[1]);
    expect(audit.actor_id).toBe(county.unitStaff[1]);
    expect(audit.after.mobile).toBe('13*******00');
    expect(JSON.stringify(audit)).not.toContain('13800138000');

    const cleared = await as('office').put(path(), { dingtalkUserId: null, wecomUserId: 'LiLianYuan' });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ mobile: '13800138000', dingtalkUserId: null, wecomUserId: 'LiLianYuan' });
    expect((await lastAudit('person.contact_points', county.unitStaff[1])).actor_id).toBe(county.officer);

    const bad = await refused('staff', 'put', path(), { mobile: '12345678901', email: 'not-an-email', dingtalkUserId: 'has space', feishuOpenId: 'x' }, 400);
    expect((bad.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['dingtalkUserId', 'email', 'feishuOpenId', 'mobile']);
    expect(bad.message).toMatch(/请求参数有误/);
  });

  test('nobody else reads or writes them; the people list hides the new contact fields too', async () => {
    await refused('other', 'get', path());
    await refused('head', 'put', path(), { mobile: '13900000000' });
    await refused('liaison', 'put', path(), { wecomUserId: 'someone' });
    const seenByOther = await as('other').get(`/people/${county.unitStaff[1]}`);
    expect(seenByOther.status).toBe(200);
    for (const f of ['phone', 'email', 'dingtalkUserId', 'wecomUserId', 'feishuOpenId']) expect(seenByOther.body).not.toHaveProperty(f);
    const seenBySelf = await as('staff').get(`/people/${county.unitStaff[1]}`);
    expect(seenBySelf.body).toMatchObject({ phone: '13800138000', wecomUserId: 'LiLianYuan', feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706' });
    expect((await as('office').get(path())).status).toBe(200);
    expect((await as('office').get(`/people/00000000-0000-4000-8000-000000000000/contact-points`)).status).toBe(404);
  });
});

describe('notice settings', () => {
  test('anyone reads them; only the office changes them, with a reason, audited before and after', async () => {
    const got = await as('staff').get('/notice-settings');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ quietStart: '22:00', quietEnd: '07:30', digestAt: '08:30', urgentKinds: [], maxAttempts: 8 });
    expect(got.body.builtInUrgentKinds).toEqual(expect.arrayContaining(['overdue', 'repeat_reminder']));

    await refused('staff', 'put', '/notice-settings', { quietStart: '23:00', reason: '试图修改' });
    await refused('liaison', 'put', '/notice-settings', { quietStart: '23:00', reason: '试图修改' });
    const noReason = await refused('office', 'put', '/notice-settings', { quietStart: '23:00' }, 400);
    expect(JSON.stringify(noReason.errors)).toContain('reason');
    for (const bad of [
      { quietStart: '25:00' },
      { digestAt: '8:30' },
      { urgentKinds: ['nope'] },
      { allowedChannels: ['dingtalk_robot'] },
      { maxAttempts: 51 },
      { maxAttempts: 0 },
    ]) {
      const field = Object.keys(bad)[0];
      const body = await refused('office', 'put', '/notice-settings', { ...bad, reason: '校验' }, 400);
      expect((body.errors as { field: string }[]).map((e) => e.field)).toEqual([field]);
    }
    expect((await refused('office', 'put', '/notice-settings', { quietStart: '07:30', reason: '校验' }, 422)).message).toMatch(/免打扰/);

    const put = await as('office').put('/notice-settings', { quietStart: '21:30', urgentKinds: ['investment_lag'], maxAttempts: 5, reason: '县委要求晚间少打扰' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ quietStart: '21:30', quietEnd: '07:30', urgentKinds: ['investment_lag'], maxAttempts: 5, updatedBy: county.officer });
    const audit = await lastAudit('notice_settings.update');
    expect(audit).toMatchObject({ actor_id: county.officer, reason: '县委要求晚间少打扰' });
    expect(audit.before).toMatchObject({ quietStart: '22:00', maxAttempts: 8, urgentKinds: [] });
    expect(audit.after).toMatchObject({ quietStart: '21:30', maxAttempts: 5, urgentKinds: ['investment_lag'] });
  });
});

describe('channels', () => {
  let received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let receiver: Server;
  let receiverUrl: string;
  beforeAll(async () => {
    // A city platform's end of the generic webhook, on this machine.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/duban`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  const SECRET = 'city-platform-secret-0123456789';

  test('the office alone configures them; settings checked by the adapter; secrets never shown', async () => {
    const webhook = { kind: 'webhook', name: '市重点项目平台', settings: { url: receiverUrl, secret: SECRET }, scope: { rungs: ['county'] } };
    await refused('staff', 'get', '/notice-channels');
    await refused('county', 'post', '/notice-channels', webhook);
    expect((await refused('office', 'post', '/notice-channels', { ...webhook, kind: 'pager' }, 400)).message).toMatch(/kind/);
    expect((await refused('office', 'post', '/notice-channels', { ...webhook, settings: { url: receiverUrl, secret: 'short' } }, 422)).message).toMatch(/secret/);
    expect((await refused('office', 'post', '/notice-channels', { ...webhook, scope: {} }, 422)).message).toMatch(/范围/);
    expect((await refused('office', 'post', '/notice-channels', { ...webhook, scope: { rungs: ['city'] } }, 422)).message).toMatch(/city/);
    const ghost = '00000000-0000-4000-8000-000000000001';
    expect((await refused('office', 'post', '/notice-channels', { ...webhook, scope: { orgUnitIds: [ghost] } }, 422)).message).toContain(ghost);

    const created = await as('office').post('/notice-channels', webhook);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'webhook', name: '市重点项目平台', enabled: true, group: true, scope: { rungs: ['county'] } });
    expect(created.body.settings.url).toBe(receiverUrl);
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    const id = created.body.id as string;
    const listed = await as('office').get('/notice-channels');
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    expect((await db.ds.query(`SELECT settings FROM notice_channel WHERE id = $1`, [id]))[0].settings.secret).toBe(SECRET);
    const createdAudit = await lastAudit('notice_channel.create', id);
    expect(createdAudit.actor_id).toBe(county.officer);
    expect(JSON.stringify(createdAudit)).not.toContain(SECRET);

    // The settings shown, sent back with a new address: the masked secret stays the stored one.
    await refused('staff', 'patch', `/notice-channels/${id}`, { name: 'x', reason: '越权' });
    expect((await refused('office', 'patch', `/notice-channels/${id}`, { name: '市平台' }, 400)).message).toMatch(/reason/);
    const patched = await as('office').patch(`/notice-channels/${id}`, {
      settings: { ...created.body.settings, url: `${receiverUrl}/v2` },
      scope: { rungs: ['county', 'liaison'], orgUnitIds: [county.unitId] },
      reason: '平台地址变更',
    });
    expect({ status: patched.status, body: patched.status === 200 ? null : patched.body }).toEqual({ status: 200, body: null });
    expect(patched.body.scope).toEqual({ rungs: ['county', 'liaison'], orgUnitIds: [county.unitId] });
    expect((await db.ds.query(`SELECT settings FROM notice_channel WHERE id = $1`, [id]))[0].settings).toEqual({ url: `${receiverUrl}/v2`, secret: SECRET });
    expect(await lastAudit('notice_channel.update', id)).toMatchObject({ reason: '平台地址变更', before: { settings: { url: receiverUrl } } });

    // A test message goes through the adapter to the platform, signed.
    received = [];
    await refused('staff', 'post', `/notice-channels/${id}/test`, {});
    const tested = await as('office').post(`/notice-channels/${id}/test`, {});
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0].headers['x-duban-signature']).toEqual(expect.any(String));
    expect(JSON.parse(received[0].body).title).toMatch(/测试/);

    await refused('liaison', 'delete', `/notice-channels/${id}`, { reason: '越权' });
    const disabled = await as('office').delete(`/notice-channels/${id}`, { reason: '平台停用' });
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    expect(await lastAudit('notice_channel.disable', id)).toMatchObject({ reason: '平台停用', after: { enabled: false } });
    await refused('office', 'delete', `/notice-channels/${id}`, { reason: '再次停用' }, 409);
    await refused('office', 'patch', `/notice-channels/00000000-0000-4000-8000-000000000002`, { name: 'x', reason: 'x' }, 404);
  });

  test('a provider account (personal channel): no scope, one enabled per kind, its secret masked', async () => {
    const sms = {
      kind: 'sms',
      name: '阿里云短信',
      settings: { accessKeyId: 'LTAI5tTestKeyId', accessKeySecret: 'sms-secret-value-0123', signName: '某某县重点项目办', templates: { default: 'SMS_460000001' } },
    };
    expect((await refused('office', 'post', '/notice-channels', { ...sms, scope: { rungs: ['county'] } }, 422)).message).toMatch(/个人渠道/);
    expect((await refused('office', 'post', '/notice-channels', { ...sms, settings: { ...sms.settings, templates: {} } }, 422)).message).toMatch(/templates/);
    const created = await as('office').post('/notice-channels', sms);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'sms', group: false, scope: {}, settings: { accessKeyId: 'LTAI5tTestKeyId', accessKeySecret: '******' } });
    expect(JSON.stringify(await as('office').get(`/notice-channels/${created.body.id}`))).not.toContain('sms-secret-value-0123');
    expect((await refused('office', 'post', '/notice-channels', { ...sms, name: '第二个短信账号' }, 409)).message).toMatch(/阿里云短信/);
    // A second account may be kept disabled, and enabled only once the first is disabled.
    const spare = await as('office').post('/notice-channels', { ...sms, name: '备用短信账号', enabled: false });
    expect(spare.status).toBe(201);
    await refused('office', 'patch', `/notice-channels/${spare.body.id}`, { enabled: true, reason: '切换账号' }, 409);
    expect((await as('office').delete(`/notice-channels/${created.body.id}`, { reason: '切换账号' })).status).toBe(200);
    expect((await as('office').patch(`/notice-channels/${spare.body.id}`, { enabled: true, reason: '切换账号' })).body.enabled).toBe(true);
  });
});

describe('preferences', () => {
  const own = () => `/people/${county.unitStaff[1]}/notice-preferences`;
  const effective = (body: { effective: { kind: string }[] }, kind: string) => body.effective.find((e) => e.kind === kind);

  test('built in, then the office’s default, then the person’s own, on the channels the office allows and the person is reachable on', async () => {
    expect(
      (await as('office').put('/notice-settings', { allowedChannels: ['dingtalk_work', 'sms', 'email'], urgentKinds: ['investment_lag'], reason: '暂不开通企业微信' })).status,
    ).toBe(200);
    // Provider accounts enabled (their settings are the channel tests' business), and the person's contact points.
    await db.ds.query(`INSERT INTO notice_channel (kind, name, settings) VALUES ('dingtalk_work','政务钉钉','{}'), ('sms','阿里云短信','{}'), ('email','县政府邮箱','{}')`);
    expect((await as('staff').put(`/people/${county.unitStaff[1]}/contact-points`, { mobile: '13800138000', email: 'lly@county.gov.cn', dingtalkUserId: 'lly01' })).status).toBe(
      200,
    );
    const first = await as('staff').get(own());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ allowedChannels: ['dingtalk_work', 'sms', 'email'], reachableChannels: ['dingtalk_work', 'sms', 'email'] });
    // Built in: a normal kind on the first reachable channel, an urgent one on all.
    expect(effective(first.body, 'escalation')).toEqual({ kind: 'escalation', channels: ['dingtalk_work'], digest: false, source: 'built_in', urgent: false });
    expect(effective(first.body, 'overdue')).toEqual({ kind: 'overdue', channels: ['dingtalk_work', 'sms', 'email'], digest: false, source: 'built_in', urgent: true });

    await refused('staff', 'get', '/notice-preferences/defaults');
    await refused('staff', 'put', '/notice-preferences/defaults', { preferences: [], reason: '越权' });
    const defaults = await as('office').put('/notice-preferences/defaults', {
      preferences: [
        { kind: 'escalation', channels: ['dingtalk_work', 'sms'] },
        { kind: 'progress', channels: ['dingtalk_work'], digest: true },
      ],
      reason: '全县统一默认',
    });
    expect(defaults.status).toBe(200);
    expect(defaults.body.chosen).toHaveLength(2);
    expect(await lastAudit('notice_preference.defaults')).toMatchObject({
      actor_id: county.officer,
      reason: '全县统一默认',
      after: { escalation: { channels: ['dingtalk_work', 'sms'] } },
    });

    const mine = await as('staff').put(own(), { preferences: [{ kind: 'progress', channels: ['email'], digest: false }] });
    expect(mine.status).toBe(200);
    expect(effective(mine.body, 'escalation')).toMatchObject({ channels: ['dingtalk_work', 'sms'], source: 'org_default' });
    expect(effective(mine.body, 'progress')).toMatchObject({ channels: ['email'], digest: false, source: 'own' });
    expect(effective(mine.body, 'resolved')).toMatchObject({ channels: ['dingtalk_work'], source: 'built_in' });
    expect(mine.body.chosen).toEqual([{ kind: 'progress', channels: ['email'], digest: false }]);
    expect((await lastAudit('notice_preference.update', county.unitStaff[1])).actor_id).toBe(county.unitStaff[1]);
    // Without a DingTalk id the person is not reachable there: the default's other channel remains.
    expect((await as('staff').put(`/people/${county.unitStaff[1]}/contact-points`, { dingtalkUserId: null })).status).toBe(200);
    expect(effective((await as('staff').get(own())).body, 'escalation')).toMatchObject({ channels: ['sms'], source: 'org_default' });

    // Outside what the office allows: refused, saying what is allowed.
    const notAllowed = await refused('staff', 'put', own(), { preferences: [{ kind: 'reminder', channels: ['wecom_app'] }] }, 422);
    expect(notAllowed.message).toMatch(/wecom_app/);
    expect(notAllowed.message).toMatch(/dingtalk_work/);
    // Urgent kinds, built in and the office's own, never wait for the digest.
    expect((await refused('staff', 'put', own(), { preferences: [{ kind: 'overdue', channels: ['sms'], digest: true }] }, 422)).message).toMatch(/紧急/);
    expect(
      (await refused('office', 'put', '/notice-preferences/defaults', { preferences: [{ kind: 'investment_lag', channels: [], digest: true }], reason: 'x' }, 422)).message,
    ).toMatch(/investment_lag/);
    await refused('staff', 'put', own(), { preferences: [{ kind: 'nope', channels: [] }] }, 400);
    await refused(
      'staff',
      'put',
      own(),
      {
        preferences: [
          { kind: 'reminder', channels: ['sms'] },
          { kind: 'reminder', channels: [] },
        ],
      },
      422,
    );
    await refused('other', 'put', own(), { preferences: [] });
    await refused('other', 'get', own());

    // The office narrows what is allowed: a choice outside it no longer applies.
    expect((await as('office').put('/notice-settings', { allowedChannels: ['dingtalk_work', 'sms'], reason: '邮件通道维护' })).status).toBe(200);
    expect(effective((await as('staff').get(own())).body, 'progress')).toMatchObject({ channels: [], source: 'own' });
  });
});

describe('delegation (代理) and the deputy’s right to act', () => {
  const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  let policySeq = 0;

  /** A matter on the liaison leader's rung: reported by the office, moved up at once by the unit head. */
  async function matterAtLiaison(): Promise<string> {
    const policy = await as('office').post('/escalation-policies', {
      name: `slow-${++policySeq}`,
      severity: 'normal',
      automatic: false,
      rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: 'P30D' })),
    });
    expect(policy.status).toBe(201);
    const b = await as('office').post(`/projects/${county.projectId}/blockers`, { category: 'funding', title: `资金缺口 ${policySeq}`, policyId: policy.body.id });
    expect(b.status).toBe(201);
    const up = await as('head').post(`/blockers/${b.body.id}/escalate`, { reason: '已多次协调，需包联领导协调' });
    expect(up.status).toBe(200);
    expect(up.body.rung).toBe('liaison');
    return b.body.id;
  }

  test('who may name a deputy, and for how long', async () => {
    const path = `/people/${county.leader}/delegations`;
    const ok = { deputyId: deputy, startsAt: hours(0), endsAt: hours(24 * 7), reason: '赴省委党校学习' };
    await refused('other', 'post', path, ok);
    await refused('deputy', 'post', path, ok);
    expect((await refused('liaison', 'post', path, { ...ok, deputyId: county.leader }, 422)).message).toMatch(/本人/);
    expect((await refused('liaison', 'post', path, { ...ok, endsAt: ok.startsAt }, 422)).message).toMatch(/晚于开始/);
    expect((await refused('liaison', 'post', path, { ...ok, startsAt: hours(-48), endsAt: hours(-24) }, 422)).message).toMatch(/晚于当前/);
    expect((await refused('liaison', 'post', path, { ...ok, endsAt: hours(24 * 91) }, 422)).message).toMatch(/90/);
    await refused('liaison', 'post', path, { ...ok, startsAt: 'tomorrow' }, 400);
    await refused('liaison', 'post', path, { ...ok, reason: '' }, 400);
    await refused('liaison', 'post', path, { ...ok, deputyId: '00000000-0000-4000-8000-000000000003' }, 404);
    await refused('staff', 'get', '/delegations?active=true');
    await refused('other', 'get', path);
  });

  test('a deputy acknowledges on the leader’s rung during the delegation, recorded as deputy for; refused once it is revoked', async () => {
    const matter = await matterAtLiaison();
    // Without a delegation the deputy has no rung on it and does not even see it.
    await refused('deputy', 'post', `/blockers/${matter}/acknowledge`);

    const created = await as('liaison').post(`/people/${county.leader}/delegations`, { deputyId: deputy, startsAt: hours(-1), endsAt: hours(24 * 7), reason: '赴省委党校学习' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ personId: county.leader, deputyId: deputy, deputyName: '副县长壬', status: 'active' });
    const delegation = created.body.id as string;
    expect(await lastAudit('delegation.create', delegation)).toMatchObject({ actor_id: county.leader, reason: '赴省委党校学习', after: { deputyId: deputy } });

    // No overlap for the same person, no chaining either way.
    expect(
      (await refused('office', 'post', `/people/${county.leader}/delegations`, { deputyId: deputysDeputy, startsAt: hours(24), endsAt: hours(48), reason: '重叠' }, 409)).message,
    ).toMatch(/已有代理/);
    expect(
      (await refused('deputy', 'post', `/people/${deputy}/delegations`, { deputyId: deputysDeputy, startsAt: hours(24), endsAt: hours(48), reason: '传递' }, 409)).message,
    ).toMatch(/不传递/);
    expect(
      (await refused('chain', 'post', `/people/${deputysDeputy}/delegations`, { deputyId: county.leader, startsAt: hours(24), endsAt: hours(48), reason: '请假' }, 409)).message,
    ).toMatch(/不传递/);

    const mine = await as('liaison').get(`/people/${county.leader}/delegations`);
    expect(mine.body.given.map((d: { id: string }) => d.id)).toEqual([delegation]);
    expect((await as('deputy').get(`/people/${deputy}/delegations`)).body.received.map((d: { id: string }) => d.id)).toEqual([delegation]);
    expect((await as('office').get('/delegations?active=true')).body.items.map((d: { id: string }) => d.id)).toEqual([delegation]);

    const ack = await as('deputy').post(`/blockers/${matter}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedBy).toContain(deputy);
    // Meanwhile the deputy sees the leader's matters, in the list too.
    const ids = async () => (await as('deputy').get('/blockers?pageSize=200')).body.items.map((b: { id: string }) => b.id);
    expect(await ids()).toContain(matter);
    const [event] = await db.ds.query(`SELECT actor, actor_name, details FROM blocker_event WHERE blocker_id = $1 AND type = 'acknowledged'`, [matter]);
    expect(event).toEqual({ actor: deputy, actor_name: '副县长壬（代副县长丙）', details: { deputyFor: { personId: county.leader, name: '副县长丙', delegationId: delegation } } });
    const audit = await lastAudit('blocker.acknowledged', matter);
    expect(audit.actor_id).toBe(deputy);
    expect(audit.after.deputyFor).toEqual({ personId: county.leader, name: '副县长丙', delegationId: delegation });

    // Revoked by the leader (not by the deputy), with a reason: the deputy's right ends at once.
    await refused('deputy', 'delete', `/delegations/${delegation}`, { reason: '不想代理' });
    await refused('liaison', 'delete', `/delegations/${delegation}`, {}, 400);
    const revoked = await as('liaison').delete(`/delegations/${delegation}`, { reason: '提前返岗' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect(await lastAudit('delegation.revoke', delegation)).toMatchObject({
      actor_id: county.leader,
      reason: '提前返岗',
      before: { status: 'active' },
      after: { status: 'revoked' },
    });
    await refused('liaison', 'delete', `/delegations/${delegation}`, { reason: '再次撤销' }, 409);
    await refused('deputy', 'post', `/blockers/${matter}/progress`, { text: '代为反馈' });
    await refused('deputy', 'get', `/blockers/${matter}`);
    expect(await ids()).toEqual([]);
    expect((await as('office').get('/delegations?active=true')).body.items).toEqual([]);
  });

  test('a deputy is refused after the delegation’s end time, and a deputy’s deputy never', async () => {
    const matter = await matterAtLiaison();
    const created = await as('office').post(`/people/${county.leader}/delegations`, { deputyId: deputy, startsAt: hours(-1), endsAt: hours(2), reason: '出差' });
    expect(created.status).toBe(201);
    // The period passes (moved back in the database, so the test need not wait for the clock).
    await db.ds.query(`UPDATE delegation SET starts_at = now() - interval '3 hours', ends_at = now() - interval '1 second' WHERE id = $1`, [created.body.id]);
    expect((await as('office').get(`/people/${county.leader}/delegations`)).body.given.find((d: { id: string }) => d.id === created.body.id).status).toBe('ended');
    await refused('deputy', 'post', `/blockers/${matter}/acknowledge`);
    await refused('office', 'delete', `/delegations/${created.body.id}`, { reason: '已结束' }, 409);

    // A chain written straight into the database (the API refuses to make one): 丙 → 壬 → 癸.
    await db.ds.query(
      `INSERT INTO delegation (person_id, deputy_id, starts_at, ends_at, reason) VALUES ($1,$2,now() - interval '1 hour', now() + interval '1 day','出差'),
         ($2,$3,now() - interval '1 hour', now() + interval '1 day','出差')`,
      [county.leader, deputy, deputysDeputy],
    );
    await refused('chain', 'post', `/blockers/${matter}/acknowledge`);
    await refused('chain', 'get', `/blockers/${matter}`);
    // The leader's own deputy still may: the chain beyond them gives nothing.
    const ack = await as('deputy').post(`/blockers/${matter}/acknowledge`);
    expect(ack.status).toBe(200);
    await eventually(
      'the acknowledgement recorded',
      async () => (await count('blocker_event', `blocker_id = $1 AND type = 'acknowledged' AND details ? 'deputyFor'`, [matter])) === 1,
    );
    // The leader keeps their own right throughout.
    expect((await as('liaison').post(`/blockers/${matter}/acknowledge`)).status).toBe(200);
    const [own] = await db.ds.query(`SELECT actor_name, details FROM blocker_event WHERE blocker_id = $1 AND type = 'acknowledged' AND actor = $2`, [matter, county.leader]);
    expect(own).toEqual({ actor_name: '副县长丙', details: {} });
  });
});
