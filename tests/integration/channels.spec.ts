/**
 * Every channel adapter against its local receiver (libs/channels/src/receivers),
 * which checks the provider's documented payload and signature and answers as
 * the provider does: one message each, correctly signed, with the right text;
 * wrong credentials refused and reported as not worth retrying; provider
 * trouble reported as worth retrying; retries recognised where the provider
 * (WeCom's duplicate check, DingTalk's same-content rule) or the receiving
 * platform (webhook delivery id) allows.
 */
import { randomUUID } from 'node:crypto';
import { adapterFor, CHANNEL_KINDS, type ChannelKind, type OutgoingMessage, type Target } from '../../libs/channels/src';
import { formatReceived, startReceivers, type Receivers } from '../../libs/channels/src/receivers';
import { DomainError } from '../../libs/domain/src/errors';

let r: Receivers;
beforeAll(async () => {
  r = await startReceivers();
});
afterAll(() => r?.close());
beforeEach(() => r.clear());

const ADDRESS: Record<ChannelKind, string | null> = {
  dingtalk_robot: null,
  dingtalk_work: 'zhangsan01',
  wecom_robot: null,
  wecom_app: 'ZhangSan',
  feishu_bot: null,
  sms: '13800138000',
  email: 'leader@county.gov.cn',
  webhook: null,
};
const target = (kind: ChannelKind): Target => ({ address: ADDRESS[kind], name: '张三' });

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: randomUUID(),
    noticeId: randomUUID(),
    kind: 'escalation',
    title: '督办升级：城南快速路征地拆迁受阻',
    body: '该事项已升至县委县政府。\n请于12月3日17:00前签收并组织协调。',
    urgent: true,
    documentNo: '督办〔2026〕12号',
    params: { project: '城南快速路', matter: '征地拆迁受阻', rung: '县委县政府', due: '12月3日17:00', no: '督办〔2026〕12号' },
    attachments: [{ filename: '督办通知单.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n%test\n') }],
    ...over,
  };
}

async function send(kind: ChannelKind, msg: OutgoingMessage, settings: Record<string, unknown> = r.settingsFor(kind)) {
  const adapter = adapterFor(kind);
  return adapter.send(msg, target(kind), adapter.parseSettings(settings));
}

/** A wrong secret for each channel, in the field the provider checks. */
function wrongCredentials(kind: ChannelKind): Record<string, unknown> {
  const s = r.settingsFor(kind);
  switch (kind) {
    case 'webhook':
      return { ...s, secret: 'not-the-shared-secret-at-all' };
    case 'dingtalk_robot':
      return { ...s, secret: 'SECnot-the-robot-secret' };
    case 'dingtalk_work':
      return { ...s, appKey: `${String(s.appKey)}x`, appSecret: 'wrong' };
    case 'wecom_robot':
      return { ...s, webhookUrl: String(s.webhookUrl).replace(/key=.*$/, 'key=00000000-0000-0000-0000-000000000000') };
    case 'wecom_app':
      return { ...s, corpSecret: 'wrong', agentId: 1_000_003 };
    case 'feishu_bot':
      return { ...s, secret: 'wrong' };
    case 'sms':
      return { ...s, accessKeySecret: 'wrong' };
    case 'email':
      return { ...s, pass: 'wrong' };
  }
}

describe('each channel delivers one correctly signed message with the right text', () => {
  it.each([...CHANNEL_KINDS])('%s', async (kind) => {
    const msg = message();
    const answer = await send(kind, msg);
    expect(answer).toMatchObject({ ok: true });
    const got = r.messages(kind);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind, signatureOk: true });
    expect(r.delivered(kind)).toHaveLength(1);
    const text = got[0]!.text;
    if (kind === 'sms') {
      // Chinese SMS is the approved template filled with the notice's values: sign name + template words
      // (an escalation has a template of its own; the default template carries only the title).
      expect(text).toBe('【督办系统】督办升级：城南快速路征地拆迁受阻已升至县委县政府，请于12月3日17:00前处理，文号督办〔2026〕12号。');
    } else {
      expect(text).toContain(msg.title);
      expect(text).toContain('该事项已升至县委县政府。');
      expect(text).toContain('请于12月3日17:00前签收并组织协调。');
      if (kind !== 'webhook') expect(text).toContain('督办〔2026〕12号');
    }
    if (ADDRESS[kind]) expect(got[0]!.to).toBe(ADDRESS[kind]);
    if (kind === 'email') {
      expect(got[0]!.subject).toBe(`【紧急】${msg.title}`);
      expect(got[0]!.attachments).toEqual(['督办通知单.pdf']);
      expect(got[0]!.deliveryId).toBe(msg.deliveryId);
    }
    if (kind === 'webhook' || kind === 'sms') expect(got[0]!.deliveryId).toBe(msg.deliveryId);
  });
});

describe('wrong credentials: the receiver refuses as the provider does, the adapter reports a permanent failure', () => {
  it.each([...CHANNEL_KINDS])('%s', async (kind) => {
    const answer = await send(kind, message(), wrongCredentials(kind));
    expect(answer).toMatchObject({ ok: false, retryable: false });
    const got = r.messages(kind);
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(got.every((m) => !m.signatureOk)).toBe(true);
    expect(r.delivered(kind)).toHaveLength(0);
  });

  it('DingTalk robot: a bad sign is errcode 310000 "sign not match"', async () => {
    const answer = await send('dingtalk_robot', message(), wrongCredentials('dingtalk_robot'));
    expect(answer.answer).toMatchObject({ errcode: 310000 });
    expect(answer.error).toMatch(/310000 sign not match/);
  });

  it('Feishu: a bad sign is code 19021', async () => {
    const answer = await send('feishu_bot', message(), wrongCredentials('feishu_bot'));
    expect(answer.answer).toMatchObject({ code: 19021 });
  });

  it('Aliyun: a bad AccessKey secret is SignatureDoesNotMatch, and the secret never appears in the answer', async () => {
    const answer = await send('sms', message(), wrongCredentials('sms'));
    expect(answer).toMatchObject({ ok: false, retryable: false, httpStatus: 400 });
    expect(answer.answer).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(JSON.stringify(answer)).not.toContain(String(r.settingsFor('sms').accessKeySecret));
  });
});

describe('provider trouble: retryable, and the next attempt goes through', () => {
  const cases: [ChannelKind, Parameters<Receivers['failNext']>[2]][] = [
    ['webhook', undefined],
    ['dingtalk_robot', { errcode: 130101 }],
    ['dingtalk_work', undefined],
    ['wecom_robot', { errcode: 45009 }],
    ['wecom_app', { errcode: -1 }],
    ['feishu_bot', { errcode: 9499 }],
    ['sms', { code: 'isv.BUSINESS_LIMIT_CONTROL' }],
    ['sms', { status: 503 }],
    ['email', { status: 451 }],
  ];
  it.each(cases)('%s %j', async (kind, how) => {
    r.failNext(kind, 1, how);
    const msg = message();
    expect(await send(kind, msg)).toMatchObject({ ok: false, retryable: true });
    expect(r.failedCount(kind)).toBe(1);
    expect(await send(kind, msg)).toMatchObject({ ok: true });
    expect(r.delivered(kind)).toHaveLength(1);
  });

  it('an unreachable provider (nothing listening) is retryable', async () => {
    const answer = await send('webhook', message(), { ...r.settingsFor('webhook'), url: 'http://127.0.0.1:9/duban' });
    expect(answer).toMatchObject({ ok: false, retryable: true });
    expect(answer.error).toMatch(/network/);
  });

  it('a mailbox the relay refuses for good (550) is not retryable', async () => {
    r.failNext('email', 1, { status: 550 });
    expect(await send('email', message())).toMatchObject({ ok: false, retryable: false });
  });
});

describe('a retry of the same delivery', () => {
  it('WeCom app message: the duplicate check drops the repeat, one message reaches the person', async () => {
    const msg = message();
    expect(await send('wecom_app', msg)).toMatchObject({ ok: true });
    expect(await send('wecom_app', msg)).toMatchObject({ ok: true });
    const got = r.messages('wecom_app');
    expect(got).toHaveLength(2);
    expect(got[1]).toMatchObject({ duplicateOf: 0, dropped: true });
    expect(r.delivered('wecom_app')).toHaveLength(1);
    expect((got[0]!.body as Record<string, unknown>).enable_duplicate_check).toBe(1);
  });

  it('WeCom app message: a different delivery with the same words is not dropped (the notice number differs)', async () => {
    const a = message();
    const b = message({ title: a.title, body: a.body });
    await send('wecom_app', a);
    await send('wecom_app', b);
    expect(r.delivered('wecom_app')).toHaveLength(2);
  });

  it('DingTalk work notice: identical content to the same user the same day is accepted and not shown again', async () => {
    const msg = message();
    await send('dingtalk_work', msg);
    await send('dingtalk_work', msg);
    expect(r.messages('dingtalk_work')).toHaveLength(2);
    expect(r.delivered('dingtalk_work')).toHaveLength(1);
  });

  it('webhook: the same delivery id twice is marked as a repeat the platform drops', async () => {
    const msg = message();
    await send('webhook', msg);
    await send('webhook', msg);
    const got = r.messages('webhook');
    expect(got.map((m) => m.duplicateOf)).toEqual([undefined, 0]);
    expect(got[1]!.headers['x-duban-delivery-id']).toBe(msg.deliveryId);
    expect(r.delivered('webhook')).toHaveLength(1);
  });

  it('DingTalk robot cannot recognise a retry: the group sees it twice (documented)', async () => {
    const msg = message();
    await send('dingtalk_robot', msg);
    await send('dingtalk_robot', msg);
    expect(r.delivered('dingtalk_robot')).toHaveLength(2);
    expect(adapterFor('dingtalk_robot').recognisesRetry).toBe(false);
  });
});

describe('held answers (for killing a worker mid-send)', () => {
  it('records the message as accepted before the answer comes', async () => {
    r.hold('webhook', 400);
    let settled = false;
    const pending = send('webhook', message()).then((a) => {
      settled = true;
      return a;
    });
    while (r.messages('webhook').length === 0) await new Promise((res) => setTimeout(res, 20));
    expect(settled).toBe(false);
    expect(await pending).toMatchObject({ ok: true });
    r.hold('webhook', 0);
  });
});

describe('settings', () => {
  it('refuses a non-http(s) address, naming the field, in Chinese first', () => {
    let err: unknown;
    try {
      adapterFor('webhook').parseSettings({ url: 'file:///etc/passwd', secret: 'x'.repeat(32) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).messageZh).toContain('url');
    expect((err as DomainError).messageEn).toContain('url');
  });

  it.each([
    ['sms', { templates: {} }, 'templates.default'],
    ['dingtalk_work', { agentId: 'abc' }, 'agentId'],
    ['email', { user: 'only-user', pass: undefined }, 'pass'],
    ['wecom_app', { msgtype: 'news' }, 'msgtype'],
  ] as [ChannelKind, Record<string, unknown>, string][])('%s: %j names %s', (kind, patch, field) => {
    expect(() => adapterFor(kind).parseSettings({ ...r.settingsFor(kind), ...patch })).toThrow(expect.objectContaining({ details: { field } }));
  });

  it.each([...CHANNEL_KINDS])('%s: redact() shows no secret', (kind) => {
    const adapter = adapterFor(kind);
    const settings = r.settingsFor(kind);
    const shown = JSON.stringify(adapter.redact(adapter.parseSettings(settings)));
    for (const field of ['secret', 'appSecret', 'corpSecret', 'accessKeySecret', 'pass']) {
      if (typeof settings[field] === 'string') expect(shown).not.toContain(settings[field] as string);
    }
    const url = String(settings.webhookUrl ?? '');
    const credential = /(?:access_token|key)=([^&]+)$/.exec(url)?.[1] ?? /hook\/([^/]+)$/.exec(url)?.[1];
    if (credential) expect(shown).not.toContain(credential);
  });

  it('a personal channel without the person’s address fails for good', async () => {
    const adapter = adapterFor('sms');
    expect(await adapter.send(message(), { address: null }, adapter.parseSettings(r.settingsFor('sms')))).toMatchObject({ ok: false, retryable: false });
  });
});

describe('SMS template variables', () => {
  it('uses the template of the notice kind, each variable cut to 35 characters as Aliyun requires', async () => {
    const settings = { ...r.settingsFor('sms'), templates: { default: 'SMS_DUBAN_NOTICE', escalation: 'SMS_DUBAN_ESCALATION' } };
    const longMatter = '因征地拆迁补偿标准争议导致三户未签约，施工单位无法进场，影响主线桥梁桩基施工，需县级层面协调';
    const msg = message({ params: { ...message().params, matter: longMatter } });
    expect(await send('sms', msg, settings)).toMatchObject({ ok: true });
    const [got] = r.messages('sms');
    expect(got!.text).toContain([...longMatter].slice(0, 35).join(''));
    expect(got!.text).not.toContain(longMatter);
    expect(got!.text).toMatch(/^【督办系统】督办升级：城南快速路/);
  });
});

describe('receivers for the demo', () => {
  it('tell a listener about each message, printable, and keep fixed credentials across restarts', async () => {
    const seen: string[] = [];
    const demo = await startReceivers({ secrets: { dingtalkRobotSecret: 'SECfixed-demo-secret' }, onMessage: (m) => seen.push(formatReceived(m)) });
    try {
      expect(demo.settingsFor('dingtalk_robot').secret).toBe('SECfixed-demo-secret');
      const adapter = adapterFor('dingtalk_robot');
      await adapter.send(message(), { address: null }, adapter.parseSettings(demo.settingsFor('dingtalk_robot')));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('钉钉群机器人');
      expect(seen[0]).toContain('✓ 签名正确');
      expect(seen[0]).toContain('督办升级：城南快速路征地拆迁受阻');
    } finally {
      await demo.close();
    }
  });
});
