/**
 * What every web scenario gets (tests/e2e/web.e2e-spec.ts fills it in its
 * beforeAll; read its fields inside tests, never at module load).
 */
import type { TestDatabase } from '../support/db';
import type { SmallCounty } from '../support/fixtures';
import type { RealStack } from '../support/stack';
import type { Browser, Page } from '../support/browser';
import type { Locator } from 'playwright-core';

/** Usernames of the small county's accounts, one per role (tests/support/fixtures.ts smallCountyAccounts). */
export const USERS = {
  /** 局长甲, unit_head of 县自然资源局 (the project's responsible unit) */
  head: 'head',
  /** 联络员乙, unit_staff of 县自然资源局 */
  staff: 'staff',
  /** 副县长丙, county_leader + liaison_leader of the project */
  liaison: 'liaison',
  /** 县长丁, county_leader */
  county: 'county',
  /** 项目办戊, project_office */
  office: 'office',
  /** 督查员己, supervision */
  supervision: 'supervision',
  /** 审批员庚, approval_staff of 县住建局 */
  approval: 'approval',
  /** 住建联络员辛, unit_staff of 县住建局 */
  other: 'other',
} as const;

export interface WebTestContext {
  stack: RealStack;
  /** http://127.0.0.1:<port>/api */
  api: string;
  /** http://127.0.0.1:<port> (the API serves the console at /) */
  web: string;
  db: TestDatabase;
  county: SmallCounty;
  /** Person ids of the extra people smallCountyAccounts made. */
  people: { supervisor: string; approvalClerk: string; otherUnitStaff: string; otherUnitId: string };
  /** The password of every account above (TEST_PASSWORD). */
  password: string;
  browser: Browser;
  /** A bearer token for a username (logged in once, kept). */
  token(username: string): Promise<string>;
  /** A JSON request to the API as a username (path relative to /api, e.g. '/projects'). */
  http<T = any>(method: string, path: string, body?: unknown, username?: string): Promise<{ status: number; body: T; headers: Headers }>;
  /** A fresh page (own storage) at a viewport, default the desktop. */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  /** A fresh page, logged in through the login page as this username. */
  loggedIn(username: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves docs/screenshots/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Serious and critical axe-core violations on the page as it is now (expect [] ). */
  axe(page: Page): Promise<unknown[]>;
}

/**
 * Picks an option of an antd Select in a dialog and waits until the Select shows it. On a loaded machine a
 * click can land while the dropdown is still opening and pick nothing; the form then refuses to submit
 * and the test would wait for a request that never comes. One more try, then a failure that says so.
 */
export async function pickOption(page: Page, dialog: Locator, label: string, option: string): Promise<void> {
  // antd 6 puts the chosen option's title on .ant-select-content (or -content-value with an option style).
  const picked = dialog.locator(`.ant-select-content[title="${option}"], .ant-select-content-value[title="${option}"]`);
  for (let attempt = 0; attempt < 2 && !(await picked.count()); attempt++) {
    await dialog.getByRole('combobox', { name: label }).click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
    await picked.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  if (!(await picked.count())) throw new Error(`${label}: ${option} could not be picked; the dialog says: ${await dialog.textContent()}`);
}
