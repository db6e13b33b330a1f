import type { ChannelKind } from '../../channels/src/channel';

type As = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * How the demo county is told (issue 12): the county's DingTalk work notices, Aliyun
 * SMS and e-mail for people, a DingTalk group robot for the county committee's rung and
 * a WeCom group robot for the liaison leaders' — all pointing at the local receivers
 * `npm start` runs — and each leader's contact points. Configured through the API,
 * as the project office would.
 */
export async function seedNoticeChannels(as: As, settingsFor: (kind: ChannelKind) => Record<string, unknown>, leaders: { id: string }[]): Promise<number> {
  const channels: { kind: ChannelKind; name: string; scope?: { rungs: string[] } }[] = [
    { kind: 'dingtalk_work', name: '示范县政务钉钉工作通知' },
    { kind: 'sms', name: '阿里云短信（督办系统）' },
    { kind: 'email', name: '县政府邮件服务器' },
    { kind: 'dingtalk_robot', name: '县委县政府督办群（钉钉）', scope: { rungs: ['county'] } },
    { kind: 'wecom_robot', name: '包联领导工作群（企业微信）', scope: { rungs: ['liaison'] } },
  ];
  for (const c of channels) await as('POST', '/notice-channels', { ...c, settings: settingsFor(c.kind) });
  for (const [i, l] of leaders.entries()) {
    const no = String(i + 1).padStart(2, '0');
    await as('PUT', `/people/${l.id}/contact-points`, {
      dingtalkUserId: `leader${no}`,
      mobile: `1390000${String(7000 + i).slice(-4)}`,
      email: `leader${no}@county.example.cn`,
      reason: '演示县：领导联系方式',
    });
  }
  return channels.length;
}
