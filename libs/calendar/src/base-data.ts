/**
 * The bundled holiday arrangement: the `chinese-days` package's raw maps
 * (not its predicates, which have no notion of a year without data and no
 * time zone), plus any correction where it disagrees with a State Council notice.
 */
import raw from 'chinese-days/dist/chinese-days.json';
import pkg from 'chinese-days/package.json';
import type { BaseHolidayData, DayKind, LocalDate } from './types';

/** Values look like "Spring Festival,春节,4": English name, Chinese name, statutory days. */
interface RawData {
  holidays: Record<LocalDate, string>;
  workdays: Record<LocalDate, string>;
}

/**
 * Where the package disagrees with a notice, the notice wins: add the day here
 * with the notice that says so. Checked for 2025 and 2026 (see README): no
 * disagreement, so nothing to correct.
 */
export const NOTICE_CORRECTIONS: ReadonlyArray<{ date: LocalDate; kind: DayKind; note: string; source: string }> = [];

/** The State Council notices the bundled data was checked against day by day. */
export const VERIFIED_NOTICES: Readonly<Record<number, { notice: string; published: string; url: string }>> = {
  2025: {
    notice: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    published: '2024-11-12',
    url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
  },
  2026: {
    notice: '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）',
    published: '2025-11-04',
    url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
  },
};

function label(value: string): string {
  const [en, zh] = value.split(',');
  return zh && en ? `${zh} ${en}` : value;
}

function build(): BaseHolidayData {
  const data = raw as RawData;
  const off: Record<LocalDate, string> = {};
  const work: Record<LocalDate, string> = {};
  for (const [date, v] of Object.entries(data.holidays)) off[date] = label(v);
  for (const [date, v] of Object.entries(data.workdays)) work[date] = `${label(v)} 调休上班`;
  for (const c of NOTICE_CORRECTIONS) {
    delete off[c.date];
    delete work[c.date];
    (c.kind === 'off' ? off : work)[c.date] = `${c.note} (correction: ${c.source})`;
  }
  // Every year the package holds has holidays, so their years are the years covered.
  const years = [...new Set(Object.keys(off).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
  return { source: 'chinese-days (npm, MIT)', version: pkg.version, years: Object.freeze(years) as number[], off: Object.freeze(off), work: Object.freeze(work) };
}

let cached: BaseHolidayData | undefined;

/** The bundled data, built once per process; treat it as read-only. */
export function bundledHolidayData(): BaseHolidayData {
  cached ??= Object.freeze(build());
  return cached;
}
