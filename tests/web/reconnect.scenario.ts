/**
 * H2's last scenario, run after every other (it restarts the shared stack's
 * API): the inbox's live stream drops when the API dies, a notice is stored
 * while the page is disconnected (the worker escalates on its own), and once
 * the API is back the page reconnects with a fresh ticket and Last-Event-ID
 * and shows that notice, without a reload.
 */
import { PHONE, loginInBrowser, pageErrors, type Page } from '../support/browser';
import { eventually } from '../support/stack';
import type { WebTestContext } from './context';

export function scenarios(ctx: WebTestContext): void {
  let page: Page | null = null;
  afterEach(async () => {
    const errors = page ? pageErrors(page) : [];
    await page
      ?.context()
      .close()
      .catch(() => undefined);
    expect(errors).toEqual([]);
  });

  test('the inbox recovers after its connection drops: a notice stored meanwhile arrives without a reload', async () => {
    page = await ctx.page(PHONE);
    const tickets: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/notices/stream?')) tickets.push(r.url());
    });
    const streamOpen = page.waitForResponse((r) => r.url().includes('/api/notices/stream?') && r.status() === 200);
    await loginInBrowser(page, ctx.web, 'liaison', ctx.password);
    await page.waitForURL((u) => u.pathname === '/inbox');
    await page.getByRole('heading', { name: '我的督办' }).waitFor();
    await streamOpen;
    await page.evaluate('window.__sameDocument = true'); // gone if the page reloads

    // A matter that climbs to the liaison leader in 10 s; the API dies at once, the worker climbs it meanwhile.
    const policy = await ctx.http('POST', '/escalation-policies', {
      name: 'web: reconnect (10 s at the unit)',
      severity: 'normal',
      automatic: false,
      rungs: [
        { rung: 'unit', responseTime: 'PT10S' },
        { rung: 'liaison', responseTime: 'P30D' },
        { rung: 'county', responseTime: 'P30D' },
      ],
    });
    expect([policy.status, policy.body?.message]).toEqual([201, undefined]);
    const title = '断线期间升级的问题（网页测试）';
    const reported = await ctx.http('POST', `/projects/${ctx.county.projectId}/blockers`, { category: 'funding', title, policyId: policy.body.id });
    expect([reported.status, reported.body?.message]).toEqual([201, undefined]);
    await ctx.stack.killApi();
    const killedAt = new Date();
    const opened = tickets.length;

    const [notice] = await eventually('the escalation notice stored while the API is down', async () => {
      const rows = await ctx.db.ds.query(`SELECT id, created_at FROM notice WHERE blocker_id = $1 AND kind = 'escalation' AND recipient_id = $2`, [
        reported.body.id,
        ctx.county.leader,
      ]);
      return rows.length ? rows : null;
    });
    expect(notice.created_at.getTime()).toBeGreaterThan(killedAt.getTime()); // stored after the connection dropped
    await ctx.stack.restartApi();

    await page.locator('article', { hasText: title }).first().waitFor({ timeout: 60_000 });
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    // It came back through a new stream: a fresh ticket, and where the first stream left off.
    const again = tickets.slice(opened).map((u) => new URL(u).searchParams);
    expect(again.length).toBeGreaterThan(0);
    expect(new Set(again.map((q) => q.get('ticket'))).has(new URL(tickets[0]).searchParams.get('ticket'))).toBe(false);
    expect(again.every((q) => !!q.get('lastEventId'))).toBe(true);
  });
}
