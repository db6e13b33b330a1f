/**
 * The bundled holiday data against the State Council notices, day by day:
 * 2025 国办发明电〔2024〕12号, 2026 国办发明电〔2025〕7号. The notice wins; a
 * failure here means the data (or a correction in base-data.ts) is wrong.
 */
import { createCalendar } from '../../libs/calendar/src';

/** Inclusive range of local dates. */
function days(from: string, to: string = from): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

const NOTICES: Record<number, { off: string[]; work: string[] }> = {
  2025: {
    off: [
      ...days('2025-01-01'), // 元旦
      ...days('2025-01-28', '2025-02-04'), // 春节
      ...days('2025-04-04', '2025-04-06'), // 清明
      ...days('2025-05-01', '2025-05-05'), // 劳动节
      ...days('2025-05-31', '2025-06-02'), // 端午
      ...days('2025-10-01', '2025-10-08'), // 国庆、中秋
    ],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: [
      ...days('2026-01-01', '2026-01-03'), // 元旦
      ...days('2026-02-15', '2026-02-23'), // 春节
      ...days('2026-04-04', '2026-04-06'), // 清明
      ...days('2026-05-01', '2026-05-05'), // 劳动节
      ...days('2026-06-19', '2026-06-21'), // 端午
      ...days('2026-09-25', '2026-09-27'), // 中秋
      ...days('2026-10-01', '2026-10-07'), // 国庆
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const cal = createCalendar();

describe.each([2025, 2026])('%i against its notice', (year) => {
  const { off, work } = NOTICES[year];

  test.each(off)('%s is a holiday (off)', (date) => {
    expect(cal.isWorkingDay(date)).toBe(false);
    expect(cal.describeDay(date)).toMatchObject({ reason: 'holiday', provisional: false });
  });

  test.each(work)('%s is an adjusted working weekend day (上班)', (date) => {
    expect(new Date(`${date}T00:00:00Z`).getUTCDay() % 6).toBe(0); // a Saturday or Sunday
    expect(cal.isWorkingDay(date)).toBe(true);
    expect(cal.describeDay(date)).toMatchObject({ reason: 'adjusted-workday', provisional: false });
  });

  test('no other day of the year differs from plain weekdays', () => {
    const diffs = days(`${year}-01-01`, `${year}-12-31`).filter((date) => {
      const weekday = ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
      const expected = work.includes(date) || (weekday && !off.includes(date));
      return cal.isWorkingDay(date) !== expected;
    });
    expect(diffs).toEqual([]);
  });
});

test('the notices lists have the published lengths', () => {
  expect(NOTICES[2025].off).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
  expect(NOTICES[2026].off).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
});
