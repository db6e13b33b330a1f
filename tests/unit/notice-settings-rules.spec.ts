/** The pure rules of how a person is told: contact point shapes, effective preferences, a delegation's period. */
import { hideContacts } from '../../apps/api/src/auth/contact-privacy.interceptor';
import { Person } from '../../libs/org/src/person.entity';
import {
  FEISHU_OPEN_ID_PATTERN,
  MAX_DELEGATION_DAYS,
  MOBILE_PATTERN,
  PLATFORM_USER_ID_PATTERN,
  delegationPeriodProblem,
  effectivePreferences,
  mask,
  normaliseMobile,
  plannedChannels,
} from '../../libs/notice-settings/src/rules';

test('contact points: mainland mobiles with or without +86, platform ids of sane length and characters', () => {
  for (const ok of ['13800138000', '+8619912345678']) expect(MOBILE_PATTERN.test(ok)).toBe(true);
  for (const bad of ['12800138000', '1380013800', '+85213800138000', '138-0013-8000']) expect(MOBILE_PATTERN.test(bad)).toBe(false);
  expect(normaliseMobile('+8613800138000')).toBe('13800138000');
  expect(PLATFORM_USER_ID_PATTERN.test('manager4220')).toBe(true);
  expect(PLATFORM_USER_ID_PATTERN.test('a'.repeat(65))).toBe(false);
  expect(PLATFORM_USER_ID_PATTERN.test('has space')).toBe(false);
  expect(FEISHU_OPEN_ID_PATTERN.test('ou_7d8a6e6df7621556ce0d21922b676706')).toBe(true);
  expect(FEISHU_OPEN_ID_PATTERN.test('on_7d8a6e6df7621556')).toBe(false);
  expect(mask('13800138000')).toBe('13*******00');
  expect(mask(null)).toBeNull();
});

test('the new contact columns are stripped like phone and e-mail', () => {
  const p = Object.assign(new Person(), { id: '1', name: '甲', phone: '13800138000', dingtalkUserId: 'd', wecomUserId: 'w', feishuOpenId: 'ou_x' });
  hideContacts(p, () => false);
  for (const f of ['phone', 'dingtalkUserId', 'wecomUserId', 'feishuOpenId']) expect(p).not.toHaveProperty(f);
});

test('preferences: own, else the office default, else built in; on the reachable channels; urgent kinds never digested', () => {
  const own = new Map([['progress', { channels: ['email', 'wecom_app'], digest: false }]]);
  const defaults = new Map([
    ['escalation', { channels: ['sms'], digest: false }],
    ['reminder', { channels: ['sms'], digest: true }],
    ['investment_lag', { channels: [], digest: true }],
  ]);
  const eff = effectivePreferences(own, defaults, ['dingtalk_work', 'sms', 'email'], ['investment_lag']);
  const of = (k: string) => eff.find((e) => e.kind === k);
  expect(of('progress')).toEqual({ kind: 'progress', channels: ['email'], digest: false, source: 'own', urgent: false });
  expect(of('escalation')).toEqual({ kind: 'escalation', channels: ['sms'], digest: false, source: 'org_default', urgent: false });
  expect(of('reminder')).toEqual({ kind: 'reminder', channels: [], digest: true, source: 'org_default', urgent: false });
  // Urgent: never waits; a choice naming nothing reachable falls back to every reachable channel.
  expect(of('investment_lag')).toEqual({ kind: 'investment_lag', channels: ['dingtalk_work', 'sms', 'email'], digest: false, source: 'org_default', urgent: true });
  expect(of('overdue')).toEqual({ kind: 'overdue', channels: ['dingtalk_work', 'sms', 'email'], digest: false, source: 'built_in', urgent: true });
  // Built in, normal: the first reachable of DingTalk, WeCom, e-mail, SMS.
  expect(of('resolved')).toEqual({ kind: 'resolved', channels: ['dingtalk_work'], digest: false, source: 'built_in', urgent: false });
  expect(plannedChannels(['sms', 'email'], null, false).channels).toEqual(['email']);
  expect(plannedChannels([], null, true).channels).toEqual([]);
});

test('a delegation ends after it starts, in the future, within the longest period', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  const at = (h: number) => new Date(now + h * 3_600_000);
  expect(delegationPeriodProblem(at(0), at(24), now)).toBeNull();
  expect(delegationPeriodProblem(at(24), at(24), now)?.en).toMatch(/after it starts/);
  expect(delegationPeriodProblem(at(-48), at(-1), now)?.en).toMatch(/future/);
  expect(delegationPeriodProblem(at(0), at(24 * MAX_DELEGATION_DAYS + 1), now)?.en).toMatch(/at most/);
  expect(delegationPeriodProblem(at(0), at(24 * MAX_DELEGATION_DAYS), now)).toBeNull();
});
