import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
} from 'docx';
import { COLOUR_PRINT } from '../../../domain/src/colour';
import type { BulletinDocument, DocBlock, DocTable } from './bulletin-document';
import { fixZipTimes } from './zip-times';

/**
 * The bulletin as a Word document laid out as government documents are (GB/T 9704): A4, margins
 * 37/35/28/26 mm, body in 仿宋_GB2312 三号 on a fixed 28 pt line, headings in 黑体, the red head in
 * 方正小标宋简体. Font names are the ones county machines have; Word substitutes where they lack them.
 */

const mm = (n: number) => Math.round((n / 25.4) * 1440); // twips
const TEXT_WIDTH = mm(210 - 28 - 26);
const RED = 'C00000';
const FONT = { body: '仿宋_GB2312', heading: '黑体', title: '方正小标宋简体', kai: '楷体_GB2312' };
/** Half-points, as Word counts: 二号 22 pt, 三号 16 pt, 小四 12 pt, 五号 10.5 pt. */
const SIZE = { title: 44, org: 40, body: 32, table: 21, tableHead: 21 };
const LINE = { line: 560, lineRule: LineRuleType.EXACT }; // 28 pt

/** A run in one of the Chinese fonts: the East Asian slot is what Word uses for Chinese text. */
const run = (text: string, font: string, size: number, extra: Partial<IRunOptions> = {}) =>
  new TextRun({ text, font: { ascii: font, hAnsi: font, eastAsia: font, cs: font }, size, ...extra });

const para = (children: TextRun[], opts: { center?: boolean; indent?: boolean; before?: number; after?: number; exact?: boolean } = {}) =>
  new Paragraph({
    children,
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
    indent: opts.indent ? { firstLine: 640 } : undefined, // two characters of 三号
    spacing: { before: opts.before ?? 0, after: opts.after ?? 0, ...(opts.exact === false ? {} : LINE) },
  });

function table(t: DocTable): Table {
  const total = t.columns.reduce((n, c) => n + c.width, 0);
  const widths = t.columns.map((c) => Math.floor((c.width / total) * TEXT_WIDTH));
  const cell = (text: string, i: number, head: boolean, fill?: string) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      shading: fill ? { type: ShadingType.CLEAR, fill, color: 'auto' } : undefined,
      children: [
        new Paragraph({
          alignment: head || t.columns[i].align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
          spacing: { before: 40, after: 40 },
          children: [run(text, head ? FONT.heading : FONT.body, head ? SIZE.tableHead : SIZE.table)],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      // The header row repeats on every page a long table runs over.
      new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((c, i) => cell(c.title, i, true)) }),
      ...t.rows.map(
        (r) =>
          new TableRow({
            cantSplit: true,
            children: r.map((c, i) => cell(c.text, i, false, c.colour && c.colour !== 'green' ? COLOUR_PRINT[c.colour].fill : undefined)),
          }),
      ),
    ],
  });
}

function block(b: DocBlock): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [para([run(b.text, FONT.heading, SIZE.body)], { indent: true })];
    case 'paragraph':
      return [para([...(b.lead ? [run(b.lead, FONT.kai, SIZE.body, { bold: true })] : []), run(b.text, FONT.body, SIZE.body)], { indent: true })];
    case 'table':
      // A table, then a little air before the text goes on.
      return [table(b.table), para([], { after: 120, exact: false })];
    case 'attachment':
      return [
        new Paragraph({ children: [new PageBreak(), run(b.label, FONT.heading, SIZE.body)], spacing: LINE }),
        para([run(b.title, FONT.title, SIZE.org)], { center: true, before: 240, after: 240, exact: false }),
      ];
  }
}

/** The closing note (版记): 抄送 and 印发 between black rules, as the last lines of the document. */
function closingNote(d: BulletinDocument): Paragraph[] {
  const rule = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 1 };
  return [
    new Paragraph({ children: [], spacing: { before: 480 } }),
    new Paragraph({
      border: { top: rule, bottom: { ...rule, size: 4 } },
      indent: { left: 320, right: 320 },
      spacing: LINE,
      children: [run(d.copyTo, FONT.body, 28)],
    }),
    new Paragraph({ border: { bottom: rule }, indent: { left: 320, right: 320 }, spacing: LINE, children: [run(d.printed, FONT.body, 28)] }),
  ];
}

export async function renderBulletinDocx(d: BulletinDocument): Promise<Buffer> {
  const redRule = { style: BorderStyle.SINGLE, size: 24, color: RED, space: 4 };
  const head = [
    para([run(d.org, FONT.title, SIZE.org, { color: RED })], { center: true, before: 240, exact: false }),
    para([run(d.title, FONT.title, SIZE.title + 16, { color: RED, bold: true })], { center: true, before: 120, after: 240, exact: false }),
    para([run(d.issue, FONT.body, SIZE.body)], { center: true }),
    // Issuing body left, date right, on one line above the red rule.
    new Paragraph({
      border: { bottom: redRule },
      tabStops: [{ type: 'right', position: TEXT_WIDTH }],
      spacing: { ...LINE, after: 360 },
      children: [run(d.issuer, FONT.body, SIZE.body), run('', FONT.body, SIZE.body, { children: [new Tab(), d.date] })],
    }),
  ];
  const doc = new Document({
    title: d.meta.title,
    subject: d.meta.subject,
    creator: d.meta.author,
    lastModifiedBy: d.meta.author,
    styles: { default: { document: { run: { font: { ascii: FONT.body, hAnsi: FONT.body, eastAsia: FONT.body }, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(28) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 28, font: 'Times New Roman' })] }),
            ],
          }),
        },
        children: [...head, ...d.blocks.flatMap(block), ...closingNote(d)],
      },
    ],
  });
  // docx stamps the file properties and the zip entries with the time of packing: both get the bulletin's instant.
  const packed = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreXml(d) }]);
  return fixZipTimes(packed, d.meta.created);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The file properties (what Word shows under 属性), dated with the bulletin's instant. */
function coreXml(d: BulletinDocument): string {
  const at = d.meta.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${esc(d.meta.title)}</dc:title><dc:subject>${esc(d.meta.subject)}</dc:subject><dc:creator>${esc(d.meta.author)}</dc:creator>` +
    `<cp:lastModifiedBy>${esc(d.meta.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}
