import PDFDocument from 'pdfkit';
import type { NoticeFormData } from './form-data';
import { cleanText } from './form-text';
import { fontFiles, glyphTest } from './fonts';

/**
 * The 督办通知单 laid out on one A4 page with pdfkit and Noto Serif SC (from the npm package
 * @expo-google-fonts/noto-serif-sc, so the font installs with `npm ci`, no system fonts).
 *
 * Every piece of text is placed at a computed position, one line at a time, after being cut to
 * the lines its cell has (with an ellipsis): pdfkit never wraps or breaks a page by itself here,
 * so no user text can push the form onto a second page.
 */

const A4 = { width: 595.28, height: 841.89 };
const MARGIN_X = 56.7; // 2 cm, as on printed government forms
const WIDTH = A4.width - 2 * MARGIN_X;
const RED = '#d40000';
const LABEL_WIDTH = 78;
const PAD = 6;
const BODY = { size: 11, line: 16 };
const SMALL = { size: 9.5, line: 13.5 };
/** Before measuring: longer text than this never fits a cell anyway. */
const MAX_CHARS = 600;
const ELLIPSIS = '…';
/** The signature line's top, and the height of the issuer and date above it. */
const FOOT = A4.height - 96;
const ISSUER_BLOCK = 52; // two lines of 12 pt and the dashed line's room

type Doc = PDFKit.PDFDocument;

/** Text cut into at most `maxLines` lines of `width`, the last one ending in an ellipsis when text was left over. */
/** A line of columns: each but the last cut to its column's width, the last to what is left. */
function columns(doc: Doc, cols: string[], width: number): string[] {
  let left = width;
  return cols.map((text, j) => {
    const w = j < cols.length - 1 ? (EVENT_COLUMNS[j] ?? 0) - 4 : left;
    left -= EVENT_COLUMNS[j] ?? 0;
    return w > 0 ? fitLines(doc, text, w, 1)[0] : '';
  });
}

function fitLines(doc: Doc, text: string, width: number, maxLines: number): string[] {
  const chars = Array.from(text);
  const widths = new Map<string, number>();
  const w = (ch: string) => {
    let v = widths.get(ch);
    if (v === undefined) widths.set(ch, (v = doc.widthOfString(ch)));
    return v;
  };
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  let i = 0;
  for (; i < chars.length && lines.length < maxLines; i++) {
    const ch = chars[i];
    if (ch === '\n') {
      lines.push(line);
      line = '';
      lineWidth = 0;
      continue;
    }
    if (lineWidth + w(ch) > width && line) {
      lines.push(line);
      line = '';
      lineWidth = 0;
      if (lines.length === maxLines) break;
    }
    line += ch;
    lineWidth += w(ch);
  }
  if (lines.length < maxLines && line) lines.push(line);
  if (i < chars.length && lines.length) {
    // Text was left over: the last line gives up characters until the ellipsis fits.
    let last = Array.from(lines[lines.length - 1].trimEnd());
    while (last.length && last.reduce((s, ch) => s + w(ch), 0) + w(ELLIPSIS) > width) last = last.slice(0, -1);
    lines[lines.length - 1] = last.join('') + ELLIPSIS;
  }
  return lines.length ? lines : [''];
}

/** A line of given columns (date, what, who, particulars), each cut to its column. */
type Columns = string[];

interface Cell {
  label: string;
  /** One string (wrapped), or given lines (each cut to one line; a line of columns is laid out in EVENT_COLUMNS). */
  text: string | (string | Columns)[];
  maxLines: number;
  small?: boolean;
  /** Draw at least this tall (a blank box to write in). */
  minHeight?: number;
}

/** The widths of the event list's columns (date and time, what, who); the particulars take the rest. */
const EVENT_COLUMNS = [84, 70, 64];

/** Renders the form; the same data gives the same bytes (CreationDate is the notice's instant). */
export async function renderFormPdf(f: NoticeFormData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    // Zero bottom margin: nothing drawn here may trigger pdfkit's automatic page break.
    margins: { top: 0, bottom: 0, left: MARGIN_X, right: MARGIN_X },
    info: { Title: f.documentNo, Subject: '督办通知单', Author: cleanText(f.issuingOffice, () => true), CreationDate: f.issuedAt, ModDate: f.issuedAt },
    autoFirstPage: true,
    compress: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    draw(doc, f);
  } finally {
    doc.end();
  }
  return done;
}

function draw(doc: Doc, f: NoticeFormData): void {
  const { regular, bold } = fontFiles();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.font('regular');
  const has = glyphTest(doc);
  const t = (s: string | null | undefined) => cleanText(s ?? '', has, MAX_CHARS);

  // The red head: title, number, double rule (红头); an urgent matter's mark at the top left.
  let y = 52;
  if (f.urgent) {
    doc.font('bold').fontSize(14).fillColor(RED);
    doc.text('紧急', MARGIN_X, 24, { lineBreak: false });
  }
  doc.font('bold').fontSize(30).fillColor(RED);
  doc.text('督 办 通 知 单', MARGIN_X, y, { width: WIDTH, align: 'center', lineBreak: false });
  y += 50;
  doc.font('regular').fontSize(14).fillColor('black');
  doc.text(t(f.documentNo), MARGIN_X, y, { width: WIDTH, align: 'center', lineBreak: false });
  y += 26;
  doc
    .lineWidth(2)
    .strokeColor(RED)
    .moveTo(MARGIN_X, y)
    .lineTo(MARGIN_X + WIDTH, y)
    .stroke();
  doc
    .lineWidth(0.6)
    .moveTo(MARGIN_X, y + 3.5)
    .lineTo(MARGIN_X + WIDTH, y + 3.5)
    .stroke();
  y += 16;

  const office = t(f.issuingOffice);
  const members = f.members.map((m) => (m.title ? `${t(m.name)}（${t(m.title)}）` : t(m.name))).join('、') || '—';
  const events: (string | Columns)[] = f.events.map((e) => [e.at, e.what, t(e.who), t(e.note)]);
  if (f.earlierEvents) events.unshift(`（此前另有${f.earlierEvents}条记录，详见系统）`);
  const rung = f.fromRung ? `${t(f.rung)}（由${t(f.fromRung)}提级）` : t(f.rung);

  const half = (WIDTH - 2 * LABEL_WIDTH) / 2;
  const rows: (Cell | [Cell, Cell])[] = [
    [
      { label: '签发单位', text: office, maxLines: 1 },
      { label: '签发日期', text: f.issuedOn, maxLines: 1 },
    ],
    { label: '项目名称', text: t(f.projectName), maxLines: 2 },
    [
      { label: '项目代码', text: t(f.projectCode), maxLines: 1 },
      { label: '问题类别', text: t(f.category), maxLines: 1 },
    ],
    { label: '督办事项', text: t(f.matterTitle), maxLines: 3 },
    { label: '问题描述', text: t(f.matterDescription) || '—', maxLines: 3 },
    [
      { label: '紧急程度', text: t(f.severity), maxLines: 1 },
      { label: '督办层级', text: rung, maxLines: 1 },
    ],
    { label: '督办对象', text: members, maxLines: 3 },
    { label: '办理时限', text: t(f.dueAt), maxLines: 1 },
    { label: '办理经过', text: events.length ? events : ['—'], maxLines: 9, small: true },
    {
      label: '督办要求',
      text: `请接到本通知后及时签收，于办理时限前协调解决，并将办理进展和结果反馈${office}。逾期未办结的，将按规定提级督办并予以通报。`,
      maxLines: 3,
    },
  ];

  // First measure every row, then give the leader's instructions (领导批示) the room that is left.
  const measured = rows.map((row) => {
    const cells = Array.isArray(row) ? row : [row];
    const valueWidth = Array.isArray(row) ? half : WIDTH - LABEL_WIDTH;
    const fitted = cells.map((c) => {
      const style = c.small ? SMALL : BODY;
      doc.font('regular').fontSize(style.size);
      const inner = valueWidth - 2 * PAD;
      const lines: Columns[] = Array.isArray(c.text)
        ? c.text.slice(0, c.maxLines).map((l) => (Array.isArray(l) ? columns(doc, l, inner) : [fitLines(doc, t(l), inner, 1)[0]]))
        : fitLines(doc, c.text, inner, c.maxLines).map((l) => [l]);
      return { cell: c, lines, style };
    });
    const height = Math.max(BODY.line + 2 * PAD, ...fitted.map((c) => c.lines.length * c.style.line + 2 * PAD));
    return { fitted, valueWidth, height };
  });
  const tableBottom = FOOT - 24 - ISSUER_BLOCK;
  const used = measured.reduce((sum, r) => sum + r.height, 0);
  measured.push({
    fitted: [{ cell: { label: '领导批示', text: '', maxLines: 1 }, lines: [], style: BODY }],
    valueWidth: WIDTH - LABEL_WIDTH,
    height: Math.max(BODY.line + 2 * PAD, tableBottom - y - used),
  });

  doc.lineWidth(0.8).strokeColor('black');
  const top = y;
  for (const { fitted, valueWidth, height } of measured) {
    let x = MARGIN_X;
    for (const { cell, lines, style } of fitted) {
      doc.font('bold').fontSize(BODY.size).fillColor('black');
      doc.text(cell.label, x, y + height / 2 - BODY.line / 2 + 2, { width: LABEL_WIDTH, align: 'center', lineBreak: false });
      doc
        .moveTo(x + LABEL_WIDTH, y)
        .lineTo(x + LABEL_WIDTH, y + height)
        .stroke();
      doc.font('regular').fontSize(style.size);
      lines.forEach((cols, k) => {
        let cx = x + LABEL_WIDTH + PAD;
        cols.forEach((text, j) => {
          doc.text(text, cx, y + PAD + k * style.line + 2, { lineBreak: false });
          cx += EVENT_COLUMNS[j] ?? 0;
        });
      });
      x += LABEL_WIDTH + valueWidth;
      if (x < MARGIN_X + WIDTH - 1)
        doc
          .moveTo(x, y)
          .lineTo(x, y + height)
          .stroke();
    }
    y += height;
    doc
      .moveTo(MARGIN_X, y)
      .lineTo(MARGIN_X + WIDTH, y)
      .stroke();
  }
  doc.rect(MARGIN_X, top, WIDTH, y - top).stroke();

  // The issuer and date, right-aligned under the table, as a document is signed off.
  y += 16;
  doc.font('regular').fontSize(12).fillColor('black');
  const officeLine = fitLines(doc, office, WIDTH / 2 - 12, 1)[0];
  doc.text(officeLine, MARGIN_X + WIDTH / 2, y, { width: WIDTH / 2 - 12, align: 'right', lineBreak: false });
  doc.text(f.issuedOn, MARGIN_X + WIDTH / 2, y + 20, { width: WIDTH / 2 - 12, align: 'right', lineBreak: false });

  // Where the receiving leader signs for it (签收), at the foot of the page.
  const foot = Math.max(y + ISSUER_BLOCK + 4, FOOT);
  doc.lineWidth(0.6).strokeColor('black').dash(3, { space: 3 });
  doc
    .moveTo(MARGIN_X, foot - 14)
    .lineTo(MARGIN_X + WIDTH, foot - 14)
    .stroke();
  doc.undash();
  doc.font('regular').fontSize(12);
  doc.text('签收人：＿＿＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日', MARGIN_X, foot, { width: WIDTH, align: 'center', lineBreak: false });
  doc.fontSize(9).fillColor('#555555');
  const note = fitLines(doc, `${t(f.documentNo)}　本通知单签收后请交回或拍照回传${office}`, WIDTH, 1)[0];
  doc.text(note, MARGIN_X, foot + 26, { width: WIDTH, align: 'center', lineBreak: false });
}
