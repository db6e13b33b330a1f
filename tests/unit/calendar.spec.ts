/**
 * The working-day calendar: working days to close of business, office hours,
 * amendments, provisional years, settings, due times. Every expectation is an
 * exact UTC instant; Shanghai is UTC+8 all year (no daylight saving).
 */
import { Calendar, computeDue, createCalendar } from '../../libs/calendar/src';

const cal = createCalendar();
const at = (r: { at: string }) => r.at;

describe('addWorkingDays: close of business of the n-th working day after the day', () => {
  test('Friday 15:00 + 1 → Monday 18:00', () => {
    expect(at(cal.addWorkingDays('2026-03-13T15:00:00+08:00', 1))).toBe('2026-03-16T10:00:00.000Z');
  });

  test('2026-09-30 10:00 + 3 skips National Day 10/1–10/7 and ends on the working Saturday 10/10', () => {
    // 10/8 Thu (1), 10/9 Fri (2), 10/10 Sat 调休上班 (3) → 18:00 Shanghai.
    expect(cal.addWorkingDays('2026-09-30T10:00:00+08:00', 3)).toEqual({ at: '2026-10-10T10:00:00.000Z', provisional: false });
    expect(at(cal.addWorkingDays('2026-09-30T10:00:00+08:00', 1))).toBe('2026-10-08T10:00:00.000Z');
    expect(at(cal.addWorkingDays('2026-09-30T10:00:00+08:00', 4))).toBe('2026-10-12T10:00:00.000Z');
  });

  test('reported on a holiday: counting starts with the next working days', () => {
    expect(at(cal.addWorkingDays('2026-10-03T11:00:00+08:00', 1))).toBe('2026-10-08T10:00:00.000Z');
  });

  test('spans the adjusted working Saturday 2026-02-28 and the Spring Festival', () => {
    expect(at(cal.addWorkingDays('2026-02-27T10:00:00+08:00', 1))).toBe('2026-02-28T10:00:00.000Z');
    expect(at(cal.addWorkingDays('2026-02-27T10:00:00+08:00', 2))).toBe('2026-03-02T10:00:00.000Z');
    // Fri 2/13 → Sat 2/14 上班 (1), 2/15–2/23 off, Tue 2/24 (2).
    expect(at(cal.addWorkingDays('2026-02-13T16:00:00+08:00', 2))).toBe('2026-02-24T10:00:00.000Z');
  });

  test('the local day counts, not the UTC day', () => {
    // 16:30Z Thursday is 00:30 Friday in Shanghai: the first working day after Friday is Monday.
    expect(at(cal.addWorkingDays('2026-03-12T16:30:00Z', 1))).toBe('2026-03-16T10:00:00.000Z');
    expect(at(cal.addWorkingDays(new Date('2026-03-12T15:30:00Z'), 1))).toBe('2026-03-13T10:00:00.000Z');
    expect(cal.isWorkingDay(new Date('2026-09-30T16:30:00Z'))).toBe(false); // 10/1 00:30 local
    expect(cal.isWorkingDay('2026-09-30T15:59:00Z')).toBe(true); // 9/30 23:59 local
  });

  test('refuses a count that is not a whole number ≥ 1', () => {
    expect(() => cal.addWorkingDays('2026-03-13T15:00:00+08:00', 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-03-13T15:00:00+08:00', 1.5)).toThrow(RangeError);
  });
});

describe('addWorkingHours: only office hours count', () => {
  test.each([
    ['over lunch: Thu 11:00 + 2h → 14:30', '2026-03-12T11:00:00+08:00', 2, '2026-03-12T06:30:00.000Z'],
    ['up to lunch: 11:00 + 1h → 12:00', '2026-03-12T11:00:00+08:00', 1, '2026-03-12T04:00:00.000Z'],
    ['during lunch: 12:30 + 1h → 14:30', '2026-03-12T12:30:00+08:00', 1, '2026-03-12T06:30:00.000Z'],
    ['before opening: 07:00 + 1h → 10:00', '2026-03-12T07:00:00+08:00', 1, '2026-03-12T02:00:00.000Z'],
    ['to close: 17:00 + 1h → 18:00', '2026-03-12T17:00:00+08:00', 1, '2026-03-12T10:00:00.000Z'],
    ['overnight: Thu 17:00 + 2h → Fri 10:00', '2026-03-12T17:00:00+08:00', 2, '2026-03-13T02:00:00.000Z'],
    ['over a weekend: Fri 17:00 + 2h → Mon 10:00', '2026-03-13T17:00:00+08:00', 2, '2026-03-16T02:00:00.000Z'],
    ['a full day is 7.5h: Thu 09:00 → Thu 18:00', '2026-03-12T09:00:00+08:00', 7.5, '2026-03-12T10:00:00.000Z'],
    ['half an hour: 09:45 + 0.5h → 10:15', '2026-03-12T09:45:00+08:00', 0.5, '2026-03-12T02:15:00.000Z'],
    ['into the working Saturday: Fri 2/27 17:00 + 2h → Sat 2/28 10:00', '2026-02-27T17:00:00+08:00', 2, '2026-02-28T02:00:00.000Z'],
    ['over National Day: 9/30 17:00 + 2h → 10/8 10:00', '2026-09-30T17:00:00+08:00', 2, '2026-10-08T02:00:00.000Z'],
  ])('%s', (_name, from, hours, expected) => {
    expect(cal.addWorkingHours(from, hours)).toEqual({ at: expected, provisional: false });
  });

  test('refuses zero or negative hours', () => {
    expect(() => cal.addWorkingHours('2026-03-12T09:00:00+08:00', 0)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  test('counts working days after the first day up to and including the last', () => {
    expect(cal.workingDaysBetween('2026-09-30T10:00:00+08:00', '2026-10-10T18:00:00+08:00')).toEqual({ days: 3, provisional: false });
    expect(cal.workingDaysBetween('2026-02-13T16:00:00+08:00', '2026-02-24T09:00:00+08:00').days).toBe(2);
    expect(cal.workingDaysBetween('2026-03-12T09:00:00+08:00', '2026-03-12T17:00:00+08:00').days).toBe(0);
    expect(cal.workingDaysBetween('2026-10-10T18:00:00+08:00', '2026-09-30T10:00:00+08:00').days).toBe(-3);
  });

  test('is the inverse of addWorkingDays', () => {
    for (const from of ['2026-01-02T10:00:00+08:00', '2026-02-13T16:00:00+08:00', '2026-09-19T08:00:00+08:00']) {
      for (const n of [1, 2, 5, 12]) expect(cal.workingDaysBetween(from, cal.addWorkingDays(from, n).at).days).toBe(n);
    }
  });
});

describe('amendments win over the base data', () => {
  test('a local day off moves the due day', () => {
    const local = createCalendar({ amendments: [{ date: '2026-03-16', kind: 'off', note: '县庆 local day off' }] });
    expect(at(local.addWorkingDays('2026-03-13T15:00:00+08:00', 1))).toBe('2026-03-17T10:00:00.000Z');
    expect(local.describeDay('2026-03-16')).toMatchObject({ working: false, reason: 'amendment', note: '县庆 local day off' });
    expect(at(local.addWorkingHours('2026-03-13T17:00:00+08:00', 2))).toBe('2026-03-17T02:00:00.000Z');
  });

  test('a working Saturday, and a statutory day turned round either way', () => {
    const c = createCalendar({
      amendments: [
        { date: '2026-03-14', kind: 'work' },
        { date: '2026-10-08', kind: 'off' },
      ],
    });
    expect(at(c.addWorkingDays('2026-03-13T15:00:00+08:00', 1))).toBe('2026-03-14T10:00:00.000Z');
    expect(at(c.addWorkingDays('2026-09-30T10:00:00+08:00', 3))).toBe('2026-10-12T10:00:00.000Z');
    const onDuty = createCalendar({ amendments: [{ date: '2026-10-07', kind: 'work' }] });
    expect(at(onDuty.addWorkingDays('2026-09-30T10:00:00+08:00', 1))).toBe('2026-10-07T10:00:00.000Z');
  });

  test("a new year's notice entered by the project office", () => {
    const from = '2026-12-31T10:00:00+08:00';
    expect(cal.addWorkingDays(from, 1)).toEqual({ at: '2027-01-01T10:00:00.000Z', provisional: true }); // weekends only
    const entered = [{ date: '2027-01-01', kind: 'off' as const, note: '元旦' }];
    expect(createCalendar({ amendments: entered }).addWorkingDays(from, 1)).toEqual({ at: '2027-01-04T10:00:00.000Z', provisional: true });
    const loaded = createCalendar({ amendments: entered, noticeYears: [2027] });
    expect(loaded.addWorkingDays(from, 1)).toEqual({ at: '2027-01-04T10:00:00.000Z', provisional: false });
    expect(loaded.coverage().noticeYears).toEqual([2027]);
  });
});

describe('years without data are provisional (weekends only)', () => {
  test('coverage is the bundled package, 2004–2026', () => {
    const cov = cal.coverage();
    expect(cov).toMatchObject({ firstYear: 2004, lastYear: 2026, version: require('chinese-days/package.json').version });
    expect(cov.years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(cov.source).toMatch(/chinese-days/);
    expect([cal.isCovered(2026), cal.isCovered(2027), cal.isCovered(2003)]).toEqual([true, false, false]);
  });

  test('any result touching 2027 is marked', () => {
    expect(cal.addWorkingDays('2026-12-30T10:00:00+08:00', 1)).toEqual({ at: '2026-12-31T10:00:00.000Z', provisional: false });
    expect(cal.addWorkingDays('2026-12-30T10:00:00+08:00', 2)).toEqual({ at: '2027-01-01T10:00:00.000Z', provisional: true });
    expect(cal.addWorkingHours('2027-05-03T17:00:00+08:00', 2)).toEqual({ at: '2027-05-04T02:00:00.000Z', provisional: true });
    expect(cal.workingDaysBetween('2026-12-30T10:00:00+08:00', '2027-01-04T10:00:00+08:00')).toEqual({ days: 3, provisional: true });
    expect(cal.describeDay('2027-05-03')).toMatchObject({ working: true, reason: 'weekday', provisional: true });
    expect(cal.describeDay('2027-05-01')).toMatchObject({ working: false, reason: 'weekend', provisional: true });
  });
});

describe('settings', () => {
  test('close of business is configurable', () => {
    const c = createCalendar({ settings: { closeOfBusiness: '17:30' } });
    expect(at(c.addWorkingDays('2026-09-30T10:00:00+08:00', 3))).toBe('2026-10-10T09:30:00.000Z');
  });

  test('office hours and time zone are configurable', () => {
    const c = createCalendar({
      settings: {
        workdayHours: [
          ['08:30', '12:00'],
          ['14:00', '17:30'],
        ],
      },
    });
    expect(at(c.addWorkingHours('2026-03-12T11:00:00+08:00', 2))).toBe('2026-03-12T07:00:00.000Z');
    const west = createCalendar({ settings: { timeZone: 'Asia/Urumqi' } }); // UTC+6
    expect(at(west.addWorkingDays('2026-09-30T10:00:00+06:00', 3))).toBe('2026-10-10T12:00:00.000Z');
  });

  test('bad settings, amendments and instants are refused', () => {
    expect(() => createCalendar({ settings: { timeZone: 'Mars/Olympus' } })).toThrow(RangeError);
    expect(() => createCalendar({ settings: { closeOfBusiness: '6pm' } })).toThrow(RangeError);
    expect(() =>
      createCalendar({
        settings: {
          workdayHours: [
            ['09:00', '12:00'],
            ['11:00', '18:00'],
          ],
        },
      }),
    ).toThrow(RangeError);
    expect(() => createCalendar({ amendments: [{ date: '2026-02-30', kind: 'off' }] })).toThrow(RangeError);
    const twice = [
      { date: '2026-03-16', kind: 'off' as const },
      { date: '2026-03-16', kind: 'work' as const },
    ];
    expect(() => createCalendar({ amendments: twice })).toThrow(/more than once/);
    expect(() => cal.addWorkingDays('2026-03-13T15:00:00', 1)).toThrow(/offset/);
  });
});

describe('computeDue', () => {
  const from = '2026-09-30T10:00:00+08:00';
  test('working days, working hours, wall-clock durations', () => {
    expect(computeDue(cal, from, { unit: 'workingDays', amount: 3 })).toEqual({ dueAt: '2026-10-10T10:00:00.000Z', provisional: false });
    expect(computeDue(cal, from, { unit: 'workingHours', amount: 9 })).toEqual({ dueAt: '2026-10-08T03:30:00.000Z', provisional: false });
    // A duration ignores the calendar (holidays included) and so is never provisional.
    expect(computeDue(cal, from, { unit: 'duration', iso: 'PT2H' })).toEqual({ dueAt: '2026-09-30T04:00:00.000Z', provisional: false });
    expect(computeDue(cal, '2027-03-01T10:00:00+08:00', { unit: 'duration', iso: 'P1D' })).toEqual({ dueAt: '2027-03-02T02:00:00.000Z', provisional: false });
    expect(computeDue(cal, '2026-12-31T10:00:00+08:00', { unit: 'workingDays', amount: 1 }).provisional).toBe(true);
  });

  test('refuses an empty or malformed duration', () => {
    for (const iso of ['PT0S', '2 hours', '-PT1H', 'P']) expect(() => computeDue(cal, from, { unit: 'duration', iso })).toThrow(RangeError);
  });
});

test('serialised data rebuilds the same calendar', () => {
  const c = createCalendar({ settings: { closeOfBusiness: '17:00' }, amendments: [{ date: '2026-10-08', kind: 'off', note: 'x' }], noticeYears: [2027] });
  const copy = Calendar.fromData(JSON.parse(JSON.stringify(c.toData())));
  expect(copy.toData()).toEqual(c.toData());
  expect(copy.addWorkingDays('2026-09-30T10:00:00+08:00', 3)).toEqual(c.addWorkingDays('2026-09-30T10:00:00+08:00', 3));
  expect(at(copy.addWorkingDays('2026-09-30T10:00:00+08:00', 3))).toBe('2026-10-12T09:00:00.000Z');
});
