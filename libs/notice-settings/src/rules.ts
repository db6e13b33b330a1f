/**
 * The rules of how a person is told, as plain functions (shared/design/notices.md,
 * "Channels and rules", "Delegation"): what a contact point looks like, what a
 * preference may choose, how long a delegation may last. Pure: the services,
 * the DTOs and the tests call the same functions.
 */
import type { PersonalChannel } from '../../channels/src/channel';
import { NOTICE_KINDS, type NoticeKind } from '../../notices/src/notice.entity';

/** Mainland mobile numbers, with or without +86 (stored without it: SMS templates take the 11 digits). */
export const MOBILE_PATTERN = /^(?:\+86)?1[3-9]\d{9}$/;
/** DingTalk userid and WeCom userid: letters, digits and . _ - @ up to 64 characters (as the platforms allow). */
export const PLATFORM_USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Feishu open_id: ou_ followed by letters and digits. */
export const FEISHU_OPEN_ID_PATTERN = /^ou_[A-Za-z0-9]{8,64}$/;
/** 'HH:mm', 00:00–23:59. */
export const CLOCK_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export const normaliseMobile = (m: string): string => m.replace(/^\+86/, '');

import { ALWAYS_URGENT_KINDS, chooseChannels } from '../../domain/src/notice-rules';
export { ALWAYS_URGENT_KINDS };

/** The kinds no one may put into the digest: the built-in urgent ones and those the office made urgent. */
export function undigestibleKinds(officeUrgentKinds: readonly string[]): Set<string> {
  return new Set<string>([...ALWAYS_URGENT_KINDS, ...officeUrgentKinds]);
}

/** The outbox planner's rule, shown by the preferences API (one place: libs/domain/src/notice-rules.ts). */
export const plannedChannels = chooseChannels;

export type PreferenceSource = 'own' | 'org_default' | 'built_in';

export interface EffectivePreference {
  kind: NoticeKind;
  /** The channels a notice of this kind goes on now (besides the inbox, always). */
  channels: PersonalChannel[];
  /** Waits for the morning digest instead. */
  digest: boolean;
  /** Whose choice applies: the person's own, the office's default, or the built-in rule. */
  source: PreferenceSource;
  /** Urgent whatever the matter (built in, or made so by the office): never digested, pierces quiet hours. */
  urgent: boolean;
}

/**
 * Per kind: the person's own choice, else the office's default, else built in,
 * as plannedChannels applies it to the channels the person is reachable on.
 */
export function effectivePreferences(
  own: ReadonlyMap<string, { channels: string[]; digest: boolean }>,
  defaults: ReadonlyMap<string, { channels: string[]; digest: boolean }>,
  reachable: readonly PersonalChannel[],
  officeUrgentKinds: readonly string[],
): EffectivePreference[] {
  const urgent = undigestibleKinds(officeUrgentKinds);
  return NOTICE_KINDS.map((kind) => {
    const pick = own.get(kind) ?? defaults.get(kind) ?? null;
    const source: PreferenceSource = own.has(kind) ? 'own' : defaults.has(kind) ? 'org_default' : 'built_in';
    const isUrgent = urgent.has(kind);
    return { kind, ...plannedChannels(reachable, pick, isUrgent), source, urgent: isUrgent };
  });
}

/** The longest delegation one request may set up; a longer absence is set up again when it runs out. */
export const MAX_DELEGATION_DAYS = 90;

/** What is wrong with a delegation's period, or null. */
export function delegationPeriodProblem(startsAt: Date, endsAt: Date, nowMs: number): { zh: string; en: string } | null {
  if (endsAt.getTime() <= startsAt.getTime()) return { zh: '代理结束时间须晚于开始时间', en: 'The delegation must end after it starts' };
  if (endsAt.getTime() <= nowMs) return { zh: '代理结束时间须晚于当前时间', en: 'The delegation must end in the future' };
  if (endsAt.getTime() - startsAt.getTime() > MAX_DELEGATION_DAYS * 86_400_000)
    return { zh: `代理期限不能超过${MAX_DELEGATION_DAYS}天`, en: `A delegation may last at most ${MAX_DELEGATION_DAYS} days` };
  return null;
}

/** Masks a contact point for the audit log and for secrets: the ends stay, so a person can tell which one it was. */
export function mask(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value.length <= 4) return '*'.repeat(value.length);
  const keep = Math.min(3, Math.floor(value.length / 4));
  return `${value.slice(0, keep)}${'*'.repeat(value.length - 2 * keep)}${value.slice(-keep)}`;
}
