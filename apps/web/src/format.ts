/**
 * Dates and colours, the same everywhere: 2026年11月30日 18:00 in the organisation's
 * time zone; green on time, yellow in the warning window, red overdue, grey not applicable.
 */
import { createElement } from 'react';
import { Tag } from 'antd';

export { formatDate, formatDay, formatTime, fromZonedInput, getTimeZone, setTimeZone, toZonedInput, todayInZone } from './time';

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
