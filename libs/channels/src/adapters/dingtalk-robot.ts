/**
 * DingTalk custom group robot (自定义机器人), with 加签 (signed timestamp).
 * Docs: https://open.dingtalk.com/document/orgapp/custom-robot-access
 *       https://open.dingtalk.com/document/orgapp/customize-robot-security-settings
 *       https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages
 * POST {webhookUrl}&timestamp={ms}&sign={urlencode(base64(HmacSHA256(secret, ts + "\n" + secret)))}
 * body {msgtype: "markdown", markdown: {title, text}} → {errcode: 0, errmsg: "ok"}.
 * The robot cannot recognise a retry: a crash between its acceptance and our
 * record can show the message twice in the group.
 */
import type { ChannelAdapter, ProviderAnswer } from '../channel';
import { callProvider, httpFailure, networkFailure } from '../http';
import { asObject, httpUrl, mask, maskUrl, optionalString } from '../settings';
import { dingtalkRobotSign } from '../signatures';
import { headline, markdownText } from '../text';
import { codeAnswer, withQuery } from './errcode';

export interface DingtalkRobotSettings {
  webhookUrl: string;
  /** The 加签 secret (SEC…); absent when the robot is secured by keyword or IP only. */
  secret?: string;
}

/** Documented permanent failures: security check (sign, keyword, IP) 310000, unknown token 300001/300005/400101, robot stopped 400102, group gone 400013, bad message 400105/40035, unsafe content 430101–430104. */
const PERMANENT = new Set([310000, 300001, 300005, 400013, 400101, 400102, 400105, 400106, 40035, 430101, 430102, 430103, 430104]);

export const dingtalkRobotAdapter: ChannelAdapter<DingtalkRobotSettings> = {
  kind: 'dingtalk_robot',
  recognisesRetry: false,
  parseSettings(raw) {
    const o = asObject(raw);
    const webhookUrl = httpUrl(o, 'webhookUrl');
    return { webhookUrl, secret: optionalString(o, 'secret', 200) };
  },
  redact(s) {
    return { webhookUrl: maskUrl(s.webhookUrl, { query: 'access_token' }), secret: mask(s.secret) };
  },
  async send(msg, _target, s): Promise<ProviderAnswer> {
    const timestamp = String(Date.now());
    const url = s.secret ? withQuery(s.webhookUrl, { timestamp, sign: dingtalkRobotSign(s.secret, timestamp) }) : s.webhookUrl;
    try {
      const r = await callProvider(url, { body: JSON.stringify({ msgtype: 'markdown', markdown: { title: headline(msg), text: markdownText(msg) } }) });
      const failed = httpFailure(r);
      if (failed) return failed;
      const b = (r.json ?? {}) as { errcode?: number; errmsg?: string };
      return codeAnswer(r, Number(b.errcode ?? -1), b.errmsg ?? '', PERMANENT);
    } catch (err) {
      return networkFailure(err);
    }
  },
};
