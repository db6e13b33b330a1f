/**
 * Investment over HTTP on the real API: annual plans, year-to-date reports
 * (each kept), and the lag behind time-proportional progress per project,
 * unit, township, category and the county, checked figure by figure.
 */
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(120_000);

let db: TestDatabase;
let county: SmallCounty;
let extra: Awaited<ReturnType<typeof smallCountyAccounts>>;
let stack: RealStack;
const tokens: Record<string, string> = {};
const P: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('investment');
  county = await seedSmallCounty(db.ds);
  extra = await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { worker: false, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  for (const u of ['staff', 'office', 'other', 'approval']) tokens[u] = await loginAs(stack.api, u, TEST_PASSWORD);
  P.one = county.projectId; // 县自然资源局, 城关镇, infrastructure
  const insert = async (code: string, name: string, unit: string, township: string | null) =>
    (
      await db.ds.query(
        `INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment) VALUES ($1,$2,'industry',$3,'x',$4,9999) RETURNING id`,
        [code, name, unit, township],
      )
    )[0].id;
  P.two = await insert('2026-341122-48-01-000022', '住建局项目', extra.otherUnitId, county.townshipId);
  P.three = await insert('2026-341122-48-01-000033', '资源局二号项目', county.unitId, null);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const call = (user: string, method: string, path: string, body?: unknown) => http(method, `${stack.api}${path}`, body, tokens[user]);
const lag = async (user: string, q: string) => (await call(user, 'GET', `/investment/lag?${q}`)).body;

test('plans and reports: who may write them, what is refused, and one audit row each', async () => {
  for (const [p, amount] of [
    [P.one, 1000],
    [P.two, 2000],
    [P.three, 500],
  ] as const) {
    expect((await call('office', 'PUT', `/projects/${p}/investment-plans/2026`, { amount, reason: '年度计划下达' })).status).toBe(200);
  }
  expect((await call('staff', 'PUT', `/projects/${P.one}/investment-plans/2026`, { amount: 1, reason: 'x' })).status).toBe(403);
  expect((await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year: 2026, month: 6, completed: 400 })).status).toBe(201);
  expect((await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year: 2026, month: 10, completed: 650 })).status).toBe(201);
  expect((await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year: 2026, month: 10, completed: 700, note: '更正' })).status).toBe(201); // kept; the latest counts
  expect((await call('other', 'POST', `/projects/${P.two}/investment-reports`, { year: 2026, month: 10, completed: 1500 })).status).toBe(201);

  const before = Number((await db.ds.query(`SELECT count(*) FROM investment_report`))[0].count);
  expect((await call('other', 'POST', `/projects/${P.one}/investment-reports`, { year: 2026, month: 11, completed: 800 })).status).toBe(403);
  const future = await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year: 2027, month: 1, completed: 1 });
  expect([future.status, future.body.message]).toEqual([422, '不能填报未来月份的完成投资']);
  const down = await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year: 2026, month: 11, completed: 600 });
  expect([down.status, down.body.message]).toEqual([422, '年度累计完成投资不能少于10月已报的700万元']);
  expect(
    (await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year: 2026, month: 13, completed: -1 })).body.errors.map((e: { field: string }) => e.field).sort(),
  ).toEqual(['completed', 'month']);
  expect(Number((await db.ds.query(`SELECT count(*) FROM investment_report`))[0].count)).toBe(before);

  const mine = (await call('staff', 'GET', `/projects/${P.one}/investment`)).body;
  expect(mine.plans).toEqual([expect.objectContaining({ year: 2026, amount: 1000 })]);
  expect(mine.reports.map((r: { month: number; completed: number }) => `${r.month}:${r.completed}`)).toEqual(['10:700', '10:650', '6:400']);
  const audit = await db.ds.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'investment.%' GROUP BY 1 ORDER BY 1`);
  expect(audit).toEqual([
    { action: 'investment.plan', n: 3 },
    { action: 'investment.report', n: 4 },
  ]);
});

test('lag at mid-year and in late November, per project, unit, township, category and county, figure by figure', async () => {
  // 2 July: 183/365 of the year = 50.14 %.
  const mid = await lag('office', 'year=2026&on=2026-07-02&groupBy=project');
  expect(mid.timeShare).toBe(50.14);
  expect(mid.rows.map((r: { name: string; completed: number; lagPoints: number; colour: string }) => [r.name, r.completed, r.lagPoints, r.colour])).toEqual([
    ['住建局项目', 0, 50.14, 'red'],
    ['资源局二号项目', 0, 50.14, 'red'],
    ['城南污水处理厂扩建工程', 400, 10.14, 'yellow'],
  ]);
  // 23 November: 327/365 = 89.59 %.
  const nov = await lag('office', 'year=2026&on=2026-11-23&groupBy=project');
  expect(nov.rows.map((r: { name: string; completedShare: number; lagPoints: number; colour: string }) => [r.name, r.completedShare, r.lagPoints, r.colour])).toEqual([
    ['资源局二号项目', 0, 89.59, 'red'],
    ['城南污水处理厂扩建工程', 70, 19.59, 'yellow'],
    ['住建局项目', 75, 14.59, 'yellow'],
  ]);
  const units = (await lag('office', 'year=2026&on=2026-11-23&groupBy=unit')).rows;
  expect(
    units.map((r: { name: string; annualPlan: number; completed: number; completedShare: number; lagPoints: number; colour: string }) => [
      r.name,
      r.annualPlan,
      r.completed,
      r.completedShare,
      r.lagPoints,
      r.colour,
    ]),
  ).toEqual([
    ['县自然资源局', 1500, 700, 46.67, 42.92, 'red'],
    ['县住建局', 2000, 1500, 75, 14.59, 'yellow'],
  ]);
  const townships = (await lag('office', 'year=2026&on=2026-11-23&groupBy=township')).rows;
  expect(townships.map((r: { name: string; completed: number; annualPlan: number }) => [r.name, r.annualPlan, r.completed])).toEqual([
    ['（未指定乡镇）', 500, 0],
    ['城关镇', 3000, 2200],
  ]);
  expect((await lag('office', 'year=2026&on=2026-11-23&groupBy=category')).rows.map((r: { key: string; annualPlan: number }) => [r.key, r.annualPlan]).sort()).toEqual([
    ['industry', 2500],
    ['infrastructure', 1000],
  ]);
  expect((await lag('office', 'year=2026&on=2026-11-23&groupBy=county')).rows).toEqual([
    expect.objectContaining({ name: '全县', projects: 3, annualPlan: 3500, completed: 2200, completedShare: 62.86, lagPoints: 26.73, colour: 'yellow' }),
  ]);
});

test('each sees the projects they may see; bad queries are 400 or 422', async () => {
  const names = async (u: string) => (await lag(u, 'year=2026&on=2026-11-23')).rows.map((r: { name: string }) => r.name).sort();
  expect(await names('staff')).toEqual(['城南污水处理厂扩建工程', '资源局二号项目']);
  expect(await names('other')).toEqual(['住建局项目']);
  expect(await names('approval')).toEqual([]);
  expect((await call('office', 'GET', '/investment/lag?year=2026&groupBy=planet')).status).toBe(400);
  expect((await call('office', 'GET', '/investment/lag?year=2026&on=2027-01-05')).status).toBe(422);
});
