// The export register (光盘导出登记, 第二十条) printed, as the view register is: A4 landscape in
// Chinese, English second, for 综合处 to print, sign and file. The station's name, the range of
// creation dates printed, when and by whom; then one row per export, oldest first as a paper
// register is read, with the CSV's columns (register-csv.ts) drawn as cells: each disc's image
// SHA-256 whole, in two monospace halves to compare against the disc. The column headings on
// every page and "第 i 页 共 n 页" at the foot; the station's Chinese font subset into the file.
import { StationError } from '../../../shared/errors.js';
import { formatStationTime } from '../../../shared/time.js';
import type { FontUse } from '../audit/seal-pdf.js';
import { registerCjkFont, resolveSealFont } from '../audit/seal-pdf.js';
import type { Db } from '../db/open.js';
import type { Writer } from '../db/writer.js';
import type { Column, Line } from '../files/pdf.js';
import { CJK, MONO, rangeWords, REGISTER_FRAME, REGISTER_STANDS, renderRegister, timeLines, wordLines } from '../files/pdf.js';
import type { Caller } from '../viewing/service.js';
import type { RegisterDisc, RegisterRange, RegisterRow } from './register-csv.js';
import { renderPdfOffThread } from './pdf.js';
import { registerExported, registerRows, STATES } from './register-csv.js';
import { registerMonoFont } from './sheet-pdf.js';

/**
 * A printout holds at most this many exports (some 85 pages). The PDF is laid out on the core's
 * one thread, and an export's row is taller than a view's (its clips and its discs' hashes): here
 * 500 rows took 2.4 s, 0.8 s of it the font, about what 2,000 views take. A longer register is
 * printed a date range at a time, or exported as CSV or XLSX.
 */
export const EXPORT_PDF_MAX_ROWS = 500;

const WIDTH = REGISTER_FRAME.width;

const REGISTER: FontUse = { zh: '光盘导出登记', en: 'export register', stands: REGISTER_STANDS };

const NONE: Line[] = [{ text: '—' }];
const time = (ms: number | null, tz: string): Line[] => (ms === null ? NONE : timeLines(ms, tz));
const grouped = (n: number): string => n.toLocaleString('en-US');

/** Clip ids with their runs joined (`4–9 12 15–17`): a case's clips are mostly consecutive, and a row stays short. */
export function idRuns(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${ids[i]}–${ids[j]}` : ids.slice(i, j + 1).join(' '));
    i = j + 1;
  }
  return parts.join(' ');
}

/** A disc: its number and volume, the image's SHA-256 in two halves of 32, when it was read back. */
function discLines(x: RegisterDisc, tz: string): Line[] {
  const head: Line = { text: `${x.disc}: ${x.volumeId}` };
  if (x.imageSha256 === null) return [head, { text: '映像未制作 / no image yet', sub: true }];
  const sha: Line[] = [
    { text: x.imageSha256.slice(0, 32), mono: true },
    { text: x.imageSha256.slice(32), mono: true },
  ];
  const verified: Line[] = x.verifiedAt === null ? [] : [{ text: `读回校验 / verified ${formatStationTime(x.verifiedAt, tz)}`, sub: true }];
  return [head, ...sha, ...verified];
}

// The widths add up to the page's; the discs take what is left (138), a hash's half needs about 126.
const COLUMNS: Column<RegisterRow>[] = [
  { zh: '导出编号', en: 'Export', width: 58, cell: (r) => [{ text: r.exportNo }, ...wordLines(STATES[r.state])] },
  { zh: '案件编号、案由', en: 'Case no., cause', width: 92, cell: (r) => (r.caseNo === null ? [{ text: '无案件' }, { text: 'no case', sub: true }] : [{ text: r.caseNo }, ...(r.caseCause ? [{ text: r.caseCause }] : [])]) },
  {
    zh: '录像段数、字节、编号',
    en: 'Clips, bytes, ids',
    width: 92,
    cell: (r) => [{ text: `${r.clips} 段` }, { text: `${grouped(r.bytes)} 字节` }, { text: idRuns(r.clipIds), sub: true }],
  },
  { zh: '制作人', en: 'Made by', width: 66, cell: (r) => [{ text: r.maker }] },
  { zh: '提取人', en: 'Taken by', width: 92, cell: (r) => [{ text: r.recipient }] },
  { zh: '提取时间', en: 'Extracted at', width: 54, cell: (r, tz) => time(r.extractedAt, tz) },
  { zh: '交付时间', en: 'Handed over', width: 54, cell: (r, tz) => time(r.handedOverAt, tz) },
  { zh: '批准人、时间', en: 'Approved by, at', width: 70, cell: (r, tz) => (r.approvedBy === null ? NONE : [{ text: r.approvedBy }, ...time(r.approvedAt, tz)]) },
  { zh: '创建时间', en: 'Created at', width: 54, cell: (r, tz) => timeLines(r.createdAt, tz) },
  {
    zh: '光盘（卷标、SHA-256、校验）',
    en: 'Discs (volume, image SHA-256, verified)',
    width: WIDTH - 632,
    cell: (r, tz) => (r.discs.length === 0 ? NONE : r.discs.flatMap((x) => discLines(x, tz))),
  },
];

export interface ExportRegisterPdfOptions {
  timeZone: string;
  stationName: string;
  /** The range the rows were chosen by, said on every page. */
  range: RegisterRange;
  printedAt: number;
  printedBy: string;
  font: { file?: string; face?: string };
}

/** The register as PDF bytes, from its rows newest first (as registerRows reads them); the same input gives the same file. */
export async function renderExportRegisterPdf(rows: readonly RegisterRow[], o: ExportRegisterPdfOptions): Promise<Buffer> {
  if (rows.length > EXPORT_PDF_MAX_ROWS) {
    throw new StationError(
      'invalid_state',
      `打印的光盘导出登记最多 ${EXPORT_PDF_MAX_ROWS} 件，此范围更多：请缩小日期范围，或导出为 CSV / XLSX。 / A printed export register holds at most ${EXPORT_PDF_MAX_ROWS} exports and this range has more: choose a shorter date range, or export as CSV or XLSX.`,
      { max: EXPORT_PDF_MAX_ROWS },
    );
  }
  // The font first: a missing one is said before a document is begun.
  resolveSealFont(o.font, REGISTER);
  const n = rows.length;
  return await renderRegister({
    ...o,
    title: { zh: REGISTER.zh, en: 'Export register' },
    range: rangeWords(o.range, o.timeZone, { zh: '创建时间', en: 'created' }),
    count: {
      zh: `共 ${n} 件，按创建时间先后排列；本登记由采集站自动记录，不得手工填写。映像 SHA-256 可与光盘映像逐位核对。`,
      en: `${n} export(s), oldest first; written by the station as each export happened, never typed. Each image SHA-256 can be checked against its disc image.`,
    },
    columns: COLUMNS,
    // Oldest first: the order the exports happened in, as a register book is written.
    rows: [...rows].reverse(),
    empty: '此范围内没有光盘导出。 / No exports in this range.',
    fonts: (doc) => {
      registerCjkFont(doc, CJK, o.font, REGISTER);
      // The hashes in the font's monospace face, so two compare column by column.
      registerMonoFont(doc, MONO, o.font, REGISTER);
    },
  });
}

/** The print call: the rows in the range, the PDF, then its audit row (only once the file is made). */
export async function exportRegisterPdf(
  d: { db: Db; writer: Writer; timeZone: string; stationName: string; font: { file?: string; face?: string } },
  c: Caller,
  range: RegisterRange,
  printedAt: number,
): Promise<{ fileName: string; base64: string; rows: number }> {
  // One more than a printout holds: a longer range is refused, not cut.
  const rows = registerRows(d.db, range, EXPORT_PDF_MAX_ROWS + 1);
  // Laid out in the PDF worker: 500 rows are seconds of pdfkit the core's other calls need not wait for.
  const pdf = await renderPdfOffThread({ kind: 'register', rows, options: { timeZone: d.timeZone, stationName: d.stationName, range, printedAt, printedBy: c.actor.label, font: d.font } });
  const stamp = registerExported(d, c, range, rows.length, 'pdf');
  return { fileName: `export-register-${stamp}.pdf`, base64: pdf.toString('base64'), rows: rows.length };
}
