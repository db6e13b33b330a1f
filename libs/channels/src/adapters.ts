import { CHANNEL_KINDS, type ChannelAdapter, type ChannelKind } from './channel';
import { dingtalkRobotAdapter } from './adapters/dingtalk-robot';
import { dingtalkWorkAdapter } from './adapters/dingtalk-work';
import { emailAdapter } from './adapters/email';
import { feishuBotAdapter } from './adapters/feishu-bot';
import { smsAdapter } from './adapters/sms';
import { webhookAdapter } from './adapters/webhook';
import { wecomAppAdapter } from './adapters/wecom-app';
import { wecomRobotAdapter } from './adapters/wecom-robot';

/**
 * The registry: one adapter per channel kind. The outbox asks adapterFor(kind)
 * and never knows a provider's details.
 */
export const CHANNEL_ADAPTERS: Record<ChannelKind, ChannelAdapter<any>> = {
  dingtalk_robot: dingtalkRobotAdapter,
  dingtalk_work: dingtalkWorkAdapter,
  wecom_robot: wecomRobotAdapter,
  wecom_app: wecomAppAdapter,
  feishu_bot: feishuBotAdapter,
  sms: smsAdapter,
  email: emailAdapter,
  webhook: webhookAdapter,
};

export function adapterFor(kind: ChannelKind): ChannelAdapter<any> {
  const a = CHANNEL_ADAPTERS[kind];
  if (!a) throw new Error(`No channel adapter for ${String(kind)}; known: ${CHANNEL_KINDS.join(', ')}`);
  return a;
}
