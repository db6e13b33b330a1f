/**
 * The ledger's column recogniser and cell readers (libs/ledger): the names
 * counties use, the units converted, the dates as counties type them.
 */
import ExcelJS from 'exceljs';
import { amountOf, dayOf } from '../../libs/ledger/src/cells';
import { propose, readHeader, recognise } from '../../libs/ledger/src/header-reader';

test('usual names and variants are recognised, exact ones with confidence 1, looser ones for confirmation', () => {
  const cases: [string, string | null, number][] = [
    ['项目名称', 'name', 1],
    ['项目', 'name', 1],
    ['项目编码', 'code', 1],
    ['牵头单位', 'unit', 1],
    ['包联县领导', 'leaders', 1],
    ['所属乡镇', 'township', 1],
    ['总投资（亿元）', 'total', 1],
    ['总投资(万元)', 'total', 1],
    ['2026年计划投资（万元）', 'plan', 1],
    ['计划开工时间', 'start', 1],
    ['计划竣工时间', 'completion', 1],
    ['形象进度', 'progressLine', 1],
    ['存在 问题', 'problems', 1],
    ['下步计划', 'nextSteps', 1],
    ['1-11月完成投资（万元）', 'completed', 0.6],
    ['实际开工时间', null, 0],
    ['备注', null, 0],
  ];
  expect(cases.map(([label]) => [label, recognise(label)?.field ?? null, recognise(label)?.confidence ?? 0])).toEqual(cases);
});

test('amounts convert to 万元 from the header’s unit; one column per field', () => {
  const p = propose([
    { index: 1, label: '总投资 / 亿元' },
    { index: 2, label: '项目名称' },
    { index: 3, label: '名称' },
  ]);
  expect(p.map((c) => [c.field, c.unit, c.factor])).toEqual([
    ['total', '亿元', 10_000],
    ['name', undefined, undefined],
    [null, undefined, undefined],
  ]);
  expect(amountOf('1.2', '1.2', 10_000)).toEqual({ ok: true, value: 12_000 });
  expect(amountOf(null, '1,200.5', 1)).toEqual({ ok: true, value: 1200.5 });
  expect(amountOf('-1', '-1', 1).ok).toBe(false);
});

test('dates as counties write them: Excel dates, full days, month only (its last day); an Excel number is refused', () => {
  const day = (v: ExcelJS.CellValue) => dayOf(v, v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? ''));
  expect([new Date('2027-03-31T00:00:00Z'), '2027/3/31', '2027.3.31', '2027年3月31日', '2027.3', '2027年2月', '2027-06', '不适用', ''].map((v) => day(v))).toEqual(
    ['2027-03-31', '2027-03-31', '2027-03-31', '2027-03-31', '2027-03-31', '2027-02-28', '2027-06-30', '不适用', null].map((value) => ({ ok: true, value })),
  );
  expect(day(2027.3).ok).toBe(false);
  expect(day('明年三月').ok).toBe(false);
});

test('the header is found under title rows, a two-level one read as group / sub-label', () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('s');
  ws.addRow(['某县重点项目台账']);
  ws.mergeCells(1, 1, 1, 4);
  ws.addRow(['项目名称', '总投资', '时间节点', '']);
  ws.addRow(['', '亿元', '计划开工时间', '计划竣工时间']);
  ws.mergeCells(2, 1, 3, 1);
  ws.mergeCells(2, 3, 2, 4);
  const shape = readHeader(ws)!;
  expect([shape.headerRows, shape.firstDataRow, shape.columns.map((c) => c.label)]).toEqual([
    [2, 3],
    4,
    ['项目名称', '总投资 / 亿元', '时间节点 / 计划开工时间', '时间节点 / 计划竣工时间'],
  ]);
  expect(propose(shape.columns).map((c) => c.field)).toEqual(['name', 'total', 'start', 'completion']);
});
