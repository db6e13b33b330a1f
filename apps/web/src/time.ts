/**
 * Times on the organisation's clock (DUBAN_TIME_ZONE, set from GET /api/settings by zone.tsx): shown as
 * 2026年11月30日 18:00 in that zone, and typed wall times read in it, whatever the browser's own zone.
 * Plain functions without React or antd, so unit tests load them in Node.
 */
let timeZone = 'Asia/Shanghai';

/** The organisation's time zone (Asia/Shanghai unless the deployment says otherwise). */
export function setTimeZone(tz: string): void {
  timeZone = tz;
}

export const getTimeZone = (): string => timeZone;

function parts(value: string | number | Date): Record<string, string> {
  const d = value instanceof Date ? value : new Date(value);
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d))
    out[p.type] = p.value;
  return out;
}

/** 2026年11月30日 18:00 (or 2026-11-30 18:00 in English). */
export function formatTime(value: string | number | Date | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (value === null || value === undefined || value === '') return '—';
  const p = parts(value);
  if (lang === 'en') return `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')} ${p.hour}:${p.minute}`;
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** 2026年11月30日 (date only). */
export function formatDate(value: string | number | Date | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (value === null || value === undefined || value === '') return '—';
  const p = parts(value);
  return lang === 'en' ? `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}` : `${p.year}年${p.month}月${p.day}日`;
}

/** A day as the API gives it (YYYY-MM-DD, no zone): 2026年12月15日, the same day in every browser. */
export function formatDay(day: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day ?? '');
  if (!m) return '—';
  return lang === 'en' ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Today in the organisation's time zone, YYYY-MM-DD. */
export function todayInZone(now: number = Date.now()): string {
  const p = parts(now);
  return `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}`;
}

/** An instant as a datetime-local input's value (YYYY-MM-DDTHH:mm), read on the organisation's clock. */
export function toZonedInput(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const p = parts(value);
  return `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}T${p.hour}:${p.minute}`;
}

/**
 * A datetime-local input's value as an ISO instant, the wall time read in the organisation's zone (not
 * the browser's): 2026-12-15T18:00 is 10:00Z for Asia/Shanghai, typed in Shanghai or in Los Angeles.
 */
export function fromZonedInput(value: string | null | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? '');
  if (!m) return undefined;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // The zone's offset at that wall time: guess, then correct once (exact except inside a DST gap).
  const offsetAt = (ms: number) => {
    const p = parts(ms);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  let at = wall - offsetAt(wall);
  at = wall - offsetAt(at);
  return new Date(at).toISOString();
}
