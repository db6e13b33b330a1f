/**
 * Plain-data shapes of the working-day calendar. Everything here is JSON-safe so
 * a calendar can travel as an activity argument or sit in a database column.
 */

/** A local calendar day in the organisation's time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

/** An instant: a Date, or an ISO-8601 string with `Z` or an explicit offset. */
export type Instant = Date | string;

/** A day off (`off`) or an extra working day (`work`), overriding the base data. */
export type DayKind = 'off' | 'work';

/** One per-organisation change to the calendar: a local day off, a day of a new notice. */
export interface CalendarAmendment {
  date: LocalDate;
  kind: DayKind;
  note?: string;
}

/** `HH:mm` local wall-clock times. */
export type WorkdayInterval = [start: string, end: string];

export interface CalendarSettings {
  /** IANA zone every local day and office hour is reckoned in. */
  timeZone: string;
  /** Office hours of a working day, in order and not overlapping; lunch is the gap. */
  workdayHours: WorkdayInterval[];
  /** The moment "N working days" ends on its last day. */
  closeOfBusiness: string;
}

export const DEFAULT_SETTINGS: CalendarSettings = {
  timeZone: 'Asia/Shanghai',
  workdayHours: [
    ['09:00', '12:00'],
    ['13:30', '18:00'],
  ],
  closeOfBusiness: '18:00',
};

/** The published holiday arrangement the calendar starts from (see base-data.ts). */
export interface BaseHolidayData {
  source: string;
  version: string;
  /** Years whose State Council notice the data holds in full. */
  years: number[];
  /** Statutory holidays (days off, weekends inside a holiday included). */
  off: Record<LocalDate, string>;
  /** Adjusted working weekend days (调休上班). */
  work: Record<LocalDate, string>;
}

/** Everything a Calendar is made of; what `Calendar.toData()` returns. */
export interface CalendarData {
  base: BaseHolidayData;
  settings: CalendarSettings;
  amendments: CalendarAmendment[];
  /**
   * Years whose notice the project office has entered itself as amendments
   * (e.g. next year's, published after the bundled data): no longer provisional.
   */
  noticeYears: number[];
}

/** What `createCalendar` accepts: any part left out takes the default. */
export interface CalendarInput {
  base?: BaseHolidayData;
  settings?: Partial<CalendarSettings>;
  amendments?: CalendarAmendment[];
  noticeYears?: number[];
}

/** A computed instant (UTC ISO string) and whether it rests on a year without data. */
export interface CalendarResult {
  at: string;
  provisional: boolean;
}

export interface DayInfo {
  date: LocalDate;
  working: boolean;
  /** Why: an amendment wins over the base data, which wins over the weekday. */
  reason: 'amendment' | 'holiday' | 'adjusted-workday' | 'weekend' | 'weekday';
  note?: string;
  provisional: boolean;
}

export interface CalendarCoverage {
  source: string;
  version: string;
  /** Years covered by the base data. */
  years: number[];
  firstYear: number | null;
  lastYear: number | null;
  /** Years the organisation covered by entering a notice as amendments. */
  noticeYears: number[];
}

/** How long a rung's holder has to respond. */
export type ResponseTimeSpec = { unit: 'workingDays'; amount: number } | { unit: 'workingHours'; amount: number } | { unit: 'duration'; iso: string };

export interface DueTime {
  dueAt: string;
  provisional: boolean;
}
