/**
 * The project ledger (台账) as .xlsx over HTTP: exported as kept, a bad file
 * rejected whole with every bad cell named, a good file of thousands of rows
 * imported (and imported again as updates, matching on the project code).
 */
import ExcelJS from 'exceljs';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

const HEADER = [
  '项目代码',
  '项目名称',
  '项目类别',
  '责任单位',
  '项目业主',
  '所在乡镇',
  '总投资（万元）',
  '包联领导',
  '2026年计划投资（万元）',
  '前期完成时限',
  '审批完成时限',
  '用地完成时限',
  '计划开工日期',
  '竣工投产时限',
];
let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('ledger');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { worker: true, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  for (const u of ['office', 'staff']) tokens[u] = await loginAs(stack.api, u, TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点项目台账');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(user: string, file: Buffer, year = 2026, dryRun = false) {
  const res = await fetch(`${stack.api}/ledger/import?year=${year}${dryRun ? '&dryRun=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    body: file,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const code = (i: number) => `2026-341122-48-02-${String(20000 + i).padStart(5, '0')}${i % 10}`;
const count = async (sql: string) => Number((await db.ds.query(sql))[0].count);

test('a ledger with errors is rejected whole, naming every bad cell, and imports nothing', async () => {
  const before = await count(`SELECT count(*) FROM project`);
  const file = await xlsx([
    [code(1), '好的项目', '产业项目', '县自然资源局', '某公司', '城关镇', 1000, '副县长丙', 300],
    ['2026-12', '', '火箭项目', '县火星局', '', '县委县政府', -5, '不认识的人', 'abc'],
    [code(1), '重复代码', '基础设施', '县自然资源局', '某公司', '', 10, '', ''],
    [code(2), '计划倒排有误', '基础设施', '县自然资源局', '某公司', '', 10, '', '', '2027-06-30', '2027-03-01', '不适用', '2027-10-31', '2028-12-31'],
  ]);
  const r = await upload('office', file);
  expect(r.status).toBe(422);
  expect(r.body.message).toBe('台账有11处错误，未导入任何数据');
  expect(r.body.details.problems.map((p: { row: number; column: string }) => `${p.row}:${p.column}`)).toEqual([
    '3:项目代码',
    '3:项目名称',
    '3:项目类别',
    '3:责任单位',
    '3:项目业主',
    '3:所在乡镇',
    '3:总投资（万元）',
    '3:包联领导',
    '3:2026年计划投资（万元）',
    '4:项目代码',
    '5:审批完成时限',
  ]);
  expect(r.body.details.problems[9].problem).toBe('与第2行重复');
  expect(r.body.details.problems[10].problem).toBe('审批阶段的完成时限不能早于前一阶段');
  // The dry run (the console's check before import): the same problems as a list (201, as the import answers), what would change, nothing written.
  const check = await upload('office', file, 2026, true);
  expect([check.status, check.body.dryRun, check.body.rows, check.body.created]).toEqual([201, true, 1, 1]);
  expect(check.body.problems).toEqual(r.body.details.problems);
  expect((await upload('staff', file, 2026, true)).status).toBe(403);
  expect(await count(`SELECT count(*) FROM project_lifecycle`)).toBe(0);
  expect(await count(`SELECT count(*) FROM project`)).toBe(before);
  expect(await count(`SELECT count(*) FROM audit_log WHERE action LIKE 'project.import%'`)).toBe(0);
  expect((await upload('office', Buffer.from('not a spreadsheet'))).body.message).toBe('无法读取文件：请上传 .xlsx 格式的台账');
  expect((await upload('staff', file)).status).toBe(403);
});

test('a good ledger of 2,000 rows imports, with plans, and starts their lifecycles; imported again it updates, matching on the code; the export reads back', async () => {
  const days = (i: number, completion = '2029-12-31') => ['2027-06-30', '2027-12-31', i % 5 ? '2028-03-31' : '不适用', '2028-04-30', completion];
  const rows = (name: string, changed = 0) =>
    Array.from({ length: 2000 }, (_, i) => [
      code(100 + i),
      `${name}${i + 1}`,
      i % 2 ? '产业项目' : '基础设施',
      '县自然资源局',
      '县城投集团',
      i % 3 ? '城关镇' : '',
      1000 + i,
      i < 10 ? '副县长丙' : '',
      100 + i,
      ...days(i, i < changed ? '2030-06-30' : undefined),
    ]);
  const first = await upload('office', await xlsx(rows('项目')));
  expect(first).toEqual({
    status: 201,
    body: {
      created: 2000,
      updated: 0,
      unchanged: 0,
      plans: 2000,
      investmentReports: 0,
      progressNotes: 0,
      milestonePlans: 2000,
      workflowsStarted: 2000,
      plansChanged: 0,
      finishedUnchanged: 0,
    },
  });
  expect(await count(`SELECT count(*) FROM project WHERE code LIKE '2026-341122-48-02-%'`)).toBe(2000);
  expect(await count(`SELECT count(*) FROM project_liaison_leader pl JOIN project p ON p.id = pl.project_id WHERE p.code LIKE '2026-341122-48-02-%'`)).toBe(10);
  expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'project.import_create'`)).toBe(2000);
  // Every imported plan is a running lifecycle: its stages reach the read model as the workflows record them.
  for (const until = Date.now() + 240_000; (await count(`SELECT count(*) FROM project_lifecycle`)) < 2000 && Date.now() < until;) await new Promise((r) => setTimeout(r, 1000));
  expect(await count(`SELECT count(*) FROM project_lifecycle`)).toBe(2000);
  expect(await count(`SELECT count(*) FROM project_stage WHERE stage = 'land' AND state = 'n/a'`)).toBe(400);
  const [first0] = await db.ds.query(
    `SELECT s.state, to_char(s.due_on, 'YYYY-MM-DD') AS due FROM project_stage s JOIN project p ON p.id = s.project_id WHERE p.code = $1 AND s.stage = 'start'`,
    [code(101)],
  );
  expect(first0).toEqual({ state: 'pending', due: '2028-04-30' });

  const again = await upload('office', await xlsx(rows('改名项目', 5)));
  expect(again.body).toEqual({
    created: 0,
    updated: 2000,
    unchanged: 0,
    plans: 2000,
    investmentReports: 0,
    progressNotes: 0,
    milestonePlans: 2000,
    workflowsStarted: 0,
    plansChanged: 5,
    finishedUnchanged: 0,
  });
  expect((await db.ds.query(`SELECT name FROM project WHERE code = $1`, [code(100)]))[0].name).toBe('改名项目1');
  expect(await count(`SELECT count(*) FROM plan_revision r JOIN project p ON p.id = r.project_id WHERE p.code = '${code(100)}'`)).toBe(2);
  expect(
    (
      await db.ds.query(`SELECT to_char(s.due_on, 'YYYY-MM-DD') AS due FROM project_stage s JOIN project p ON p.id = s.project_id WHERE p.code = $1 AND s.stage = 'completion'`, [
        code(100),
      ])
    )[0].due,
  ).toBe('2030-06-30');

  const res = await fetch(`${stack.api}/ledger/export?year=2026`, { headers: { authorization: `Bearer ${tokens.office}` } });
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('重点项目台账')!;
  expect(ws.rowCount).toBe(2003); // title, header, the small county's project, 2,000 imported
  const row = ws.getRow(3).values as unknown[];
  expect(row.slice(1, 10)).toEqual([1, '2026-341122-48-01-000011', '城南污水处理厂扩建工程', '基础设施', '县自然资源局', '县城投集团', '城关镇', 12000, '副县长丙']);
  const imported = ws.getRow(4).values as unknown[];
  expect(imported.slice(11, 16)).toEqual([
    new Date('2027-06-30T00:00:00Z'),
    new Date('2027-12-31T00:00:00Z'),
    '不适用',
    new Date('2028-04-30T00:00:00Z'),
    new Date('2030-06-30T00:00:00Z'),
  ]);
  // The unit's staff export only their own unit's projects: here all of them are.
  const staff = await fetch(`${stack.api}/ledger/export?year=2026`, { headers: { authorization: `Bearer ${tokens.staff}` } });
  expect(staff.status).toBe(200);
}, 420_000);
