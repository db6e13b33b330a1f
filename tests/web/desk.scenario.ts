/**
 * W4's scenarios (the desk pages): an approval clerk accepts and approves an
 * item on the approvals desk; a ledger import with a bad cell shows the
 * problem and writes nothing, then a good one imports; the weekly bulletin
 * shows the ranking and downloads as .xlsx and .docx; the project office creates an org unit (a refusal in the
 * API's words first); the calendar's year view. axe-core finds no serious or
 * critical violation on these pages; screenshots go to docs/screenshots/.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { eventually } from '../support/stack';
import { pageErrors, type Page } from '../support/browser';
import type { WebTestContext } from './context';

const YEAR = new Date().getFullYear();

/** A ledger of one row, on the export's own title and header: the values by column name. */
async function ledgerFile(ctx: WebTestContext, values: Record<string, string | number>, name: string): Promise<string> {
  const res = await fetch(`${ctx.api}/ledger/export?year=${YEAR}`, { headers: { authorization: `Bearer ${await ctx.token('office')}` } });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  // Row 1 is the export's title (县重点项目推进台账（截至…）), row 2 its header.
  const header = (ws.getRow(2).values as unknown[]).map((v) => String(v ?? ''));
  if (ws.rowCount > 2) ws.spliceRows(3, ws.rowCount - 2);
  const row = header.map((h) => values[h] ?? '');
  ws.addRow(row.slice(1));
  const path = join(mkdtempSync(join(tmpdir(), 'desk-')), name);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

/**
 * A page with this person's session, as the login page leaves it (duban.session
 * in localStorage): the desk's scenarios test the desk, W2's the login page.
 */
async function openAs(ctx: WebTestContext, username: string): Promise<Page> {
  const res = await fetch(`${ctx.api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: ctx.password }) });
  expect(res.status).toBe(200);
  const session = JSON.stringify(await res.json());
  const page = await ctx.page();
  await page.addInitScript({ content: `localStorage.setItem('duban.session', ${JSON.stringify(session)});` });
  return page;
}

/** axe-core over the page's own content (<main>, and any open dialog): no serious or critical violation. */
async function noSeriousViolations(ctx: WebTestContext, page: Page, where: string): Promise<void> {
  await ctx.axe(page); // loads axe-core into the page (the frame around <main> is W2's and checked by its scenarios)
  const violations = (
    (await page.evaluate(
      `axe.run({ include: [['main'], ['.ant-modal-wrap']] }, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html.slice(0, 200)) })))`,
    )) as { impact: string }[]
  ).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ where, violations }).toEqual({ where, violations: [] });
}

export function scenarios(ctx: WebTestContext): void {
  const code = `${YEAR}-341122-48-01-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const projectName = '城北物流园区一期（台账导入）';

  test('ledger: a bad cell is shown as a table and nothing is written; a good file is checked, then imported', async () => {
    const row = {
      项目代码: code,
      项目名称: projectName,
      项目类别: '基础设施',
      责任单位: '县自然资源局',
      项目业主: '县城投集团',
      所在乡镇: '城关镇',
      '总投资（万元）': 'abc',
      包联领导: '副县长丙',
      [`${YEAR}年计划投资（万元）`]: 3000,
    };
    const bad = await ledgerFile(ctx, row, '台账-错误.xlsx');
    const good = await ledgerFile(ctx, { ...row, '总投资（万元）': 8000 }, '台账.xlsx');
    const before = (await ctx.db.ds.query(`SELECT count(*)::int AS n FROM project`))[0].n;
    const audits = (await ctx.db.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'project.import%'`))[0].n;

    const page = await openAs(ctx, 'office');
    await page.goto(`${ctx.web}/ledger`);
    await page.getByLabel('台账文件（.xlsx）').setInputFiles(bad);
    const problems = page.getByRole('table').filter({ hasText: '总投资（万元）' });
    await problems.getByText('应为不小于0的数字：abc').waitFor();
    await page.getByText('台账有1处错误，未写入任何数据').waitFor();
    expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
    expect((await ctx.db.ds.query(`SELECT count(*)::int AS n FROM project`))[0].n).toBe(before);
    expect((await ctx.db.ds.query(`SELECT count(*)::int AS n FROM project WHERE code = $1`, [code]))[0].n).toBe(0);
    expect((await ctx.db.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'project.import%'`))[0].n).toBe(audits);
    await ctx.screenshot(page, 'ledger-import-problems');
    await noSeriousViolations(ctx, page, '/ledger (problems)');

    await page.getByLabel('台账文件（.xlsx）').setInputFiles(good);
    await page.getByText('检查通过：1行，将新增1个项目').waitFor();
    // Checked, not written: the project appears only on 确认导入.
    expect((await ctx.db.ds.query(`SELECT count(*)::int AS n FROM project WHERE code = $1`, [code]))[0].n).toBe(0);
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('导入完成').waitFor();
    expect((await ctx.db.ds.query(`SELECT name FROM project WHERE code = $1`, [code]))[0].name).toBe(projectName);
    expect(pageErrors(page)).toEqual([]);
  });

  test('an approval clerk accepts and approves an item on the approvals desk; each button only when the state allows it', async () => {
    const catalogue = (await ctx.http('GET', '/approval-catalogue')).body as { id: string; code: string; name: string }[];
    const permit = catalogue.find((c) => c.code === 'construction-permit')!;
    const project = await ctx.http('POST', '/projects', {
      code: `${YEAR}-341122-48-02-${String((Date.now() + 7) % 1_000_000).padStart(6, '0')}`,
      name: '城东保障性住房项目',
      category: 'social',
      responsibleUnitId: ctx.county.unitId,
      owner: '县住房保障中心',
      totalInvestment: 20000,
    });
    expect(project.status).toBe(201);
    const plan = await ctx.http('PUT', `/projects/${project.body.id}/approval-plan`, { catalogueItemIds: [permit.id], reason: '按项目类别' });
    expect(plan.status).toBe(200);
    const itemId = plan.body.stages[0].lanes[0].id as string;
    const submitted = await ctx.http('POST', `/approval-items/${itemId}/submit`, {}, 'staff');
    expect([submitted.status, submitted.body.status]).toEqual([201, 'submitted']);

    const page = await openAs(ctx, 'approval');
    await page.goto(`${ctx.web}/approvals`);
    const item = permit.name;
    await page.getByRole('button', { name: `受理：${item}`, exact: true }).waitFor();
    // Submitted: accept or ask for supplements, nothing else yet.
    expect(await page.getByRole('button', { name: `批准：${item}`, exact: true }).count()).toBe(0);
    expect(await page.getByRole('cell', { name: '城东保障性住房项目', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: `受理：${item}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认受理' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `批准：${item}`, exact: true }).waitFor();
    expect(await page.getByRole('button', { name: `受理：${item}`, exact: true }).count()).toBe(0);
    await ctx.screenshot(page, 'approvals-desk');
    await noSeriousViolations(ctx, page, '/approvals');

    // A rejection without a reason: refused in the server's words, nothing changes.
    await page.getByRole('button', { name: `不予批准：${item}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认不予批准' }).click();
    await page.getByRole('dialog').getByRole('alert').getByText('请求参数有误：reason').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();

    // 一次性告知: every document needed, at once; the clock stops and the item waits for the applicant.
    await page.getByRole('button', { name: `一次性告知补正：${item}`, exact: true }).click();
    await page.getByRole('dialog').getByLabel('需补正的材料（每行一项）').fill('施工合同\n监理合同');
    await page.getByRole('dialog').getByLabel('理由').fill('合同未盖章');
    await page.getByRole('dialog').getByRole('button', { name: '确认一次性告知补正' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText('待申请方补正').waitFor();
    expect(await page.getByRole('button', { name: `批准：${item}`, exact: true }).count()).toBe(0);
    const asked = (await ctx.http('GET', `/approval-items/${itemId}`, undefined, 'approval')).body;
    expect([asked.status, asked.events.at(-1).details?.missing ?? asked.events.at(-1).reason]).toEqual(['supplement_requested', expect.anything()]);
    expect((await ctx.http('POST', `/approval-items/${itemId}/material`, { note: '已盖章' }, 'staff')).body.status).toBe('under_review');
    await page.getByRole('button', { name: '刷新' }).click();

    await page.getByRole('button', { name: `批准：${item}`, exact: true }).click();
    await page.getByRole('dialog').getByLabel('批准文号').fill('县住建施〔2026〕1号');
    await page.getByRole('dialog').getByRole('button', { name: '确认批准' }).click();
    await eventually('the item approved', async () => (await ctx.http('GET', `/approval-items/${itemId}`, undefined, 'approval')).body.status === 'approved');
    expect((await ctx.http('GET', `/approval-items/${itemId}`, undefined, 'approval')).body.documentNo).toBe('县住建施〔2026〕1号');
    // Decided: off the department's working queue.
    await page.getByRole('button', { name: `批准：${item}`, exact: true }).waitFor({ state: 'detached' });
  });

  test('the weekly bulletin shows the ranking, the red and black lists and downloads as .xlsx and as the official .docx', async () => {
    expect((await ctx.http('POST', '/schedules/weekly-bulletin/trigger')).status).toBe(201);
    await eventually('a bulletin with the imported project', async () => {
      const b = await ctx.http('GET', '/bulletins/current');
      if (b.status === 200 && b.body.data.ranking.some((p: { code: string }) => p.code === code)) return true;
      throw new Error(`${b.status} ${b.body.number ?? b.body.message} ${JSON.stringify(b.body.data?.ranking?.map((p: { code: string }) => p.code))}`);
    });
    const page = await openAs(ctx, 'office');
    await page.goto(`${ctx.web}/bulletins`);
    const ranking = page.getByRole('tabpanel', { name: '排名' });
    await ranking.getByRole('link', { name: projectName }).waitFor();
    await page.getByRole('img', { name: '项目完成率柱状图' }).waitFor();
    await ctx.screenshot(page, 'bulletin');
    await noSeriousViolations(ctx, page, '/bulletins');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载Excel（.xlsx）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    // The official document: named after the bulletin's number, and its text is the bulletin's.
    const current = (await ctx.http('GET', '/bulletins/current')).body;
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载通报（.docx）' }).click()]);
    expect(docx.suggestedFilename()).toBe(`${current.number}.docx`);
    const xml = await (await JSZip.loadAsync(readFileSync(await docx.path())))!.file('word/document.xml')!.async('string');
    expect(xml).toContain(current.number.replace('重点项目推进情况通报', ''));
    expect(xml).toContain(projectName);
    await page.getByRole('tab', { name: '红黑榜' }).click();
    await page.getByText('黑榜（进度最慢）').waitFor();
    expect(pageErrors(page)).toEqual([]);
  });

  test('administration: the project office creates an org unit (an empty form is refused in the API’s words)', async () => {
    const page = await openAs(ctx, 'office');
    await page.goto(`${ctx.web}/admin/org-units`);
    await page.getByRole('button', { name: '新建单位' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog
      .getByRole('alert')
      .getByText(/请求参数有误：name、kind/)
      .waitFor();
    await dialog.getByLabel('名称').fill('县数据资源局');
    await dialog.getByLabel('类型').click();
    await page.locator('.ant-select-item-option', { hasText: '部门' }).last().click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: '县数据资源局', exact: true }).waitFor();
    expect((await ctx.db.ds.query(`SELECT kind FROM org_unit WHERE name = '县数据资源局'`))[0].kind).toBe('department');
    await noSeriousViolations(ctx, page, '/admin/org-units');

    // Every administration page: its list loads, and axe-core finds nothing serious.
    expect((await ctx.http('POST', '/api-keys', { name: '市重点项目平台', scopes: ['projects:read'] })).status).toBe(201);
    for (const [path, heading] of [
      ['people', '人员与角色'],
      ['accounts', '账号'],
      ['api-keys', '接口密钥'],
      ['policies', '督办规则'],
      ['schedules', '定时任务'],
      ['audit', '审计日志'],
    ]) {
      await page.goto(`${ctx.web}/admin/${path}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      await page
        .locator('.ant-table-row')
        .first()
        .waitFor()
        .catch(async (e) => {
          await ctx.screenshot(page, 'debug-admin');
          throw new Error(`/admin/${path}: ${e}`);
        });
      await noSeriousViolations(ctx, page, `/admin/${path}`);
    }
    expect(pageErrors(page)).toEqual([]);

    await page.goto(`${ctx.web}/admin/calendar`);
    await page.getByRole('button', { name: new RegExp(`${YEAR}-10-01 `) }).waitFor();
    await ctx.screenshot(page, 'calendar-year');
    await noSeriousViolations(ctx, page, '/admin/calendar');
  });
}
