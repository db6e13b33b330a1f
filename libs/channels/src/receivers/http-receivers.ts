import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ChannelKind } from '../channel';
import { dingtalkRobotSign, dubanWebhookSignature, feishuBotSign, sameSignature } from '../signatures';
import { aliyunSmsReceiver } from './aliyun-sms';
import type { ReceiverSecrets } from './secrets';
import type { ReceiverState } from './state';
import type { FailHow, ReceivedMessage } from './types';

/**
 * The HTTP providers, each answering as its documentation says: the path, the
 * credential in the URL or body, the signature, the JSON answer, the error
 * codes. One server; a path prefix per provider.
 */
export interface HttpRequestIn {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  json: unknown;
}
export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ReceiverContext {
  state: ReceiverState;
  secrets: ReceiverSecrets;
  /** Access tokens issued by the gettoken endpoints: token → expiry (ms). */
  tokens: Map<string, { kind: ChannelKind; expiresAt: number }>;
}

const ok = (body: unknown): HttpAnswer => ({ status: 200, body });

/** Record a refused request and answer it the provider's way. */
function refuse(ctx: ReceiverContext, kind: ChannelKind, req: HttpRequestIn, rejection: string, answer: HttpAnswer): HttpAnswer {
  ctx.state.record({ kind, at: Date.now(), signatureOk: false, headers: req.headers, body: req.json ?? req.raw, text: '', rejection });
  return answer;
}

/**
 * The common tail of an accepted request: an injected failure answers instead
 * (nothing recorded, as the provider did not take it); otherwise record, wait
 * out a hold (the provider has it, the sender does not know yet), answer.
 */
async function accept(
  ctx: ReceiverContext,
  m: Omit<ReceivedMessage, 'at' | 'signatureOk'>,
  failure: (how: FailHow) => HttpAnswer,
  success: (stored: ReceivedMessage) => HttpAnswer,
  dedupe?: { key: string; windowMs?: number; dropsRepeat?: boolean },
): Promise<HttpAnswer> {
  const how = ctx.state.takeFailure(m.kind);
  if (how) return failure(how);
  const stored = ctx.state.record({ ...m, at: Date.now(), signatureOk: true }, dedupe?.key, dedupe?.windowMs, dedupe?.dropsRepeat);
  await ctx.state.waitHold(m.kind);
  return success(stored);
}

/** DingTalk / WeCom style failure: HTTP 200 with errcode, or a bare HTTP error. */
function errcodeFailure(how: FailHow, errmsg: string): HttpAnswer {
  if (how.errcode !== undefined) return { status: how.status ?? 200, body: { errcode: how.errcode, errmsg } };
  return { status: how.status ?? 503, body: { errcode: -1, errmsg: 'system busy' } };
}

function issueToken(ctx: ReceiverContext, kind: ChannelKind): { token: string; expiresIn: number } {
  const token = randomBytes(16).toString('hex');
  ctx.tokens.set(token, { kind, expiresAt: Date.now() + 7200_000 });
  return { token, expiresIn: 7200 };
}
function tokenValid(ctx: ReceiverContext, kind: ChannelKind, token: string | null): boolean {
  const t = token ? ctx.tokens.get(token) : undefined;
  return !!t && t.kind === kind && t.expiresAt > Date.now();
}

const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' ? (v as Record<string, any>) : {});

/** The day in China (UTC+8): DingTalk's "one identical work notice per user per day". */
const chinaDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------- webhook
async function webhook(ctx: ReceiverContext, req: HttpRequestIn): Promise<HttpAnswer> {
  const ts = String(req.headers['x-duban-timestamp'] ?? '');
  const sig = req.headers['x-duban-signature'];
  const fresh = /^\d{13}$/.test(ts) && Math.abs(Date.now() - Number(ts)) < 5 * 60_000;
  if (!fresh || !sameSignature(typeof sig === 'string' ? sig : '', dubanWebhookSignature(ctx.secrets.webhookSecret, ts, req.raw))) {
    return refuse(ctx, 'webhook', req, 'bad signature', { status: 401, body: { error: 'bad signature' } });
  }
  const b = obj(req.json);
  const deliveryId = String(req.headers['x-duban-delivery-id'] ?? '');
  return accept(
    ctx,
    { kind: 'webhook', headers: req.headers, body: req.json, text: `${b.title ?? ''}\n${b.body ?? ''}`, deliveryId },
    (how) => ({ status: how.status ?? 503, body: { error: 'unavailable' } }),
    (m) => ok({ received: true, duplicate: m.duplicateOf !== undefined }),
    { key: deliveryId },
  );
}

// ---------------------------------------------------------------- DingTalk
/** Custom robot: POST /robot/send?access_token=&timestamp=&sign= (加签). */
async function dingtalkRobot(ctx: ReceiverContext, req: HttpRequestIn): Promise<HttpAnswer> {
  if (req.query.get('access_token') !== ctx.secrets.dingtalkRobotToken) {
    return refuse(ctx, 'dingtalk_robot', req, 'token is not exist', ok({ errcode: 300001, errmsg: 'token is not exist' }));
  }
  const ts = req.query.get('timestamp') ?? '';
  const fresh = /^\d{13}$/.test(ts) && Math.abs(Date.now() - Number(ts)) < 3600_000;
  if (!fresh || !sameSignature(req.query.get('sign'), dingtalkRobotSign(ctx.secrets.dingtalkRobotSecret, ts))) {
    return refuse(ctx, 'dingtalk_robot', req, 'sign not match', ok({ errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' }));
  }
  const b = obj(req.json);
  const text = b.msgtype === 'markdown' ? `${obj(b.markdown).text ?? ''}` : b.msgtype === 'text' ? `${obj(b.text).content ?? ''}` : '';
  if (!text || (b.msgtype === 'markdown' && !obj(b.markdown).title)) return ok({ errcode: 40035, errmsg: '缺少参数 json' });
  return accept(
    ctx,
    { kind: 'dingtalk_robot', headers: req.headers, body: req.json, text },
    (how) => errcodeFailure(how, how.errcode === 130101 ? 'send too fast, exceed 20 times per minute' : 'system busy'),
    () => ok({ errcode: 0, errmsg: 'ok' }),
    { key: text },
  );
}

/** Work notice: GET /gettoken, then POST /topapi/message/corpconversation/asyncsend_v2. */
async function dingtalkWork(ctx: ReceiverContext, req: HttpRequestIn, rest: string): Promise<HttpAnswer> {
  if (rest === '/gettoken' && req.method === 'GET') {
    if (req.query.get('appkey') !== ctx.secrets.dingtalkAppKey || req.query.get('appsecret') !== ctx.secrets.dingtalkAppSecret) {
      return refuse(ctx, 'dingtalk_work', req, 'bad appkey/appsecret', ok({ errcode: 40089, errmsg: '不合法的corpid或corpsecret' }));
    }
    const t = issueToken(ctx, 'dingtalk_work');
    return ok({ errcode: 0, access_token: t.token, errmsg: 'ok', expires_in: t.expiresIn });
  }
  if (rest !== '/topapi/message/corpconversation/asyncsend_v2' || req.method !== 'POST') return { status: 404, body: { errcode: 404, errmsg: '请求的URI地址不存在' } };
  if (!tokenValid(ctx, 'dingtalk_work', req.query.get('access_token'))) {
    return refuse(ctx, 'dingtalk_work', req, 'bad access_token', ok({ errcode: 40014, errmsg: '不合法的access_token' }));
  }
  const b = obj(req.json);
  if (Number(b.agent_id) !== ctx.secrets.dingtalkAgentId) return ok({ errcode: 400002, errmsg: '无效的参数 agent_id' });
  const msg = obj(b.msg);
  const users = typeof b.userid_list === 'string' ? b.userid_list.split(',').filter(Boolean) : [];
  if (users.length === 0 || users.length > 100) return ok({ errcode: 40035, errmsg: '缺少参数 userid_list' });
  const text =
    msg.msgtype === 'markdown' ? `${obj(msg.markdown).text ?? ''}` : msg.msgtype === 'text' ? `${obj(msg.text).content ?? ''}` : msg.msgtype === 'oa' ? JSON.stringify(msg.oa) : '';
  if (!text) return ok({ errcode: 40035, errmsg: '缺少参数 msg' });
  if (Buffer.byteLength(JSON.stringify(msg)) > 2048) return ok({ errcode: 40035, errmsg: '消息内容超过2048字节' });
  // "同一个应用相同内容的消息，同一个用户一天只能接收一次": accepted, not shown again.
  return accept(
    ctx,
    { kind: 'dingtalk_work', headers: req.headers, body: req.json, text, to: users.join(',') },
    (how) => errcodeFailure(how, 'system busy'),
    () => ok({ errcode: 0, errmsg: 'ok', task_id: Date.now(), request_id: randomBytes(6).toString('hex') }),
    { key: `${b.agent_id}|${users.join(',')}|${JSON.stringify(msg)}|${chinaDay(Date.now())}`, dropsRepeat: true },
  );
}

// ---------------------------------------------------------------- WeCom
/** Group robot: POST /cgi-bin/webhook/send?key=KEY. */
async function wecomRobot(ctx: ReceiverContext, req: HttpRequestIn): Promise<HttpAnswer> {
  if (req.query.get('key') !== ctx.secrets.wecomRobotKey) {
    return refuse(ctx, 'wecom_robot', req, 'invalid webhook url', ok({ errcode: 93000, errmsg: 'invalid webhook url, hint: [1700000000_1_abc]' }));
  }
  const b = obj(req.json);
  const text = b.msgtype === 'markdown' ? `${obj(b.markdown).content ?? ''}` : b.msgtype === 'text' ? `${obj(b.text).content ?? ''}` : '';
  if (!text) return ok({ errcode: 40008, errmsg: 'invalid message type' });
  if (Buffer.byteLength(text) > 4096) return ok({ errcode: 40058, errmsg: 'markdown.content exceed max length 4096' });
  return accept(
    ctx,
    { kind: 'wecom_robot', headers: req.headers, body: req.json, text },
    (how) => errcodeFailure(how, how.errcode === 45009 ? 'api freq out of limit' : 'system busy'),
    () => ok({ errcode: 0, errmsg: 'ok' }),
    { key: text },
  );
}

/** Application message: GET /cgi-bin/gettoken, POST /cgi-bin/message/send (with the duplicate check). */
async function wecomApp(ctx: ReceiverContext, req: HttpRequestIn, rest: string): Promise<HttpAnswer> {
  if (rest === '/cgi-bin/gettoken' && req.method === 'GET') {
    if (req.query.get('corpid') !== ctx.secrets.wecomCorpId) return refuse(ctx, 'wecom_app', req, 'invalid corpid', ok({ errcode: 40013, errmsg: 'invalid corpid' }));
    if (req.query.get('corpsecret') !== ctx.secrets.wecomCorpSecret)
      return refuse(ctx, 'wecom_app', req, 'invalid credential', ok({ errcode: 40001, errmsg: 'invalid credential' }));
    const t = issueToken(ctx, 'wecom_app');
    return ok({ errcode: 0, errmsg: 'ok', access_token: t.token, expires_in: t.expiresIn });
  }
  if (rest !== '/cgi-bin/message/send' || req.method !== 'POST') return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
  if (!tokenValid(ctx, 'wecom_app', req.query.get('access_token'))) {
    return refuse(ctx, 'wecom_app', req, 'invalid access_token', ok({ errcode: 40014, errmsg: 'invalid access_token' }));
  }
  const b = obj(req.json);
  if (Number(b.agentid) !== ctx.secrets.wecomAgentId) return ok({ errcode: 40056, errmsg: 'invalid agentid' });
  const text = b.msgtype === 'markdown' ? `${obj(b.markdown).content ?? ''}` : b.msgtype === 'text' ? `${obj(b.text).content ?? ''}` : '';
  if (!text) return ok({ errcode: 40008, errmsg: 'invalid message type' });
  const touser = typeof b.touser === 'string' ? b.touser : '';
  if (!touser) return ok({ errcode: 40035, errmsg: 'empty touser' });
  const interval = Math.min(Number(b.duplicate_check_interval ?? 1800) || 1800, 4 * 3600);
  // "在一定时间间隔内，同样内容（请求json）的消息，不会重复收到": accepted, dropped.
  const dedupe = b.enable_duplicate_check === 1 ? { key: req.raw, windowMs: interval * 1000, dropsRepeat: true } : { key: req.raw };
  return accept(
    ctx,
    { kind: 'wecom_app', headers: req.headers, body: req.json, text, to: touser },
    (how) => errcodeFailure(how, 'system busy'),
    () => ok({ errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomBytes(12).toString('base64url') }),
    dedupe,
  );
}

// ---------------------------------------------------------------- Feishu
/** Custom bot: POST /open-apis/bot/v2/hook/{id} with timestamp + sign in the body. */
async function feishuBot(ctx: ReceiverContext, req: HttpRequestIn, rest: string): Promise<HttpAnswer> {
  if (rest !== `/open-apis/bot/v2/hook/${ctx.secrets.feishuHookId}`) {
    return refuse(ctx, 'feishu_bot', req, 'incoming webhook access token invalid', ok({ code: 19001, data: {}, msg: 'param invalid: incoming webhook access token invalid' }));
  }
  const b = obj(req.json);
  const ts = String(b.timestamp ?? '');
  const fresh = /^\d{10}$/.test(ts) && Math.abs(Date.now() / 1000 - Number(ts)) < 3600;
  if (!fresh || !sameSignature(typeof b.sign === 'string' ? b.sign : '', feishuBotSign(ctx.secrets.feishuSecret, ts))) {
    return refuse(ctx, 'feishu_bot', req, 'sign match fail', ok({ code: 19021, data: {}, msg: 'sign match fail or timestamp is not within one hour from current time' }));
  }
  const content = obj(b.content);
  let text = '';
  if (b.msg_type === 'text') text = `${content.text ?? ''}`;
  if (b.msg_type === 'post') {
    const post = obj(obj(content.post).zh_cn);
    const lines = Array.isArray(post.content) ? post.content.map((line: unknown) => (Array.isArray(line) ? line.map((el) => `${obj(el).text ?? ''}`).join('') : '')) : [];
    text = [post.title ?? '', ...lines].join('\n');
  }
  if (!text.trim()) return ok({ code: 9499, data: {}, msg: 'Bad Request' });
  return accept(
    ctx,
    { kind: 'feishu_bot', headers: req.headers, body: req.json, text },
    (how) =>
      how.errcode !== undefined
        ? { status: how.status ?? 200, body: { code: how.errcode, data: {}, msg: 'too many request' } }
        : { status: how.status ?? 503, body: { code: 9499, msg: 'busy' } },
    () => ok({ code: 0, data: {}, msg: 'success' }),
    { key: text },
  );
}

/** Route one request to its provider by path prefix (Aliyun's SDK posts to "/" with x-acs-action). */
export async function routeHttp(ctx: ReceiverContext, req: HttpRequestIn): Promise<HttpAnswer> {
  const p = req.path;
  if (req.headers['x-acs-action']) return aliyunSmsReceiver(ctx, req, (m, how, success, dedupe) => accept(ctx, m, how, success, dedupe), refuse);
  if (p === '/webhook' || p.startsWith('/webhook/')) return webhook(ctx, req);
  if (p === '/dingtalk/robot/send') return dingtalkRobot(ctx, req);
  if (p.startsWith('/dingtalk/')) return dingtalkWork(ctx, req, p.slice('/dingtalk'.length));
  if (p === '/wecom/cgi-bin/webhook/send') return wecomRobot(ctx, req);
  if (p.startsWith('/wecom/')) return wecomApp(ctx, req, p.slice('/wecom'.length));
  if (p.startsWith('/feishu/')) return feishuBot(ctx, req, p.slice('/feishu'.length));
  return { status: 404, body: { error: 'no such receiver', requestId: randomUUID() } };
}

export type AcceptFn = (
  m: Omit<ReceivedMessage, 'at' | 'signatureOk'>,
  failure: (how: FailHow) => HttpAnswer,
  success: (stored: ReceivedMessage) => HttpAnswer,
  dedupe?: { key: string; windowMs?: number; dropsRepeat?: boolean },
) => Promise<HttpAnswer>;
export type RefuseFn = typeof refuse;
