/**
 * Feishu custom bot (自定义机器人) with 签名校验.
 * Docs: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 * POST {webhookUrl} (…/open-apis/bot/v2/hook/{id}) with
 * {timestamp (seconds, string), sign, msg_type: "post", content: {post: {zh_cn: {title, content: [[{tag: "text", text}]]}}}}
 * where sign = base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")).
 * Answer {code: 0, msg: "success"}; 19021 sign mismatch / timestamp off by more than an hour.
 * The bot cannot recognise a retry: a crash between its acceptance and our
 * record can show the message twice in the group.
 */
import type { ChannelAdapter, OutgoingMessage, ProviderAnswer } from '../channel';
import { callProvider, httpFailure, networkFailure } from '../http';
import { asObject, httpUrl, mask, maskUrl, optionalString } from '../settings';
import { feishuBotSign } from '../signatures';
import { headline } from '../text';
import { codeAnswer } from './errcode';

export interface FeishuBotSettings {
  webhookUrl: string;
  /** The 签名校验 secret; absent when the bot is secured by keyword or IP only. */
  secret?: string;
}

/** Permanent: bad hook or parameters 19001, sign mismatch 19021, IP not allowed 19022, keyword missing 19024. Rate limits (9499, 11232) retry. */
const PERMANENT = new Set([19001, 19002, 19021, 19022, 19024]);

/** A rich-text (post) message: the title, the document number, then the body line by line. */
export function feishuPost(msg: OutgoingMessage) {
  const lines = [...(msg.documentNo ? [`文号：${msg.documentNo}`] : []), ...msg.body.split(/\n/)];
  return { post: { zh_cn: { title: headline(msg), content: lines.map((text) => [{ tag: 'text', text }]) } } };
}

export const feishuBotAdapter: ChannelAdapter<FeishuBotSettings> = {
  kind: 'feishu_bot',
  recognisesRetry: false,
  parseSettings(raw) {
    const o = asObject(raw);
    return { webhookUrl: httpUrl(o, 'webhookUrl'), secret: optionalString(o, 'secret', 200) };
  },
  redact(s) {
    return { webhookUrl: maskUrl(s.webhookUrl, { lastSegment: true }), secret: mask(s.secret) };
  },
  async send(msg, _target, s): Promise<ProviderAnswer> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = s.secret ? { timestamp, sign: feishuBotSign(s.secret, timestamp) } : {};
    try {
      const r = await callProvider(s.webhookUrl, { body: JSON.stringify({ ...signed, msg_type: 'post', content: feishuPost(msg) }) });
      // Feishu answers some refusals with HTTP 400 and a code in the body: classify by the code when there is one.
      const b = (r.json ?? {}) as { code?: number; msg?: string; StatusCode?: number; StatusMessage?: string };
      const code = b.code ?? b.StatusCode;
      if (code === undefined) return httpFailure(r) ?? { ok: false, retryable: true, httpStatus: r.status, answer: r.text, error: 'no code in answer' };
      if (r.status >= 500 || r.status === 429) return httpFailure(r)!;
      return codeAnswer(r, Number(code), b.msg ?? b.StatusMessage ?? '', PERMANENT);
    } catch (err) {
      return networkFailure(err);
    }
  },
};
