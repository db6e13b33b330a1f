/**
 * DingTalk work notification (工作通知) to one person, as the organisation's app.
 * Docs: https://open.dingtalk.com/document/orgapp/obtain-orgapp-token (GET /gettoken?appkey&appsecret)
 *       https://open.dingtalk.com/document/orgapp/asynchronous-sending-of-enterprise-session-messages
 *       (POST /topapi/message/corpconversation/asyncsend_v2?access_token=, {agent_id, userid_list, msg});
 *       the same-content rule quoted below: https://open-doc.dingtalk.com/microapp/serverapi2/pgoxpy
 * The token is cached until expires_in (7200 s), as DingTalk asks.
 * "同一个应用相同内容的消息，同一个用户一天只能接收一次": DingTalk accepts and
 * silently drops a repeat of identical content to the same user on the same
 * day. A retry of one delivery sends identical content, so DingTalk drops it;
 * the notice number at the foot keeps two different deliveries apart. A retry
 * that crosses midnight (China time) can still show twice.
 */
import type { ChannelAdapter, OutgoingMessage, ProviderAnswer } from '../channel';
import { callProvider, httpFailure, networkFailure, type HttpResult } from '../http';
import { asObject, httpUrl, mask, requiredString, settingsError } from '../settings';
import { headline, markdownText } from '../text';
import { codeAnswer, fitBytes, missingAddress, withQuery } from './errcode';
import { accessToken, dropToken } from './token-cache';

export interface DingtalkWorkSettings {
  apiBase: string;
  appKey: string;
  appSecret: string;
  agentId: number;
}

/** Invalid / expired token: fetch a new one once. */
const TOKEN_ERRORS = new Set([40014, 42001, 88]);
/** Permanent: bad app credentials 40089/40096, missing or invalid parameter 40035/400002, invalid user 33012/60121, no permission 60011. */
const PERMANENT = new Set([40089, 40096, 40035, 400002, 33012, 60121, 60011, 40078]);

/** The message DingTalk shows: markdown with the notice number at the foot (max 2048 bytes for msg). */
export function dingtalkWorkMsg(msg: OutgoingMessage) {
  const foot = `\n\n通知编号 ${msg.deliveryId.slice(0, 8)}`;
  return { msgtype: 'markdown', markdown: { title: headline(msg), text: fitBytes(markdownText(msg), 1800 - Buffer.byteLength(headline(msg))) + foot } };
}

/** One cached token per API base and app. */
const tokenKey = (s: DingtalkWorkSettings) => `dingtalk|${s.apiBase}|${s.appKey}`;

function token(s: DingtalkWorkSettings): Promise<{ token: string } | ProviderAnswer> {
  return accessToken(tokenKey(s), withQuery(`${s.apiBase}/gettoken`, { appkey: s.appKey, appsecret: s.appSecret }), PERMANENT);
}

export const dingtalkWorkAdapter: ChannelAdapter<DingtalkWorkSettings> = {
  kind: 'dingtalk_work',
  recognisesRetry: true,
  parseSettings(raw) {
    const o = asObject(raw);
    const agentId = Number(o.agentId);
    if (!Number.isSafeInteger(agentId) || agentId <= 0) throw settingsError('agentId', '须为应用的 AgentId（正整数）', 'must be the app’s AgentId (a positive integer)');
    const apiBase = o.apiBase === undefined || o.apiBase === '' ? 'https://oapi.dingtalk.com' : httpUrl(o, 'apiBase').replace(/\/+$/, '');
    return { apiBase, appKey: requiredString(o, 'appKey', 100), appSecret: requiredString(o, 'appSecret', 200), agentId };
  },
  redact(s) {
    return { apiBase: s.apiBase, appKey: s.appKey, appSecret: mask(s.appSecret), agentId: s.agentId };
  },
  async send(msg, target, s): Promise<ProviderAnswer> {
    if (!target.address) return missingAddress('DingTalk user id');
    const body = JSON.stringify({ agent_id: s.agentId, userid_list: target.address, msg: dingtalkWorkMsg(msg) });
    try {
      for (let attempt = 0; ; attempt++) {
        const t = await token(s);
        if (!('token' in t)) return t;
        const r: HttpResult = await callProvider(withQuery(`${s.apiBase}/topapi/message/corpconversation/asyncsend_v2`, { access_token: t.token }), { body });
        const failed = httpFailure(r);
        if (failed) return failed;
        const b = (r.json ?? {}) as { errcode?: number; errmsg?: string; task_id?: number };
        const code = Number(b.errcode ?? -1);
        if (TOKEN_ERRORS.has(code) && attempt === 0) {
          dropToken(tokenKey(s));
          continue;
        }
        return codeAnswer(r, code, b.errmsg ?? '', PERMANENT, b.task_id !== undefined ? String(b.task_id) : undefined);
      }
    } catch (err) {
      return networkFailure(err);
    }
  },
};
