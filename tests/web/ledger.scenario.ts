/**
 * A county's own ledger in the console (issue 14): the upload proposes which
 * column is which field with its confidence; the office changes one (and sees
 * the problems that makes, nothing written), puts it back and confirms; the
 * check passes and the import runs; the next upload of the same shape shows
 * the saved mapping. Runs last: it adds three projects to the shared county.
 */
import { join } from 'node:path';
import { pageErrors } from '../support/browser';
import { chooseOption, type WebTestContext } from './context';

const COUNTY_A = join(__dirname, '../fixtures/ledgers/county-a.xlsx');

export function scenarios(ctx: WebTestContext): void {
  test("ledger: a county's own ledger is mapped, confirmed, checked and imported; its mapping is kept", async () => {
    const count = async () => (await ctx.db.ds.query(`SELECT count(*)::int AS n FROM project WHERE code LIKE '2026-341122-48-03-%'`))[0].n;
    expect(await count()).toBe(0);
    const page = await ctx.loggedIn('office');
    await page.goto(`${ctx.web}/ledger`);
    await page.getByLabel('台账文件（.xlsx）').setInputFiles(COUNTY_A);
    const mapping = page.getByRole('table', { name: '列对应关系' });
    await mapping.getByText('总投资（亿元）').waitFor();
    await page.getByText('表头在第3行。请核对每列对应的字段，确认后再检查导入。').waitFor();
    // No check and no import button before the mapping is confirmed.
    expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
    await ctx.screenshot(page, 'ledger-mapping');
    expect(await ctx.axe(page)).toEqual([]);

    // The office leaves 业主单位 out: the new projects then lack their owner, and the check says so by row.
    await chooseOption(page, page.getByLabel('“业主单位”对应字段'), '（不导入）');
    await page.getByRole('button', { name: '确认列对应关系并检查' }).click();
    const problems = page.getByRole('table', { name: '台账错误' });
    await problems.getByText('不能为空：新项目须填写项目业主').first().waitFor();
    await page.getByText('台账有3处错误，未写入任何数据').waitFor();
    expect(await count()).toBe(0);

    // Put back and saved: the check passes; the import runs.
    await chooseOption(page, page.getByLabel('“业主单位”对应字段'), '项目业主');
    await page.getByRole('button', { name: '保存修改后的列对应关系并检查' }).click();
    await page.getByText('检查通过：3行，将新增3个项目').waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('导入完成').waitFor();
    expect(await count()).toBe(3);
    expect((await ctx.db.ds.query(`SELECT total_investment::float AS t FROM project WHERE code = '2026-341122-48-03-000011'`))[0].t).toBe(12000);

    // The same shape again: the saved mapping is proposed and the check runs at once.
    await page.goto(`${ctx.web}/ledger`);
    await page.getByLabel('台账文件（.xlsx）').setInputFiles(COUNTY_A);
    await page.getByText(/沿用已保存的列对应关系/).waitFor();
    await page.getByText('检查通过：3行，将新增0个项目、更新3个项目').waitFor();
    expect(pageErrors(page)).toEqual([]);
  });
}
