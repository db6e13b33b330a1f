/**
 * The ledger as a county office circulates it (县重点项目推进台账): a title
 * row with the day, 序号, real Excel types (dates as dates, amounts as numbers
 * with the unit in the header), a frozen header, widths, and red / yellow
 * fills where a stage or the year's investment lags. The colours come from
 * the shared rules (stageColour, investmentLag): a fill here means what the
 * same colour means on the battle map. The header is one the recogniser
 * reads with confidence 1, so the export imports back unchanged.
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { type Colour, STAGES, type Stage, type StageState, investmentLag, stageColour } from '../../domain/src/lifecycle';
import { NOT_APPLICABLE } from './cells';
import { FIELDS, type LedgerField, normalise } from './synonyms';

export const SHEET = '重点项目台账';

export interface ExportRow {
  code: string;
  name: string;
  category: string;
  unit: string;
  owner: string;
  township: string;
  total: number;
  leaders: string;
  plan: number | null;
  stages: Partial<Record<Stage, { state: StageState; dueOn: string; dueAt: string; warnAt: string }>>;
  completed: number | null;
  progressLine: string;
  problems: string;
  nextSteps: string;
}

const FILL: Record<Exclude<Colour, 'green'>, string> = { red: 'FFFF9C9C', yellow: 'FFFFE699' };

/** The export's header: each field's own name, amounts with their unit. */
export function exportHeader(year: number): { field: LedgerField; label: string; width: number }[] {
  const col = (field: LedgerField, width: number, label = FIELDS[field].zh) => ({ field, label, width });
  return [
    col('serial', 6),
    col('code', 26),
    col('name', 30),
    col('category', 10),
    col('unit', 16),
    col('owner', 22),
    col('township', 10),
    col('total', 12, '总投资（万元）'),
    col('leaders', 14),
    col('plan', 14, `${year}年计划投资（万元）`),
    ...STAGES.map((s) => col(s, 13)),
    col('completed', 14, '本年完成投资（万元）'),
    col('progressLine', 30),
    col('problems', 30),
    col('nextSteps', 30),
  ];
}

/** Whether a header is Duban's own (this export's, or the earlier template's subset of it): such a ledger imports without a confirmed mapping. */
export function isDubanHeader(labels: string[]): boolean {
  const own = new Set(exportHeader(2000).map((h) => normalise(h.label)));
  return labels.every((l) => own.has(normalise(l)) || /^\d{4}年计划投资\(万元\)$/.test(normalise(l)));
}

export async function writeLedger(rows: ExportRow[], o: { year: number; nowMs: number; zone: string; orgName: string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', xSplit: 3, ySplit: 2 }] });
  const header = exportHeader(o.year);
  const today = DateTime.fromMillis(o.nowMs, { zone: o.zone });
  ws.addRow([`${o.orgName}重点项目推进台账（截至${today.year}年${today.month}月${today.day}日）`]);
  ws.mergeCells(1, 1, 1, header.length);
  Object.assign(ws.getCell(1, 1), { font: { bold: true, size: 16 }, alignment: { horizontal: 'center', vertical: 'middle' } });
  ws.getRow(1).height = 30;
  ws.addRow(header.map((h) => h.label));
  ws.getRow(2).font = { bold: true };
  ws.getRow(2).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.forEach((h, i) => (ws.getColumn(i + 1).width = h.width));
  rows.forEach((r, n) => {
    const values: Record<LedgerField, ExcelJS.CellValue> = {
      serial: n + 1,
      code: r.code,
      name: r.name,
      category: r.category,
      unit: r.unit,
      owner: r.owner,
      township: r.township,
      total: r.total,
      leaders: r.leaders,
      plan: r.plan,
      ...(Object.fromEntries(STAGES.map((s) => [s, dateCell(r.stages[s])])) as Record<Stage, ExcelJS.CellValue>),
      completed: r.completed,
      progressLine: r.progressLine,
      problems: r.problems,
      nextSteps: r.nextSteps,
    };
    const row = ws.addRow(header.map((h) => values[h.field]));
    row.alignment = { vertical: 'top', wrapText: true };
    header.forEach((h, i) => {
      const cell = row.getCell(i + 1);
      if (values[h.field] instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      else if (typeof values[h.field] === 'number' && h.field !== 'serial') cell.numFmt = '#,##0.00';
      const stage = (STAGES as readonly string[]).includes(h.field) ? r.stages[h.field as Stage] : undefined;
      const colour: Colour | null = stage
        ? stageColour(stage, o.nowMs)
        : h.field === 'completed' && r.plan !== null
          ? investmentLag({ annualPlan: r.plan, completed: r.completed ?? 0, onMs: o.nowMs, zone: o.zone }).colour
          : null;
      if (colour && colour !== 'green') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[colour] } };
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A due day as an Excel date (UTC midnight is the day itself to Excel), or 不适用. */
function dateCell(s: ExportRow['stages'][Stage]): ExcelJS.CellValue {
  if (!s) return null;
  return s.state === 'n/a' ? NOT_APPLICABLE : new Date(`${s.dueOn}T00:00:00Z`);
}
