/**
 * W3's scenarios: the battle map (filters change the grid, counts are links, the 大屏 refreshes
 * itself, the first page of 20,000 projects), the matter page (ladder, countdown, timeline, a
 * numbered notice, a refusal in the server's own words, a blocker reported from the project page),
 * the project page (the Gantt), axe-core on each, and screenshots into docs/screenshots/.
 */
import { DateTime } from 'luxon';
import { seedBatch } from '../bench/battle-map';
import { PHONE, pageErrors, type Page } from '../support/browser';
import { USERS, chooseOption, pickOption, type WebTestContext } from './context';

const ZONE = 'Asia/Shanghai';
const BENCH_CODES = '2026-341122-48-03-%';

/** A day relative to today in the organisation's time zone, YYYY-MM-DD. */
const day = (offset: number) => DateTime.now().setZone(ZONE).plus({ days: offset }).toISODate()!;

/** The project ids the grid shows now. */
const gridProjects = (page: Page) => page.locator('[data-testid=battle-grid] tr[data-project]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-project')));
const gridColours = (page: Page) => page.locator('[data-testid=battle-grid] tr[data-project]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-colour')));

/** Polls `fn` until `ok` holds of its value (or the time is up); answers the last value, for the test to assert on. */
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined as T);
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Serious and critical axe-core violations of the page's own content: the frame around it (top bar,
 * navigation: tests/web/core.scenario.ts checks it) is left out here and only reported, so that each
 * page answers for itself.
 */
async function axePage(ctx: WebTestContext, page: Page, name: string): Promise<unknown[]> {
  const all = (await ctx.axe(page)) as { id: string }[];
  const own = (await page.evaluate(
    `axe.run({ exclude: [['.duban-header']] }, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target) })))`,
  )) as { id: string }[];
  if (all.length > own.length) console.warn(`axe on ${name}: the frame (.duban-header) has serious violations: ${JSON.stringify(all)}`);
  return own;
}

/** Chooses an option of the antd Select labelled `label`. */
async function choose(page: Page, label: string, option: string) {
  await chooseOption(page, page.getByRole('combobox', { name: label }), option);
}

export function scenarios(ctx: WebTestContext): void {
  /** 城南 (red: its approval stage overdue) in the fixture's township; 城东 (green) in a township of its own. */
  const p = { red: '', green: '', eastTownship: '', matter: '' };
  /** Every page a test opens is closed after it, passed or failed. */
  const pages: Page[] = [];
  const login = async (username: string, viewport?: { width: number; height: number }) => {
    const page = await ctx.loggedIn(username, viewport);
    pages.push(page);
    return page;
  };
  afterEach(async () => {
    // An uncaught error in a page is a bug of the console: it fails the test that met it.
    const errors = pages.flatMap((page) => pageErrors(page));
    for (const page of pages.splice(0))
      await page
        .context()
        .close()
        .catch(() => undefined);
    if (errors.length) throw new Error(`uncaught page errors: ${errors.join(' | ')}`);
  });

  beforeAll(async () => {
    const ok = <T>(r: { status: number; body: T }, what: string) => {
      if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const east = ok(await ctx.http<{ id: string }>('POST', '/org-units', { name: '城东新区', kind: 'township' }), 'township');
    p.eastTownship = east.id;
    const project = async (code: string, name: string, townshipId: string) =>
      ok(
        await ctx.http<{ id: string }>('POST', '/projects', {
          code,
          name,
          category: 'industry',
          responsibleUnitId: ctx.county.unitId,
          owner: '县工投集团',
          townshipId,
          totalInvestment: 36000,
          liaisonLeaderIds: [ctx.county.leader],
        }),
        name,
      ).id;
    p.red = await project('2026-341122-48-05-000301', '城南智能制造产业园（W3）', ctx.county.townshipId);
    p.green = await project('2026-341122-48-05-000302', '城东冷链物流中心（W3）', east.id);
    const plan = (stages: object[]) => ({ stages, warningDays: 10, reason: '按县重点项目倒排工期计划（测试）' });
    ok(
      await ctx.http('PUT', `/projects/${p.red}/plan`, {
        ...plan([
          { stage: 'planning', dueOn: day(-90), doneOn: day(-95) },
          { stage: 'approval', dueOn: day(-3) },
          { stage: 'land', dueOn: day(60) },
          { stage: 'start', dueOn: day(120) },
          { stage: 'completion', dueOn: day(400) },
        ]),
      }),
      'red plan',
    );
    ok(
      await ctx.http('PUT', `/projects/${p.green}/plan`, {
        ...plan([
          { stage: 'planning', dueOn: day(40) },
          { stage: 'approval', dueOn: day(100) },
          { stage: 'land', dueOn: day(160) },
          { stage: 'start', dueOn: day(220) },
          { stage: 'completion', dueOn: day(500) },
        ]),
      }),
      'green plan',
    );
    const now = DateTime.now().setZone(ZONE);
    ok(await ctx.http('PUT', `/projects/${p.red}/investment-plans/${now.year}`, { amount: 12000, reason: '年度投资计划（测试）' }), 'investment plan');
    if (now.month > 1) ok(await ctx.http('POST', `/projects/${p.red}/investment-reports`, { year: now.year, month: now.month - 1, completed: 3000 }, USERS.staff), 'report');
    ok(await ctx.http('POST', `/projects/${p.red}/investment-reports`, { year: now.year, month: now.month, completed: 4200 }, USERS.staff), 'report');
    // The red colour comes from the stage's instants at read time; wait until the lifecycle has the approval stage active.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const map = await ctx.http<{ items: { id: string; colour: string | null }[] }>('GET', `/battle-map?townshipId=${ctx.county.townshipId}&pageSize=200`);
      if (map.body.items.find((i) => i.id === p.red)?.colour === 'red') break;
      if (Date.now() > deadline) throw new Error(`project never red: ${JSON.stringify(map.body.items.map((i) => [i.id, i.colour]))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  test('battle map: red first, colour and township filters change the grid, counts are links, no serious axe violation', async () => {
    const page = await login(USERS.office);
    const started = Date.now();
    await page.goto(`${ctx.web}/battle-map`);
    await page.locator('[data-testid=battle-grid] tr[data-project]').first().waitFor();
    console.log(
      `battle map (small county, ${await page.locator('[data-testid=battle-grid]').getAttribute('data-total')} projects): first page on screen ${Date.now() - started} ms`,
    );
    const colours = await gridColours(page);
    // Red first, then yellow, green, no plan.
    const rank = colours.map((c) => ['red', 'yellow', 'green', 'none'].indexOf(c ?? 'none'));
    expect(colours[0]).toBe('red');
    expect(rank).toEqual([...rank].sort((a, b) => a - b));
    expect(await gridProjects(page)).toEqual(expect.arrayContaining([p.red, p.green]));
    await page.locator('[data-testid=colour-chart] canvas').first().waitFor();
    expect(await axePage(ctx, page, 'battle map')).toEqual([]);
    await ctx.screenshot(page, 'battle-map');

    // Colour: only red projects, ours among them.
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/battle-map') && r.url().includes('colour=red')), choose(page, '颜色', '红')]);
    await page.waitForURL(/colour=red/);
    expect(
      new Set(
        await until(
          () => gridColours(page),
          (c) => c.length > 0 && c.every((x) => x === 'red'),
        ),
      ),
    ).toEqual(new Set(['red']));
    expect(await gridProjects(page)).toContain(p.red);
    expect(await gridProjects(page)).not.toContain(p.green);

    // Township (with the colour cleared): only the project in 城东新区.
    await page.getByRole('button', { name: /清除筛选/ }).click();
    await page.waitForURL((u) => !u.search.includes('colour='));
    await Promise.all([page.waitForResponse((r) => r.url().includes(`townshipId=${p.eastTownship}`)), choose(page, '乡镇', '城东新区')]);
    expect(
      await until(
        () => gridProjects(page),
        (ids) => ids.length === 1 && ids[0] === p.green,
      ),
    ).toEqual([p.green]);

    // Every count is a link: the red count opens the red projects (the township filter kept).
    await page.getByRole('button', { name: /清除筛选/ }).click();
    await page.waitForURL((u) => !u.search.includes('townshipId='));
    await page.getByTestId('count-red').click();
    await page.waitForURL(/colour=red/);
    expect(
      await until(
        () => gridColours(page).then((c) => [...new Set(c)]),
        (c) => c.length === 1 && c[0] === 'red',
      ),
    ).toEqual(['red']);
  });

  test('battle map full screen (?screen=1): dark, large, refreshes itself every 60 s', async () => {
    const page = await login(USERS.office);
    await page.clock.install();
    let requests = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/battle-map')) requests += 1;
    });
    await page.goto(`${ctx.web}/battle-map?screen=1`);
    await page.locator('[data-testid=battle-grid] tr[data-project]').first().waitFor();
    await page.locator('[data-testid=colour-chart] canvas').first().waitFor();
    const screen = page.getByTestId('battle-screen');
    type Styled = { getComputedStyle(e: unknown): { backgroundColor: string; fontSize: string } };
    expect(await screen.evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).backgroundColor)).toBe('rgb(11, 20, 38)');
    expect(await page.locator('h1').evaluate((e) => parseFloat((globalThis as unknown as Styled).getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(36);
    expect(await page.locator('.duban-header').count()).toBe(0);
    expect(await axePage(ctx, page, 'battle map screen')).toEqual([]);
    await ctx.screenshot(page, 'battle-map-screen');
    const before = requests;
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/battle-map')), page.clock.fastForward(61_000)]);
    expect(requests).toBeGreaterThan(before);
  });

  test('a unit reports a blocker from the project page; the matter page shows the ladder, countdown and timeline', async () => {
    const page = await login(USERS.staff);
    await page.goto(`${ctx.web}/projects/${p.red}`);
    await page.getByRole('button', { name: '报告问题' }).click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, dialog, '问题类别', '征迁');
    await dialog.getByLabel('问题标题').fill('园区东侧3户未签订征迁补偿协议');
    await dialog.getByLabel('问题描述').fill('涉及园区东侧3户，补偿标准存在争议，影响用地交付');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    // The report starts the matter's workflow and waits for it to be recorded: allow a loaded machine its time.
    await page.waitForURL(/\/matters\/[0-9a-f-]{36}$/, { timeout: 60_000 }).catch(async (e) => {
      throw new Error(`no matter page after reporting: ${e}; the dialog says: ${await dialog.textContent().catch(() => '')}`);
    });
    p.matter = page.url().split('/').pop()!;
    expect(
      await until(
        () => page.locator('h1').textContent(),
        (t) => t === '园区东侧3户未签订征迁补偿协议',
      ),
    ).toBe('园区东侧3户未签订征迁补偿协议');

    const ladder = page.getByTestId('ladder');
    await ladder.waitFor();
    for (const rung of ['责任单位', '包联领导', '县委县政府']) expect(await ladder.textContent()).toContain(rung);
    expect(await ladder.locator('[aria-current=step]').textContent()).toContain('当前层级');
    const countdown = page.getByTestId('countdown');
    expect(await countdown.textContent()).toMatch(/剩余/);
    expect(await countdown.getAttribute('data-colour')).toBe('green');
    // Live: the seconds move.
    const first = await countdown.textContent();
    expect(
      await until(
        () => countdown.textContent(),
        (t) => t !== first,
        5000,
      ),
    ).not.toBe(first);
    expect(await page.getByTestId('timeline').textContent()).toContain('报告问题');
    expect(await page.getByTestId('timeline').textContent()).toContain('联络员乙');
  });

  test('the matter page shows a refusal in the server’s words, and a numbered notice after 主动上报', async () => {
    // The liaison leader may act on matters, but not acknowledge one on the unit's rung: the server refuses it,
    // and the page offers only what the matter's answer allows (no 签收 button for them here).
    const api = await ctx.http<{ message: string; messageEn: string }>('POST', `/blockers/${p.matter}/acknowledge`, {}, USERS.liaison);
    expect(api.status).toBe(403);
    const offered = await ctx.http<{ allowedActions: string[] }>('GET', `/blockers/${p.matter}`, undefined, USERS.liaison);
    expect(offered.body.allowedActions).not.toContain('acknowledge');
    // On a phone, as the liaison leader arrives from a notice: the page fits the width.
    const liaison = await login(USERS.liaison, PHONE);
    await liaison.goto(`${ctx.web}/matters/${p.matter}`);
    await liaison.getByTestId('ladder').waitFor();
    expect(await liaison.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    expect(await liaison.getByRole('button', { name: /^签\s*收$/ }).count()).toBe(0);

    // The unit asks for an extension to a time before the current one: the server's words, shown as they are.
    const staffApi = await ctx.http<{ allowedActions: string[] }>('GET', `/blockers/${p.matter}`, undefined, USERS.staff);
    expect(staffApi.body.allowedActions).toEqual(expect.arrayContaining(['acknowledge', 'requestExtension', 'escalateNow', 'resolve']));
    const refusedApi = await ctx.http<{ message: string; messageEn: string }>(
      'POST',
      `/blockers/${p.matter}/extension-request`,
      { until: '2020-01-01T00:00:00.000Z', reason: '测试' },
      USERS.staff,
    );
    expect(refusedApi.status).toBeGreaterThanOrEqual(400);
    const early = await login(USERS.staff);
    await early.goto(`${ctx.web}/matters/${p.matter}`);
    await early.getByRole('button', { name: '申请延期' }).click();
    await early.getByRole('dialog').getByLabel('申请延至').fill('2020-01-01T08:00');
    await early.getByRole('dialog').getByLabel('申请理由').fill('征迁协议尚在协商');
    await early
      .getByRole('dialog')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    const refusal = early.getByRole('dialog').getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(refusedApi.body.message);
    expect(await refusal.textContent()).toContain(refusedApi.body.messageEn);

    // The unit escalates it at once: the ladder moves up and a numbered 督办 notice is listed.
    const staff = await login(USERS.staff);
    await staff.goto(`${ctx.web}/matters/${p.matter}`);
    await staff.getByRole('button', { name: '主动上报' }).click();
    await staff.getByRole('dialog').getByLabel('已采取的措施及上报理由').fill('已三次入户协商未果，需包联领导协调补偿标准');
    await staff
      .getByRole('dialog')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    const currentStep = () =>
      staff
        .getByTestId('ladder')
        .locator('.ant-steps-item')
        .filter({ has: staff.locator('[aria-current=step]') })
        .textContent();
    expect(await until(currentStep, (t) => !!t?.includes('包联领导'))).toContain('包联领导');
    const notices = async () => {
      await staff.reload();
      await staff.getByTestId('timeline').waitFor();
      return staff.getByTestId('notices').textContent();
    };
    expect(await until(notices, (t) => /督办〔\d{4}〕\d+号/.test(t ?? ''), 30_000)).toMatch(/督办〔\d{4}〕\d+号/);
    expect(await staff.getByTestId('timeline').textContent()).toContain('升级督办');
    expect(await staff.getByTestId('timeline').textContent()).toContain('已三次入户协商未果');
    expect(await axePage(ctx, staff, 'matter page')).toEqual([]);
    await ctx.screenshot(staff, 'matter');

    // Now on the liaison rung, the unit may no longer acknowledge it: the page offers no 签收 (the server would refuse it).
    await staff.reload();
    await staff.getByTestId('ladder').waitFor();
    expect(await staff.getByRole('button', { name: /^签\s*收$/ }).count()).toBe(0);
    expect((await ctx.http('POST', `/blockers/${p.matter}/acknowledge`, {}, USERS.staff)).status).toBe(403);
  });

  test('the project page draws the Gantt (today’s line, stage colours), investment and blockers; no serious axe violation', async () => {
    const page = await login(USERS.office);
    await page.goto(`${ctx.web}/projects/${p.red}`);
    const gantt = page.getByTestId('gantt');
    await gantt.locator('canvas').first().waitFor();
    const label = (await gantt.getAttribute('aria-label')) ?? '';
    for (const stage of ['前期', '审批', '用地', '开工', '竣工投产']) expect(label).toContain(stage);
    expect(label).toContain('审批：进行中');
    // The bars are drawn: the canvas holds the stage colours (red for the overdue approval stage).
    const drawn = await gantt
      .locator('canvas')
      .first()
      .evaluate((canvas) => {
        const c = canvas as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
        };
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let red = 0;
        let green = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] === 0xcf && d[i + 1] === 0x13 && d[i + 2] === 0x22) red += 1;
          if (d[i] === 0x52 && d[i + 1] === 0xc4 && d[i + 2] === 0x1a) green += 1;
        }
        return { red, green };
      });
    expect(drawn.red).toBeGreaterThan(100);
    expect(drawn.green).toBeGreaterThan(100);
    await page.getByTestId('investment-chart').locator('canvas').first().waitFor();
    const blockers = () => page.getByTestId('project-blockers').textContent();
    expect(await until(blockers, (t) => !!t?.includes('园区东侧3户未签订征迁补偿协议'))).toContain('园区东侧3户未签订征迁补偿协议');
    expect(await axePage(ctx, page, 'project page')).toEqual([]);
    await ctx.screenshot(page, 'project');

    // The unit reports the start stage done without its construction permit: the workflow's rule, in its words.
    const staff = await login(USERS.staff);
    await staff.goto(`${ctx.web}/projects/${p.red}`);
    await staff.getByRole('button', { name: '报告阶段完成' }).click();
    const dialog = staff.getByRole('dialog');
    await pickOption(staff, dialog, '阶段', '开工');
    await dialog.getByLabel('完成日期').fill(day(0));
    await dialog.getByLabel(/佐证材料名称/).fill('开工仪式照片');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.getByTestId('refusal').waitFor();
    expect(await dialog.getByTestId('refusal').textContent()).toContain('开工阶段须记录施工许可证');
  });

  describe('20,000 projects', () => {
    afterAll(async () => {
      // Leave the shared county as it was for the scenarios after these.
      const projects = `SELECT id FROM project WHERE code LIKE '${BENCH_CODES}'`;
      for (const table of ['blocker', 'investment_report', 'investment_plan', 'project_stage', 'project_lifecycle', 'project_liaison_leader'])
        await ctx.db.ds.query(`DELETE FROM ${table} WHERE project_id IN (${projects})`);
      await ctx.db.ds.query(`DELETE FROM project WHERE code LIKE '${BENCH_CODES}'`);
    });

    test('the battle map’s first page of 20,000 projects is on screen (one page fetched, not the list)', async () => {
      const year = DateTime.now().setZone(ZONE).year;
      const township = (await ctx.http<{ id: string }>('POST', '/org-units', { name: '压测镇', kind: 'township' })).body.id;
      for (let lo = 1; lo <= 20_000; lo += 5000) await seedBatch(ctx.db.ds, { unitId: ctx.county.unitId, townshipId: township, leaderId: ctx.county.leader }, lo, lo + 4999, year);
      await ctx.db.ds.query(`ANALYZE project, project_liaison_leader, project_lifecycle, project_stage, investment_plan, investment_report, blocker`);
      const page = await login(USERS.office);
      const sizes: number[] = [];
      page.on('response', async (r) => {
        if (r.url().includes('/api/battle-map')) sizes.push((await r.body()).length);
      });
      const times: number[] = [];
      const apiMs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const started = Date.now();
        await page.goto(`${ctx.web}/battle-map`);
        await page.locator('[data-testid=battle-grid] tr[data-project]').first().waitFor();
        times.push(Date.now() - started);
        apiMs.push(
          await page.evaluate<number>(
            `(() => { const e = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/battle-map')).pop(); return e ? Math.round(e.responseEnd - e.startTime) : -1; })()`,
          ),
        );
      }
      const total = Number(await page.getByTestId('battle-grid').getAttribute('data-total'));
      expect(total).toBeGreaterThan(20_000);
      expect(await page.locator('[data-testid=battle-grid] tr[data-project]').count()).toBe(20);
      // A filter on the page already open: one request, the grid redrawn.
      await page.getByRole('combobox', { name: '颜色' }).click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="黄"]');
      await option.waitFor();
      const filterStarted = Date.now();
      await option.click();
      await page.locator('[data-testid=battle-grid] tr[data-project][data-colour=yellow]').nth(19).waitFor();
      const filterMs = Date.now() - filterStarted;
      // The unfiltered first page is all red (red first); the yellow filter brings a page of yellow ones.
      expect(new Set(await gridColours(page))).toEqual(new Set(['yellow']));
      // One request per load or filter, each one page (not 20,000 rows).
      expect(
        await until(
          async () => sizes.length,
          (n) => n >= 4,
          5000,
        ),
      ).toBe(4);
      expect(Math.max(...sizes)).toBeLessThan(200_000);
      console.log(
        `battle map, ${total} projects, page size 20: first page on screen ${times.join(' / ')} ms (whole page load: bundles, login check, one /api/battle-map; cold then warm), ` +
          `of which /api/battle-map ${apiMs.join(' / ')} ms; colour filter (yellow) chosen → its page on screen ${filterMs} ms; answer ${Math.round(Math.max(...sizes) / 1024)} KB`,
      );
    });
  });
}
