/**
 * Input hygiene and the API contract on the real stack (issue 11, items 11
 * and 13): the OpenAPI document declares a success schema and the shared error
 * body for every operation; a NUL in any text field of any operation (generated
 * from that document) answers 400 naming the field and touches no workflow;
 * bad pages, ids, dates, nesting and bodies answer 4xx, never 500; text is
 * stored normalised.
 */
import { Connection, WorkflowClient, WorkflowExecutionInfo } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { OpenApiDoc, operations, resolve, textFieldCases } from '../support/openapi';
import { RealStack, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(300_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let api: string;
let doc: OpenApiDoc;
let blockerId: string;
const tokens: Record<string, string> = {};
const ROLES = ['office', 'staff', 'head', 'liaison', 'county', 'supervision', 'approval'];

beforeAll(async () => {
  db = await createTestDatabase('hygiene');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' } });
  api = stack.api;
  for (const u of ROLES) tokens[u] = await loginAs(api, u, TEST_PASSWORD);
  doc = (await http<OpenApiDoc>('GET', `${api}/docs-json`)).body;
  const b = await http('POST', `${api}/projects/${county.projectId}/blockers`, { category: 'funding', title: '资金缺口' }, tokens.office);
  expect(b.status).toBe(201);
  blockerId = b.body.id;
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const origin = () => new URL(api).origin;
const count = async (table: string) => Number((await db.ds.query(`SELECT count(*) FROM ${table}`))[0].count);
const WRITTEN = ['blocker', 'blocker_event', 'notice', 'project', 'person', 'org_unit', 'escalation_policy', 'audit_log', 'coordination_meeting', 'calendar_amendment'];
const startedBySchedule = (wf: WorkflowExecutionInfo) => wf.typedSearchAttributes.get(SCHEDULED_BY) !== undefined;
const SCHEDULED_BY = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);
async function snapshot(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of WRITTEN) out[t] = await count(t).catch(() => -1);
  const conn = await Connection.connect({ address: stack.temporalAddress });
  try {
    // Runs a schedule starts (the delivery sweep every minute, the bulletins) are
    // not a request's doing: only the workflows a request could have started count.
    let n = 0;
    for await (const wf of new WorkflowClient({ connection: conn }).list()) if (!startedBySchedule(wf)) n++;
    out.workflows = n;
  } finally {
    await conn.close();
  }
  return out;
}

describe('the OpenAPI document', () => {
  test('every operation declares a success answer with a schema and the shared error answers', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(90);
    const problems: string[] = [];
    for (const { method, path, op } of ops) {
      const params = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      if (new Set(params).size !== params.length) problems.push(`${method} ${path}: a parameter declared twice (${params.join(', ')})`);
      const success = Object.entries(op.responses).filter(([s]) => /^2\d\d$/.test(s));
      if (success.length !== 1) problems.push(`${method} ${path}: ${success.length} success answers`);
      for (const [status, r] of success) {
        if (status === '204') continue;
        const schema = Object.values(r.content ?? {})[0]?.schema;
        if (!schema || (!schema.$ref && !schema.type))
          problems.push(`${method} ${path}: ${status} without a schema (put @Answer(…) from apps/api/src/dto/responses.ts above its route decorator)`);
      }
      for (const status of ['400', '401', '403', '404', '409', '422', '429', '500', '503']) {
        const ref = op.responses[status]?.content?.['application/json']?.schema?.$ref;
        if (ref !== '#/components/schemas/ErrorBodyDto') problems.push(`${method} ${path}: ${status} not the error body`);
      }
    }
    expect(problems).toEqual([]);
    const error = resolve(doc, { $ref: '#/components/schemas/ErrorBodyDto' });
    expect(error.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'message', 'messageEn', 'requestId']));
  });

  test('request schemas carry the validation rules of their DTOs', () => {
    const props = (name: string) => resolve(doc, { $ref: `#/components/schemas/${name}` }).properties as Record<string, Record<string, unknown>>;
    expect(props('ReportBlockerDto').title).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(props('ReportBlockerDto').policyId).toMatchObject({ format: 'uuid' });
    expect(props('ReasonTextDto').reason).toMatchObject({ minLength: 1, maxLength: 5000 });
    expect(props('AmendmentDto').date).toMatchObject({ format: 'date' });
    expect(props('CreatePolicyDto').rungs).toMatchObject({ minItems: 1, maxItems: 8 });
  });
});

describe('a NUL in every text field of every operation', () => {
  test('answers 400 naming the field, and no workflow or row is touched', async () => {
    const cases = textFieldCases(doc, '\u0000');
    expect(cases.length).toBeGreaterThan(150);
    const ids: Record<string, string> = { id: blockerId, date: '2026-12-31', year: '2027', stage: 'planning', key: 'weekly-bulletin' };
    const before = await snapshot();
    const wrong: string[] = [];
    for (const c of cases) {
      // Path ids: the real blocker or project where the route is theirs, so a wedged matter would show.
      const given = { ...ids, id: c.op.path.startsWith('/api/projects/') ? county.projectId : blockerId };
      const url = `${origin()}${c.url(given)}`;
      const body = c.op.method === 'GET' ? undefined : c.body;
      // Guards run before input pipes: the first role allowed to call the operation is the one that counts.
      let r = await http(c.op.method, url, body, tokens.office);
      for (const role of ROLES.slice(1)) {
        if (r.status !== 403) break;
        r = await http(c.op.method, url, body, tokens[role]);
      }
      const named = (r.body?.errors ?? []).some((e: { field: string }) => e.field === c.field);
      if (r.status !== 400 || !named) wrong.push(`${c.op.method} ${c.op.path} ${c.where}:${c.field} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
    // The matter whose every action was refused still answers at once.
    const b = await http('POST', `${api}/blockers/${blockerId}/progress`, { text: '已对接' }, tokens.office);
    expect(b.status).toBe(200);
  });
});

describe('text is normalised and checked at the edge', () => {
  const report = (title: string, description = '') => http('POST', `${api}/projects/${county.projectId}/blockers`, { category: 'funding', title, description }, tokens.office);

  test.each([
    ['zero-width spaces only', '\u200b\u200b\u2060\ufeff'],
    ['whitespace only', ' \t '],
    ['a bidirectional override', '资金\u202e缺口'],
    ['an isolate', '资金\u2066缺口\u2069'],
    ['markup', '<script>alert(1)</script>'],
    ['a line break', '资金\n缺口'],
    ['a C1 control', '资金\u0085缺口'],
  ])('a title of %s is refused with 400 naming it', async (_what, title) => {
    const r = await report(title);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('title');
    expect(r.body.message).toMatch(/请求参数有误/);
    expect(r.body.messageEn).toMatch(/Invalid input/);
  });

  test('text is stored NFC, trimmed of spaces and invisible characters; free text keeps lines and markup', async () => {
    const r = await report('\u200b  Cafe\u0301 征迁  \ufeff', '第一行\n第二行 <b>原文</b>');
    expect(r.status).toBe(201);
    expect(r.body.title).toBe('Café 征迁');
    expect(r.body.description).toBe('第一行\n第二行 <b>原文</b>');
  });

  test('passwords are not normalised (a NUL is still refused)', async () => {
    const bad = await http('POST', `${api}/auth/login`, { username: 'office', password: `${TEST_PASSWORD}\u0000` });
    expect(bad.status).toBe(400);
    const spaced = await http('POST', `${api}/auth/login`, { username: 'office', password: ` ${TEST_PASSWORD}` });
    expect(spaced.status).toBe(401); // compared as given, not trimmed into the right one
  });
});

describe('bounds: nothing reaches a 500', () => {
  const get = (path: string) => http('GET', `${api}${path}`, undefined, tokens.office);

  test.each(['page=1e18', 'pageSize=1e9', 'page=-1', 'page=0', 'page=1.5', 'pageSize=abc', 'page=1&page=2'])('GET /blockers?%s → 400', async (q) => {
    const r = await get(`/blockers?${q}`);
    expect(r.status).toBe(400);
  });

  test('every list refuses page=1e18', async () => {
    const lists = operations(doc).filter((o) => o.method === 'GET' && (o.op.parameters ?? []).some((p) => p.name === 'page'));
    expect(lists.length).toBeGreaterThan(5);
    for (const l of lists)
      expect({ path: l.path, status: (await get(`${l.path.replace(/^\/api/, '').replace('{id}', county.officeId)}?page=1e18`)).status }).toEqual({ path: l.path, status: 400 });
  });

  test.each([
    ['DELETE', '/calendar/amendments/0', 400],
    ['DELETE', '/calendar/amendments/2026-02-30', 400],
    ['GET', '/blockers/0', 400],
    ['GET', '/blockers/00000000-0000-0000-0000-000000000000', 404],
    ['PUT', `/projects/00000000-0000-0000-0000-000000000000/investment-plans/99999999999`, 400],
    ['GET', '/approvals/departments?from=0249-09-08T05%3A31%3A11%2B23%3A07', 400],
    ['GET', '/approvals/departments?from=2026-13-45', 400],
    ['GET', '/audit?from=not-a-date', 400],
    ['POST', '/calendar/amendments', 400], // body below: date 2026-02-30
    ['GET', '/calendar/days?from=2026-02-30&to=2026-03-02', 400],
    ['GET', '/investment/lag?year=2026&on=2026-13-01', 400],
  ])('%s %s → %i', async (method, path, status) => {
    const body = path === '/calendar/amendments' ? { date: '2026-02-30', kind: 'off', reason: '核对' } : { reason: '核对', amount: 1 };
    const r = await http(method, `${api}${path}`, method === 'GET' ? undefined : body, tokens.office);
    expect(r.status).toBe(status);
    expect(r.body.messageEn).toEqual(expect.any(String));
  });

  const raw = (body: string, type = 'application/json') =>
    fetch(`${api}/projects/${county.projectId}/blockers`, { method: 'POST', headers: { authorization: `Bearer ${tokens.office}`, 'content-type': type }, body });

  test('JSON nested 3,000 deep → 400 naming the place, as an array or an object', async () => {
    for (const deep of ['['.repeat(3000) + ']'.repeat(3000), `{"title":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`]) {
      const r = await raw(deep);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { messageEn: string }).messageEn).toMatch(/Invalid input/);
    }
  });

  test('a malformed body → 400, an oversized one → 413, both as JSON errors', async () => {
    const bad = await raw('{"title":');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toEqual(expect.any(String));
    const big = await raw(JSON.stringify({ category: 'funding', title: 'x', description: 'x'.repeat(2_000_000) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { messageEn: string }).messageEn).toEqual(expect.any(String));
  });

  test('null only where the document declares it (found by schemathesis: roles null was a 500)', async () => {
    const person = await http('PATCH', `${api}/people/${county.unitStaff[1]}`, { reason: '调整', roles: null }, tokens.office);
    expect(person.status).toBe(400);
    expect(person.body.errors.map((e: { field: string }) => e.field)).toEqual(['roles']);
    const unit = await http('PATCH', `${api}/org-units/${county.unitId}`, { reason: '分工调整', leaderInChargeId: null }, tokens.office);
    expect(unit.status).toBe(200); // "null to clear" is declared nullable
  });

  test('a refused .xlsx, .docx or PDF download answers JSON, not the file content type (found by schemathesis)', async () => {
    for (const path of ['/bulletins/0/xlsx', '/bulletins/0/docx', '/bulletins/0/pdf', '/ledger/export?year=1e18']) {
      const r = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${tokens.office}` } });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  test('an array where an object is expected → 400', async () => {
    const r = await raw('[{"title":"x"}]');
    expect(r.status).toBe(400);
  });
});
