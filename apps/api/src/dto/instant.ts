import { ValidateBy, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';

/**
 * A date (YYYY-MM-DD) or an ISO-8601 date-time that PostgreSQL reads the same
 * way: a real calendar day, year 1900–9999, an offset within ±14:00. Strings
 * that pass a loose pattern but not PostgreSQL (2026-13-45, +23:07) used to
 * reach the query and answer 500.
 */
export function isInstant(v: unknown): boolean {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/.test(v)) return false;
  const t = DateTime.fromISO(v, { setZone: true });
  return t.isValid && t.year >= 1900 && t.year <= 9999 && Math.abs(t.offset) <= 14 * 60;
}

export const IsInstant = (field: string, options?: ValidationOptions) =>
  ValidateBy(
    { name: 'isInstant', validator: { validate: isInstant, defaultMessage: () => `${field} must be a date YYYY-MM-DD or an ISO-8601 date-time (须为有效日期或时间)` } },
    options,
  );

/** A calendar day YYYY-MM-DD that exists (no 2026-02-30), year 1900–9999: PostgreSQL's `date` reads it. */
export function isDay(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && isInstant(v);
}

export const IsDay = (field: string, options?: ValidationOptions) =>
  ValidateBy({ name: 'isDay', validator: { validate: isDay, defaultMessage: () => `${field} must be a date YYYY-MM-DD (须为有效日期)` } }, options);
