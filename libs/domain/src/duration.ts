import { DateTime, Duration } from 'luxon';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Parses an ISO-8601 duration (`P3D`, `PT2H`, `PT10S`). Returns null when the
 * text is not one, or is zero or negative: a rung must give its holder time.
 */
export function parseResponseTime(text: string): Duration | null {
  if (typeof text !== 'string' || !/^P/.test(text)) return null;
  const d = Duration.fromISO(text);
  if (!d.isValid || d.toMillis() <= 0) return null;
  return d;
}

/**
 * The instant a response time ends, counted from `fromMs` on the wall clock of
 * `zone` (so `P1D` across a daylight-saving change is still "the same time
 * tomorrow" where the organisation is).
 */
export function addResponseTime(fromMs: number, responseTime: string, zone = DEFAULT_TIME_ZONE): number {
  const d = parseResponseTime(responseTime);
  if (!d) throw new Error(`invalid response time: ${responseTime}`);
  return DateTime.fromMillis(fromMs, { zone }).plus(d).toMillis();
}
