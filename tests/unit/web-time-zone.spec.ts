/**
 * The web console reads and shows times on the organisation's clock (apps/web/src/time.ts), whatever the
 * zone of the process or browser: a datetime-local value is a wall time in that zone, DST included.
 */
import { formatDay, formatTime, fromZonedInput, setTimeZone, toZonedInput, todayInZone } from '../../apps/web/src/time';

afterEach(() => setTimeZone('Asia/Shanghai'));

test('a wall time typed is read in the organisation’s zone and shown back the same', () => {
  setTimeZone('Asia/Shanghai');
  expect(fromZonedInput('2026-12-15T18:00')).toBe('2026-12-15T10:00:00.000Z');
  expect(toZonedInput('2026-12-15T10:00:00.000Z')).toBe('2026-12-15T18:00');
  expect(formatTime('2026-12-15T10:00:00.000Z')).toBe('2026年12月15日 18:00');
  expect(fromZonedInput('2026-12-15T00:30')).toBe('2026-12-14T16:30:00.000Z');
  expect(fromZonedInput('')).toBeUndefined();
  expect(fromZonedInput('not a time')).toBeUndefined();
});

test('across daylight saving time the offset of that wall time is the one used', () => {
  setTimeZone('America/New_York');
  expect(fromZonedInput('2026-01-15T09:00')).toBe('2026-01-15T14:00:00.000Z');
  expect(fromZonedInput('2026-07-15T09:00')).toBe('2026-07-15T13:00:00.000Z');
  // The first hour after the change: 03:30 on 8 March exists in EDT only.
  expect(fromZonedInput('2026-03-08T03:30')).toBe('2026-03-08T07:30:00.000Z');
  for (const iso of ['2026-01-15T14:00:00.000Z', '2026-07-15T13:00:00.000Z', '2026-11-01T12:00:00.000Z']) expect(fromZonedInput(toZonedInput(iso))).toBe(iso);
});

test('a day is the same day everywhere; today is the organisation’s', () => {
  expect(formatDay('2026-12-05')).toBe('2026年12月5日');
  expect(formatDay('2026-12-05', 'en')).toBe('2026-12-05');
  expect(formatDay(null)).toBe('—');
  setTimeZone('Asia/Shanghai');
  // 20:00Z on 14 December is already the 15th in Shanghai, still the 14th in Los Angeles.
  expect(todayInZone(Date.parse('2026-12-14T20:00:00Z'))).toBe('2026-12-15');
  setTimeZone('America/Los_Angeles');
  expect(todayInZone(Date.parse('2026-12-14T20:00:00Z'))).toBe('2026-12-14');
});
