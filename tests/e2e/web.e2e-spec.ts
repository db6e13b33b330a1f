/**
 * The web console in a real browser against ONE real stack (PostgreSQL, the
 * Temporal dev server, the compiled worker and API; the API serves dist/web).
 * Each helper's scenarios live in tests/web/<name>.scenario.ts and run here
 * in sequence, sharing the stack, the browser and the small county.
 */
import { TestDatabase, createTestDatabase } from '../support/db';
import { TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, http as rawHttp, loginAs, startRealStack } from '../support/stack';
import { DESKTOP, launchBrowser, loginInBrowser, newPage, screenshot, seriousAxeViolations } from '../support/browser';
import type { WebTestContext } from '../web/context';
import { scenarios as core } from '../web/core.scenario';
import { scenarios as desk } from '../web/desk.scenario';
import { scenarios as pages } from '../web/pages.scenario';
import { scenarios as plans } from '../web/plans.scenario';
import { scenarios as admin } from '../web/admin.scenario';
import { scenarios as ledger } from '../web/ledger.scenario';
import { scenarios as reconnect } from '../web/reconnect.scenario';

jest.setTimeout(180_000);

const ctx = {} as WebTestContext;
let db: TestDatabase;
let stack: RealStack;
const tokens = new Map<string, string>();

beforeAll(async () => {
  db = await createTestDatabase('web');
  const county = await seedSmallCounty(db.ds);
  const people = await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url);
  const browser = await launchBrowser();
  const api = stack.api;
  const web = api.replace(/\/api$/, '');
  const token = async (username: string) => {
    if (!tokens.has(username)) tokens.set(username, await loginAs(api, username, TEST_PASSWORD));
    return tokens.get(username)!;
  };
  Object.assign(ctx, {
    stack,
    api,
    web,
    db,
    county,
    people,
    password: TEST_PASSWORD,
    browser,
    token,
    http: async (method: string, path: string, body?: unknown, username = 'office') => rawHttp(method, `${api}${path}`, body, await token(username)),
    page: (viewport = DESKTOP) => newPage(browser, viewport),
    loggedIn: async (username: string, viewport = DESKTOP) => {
      const page = await newPage(browser, viewport);
      await loginInBrowser(page, web, username, TEST_PASSWORD);
      return page;
    },
    screenshot,
    axe: seriousAxeViolations,
  } satisfies WebTestContext);
});

afterAll(async () => {
  await ctx.browser?.close();
  await stack?.stop();
  await db?.drop();
});

describe('web console: login, homes, inbox (core)', () => core(ctx));
describe('web console: approvals desk, bulletin, ledger, administration (desk)', () => desk(ctx));
describe('web console: battle map, matter and project pages (pages)', () => pages(ctx));
describe('web console: replanning, stage confirmation, approval catalogue, time zone, English (plans)', () => plans(ctx));
describe('web console: ladder editing and schedule pause (admin)', () => admin(ctx));
describe("web console: a county's own ledger, its columns confirmed (ledger)", () => ledger(ctx));
// Last: it restarts the shared stack's API.
describe('web console: the inbox reconnects after its connection drops (reconnect)', () => reconnect(ctx));
