/**
 * A county's own ledgers (issue 14), written by openpyxl (tests/fixtures/ledgers/make_ledgers.py):
 * each proposes the right mapping, imports only once the project office has confirmed it, reads
 * 亿元 as 万元 and text dates as days, keeps the progress columns as history; a bad cell is named by
 * row and column and nothing is written; the export (real Excel types, title, frozen header, fills)
 * imports back changing nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { investmentLag, stageColour } from '../../libs/domain/src/lifecycle';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(240_000);

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/ledgers', name));
let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let token = '';

beforeAll(async () => {
  db = await createTestDatabase('ledger_county');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { worker: true, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  token = await loginAs(stack.api, 'office', TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function call(path: string, body: Buffer | object, headers: Record<string, string> = {}) {
  const file = Buffer.isBuffer(body);
  const res = await fetch(`${stack.api}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': file ? XLSX : 'application/json', ...headers },
    body: file ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, replayed: res.headers.get('idempotency-replayed') };
}

const propose = (file: Buffer) => call('/ledger/import/proposal?year=2026', file);
const importLedger = (file: Buffer, dryRun = false) => call(`/ledger/import?year=2026${dryRun ? '&dryRun=true' : ''}`, file);
const mapped = (p: any) => p.columns.map((c: any) => `${c.label}→${c.field ?? '-'}${c.unit ? `(${c.unit})` : ''}`);
async function confirm(p: any, key = crypto.randomUUID()) {
  const columns = p.columns.map((c: any) => ({ index: c.index, label: c.label, field: c.field, ...(c.unit && { unit: c.unit }) }));
  return call('/ledger/mapping', { signature: p.signature, columns, reason: '按本县台账确认' }, { 'idempotency-key': key });
}
const q = async (sql: string, params: unknown[] = []) => db.ds.query(sql, params);
const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].count);
const A1 = '2026-341122-48-03-000011';
const project = async (code: string) =>
  (
    await q(
      `SELECT p.name, p.owner, p.total_investment::float AS total, t.name AS township, (SELECT amount::float FROM investment_plan WHERE project_id = p.id AND year = 2026) AS plan,
              (SELECT array_agg(completed::float ORDER BY reported_at) FROM investment_report WHERE project_id = p.id) AS reports,
              (SELECT array_agg(progress_line ORDER BY recorded_at) FROM project_progress_note WHERE project_id = p.id) AS lines,
              (SELECT json_object_agg(stage, to_char(due_on, 'YYYY-MM-DD')) FROM project_stage WHERE project_id = p.id) AS days
         FROM project p LEFT JOIN org_unit t ON t.id = p.township_id WHERE p.code = $1`,
      [code],
    )
  )[0];
const until = async (check: () => Promise<boolean>) => {
  for (const end = Date.now() + 120_000; !(await check()) && Date.now() < end;) await new Promise((r) => setTimeout(r, 500));
};

test('county A (title rows, 亿元, real dates, a spacer and a totals row): proposed, refused until confirmed, then imported', async () => {
  const file = fixture('county-a.xlsx');
  const p = await propose(file);
  expect(p.status).toBe(201);
  expect(p.body.headerRows).toEqual([3]);
  expect(mapped(p.body)).toEqual([
    '序号→serial',
    '项目编码→code',
    '项目名称→name',
    '项目类别→category',
    '牵头单位→unit',
    '业主单位→owner',
    '所属乡镇→township',
    '总投资（亿元）→total(亿元)',
    '2026年计划投资（万元）→plan(万元)',
    '包联县领导→leaders',
    '前期完成时限→planning',
    '审批完成时限→approval',
    '用地完成时限→land',
    '计划开工时间→start',
    '计划竣工时间→completion',
    '本年完成投资（万元）→completed(万元)',
    '形象进度→progressLine',
    '存在问题→problems',
    '下步计划→nextSteps',
  ]);
  expect([p.body.saved, p.body.needsConfirmation, p.body.preview.problems, p.body.preview.created]).toEqual([false, true, [], 3]);
  // Nothing is written before the office confirms the mapping.
  const refused = await importLedger(file);
  expect([refused.status, refused.body.message]).toEqual([422, '台账表头与系统模板不同，请先确认列对应关系（POST /api/ledger/mapping）再导入']);
  expect(await count(`SELECT count(*) FROM project`)).toBe(1);

  // A mapping that cannot be right is refused in the office's words.
  expect((await call('/ledger/mapping', { signature: 'x', columns: [] })).status).toBe(400);
  const twice = await call('/ledger/mapping', {
    signature: p.body.signature,
    columns: [
      { index: 2, label: '项目编码', field: 'name' },
      { index: 3, label: '项目名称', field: 'name' },
    ],
  });
  expect([twice.status, twice.body.message]).toEqual([422, '“项目名称”只能对应一列']);
  const key = crypto.randomUUID();
  const ok = await confirm(p.body, key);
  expect(ok.status).toBe(201);
  expect((await confirm(p.body, key)).replayed).toBe('true');
  expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'ledger.mapping_confirm'`)).toBe(1);
  const again = await propose(file);
  expect([again.body.saved, again.body.needsConfirmation]).toEqual([true, false]);

  expect((await importLedger(file, true)).body).toEqual({ dryRun: true, rows: 3, created: 3, updated: 0, milestonePlans: 3, problems: [] });
  const done = await importLedger(file);
  expect(done.status).toBe(201);
  expect(done.body).toMatchObject({ created: 3, updated: 0, unchanged: 0, investmentReports: 3, progressNotes: 3, workflowsStarted: 3 });
  await until(async () => (await count(`SELECT count(*) FROM project_lifecycle`)) === 3);
  expect(await project(A1)).toEqual({
    name: '城北工业园标准化厂房',
    owner: '县城投集团',
    total: 12000,
    township: '城关镇',
    plan: 3000,
    reports: [500],
    lines: ['主体封顶'],
    days: { planning: '2027-03-31', approval: '2027-06-30', land: '2027-08-31', start: '2027-09-30', completion: '2028-12-31' },
  });
  expect(await project('2026-341122-48-03-000021')).toMatchObject({ total: 35000, township: null, plan: 8000 });
  expect((await q(`SELECT problems, next_steps FROM project_progress_note n JOIN project p ON p.id = n.project_id WHERE p.code = $1`, [A1]))[0]).toEqual({
    problems: '施工用电未接入',
    next_steps: '12月底前完成外墙',
  });
  expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'project.import_create'`)).toBe(3);
  expect(await count(`SELECT count(*) FROM blocker`)).toBe(0);
});

test('county B (two-level header, 亿元 under 总投资, text dates, section rows, rows without codes matched by name): kept as history', async () => {
  const file = fixture('county-b.xlsx');
  const p = await propose(file);
  expect(p.body.headerRows).toEqual([2, 3]);
  expect(mapped(p.body)).toEqual([
    '序号→serial',
    '项目名称→name',
    '项目代码→code',
    '总投资 / 亿元→total(亿元)',
    '时间节点 / 计划开工时间→start',
    '时间节点 / 计划竣工时间→completion',
    '责任单位→unit',
    '包联领导→leaders',
    '1-11月完成投资（万元）→completed(万元)',
    '形象进度→progressLine',
    '存在问题→problems',
    '下步计划→nextSteps',
  ]);
  expect(p.body.columns.find((c: any) => c.field === 'completed').confidence).toBeLessThan(1);
  expect((await confirm(p.body)).status).toBe(201);
  const done = await importLedger(file);
  expect(done.body).toMatchObject({ created: 0, updated: 2, unchanged: 1, investmentReports: 2, progressNotes: 2, plansChanged: 1 });
  await until(async () => (await project(A1)).days.completion === '2029-06-30');
  const a1 = await project(A1);
  // 2027.9 is September's last day, 2029年6月 June's; the columns the ledger lacks (owner, township, the other stages) are kept.
  expect(a1).toEqual({ ...a1, owner: '县城投集团', township: '城关镇', total: 12000, reports: [500, 600], lines: ['主体封顶', '外墙施工'] });
  expect(a1.days).toEqual({ planning: '2027-03-31', approval: '2027-06-30', land: '2027-08-31', start: '2027-09-30', completion: '2029-06-30' });
  // 滨河路 改造工程 (a space in the county's sheet) is the registered 滨河路改造工程, unchanged.
  expect(await project('2026-341122-48-03-000031')).toMatchObject({ total: 8500, reports: [300], lines: ['管网迁改'] });
  // The history over the API, newest first, for the project page.
  const [{ id }] = await q(`SELECT id FROM project WHERE code = $1`, [A1]);
  const notes = await fetch(`${stack.api}/projects/${id}/progress-notes`, { headers: { authorization: `Bearer ${token}` } });
  expect(notes.status).toBe(200);
  const history = (await notes.json()) as any[];
  expect(history.map((n) => n.progressLine)).toEqual(['外墙施工', '主体封顶']);
  expect(history[0]).toMatchObject({ year: 2026, source: 'ledger_import', recordedByName: expect.any(String) });
  const none = await fetch(`${stack.api}/projects/${crypto.randomUUID()}/progress-notes`, { headers: { authorization: `Bearer ${token}` } });
  expect(none.status).toBe(404);
});

test('county C (header under a unit line, 总投资 over 万元, 计划/实际 under 计划开工时间, 备注 unmapped, no code column)', async () => {
  const file = fixture('county-c.xlsx');
  const p = await propose(file);
  expect(p.body.headerRows).toEqual([3, 4]);
  expect(mapped(p.body)).toEqual([
    '编号→serial',
    '项目→name',
    '类别→category',
    '牵头单位→unit',
    '项目法人→owner',
    '乡镇→township',
    '总投资 / 万元→total(万元)',
    '计划开工时间 / 计划→start',
    '计划开工时间 / 实际→-',
    '计划竣工时间→completion',
    '联系领导→leaders',
    '本年完成投资→completed(万元)',
    '进展情况→progressLine',
    '困难问题→problems',
    '下一步计划→nextSteps',
    '备注→-',
  ]);
  expect(p.body.unmapped).toEqual([
    { index: 9, label: '计划开工时间 / 实际' },
    { index: 16, label: '备注' },
  ]);
  expect((await confirm(p.body)).status).toBe(201);
  const done = await importLedger(file);
  expect(done.body).toMatchObject({ created: 0, updated: 2, unchanged: 0, investmentReports: 2, progressNotes: 2, plansChanged: 0 });
  expect(await project(A1)).toMatchObject({ total: 12000, reports: [500, 600, 800], lines: ['主体封顶', '外墙施工', '外墙完成'] });
});

test('a bad cell in a confirmed shape is named by row and column, and nothing is written', async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fixture('county-c.xlsx') as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  ws.getCell('G6').value = '八千五';
  ws.getCell('B5').value = '不存在的项目';
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  const before = await Promise.all(['project', 'investment_report', 'project_progress_note', 'audit_log'].map((t) => count(`SELECT count(*) FROM ${t}`)));
  const r = await importLedger(file);
  expect(r.status).toBe(422);
  expect(r.body.details.problems).toEqual([
    { row: 5, column: '项目', cell: 'B5', problem: '无项目代码，且按名称未找到已登记的项目：不存在的项目' },
    { row: 6, column: '总投资 / 万元', cell: 'G6', problem: '应为不小于0的数字：八千五' },
  ]);
  expect(await Promise.all(['project', 'investment_report', 'project_progress_note', 'audit_log'].map((t) => count(`SELECT count(*) FROM ${t}`)))).toEqual(before);
});

async function exported(): Promise<Buffer> {
  const res = await fetch(`${stack.api}/ledger/export?year=2026`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}
const snapshot = () =>
  Promise.all([
    q(`SELECT code, name, category, responsible_unit_id, owner, township_id, total_investment FROM project ORDER BY code`),
    q(`SELECT project_id, person_id FROM project_liaison_leader ORDER BY 1, 2`),
    q(`SELECT project_id, year, amount, set_at FROM investment_plan ORDER BY 1`),
    q(`SELECT project_id, stage, due_on, state FROM project_stage ORDER BY 1, 2`),
    q(`SELECT id FROM investment_report ORDER BY 1`),
    q(`SELECT id FROM project_progress_note ORDER BY 1`),
    q(`SELECT id, status FROM blocker ORDER BY 1`),
    q(`SELECT count(*) FROM plan_revision`),
  ]);

test('export → import changes nothing', async () => {
  const before = await snapshot();
  const r = await importLedger(await exported());
  expect(r.status).toBe(201);
  expect(r.body).toMatchObject({ created: 0, updated: 0, unchanged: 4, investmentReports: 0, progressNotes: 0, workflowsStarted: 0, plansChanged: 0 });
  expect(await snapshot()).toEqual(before);
});

test('the export has real types, a title row, a frozen header and the shared colour rules as fills; open blockers come back untouched', async () => {
  // The small county's project gets a plan whose planning stage is overdue: red, and a schedule blocker opens.
  const plan = await fetch(`${stack.api}/projects/${county.projectId}/plan`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      reason: '测试',
      stages: [
        { stage: 'planning', dueOn: '2026-01-31' },
        { stage: 'approval', dueOn: '2027-06-30' },
        { stage: 'land', dueOn: '2027-08-31' },
        { stage: 'start', dueOn: '2027-09-30' },
        { stage: 'completion', dueOn: '2028-12-31' },
      ],
    }),
  });
  expect(plan.status).toBe(200);
  await until(async () => (await count(`SELECT count(*) FROM blocker WHERE project_id = $1 AND status = 'open'`, [county.projectId])) === 1);
  const [blocker] = await q(`SELECT title FROM blocker WHERE project_id = $1`, [county.projectId]);
  const file = await exported();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('重点项目台账')!;
  expect(String(ws.getCell('A1').value)).toMatch(/^县重点项目推进台账（截至\d{4}年\d{1,2}月\d{1,2}日）$/);
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  const header = (ws.getRow(2).values as string[]).slice(1);
  expect(header.slice(0, 3)).toEqual(['序号', '项目代码', '项目名称']);
  expect(header).toContain('总投资（万元）');
  expect(ws.getColumn(header.indexOf('项目名称') + 1).width).toBe(30);
  const col = (name: string) => header.indexOf(name) + 1;
  const rowOf = (code: string) => [...Array(ws.rowCount).keys()].map((i) => ws.getRow(i + 1)).find((r) => r.getCell(2).value === code)!;
  const a1 = rowOf(A1);
  expect(a1.getCell(col('计划开工日期')).type).toBe(ExcelJS.ValueType.Date);
  expect(a1.getCell(col('计划开工日期')).value).toEqual(new Date('2027-09-30T00:00:00Z'));
  expect(a1.getCell(col('总投资（万元）')).value).toBe(12000);
  expect(a1.getCell(col('本年完成投资（万元）')).value).toBe(800);
  expect(a1.getCell(col('形象进度')).value).toBe('外墙完成');
  // Fills follow the shared rules: the investment lag for this year's completion, the stage colour for a stage.
  const fillOf = (c: ExcelJS.Cell) => (c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb ?? null;
  const argb = (colour: string | null) => (colour === 'red' ? 'FFFF9C9C' : colour === 'yellow' ? 'FFFFE699' : null);
  const lag = investmentLag({ annualPlan: 3000, completed: 800, onMs: Date.now(), zone: 'Asia/Shanghai' }).colour;
  expect(fillOf(a1.getCell(col('本年完成投资（万元）')))).toBe(argb(lag === 'green' ? null : lag));
  const seeded = rowOf('2026-341122-48-01-000011');
  const [stage] = await q(`SELECT state, due_at AS "dueAt", warn_at AS "warnAt" FROM project_stage WHERE project_id = $1 AND stage = 'planning'`, [county.projectId]);
  expect(stageColour({ ...stage, dueAt: stage.dueAt.toISOString(), warnAt: stage.warnAt.toISOString() }, Date.now())).toBe('red');
  expect(fillOf(seeded.getCell(col('前期完成时限')))).toBe('FFFF9C9C');
  expect(fillOf(seeded.getCell(col('竣工投产时限')))).toBe(null);
  expect(seeded.getCell(col('存在问题')).value).toBe(`1. ${blocker.title}`);
  // Imported back, the blocker's title is not a new problems note, and no blocker is opened or closed.
  const before = await snapshot();
  expect((await importLedger(file)).body).toMatchObject({ updated: 0, progressNotes: 0 });
  expect(await snapshot()).toEqual(before);
});
