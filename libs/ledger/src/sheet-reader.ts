/**
 * A ledger's data rows by field, under a mapping: the cells of the columns
 * mapped, blank spacer rows, totals rows (合计/总计/小计) and section rows
 * (一、产业项目) left out, as they carry no project.
 */
import ExcelJS from 'exceljs';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { cellText, type HeaderShape, readHeader } from './header-reader';
import type { ConfirmedColumn } from './mapping-store';
import { SHEET } from './exporter';
import type { LedgerField } from './synonyms';

const MAX_ROWS = 20_000;
const TOTALS = /^(合计|总计|小计|共计)/;
const SECTION = /^([一二三四五六七八九十]+|[（(][一二三四五六七八九十]+[)）])[、.．]/;

export interface SheetCell {
  value: ExcelJS.CellValue;
  text: string;
  /** The source column's header, as problems name it, and its letter. */
  column: string;
  address: string;
  factor: number;
}
export type SheetRow = { row: number; cells: Partial<Record<LedgerField, SheetCell>> };

export async function openSheet(file: Buffer): Promise<{ ws: ExcelJS.Worksheet; shape: HeaderShape }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new DomainError(DomainErrorCode.Invalid, '无法读取文件：请上传 .xlsx 格式的台账', 'Cannot read the file: upload the ledger as .xlsx');
  }
  const ws = wb.getWorksheet(SHEET) ?? wb.worksheets.find((w) => w.state === 'visible') ?? wb.worksheets[0];
  if (!ws) throw new DomainError(DomainErrorCode.Invalid, '文件中没有工作表', 'The file has no worksheet');
  const shape = readHeader(ws);
  if (!shape) {
    throw new DomainError(
      DomainErrorCode.Invalid,
      '未找到表头：前15行中没有含“项目名称”“责任单位”等列名的行',
      'No header found: none of the first 15 rows has column names such as 项目名称 or 责任单位',
    );
  }
  return { ws, shape };
}

export function readRows(ws: ExcelJS.Worksheet, shape: HeaderShape, mapping: ConfirmedColumn[]): SheetRow[] {
  const mapped = mapping.filter((c) => c.field && c.field !== 'serial');
  const rows: SheetRow[] = [];
  // exceljs walks every row to answer columnCount: asked once, not once per row (20,000 rows took 16 s).
  const width = ws.columnCount;
  for (let n = shape.firstDataRow; n <= ws.rowCount; n++) {
    const cells: SheetRow['cells'] = {};
    for (const c of mapped) {
      const cell = ws.getCell(n, c.index);
      const text = cellText(cell);
      if (text !== '') cells[c.field!] = { value: (cell.isMerged ? cell.master : cell).value, text, column: c.label, address: cell.address, factor: c.factor ?? 1 };
    }
    const texts = Object.values(cells).map((c) => c.text);
    if (!texts.length) continue;
    // A totals row says so in its first text cell, mapped or not (often the 序号 column).
    const first = Array.from({ length: width }, (_, i) => cellText(ws.getCell(n, i + 1))).find((t) => t !== '') ?? '';
    if (TOTALS.test(first.replace(/\s+/g, '')) || TOTALS.test((cells.name?.text ?? '').replace(/\s+/g, ''))) continue;
    if (new Set(texts).size === 1 && SECTION.test(texts[0])) continue;
    rows.push({ row: n, cells });
    if (rows.length > MAX_ROWS) throw new DomainError(DomainErrorCode.Invalid, `台账最多${MAX_ROWS}行`, `At most ${MAX_ROWS} rows`);
  }
  return rows;
}
