import { randomBytes } from 'node:crypto';

/** The credentials one set of receivers issues and checks; fresh for every start. */
export function newReceiverSecrets() {
  const hex = (n: number) => randomBytes(n).toString('hex');
  return {
    webhookSecret: hex(24),
    dingtalkRobotToken: hex(32),
    dingtalkRobotSecret: `SEC${hex(32)}`,
    dingtalkAppKey: `ding${hex(8)}`,
    dingtalkAppSecret: hex(32),
    dingtalkAgentId: 2_900_000_000 + Math.floor(Math.random() * 1000),
    wecomRobotKey: `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`,
    wecomCorpId: `ww${hex(8)}`,
    wecomCorpSecret: hex(21),
    wecomAgentId: 1_000_002,
    feishuHookId: `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`,
    feishuSecret: randomBytes(16).toString('base64url'),
    aliyunAccessKeyId: `LTAI${hex(10)}`,
    aliyunAccessKeySecret: randomBytes(22).toString('base64url'),
    smtpUser: 'duban',
    smtpPass: hex(12),
  };
}
export type ReceiverSecrets = ReturnType<typeof newReceiverSecrets>;

/**
 * SMS templates the local Aliyun receiver knows, as approved templates would
 * read in the Aliyun console (a real account has its own codes and words).
 */
export const DEMO_SMS_TEMPLATES: Record<string, string> = {
  SMS_DUBAN_NOTICE: '督办通知：${title}，请登录督办系统查看。',
  SMS_DUBAN_ESCALATION: '督办升级：${project}${matter}已升至${rung}，请于${due}前处理，文号${no}。',
};
export const DEMO_SMS_SIGN = '督办系统';
