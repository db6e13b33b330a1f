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
 * Chooses an option of an antd Select as a user does (open it, click the option) and waits until the Select
 * shows it. On a loaded machine a click can land while the dropdown is still sliding open: on the form item
 * beneath it (a label intercepts it) or on nothing, and the dropdown may close again. So the option is
 * clicked only once the dropdown's opening motion has ended, each step has a short timeout, and it is tried
 * again (the dropdown reopened if it closed) before failing with what the Select shows.
 */
export async function chooseOption(page: Page, combobox: Locator, option: string): Promise<void> {
  const select = combobox.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  // antd 6 puts the chosen option's title on .ant-select-content (or -content-value), a tag's on its item.
  const picked = select.locator(`.ant-select-content[title="${option}"], .ant-select-content-value[title="${option}"], .ant-select-selection-item[title="${option}"]`);
  const settled = page.locator('.ant-select-dropdown:visible:not([class*="-enter"]):not([class*="-appear"]):not([class*="-leave"])');
  for (let attempt = 0; attempt < 4 && !(await picked.count()); attempt++) {
    if (!(await settled.count())) await combobox.click({ timeout: 5_000 }).catch(() => undefined);
    await settled
      .locator(`.ant-select-item-option[title="${option}"]`)
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await picked.waitFor({ timeout: 3_000 }).catch(() => undefined);
  }
  if (!(await picked.count())) throw new Error(`${option} could not be chosen; the select shows: ${await select.textContent()}`);
}

/** chooseOption on the Select labelled `label` inside a dialog. */
export async function pickOption(page: Page, dialog: Locator, label: string, option: string): Promise<void> {
  await chooseOption(page, dialog.getByRole('combobox', { name: label }), option);
}
