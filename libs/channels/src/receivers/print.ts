import type { ChannelKind } from '../channel';
import type { ReceivedMessage } from './types';

/** How the demo names each receiver when it prints a message. */
export const RECEIVER_NAMES: Record<ChannelKind, string> = {
  dingtalk_robot: '钉钉群机器人 DingTalk robot',
  dingtalk_work: '钉钉工作通知 DingTalk work notice',
  wecom_robot: '企业微信群机器人 WeCom robot',
  wecom_app: '企业微信应用消息 WeCom app',
  feishu_bot: '飞书机器人 Feishu bot',
  sms: '阿里云短信 Aliyun SMS',
  email: '电子邮件 E-mail',
  webhook: 'Webhook',
};

/** One received message as the demo prints it: where it went, whether it was signed right, and its words. */
export function formatReceived(m: ReceivedMessage): string {
  const time = new Date(m.at).toISOString().slice(11, 19);
  const status = !m.signatureOk
    ? `✗ 拒收 refused (${m.rejection ?? 'bad signature'})`
    : m.dropped
      ? '· 重复，已丢弃 repeat dropped'
      : m.duplicateOf !== undefined
        ? '! 重复 repeat'
        : '✓ 签名正确 signed';
  const head = `[${RECEIVER_NAMES[m.kind]}] ${time}Z ${status}${m.to ? ` → ${m.to}` : ''}`;
  const attachments = m.attachments?.length ? `\n    附件 attachments: ${m.attachments.join(', ')}` : '';
  const text = m.text ? `\n${m.text.replace(/^/gm, '    ')}` : '';
  return `${head}${text}${attachments}`;
}
