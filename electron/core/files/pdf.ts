// What the station's printed documents (the view register, the export register, a disc's 说明 and
// 处理记录, the seal sheet) draw the same way, kept in one place so that they stay alike on paper:
// the document with its fixed info (dated by its content, so the same input gives the same bytes),
// its bytes collected, lines of a cell each in its own face, the A4 landscape table of the
// registers (headings on a grey band, repeated on every page) and the page footers written once the
// number of pages is known ("第 p 页 共 n 页 / Page p of n"). Each document keeps its own wording
// and layout; nothing here changes what any of them looks like.
import PDFDocument from 'pdfkit';
import { formatStationTime } from '../../../shared/time.js';

export type Doc = InstanceType<typeof PDFDocument>;

/** Chinese and English alike: the same words in each language. */
export interface Words {
  zh: string;
  en: string;
}

export const A4 = { width: 595.28, height: 841.89 };
export const INK = '#000000';
export const GREY = '#555555';
export const RULE = '#999999';
/** The names the station's Chinese font and its monospace sibling are registered under. */
export const CJK = 'cjk';
export const MONO = 'mono';

/** Where a page's text goes: between the margins, the body above the footer. */
export interface Frame {
  left: number;
  right: number;
  width: number;
  /** Rows end above this: below it the footer. */
  bodyBottom: number;
  footerY: number;
}

/** A4 portrait or landscape with even margins; the body ends `footerRoom` above the bottom margin. */
export function a4Frame(layout: 'portrait' | 'landscape', margin: number, footerRoom: number): Frame {
  const page = layout === 'portrait' ? A4 : { width: A4.height, height: A4.width };
  return {
    left: margin,
    right: page.width - margin,
    width: page.width - 2 * margin,
    bodyBottom: page.height - margin - footerRoom,
    footerY: page.height - margin - 4,
  };
}

export interface StationPdf {
  layout?: 'landscape';
  margin: number;
  /** Every page kept until the end, to write "共 n 页" on each. */
  bufferPages?: boolean;
  title: string;
  author?: string;
  subject?: string;
  /** The document's date: its content's (a seal's, an extraction's, a print's), never the clock at rendering. */
  dated: number;
}

/**
 * An A4 document saying the station made it. Its dates (and so pdfkit's file ID, derived from
 * them) are the content's: the same input gives the same bytes, which tests hold and a reprint
 * relies on.
 */
export function stationPdf(o: StationPdf): Doc {
  const dated = new Date(o.dated);
  return new PDFDocument({
    size: 'A4',
    ...(o.layout ? { layout: o.layout } : {}),
    margin: o.margin,
    ...(o.bufferPages ? { bufferPages: true } : {}),
    // In this order, an absent field left out: pdfkit writes every key it is given.
    info: {
      Title: o.title,
      ...(o.author !== undefined ? { Author: o.author } : {}),
      ...(o.subject !== undefined ? { Subject: o.subject } : {}),
      Creator: '执法记录仪证据采集站 / Evidence Station',
      Producer: '执法记录仪证据采集站 / Evidence Station',
      CreationDate: dated,
      ModDate: dated,
    },
  });
}

/** The document's bytes once it is ended (pdfkit streams them): call before drawing. */
export function pdfBytes(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** Sets a line's face, size and colour; returns the document to draw or measure with. */
export type LineStyle<L> = (doc: Doc, line: L) => Doc;

/** How tall lines are, one under the other, each wrapped to `width` in its own style. */
export function linesHeight<L extends { text: string }>(doc: Doc, lines: readonly L[], width: number, style: LineStyle<L>): number {
  return lines.reduce((h, l) => h + style(doc, l).heightOfString(l.text, { width }), 0);
}

/** Draws lines one under the other from (x, y), each wrapped to `width` in its own style. */
export function drawLines<L extends { text: string }>(doc: Doc, lines: readonly L[], x: number, y: number, width: number, style: LineStyle<L>): void {
  let yy = y;
  for (const l of lines) {
    style(doc, l).text(l.text, x, yy, { width });
    yy += doc.heightOfString(l.text, { width });
  }
}

/**
 * Something in Chinese with its English beneath, smaller and grey: a heading's field or a
 * sentence of a register. `en` takes the same box as `zh` unless given its own.
 */
export function pair(doc: Doc, w: Words, x: number, y: number, box: PDFKit.Mixins.TextOptions, enBox: PDFKit.Mixins.TextOptions = box): void {
  doc.font(CJK).fontSize(8.5).fillColor(INK).text(w.zh, x, y, box);
  doc.font(CJK).fontSize(7).fillColor(GREY).text(w.en, x, y + 12, enBox);
}

/**
 * Page 1's title block: the title large on the left, the English beneath; on the right a value
 * (the station, an export number) over what it is; a rule under both. Returns the rule's y.
 */
export function titleBlock(doc: Doc, f: Frame, y: number, title: Words, corner: { value: string; size: number; dy: number; label: string }): number {
  doc.font(CJK).fontSize(20).fillColor(INK).text(title.zh, f.left, y, { lineBreak: false });
  doc.font(CJK).fontSize(10).fillColor(GREY).text(title.en, f.left, y + 28, { lineBreak: false });
  doc.font(CJK).fontSize(corner.size).fillColor(INK).text(corner.value, f.left, y + corner.dy, { width: f.width, align: 'right', lineBreak: false });
  doc.font(CJK).fontSize(8).fillColor(GREY).text(corner.label, f.left, y + 22, { width: f.width, align: 'right', lineBreak: false });
  const bottom = y + 46;
  doc.moveTo(f.left, bottom).lineTo(f.right, bottom).lineWidth(1).strokeColor(INK).stroke();
  return bottom;
}

/** "第 p 页 共 n 页 / Page p of n". */
export const pageOf = (p: number, n: number): Words => ({ zh: `第 ${p} 页 共 ${n} 页`, en: `Page ${p} of ${n}` });

/**
 * The footer of every page, once the number of pages is known (the document keeps its pages:
 * `bufferPages`): a rule above it, then what `draw` writes at `f.footerY` for page p of n.
 */
export function footers(doc: Doc, f: Frame, draw: (p: number, n: number) => void): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a page for it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(f.left, f.footerY - 5).lineTo(f.right, f.footerY - 5).lineWidth(0.5).strokeColor(RULE).stroke();
    draw(i - start + 1, count);
    doc.page.margins.bottom = bottom;
  }
}

// ---- The registers' table: a row per record, its cells lines of Chinese with English beneath. ----

/** One line of a cell: the Chinese in ink; `sub`, the English beneath, grey and smaller; `mono`, a hash. */
export interface Line {
  text: string;
  sub?: boolean;
  mono?: boolean;
}

export interface Column<R> {
  zh: string;
  en: string;
  width: number;
  cell(row: R, timeZone: string): Line[];
}

const PAD = 3;
const TEXT = 7.5;
const SUB = 6.2;
const HEADING_FILL = '#e8e8e8';
const HEADING_HEIGHT = 26;

/** A table line's face: a hash in the monospace face (registered by the document), else the Chinese font. */
export const cellStyle: LineStyle<Line> = (doc, line) => {
  if (line.mono) return doc.font(MONO).fontSize(TEXT).fillColor(INK);
  return doc.font(CJK).fontSize(line.sub ? SUB : TEXT).fillColor(line.sub ? GREY : INK);
};

/** "涉法涉诉 / Litigation" (a CSV's label) as the Chinese over the English. */
export function twoLines(label: string): Line[] {
  const [zh, en] = label.split(' / ');
  return en === undefined ? [{ text: label }] : [{ text: zh! }, { text: en, sub: true }];
}

/** Words as a cell: once when the two languages say it alike. */
export const wordLines = (w: Words): Line[] => (w.zh === w.en ? [{ text: w.zh }] : [{ text: w.zh }, { text: w.en, sub: true }]);

/** The column headings, Chinese over English, on a grey band; returns the first row's top. */
function columnHeadings<R>(doc: Doc, f: Frame, columns: readonly Column<R>[], y: number): number {
  doc.rect(f.left, y, f.width, HEADING_HEIGHT).fill(HEADING_FILL);
  let x = f.left;
  for (const c of columns) {
    doc.font(CJK).fontSize(8).fillColor(INK).text(c.zh, x + PAD, y + 3, { width: c.width - 2 * PAD, lineBreak: false });
    doc.font(CJK).fontSize(SUB).fillColor(GREY).text(c.en, x + PAD, y + 14.5, { width: c.width - 2 * PAD, lineBreak: false });
    x += c.width;
  }
  doc.moveTo(f.left, y + HEADING_HEIGHT).lineTo(f.right, y + HEADING_HEIGHT).lineWidth(0.8).strokeColor(INK).stroke();
  return y + HEADING_HEIGHT;
}

export interface Table<R> {
  frame: Frame;
  columns: readonly Column<R>[];
  /** In the order printed. */
  rows: readonly R[];
  timeZone: string;
  /** Where page 1's headings go (below its title block). */
  top: number;
  /** Said under the headings when there are no rows. */
  empty: string;
  /** A later page's running heading; returns where its column headings go. */
  pageTop(): number;
}

/** The rows under the headings, ruled; a row that would not fit starts a page with the headings again. */
export function drawTable<R>(doc: Doc, t: Table<R>): void {
  const f = t.frame;
  let y = columnHeadings(doc, f, t.columns, t.top);
  if (t.rows.length === 0) {
    doc.font(CJK).fontSize(9).fillColor(GREY).text(t.empty, f.left + PAD, y + 8, { width: f.width, lineBreak: false });
  }
  for (const r of t.rows) {
    const cells = t.columns.map((c) => c.cell(r, t.timeZone));
    const height = Math.max(...cells.map((lines, i) => linesHeight(doc, lines, t.columns[i]!.width - 2 * PAD, cellStyle))) + 2 * PAD;
    if (y + height > f.bodyBottom) {
      doc.addPage();
      y = columnHeadings(doc, f, t.columns, t.pageTop());
    }
    let x = f.left;
    cells.forEach((lines, i) => {
      drawLines(doc, lines, x + PAD, y + PAD, t.columns[i]!.width - 2 * PAD, cellStyle);
      x += t.columns[i]!.width;
    });
    y += height;
    doc.moveTo(f.left, y).lineTo(f.right, y).lineWidth(0.4).strokeColor(RULE).stroke();
  }
}

/** The date above the time: a time of day in a narrow column without breaking it mid-number. */
export function timeLines(ms: number, timeZone: string): Line[] {
  return formatStationTime(ms, timeZone)
    .split(' ')
    .map((text) => ({ text }));
}

/**
 * A register's date range in words, each language its own: `subject` is what the range bounds
 * ({ zh: '打开时间', en: 'opened' }). A bound past what a calendar can show (the contract takes any
 * safe integer) bounds nothing, and is said as none.
 */
export function rangeWords(range: { from?: number | undefined; to?: number | undefined }, timeZone: string, subject: Words): Words {
  const t = (ms: number) => formatStationTime(ms, timeZone);
  const shown = (ms: number | undefined) => (ms !== undefined && Number.isFinite(new Date(ms).getTime()) ? ms : undefined);
  const from = shown(range.from);
  const to = shown(range.to);
  if (from !== undefined && to !== undefined) return { zh: `${subject.zh}自 ${t(from)} 起，至 ${t(to)} 前`, en: `${subject.en} from ${t(from)} to before ${t(to)}` };
  if (from !== undefined) return { zh: `${subject.zh}自 ${t(from)} 起`, en: `${subject.en} from ${t(from)} on` };
  if (to !== undefined) return { zh: `${subject.zh}在 ${t(to)} 前`, en: `${subject.en} before ${t(to)}` };
  return { zh: '全部日期', en: 'all dates' };
}

// ---- The registers printed (the view register, the export register): one layout for both. ----

export const REGISTER_MARGIN = 36;
/** What stands when a register cannot be printed (its font missing): said in the font error. */
export const REGISTER_STANDS: Words = { zh: '登记本身已保存，可导出为 CSV 或 XLSX。', en: 'The register itself is kept and exports as CSV or XLSX.' };
/** A4 landscape; the rows end 12 pt above the bottom margin, the footer below. */
export const REGISTER_FRAME = a4Frame('landscape', REGISTER_MARGIN, 12);

export interface RegisterPrint<R> {
  /** '查阅登记' / 'View register'. */
  title: Words;
  stationName: string;
  timeZone: string;
  printedAt: number;
  printedBy: string;
  /** The rows' range or filter in words: whole on page 1, on one line at the top of later pages. */
  range: Words;
  /** Page 1's sentence on how many rows there are and in what order. */
  count: Words;
  columns: readonly Column<R>[];
  /** In the order printed. */
  rows: readonly R[];
  /** Said under the headings when there are no rows. */
  empty: string;
  /** Registers the fonts the columns use (the CJK face, a monospace one for hashes). */
  fonts(doc: Doc): void;
}

/** Page 1: title, station, range, when and by whom, how many; returns where the table starts. */
function registerHeading<R>(doc: Doc, o: RegisterPrint<R>): number {
  const f = REGISTER_FRAME;
  let y = titleBlock(doc, f, REGISTER_MARGIN, o.title, { value: o.stationName, size: 12, dy: 2, label: '采集站 / Station' }) + 6;
  // The range on a line of its own (a person's and a clip's filter can make it long); then when and who.
  pair(doc, { zh: `范围：${o.range.zh}`, en: `Range: ${o.range.en}` }, f.left, y, { width: f.width, lineBreak: false });
  y += 26;
  const printed = formatStationTime(o.printedAt, o.timeZone);
  const half = { width: f.width / 2, lineBreak: false };
  pair(doc, { zh: `打印时间：${printed}（${o.timeZone}）`, en: `Printed at: ${printed} (${o.timeZone})` }, f.left, y, half);
  pair(doc, { zh: `打印人：${o.printedBy}`, en: `Printed by: ${o.printedBy}` }, f.left + f.width / 2, y, half);
  y += 26;
  pair(doc, o.count, f.left, y, { width: f.width, lineBreak: false });
  return y + 28;
}

/** Later pages: the document and its range at the top, so a loose page is still known. */
function registerRunningHeading<R>(doc: Doc, o: RegisterPrint<R>): number {
  const f = REGISTER_FRAME;
  doc.font(CJK).fontSize(9).fillColor(INK).text(`${o.title.zh} / ${o.title.en} — ${o.stationName}`, f.left, REGISTER_MARGIN, { width: f.width, lineBreak: false });
  // One line whatever the range: cut with an ellipsis rather than run into the headings (page 1 has it whole).
  doc.font(CJK).fontSize(7).fillColor(GREY).text(`${o.range.zh} / ${o.range.en}`, f.left, REGISTER_MARGIN + 13, { width: f.width, height: 9, ellipsis: true });
  return REGISTER_MARGIN + 26;
}

/**
 * A register as PDF bytes, for the custodian or 综合处 to print, sign and file: the heading, the
 * rows under column headings repeated on every page, "第 i 页 共 n 页" and who printed it when at
 * the foot. The same input gives the same file (dated when printed).
 */
export async function renderRegister<R>(o: RegisterPrint<R>): Promise<Buffer> {
  const f = REGISTER_FRAME;
  const doc = stationPdf({
    layout: 'landscape',
    margin: REGISTER_MARGIN,
    bufferPages: true,
    title: `${o.title.zh} / ${o.title.en} — ${o.stationName}`,
    author: o.printedBy,
    dated: o.printedAt,
  });
  const done = pdfBytes(doc);
  o.fonts(doc);
  drawTable(doc, {
    frame: f,
    columns: o.columns,
    rows: o.rows,
    timeZone: o.timeZone,
    top: registerHeading(doc, o),
    empty: o.empty,
    pageTop: () => registerRunningHeading(doc, o),
  });
  const printed = `${o.stationName}  ${formatStationTime(o.printedAt, o.timeZone)}`;
  footers(doc, f, (p, n) => {
    const page = pageOf(p, n);
    doc.font(CJK).fontSize(8).fillColor(INK).text(`${page.zh} / ${page.en}`, f.left, f.footerY, { width: f.width, align: 'center', lineBreak: false });
    doc.font(CJK).fontSize(6.5).fillColor(GREY).text(printed, f.left, f.footerY + 1, { width: f.width, align: 'right', lineBreak: false });
  });
  doc.end();
  return await done;
}
