import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { COLOUR_PRINT, type Colour } from '../../domain/src/colour';
import type { Bulletin } from './bulletins.service';

/**
 * The bulletin as a workbook a county office can print and file as it is: on every sheet a title
 * row (the bulletin's number, the sheet, the day it stands at), a frozen header row with units,
 * 序号, real numbers and dates (not text), widths that fit, and the lagging cells filled with the
 * shared print colours (COLOUR_PRINT), so the sheet reads like the bulletin document.
 */

type Value = string | number | Date | null;
interface Column {
  header: string;
  width: number;
  /** Excel number format; dates get 'yyyy-mm-dd'. */
  numFmt?: string;
}

const AMOUNT = '#,##0.00';
const POINTS = '0.00';
const HEADER_FILL = 'FFD9D9D9';

/** A calendar day as an Excel date: midnight UTC, which Excel shows as that day whatever the zone. */
const excelDate = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`);

export async function bulletinWorkbook(b: Bulletin): Promise<Buffer> {
  const d = b.data;
  const day = DateTime.fromISO(d.day).toFormat('yyyy年M月d日');
  const wb = new ExcelJS.Workbook();
  // The workbook's own dates are the bulletin's instant, so the file does not change with the time of download.
  wb.created = wb.modified = new Date(b.asOf);
  wb.creator = wb.lastModifiedBy = 'Duban';

  const sheet = (name: string, columns: Column[], rows: Value[][], colours: (Colour | null)[][] = []) => {
    const ws = wb.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: 2, xSplit: 0, topLeftCell: 'A3', activeCell: 'A3' }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
    });
    ws.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    const title = ws.addRow([`${b.number}　${name}（截至${day}）`]);
    ws.mergeCells(1, 1, 1, columns.length);
    title.height = 30;
    title.getCell(1).font = { bold: true, size: 14 };
    title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    const header = ws.addRow(columns.map((c) => c.header));
    header.height = 32;
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
      cell.border = thin;
    });
    rows.forEach((values, i) => {
      const row = ws.addRow([i + 1, ...values]);
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cell.border = thin;
        const colour = colours[i]?.[col - 2];
        if (colour && colour !== 'green') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${COLOUR_PRINT[colour].fill}` } };
      });
    });
    return ws;
  };
  const seq: Column = { header: '序号', width: 6 };

  sheet(
    '总体情况',
    [seq, { header: '指标', width: 26 }, { header: '数值', width: 18 }, { header: '单位', width: 10 }],
    [
      ['通报期号', b.number, null],
      ['统计截至', excelDate(d.day), null],
      ['序时进度', d.timeShare, '%'],
      ['有年度计划的项目', d.county.projects, '个'],
      ['年度计划投资', d.county.annualPlan, '万元'],
      ['已完成投资', d.county.completed, '万元'],
      ['完成率', d.county.completedShare, '%'],
      ['滞后序时进度', d.county.lagPoints, '百分点'],
      ['滞后项目', d.laggards.length, '个'],
      ['逾期节点', d.overdueStages.length, '个'],
      ['未办结问题', d.openBlockers.total, '个'],
      ['开工率', d.fourRates.start.rate, '%'],
      ['建成投产率', d.fourRates.completion.rate, '%'],
      ['合同履约率', '暂无数据', '%'],
      ['资金到位率', '暂无数据', '%'],
    ],
    [[], [], [], [], [], [], [null, d.county.colour], [null, d.county.colour]],
  ).getCell('C4').numFmt = 'yyyy-mm-dd';

  type P = Bulletin['data']['ranking'][number];
  const projectColumns: Column[] = [
    seq,
    { header: '名次', width: 6 },
    { header: '项目代码', width: 26 },
    { header: '项目名称', width: 30 },
    { header: '责任单位', width: 16 },
    { header: '所在乡镇', width: 10 },
    { header: '包联领导', width: 12 },
    { header: '年度计划投资（万元）', width: 14, numFmt: AMOUNT },
    { header: '已完成投资（万元）', width: 14, numFmt: AMOUNT },
    { header: '完成率（%）', width: 10, numFmt: POINTS },
    { header: '滞后序时进度（百分点）', width: 12, numFmt: POINTS },
    { header: '预警', width: 6 },
  ];
  const projectRow = (p: P): Value[] => [
    p.rank,
    p.code,
    p.name,
    p.unit,
    p.township ?? '',
    p.liaisonLeaders.join('、'),
    p.annualPlan,
    p.completed,
    p.completedShare,
    p.lagPoints,
    COLOUR_PRINT[p.colour].zh,
  ];
  // The share, the lag and the warning cells carry the colour (columns 9–11 of the values).
  const projectColours = (p: P) => [null, null, null, null, null, null, null, null, p.colour, p.colour, p.colour];
  sheet('项目排名', projectColumns, d.ranking.map(projectRow), d.ranking.map(projectColours));
  sheet('滞后项目', projectColumns, d.laggards.map(projectRow), d.laggards.map(projectColours));
  sheet(
    '逾期节点',
    [
      seq,
      { header: '项目代码', width: 26 },
      { header: '项目名称', width: 30 },
      { header: '责任单位', width: 16 },
      { header: '节点', width: 8 },
      { header: '计划完成', width: 12, numFmt: 'yyyy-mm-dd' },
      { header: '逾期（天）', width: 10 },
    ],
    d.overdueStages.map((s) => [s.code, s.name, s.unit, s.stageName, excelDate(s.dueOn), s.daysOverdue]),
    d.overdueStages.map(() => [null, null, null, null, null, 'red']),
  );
  sheet(
    '问题统计',
    [seq, { header: '分类', width: 10 }, { header: '名称', width: 16 }, { header: '数量（个）', width: 10 }],
    [...d.openBlockers.byCategory.map((c) => ['问题类别', c.name, c.count]), ...d.openBlockers.byRung.map((r) => ['督办层级', r.name, r.count])],
  );
  sheet(
    '逾期事项',
    [seq, { header: '事项', width: 40 }, { header: '项目', width: 30 }, { header: '责任单位', width: 16 }, { header: '层级', width: 12 }, { header: '逾期（天）', width: 10 }],
    d.overdueMatters.map((m) => [m.title, m.project, m.unit, m.rung, m.daysOverdue]),
    d.overdueMatters.map(() => [null, null, null, null, 'red']),
  );
  sheet(
    '单位排名',
    [
      seq,
      { header: '名次', width: 6 },
      { header: '责任单位', width: 16 },
      { header: '项目（个）', width: 10 },
      { header: '年度计划投资（万元）', width: 14, numFmt: AMOUNT },
      { header: '已完成投资（万元）', width: 14, numFmt: AMOUNT },
      { header: '完成率（%）', width: 10, numFmt: POINTS },
      { header: '滞后序时进度（百分点）', width: 12, numFmt: POINTS },
      { header: '逾期节点（个）', width: 10 },
      { header: '未办结问题（个）', width: 10 },
    ],
    d.byUnit.map((u) => [u.rank, u.unit, u.projects, u.annualPlan, u.completed, u.completedShare, u.lagPoints, u.overdueStages, u.openBlockers]),
    d.byUnit.map((u) => [null, null, null, null, null, u.colour, u.colour]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const line = { style: 'thin' as const, color: { argb: 'FF808080' } };
const thin = { top: line, left: line, bottom: line, right: line };
