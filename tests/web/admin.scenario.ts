/**
 * H2's administration scenarios: the project office edits who sits on a
 * ladder's rung (a save without a reason is refused in the API's words), and
 * pauses then resumes a schedule with a note, shown in the list; both land in
 * the audit log with their reasons.
 */
import { pageErrors, type Page } from '../support/browser';
import { eventually } from '../support/stack';
import type { WebTestContext } from './context';

export function scenarios(ctx: WebTestContext): void {
  const pages: Page[] = [];
  const track = (page: Page) => (pages.push(page), page);
  afterEach(async () => {
    const errors = pages.flatMap((p) => pageErrors(p));
    for (const page of pages.splice(0))
      await page
        .context()
        .close()
        .catch(() => undefined);
    expect(errors).toEqual([]);
  });

  test('the project office adds a person to a ladder’s rung, with a reason (refused without one)', async () => {
    const [envoy, added] = [ctx.county.leader, ctx.county.countyLeaders[1]];
    const ladder = await ctx.http('POST', '/ladders', {
      name: '网页专员层级',
      rungs: [
        { key: 'unit', name: { zh: '责任单位', en: 'responsible unit' }, members: { kind: 'responsible_unit' } },
        { key: 'envoy', name: { zh: '专员督办', en: 'special envoy' }, members: { kind: 'people', personIds: [envoy] } },
      ],
    });
    expect([ladder.status, ladder.body?.message]).toEqual([201, undefined]);
    const [addedName] = (await ctx.db.ds.query(`SELECT name FROM person WHERE id = $1`, [added])).map((r: { name: string }) => r.name);

    const page = track(await ctx.loggedIn('office'));
    await page.goto(`${ctx.web}/admin/policies`);
    await page.getByRole('link', { name: '修改层级：网页专员层级' }).click();
    await page.getByRole('heading', { name: '修改督办层级：网页专员层级' }).waitFor();
    expect(await ctx.axe(page)).toEqual([]); // before a dropdown opens: antd leaves its emptied listbox behind, unnamed
    await page.getByRole('combobox', { name: '第2级人员' }).click();
    await page.locator('.ant-select-item-option', { hasText: addedName }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page
      .getByRole('alert')
      .getByText(/请求参数有误：reason/)
      .waitFor(); // refused: a reason is required
    expect((await ctx.db.ds.query(`SELECT rungs FROM ladder WHERE id = $1`, [ladder.body.id]))[0].rungs[1].members.personIds).toEqual([envoy]);

    await page.getByLabel('修改理由').fill('增设县长为专员督办（网页）');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL((u) => u.pathname === '/admin/policies');
    const [row] = await ctx.db.ds.query(`SELECT rungs FROM ladder WHERE id = $1`, [ladder.body.id]);
    expect(row.rungs[1].members).toEqual({ kind: 'people', personIds: [envoy, added] });
    const [audit] = await ctx.db.ds.query(`SELECT actor_id, reason FROM audit_log WHERE target_id = $1 AND action = 'ladder.update'`, [ladder.body.id]);
    expect(audit).toEqual({ actor_id: ctx.county.officer, reason: '增设县长为专员督办（网页）' });
  });

  test('the project office pauses a schedule with a note, sees it paused, and resumes it', async () => {
    const name = '每月投资进度检查';
    const page = track(await ctx.loggedIn('office'));
    await page.goto(`${ctx.web}/admin/schedules`);
    await page.getByRole('heading', { name: '定时任务' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(name) });

    const act = async (verb: '暂停' | '恢复', note: string) => {
      await page.getByRole('button', { name: `${verb}：${name}` }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/说明/).fill(note);
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.getByText(note).waitFor();
    };
    await act('暂停', '春节假期暂停（网页）');
    await row.getByText('已暂停').waitFor();
    expect(await ctx.axe(page)).toEqual([]);
    const paused = (await ctx.http('GET', '/schedules')).body.find((s: { key: string }) => s.key === 'investment-check');
    expect(paused).toMatchObject({ paused: true, note: '春节假期暂停（网页）' });

    await act('恢复', '节后恢复（网页）');
    await row.getByText('运行中').waitFor();
    expect((await ctx.http('GET', '/schedules')).body.find((s: { key: string }) => s.key === 'investment-check')).toMatchObject({ paused: false, note: '节后恢复（网页）' });
    const audit = await eventually('the audit rows', async () => {
      const rows = await ctx.db.ds.query(`SELECT action, reason FROM audit_log WHERE target_type = 'schedule' AND target_id = 'investment-check' ORDER BY seq`);
      return rows.length === 2 ? rows : null;
    });
    expect(audit).toEqual([
      { action: 'schedule.pause', reason: '春节假期暂停（网页）' },
      { action: 'schedule.resume', reason: '节后恢复（网页）' },
    ]);
  });
}
