/**
 * The 督办通知单 over the API on the real stack: a matter escalates for real (the workflow numbers
 * the notice), and its form downloads as one PDF page for the people who hold the notice, a deputy
 * holding a copy, the project office and the supervision office; everyone else learns nothing.
 */
import { randomUUID } from 'node:crypto';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { pdfText } from '../support/pdf-text';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

type ErrorBody = { message: string; messageEn: string };

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let api: string;
const tokens: Record<string, string> = {};
let blockerId: string;
let documentNo: string;
let escalationNotice: string;
let assignedNotice: string;
let deputyNotice: string;
let copyNotices: { head: string; staff: string };

beforeAll(async () => {
  db = await createTestDatabase('notice_form_e2e');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county);
  const deputy = (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ('代理人壬',$1,'{county_leader}') RETURNING id`, [county.committeeId]))[0].id;
  await createAccounts(db.ds, { deputy });
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  api = stack.api;
  for (const u of ['head', 'staff', 'liaison', 'county', 'office', 'supervision', 'approval', 'other', 'deputy']) tokens[u] = await loginAs(api, u, TEST_PASSWORD);

  // A matter whose unit rung lasts a second: it escalates to the liaison leader for real, numbered.
  const policy = await http(
    'POST',
    `${api}/escalation-policies`,
    {
      name: 'form-e2e',
      severity: 'normal',
      automatic: false,
      rungs: [
        { rung: 'unit', responseTime: 'PT1S' },
        { rung: 'liaison', responseTime: 'P30D' },
        { rung: 'county', responseTime: 'P30D' },
      ],
    },
    tokens.office,
  );
  expect(policy.status).toBe(201);
  const b = await http(
    'POST',
    `${api}/projects/${county.projectId}/blockers`,
    { category: 'relocation', title: '城南片区征迁补偿未落实', policyId: policy.body.id },
    tokens.office,
  );
  expect(b.status).toBe(201);
  blockerId = b.body.id;
  const row = await eventually('the escalation notice', async () => {
    const [n] = await db.ds.query(`SELECT id, document_no, event_id FROM notice WHERE blocker_id = $1 AND kind = 'escalation'`, [blockerId]);
    return n as { id: string; document_no: string; event_id: string } | undefined;
  });
  escalationNotice = row.id;
  documentNo = row.document_no;
  const own = async (kind: string, personId: string) =>
    (await db.ds.query(`SELECT id FROM notice WHERE blocker_id = $1 AND kind = $2 AND recipient_id = $3`, [blockerId, kind, personId]))[0].id as string;
  assignedNotice = await own('assigned', county.unitStaff[1]);
  copyNotices = { head: await own('copy', county.unitStaff[0]), staff: await own('copy', county.unitStaff[1]) };
  // The leader's deputy (代) holds a copy, as delegation writes it.
  deputyNotice = (
    await db.ds.query(
      `INSERT INTO notice (event_id, blocker_id, recipient_id, kind, rung, title, body, title_en, body_en, document_no, deputy_for)
       SELECT event_id, blocker_id, (SELECT person_id FROM account WHERE username = 'deputy'), kind, rung, title, body, title_en, body_en, document_no, recipient_id
         FROM notice WHERE id = $1 RETURNING id`,
      [escalationNotice],
    )
  )[0].id;
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const download = (noticeId: string, user?: string) => fetch(`${api}/notices/${noticeId}/form.pdf`, { headers: user ? { authorization: `Bearer ${tokens[user]}` } : {} });

test('the recipient downloads one A4 page in Chinese, named 督办〔年〕N号.pdf', async () => {
  expect(documentNo).toMatch(/^督办〔\d{4}〕\d+号$/);
  const r = await download(escalationNotice, 'liaison');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/pdf');
  expect(r.headers.get('content-disposition')).toBe(
    `attachment; filename="duban-${documentNo.match(/\d+/g)!.join('-')}.pdf"; filename*=UTF-8''${encodeURIComponent(`${documentNo}.pdf`)}`,
  );
  const pdf = Buffer.from(await r.arrayBuffer());
  expect(pdf.length).toBeLessThan(300 * 1024);
  const { pages, text } = await pdfText(pdf);
  expect(pages).toBe(1);
  const flat = text.replace(/\s+/g, '');
  for (const s of [documentNo, '县重点项目办', '城南污水处理厂扩建工程', '城南片区征迁补偿未落实', '包联领导', '副县长丙', '提级督办', '签收人：']) expect(flat).toContain(s);
});

test('the copy holders, the deputy holding a copy, the project office and the supervision office may download it', async () => {
  for (const [user, notice] of [
    ['head', copyNotices.head],
    ['staff', copyNotices.staff],
    ['deputy', deputyNotice],
    ['deputy', escalationNotice],
    ['liaison', deputyNotice],
    ['office', escalationNotice],
    ['supervision', escalationNotice],
  ]) {
    const r = await download(notice, user);
    expect({ user, status: r.status, type: r.headers.get('content-type') }).toEqual({ user, status: 200, type: 'application/pdf' });
  }
});

test('others get the same JSON 404 as for an unknown notice; without a token 401; a malformed id 400', async () => {
  const unknownId = randomUUID();
  const unknown = await download(unknownId, 'office');
  expect(unknown.status).toBe(404);
  const unknownBody = (await unknown.json()) as ErrorBody;
  for (const [user, notice] of [
    ['county', escalationNotice], // sees every matter, holds no notice of this one
    ['other', escalationNotice],
    ['approval', escalationNotice],
    ['head', escalationNotice], // holds the copy, not the leader's own notice
    ['staff', copyNotices.head],
  ]) {
    const r = await download(notice, user);
    expect({ user, status: r.status }).toEqual({ user, status: 404 });
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await r.json()) as ErrorBody;
    expect(body.message).toBe(unknownBody.message.replace(unknownId, notice));
    expect(body.messageEn).toBe(unknownBody.messageEn.replace(unknownId, notice));
  }
  expect((await download(escalationNotice)).status).toBe(401);
  const bad = await download('not-a-uuid', 'office');
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
});

test('a notice that is not an escalation notice: 404 saying so in Chinese and English', async () => {
  const r = await download(assignedNotice, 'staff');
  expect(r.status).toBe(404);
  const body = (await r.json()) as ErrorBody;
  expect(body.message).toContain('不是督办通知');
  expect(body.messageEn).toContain('not an escalation notice');
});

test('GET /blockers/{id}/forms lists the matter’s numbered notices for whoever may see it', async () => {
  const office = await http('GET', `${api}/blockers/${blockerId}/forms`, undefined, tokens.office);
  expect(office.status).toBe(200);
  expect(office.body).toEqual([
    expect.objectContaining({
      documentNo,
      rung: 'liaison',
      fromRung: 'unit',
      noticeId: escalationNotice,
      downloadable: true,
      formPath: `/api/notices/${escalationNotice}/form.pdf`,
    }),
  ]);
  const county = await http('GET', `${api}/blockers/${blockerId}/forms`, undefined, tokens.county);
  expect(county.body).toEqual([expect.objectContaining({ documentNo, downloadable: false })]);
  expect((await http('GET', `${api}/blockers/${blockerId}/forms`, undefined, tokens.other)).status).toBe(403);
  expect((await http('GET', `${api}/blockers/${randomUUID()}/forms`, undefined, tokens.office)).status).toBe(404);
});
