/**
 * The working-day calendar of one organisation: base holiday data, its own
 * amendments (which win), and its office hours, all in its time zone.
 * Pure: no I/O after construction, same answers for the same data.
 */
import { DateTime } from 'luxon';
import { CalendarAmendment, CalendarCoverage, CalendarData, CalendarInput, CalendarResult, CalendarSettings, DayInfo, Instant, LocalDate } from './types';
import { isLocalDate, minutesOf, resolveInput } from './validate';

// A guard, not a rule: after the last dated entry every week has working days,
// so a scan this long means something is badly wrong.
const MAX_SCAN_DAYS = 100_000;
const HAS_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** An instant as a DateTime in `zone`. Strings must carry `Z` or an offset: no guessing. */
export function parseInstant(value: Instant, zone: string): DateTime {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('invalid Date');
    return DateTime.fromJSDate(value, { zone });
  }
  if (typeof value !== 'string' || !HAS_OFFSET.test(value)) {
    throw new RangeError(`instant must be a Date or an ISO string with Z or an offset, got ${JSON.stringify(value)}`);
  }
  const dt = DateTime.fromISO(value, { zone });
  if (!dt.isValid) throw new RangeError(`invalid instant ${JSON.stringify(value)}`);
  return dt;
}

const toIso = (ms: number): string => new Date(ms).toISOString();

export class Calendar {
  private readonly data: CalendarData;
  private readonly amended: Map<LocalDate, CalendarAmendment>;
  private readonly covered: Set<number>;
  private readonly hours: Array<[number, number]>;
  private readonly cob: number;

  constructor(input?: CalendarInput) {
    this.data = resolveInput(input);
    this.amended = new Map(this.data.amendments.map((a) => [a.date, a]));
    this.covered = new Set([...this.data.base.years, ...this.data.noticeYears]);
    this.hours = this.data.settings.workdayHours.map(([a, b]) => [minutesOf(a, 'start'), minutesOf(b, 'end')]);
    this.cob = minutesOf(this.data.settings.closeOfBusiness, 'closeOfBusiness');
  }

  static fromData(data: CalendarInput): Calendar {
    return new Calendar(data);
  }

  get settings(): CalendarSettings {
    return structuredClone(this.data.settings);
  }

  /** True when the year's holiday arrangement is known (base data or an entered notice). */
  isCovered(year: number): boolean {
    return this.covered.has(year);
  }

  /** `date` is a local `YYYY-MM-DD`, or an instant whose local day is meant. */
  isWorkingDay(date: LocalDate | Instant): boolean {
    return this.info(this.localDay(date)).working;
  }

  describeDay(date: LocalDate | Instant): DayInfo {
    return this.info(this.localDay(date));
  }

  /**
   * Close of business of the n-th working day after `from`'s local day (n ≥ 1).
   * The day of `from` never counts, whatever the hour and whether it works.
   */
  addWorkingDays(from: Instant, n: number): CalendarResult {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a whole number ≥ 1, got ${n}`);
    let day = parseInstant(from, this.zone).startOf('day');
    let provisional = false;
    for (let count = 0, i = 0; count < n; i++) {
      if (i > MAX_SCAN_DAYS) throw new Error('no working day found');
      day = day.plus({ days: 1 });
      const info = this.info(day);
      provisional ||= info.provisional;
      if (info.working) count++;
    }
    return { at: toIso(this.atMinutes(day, this.cob).toMillis()), provisional };
  }

  /** `from` plus `hours` counted only inside office hours of working days. */
  addWorkingHours(from: Instant, hours: number): CalendarResult {
    if (!Number.isFinite(hours) || hours <= 0) throw new RangeError(`working hours must be > 0, got ${hours}`);
    const start = parseInstant(from, this.zone);
    let remaining = Math.round(hours * 3_600_000);
    let day = start.startOf('day');
    let provisional = false;
    for (let i = 0; i <= MAX_SCAN_DAYS; i++, day = day.plus({ days: 1 })) {
      const info = this.info(day);
      provisional ||= info.provisional;
      if (!info.working) continue;
      for (const [a, b] of this.hours) {
        const s = Math.max(start.toMillis(), this.atMinutes(day, a).toMillis());
        const e = this.atMinutes(day, b).toMillis();
        if (s >= e) continue;
        // Ending exactly at an interval's end gives that end (12:00, 18:00), not the next start.
        if (remaining <= e - s) return { at: toIso(s + remaining), provisional };
        remaining -= e - s;
      }
    }
    throw new Error('no working hours found');
  }

  /**
   * Working days after `a`'s local day up to and including `b`'s (the first day
   * is not counted, as in statutory time limits); negative when b is before a.
   * The inverse of addWorkingDays: between(a, addWorkingDays(a, n).at) === n.
   */
  workingDaysBetween(a: Instant, b: Instant): { days: number; provisional: boolean } {
    let day = parseInstant(a, this.zone).startOf('day');
    const end = parseInstant(b, this.zone).startOf('day');
    if (end < day) {
      const r = this.workingDaysBetween(b, a);
      return { days: -r.days, provisional: r.provisional };
    }
    let days = 0;
    let provisional = false;
    while (day < end) {
      day = day.plus({ days: 1 });
      const info = this.info(day);
      provisional ||= info.provisional;
      if (info.working) days++;
    }
    return { days, provisional };
  }

  coverage(): CalendarCoverage {
    const years = [...this.data.base.years];
    return {
      source: this.data.base.source,
      version: this.data.base.version,
      years,
      firstYear: years[0] ?? null,
      lastYear: years[years.length - 1] ?? null,
      noticeYears: [...this.data.noticeYears],
    };
  }

  /** JSON-safe snapshot; `new Calendar(data)` rebuilds the same calendar. */
  toData(): CalendarData {
    return {
      base: this.data.base,
      settings: this.settings,
      amendments: this.data.amendments.map((a) => ({ ...a })),
      noticeYears: [...this.data.noticeYears],
    };
  }

  private get zone(): string {
    return this.data.settings.timeZone;
  }

  private localDay(date: LocalDate | Instant): DateTime {
    if (isLocalDate(date)) return DateTime.fromISO(date, { zone: this.zone }).startOf('day');
    return parseInstant(date, this.zone).startOf('day');
  }

  private atMinutes(day: DateTime, minutes: number): DateTime {
    return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
  }

  private info(day: DateTime): DayInfo {
    const date = day.toISODate() as LocalDate;
    const provisional = !this.covered.has(day.year);
    const amendment = this.amended.get(date);
    if (amendment) return { date, working: amendment.kind === 'work', reason: 'amendment', note: amendment.note, provisional };
    const { off, work } = this.data.base;
    if (Object.hasOwn(off, date)) return { date, working: false, reason: 'holiday', note: off[date], provisional };
    if (Object.hasOwn(work, date)) return { date, working: true, reason: 'adjusted-workday', note: work[date], provisional };
    const weekend = day.weekday >= 6;
    return { date, working: !weekend, reason: weekend ? 'weekend' : 'weekday', provisional };
  }
}

export function createCalendar(input?: CalendarInput): Calendar {
  return new Calendar(input);
}
