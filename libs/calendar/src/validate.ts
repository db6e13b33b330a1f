/**
 * Turns a CalendarInput into complete, checked CalendarData. Bad settings or
 * amendments are refused here, when the calendar is built, rather than giving
 * a wrong due time later.
 */
import { DateTime, IANAZone } from 'luxon';
import { bundledHolidayData } from './base-data';
import { CalendarAmendment, CalendarData, CalendarInput, CalendarSettings, DEFAULT_SETTINGS, LocalDate } from './types';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after local midnight of an `HH:mm` time. */
export function minutesOf(hhmm: string, what: string): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new RangeError(`${what}: expected HH:mm, got ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isLocalDate(text: unknown): text is LocalDate {
  return typeof text === 'string' && ISO_DATE.test(text) && DateTime.fromISO(text).isValid;
}

function checkSettings(s: CalendarSettings): CalendarSettings {
  if (!IANAZone.isValidZone(s.timeZone)) throw new RangeError(`timeZone: unknown zone ${JSON.stringify(s.timeZone)}`);
  if (!Array.isArray(s.workdayHours) || s.workdayHours.length === 0) throw new RangeError('workdayHours: at least one interval');
  let previousEnd = -1;
  for (const [start, end] of s.workdayHours) {
    const a = minutesOf(start, 'workdayHours');
    const b = minutesOf(end, 'workdayHours');
    if (a >= b || a < previousEnd) throw new RangeError(`workdayHours: intervals must be ascending and not overlap (${start}–${end})`);
    previousEnd = b;
  }
  minutesOf(s.closeOfBusiness, 'closeOfBusiness');
  return { timeZone: s.timeZone, workdayHours: s.workdayHours.map(([a, b]) => [a, b]), closeOfBusiness: s.closeOfBusiness };
}

function checkAmendments(list: CalendarAmendment[]): CalendarAmendment[] {
  const seen = new Set<string>();
  return list.map((a) => {
    if (!isLocalDate(a.date)) throw new RangeError(`amendment: date must be YYYY-MM-DD, got ${JSON.stringify(a.date)}`);
    if (a.kind !== 'off' && a.kind !== 'work') throw new RangeError(`amendment ${a.date}: kind must be 'off' or 'work'`);
    // Two entries for one day would make the result depend on their order: refuse.
    if (seen.has(a.date)) throw new RangeError(`amendment ${a.date}: listed more than once`);
    seen.add(a.date);
    return a.note === undefined ? { date: a.date, kind: a.kind } : { date: a.date, kind: a.kind, note: String(a.note) };
  });
}

export function resolveInput(input: CalendarInput = {}): CalendarData {
  const settings = checkSettings({ ...DEFAULT_SETTINGS, ...stripUndefined(input.settings ?? {}) });
  const noticeYears = [...new Set(input.noticeYears ?? [])].sort((a, b) => a - b);
  for (const y of noticeYears) if (!Number.isInteger(y)) throw new RangeError(`noticeYears: ${y} is not a year`);
  return { base: input.base ?? bundledHolidayData(), settings, amendments: checkAmendments(input.amendments ?? []), noticeYears };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
