/**
 * A real headless Chromium for the web console's tests: @sparticuz/chromium
 * (from the npm registry, no apt, no browser download) driven by
 * playwright-core. Helpers: a page at a viewport, logging in through the login
 * page, screenshots into docs/screenshots/, and an axe-core check.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';

export type { Browser, Page } from 'playwright-core';
type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

/** A phone (the liaison leader's) and a desk. */
export const PHONE = { width: 375, height: 812 } as const;
export const DESKTOP = { width: 1366, height: 900 } as const;

/**
 * @sparticuz/chromium is an ES module, which Jest's CommonJS runtime cannot load:
 * a short Node process unpacks the browser and answers its path and flags.
 */
function sparticuzChromium(): { executablePath: string; args: string[] } {
  const script = `import('@sparticuz/chromium').then(async (m) => { const c = m.default ?? m; process.stdout.write(JSON.stringify({ executablePath: await c.executablePath(), args: c.args })); })`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' }));
}

/**
 * Flags of @sparticuz/chromium meant for a one-page serverless run: a single process dies when a second
 * browser context closes, and the console must be tested with the browser's web security on.
 */
const LAMBDA_ONLY = ['--single-process', '--disable-web-security', '--allow-running-insecure-content'];

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = sparticuzChromium();
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({ executablePath, args: args.filter((a) => !LAMBDA_ONLY.includes(a)), headless: true });
}

/**
 * A fresh page (its own cookies, storage and cache: one person per page) at a viewport; `extra` adds
 * context options (the bench's storageState: a session in place before the first request).
 */
export async function newPage(browser: Browser, viewport: { width: number; height: number } = DESKTOP, extra: ContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: viewport.width < 600, hasTouch: viewport.width < 600, ...extra });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // A page error is a bug of the console: keep them for the test to assert on.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors?: string[] }).errors = errors;
  return page;
}

/** Uncaught errors the page has thrown so far. */
export const pageErrors = (page: Page): string[] => (page as Page & { errors?: string[] }).errors ?? [];

/** Logs in through the login page, as a person would; waits until the page has left /login. */
export async function loginInBrowser(page: Page, web: string, username: string, password: string): Promise<void> {
  await page.goto(`${web}/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'docs', 'screenshots');

/** Saves a PNG into docs/screenshots/<name>.png (the viewport only: small files). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // The CJK font comes in subsets fetched for the characters on screen: wait for them (no tofu in the picture).
  await page.evaluate('document.fonts.ready.then(() => true)');
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core in the page; answers the serious and critical violations (the ones a test must not have). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, not a <script> tag: the console's CSP refuses inline scripts (rightly).
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(source);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) }));
}
