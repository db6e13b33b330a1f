/**
 * Finds a county ledger's header under its title rows and proposes which
 * column holds which field. Counties put one or two title rows above the
 * header (县重点项目推进台账, 截至…, 单位：万元), and often a two-level header:
 * a merged group cell (时间节点, 总投资) over sub-columns (计划开工时间, 亿元),
 * the other columns merged down both rows. The proposal is only a proposal:
 * the project office confirms or changes it before anything is written.
 */
import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { storableText } from '../../audit/src/audit-chain';
import { AMOUNT_UNITS, FIELDS, LEDGER_FIELDS, type LedgerField, normalise, withoutUnit } from './synonyms';

/** How far down a header is looked for: title rows are a few at most. */
const HEADER_SEARCH_ROWS = 15;

export interface SourceColumn {
  /** 1-based column number in the sheet. */
  index: number;
  /** The header as shown to the office: 总投资 / 亿元 for a two-level one. */
  label: string;
}

export interface ProposedColumn extends SourceColumn {
  field: LedgerField | null;
  confidence: number;
  /** For an amount: the unit its header names, and the factor to 万元. */
  unit?: string;
  factor?: number;
}

export interface HeaderShape {
  /** 1-based header rows (one, or two for a two-level header). */
  headerRows: number[];
  firstDataRow: number;
  columns: SourceColumn[];
  /** Identifies the header's shape: the same labels in the same places. */
  signature: string;
}

/** The text of a cell as it reads, a merged cell's from its master; storable (PostgreSQL's text refuses NUL). */
export function cellText(cell: ExcelJS.Cell): string {
  return storableText(rawText(cell));
}

function rawText(cell: ExcelJS.Cell): string {
  const v = (cell.isMerged ? cell.master : cell).value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('result' in v) return String(v.result ?? '').trim();
    if ('text' in v) return String(v.text).trim();
  }
  return String(v).trim();
}

/** How a header text matches a field: exactly (1), by a looser name (0.6), or not. */
export function recognise(label: string): { field: LedgerField; confidence: number } | null {
  const n = withoutUnit(normalise(label));
  if (!n) return null;
  for (const f of LEDGER_FIELDS) if (FIELDS[f].names.some((x) => normalise(x) === n) || FIELDS[f].exact?.some((re) => re.test(n))) return { field: f, confidence: 1 };
  // An actual (实际) date beside a planned one is not the plan.
  if (/实际/.test(n)) return null;
  for (const f of LEDGER_FIELDS) if (FIELDS[f].patterns.some((re) => re.test(n))) return { field: f, confidence: 0.6 };
  return null;
}

const mergedDown = (ws: ExcelJS.Worksheet, row: number, col: number) => {
  const below = ws.getCell(row + 1, col);
  return below.isMerged && below.master.address === ws.getCell(row, col).master.address;
};

/** Finds the header row(s) and reads each column's label. */
export function readHeader(ws: ExcelJS.Worksheet): HeaderShape | null {
  const width = ws.columnCount;
  const texts = (r: number) => Array.from({ length: width }, (_, i) => cellText(ws.getCell(r, i + 1)));
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount); r++) {
    const top = texts(r);
    // A title row is one merged cell across the sheet: the same text in every column, so it never counts as a header.
    const distinct = new Set(top.filter(Boolean));
    const known = [...distinct].filter((t) => recognise(t)).length;
    if (distinct.size < 2 || known < 2) continue;
    // Two-level: some header cell merged down into the next row, or a group cell spanning columns with sub-labels below.
    const twoLevel =
      r < ws.rowCount &&
      top.some(
        (t, i) =>
          t &&
          (mergedDown(ws, r, i + 1) || (ws.getCell(r, i + 1).isMerged && !mergedDown(ws, r, i + 1) && cellText(ws.getCell(r + 1, i + 1)) !== '' && spansColumns(ws, r, i + 1))),
      );
    const sub = twoLevel ? texts(r + 1) : [];
    const columns: SourceColumn[] = [];
    top.forEach((t, i) => {
      const s = twoLevel && !mergedDown(ws, r, i + 1) ? sub[i] : '';
      const label = s && t ? `${t} / ${s}` : t || s;
      if (label) columns.push({ index: i + 1, label });
    });
    const signature = createHash('sha256')
      .update(columns.map((c) => `${c.index}=${normalise(c.label)}`).join('|'))
      .digest('hex');
    return { headerRows: twoLevel ? [r, r + 1] : [r], firstDataRow: r + (twoLevel ? 2 : 1), columns, signature };
  }
  return null;
}

function spansColumns(ws: ExcelJS.Worksheet, row: number, col: number): boolean {
  const master = ws.getCell(row, col).master.address;
  return [col - 1, col + 1].some((c) => c >= 1 && ws.getCell(row, c).isMerged && ws.getCell(row, c).master.address === master);
}

/**
 * Proposes a field for each column. A two-level label is tried as its
 * sub-label (计划开工时间 under 时间节点), then whole, then as its group
 * (总投资 over 亿元), the group's unit applying. Each field goes to one
 * column: the most certain, then the leftmost.
 */
export function propose(columns: SourceColumn[]): ProposedColumn[] {
  const tried = columns.map((c) => {
    const [top, sub] = c.label.split(' / ');
    // An actual (实际) date under a planned group is not the plan.
    const hit = /实际/.test(c.label) ? null : (sub && recognise(sub)) || recognise(c.label.replace(' / ', '')) || (sub ? lower(recognise(top)) : null);
    const unit = AMOUNT_UNITS.find((u) => u.re.test(c.label));
    return {
      ...c,
      field: hit?.field ?? null,
      confidence: hit?.confidence ?? 0,
      ...(hit && FIELDS[hit.field].amount ? { unit: unit?.unit ?? '万元', factor: unit?.factor ?? 1 } : {}),
    };
  });
  const taken = new Set<LedgerField>();
  const order = [...tried].sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  for (const c of order) {
    if (!c.field) continue;
    if (taken.has(c.field)) Object.assign(c, { field: null, confidence: 0, unit: undefined, factor: undefined });
    else taken.add(c.field);
  }
  return tried.map(({ unit, factor, ...c }) => (c.field && unit ? { ...c, unit, factor } : c));
}

/** A group label read alone (e.g. 总投资 over a unit) is a little less certain than its own name. */
const lower = (h: ReturnType<typeof recognise>) => (h ? { ...h, confidence: Math.min(h.confidence, 0.9) } : null);
