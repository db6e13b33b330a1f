/**
 * Reading a ledger cell as the county typed it: amounts as numbers or text
 * (with thousands separators), dates as real Excel dates or as the text
 * counties write (2026-03-31, 2026/3/31, 2026.3.31, 2026年3月31日, and
 * month-only 2026.3 / 2026年3月, read as the month's last day because a
 * ledger's month is a deadline within that month).
 */
import type ExcelJS from 'exceljs';
import { DateTime } from 'luxon';

export const NOT_APPLICABLE = '不适用';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const raw = (v: ExcelJS.CellValue): ExcelJS.CellValue =>
  v !== null && typeof v === 'object' && !(v instanceof Date) && 'result' in v ? ((v.result as ExcelJS.CellValue) ?? null) : v;

/** An amount in 万元 (the header's unit converted by factor), rounded to the fen the schema keeps; null when empty. */
export function amountOf(v: ExcelJS.CellValue, text: string, factor: number): Parsed<number | null> {
  const r = raw(v);
  if (text === '') return { ok: true, value: null };
  const n = typeof r === 'number' ? r : Number(text.replace(/[,，\s]/g, ''));
  if (!Number.isFinite(n) || n < 0) return { ok: false, problem: `应为不小于0的数字：${text}` };
  return { ok: true, value: Math.round(n * factor * 100) / 100 };
}

/** A due day as YYYY-MM-DD, or 不适用; null when empty. */
export function dayOf(v: ExcelJS.CellValue, text: string): Parsed<string | null> {
  const r = raw(v);
  if (text === '') return { ok: true, value: null };
  if (text === NOT_APPLICABLE) return { ok: true, value: NOT_APPLICABLE };
  // exceljs gives a date cell as a Date at UTC midnight of the day shown.
  if (r instanceof Date) return { ok: true, value: r.toISOString().slice(0, 10) };
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  const month = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(底|末)?$/.exec(text);
  const d = full
    ? DateTime.fromObject({ year: +full[1], month: +full[2], day: +full[3] })
    : month
      ? DateTime.fromObject({ year: +month[1], month: +month[2] }).endOf('month')
      : null;
  if (!d?.isValid || typeof r === 'number') return { ok: false, problem: `应为日期（如2026-03-31、2026年3月）或“${NOT_APPLICABLE}”：${text}` };
  return { ok: true, value: d.toISODate()! };
}

/** Free text as kept: trimmed, at most a few thousand characters. */
export function noteOf(text: string, max = 2000): Parsed<string> {
  return text.length > max ? { ok: false, problem: `不超过${max}字` } : { ok: true, value: text };
}

/** A project name as compared when a row has no code: no spaces, half-width brackets. */
export const nameKey = (s: string): string =>
  s
    .replace(/[\s\u3000]+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
