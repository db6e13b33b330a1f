/**
 * The full ladder over HTTP, as people use it, on the real stack: a leader's
 * day (inbox, a matter, acknowledge, grant an extension, resolve), every
 * action allowed and refused with nothing changed, the blockers list with its
 * filters and colours, policies edited and applied, and a calendar change
 * moving open matters' due times.
 */
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let api: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('ladder');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  api = stack.api;
  for (const u of ['head', 'staff', 'liaison', 'county', 'office', 'supervision', 'other']) tokens[u] = await loginAs(api, u, TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const as = (user: string) => ({
  get: (path: string) => http('GET', `${api}${path}`, undefined, tokens[user]),
  post: (path: string, body: unknown = {}) => http('POST', `${api}${path}`, body, tokens[user]),
  patch: (path: string, body: unknown = {}) => http('PATCH', `${api}${path}`, body, tokens[user]),
});
const HOUR = 3_600_000;
let seq = 0;

/** A blocker on the small county's project under a fresh policy of hours. */
async function report(rungs: unknown[] = ['PT5H', 'PT5H', 'PT5H'], extra: object = {}) {
  const policy = await as('office').post('/escalation-policies', {
    name: `p${++seq}`,
    severity: 'normal',
    automatic: false,
    repeatEvery: 'PT1H',
    reopenWithin: 'P3D',
    rungs: ['unit', 'liaison', 'county'].map((rung, i) => ({ rung, responseTime: rungs[i] })),
  });
  expect(policy.status).toBe(201);
  const b = await as('office').post(`/projects/${county.projectId}/blockers`, { category: 'relocation', title: `问题${seq}`, policyId: policy.body.id, ...extra });
  expect(b.status).toBe(201);
  return { id: b.body.id as string, policyId: policy.body.id as string, blocker: b.body };
}

const state = async (id: string) =>
  (await db.ds.query(`SELECT status, rung, due_at, responsible_unit_id, acknowledged_by, extension, last_seq FROM blocker WHERE id = $1`, [id]))[0];

/** Refused with `status`, the reason in Chinese, and nothing changed in the read model. */
async function refused(user: string, path: string, body: unknown, status: number, why: RegExp, id: string) {
  const before = await state(id);
  const audit = Number((await db.ds.query(`SELECT count(*) FROM audit_log`))[0].count);
  const r = await as(user).post(path, body);
  expect({ path, user, status: r.status, message: r.body.message }).toEqual({ path, user, status, message: expect.stringMatching(why) });
  expect(await state(id)).toEqual(before);
  expect(Number((await db.ds.query(`SELECT count(*) FROM audit_log`))[0].count)).toBe(audit);
}

test('a leader’s day: the inbox, a matter, acknowledge, grant an extension, resolve', async () => {
  const { id } = await report(['PT5H', 'PT5H', 'PT5H']);
  // The unit asks for more time; the liaison leader finds the request in the inbox.
  const until = new Date(Date.now() + 8 * HOUR).toISOString();
  expect((await as('staff').post(`/blockers/${id}/acknowledge`)).status).toBe(200);
  expect((await as('staff').post(`/blockers/${id}/extension-request`, { until, reason: '等待征收评估报告' })).status).toBe(200);
  const inbox = (await as('liaison').get(`/people/${county.leader}/notices?unreadOnly=true`)).body.items as { blockerId: string; kind: string; body: string }[];
  const request = inbox.find((n) => n.blockerId === id && n.kind === 'extension_requested')!;
  expect(request.body).toMatch(/申请将办理时限延至/);
  const matter = (await as('liaison').get(`/blockers/${id}`)).body;
  expect(matter).toMatchObject({ status: 'open', rung: 'unit', colour: 'green', extension: { until, reason: '等待征收评估报告' } });
  expect(matter.events.map((e: { type: string }) => e.type)).toEqual(['reported', 'acknowledged', 'extension_requested']);
  const granted = await as('liaison').post(`/blockers/${id}/extension-request/grant`, { reason: '同意，请按期完成' });
  expect(granted.status).toBe(200);
  expect(granted.body).toMatchObject({ dueAt: until, extension: null });
  const resolved = await as('staff').post(`/blockers/${id}/resolve`, { resolution: '已签订补偿协议，完成腾退' });
  expect(resolved.body).toMatchObject({ status: 'resolved', resolution: '已签订补偿协议，完成腾退', resolvedBy: county.unitStaff[1] });
  const reporterInbox = (await as('office').get(`/people/${county.officer}/notices`)).body.items as { blockerId: string; kind: string }[];
  expect(reporterInbox.filter((n) => n.blockerId === id).map((n) => n.kind)).toContain('resolved');
});

test('each action over HTTP: allowed for the right people, refused (403 / 409 / 422) for others, with nothing changed', async () => {
  const { id } = await report();
  await refused('liaison', `/blockers/${id}/acknowledge`, {}, 403, /只有责任单位层级人员可以签收/, id);
  await refused('staff', `/blockers/${id}/escalate`, { reason: '' }, 400, /请求参数有误/, id);
  await refused('other', `/blockers/${id}/progress`, { text: '越权' }, 403, /无权查看或办理该项目/, id);
  await refused('supervision', `/blockers/${id}/resolve`, { resolution: '督查室办结' }, 403, /此功能仅限/, id);
  await refused('staff', `/blockers/${id}/transfer`, { toUnitId: county.townshipId, reason: '属地' }, 403, /转办/, id);
  await refused('liaison', `/blockers/${id}/extension-request/grant`, { reason: '同意' }, 409, /没有待审批的延期申请/, id);
  await refused('staff', `/blockers/${id}/extension-request`, { until: new Date(Date.now() + HOUR).toISOString(), reason: '早于时限' }, 422, /晚于当前时限/, id);
  await refused('liaison', `/blockers/${id}/transfer`, { toUnitId: '00000000-0000-4000-8000-000000000000', reason: 'x' }, 404, /不存在/, id);

  expect((await as('supervision').post(`/blockers/${id}/remind`, { text: '请今天反馈' })).status).toBe(200);
  expect((await as('head').post(`/blockers/${id}/progress`, { text: '已约谈' })).status).toBe(200);
  const moved = await as('liaison').post(`/blockers/${id}/transfer`, { toUnitId: county.townshipId, reason: '征迁由属地负责' });
  expect(moved.body).toMatchObject({ responsibleUnitId: county.townshipId, rung: 'unit' });
  const up = await as('office').post(`/blockers/${id}/escalate`, { reason: '乡镇协调未果，需包联领导协调' });
  expect(up.body.rung).toBe('liaison');
  const escalated = up.body.events.find((e: { type: string }) => e.type === 'escalated');
  expect(escalated.documentNo).toMatch(/^督办〔\d{4}〕\d+号$/);
  await refused('staff', `/blockers/${id}/resolve`, { resolution: '越级' }, 403, /只有该层级及以上人员可以办结/, id);
  expect((await as('liaison').post(`/blockers/${id}/resolve`, { resolution: '已协调' })).status).toBe(200);
  await refused('liaison', `/blockers/${id}/progress`, { text: '补充' }, 409, /已办结/, id);
  await refused('head', `/blockers/${id}/reopen`, { reason: '未落实' }, 403, /报告人或更高层级/, id);
  const reopened = await as('office').post(`/blockers/${id}/reopen`, { reason: '补偿款未到位' }); // the reporter
  expect(reopened.body).toMatchObject({ status: 'open', rung: 'liaison', resolution: null });
  const types = (await as('office').get(`/blockers/${id}`)).body.events.map((e: { type: string }) => e.type);
  expect(types).toEqual(['reported', 'remind', 'progress', 'transferred', 'escalated', 'resolved', 'reopened']);
  // Each action by a person: one audit row with its request id.
  const audit = await db.ds.query(`SELECT action, actor_kind FROM audit_log WHERE target_id = $1 ORDER BY seq`, [id]);
  expect(audit.map((a: { action: string }) => a.action)).toEqual([
    'blocker.report',
    'blocker.remind',
    'blocker.progress',
    'blocker.transferred',
    'blocker.escalate',
    'blocker.resolve',
    'blocker.reopened',
  ]);
});

test('the blockers list: by unit, rung, category, colour and due time, sorted and paginated', async () => {
  const red = await report(['PT1S', 'PT1S', 'PT1S']); // overdue at the top within seconds
  const yellow = await report([{ unit: 'duration', iso: 'PT10H' }, 'PT10H', 'PT10H']);
  await db.ds.query(`UPDATE blocker SET warn_at = now() - interval '1 minute' WHERE id = $1`, [yellow.id]); // as if in its warning window
  const green = await report(['P20D', 'P20D', 'P20D']);
  await eventually('red at the top', async () => (await state(red.id)).rung === 'county' && (await as('office').get(`/blockers/${red.id}`)).body.overdueAtTop);
  const ids = async (q: string) => ((await as('office').get(`/blockers?pageSize=200&${q}`)).body.items as { id: string }[]).map((b) => b.id);
  expect(await ids('colour=red')).toContain(red.id);
  expect(await ids('colour=red')).not.toContain(green.id);
  expect(await ids('colour=yellow')).toEqual(expect.arrayContaining([yellow.id]));
  expect(await ids('colour=green')).toContain(green.id);
  expect(await ids('rung=county&status=open')).toContain(red.id);
  expect(await ids(`unitId=${county.unitId}&dueBefore=${new Date(Date.now() + 15 * 86_400_000).toISOString()}`)).not.toContain(green.id);
  const page = (await as('office').get('/blockers?status=open&sort=dueAt&order=desc&pageSize=2&page=1')).body;
  expect(page.items).toHaveLength(2);
  expect(Date.parse(page.items[0].dueAt)).toBeGreaterThanOrEqual(Date.parse(page.items[1].dueAt));
  expect(page.items[0].colour).toEqual(expect.stringMatching(/green|yellow|red/));
  expect((await as('office').get('/blockers?colour=purple')).status).toBe(400);
  expect(await ids('category=funding')).not.toContain(green.id);
});

test('policies: edited as a new version for new matters, applied to open ones on purpose, audited per matter', async () => {
  const { id, policyId } = await report(['PT5H', 'PT5H', 'PT5H']);
  const edit = await as('office').patch(`/escalation-policies/${policyId}`, {
    rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: { unit: 'workingDays', amount: 2 } })),
    reason: '改为工作日',
  });
  expect(edit.body).toMatchObject({ version: 2 });
  expect((await state(id)).due_at).toEqual((await state(id)).due_at); // unchanged until applied
  const dueBefore = (await state(id)).due_at.getTime();
  expect((await as('county').post(`/escalation-policies/${policyId}/apply`, { reason: 'x' })).status).toBe(403);
  const applied = await as('office').post(`/escalation-policies/${policyId}/apply`, { reason: '统一按新规则计算时限' });
  // A background job: answered at once, its progress readable (by the project office only).
  expect(applied.status).toBe(202);
  expect(applied.body).toMatchObject({ id: expect.any(String), kind: 'policy_apply', policyId });
  await eventually('policy job done', async () => (await as('office').get(`/background-jobs/${applied.body.id}`)).body.status === 'done');
  expect((await as('office').get(`/background-jobs/${applied.body.id}`)).body).toMatchObject({ total: 1, done: 1, failed: 0, failures: [] });
  expect((await as('county').get(`/background-jobs/${applied.body.id}`)).status).toBe(403);
  expect((await as('office').get('/background-jobs')).body.items.map((j: { id: string }) => j.id)).toContain(applied.body.id);
  expect((await state(id)).due_at.getTime()).not.toBe(dueBefore);
  expect((await db.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'blocker.policy_applied'`, [id]))[0].n).toBe(1);
  const bad = await as('office').post('/escalation-policies', { name: '坏规则', severity: 'normal', rungs: [{ rung: 'unit', responseTime: { unit: 'workingDays', amount: 0 } }] });
  expect(bad.status).toBe(400);
});

test('a calendar change by the project office moves open matters’ working-day due times', async () => {
  const { id } = await report([{ unit: 'workingDays', amount: 1 }, 'PT5H', 'PT5H']);
  const due = (await state(id)).due_at as Date;
  const dueDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(due);
  expect((await as('county').post('/calendar/amendments', { date: dueDay, kind: 'off', note: '县庆', reason: '县庆放假' })).status).toBe(403);
  const r = await as('office').post('/calendar/amendments', { date: dueDay, kind: 'off', note: '县庆放假一天', reason: '县政府通知' });
  expect(r.status).toBe(201);
  expect(r.body.recomputeJobId).toEqual(expect.any(String));
  await eventually('due time recomputed', async () => ((await state(id)).due_at as Date).getTime() > due.getTime());
  await eventually('calendar job done', async () => (await as('office').get(`/background-jobs/${r.body.recomputeJobId}`)).body.status === 'done');
  const job = (await as('office').get(`/background-jobs/${r.body.recomputeJobId}`)).body;
  expect(job).toMatchObject({ kind: 'calendar_recompute', failed: 0 });
  expect(job.done).toBe(job.total);
  expect(job.total).toBeGreaterThanOrEqual(1);
  const events = (await as('office').get(`/blockers/${id}`)).body.events.map((e: { type: string }) => e.type);
  expect(events).toContain('due_recomputed');
  expect((await as('office').post('/calendar/amendments', { date: dueDay, kind: 'off', note: '再次', reason: 'x' })).status).toBe(409);
  const days = (await as('staff').get(`/calendar/days?from=2026-10-01&to=2026-10-10`)).body as { date: string; working: boolean }[];
  expect(days.filter((d) => d.working).map((d) => d.date)).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
  expect((await as('staff').get('/calendar/due?from=2026-09-30T02:00:00Z&workingDays=3')).body).toEqual({ dueAt: '2026-10-10T10:00:00.000Z', provisional: false });
});

test('the top rung meets: matters on the top rung are on the next meeting’s agenda; each decision is a matter until closed off', async () => {
  const top = await report(['PT1S', 'PT1S', 'P10D']);
  await eventually('on the top rung', async () => (await state(top.id)).rung === 'county');
  expect((await as('county').post('/meetings', { title: 'x', scheduledAt: new Date().toISOString() })).status).toBe(403);
  const meeting = await as('office').post('/meetings', { title: '重点项目征迁专题协调会', scheduledAt: new Date(Date.now() + 86_400_000).toISOString() });
  expect(meeting.status).toBe(201);
  const planned = (await as('county').get(`/meetings/${meeting.body.id}`)).body;
  expect(planned.agenda.map((a: { id: string }) => a.id)).toContain(top.id);

  const dueAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const decided = await as('office').post(`/meetings/${meeting.body.id}/decisions`, {
    text: '由城关镇牵头，7日内完成3户签约',
    ownerUnitId: county.townshipId,
    dueAt,
    sourceBlockerId: top.id,
  });
  expect(decided.status).toBe(201);
  const matter = decided.body.decisionBlocker;
  expect(matter).toMatchObject({ category: 'decision', responsibleUnitId: county.townshipId, rung: 'unit', dueAt, status: 'open' });
  const closed = await as('office').post(`/meetings/${meeting.body.id}/close`, { minutes: '会议研究了征迁问题，形成1项议定事项' });
  expect(closed.body.status).toBe('held');
  const held = (await as('office').get(`/meetings/${meeting.body.id}`)).body;
  expect(held.agenda.map((a: { id: string }) => a.id)).toContain(top.id);
  expect(held.decisions).toEqual([expect.objectContaining({ decisionBlockerId: matter.id, ownerUnitName: '城关镇', status: 'open' })]);
  expect((await as('office').post(`/meetings/${meeting.body.id}/close`, { minutes: '再次' })).status).toBe(409);
  // Closed off (销号) by resolving the decision's matter.
  expect((await as('office').post(`/blockers/${matter.id}/resolve`, { resolution: '3户均已签约，销号' })).status).toBe(200);
  expect((await as('office').get(`/meetings/${meeting.body.id}`)).body.decisions[0].status).toBe('resolved');
});

test('a ladder of its own: a city rung above the county, resolved from a role, climbed by a policy on that ladder', async () => {
  const cityLeader = (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ('市督查专员', $1, '{county_leader}') RETURNING id`, [county.committeeId]))[0].id;
  const ladder = await as('office').post('/ladders', {
    name: '市级督办层级',
    rungs: [
      { key: 'unit', name: { zh: '责任单位', en: 'responsible unit' }, members: { kind: 'responsible_unit' } },
      { key: 'liaison', name: { zh: '包联领导', en: 'liaison leader' }, members: { kind: 'project_liaison' } },
      { key: 'county', name: { zh: '县委县政府', en: 'county committee' }, members: { kind: 'county_committee' } },
      { key: 'city', name: { zh: '市委市政府', en: 'city committee' }, members: { kind: 'people', personIds: [cityLeader] } },
    ],
  });
  expect(ladder.status).toBe(201);
  const badPolicy = await as('office').post('/escalation-policies', {
    name: '三级',
    severity: 'normal',
    automatic: false,
    ladderId: ladder.body.id,
    rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: 'PT1S' })),
  });
  expect(badPolicy.status).toBe(422); // a policy sets a time for each of its ladder's rungs
  const policy = await as('office').post('/escalation-policies', {
    name: '市级四级',
    severity: 'normal',
    automatic: false,
    ladderId: ladder.body.id,
    rungs: ['unit', 'liaison', 'county', 'city'].map((rung) => ({ rung, responseTime: rung === 'city' ? 'P10D' : 'PT1S' })),
  });
  const b = await as('office').post(`/projects/${county.projectId}/blockers`, { category: 'planning', title: '规划调整需市级审批', policyId: policy.body.id });
  await eventually('on the city rung', async () => (await state(b.body.id)).rung === 'city');
  const last = (await as('office').get(`/blockers/${b.body.id}`)).body.events.at(-1);
  const [notice] = await db.ds.query(
    `SELECT recipient_id, kind, body FROM notice n JOIN blocker_event e ON e.id = n.event_id WHERE e.blocker_id = $1 AND e.seq = $2 AND n.kind = 'escalation'`,
    [b.body.id, last.seq],
  );
  expect(notice).toMatchObject({ recipient_id: cityLeader, kind: 'escalation', body: expect.stringContaining('现提级至市委市政府督办') });
  // The project office may act anywhere; a county leader is below the city rung now.
  expect((await as('county').post(`/blockers/${b.body.id}/resolve`, { resolution: '县里办结' })).status).toBe(403);
  expect((await as('office').post(`/blockers/${b.body.id}/resolve`, { resolution: '市级批复已下达' })).status).toBe(200);
});

test('a ladder edited by the project office: members changed with a reason, audited once per key; open matters keep the ladder they were opened with', async () => {
  const person = async (name: string) =>
    (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1, $2, '{county_leader}') RETURNING id`, [name, county.committeeId]))[0].id as string;
  const [before, after] = [await person('原督办专员'), await person('新督办专员')];
  const rungs = (top: string) => [
    { key: 'unit', name: { zh: '责任单位', en: 'responsible unit' }, members: { kind: 'responsible_unit' } },
    { key: 'special', name: { zh: '专员督办', en: 'special envoy' }, members: { kind: 'people', personIds: [top] } },
  ];
  const ladder = (await as('office').post('/ladders', { name: '专员督办层级', rungs: rungs(before) })).body;
  const policy = await as('office').post('/escalation-policies', {
    name: '专员两级',
    severity: 'normal',
    automatic: false,
    ladderId: ladder.id,
    rungs: ['unit', 'special'].map((rung) => ({ rung, responseTime: 'P10D' })),
  });
  expect(policy.status).toBe(201);
  const open = async (title: string) =>
    (await as('office').post(`/projects/${county.projectId}/blockers`, { category: 'planning', title, policyId: policy.body.id })).body.id as string;
  const opened = await open('编辑前立项的问题');

  // Refused, and nothing changed: not the office, no reason, a rule nobody knows, someone who does not exist, rung keys a policy relies on.
  const edit = { rungs: rungs(after), reason: '专员岗位调整' };
  const audits = async () => Number((await db.ds.query(`SELECT count(*) FROM audit_log WHERE target_id = $1`, [ladder.id]))[0].count);
  expect((await as('county').patch(`/ladders/${ladder.id}`, edit)).status).toBe(403);
  const noReason = await as('office').patch(`/ladders/${ladder.id}`, { rungs: rungs(after) });
  expect([noReason.status, noReason.body.message]).toEqual([400, expect.stringMatching(/reason/)]);
  const badKind = await as('office').patch(`/ladders/${ladder.id}`, { ...edit, rungs: [rungs(after)[0], { ...rungs(after)[1], members: { kind: 'everyone' } }] });
  expect([badKind.status, badKind.body.message]).toEqual([422, expect.stringMatching(/^第2级（special）：成员规则须为以下之一/)]);
  const ghost = await as('office').patch(`/ladders/${ladder.id}`, { ...edit, rungs: rungs('00000000-0000-4000-8000-000000000000') });
  expect([ghost.status, ghost.body.message]).toEqual([422, expect.stringMatching(/^没有这些人员/)]);
  const renamed = await as('office').patch(`/ladders/${ladder.id}`, { ...edit, rungs: [rungs(after)[0], { ...rungs(after)[1], key: 'envoy' }] });
  expect([renamed.status, renamed.body.message]).toEqual([409, expect.stringMatching(/专员两级.*unit → special/)]);
  expect(await audits()).toBe(1); // the creation only

  // The edit, sent twice with one Idempotency-Key: one change, one audit row, the answer replayed.
  const send = () =>
    fetch(`${api}/ladders/${ladder.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.office}`, 'idempotency-key': `ladder-edit-${ladder.id}` },
      body: JSON.stringify(edit),
    });
  const first = await send();
  const again = await send();
  expect([first.status, again.status, again.headers.get('idempotency-replayed')]).toEqual([200, 200, 'true']);
  expect(((await first.json()) as { rungs: { members: unknown }[] }).rungs[1].members).toEqual({ kind: 'people', personIds: [after] });
  const [audit] = await db.ds.query(`SELECT action, actor_id, reason, before, after FROM audit_log WHERE target_id = $1 AND action = 'ladder.update'`, [ladder.id]);
  expect(audit).toMatchObject({ action: 'ladder.update', actor_id: county.officer, reason: '专员岗位调整' });
  expect([audit.before.rungs[1].members.personIds, audit.after.rungs[1].members.personIds]).toEqual([[before], [after]]);
  expect(await audits()).toBe(2);
  const listed = (await as('staff').get('/ladders')).body.find((l: { id: string }) => l.id === ladder.id);
  expect(listed.rungs[1].members.personIds).toEqual([after]);

  // Escalated now by the office: the matter opened before the edit goes to its own ladder's envoy, a new one to the new envoy.
  const fresh = await open('编辑后立项的问题');
  const notified = async (id: string) =>
    (await db.ds.query(`SELECT n.recipient_id FROM notice n JOIN blocker_event e ON e.id = n.event_id WHERE e.blocker_id = $1 AND n.kind = 'escalation'`, [id])).map(
      (r: { recipient_id: string }) => r.recipient_id,
    );
  for (const id of [opened, fresh]) expect((await as('office').post(`/blockers/${id}/escalate`, { reason: '需专员协调' })).status).toBe(200);
  expect(await eventually('the old envoy notified', async () => ((await notified(opened)).length ? notified(opened) : null))).toEqual([before]);
  expect(await eventually('the new envoy notified', async () => ((await notified(fresh)).length ? notified(fresh) : null))).toEqual([after]);
});
