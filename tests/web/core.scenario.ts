/**
 * W2's scenarios: the console is served by the API; each role logs in and
 * lands on its home; a first login forces a password change; at phone width
 * the liaison leader sees a freshly escalated matter arrive in the inbox,
 * acknowledges it and resolves it; axe-core finds no serious violation on the
 * login, home and inbox pages; the inbox route's JavaScript stays in budget.
 */
import { createAccounts } from '../support/fixtures';
import { PHONE, loginInBrowser, pageErrors, type Page } from '../support/browser';
import { routeJs } from '../support/bundle-size';
import { eventually } from '../support/stack';
import type { WebTestContext } from './context';

const NAMES: Record<string, string> = {
  county: '县长丁',
  liaison: '副县长丙',
  staff: '联络员乙',
  head: '局长甲',
  approval: '审批员庚',
  office: '项目办戊',
  supervision: '督查员己',
};

export function scenarios(ctx: WebTestContext): void {
  // Every page a test opens is closed after it, passed or failed (one browser serves all scenarios).
  const pages: Page[] = [];
  const track = (page: Page) => (pages.push(page), page);
  afterEach(async () => {
    const errors = pages.flatMap((p) => pageErrors(p));
    for (const page of pages.splice(0))
      await page
        .context()
        .close()
        .catch(() => undefined);
    expect(errors).toEqual([]); // an uncaught error in the console is a bug, whatever the test looked at
  });
  /** Where a page's URL has settled (a home may redirect once). */
  const settled = async (page: Page, path: string) => {
    try {
      await page.waitForURL((u) => u.pathname === path, { timeout: 15_000 });
    } catch {
      /* answered below with what the page shows instead */
    }
    const now = new URL(page.url()).pathname;
    if (now !== path) console.log(`expected ${path}, at ${now}:`, (await page.locator('body').innerText()).slice(0, 500));
    return now;
  };

  test('the API serves the console at / and falls back to it for its routes; the API keeps its JSON 404', async () => {
    for (const path of ['/', '/inbox', '/matters/00000000-0000-4000-8000-000000000000', '/admin/people']) {
      const res = await fetch(`${ctx.web}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<div id="root">');
    }
    const api = await fetch(`${ctx.web}/api/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${ctx.web}/assets/no-such-chunk.js`)).status).toBe(404);
    // The console's own script goes gzipped to a browser that accepts it.
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${ctx.web}/`)).text())?.[1];
    const js = await fetch(`${ctx.web}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-encoding')).toBe('gzip');
  });

  test('the login page: self-hosted Chinese font, no request leaves the server, a refusal in the API’s own words, no serious axe violation', async () => {
    const page = track(await ctx.page());
    const foreign: string[] = [];
    const fonts: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(ctx.web) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    page.on('response', (r) => {
      if (r.url().startsWith(`${ctx.web}/assets/noto-sans-sc-`) && r.url().endsWith('.woff2') && r.status() === 200) fonts.push(r.url());
    });
    await page.goto(`${ctx.web}/login`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    // The CJK font is ours: its subsets come from this server and are in use.
    expect(
      await page.evaluate(`document.fonts.ready.then(() => [...document.fonts].filter((f) => f.family.includes('Noto Sans SC') && f.status === 'loaded').length)`),
    ).toBeGreaterThan(0);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('h1')).fontFamily`)).toMatch(/^"?Noto Sans SC/);
    expect(fonts.length).toBeGreaterThan(0);
    expect(await ctx.axe(page)).toEqual([]);
    await ctx.screenshot(page, 'login');

    const [{ id: someone }] = await ctx.db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ('输错密码的人', $1, '{unit_staff}') RETURNING id`, [
      ctx.people.otherUnitId,
    ]);
    await createAccounts(ctx.db.ds, { wrongpw: someone });
    await page.getByLabel('用户名').fill('wrongpw');
    await page.getByLabel('密码', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();

    // The English toggle switches the page and antd's own texts.
    await page.getByRole('button', { name: /Switch to English/ }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('button', { name: /切换到中文/ }).click();
    expect(foreign).toEqual([]);
  });

  test('each role logs in and lands on its home', async () => {
    const homes: [string, string, string | RegExp][] = [
      ['county', '/', '督办总览'],
      ['liaison', '/inbox', '我的督办'],
      ['staff', '/', '本单位事项'],
      ['head', '/', '本单位事项'],
      ['approval', '/approvals', '审批'],
      ['office', '/battle-map', '挂图作战'],
      ['supervision', '/', '红色事项清单'],
    ];
    for (const [user, path, heading] of homes) {
      const page = track(await ctx.loggedIn(user));
      expect(await settled(page, path)).toBe(path);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      // The top bar: the person's name, the unread badge, logout.
      await page.getByRole('link', { name: /收件箱，未读 \d+ 条/ }).waitFor();
      await page.getByRole('button', { name: '退出' }).waitFor();
      await page.getByText(NAMES[user]).first().waitFor();
      await page.getByRole('button', { name: '退出' }).click();
      await page.waitForURL((u) => u.pathname === '/login');
    }
  });

  test('a first login forces a password change before anything else', async () => {
    const [{ id: newcomer }] = await ctx.db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ('新同事壬', $1, '{unit_staff}') RETURNING id`, [ctx.county.unitId]);
    await createAccounts(ctx.db.ds, { newcomer });
    await ctx.db.ds.query(`UPDATE account SET must_change_password = true WHERE username = 'newcomer'`);
    const page = track(await ctx.loggedIn('newcomer'));
    expect(await settled(page, '/change-password')).toBe('/change-password');
    // Any other page sends them back.
    await page.goto(`${ctx.web}/inbox`);
    expect(await settled(page, '/change-password')).toBe('/change-password');
    const fresh = 'Fresh-start-2027';
    await page.getByLabel('当前密码').fill(ctx.password);
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('确认新密码').fill('short');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.getByRole('alert').filter({ hasText: '密码长度须为10至200个字符' }).waitFor(); // the API's rule, in its words
    await page.getByLabel('新密码', { exact: true }).fill(fresh);
    await page.getByLabel('确认新密码').fill(fresh);
    await page.getByRole('button', { name: '确认修改' }).click();
    expect(await settled(page, '/')).toBe('/');
    await page.getByRole('heading', { name: '本单位事项' }).waitFor();
    const again = await ctx.http('POST', '/auth/login', { username: 'newcomer', password: fresh });
    expect(again.status).toBe(200);
    expect(again.body.mustChangePassword).toBe(false);
  });

  test('at phone width the liaison leader sees a fresh escalation arrive live, acknowledges it and resolves it', async () => {
    const page = track(await ctx.page(PHONE));
    const streamOpen = page.waitForResponse((r) => r.url().includes('/api/notices/stream?') && r.status() === 200);
    await loginInBrowser(page, ctx.web, 'liaison', ctx.password);
    expect(await settled(page, '/inbox')).toBe('/inbox');
    await page.getByRole('heading', { name: '我的督办' }).waitFor();
    await streamOpen; // the live stream is open before the matter is reported: what arrives next comes through it

    // The unit reports; the project office's automatic policy for the category climbs from the unit in 3 s.
    const policy = await ctx.http('POST', '/escalation-policies', {
      name: 'web: fast unit rung (水电气, urgent)',
      category: 'utilities',
      severity: 'urgent',
      automatic: true,
      rungs: [
        { rung: 'unit', responseTime: 'PT3S' },
        { rung: 'liaison', responseTime: 'P30D' },
        { rung: 'county', responseTime: 'P30D' },
      ],
    });
    expect([policy.status, policy.body?.message]).toEqual([201, undefined]);
    const title = '施工用电未接入（网页测试）';
    const reported = await ctx.http('POST', `/projects/${ctx.county.projectId}/blockers`, { category: 'utilities', severity: 'urgent', title }, 'staff');
    expect([reported.status, reported.body?.message]).toEqual([201, undefined]);
    const matterId = reported.body.id as string;

    // Live: no reload. The escalation notice carries its 督办 number.
    const card = page
      .locator('article', { hasText: title })
      .filter({ has: page.locator('text=督办') })
      .first();
    await card.waitFor({ timeout: 30_000 });
    const [notice] = await ctx.db.ds.query(`SELECT document_no FROM notice WHERE blocker_id = $1 AND kind = 'escalation' AND recipient_id = $2`, [matterId, ctx.county.leader]);
    if (notice?.document_no) await card.getByText(notice.document_no, { exact: true }).waitFor();
    expect(await card.getAttribute('data-unread')).toBe('true');
    await page.getByRole('link', { name: /收件箱，未读 [1-9]\d* 条/ }).waitFor(); // the top bar's count, live too
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await ctx.screenshot(page, 'inbox-phone');
    expect(await ctx.axe(page)).toEqual([]);

    // 签收 from the inbox.
    await card.getByRole('button', { name: `签收：${title}` }).click();
    await card.getByText('已签收').waitFor();
    const [ack] = await ctx.db.ds.query(`SELECT acknowledged_by FROM blocker WHERE id = $1`, [matterId]);
    expect(ack.acknowledged_by).toContain(ctx.county.leader);

    // Resolve from the inbox, with the result.
    await card.getByRole('button', { name: `办结：${title}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('办理结果').fill('已与3户签订补偿协议，完成腾退');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await eventually('resolved', async () => (await ctx.db.ds.query(`SELECT status FROM blocker WHERE id = $1`, [matterId]))[0].status === 'resolved', 15_000);
    await card.getByRole('button', { name: `办结：${title}` }).waitFor({ state: 'detached' });

    // One tap to the matter.
    await card.getByRole('link').first().click();
    await page.waitForURL((u) => u.pathname === `/matters/${matterId}`);
  });

  test('the liaison leader grants a unit’s extension request from the inbox', async () => {
    const policy = await ctx.http('POST', '/escalation-policies', {
      name: 'web: slow',
      severity: 'normal',
      automatic: false,
      rungs: [
        { rung: 'unit', responseTime: 'P10D' },
        { rung: 'liaison', responseTime: 'P30D' },
        { rung: 'county', responseTime: 'P30D' },
      ],
    });
    expect(policy.status).toBe(201);
    const title = '规划许可待批复（网页测试）';
    const reported = await ctx.http('POST', `/projects/${ctx.county.projectId}/blockers`, { category: 'planning', title, policyId: policy.body.id });
    expect(reported.status).toBe(201);
    const id = reported.body.id as string;
    const until = new Date(Date.now() + 20 * 86_400_000).toISOString();
    const asked = await ctx.http('POST', `/blockers/${id}/extension-request`, { reason: '需补充规划条件', until }, 'staff');
    expect([asked.status, asked.body?.message]).toEqual([200, undefined]);
    await eventually(
      'the extension notice',
      async () =>
        Number(
          (await ctx.db.ds.query(`SELECT count(*) FROM notice WHERE blocker_id = $1 AND kind = 'extension_requested' AND recipient_id = $2`, [id, ctx.county.leader]))[0].count,
        ) > 0,
      20_000,
    );

    const page = track(await ctx.loggedIn('liaison', PHONE));
    const card = page
      .locator('article', { hasText: title })
      .filter({ has: page.getByText('延期申请', { exact: true }) })
      .first();
    await card.getByRole('button', { name: `同意延期：${title}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('理由').fill('同意，请抓紧办理');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await eventually('granted', async () => (await ctx.db.ds.query(`SELECT extension FROM blocker WHERE id = $1`, [id]))[0].extension === null, 15_000);
    const [b] = await ctx.db.ds.query(`SELECT due_at FROM blocker WHERE id = $1`, [id]);
    expect(Math.abs(new Date(b.due_at).getTime() - new Date(until).getTime())).toBeLessThan(60_000); // the time asked (to the minute the form shows)
    await card.getByRole('button', { name: `同意延期：${title}`, exact: true }).waitFor({ state: 'detached' });
  });

  test('the county leader’s overview counts red matters by rung and unit, and each count opens those matters', async () => {
    // A matter that climbs to the county rung and passes its due time there within seconds (the office chooses the policy).
    const policy = await ctx.http('POST', '/escalation-policies', {
      name: 'web: to the county in seconds',
      severity: 'normal',
      automatic: false,
      rungs: [
        { rung: 'unit', responseTime: 'PT1S' },
        { rung: 'liaison', responseTime: 'PT1S' },
        { rung: 'county', responseTime: 'PT1S' },
      ],
    });
    expect(policy.status).toBe(201);
    const title = '征地补偿资金未到位（网页测试）';
    const reported = await ctx.http('POST', `/projects/${ctx.county.projectId}/blockers`, { category: 'funding', title, policyId: policy.body.id });
    expect(reported.status).toBe(201);
    await eventually('at the top, overdue', async () => (await ctx.db.ds.query(`SELECT overdue_at_top FROM blocker WHERE id = $1`, [reported.body.id]))[0].overdue_at_top, 30_000);

    const page = track(await ctx.loggedIn('county'));
    await page.getByRole('heading', { name: '督办总览' }).waitFor();
    const county = page.getByRole('region', { name: '县级层面事项' }).or(page.locator('.ant-card', { hasText: '县级层面事项' }));
    await county.getByRole('link', { name: title }).waitFor();
    const count = page.getByRole('link', { name: /县自然资源局 县委县政府 红色事项：\d+/ });
    await count.click();
    await page.locator('#selected').getByRole('link', { name: title }).waitFor();
    expect(new URL(page.url()).searchParams.get('colour')).toBe('red');
    expect(await ctx.axe(page)).toEqual([]);
    await page.goto(`${ctx.web}/`);
    await page.getByRole('link', { name: title }).first().waitFor();
    await ctx.screenshot(page, 'home-county-leader');
  });

  test('the inbox route loads at most 300 KB of gzipped JavaScript', () => {
    const inbox = routeJs('src/pages/Inbox.tsx');
    console.log(`inbox route JavaScript: ${(inbox.gzipBytes / 1024).toFixed(1)} KB gzipped in ${inbox.files.length} files`);
    expect(inbox.gzipBytes).toBeLessThanOrEqual(300 * 1024);
  });
}
