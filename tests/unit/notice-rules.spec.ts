/**
 * Urgency, quiet hours and the digest time (libs/domain/src/notice-rules.ts).
 * Shanghai is UTC+8 all year, so every expectation is an exact UTC instant.
 */
import { createCalendar } from '../../libs/calendar/src';
import { isUrgent, localDate, nextDigestAt, quietUntil } from '../../libs/domain/src/notice-rules';
import { chooseChannels } from '../../libs/notices/src/delivery-planner';

const Z = 'Asia/Shanghai';
const ms = (iso: string) => Date.parse(iso);
const none = { urgentKinds: [] as string[] };
const matter = (kind: string, rungKey: string, severity = 'normal') => ({ kind, rungKey, topRungKey: 'county', severity });

describe('isUrgent', () => {
  test('escalation to the top rung is urgent; to a middle rung it is not', () => {
    expect(isUrgent(matter('escalation', 'county'), none)).toBe(true);
    expect(isUrgent(matter('escalation', 'liaison'), none)).toBe(false);
  });

  test('an escalation of an urgent-severity matter is urgent at any rung', () => {
    expect(isUrgent(matter('escalation', 'liaison', 'urgent'), none)).toBe(true);
    expect(isUrgent(matter('reminder', 'liaison', 'urgent'), none)).toBe(false);
  });

  test('overdue at the top and a repeat reminder at the top are urgent', () => {
    expect(isUrgent(matter('overdue', 'county'), none)).toBe(true);
    expect(isUrgent(matter('repeat_reminder', 'county'), none)).toBe(true);
    // Both only ever happen on the top rung (the workflow repeats only "still overdue at the top"), so the kind alone
    // decides, whatever rung text the notice carries; the preferences API refuses to digest them for the same reason.
    expect(isUrgent(matter('repeat_reminder', 'unit'), none)).toBe(true);
    expect(isUrgent(matter('reminder', 'county'), none)).toBe(false);
  });

  test('a longer ladder: its own top rung counts', () => {
    expect(isUrgent({ kind: 'escalation', rungKey: 'county', topRungKey: 'city', severity: 'normal' }, none)).toBe(false);
    expect(isUrgent({ kind: 'escalation', rungKey: 'city', topRungKey: 'city', severity: 'normal' }, none)).toBe(true);
  });

  test('an approval item deemed approved (超时默认) is urgent; other approval notices are not', () => {
    expect(isUrgent({ kind: 'approval', rungKey: 'department', topRungKey: null, severity: null, deemedApproved: true }, none)).toBe(true);
    expect(isUrgent({ kind: 'approval', rungKey: 'department', topRungKey: null, severity: null }, none)).toBe(false);
  });

  test('normal kinds are normal; the office may add kinds', () => {
    for (const kind of ['assigned', 'reminder', 'copy', 'progress', 'resolved', 'stage_warning', 'investment_lag']) {
      expect(isUrgent(matter(kind, 'county'), none)).toBe(false);
    }
    expect(isUrgent({ kind: 'stage_overdue', rungKey: 'unit', topRungKey: null, severity: null }, { urgentKinds: ['stage_overdue'] })).toBe(true);
  });
});

describe('quietUntil (default 22:00–07:30)', () => {
  const q = { quietStart: '22:00', quietEnd: '07:30' };

  test('23:00 waits until 07:30 the next morning', () => {
    expect(quietUntil(ms('2026-03-10T23:00:00+08:00'), q, Z)).toBe(ms('2026-03-11T07:30:00+08:00'));
  });

  test('exactly 22:00 is quiet; 21:59 is not', () => {
    expect(quietUntil(ms('2026-03-10T22:00:00+08:00'), q, Z)).toBe(ms('2026-03-11T07:30:00+08:00'));
    expect(quietUntil(ms('2026-03-10T21:59:59+08:00'), q, Z)).toBeNull();
  });

  test('03:00 waits until 07:30 the same morning; 07:30 itself is not quiet', () => {
    expect(quietUntil(ms('2026-03-11T03:00:00+08:00'), q, Z)).toBe(ms('2026-03-11T07:30:00+08:00'));
    expect(quietUntil(ms('2026-03-11T07:30:00+08:00'), q, Z)).toBeNull();
    expect(quietUntil(ms('2026-03-11T12:00:00+08:00'), q, Z)).toBeNull();
  });

  test('quiet hours within one day (12:00–14:00), and none when start equals end', () => {
    const noon = { quietStart: '12:00', quietEnd: '14:00' };
    expect(quietUntil(ms('2026-03-11T13:00:00+08:00'), noon, Z)).toBe(ms('2026-03-11T14:00:00+08:00'));
    expect(quietUntil(ms('2026-03-11T14:00:00+08:00'), noon, Z)).toBeNull();
    expect(quietUntil(ms('2026-03-11T23:00:00+08:00'), { quietStart: '00:00', quietEnd: '00:00' }, Z)).toBeNull();
  });

  test('in another zone, reckoned in that zone (the organisation’s DUBAN_TIME_ZONE)', () => {
    expect(quietUntil(ms('2026-03-10T23:00:00Z'), q, 'UTC')).toBe(ms('2026-03-11T07:30:00Z'));
  });

  test('a malformed time is refused', () => {
    expect(() => quietUntil(0, { quietStart: '7:30', quietEnd: '22:00' }, Z)).toThrow(RangeError);
  });
});

describe('nextDigestAt: 08:30 on the next working day of the calendar', () => {
  const cal = createCalendar();
  const working = (d: string) => cal.isWorkingDay(d);

  test('Tuesday 07:00 → the same day 08:30; Tuesday 08:30 → Wednesday 08:30', () => {
    expect(nextDigestAt(ms('2026-03-10T07:00:00+08:00'), '08:30', Z, working)).toBe(ms('2026-03-10T08:30:00+08:00'));
    expect(nextDigestAt(ms('2026-03-10T08:30:00+08:00'), '08:30', Z, working)).toBe(ms('2026-03-11T08:30:00+08:00'));
  });

  test('Friday evening → Monday 08:30 (the weekend is skipped)', () => {
    expect(nextDigestAt(ms('2026-03-13T18:00:00+08:00'), '08:30', Z, working)).toBe(ms('2026-03-16T08:30:00+08:00'));
  });

  test('National Day 2026 (10/1–10/7 off) → 10/8; an adjusted working Saturday (2026-10-10) has a digest', () => {
    expect(nextDigestAt(ms('2026-09-30T09:00:00+08:00'), '08:30', Z, working)).toBe(ms('2026-10-08T08:30:00+08:00'));
    expect(nextDigestAt(ms('2026-10-09T09:00:00+08:00'), '08:30', Z, working)).toBe(ms('2026-10-10T08:30:00+08:00'));
  });

  test('the local date of an instant', () => {
    expect(localDate(ms('2026-03-10T23:30:00+08:00'), Z)).toBe('2026-03-10');
    expect(localDate(ms('2026-03-10T16:30:00Z'), Z)).toBe('2026-03-11');
  });
});

describe('chooseChannels: the person’s preference, else the office’s, else built-in', () => {
  const all = ['dingtalk_work', 'wecom_app', 'sms', 'email'] as const;

  test('built-in: urgent goes to every reachable channel; normal to the first of IM, e-mail, SMS', () => {
    expect(chooseChannels([...all], null, true)).toEqual({ channels: [...all], digest: false });
    expect(chooseChannels([...all], null, false)).toEqual({ channels: ['dingtalk_work'], digest: false });
    expect(chooseChannels(['sms', 'email'], null, false)).toEqual({ channels: ['email'], digest: false });
    // SMS costs and interrupts: a normal notice goes by SMS only when someone chose it; an urgent one does.
    expect(chooseChannels(['sms'], null, false)).toEqual({ channels: [], digest: false });
    expect(chooseChannels(['sms'], null, true)).toEqual({ channels: ['sms'], digest: false });
    expect(chooseChannels([], null, true)).toEqual({ channels: [], digest: false });
  });

  test('a preference names channels, only those reachable count', () => {
    expect(chooseChannels(['wecom_app', 'sms'], { channels: ['sms', 'email'], digest: false }, false)).toEqual({ channels: ['sms'], digest: false });
  });

  test('a digest preference holds normal notices, never urgent ones', () => {
    expect(chooseChannels(['wecom_app'], { channels: ['wecom_app'], digest: true }, false)).toEqual({ channels: [], digest: true });
    expect(chooseChannels(['wecom_app'], { channels: ['wecom_app'], digest: true }, true)).toEqual({ channels: ['wecom_app'], digest: false });
  });

  test('an urgent notice whose preferred channels are all unreachable still goes on the reachable ones', () => {
    expect(chooseChannels(['sms'], { channels: ['email'], digest: false }, true)).toEqual({ channels: ['sms'], digest: false });
  });
});
