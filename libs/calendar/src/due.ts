/**
 * A rung's due instant from its response time: working days or working hours
 * on the organisation's calendar, or a plain wall-clock duration.
 */
import { Duration } from 'luxon';
import { Calendar, parseInstant } from './calendar';
import { DueTime, Instant, ResponseTimeSpec } from './types';

export function computeDue(calendar: Calendar, from: Instant, spec: ResponseTimeSpec): DueTime {
  switch (spec.unit) {
    case 'workingDays': {
      const r = calendar.addWorkingDays(from, spec.amount);
      return { dueAt: r.at, provisional: r.provisional };
    }
    case 'workingHours': {
      const r = calendar.addWorkingHours(from, spec.amount);
      return { dueAt: r.at, provisional: r.provisional };
    }
    case 'duration': {
      const d = typeof spec.iso === 'string' && /^P/.test(spec.iso) ? Duration.fromISO(spec.iso) : null;
      if (!d?.isValid || d.toMillis() <= 0) throw new RangeError(`invalid response duration: ${JSON.stringify(spec.iso)}`);
      // Wall clock in the organisation's zone (P1D is "same time tomorrow" there).
      // No holiday data is consulted, so the result is never provisional.
      const due = parseInstant(from, calendar.settings.timeZone).plus(d);
      return { dueAt: new Date(due.toMillis()).toISOString(), provisional: false };
    }
    default:
      throw new RangeError(`unknown response time unit: ${JSON.stringify((spec as { unit?: unknown }).unit)}`);
  }
}
