/**
 * WeCom application message (应用消息) to one person.
 * Docs: https://developer.work.weixin.qq.com/document/path/91039 (GET /cgi-bin/gettoken?corpid&corpsecret)
 *       https://developer.work.weixin.qq.com/document/path/90236 (POST /cgi-bin/message/send?access_token=;
 *       "支持重复消息检查…在一定时间间隔内，同样内容（请求json）的消息，不会重复收到；默认1800秒", max 4 hours)
 * With enable_duplicate_check: 1 WeCom drops a message whose request JSON is
 * the same as one sent within duplicate_check_interval seconds (default 1800,
 * at most 4 hours). A retry of one delivery sends byte-identical JSON (no
 * clock, no random in it), so WeCom recognises it: exactly once within the
 * interval. The notice number at the foot keeps two deliveries apart.
 */
import type { ChannelAdapter, OutgoingMessage, ProviderAnswer } from '../channel';
import { callProvider, httpFailure, networkFailure, type HttpResult } from '../http';
import { asObject, httpUrl, mask, optionalInt, optionalString, requiredString, settingsError } from '../settings';
import { markdownText, plainText } from '../text';
import { codeAnswer, fitBytes, missingAddress, withQuery } from './errcode';
import { accessToken, dropToken } from './token-cache';

export interface WecomAppSettings {
  apiBase: string;
  corpId: string;
  corpSecret: string;
  agentId: number;
  /** markdown shows only in the WeCom client; text also reaches WeChat (微信插件). */
  msgtype: 'markdown' | 'text';
  duplicateCheckInterval: number;
}

const TOKEN_ERRORS = new Set([40014, 42001]);
/** Permanent: bad corp credentials 40001/40013, invalid agentid 40056, no valid recipient 81013, IP not trusted 60020, bad message 40008/44004. */
const PERMANENT = new Set([40001, 40013, 40056, 81013, 60020, 40008, 44004, 41001, 301002]);

/** The request JSON, fixed for a delivery: WeCom's duplicate check compares it byte for byte. */
export function wecomAppBody(msg: OutgoingMessage, userId: string, s: WecomAppSettings): string {
  const foot = `\n\n通知编号 ${msg.deliveryId.slice(0, 8)}`;
  const content = s.msgtype === 'markdown' ? { markdown: { content: fitBytes(markdownText(msg), 2000) + foot } } : { text: { content: fitBytes(plainText(msg), 2000) + foot } };
  return JSON.stringify({
    touser: userId,
    msgtype: s.msgtype,
    agentid: s.agentId,
    ...content,
    enable_duplicate_check: 1,
    duplicate_check_interval: s.duplicateCheckInterval,
  });
}

/** One cached token per API base and app. */
const tokenKey = (s: WecomAppSettings) => `wecom|${s.apiBase}|${s.corpId}|${s.agentId}`;

function token(s: WecomAppSettings): Promise<{ token: string } | ProviderAnswer> {
  return accessToken(tokenKey(s), withQuery(`${s.apiBase}/cgi-bin/gettoken`, { corpid: s.corpId, corpsecret: s.corpSecret }), PERMANENT);
}

export const wecomAppAdapter: ChannelAdapter<WecomAppSettings> = {
  kind: 'wecom_app',
  recognisesRetry: true,
  parseSettings(raw) {
    const o = asObject(raw);
    const agentId = Number(o.agentId);
    if (!Number.isSafeInteger(agentId) || agentId <= 0) throw settingsError('agentId', '须为应用的 AgentId（正整数）', 'must be the app’s AgentId (a positive integer)');
    const msgtype = optionalString(o, 'msgtype', 20) ?? 'markdown';
    if (msgtype !== 'markdown' && msgtype !== 'text') throw settingsError('msgtype', '须为 markdown 或 text', 'must be markdown or text');
    const apiBase = o.apiBase === undefined || o.apiBase === '' ? 'https://qyapi.weixin.qq.com' : httpUrl(o, 'apiBase').replace(/\/+$/, '');
    return {
      apiBase,
      corpId: requiredString(o, 'corpId', 100),
      corpSecret: requiredString(o, 'corpSecret', 200),
      agentId,
      msgtype,
      // Four hours, WeCom's maximum: covers the outbox's retries of one delivery.
      duplicateCheckInterval: optionalInt(o, 'duplicateCheckInterval', 60, 14_400) ?? 14_400,
    };
  },
  redact(s) {
    return { ...s, corpSecret: mask(s.corpSecret) };
  },
  async send(msg, target, s): Promise<ProviderAnswer> {
    if (!target.address) return missingAddress('WeCom user id');
    const body = wecomAppBody(msg, target.address, s);
    try {
      for (let attempt = 0; ; attempt++) {
        const t = await token(s);
        if (!('token' in t)) return t;
        const r: HttpResult = await callProvider(withQuery(`${s.apiBase}/cgi-bin/message/send`, { access_token: t.token }), { body });
        const failed = httpFailure(r);
        if (failed) return failed;
        const b = (r.json ?? {}) as { errcode?: number; errmsg?: string; msgid?: string; invaliduser?: string };
        const code = Number(b.errcode ?? -1);
        if (TOKEN_ERRORS.has(code) && attempt === 0) {
          dropToken(tokenKey(s));
          continue;
        }
        // errcode 0 with the one recipient listed as invalid: nobody got it, and a retry will not help.
        if (code === 0 && b.invaliduser && b.invaliduser.split('|').includes(target.address.toLowerCase())) {
          return { ok: false, retryable: false, httpStatus: r.status, answer: r.json, error: `invalid user ${target.address}` };
        }
        return codeAnswer(r, code, b.errmsg ?? '', PERMANENT, b.msgid);
      }
    } catch (err) {
      return networkFailure(err);
    }
  },
};
