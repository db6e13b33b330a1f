/**
 * What the web pages need, tried as a new user would, on the real stack: an
 * approval clerk finds their department's work (the queue, red first, by
 * colour, status and project) and a notice when an item reaches it, and sees
 * the projects they hold items on; answers carry names beside ids; search
 * finds projects by name or code and matters by title, within what the caller
 * may see.
 */
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let other: { approvalClerk: string; otherUnitId: string };
const tokens: Record<string, string> = {};
const items: Record<string, string> = {};
const PROJECT = '城南污水处理厂扩建工程';
const CODE = '2026-341122-48-01-000011';

beforeAll(async () => {
  db = await createTestDatabase('queue_search_e2e');
  county = await seedSmallCounty(db.ds);
  other = await smallCountyAccounts(db.ds, county); // 'approval': a clerk of 县住建局
  // The catalogue's other departments, each with a clerk; 县自然资源局 (the project's own unit) gets one too.
  for (const name of ['县发改局', '县生态环境局']) await db.ds.query(`INSERT INTO org_unit (name, kind) VALUES ($1,'department')`, [name]);
  const [{ id: nrClerk }] = await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ('自然资源审批员', $1, '{approval_staff}') RETURNING id`, [county.unitId]);
  await createAccounts(db.ds, { 'nr-clerk': nrClerk });
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '100000' } });
  for (const u of ['staff', 'office', 'other', 'approval', 'liaison', 'supervision', 'nr-clerk']) tokens[u] = await loginAs(stack.api, u, TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const call = (user: string, method: string, path: string, body?: unknown) => http(method, `${stack.api}${path}`, body, tokens[user]);
const P = () => county.projectId;
const queue = async (user: string, query = '') => {
  const r = await call(user, 'GET', `/approvals/queue${query}`);
  expect(r.status).toBe(200);
  return r.body as {
    items: {
      id: string;
      name: string;
      status: string;
      colour: string | null;
      projectName: string;
      projectCode: string;
      clock: { dueAt: string | null; remainingDays: number | null; running: boolean; intake: boolean };
    }[];
    total: number;
    departmentId: string | null;
  };
};

test('an approval clerk sees no projects before their department holds an item, then the project with its items', async () => {
  expect((await call('approval', 'GET', '/projects')).body.total).toBe(0);
  expect((await call('approval', 'GET', `/projects/${P()}`)).status).toBe(403);
  const plan = await call('office', 'PUT', `/projects/${P()}/approval-plan`, { reason: '按项目类别' });
  expect(plan.status).toBe(200);
  for (const l of plan.body.stages.flatMap((s: { lanes: { id: string; name: string }[] }) => s.lanes)) items[l.name] = l.id;
  // 县住建局 holds the construction permit: its clerk now sees the project, its approvals and the item.
  const seen = (await call('approval', 'GET', '/projects')).body;
  expect([seen.total, seen.items[0].name]).toEqual([1, PROJECT]);
  expect((await call('approval', 'GET', `/projects/${P()}`)).status).toBe(200);
  expect((await call('approval', 'GET', `/projects/${P()}/approvals`)).status).toBe(200);
  const item = (await call('approval', 'GET', `/approval-items/${items['建筑工程施工许可证']}`)).body;
  expect(item).toMatchObject({ projectName: PROJECT, projectCode: CODE, department: '县住建局' });
  // Another unit's staff still sees nothing of it.
  expect((await call('other', 'GET', '/projects')).body.total).toBe(0);
});

test('a submitted item reaches the department: a notice to its clerks, and its queue (not another department’s)', async () => {
  expect((await queue('nr-clerk')).total).toBe(0); // planned items are not yet the department's work
  const submitted = await call('staff', 'POST', `/approval-items/${items['用地预审与选址意见书']}/submit`, {});
  expect(submitted.status).toBe(201);
  const permit = await call('staff', 'POST', `/approval-items/${items['建筑工程施工许可证']}/submit`, {});
  expect(permit.status).toBe(201);

  const mine = await queue('nr-clerk');
  expect(mine.departmentId).toBe(county.unitId);
  expect(mine.items.map((i) => [i.name, i.status, i.projectName, i.projectCode])).toEqual([['用地预审与选址意见书', 'submitted', PROJECT, CODE]]);
  // Before acceptance the clock is the day it would be deemed accepted.
  expect(mine.items[0]).toMatchObject({ colour: 'green', clock: { running: true, intake: true, dueAt: expect.any(String), remainingDays: expect.any(Number) } });
  expect(Date.parse(mine.items[0].clock.dueAt!)).toBeGreaterThan(Date.now());
  expect((await queue('approval')).items.map((i) => i.name)).toEqual(['建筑工程施工许可证']);
  // A clerk cannot look into another department's queue; a unit's staff has none; the office and supervision see any.
  expect((await call('nr-clerk', 'GET', `/approvals/queue?orgUnitId=${other.otherUnitId}`)).status).toBe(403);
  expect((await call('staff', 'GET', '/approvals/queue')).status).toBe(403);
  expect((await queue('office', `?orgUnitId=${county.unitId}`)).items.map((i) => i.name)).toEqual(['用地预审与选址意见书']);
  expect((await queue('supervision')).total).toBe(2);
  expect((await call('office', 'GET', '/approvals/queue?colour=purple')).status).toBe(400);

  const me = (await call('nr-clerk', 'GET', '/auth/me')).body.personId;
  const notice = await eventually('the clerk’s notice', async () => {
    const inbox = (await call('nr-clerk', 'GET', `/people/${me}/notices`)).body.items as { kind: string; title: string; body: string }[];
    return inbox.find((n) => n.kind === 'approval' && n.title.startsWith('【待受理】'));
  });
  expect(notice.title).toBe(`【待受理】${PROJECT}：用地预审与选址意见书`);
  expect(notice.body).toContain('受理');
  // Once, however often the activity runs (the notice is keyed by the item's event).
  const [{ n }] = await db.ds.query(`SELECT count(*)::int AS n FROM notice WHERE recipient_id = $1 AND kind = 'approval'`, [me]);
  expect(n).toBe(1);
  // 县住建局's clerk heard of theirs, not of 县自然资源局's.
  const [{ theirs }] = await db.ds.query(`SELECT count(*)::int AS theirs FROM notice WHERE recipient_id = $1 AND title LIKE '%用地预审%'`, [other.approvalClerk]);
  expect(theirs).toBe(0);
});

test('the queue by clock colour, red first, and by status and project', async () => {
  const accepted = await call('nr-clerk', 'POST', `/approval-items/${items['用地预审与选址意见书']}/accept`, {});
  expect(accepted.body.status).toBe('accepted');
  const row = (await queue('nr-clerk')).items[0];
  expect([row.status, row.colour, row.clock.remainingDays, row.clock.intake, row.clock.dueAt]).toEqual(['accepted', 'green', 10, false, accepted.body.dueAt]);
  expect((await queue('nr-clerk', '?colour=red')).total).toBe(0);
  expect((await queue('nr-clerk', '?colour=green')).total).toBe(1);
  expect((await queue('nr-clerk', '?status=submitted')).total).toBe(0);
  expect((await queue('nr-clerk', `?projectId=${P()}&status=accepted`)).total).toBe(1);

  // The read model as it stands when the limit has run out (the workflow's timers would take days): red, and first.
  await db.ds.query(`UPDATE approval_item SET due_at = now() - interval '1 hour', warn_at = now() - interval '1 day' WHERE id = $1`, [items['用地预审与选址意见书']]);
  expect((await queue('nr-clerk', '?colour=red')).items.map((i) => i.name)).toEqual(['用地预审与选址意见书']);
  const all = await queue('office');
  expect(all.items.map((i) => [i.name, i.colour])).toEqual([
    ['用地预审与选址意见书', 'red'],
    ['建筑工程施工许可证', 'green'],
  ]);
  // A supplement stops the clock: no colour while the applicant holds it.
  await db.ds.query(`UPDATE approval_item SET due_at = now() + interval '5 days', warn_at = now() - interval '1 hour' WHERE id = $1`, [items['用地预审与选址意见书']]);
  expect((await queue('nr-clerk', '?colour=yellow')).total).toBe(1);
  const sup = await call('nr-clerk', 'POST', `/approval-items/${items['用地预审与选址意见书']}/supplement-request`, { missing: ['宗地红线图'], reason: '范围不清' });
  expect(sup.body.status).toBe('supplement_requested');
  const waiting = (await queue('nr-clerk')).items[0];
  expect([waiting.status, waiting.colour, waiting.clock.running]).toEqual(['supplement_requested', null, false]);
  // Back with the material: in the queue again, and the clerks hear of it.
  await call('staff', 'POST', `/approval-items/${items['用地预审与选址意见书']}/material`, { note: '已补充' });
  const me = (await call('nr-clerk', 'GET', '/auth/me')).body.personId;
  await eventually('the material notice', async () =>
    ((await call('nr-clerk', 'GET', `/people/${me}/notices`)).body.items as { title: string }[]).some((n) => n.title.startsWith('【补正材料已提交】')),
  );
});

test('names beside ids: projects, their plan, blockers (list and one)', async () => {
  const project = (await call('staff', 'GET', `/projects/${P()}`)).body;
  expect(project).toMatchObject({ responsibleUnitName: '县自然资源局', townshipName: '城关镇', liaisonLeaders: [expect.objectContaining({ name: '副县长丙' })] });
  expect((await call('office', 'GET', '/projects')).body.items[0]).toMatchObject({ responsibleUnitName: '县自然资源局', townshipName: '城关镇' });
  expect((await call('staff', 'GET', `/projects/${P()}/plan`)).body).toMatchObject({ projectId: P(), projectName: PROJECT, projectCode: CODE });
  const reported = await call('staff', 'POST', `/projects/${P()}/blockers`, {
    category: 'relocation',
    severity: 'normal',
    title: '3户拆迁户未签约_100%',
    description: '补偿标准争议',
  });
  expect(reported.status).toBe(201);
  const names = { projectName: PROJECT, projectCode: CODE, responsibleUnitName: '县自然资源局', reportedByName: '联络员乙' };
  expect(reported.body).toMatchObject(names);
  expect((await call('staff', 'GET', `/blockers/${reported.body.id}`)).body).toMatchObject(names);
  expect((await call('staff', 'GET', '/blockers')).body.items[0]).toMatchObject(names);
});

test('search: projects by name or code, matters by title, with the filters, within what the caller may see', async () => {
  const made = await call('office', 'POST', '/projects', {
    code: '2026-341122-48-02-000099',
    name: '100%清洁能源示范项目',
    category: 'industry',
    responsibleUnitId: other.otherUnitId,
    owner: '示范能源公司',
    totalInvestment: 5000,
  });
  expect(made.status).toBe(201);
  const names = async (user: string, q: string, more = '') => {
    const r = await call(user, 'GET', `/projects?q=${encodeURIComponent(q)}${more}`);
    expect(r.status).toBe(200);
    return (r.body.items as { name: string }[]).map((p) => p.name);
  };
  expect(await names('office', '污水')).toEqual([PROJECT]);
  expect(await names('office', '  污水  ')).toEqual([PROJECT]); // trimmed
  expect(await names('office', '000011')).toEqual([PROJECT]); // by code
  expect(await names('office', '100%')).toEqual(['100%清洁能源示范项目']);
  expect(await names('office', '%')).toEqual(['100%清洁能源示范项目']); // % is literal, not "anything"
  expect(await names('office', '_')).toEqual([]);
  expect(await names('office', '')).toHaveLength(2); // blank: no search
  expect(await names('office', '工程', `&responsibleUnitId=${county.unitId}`)).toEqual([PROJECT]); // with the existing filters
  expect(await names('office', '工程', `&responsibleUnitId=${other.otherUnitId}`)).toEqual([]);
  expect(await names('office', '示范', '&category=industry')).toEqual(['100%清洁能源示范项目']);
  expect(await names('other', '污水')).toEqual([]); // not theirs
  expect(await names('other', '清洁')).toEqual(['100%清洁能源示范项目']);
  expect((await call('office', 'GET', `/projects?q=${'长'.repeat(101)}`)).status).toBe(400);

  const titles = async (user: string, q: string, more = '') =>
    ((await call(user, 'GET', `/blockers?q=${encodeURIComponent(q)}${more}`)).body.items as { title: string }[]).map((b) => b.title);
  expect(await titles('staff', '拆迁')).toEqual(['3户拆迁户未签约_100%']);
  expect(await titles('staff', '_100%')).toEqual(['3户拆迁户未签约_100%']);
  expect(await titles('staff', '拆迁', '&status=resolved')).toEqual([]);
  expect(await titles('other', '拆迁')).toEqual([]);

  const found = await call('liaison', 'GET', `/search?q=${encodeURIComponent('拆迁')}`);
  expect(found.status).toBe(200);
  expect(found.body.matters.items.map((b: { title: string; projectName: string }) => [b.title, b.projectName])).toEqual([['3户拆迁户未签约_100%', PROJECT]]);
  expect((await call('liaison', 'GET', `/search?q=${encodeURIComponent('污水')}`)).body.projects.items.map((p: { name: string }) => p.name)).toEqual([PROJECT]);
  const theirs = (await call('other', 'GET', `/search?q=${encodeURIComponent('污水')}`)).body;
  expect([theirs.projects.total, theirs.matters.total]).toEqual([0, 0]);
  expect((await call('office', 'GET', '/search?q=%20%20')).status).toBe(400);
  expect((await call('office', 'GET', '/search')).status).toBe(400);
});
