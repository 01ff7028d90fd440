// The export register (光盘导出登记, 第二十条) as an Excel workbook: the CSV's columns and cells
// (register-csv.ts), except that counts and bytes are numbers and times are date cells on the
// station's clock, so they sort and filter. The workbook itself is files/xlsx.ts's: every text an
// inline string, never a formula, whatever a recipient's name or a case's cause starts with.
import type { Cell } from '../files/xlsx.js';
import { xlsx } from '../files/xlsx.js';
import type { Db } from '../db/open.js';
import type { Writer } from '../db/writer.js';
import type { Caller } from '../viewing/service.js';
import type { RegisterRange, RegisterRow } from './register-csv.js';
import { discText, EXPORT_CSV_MAX_ROWS, HEADERS, registerExported, registerRows, STATES } from './register-csv.js';

/** The column widths in characters, the CSV's order; the recipient and the discs wrap in theirs. */
const WIDTHS = [12, 10, 24, 20, 8, 20, 16, 18, 30, 20, 20, 18, 20, 60, 20];
const WRAPPED = [3, 5, 8, 13];

const text = (s: string | null): Cell => (s === null || s === '' ? null : { text: s });
const time = (ms: number | null): Cell => (ms === null ? null : { time: ms });

function rowCells(r: RegisterRow, timeZone: string): Cell[] {
  return [
    { text: r.exportNo },
    { text: STATES[r.state].zh },
    text(r.caseNo),
    text(r.caseCause),
    { number: r.clips },
    text(r.clipIds.join(' ')),
    { number: r.bytes },
    { text: r.maker },
    { text: r.recipient },
    time(r.extractedAt),
    time(r.handedOverAt),
    text(r.approvedBy),
    time(r.approvedAt),
    // One disc a line within the cell (the CSV puts "; " between them).
    text(r.discs.map((x) => discText(x, timeZone)).join('\n')),
    { time: r.createdAt },
  ];
}

export interface ExportRegisterXlsxOptions {
  timeZone: string;
  stationName: string;
  /** When and by whom it was exported: the workbook's properties. */
  printedAt: number;
  printedBy: string;
}

/** The register as .xlsx bytes, newest first as the CSV and the screen list it. */
export function exportRegisterWorkbook(rows: readonly RegisterRow[], o: ExportRegisterXlsxOptions): Buffer {
  return xlsx({
    name: '光盘导出登记',
    headings: HEADERS,
    widths: WIDTHS,
    wrapped: WRAPPED,
    rows: rows.map((r) => rowCells(r, o.timeZone)),
    timeZone: o.timeZone,
    title: `光盘导出登记 / Export register — ${o.stationName}`,
    creator: o.printedBy,
    createdAt: o.printedAt,
  });
}

/** The export call: the rows in the range (at most the CSV's), the workbook, then its audit row. */
export function exportRegisterXlsx(
  d: { db: Db; writer: Writer; timeZone: string; stationName: string },
  c: Caller,
  range: RegisterRange,
  printedAt: number,
): { fileName: string; base64: string; rows: number } {
  const rows = registerRows(d.db, range, EXPORT_CSV_MAX_ROWS);
  const book = exportRegisterWorkbook(rows, { timeZone: d.timeZone, stationName: d.stationName, printedAt, printedBy: c.actor.label });
  const stamp = registerExported(d, c, range, rows.length, 'xlsx');
  return { fileName: `export-register-${stamp}.xlsx`, base64: book.toString('base64'), rows: rows.length };
}
