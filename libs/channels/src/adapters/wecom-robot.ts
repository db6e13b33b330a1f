/**
 * WeCom group robot (群机器人).
 * Docs: https://developer.work.weixin.qq.com/document/path/91770
 * POST {webhookUrl} (…/cgi-bin/webhook/send?key=KEY), {msgtype: "markdown", markdown: {content}}
 * (content at most 4096 bytes) → {errcode: 0, errmsg: "ok"}; 20 messages a minute per robot.
 * The robot cannot recognise a retry: a crash between its acceptance and our
 * record can show the message twice in the group.
 */
import type { ChannelAdapter, ProviderAnswer } from '../channel';
import { callProvider, httpFailure, networkFailure } from '../http';
import { asObject, httpUrl, maskUrl } from '../settings';
import { markdownText } from '../text';
import { codeAnswer, fitBytes } from './errcode';

export interface WecomRobotSettings {
  webhookUrl: string;
}

/** Permanent: invalid webhook key 93000, bad message type 40008, content too long 40058, empty content 44004. Rate limit 45009 and busy -1 retry. */
const PERMANENT = new Set([93000, 40008, 40058, 44004]);

export const wecomRobotAdapter: ChannelAdapter<WecomRobotSettings> = {
  kind: 'wecom_robot',
  recognisesRetry: false,
  parseSettings(raw) {
    const o = asObject(raw);
    return { webhookUrl: httpUrl(o, 'webhookUrl') };
  },
  redact(s) {
    return { webhookUrl: maskUrl(s.webhookUrl, { query: 'key' }) };
  },
  async send(msg, _target, s): Promise<ProviderAnswer> {
    try {
      const r = await callProvider(s.webhookUrl, { body: JSON.stringify({ msgtype: 'markdown', markdown: { content: fitBytes(markdownText(msg), 4096) } }) });
      const failed = httpFailure(r);
      if (failed) return failed;
      const b = (r.json ?? {}) as { errcode?: number; errmsg?: string };
      return codeAnswer(r, Number(b.errcode ?? -1), b.errmsg ?? '', PERMANENT);
    } catch (err) {
      return networkFailure(err);
    }
  },
};
