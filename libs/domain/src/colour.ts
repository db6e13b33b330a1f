/**
 * The one colour rule of Duban, for a running deadline (an open matter, an
 * active stage): red from its due instant on, yellow from its warning instant
 * on, green before; no colour when it is not running. The same definition
 * drives the workflows (colourAt) and every SQL read (colourSql, generated
 * from it), and a property test runs the SQL on PostgreSQL against colourAt
 * (tests/integration/rules-sql.spec.ts). A missing due or warning instant
 * never makes red or yellow.
 */
export type Colour = 'green' | 'yellow' | 'red';

/** Red first: the order of lists and of a project's worst stage. */
export const COLOUR_ORDER: readonly Colour[] = ['red', 'yellow', 'green'];

export function colourAt(d: { running: boolean; dueAt: string | number | null | undefined; warnAt: string | number | null | undefined }, nowMs: number): Colour | null {
  if (!d.running) return null;
  const ms = (t: string | number | null | undefined) => (t === null || t === undefined ? NaN : typeof t === 'number' ? t : Date.parse(t));
  if (nowMs >= ms(d.dueAt)) return 'red';
  if (nowMs >= ms(d.warnAt)) return 'yellow';
  return 'green';
}

/**
 * colourAt as an SQL expression over columns (or parameters): `running` a
 * boolean expression, `dueAt` and `warnAt` timestamptz expressions, `now`
 * the instant (default now()). NULL instants compare to NULL, which CASE
 * treats as false: the same as the NaN comparisons above.
 */
export function colourSql(d: { running: string; dueAt: string; warnAt: string; now?: string }): string {
  const now = d.now ?? 'now()';
  return `CASE WHEN NOT coalesce(${d.running}, false) THEN NULL WHEN ${d.dueAt} <= ${now} THEN 'red' WHEN ${d.warnAt} <= ${now} THEN 'yellow' ELSE 'green' END`;
}

/** The order of a colour in lists (red first, then yellow, green, none), as SQL over a colour expression. */
export const colourRankSql = (colour: string): string => `CASE ${colour} WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END`;

/** A project's colour: its worst running stage's; green with a plan and nothing alerting; none without a plan. */
export function worstColour(colours: readonly (Colour | null)[], hasPlan: boolean): Colour | null {
  if (!hasPlan) return null;
  return COLOUR_ORDER.find((c) => colours.includes(c)) ?? 'green';
}

/**
 * How a colour is printed in the files Duban hands out (workbooks, official documents): its name,
 * and a light fill (Excel's own "light red / yellow / green fill") that keeps black text legible
 * when a ledger is printed in black and white. One table, so a workbook and a bulletin never differ.
 */
export const COLOUR_PRINT: Record<Colour, { zh: string; en: string; fill: string }> = {
  red: { zh: '红', en: 'red', fill: 'FFC7CE' },
  yellow: { zh: '黄', en: 'yellow', fill: 'FFEB9C' },
  green: { zh: '绿', en: 'green', fill: 'C6EFCE' },
};
