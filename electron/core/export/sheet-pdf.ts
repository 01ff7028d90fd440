// 说明.pdf: the description sheet of an evidence disc (第十七条), A4 portrait, to print, sign and
// put in the case file with the disc. The content is sheet.ts's (the same as 说明.txt): the
// table of who, when and for what; what the files are and how to check them; every file with its
// hashes; the two signature lines. Each page says which export and which disc it belongs to and
// "第 p 页 共 n 页", so a loose page is known; a reprint says 补打 on every page.
//
// pdfkit with the station's Chinese font (the seal sheet's, subset into the file). The same input
// gives the same bytes: the document's dates (and so pdfkit's file ID) are the extraction's, or
// the reprint's.
import { formatStationTime } from '../../../shared/time.js';
import type { FontUse } from '../audit/seal-pdf.js';
import { registerCjkFont, resolveSealFont } from '../audit/seal-pdf.js';
import type { Doc, LineStyle } from '../files/pdf.js';
import { a4Frame, CJK, drawLines, footers, GREY, INK, linesHeight, MONO, pageOf, pdfBytes, RULE, stationPdf, titleBlock } from '../files/pdf.js';
import type { SheetField, SheetInput, Words } from './sheet.js';
import { DATE, fileFields, FILES_HEADING, filesNote, originalsParagraph, REPRINT, reprintWords, sheetFields, SIGNATURES, TITLE } from './sheet.js';

const MARGIN = 42;
const F = a4Frame('portrait', MARGIN, 14);
const { left: LEFT, right: RIGHT, width: WIDTH, bodyBottom: BODY_BOTTOM } = F;
const BAND = '#eeeeee';

const SHEET: FontUse = {
  zh: '提取说明',
  en: 'description sheet',
  stands: { zh: '导出的文件和 说明.txt 不受影响。', en: 'The exported files and 说明.txt are not affected.' },
};

/**
 * The monospace face a Chinese font collection holds beside its proportional one. Not pdfkit's
 * Courier: a standard font is not embedded, and every font on an evidence sheet is, so the
 * sheet prints the same on any reader.
 */
const MONO_SIBLINGS: Readonly<Record<string, string>> = {
  'NotoSansCJKsc-Regular': 'NotoSansMonoCJKsc-Regular',
  SimSun: 'NSimSun',
};

/**
 * Registers `name` as the monospace face of the station's Chinese font, or as that font itself
 * when it has none (hex digits still read, only not in columns). Call after registerCjkFont.
 */
export function registerMonoFont(doc: Doc, name: string, configured: { file?: string; face?: string }, use: FontUse): void {
  const font = resolveSealFont(configured, use);
  const sibling = font.face ? MONO_SIBLINGS[font.face] : undefined;
  if (sibling) {
    try {
      doc.registerFont(name, font.file, sibling);
      return;
    } catch {
      // A collection without that face: the proportional one below.
    }
  }
  doc.registerFont(name, font.file, font.face);
}

/** Where a table's label column ends and its values begin. */
interface Grid {
  labelWidth: number;
  size: number;
}

const HEAD_GRID: Grid = { labelWidth: 104, size: 10 };
const FILE_GRID: Grid = { labelWidth: 76, size: 7.8 };
const PAD = 2.5;

/** One drawn piece of a value: its text, face, size and colour. */
interface Piece {
  text: string;
  font: string;
  size: number;
  color: string;
}

function pieces(f: SheetField, g: Grid): Piece[] {
  const main: Piece = { text: f.value, font: f.hex ? MONO : CJK, size: f.hex ? g.size - 0.5 : g.size, color: INK };
  return f.valueEn === undefined ? [main] : [main, { text: f.valueEn, font: CJK, size: Math.max(6, g.size - 2.5), color: GREY }];
}

function labelPieces(f: SheetField, g: Grid): Piece[] {
  const zh: Piece = { text: f.zh, font: CJK, size: g.size - 1, color: INK };
  // A hash's heading is the same in both languages: said once.
  return f.zh === f.en ? [zh] : [zh, { text: f.en, font: CJK, size: Math.max(5.8, g.size - 3), color: GREY }];
}

const use: LineStyle<Piece> = (doc, p) => doc.font(p.font).fontSize(p.size).fillColor(p.color);

const piecesHeight = (doc: Doc, ps: Piece[], width: number): number => linesHeight(doc, ps, width, use);

const drawPieces = (doc: Doc, ps: Piece[], x: number, y: number, width: number): void => drawLines(doc, ps, x, y, width, use);

/** A cell of a table: where it starts and how wide it is (its label column included). */
interface Cell {
  x: number;
  width: number;
}

const WHOLE: Cell = { x: LEFT, width: WIDTH };

function rowHeight(doc: Doc, f: SheetField, g: Grid, c: Cell = WHOLE): number {
  const valueWidth = c.width - g.labelWidth - 2 * PAD;
  return Math.max(piecesHeight(doc, labelPieces(f, g), g.labelWidth - 2 * PAD), piecesHeight(doc, pieces(f, g), valueWidth)) + 2 * PAD;
}

/** One field: its label on the left of the cell, the value on the right. */
function drawRow(doc: Doc, f: SheetField, g: Grid, y: number, c: Cell = WHOLE): void {
  drawPieces(doc, labelPieces(f, g), c.x + PAD, y + PAD, g.labelWidth - 2 * PAD);
  drawPieces(doc, pieces(f, g), c.x + g.labelWidth + PAD, y + PAD, c.width - g.labelWidth - 2 * PAD);
}

/** A file's fields as lines of the block: two short fields share a line, halves of the width. */
function fileLines(fields: SheetField[]): SheetField[][] {
  const lines: SheetField[][] = [];
  for (const f of fields) {
    const last = lines.at(-1);
    if (f.short && last?.length === 1 && last[0]!.short) last.push(f);
    else lines.push([f]);
  }
  return lines;
}

const halves = (): Cell[] => [
  { x: LEFT, width: WIDTH / 2 },
  { x: LEFT + WIDTH / 2, width: WIDTH / 2 },
];

function lineHeight(doc: Doc, line: SheetField[]): number {
  if (line.length === 1) return rowHeight(doc, line[0]!, FILE_GRID);
  const cells = halves();
  return Math.max(...line.map((f, i) => rowHeight(doc, f, FILE_GRID, cells[i])));
}

/** Draws one line of a file block; returns its bottom. */
function drawLine(doc: Doc, line: SheetField[], y: number): number {
  const h = lineHeight(doc, line);
  if (line.length === 1) drawRow(doc, line[0]!, FILE_GRID, y);
  else line.forEach((f, i) => drawRow(doc, f, FILE_GRID, y, halves()[i]));
  return y + h;
}

/** The bottom of a page's header: the reprint band, if any, then the running title on later pages. */
function pageTop(doc: Doc, input: SheetInput, first: boolean): number {
  let y = MARGIN;
  if (input.reprint) {
    // Plain and boxed at the top of every page: a reprint must never pass for the sheet signed at the time.
    const r = reprintWords(input.reprint, input.timeZone);
    doc.rect(LEFT, y, WIDTH, 26).lineWidth(1.2).strokeColor(INK).stroke();
    doc.font(CJK).fontSize(14).fillColor(INK).text(`${REPRINT.zh} ${REPRINT.en}`, LEFT + 8, y + 5, { lineBreak: false });
    doc.font(CJK).fontSize(8).fillColor(INK).text(r.zh, LEFT + 120, y + 3, { width: WIDTH - 128, height: 10, ellipsis: true });
    doc.font(CJK).fontSize(6.8).fillColor(GREY).text(r.en, LEFT + 120, y + 14, { width: WIDTH - 128, height: 9, ellipsis: true });
    y += 34;
  }
  if (!first) {
    doc.font(CJK).fontSize(9).fillColor(INK).text(`${TITLE.zh} / ${TITLE.en}`, LEFT, y, { width: WIDTH, height: 11, ellipsis: true });
    doc.moveTo(LEFT, y + 14).lineTo(RIGHT, y + 14).lineWidth(0.6).strokeColor(INK).stroke();
    y += 20;
  }
  return y;
}

/** A fresh page with its header; returns where its body starts. */
function newPage(doc: Doc, input: SheetInput): number {
  doc.addPage();
  return pageTop(doc, input, false);
}

/** Page 1's title, the export number on the right; returns where the table starts. */
function title(doc: Doc, input: SheetInput, y: number): number {
  return titleBlock(doc, F, y, TITLE, { value: input.exportNo, size: 11, dy: 4, label: '导出编号 / Export no.' }) + 4;
}

/** A paragraph in Chinese with the English beneath, across the page; returns its bottom. */
function paragraph(doc: Doc, w: Words, y: number, size: number): number {
  doc.font(CJK).fontSize(size).fillColor(INK).text(w.zh, LEFT, y, { width: WIDTH, lineGap: 1.5 });
  let yy = y + doc.heightOfString(w.zh, { width: WIDTH, lineGap: 1.5 }) + 2;
  doc.font(CJK).fontSize(size - 1.5).fillColor(GREY).text(w.en, LEFT, yy, { width: WIDTH, lineGap: 1 });
  yy += doc.heightOfString(w.en, { width: WIDTH, lineGap: 1 });
  return yy;
}

function paragraphHeight(doc: Doc, w: Words, size: number): number {
  const zh = doc.font(CJK).fontSize(size).heightOfString(w.zh, { width: WIDTH, lineGap: 1.5 });
  return zh + 2 + doc.font(CJK).fontSize(size - 1.5).heightOfString(w.en, { width: WIDTH, lineGap: 1 });
}

/** The header table: rows ruled, the labels on a grey band. */
function headTable(doc: Doc, input: SheetInput, y: number): number {
  let yy = y;
  for (const f of sheetFields(input)) {
    const h = rowHeight(doc, f, HEAD_GRID);
    doc.rect(LEFT, yy, HEAD_GRID.labelWidth, h).fill(BAND);
    drawRow(doc, f, HEAD_GRID, yy);
    yy += h;
    doc.moveTo(LEFT, yy).lineTo(RIGHT, yy).lineWidth(0.4).strokeColor(RULE).stroke();
  }
  return yy;
}

/** One file's block: its number and disc path on a band, then its lines. */
function pathBand(doc: Doc, pathLine: string): number {
  return doc.font(CJK).fontSize(8.5).heightOfString(pathLine, { width: WIDTH - 2 * PAD }) + 2 * PAD;
}

function fileBlockHeight(doc: Doc, pathLine: string, fields: SheetField[]): number {
  return pathBand(doc, pathLine) + fileLines(fields).reduce((h, l) => h + lineHeight(doc, l), 0) + 6;
}

function drawFileBlock(doc: Doc, pathLine: string, fields: SheetField[], y: number): number {
  const band = pathBand(doc, pathLine);
  doc.rect(LEFT, y, WIDTH, band).fill(BAND);
  doc.font(CJK).fontSize(8.5).fillColor(INK).text(pathLine, LEFT + PAD, y + PAD, { width: WIDTH - 2 * PAD });
  let yy = y + band;
  for (const line of fileLines(fields)) yy = drawLine(doc, line, yy);
  doc.moveTo(LEFT, yy + 2).lineTo(RIGHT, yy + 2).lineWidth(0.4).strokeColor(RULE).stroke();
  return yy + 6;
}

/** The list of files, a page started wherever the next one would not fit whole. */
function fileList(doc: Doc, input: SheetInput, y: number): number {
  const heading = `${FILES_HEADING.zh} / ${FILES_HEADING.en}（${input.files.length}）`;
  const note = filesNote(input);
  let yy = y;
  if (yy + 60 > BODY_BOTTOM) yy = newPage(doc, input);
  doc.font(CJK).fontSize(12).fillColor(INK).text(heading, LEFT, yy, { width: WIDTH, lineBreak: false });
  doc.font(CJK).fontSize(7.5).fillColor(GREY).text(`${note.zh} ${note.en}`, LEFT, yy + 17, { width: WIDTH, lineBreak: false });
  yy += 30;
  input.files.forEach((f, i) => {
    const pathLine = `${i + 1}.  ${f.discPath}`;
    const fields = fileFields(f, input.timeZone);
    if (yy + fileBlockHeight(doc, pathLine, fields) > BODY_BOTTOM) yy = newPage(doc, input);
    yy = drawFileBlock(doc, pathLine, fields, yy);
  });
  return yy;
}

const SIGNATURE_HEIGHT = 96;

/** 制作人 and 提取人 sign and date, each above their name; kept whole on one page. */
function signatures(doc: Doc, input: SheetInput, y: number): void {
  let yy = y + 14;
  if (yy + SIGNATURE_HEIGHT > BODY_BOTTOM) yy = newPage(doc, input) + 10;
  const names = [input.maker, input.recipient];
  SIGNATURES.forEach((s, i) => {
    const line = yy + 20;
    doc.font(CJK).fontSize(10).fillColor(INK).text(s.zh, LEFT, yy + 6, { lineBreak: false });
    doc.font(CJK).fontSize(7).fillColor(GREY).text(s.en, LEFT, yy + 22, { lineBreak: false });
    doc.moveTo(LEFT + 100, line).lineTo(LEFT + 330, line).lineWidth(0.6).strokeColor(INK).stroke();
    doc.font(CJK).fontSize(6.8).fillColor(GREY).text(names[i]!, LEFT + 100, line + 3, { width: 230, height: 9, ellipsis: true });
    doc.font(CJK).fontSize(10).fillColor(INK).text(DATE.zh, LEFT + 350, yy + 6, { lineBreak: false });
    doc.font(CJK).fontSize(7).fillColor(GREY).text(DATE.en, LEFT + 350, yy + 22, { lineBreak: false });
    doc.moveTo(LEFT + 385, line).lineTo(RIGHT, line).lineWidth(0.6).strokeColor(INK).stroke();
    yy += 44;
  });
}

function layout(doc: Doc, input: SheetInput): void {
  let y = headTable(doc, input, title(doc, input, pageTop(doc, input, true)));
  const p = originalsParagraph(input);
  y += 10;
  if (y + paragraphHeight(doc, p, 9) > BODY_BOTTOM) y = newPage(doc, input);
  y = paragraph(doc, p, y, 9) + 14;
  y = fileList(doc, input, y);
  signatures(doc, input, y);
}

/** Export no., disc, "第 p 页 共 n 页" at the foot of every page, Chinese over English. */
function pageFooters(doc: Doc, input: SheetInput): void {
  const y = F.footerY;
  footers(doc, F, (p, n) => {
    const page = pageOf(p, n);
    doc.font(CJK).fontSize(7.5).fillColor(INK).text(`导出编号 ${input.exportNo}  第 ${input.disc} 张光盘（共 ${input.discs} 张）`, LEFT, y, { width: WIDTH / 2, lineBreak: false });
    doc.font(CJK).fontSize(7.5).fillColor(INK).text(page.zh, LEFT, y, { width: WIDTH, align: 'right', lineBreak: false });
    doc.font(CJK).fontSize(6.2).fillColor(GREY).text(`Export ${input.exportNo}, disc ${input.disc} of ${input.discs}`, LEFT, y + 10, { width: WIDTH / 2, lineBreak: false });
    doc.font(CJK).fontSize(6.2).fillColor(GREY).text(page.en, LEFT, y + 10, { width: WIDTH, align: 'right', lineBreak: false });
  });
}

/** 说明.pdf as bytes; the same input gives the same file. */
export async function renderSheetPdf(input: SheetInput, o: { font: { file?: string; face?: string } }): Promise<Buffer> {
  // The font first: a missing one is said before a document is begun.
  resolveSealFont(o.font, SHEET);
  const doc = stationPdf({
    margin: MARGIN,
    bufferPages: true,
    title: `${TITLE.zh} / ${TITLE.en} — ${input.exportNo} ${input.disc}/${input.discs}`,
    author: input.maker,
    subject: `${input.stationName} ${formatStationTime(input.extractedAt, input.timeZone)}`,
    // A reprint is dated when it was printed: the same reprint gives the same bytes.
    dated: input.reprint?.at ?? input.extractedAt,
  });
  const done = pdfBytes(doc);
  registerCjkFont(doc, CJK, o.font, SHEET);
  registerMonoFont(doc, MONO, o.font, SHEET);
  layout(doc, input);
  pageFooters(doc, input);
  doc.end();
  return await done;
}
