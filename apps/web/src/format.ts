/**
 * Dates and colours, the same everywhere: 2026年11月30日 18:00 in the organisation's
 * time zone; green on time, yellow in the warning window, red overdue, grey not applicable.
 */
import { createElement } from 'react';
import { Tag } from 'antd';

let timeZone = 'Asia/Shanghai';

/** The organisation's time zone (Asia/Shanghai unless the deployment says otherwise). */
export function setTimeZone(tz: string): void {
  timeZone = tz;
}

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

export type Colour = 'green' | 'yellow' | 'red' | 'grey';

/** Solid tags, text dark or light enough for AA contrast on its own colour. */
const COLOURS: Record<Colour, { zh: string; en: string; background: string; text: string }> = {
  red: { zh: '红', en: 'red', background: '#cf1322', text: '#fff' },
  yellow: { zh: '黄', en: 'yellow', background: '#fadb14', text: '#000' },
  green: { zh: '绿', en: 'green', background: '#237804', text: '#fff' },
  grey: { zh: '灰', en: 'grey', background: '#595959', text: '#fff' },
};

/** Normalises the API's colour words (gray, black → grey) into ours. */
export function toColour(c: string | null | undefined): Colour {
  const v = String(c ?? '').toLowerCase();
  if (v === 'red' || v === 'yellow' || v === 'green') return v;
  return 'grey';
}

/** Red first in every list. */
export const colourRank = (c: string | null | undefined): number => ({ red: 0, yellow: 1, green: 2, grey: 3 })[toColour(c)];

/** One colour tag for the whole console; the text says the colour too (colour is never the only sign). */
export function ColourTag({ colour, label, lang = 'zh' }: { colour: string | null | undefined; label?: string; lang?: 'zh' | 'en' }) {
  const c = COLOURS[toColour(colour)];
  return createElement(
    Tag,
    { style: { background: c.background, color: c.text, borderColor: c.background }, 'aria-label': label ? `${label}（${lang === 'en' ? c.en : c.zh}）` : undefined },
    label ?? (lang === 'en' ? c.en : c.zh),
  );
}
