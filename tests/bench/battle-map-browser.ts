/**
 * The battle map in a real browser (shared by `npm run bench`, after the API figures, on the same
 * 20,000 seeded projects): headless Chromium as the browser tests launch it, logged in as the project
 * office, loading /battle-map and /battle-map?screen=1 cold (a fresh browser context: empty cache) and
 * warm (the same context again). Issue 13's budget: the first page on screen in ≤ 1 s on this machine.
 *
 * Times come from the page's own Performance API, relative to its navigation start: the marks
 * BattleMap.tsx sets when the first page of rows is committed and when the chart is drawn with its
 * counts, and the /api/battle-map resource entry (when the request left, when the answer ended).
 * Nothing here waits on wall-clock time in Node, so polling does not blur the figures.
 */
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, launchBrowser, newPage } from '../support/browser';
import { http } from '../support/stack';

/** One page load's figures, milliseconds from navigation start (bytes for JS). */
export interface LoadFigures {
  rows: number;
  chart: number;
  apiStart: number;
  apiEnd: number;
  /** Scripts fetched over the network until the chart was drawn (0 when all came from the cache). */
  jsTransferred: number;
  /** Scripts the page ran until then, compressed size whether from network or cache. */
  jsLoaded: number;
}

export interface BrowserBenchRow {
  route: string;
  load: 'cold' | 'warm';
  runs: number;
  rows: Summary;
  chart: Summary;
  apiStart: Summary;
  apiEnd: Summary;
  jsTransferredKb: number;
  jsLoadedKb: number;
}

export interface Summary {
  p50: number;
  p95: number;
  max: number;
}

function summary(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]);
  return { p50: at(50), p95: at(95), max: at(100) };
}

/** Read in the page once both marks exist (a string: the bench runs under tsx, whose helpers the page lacks). */
const FIGURES = `(() => {
  const mark = (n) => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? -1;
  const res = performance.getEntriesByType('resource');
  const api = res.filter((r) => r.name.includes('/api/battle-map')).shift();
  const chart = mark('battle-map:chart');
  const js = res.filter((r) => /\\.js(\\?|$)/.test(r.name) && r.startTime <= chart);
  return {
    rows: mark('battle-map:first-rows'), chart,
    apiStart: api ? api.startTime : -1, apiEnd: api ? api.responseEnd : -1,
    jsTransferred: js.reduce((n, r) => n + r.transferSize, 0), jsLoaded: js.reduce((n, r) => n + r.encodedBodySize, 0),
  };
})()`;

async function load(page: Page, url: string): Promise<LoadFigures> {
  await page.goto(url, { waitUntil: 'commit' });
  // A function, not a string: Playwright evaluates a string predicate with eval, which the console's CSP refuses.
  await page.waitForFunction(() => ['battle-map:chart', 'battle-map:first-rows'].every((n) => performance.getEntriesByName(n, 'mark').length > 0), undefined, { timeout: 60_000 });
  const f = (await page.evaluate(FIGURES)) as LoadFigures;
  if (process.env.BENCH_TRACE)
    console.log(
      url,
      JSON.stringify(f),
      '\n' +
        (await page.evaluate(
          `JSON.stringify([...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource'), ...performance.getEntriesByType('mark')].map((r) => [Math.round(r.startTime), Math.round(r.responseEnd ?? r.startTime), r.name.replace(/^https?:\\/\\/[^/]+/, ''), r.transferSize]))`,
        )),
    );
  if (f.rows < 0 || f.apiStart < 0) throw new Error(`battle map at ${url}: no marks or no /api/battle-map request (${JSON.stringify(f)})`);
  if ((await page.locator('[data-testid=battle-grid] tr[data-project]').count()) === 0) throw new Error(`battle map at ${url}: the grid has no rows`);
  return f;
}

/** A page logged in as `username` from its first request: the session the login page would store, put there beforehand. */
async function loggedInPage(browser: Browser, web: string, username: string, password: string, viewport: { width: number; height: number }): Promise<Page> {
  const r = await http('POST', `${web}/api/auth/login`, { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  // The key apps/web/src/api.ts keeps the session under.
  const storageState = { cookies: [], origins: [{ origin: web, localStorage: [{ name: 'duban.session', value: JSON.stringify(r.body) }] }] };
  return newPage(browser, viewport, { storageState });
}

export async function battleMapBrowserBench(o: { web: string; username: string; password: string; cold: number; warm: number }): Promise<BrowserBenchRow[]> {
  const browser = await launchBrowser();
  const rows: BrowserBenchRow[] = [];
  try {
    const routes: [string, { width: number; height: number }][] = [
      ['/battle-map', DESKTOP],
      ['/battle-map?screen=1', { width: 1920, height: 1080 }],
    ];
    for (const [route, viewport] of routes) {
      const cold: LoadFigures[] = [];
      const warm: LoadFigures[] = [];
      for (let c = 0; c < o.cold; c++) {
        const page = await loggedInPage(browser, o.web, o.username, o.password, viewport);
        cold.push(await load(page, `${o.web}${route}`));
        // Warm loads in the last cold run's context: its cache holds the bundles now.
        if (c === o.cold - 1) for (let w = 0; w < o.warm; w++) warm.push(await load(page, `${o.web}${route}`));
        await page.context().close();
      }
      for (const [kind, runs] of [
        ['cold', cold],
        ['warm', warm],
      ] as const) {
        if (!runs.length) continue;
        rows.push({
          route,
          load: kind,
          runs: runs.length,
          rows: summary(runs.map((f) => f.rows)),
          chart: summary(runs.map((f) => f.chart)),
          apiStart: summary(runs.map((f) => f.apiStart)),
          apiEnd: summary(runs.map((f) => f.apiEnd)),
          jsTransferredKb: Math.round(Math.max(...runs.map((f) => f.jsTransferred)) / 1024),
          jsLoadedKb: Math.round(Math.max(...runs.map((f) => f.jsLoaded)) / 1024),
        });
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}
