/**
 * Who is told at once and who waits (shared/design/notices.md): which notices
 * are urgent, when quiet hours end, and when the morning digest goes out.
 * Pure functions: the outbox planner, the digest workflow's activity and the
 * tests all call these, so each rule lives here once.
 */
import { DateTime } from 'luxon';
import type { PersonalChannel } from '../../channels/src/channel';

/** What decides a notice's urgency. */
export interface UrgencyFacts {
  kind: string;
  /** The rung the notice is about (notice.rung). */
  rungKey: string | null;
  /** The top rung of the matter's ladder (县委县政府 in the default ladder); null when not about a matter. */
  topRungKey: string | null;
  /** The matter's severity; null when not about a matter. */
  severity: 'normal' | 'urgent' | string | null;
  /** An approval item deemed approved (超时默认): the approval notice of a `deemed_approved` event. */
  deemedApproved?: boolean;
}

export interface UrgencySettings {
  /** Kinds the project office made urgent besides the built-in ones (notice_settings.urgent_kinds). */
  urgentKinds: readonly string[];
}

/**
 * Kinds that are urgent whatever the matter: overdue at the top and the repeat
 * reminder at the top (both only ever happen on the top rung). No one may put
 * them into the digest (the preferences API refuses it).
 */
export const ALWAYS_URGENT_KINDS = ['overdue', 'repeat_reminder'] as const;

/**
 * Urgent: an escalation to the top rung, overdue at the top, a repeat reminder
 * at the top, an escalation of an urgent-severity matter at any rung, an
 * approval item deemed approved, or a kind the office added.
 */
export function isUrgent(n: UrgencyFacts, settings: UrgencySettings): boolean {
  if (settings.urgentKinds.includes(n.kind)) return true;
  if (n.deemedApproved) return true;
  // Only ever sent at the top (overdue_at_top and its repeats), whatever rung text they carry.
  if ((ALWAYS_URGENT_KINDS as readonly string[]).includes(n.kind)) return true;
  const atTop = n.topRungKey !== null && n.rungKey === n.topRungKey;
  return n.kind === 'escalation' && (atTop || n.severity === 'urgent');
}

/**
 * Without anyone's choice, a normal notice goes on the first channel of this
 * order the person can be reached on; an urgent one on every such channel.
 * SMS is not in it: a county pays for every message and it interrupts, so a
 * normal notice goes by SMS only when the person or the office chose it.
 */
export const NORMAL_FALLBACK_ORDER: readonly PersonalChannel[] = ['dingtalk_work', 'wecom_app', 'email'];

/**
 * Which channels a notice goes to, and whether it waits for the digest: the
 * preference that applies (own, else the office's default; null for none), else
 * built in, within the channels the person is reachable on (allowed by the
 * office, enabled, with a contact point of theirs). The outbox planner and the
 * preferences API (which shows the effective choice) both call this.
 */
export function chooseChannels(
  reachable: readonly PersonalChannel[],
  pref: { channels: string[]; digest: boolean } | null,
  urgent: boolean,
): { channels: PersonalChannel[]; digest: boolean } {
  if (pref) {
    const chosen = reachable.filter((c) => pref.channels.includes(c));
    // The digest is for normal notices only: an urgent one always goes at once (on every reachable channel when the preference names none).
    if (!urgent) return { channels: pref.digest ? [] : chosen, digest: pref.digest };
    return { channels: chosen.length ? chosen : [...reachable], digest: false };
  }
  if (urgent) return { channels: [...reachable], digest: false };
  const first = NORMAL_FALLBACK_ORDER.find((c) => reachable.includes(c));
  return { channels: first ? [first] : [], digest: false };
}

export interface QuietHours {
  /** Local `HH:mm` the quiet hours begin (default 22:00). */
  quietStart: string;
  /** Local `HH:mm` they end (default 07:30); before quietStart means across midnight. */
  quietEnd: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of `HH:mm`; throws on anything else. */
export function minutesOfDay(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`not a local time HH:mm: ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function atLocal(day: DateTime, minutes: number): DateTime {
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/**
 * When the quiet hours around `atMs` end (ms), or null when `atMs` is not in
 * quiet hours. Equal start and end mean no quiet hours at all.
 */
export function quietUntil(atMs: number, q: QuietHours, zone: string): number | null {
  const start = minutesOfDay(q.quietStart);
  const end = minutesOfDay(q.quietEnd);
  if (start === end) return null;
  const t = DateTime.fromMillis(atMs, { zone });
  const day = t.startOf('day');
  const m = t.hour * 60 + t.minute + t.second / 60 + t.millisecond / 60_000;
  if (start < end) return m >= start && m < end ? atLocal(day, end).toMillis() : null;
  // Across midnight (22:00–07:30): the evening part ends tomorrow morning, the early part this morning.
  if (m >= start) return atLocal(day.plus({ days: 1 }), end).toMillis();
  if (m < end) return atLocal(day, end).toMillis();
  return null;
}

/**
 * The next digest instant strictly after `afterMs`: `digestAt` (local HH:mm)
 * on the first working day of the organisation's calendar whose digest time
 * is still ahead.
 */
export function nextDigestAt(afterMs: number, digestAt: string, zone: string, isWorkingDay: (isoDate: string) => boolean): number {
  const minutes = minutesOfDay(digestAt);
  let day = DateTime.fromMillis(afterMs, { zone }).startOf('day');
  // A year of days off in a row would be a broken calendar, not a real one.
  for (let i = 0; i < 400; i++, day = day.plus({ days: 1 })) {
    const at = atLocal(day, minutes);
    if (at.toMillis() > afterMs && isWorkingDay(day.toISODate()!)) return at.toMillis();
  }
  throw new Error('no working day within 400 days: check the calendar');
}

/** The organisation's local date `YYYY-MM-DD` of an instant (digest and fallback keys are per local day). */
export function localDate(atMs: number, zone: string): string {
  return DateTime.fromMillis(atMs, { zone }).toISODate()!;
}
