// The view register (查阅登记, 第十八条) printed: A4 landscape in Chinese, English second, for the
// custodian or 综合处 to print, sign and file. The station's name, the range of dates printed,
// when and by whom; then one row per view, oldest first as a paper register is read; the column
// headings on every page and "第 i 页 共 n 页" at the foot. pdfkit with the station's Chinese font
// (the seal sheet's, subset into the file); times in the station's zone, as in the CSV.
import PDFDocument from 'pdfkit';
import { StationError } from '../../../shared/errors.js';
import { formatStationTime } from '../../../shared/time.js';
import type { ViewRegisterEntry } from '../../../shared/viewing.js';
import type { FontUse } from '../audit/seal-pdf.js';
import { registerCjkFont, resolveSealFont } from '../audit/seal-pdf.js';
import { CLOSED, PURPOSES } from './register-csv.js';
import type { Caller, RegisterFilter, ViewingService } from './service.js';

/**
 * A printout holds at most this many rows (about 125 pages). The PDF is laid out on the core's
 * one thread: 10,000 rows took 8 s here, during which playback ranges would wait; 2,000 take
 * under 2 s. A longer register is printed a date range at a time, or exported as CSV or XLSX.
 */
export const PDF_MAX_ROWS = 2_000;

const PAGE = { width: 841.89, height: 595.28 }; // A4 landscape
const MARGIN = 36;
const LEFT = MARGIN;
const RIGHT = PAGE.width - MARGIN;
const WIDTH = RIGHT - LEFT;
/** Rows end above this: below it the footer. */
const BODY_BOTTOM = PAGE.height - MARGIN - 12;
const FOOTER_Y = PAGE.height - MARGIN - 4;
const PAD = 3;
const INK = '#000000';
const GREY = '#555555';
const RULE = '#999999';
const HEADING_FILL = '#e8e8e8';
const CJK = 'cjk';
const TEXT = 7.5;
const SUB = 6.2;

const REGISTER: FontUse = {
  zh: '查阅登记',
  en: 'view register',
  stands: { zh: '登记本身已保存，可导出为 CSV 或 XLSX。', en: 'The register itself is kept and exports as CSV or XLSX.' },
};

type Doc = InstanceType<typeof PDFDocument>;

/** One line of a cell: the Chinese in ink, the English beneath in grey and smaller. */
interface Line {
  text: string;
  sub?: boolean;
}

interface Column {
  zh: string;
  en: string;
  width: number;
  cell(e: ViewRegisterEntry, timeZone: string): Line[];
}

/** "涉法涉诉 / Litigation" (the CSV's label) as two lines. */
const twoLines = (label: string): Line[] => {
  const [zh, en] = label.split(' / ');
  return en === undefined ? [{ text: label }] : [{ text: zh! }, { text: en, sub: true }];
};

/** The date above the time: a time of day in a narrow column without breaking it mid-number. */
const when = (ms: number, timeZone: string): Line[] => {
  const [date, time] = formatStationTime(ms, timeZone).split(' ');
  return [{ text: date! }, { text: time! }];
};

/** How long a view lasted, as H:MM:SS (the same in both languages). */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
}

const COLUMNS: Column[] = [
  { zh: '查阅人（警号）', en: 'Viewer (badge)', width: 78, cell: (e) => [{ text: e.viewer.name }, { text: `（${e.viewer.badge}）` }] },
  { zh: '查阅事由', en: 'Reason', width: 190, cell: (e) => [{ text: e.reason }] },
  { zh: '目的', en: 'Purpose', width: 62, cell: (e) => (e.purpose ? twoLines(PURPOSES[e.purpose]) : [{ text: '—' }]) },
  { zh: '录像编号', en: 'Clip', width: 44, cell: (e) => [{ text: String(e.clipId) }] },
  { zh: '批准人', en: 'Approver', width: 78, cell: (e) => [{ text: e.approver ?? '—' }] },
  {
    zh: '授权号',
    en: 'Grant',
    width: 48,
    cell: (e) => (e.grantId === null ? [{ text: '本人录像' }, { text: 'own footage', sub: true }] : [{ text: String(e.grantId) }]),
  },
  { zh: '打开时间', en: 'Opened', width: 64, cell: (e, tz) => when(e.openedAt, tz) },
  {
    zh: '关闭时间',
    en: 'Closed',
    width: 64,
    cell: (e, tz) => (e.closedAt === null ? [{ text: '未结束' }, { text: 'still open', sub: true }] : when(e.closedAt, tz)),
  },
  { zh: '时长', en: 'Duration', width: 50, cell: (e) => [{ text: e.closedAt === null ? '—' : duration(e.closedAt - e.openedAt) }] },
  { zh: '结束原因', en: 'Ended because', width: WIDTH - 678, cell: (e) => (e.closedBecause ? twoLines(CLOSED[e.closedBecause]) : [{ text: '—' }]) },
];

function fontFor(doc: Doc, line: Line): Doc {
  return doc.font(CJK).fontSize(line.sub ? SUB : TEXT).fillColor(line.sub ? GREY : INK);
}

function linesHeight(doc: Doc, lines: Line[], width: number): number {
  return lines.reduce((h, l) => h + fontFor(doc, l).heightOfString(l.text, { width }), 0);
}

function drawLines(doc: Doc, lines: Line[], x: number, y: number, width: number): void {
  let yy = y;
  for (const l of lines) {
    fontFor(doc, l).text(l.text, x, yy, { width });
    yy += doc.heightOfString(l.text, { width });
  }
}

export interface RegisterPdfOptions {
  timeZone: string;
  stationName: string;
  /** The filter the rows were chosen by, said on the first page. */
  filter: Omit<RegisterFilter, 'beforeId' | 'limit'>;
  printedAt: number;
  printedBy: string;
  font: { file?: string; face?: string };
}

/** The filter in words, each language its own line. */
function filterWords(entries: readonly ViewRegisterEntry[], o: RegisterPdfOptions): { zh: string; en: string } {
  const t = (ms: number) => formatStationTime(ms, o.timeZone);
  const { personId, clipId } = o.filter;
  // A bound past what a calendar can show (the contract takes any safe integer) bounds nothing: said as none.
  const shown = (ms: number | undefined) => (ms !== undefined && Number.isFinite(new Date(ms).getTime()) ? ms : undefined);
  const from = shown(o.filter.from);
  const to = shown(o.filter.to);
  const zh: string[] = [];
  const en: string[] = [];
  if (from !== undefined && to !== undefined) {
    zh.push(`打开时间自 ${t(from)} 起，至 ${t(to)} 前`);
    en.push(`opened from ${t(from)} to before ${t(to)}`);
  } else if (from !== undefined) {
    zh.push(`打开时间自 ${t(from)} 起`);
    en.push(`opened from ${t(from)} on`);
  } else if (to !== undefined) {
    zh.push(`打开时间在 ${t(to)} 前`);
    en.push(`opened before ${t(to)}`);
  } else {
    zh.push('全部日期');
    en.push('all dates');
  }
  if (personId !== undefined) {
    const v = entries.find((e) => e.viewer.id === personId)?.viewer;
    zh.push(`查阅人：${v ? `${v.name}（${v.badge}）` : `人员 ${personId}`}`);
    en.push(`viewer: ${v ? `${v.name} (${v.badge})` : `person ${personId}`}`);
  }
  if (clipId !== undefined) {
    zh.push(`录像：${clipId}`);
    en.push(`clip ${clipId}`);
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

/** The first page's heading: title, station, range, when and by whom; returns where the table starts. */
function firstHeading(doc: Doc, entries: readonly ViewRegisterEntry[], o: RegisterPdfOptions): number {
  doc.font(CJK).fontSize(20).fillColor(INK).text('查阅登记', LEFT, MARGIN, { lineBreak: false });
  doc.font(CJK).fontSize(10).fillColor(GREY).text('View register', LEFT, MARGIN + 28, { lineBreak: false });
  doc.font(CJK).fontSize(12).fillColor(INK).text(o.stationName, LEFT, MARGIN + 2, { width: WIDTH, align: 'right', lineBreak: false });
  doc.font(CJK).fontSize(8).fillColor(GREY).text('采集站 / Station', LEFT, MARGIN + 22, { width: WIDTH, align: 'right', lineBreak: false });
  let y = MARGIN + 46;
  doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(1).strokeColor(INK).stroke();
  y += 6;
  const range = filterWords(entries, o);
  const field = (zh: string, en: string, valueZh: string, valueEn: string, x: number, width: number) => {
    doc.font(CJK).fontSize(8.5).fillColor(INK).text(`${zh}：${valueZh}`, x, y, { width, lineBreak: false });
    doc.font(CJK).fontSize(7).fillColor(GREY).text(`${en}: ${valueEn}`, x, y + 12, { width, lineBreak: false });
  };
  // The range on a line of its own (a person's and a clip's filter can make it long); then when and who.
  field('范围', 'Range', range.zh, range.en, LEFT, WIDTH);
  y += 26;
  const printed = formatStationTime(o.printedAt, o.timeZone);
  field('打印时间', 'Printed at', `${printed}（${o.timeZone}）`, `${printed} (${o.timeZone})`, LEFT, WIDTH / 2);
  field('打印人', 'Printed by', o.printedBy, o.printedBy, LEFT + WIDTH / 2, WIDTH / 2);
  y += 26;
  doc.font(CJK).fontSize(8.5).fillColor(INK).text(`共 ${entries.length} 条，按打开时间先后排列；本登记由采集站自动记录，不得手工填写。`, LEFT, y, { width: WIDTH, lineBreak: false });
  doc.font(CJK).fontSize(7).fillColor(GREY).text(`${entries.length} view(s), oldest first; written by the station as each view happened, never typed.`, LEFT, y + 12, { width: WIDTH, lineBreak: false });
  return y + 28;
}

/** Later pages: the document and its range at the top, so a loose page is still known. */
function runningHeading(doc: Doc, entries: readonly ViewRegisterEntry[], o: RegisterPdfOptions): number {
  const range = filterWords(entries, o);
  doc.font(CJK).fontSize(9).fillColor(INK).text(`查阅登记 / View register — ${o.stationName}`, LEFT, MARGIN, { width: WIDTH, lineBreak: false });
  // One line whatever the filter: cut with an ellipsis rather than run into the headings (page 1 has it whole).
  doc.font(CJK).fontSize(7).fillColor(GREY).text(`${range.zh} / ${range.en}`, LEFT, MARGIN + 13, { width: WIDTH, height: 9, ellipsis: true });
  return MARGIN + 26;
}

/** The column headings, Chinese over English, on a grey band; returns the first row's top. */
function columnHeadings(doc: Doc, y: number): number {
  const h = 26;
  doc.rect(LEFT, y, WIDTH, h).fill(HEADING_FILL);
  let x = LEFT;
  for (const c of COLUMNS) {
    doc.font(CJK).fontSize(8).fillColor(INK).text(c.zh, x + PAD, y + 3, { width: c.width - 2 * PAD, lineBreak: false });
    doc.font(CJK).fontSize(6.2).fillColor(GREY).text(c.en, x + PAD, y + 14.5, { width: c.width - 2 * PAD, lineBreak: false });
    x += c.width;
  }
  doc.moveTo(LEFT, y + h).lineTo(RIGHT, y + h).lineWidth(0.8).strokeColor(INK).stroke();
  return y + h;
}

function layout(doc: Doc, entries: readonly ViewRegisterEntry[], o: RegisterPdfOptions): void {
  let y = columnHeadings(doc, firstHeading(doc, entries, o));
  // Oldest first: the order the views happened in, as a register book is written.
  const rows = [...entries].sort((a, b) => a.openedAt - b.openedAt || a.id - b.id);
  if (rows.length === 0) {
    doc.font(CJK).fontSize(9).fillColor(GREY).text('此范围内没有查阅记录。 / No views in this range.', LEFT + PAD, y + 8, { width: WIDTH, lineBreak: false });
  }
  for (const e of rows) {
    const cells = COLUMNS.map((c) => c.cell(e, o.timeZone));
    const height = Math.max(...cells.map((lines, i) => linesHeight(doc, lines, COLUMNS[i]!.width - 2 * PAD))) + 2 * PAD;
    if (y + height > BODY_BOTTOM) {
      doc.addPage();
      y = columnHeadings(doc, runningHeading(doc, entries, o));
    }
    let x = LEFT;
    cells.forEach((lines, i) => {
      drawLines(doc, lines, x + PAD, y + PAD, COLUMNS[i]!.width - 2 * PAD);
      x += COLUMNS[i]!.width;
    });
    y += height;
    doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.4).strokeColor(RULE).stroke();
  }
}

/** "第 i 页 共 n 页" on every page, once the number of pages is known. */
function footers(doc: Doc, o: RegisterPdfOptions): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a page for it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(LEFT, FOOTER_Y - 5).lineTo(RIGHT, FOOTER_Y - 5).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font(CJK).fontSize(8).fillColor(INK).text(`第 ${i - start + 1} 页 共 ${count} 页 / Page ${i - start + 1} of ${count}`, LEFT, FOOTER_Y, { width: WIDTH, align: 'center', lineBreak: false });
    doc.font(CJK).fontSize(6.5).fillColor(GREY).text(`${o.stationName}  ${formatStationTime(o.printedAt, o.timeZone)}`, LEFT, FOOTER_Y + 1, { width: WIDTH, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/** The register as PDF bytes; the same rows, filter, time and printer give the same file. */
export async function renderRegisterPdf(entries: readonly ViewRegisterEntry[], o: RegisterPdfOptions): Promise<Buffer> {
  if (entries.length > PDF_MAX_ROWS) {
    throw new StationError(
      'invalid_state',
      `打印的查阅登记最多 ${PDF_MAX_ROWS} 条，此范围有 ${entries.length} 条：请缩小日期范围，或导出为 CSV / XLSX。 / A printed register holds at most ${PDF_MAX_ROWS} rows and this range has ${entries.length}: choose a shorter date range, or export as CSV or XLSX.`,
      { rows: entries.length, max: PDF_MAX_ROWS },
    );
  }
  // The font first: a missing one is said before a document is begun.
  resolveSealFont(o.font, REGISTER);
  const printed = new Date(o.printedAt);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    // Every page kept until the end, to write "共 n 页" on each.
    bufferPages: true,
    info: {
      Title: `查阅登记 / View register — ${o.stationName}`,
      Author: o.printedBy,
      Creator: '执法记录仪证据采集站 / Evidence Station',
      Producer: '执法记录仪证据采集站 / Evidence Station',
      CreationDate: printed,
      ModDate: printed,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerCjkFont(doc, CJK, o.font, REGISTER);
  layout(doc, entries, o);
  footers(doc, o);
  doc.end();
  return await done;
}

/** The print call: the filtered rows, the PDF, then its audit row (only once the file is made). */
export async function exportRegisterPdf(
  service: Pick<ViewingService, 'registerForExport' | 'registerExported'>,
  caller: Caller,
  filter: Omit<RegisterFilter, 'beforeId' | 'limit'>,
  o: Omit<RegisterPdfOptions, 'filter' | 'printedBy'>,
): Promise<{ fileName: string; base64: string; rows: number }> {
  const { entries, stamp } = service.registerForExport(filter);
  const pdf = await renderRegisterPdf(entries, { ...o, filter, printedBy: caller.actor.label });
  service.registerExported(caller, filter, entries.length, 'pdf');
  return { fileName: `view-register-${stamp}.pdf`, base64: pdf.toString('base64'), rows: entries.length };
}
