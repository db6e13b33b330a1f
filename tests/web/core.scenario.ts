/** W2's scenarios: login, the home of each role, the inbox at phone width. */
import type { WebTestContext } from './context';

export function scenarios(ctx: WebTestContext): void {
  test('the API serves the console at / and falls back to it for its routes', async () => {
    for (const path of ['/', '/inbox', '/matters/00000000-0000-4000-8000-000000000000']) {
      const res = await fetch(`${ctx.web}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
    const api = await fetch(`${ctx.web}/api/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
}
