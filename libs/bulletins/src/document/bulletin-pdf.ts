import PDFDocument from 'pdfkit';
import { COLOUR_PRINT } from '../../../domain/src/colour';
import { fontFiles, glyphTest } from '../../../notice-form/src/fonts';
import { cleanText } from '../../../notice-form/src/form-text';
import type { BulletinDocument, DocBlock, DocTable } from './bulletin-document';

/**
 * The bulletin as a PDF (pdfkit, Noto Serif SC — the 督办通知单's font loading), laid out like the
 * .docx: A4 with the official margins, the red head, body text on a 28 pt line, tables whose header
 * row repeats on each page, page numbers, the closing note last. pdfkit wraps and breaks pages for
 * paragraphs; table rows are measured first and moved whole to the next page.
 */

type Doc = PDFKit.PDFDocument;
const MM = 72 / 25.4;
const MARGIN = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };
const WIDTH = (210 - 28 - 26) * MM;
const RED = '#c00000';
const BODY = { size: 15, gap: 28 - 15 * 1.3 }; // a 28 pt line, as the .docx's exact spacing
const TABLE = { size: 9.5, pad: 3 };

export async function renderBulletinPdf(d: BulletinDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    compress: true,
    // The bulletin's instant, not now: the same bulletin gives the same bytes.
    info: { Title: d.meta.title, Subject: d.meta.subject, Author: d.meta.author, CreationDate: d.meta.created, ModDate: d.meta.created },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    const { regular, bold } = fontFiles();
    doc.registerFont('regular', regular);
    doc.registerFont('bold', bold);
    doc.font('regular');
    const has = glyphTest(doc);
    const t = (s: string) => cleanText(s, has);
    head(doc, d, t);
    for (const b of d.blocks) block(doc, b, t);
    closingNote(doc, d, t);
    pageNumbers(doc);
  } finally {
    doc.end();
  }
  return done;
}

function head(doc: Doc, d: BulletinDocument, t: (s: string) => string) {
  const x = MARGIN.left;
  doc
    .font('bold')
    .fillColor(RED)
    .fontSize(20)
    .text(t(d.org), x, MARGIN.top - 20, { width: WIDTH, align: 'center' });
  doc.moveDown(0.3).fontSize(30).text(t(d.title), { width: WIDTH, align: 'center', characterSpacing: 2 });
  doc.moveDown(0.4).font('regular').fillColor('black').fontSize(BODY.size).text(t(d.issue), { width: WIDTH, align: 'center' });
  const y = doc.y + 10;
  doc.text(t(d.issuer), x, y, { width: WIDTH / 2, lineBreak: false });
  doc.text(t(d.date), x + WIDTH / 2, y, { width: WIDTH / 2, align: 'right', lineBreak: false });
  const rule = y + BODY.size + 10;
  doc
    .lineWidth(2)
    .strokeColor(RED)
    .moveTo(x, rule)
    .lineTo(x + WIDTH, rule)
    .stroke();
  doc.x = x;
  doc.y = rule + 18;
}

function block(doc: Doc, b: DocBlock, t: (s: string) => string) {
  const x = MARGIN.left;
  switch (b.kind) {
    case 'heading':
      doc
        .font('bold')
        .fontSize(BODY.size)
        .fillColor('black')
        .text(t(b.text), x, doc.y, { width: WIDTH, indent: 2 * BODY.size, lineGap: BODY.gap });
      return;
    case 'paragraph': {
      doc.fontSize(BODY.size).fillColor('black');
      if (b.lead) doc.font('bold').text(t(b.lead), x, doc.y, { width: WIDTH, indent: 2 * BODY.size, lineGap: BODY.gap, continued: true });
      doc
        .font('regular')
        .text(t(b.text), b.lead ? undefined : x, b.lead ? undefined : doc.y, { width: WIDTH, indent: b.lead ? 0 : 2 * BODY.size, lineGap: BODY.gap, align: 'justify' });
      return;
    }
    case 'table':
      table(doc, b.table, t);
      doc.y += 8;
      return;
    case 'attachment':
      doc.addPage();
      doc.font('bold').fontSize(BODY.size).fillColor('black').text(t(b.label), x, MARGIN.top, { width: WIDTH });
      doc.moveDown(0.5).fontSize(20).text(t(b.title), { width: WIDTH, align: 'center' });
      doc.moveDown(0.8);
      return;
  }
}

function table(doc: Doc, tb: DocTable, t: (s: string) => string) {
  const total = tb.columns.reduce((n, c) => n + c.width, 0);
  const widths = tb.columns.map((c) => (c.width / total) * WIDTH);
  const bottom = () => doc.page.height - MARGIN.bottom;
  const height = (cells: string[], font: string) => {
    doc.font(font).fontSize(TABLE.size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 2 * TABLE.pad }))) + 2 * TABLE.pad;
  };
  const row = (cells: string[], font: string, fills: (string | undefined)[], h: number) => {
    let x = MARGIN.left;
    const y = doc.y;
    cells.forEach((c, i) => {
      if (fills[i]) doc.rect(x, y, widths[i], h).fill(`#${fills[i]}`);
      doc.lineWidth(0.5).strokeColor('black').rect(x, y, widths[i], h).stroke();
      // Vertically centred in the row, as Word's cells are.
      const w = widths[i] - 2 * TABLE.pad;
      doc.font(font).fontSize(TABLE.size).fillColor('black');
      const dy = (h - 2 * TABLE.pad - doc.heightOfString(c, { width: w })) / 2;
      doc.text(c, x + TABLE.pad, y + TABLE.pad + dy, { width: w, align: font === 'bold' || tb.columns[i].align === 'center' ? 'center' : 'left' });
      x += widths[i];
    });
    doc.x = MARGIN.left;
    doc.y = y + h;
  };
  const titles = tb.columns.map((c) => t(c.title));
  const headHeight = height(titles, 'bold');
  const header = () => row(titles, 'bold', [], headHeight);
  // A header with a row or two at the foot of a page reads badly: the table starts where its first three rows fit.
  const first = tb.rows.slice(0, 3).reduce(
    (n, r) =>
      n +
      height(
        r.map((c) => t(c.text)),
        'regular',
      ),
    0,
  );
  if (doc.y + headHeight + first > bottom()) doc.addPage();
  header();
  for (const r of tb.rows) {
    const cells = r.map((c) => t(c.text));
    const h = height(cells, 'regular');
    // A row never splits: it goes to the next page, under the header again.
    if (doc.y + h > bottom()) {
      doc.addPage();
      header();
    }
    row(
      cells,
      'regular',
      r.map((c) => (c.colour && c.colour !== 'green' ? COLOUR_PRINT[c.colour].fill : undefined)),
      h,
    );
  }
}

/** 抄送 and 印发 between black rules, at the end. */
function closingNote(doc: Doc, d: BulletinDocument, t: (s: string) => string) {
  const need = 3 * 28 + 24;
  if (doc.y + need > doc.page.height - MARGIN.bottom) doc.addPage();
  const x = MARGIN.left;
  let y = doc.y + 24;
  doc
    .lineWidth(1)
    .strokeColor('black')
    .moveTo(x, y)
    .lineTo(x + WIDTH, y)
    .stroke();
  doc
    .font('regular')
    .fontSize(14)
    .fillColor('black')
    .text(t(d.copyTo), x + 14, y + 7, { width: WIDTH - 28 });
  y = doc.y + 7;
  doc
    .lineWidth(0.5)
    .moveTo(x, y)
    .lineTo(x + WIDTH, y)
    .stroke();
  doc.text(t(d.printed), x + 14, y + 7, { width: WIDTH - 28 });
  y = doc.y + 7;
  doc
    .lineWidth(1)
    .moveTo(x, y)
    .lineTo(x + WIDTH, y)
    .stroke();
}

/** — n — centred in the bottom margin of every page, as the .docx's footer. */
function pageNumbers(doc: Doc) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page: lift the margin for this line.
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(14)
      .fillColor('black')
      .text(`— ${i + 1} —`, MARGIN.left, doc.page.height - MARGIN.bottom + 28, { width: WIDTH, align: 'center', lineBreak: false });
    doc.page.margins.bottom = MARGIN.bottom;
  }
}
