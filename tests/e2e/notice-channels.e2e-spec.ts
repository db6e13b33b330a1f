/**
 * Issue 12 end to end, per channel: a matter climbs to its liaison leader on the
 * real stack (PostgreSQL, the Temporal dev server, the compiled worker and API),
 * and each provider's local receiver gets exactly one correctly signed message
 * with the escalation notice's words: DingTalk work notice, WeCom application
 * message, Aliyun SMS and e-mail (with the 督办通知单 attached) for the leader; the
 * DingTalk, WeCom and Feishu group robots and the city platform's webhook for the rung.
 */
import { CHANNEL_KINDS, type ChannelKind, PERSONAL_CHANNELS } from '../../libs/channels/src/channel';
import { type Receivers, startReceivers } from '../../libs/channels/src/receivers';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { RealStack, eventually, http as rawHttp, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let receivers: Receivers;
let api: string;
let office: string;
const http = (method: string, path: string, body?: unknown, token = office) => rawHttp(method, `${api}${path}`, body, token);
const GROUPS: ChannelKind[] = CHANNEL_KINDS.filter((k) => !(PERSONAL_CHANNELS as readonly string[]).includes(k));

beforeAll(async () => {
  receivers = await startReceivers();
  db = await createTestDatabase('channels');
  county = await seedSmallCounty(db.ds);
  await createAccounts(db.ds, { office: county.officer, leader: county.leader });
  stack = await startRealStack(db.url);
  api = stack.api;
  office = await loginAs(api, 'office', TEST_PASSWORD);
  for (const kind of CHANNEL_KINDS) {
    const group = GROUPS.includes(kind);
    const r = await http('POST', '/notice-channels', { kind, name: `测试 ${kind}`, settings: receivers.settingsFor(kind), ...(group && { scope: { rungs: ['liaison'] } }) });
    expect(r.status).toBe(201);
  }
  const contact = await http('PUT', `/people/${county.leader}/contact-points`, {
    mobile: '13900001234',
    email: 'leader@county.example.cn',
    dingtalkUserId: 'leader01',
    wecomUserId: 'LeaderBing',
    reason: '联系方式登记',
  });
  expect(contact.status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
  await receivers?.close();
});

test('an escalation reaches every channel exactly once, signed, with the notice text', async () => {
  const policy = await http('POST', '/escalation-policies', {
    name: '渠道测试',
    severity: 'urgent',
    automatic: false,
    rungs: [
      { rung: 'unit', responseTime: 'PT3S' },
      { rung: 'liaison', responseTime: 'PT2H' },
      { rung: 'county', responseTime: 'PT2H' },
    ],
  });
  expect(policy.status).toBe(201);
  const reported = await http('POST', `/projects/${county.projectId}/blockers`, {
    category: 'relocation',
    // Urgent: every reachable channel at once, whatever the hour (a normal notice waits out quiet hours).
    severity: 'urgent',
    title: '渠道测试：征迁协议未签订',
    policyId: policy.body.id,
  });
  expect(reported.status).toBe(201);
  const blockerId: string = reported.body.id;

  const [notice] = await eventually('the escalation notice', async () => {
    const rows = await db.ds.query(`SELECT id, document_no, title FROM notice WHERE blocker_id = $1 AND kind = 'escalation' AND recipient_id = $2`, [blockerId, county.leader]);
    return rows.length ? rows : null;
  });
  expect(notice.document_no).toMatch(/^督办〔\d{4}〕\d+号$/);
  // Every channel's receiver has the message…
  const arrived = (k: ChannelKind) => receivers.delivered(k).some((m) => m.text.includes('渠道测试：征迁协议未签订') && m.text.includes(notice.document_no));
  await eventually('a message on every channel', async () => CHANNEL_KINDS.every(arrived), 60_000).catch(async (err) => {
    // Say which channels are missing and what the outbox holds, not only that something is.
    const outbox = await db.ds.query(`SELECT channel, status, attempts, last_error, left(body, 80) AS body FROM delivery ORDER BY created_at`);
    const texts = CHANNEL_KINDS.map((k) => `${k}: ${JSON.stringify(receivers.messages(k).map((m) => m.text.slice(0, 120)))}`);
    throw new Error(`${err}\nmissing: ${CHANNEL_KINDS.filter((k) => !arrived(k))}\n${texts.join('\n')}\n${JSON.stringify(outbox, null, 1)}`);
  });
  // …and once the outbox is quiet, exactly one each.
  await eventually('the outbox settled', async () => Number((await db.ds.query(`SELECT count(*) FROM delivery WHERE status IN ('pending','sending')`))[0].count) === 0);
  for (const kind of CHANNEL_KINDS) {
    const mine = receivers.delivered(kind).filter((m) => m.text.includes(notice.document_no));
    expect({ kind, n: mine.length }).toEqual({ kind, n: 1 });
    expect(mine[0].signatureOk).toBe(true);
    expect(receivers.messages(kind).filter((m) => !m.signatureOk)).toEqual([]);
  }
  expect(receivers.delivered('dingtalk_work')[0].to).toContain('leader01');
  expect(receivers.delivered('sms').find((m) => m.text.includes(notice.document_no))!.to).toContain('13900001234');
  const mail = receivers.delivered('email').find((m) => m.text.includes(notice.document_no))!;
  expect(mail.to).toContain('leader@county.example.cn');
  expect(mail.attachments).toEqual([`${notice.document_no}.pdf`]);

  // The outbox says the same: one sent delivery per channel for this notice's event, each with its provider's answer.
  const rows: { channel: string; status: string; attempts: number }[] = await db.ds.query(
    `SELECT d.channel, d.status, d.attempts FROM delivery d LEFT JOIN notice n ON n.id = d.notice_id
      WHERE d.notice_id = $1 OR d.dedupe_key LIKE 'g:%' ORDER BY d.channel`,
    [notice.id],
  );
  expect(rows.map((r) => r.channel).sort()).toEqual([...CHANNEL_KINDS].sort());
  expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
});
