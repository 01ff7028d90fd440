// The view register (查阅登记) as an Excel workbook: the CSV's columns and headings, one row per
// view, newest first as the CSV and the screen list them. The workbook itself (inline strings,
// never formulas; times as dates on the station's clock; the frozen, filtered heading row) is
// files/xlsx.ts's, shared with the export register.
import type { ViewRegisterEntry } from '../../../shared/viewing.js';
import type { Cell } from '../files/xlsx.js';
import { xlsx } from '../files/xlsx.js';
import { CLOSED, HEADERS, OWN_FOOTAGE, PURPOSES } from './register-csv.js';
import type { Caller, RegisterFilter, ViewingService } from './service.js';

// The cell encoding and the time conversion, read from here before they were the workbook's own.
export { cellText, excelTime } from '../files/xlsx.js';

/** The column widths in characters, the CSV's order; the reason wraps in its wider column. */
const WIDTHS = [8, 12, 10, 10, 14, 40, 22, 18, 20, 20, 12, 22, 14];
const REASON_COLUMN = 5;

function entryCells(e: ViewRegisterEntry): Cell[] {
  return [
    { number: e.id },
    { text: e.viewer.name },
    { text: e.viewer.badge },
    { number: e.clipId },
    e.grantId === null ? { text: OWN_FOOTAGE } : { number: e.grantId },
    { text: e.reason },
    e.purpose ? { text: PURPOSES[e.purpose] } : null,
    e.approver === null ? null : { text: e.approver },
    { time: e.openedAt },
    e.closedAt === null ? null : { time: e.closedAt },
    e.closedAt === null ? null : { number: Math.round((e.closedAt - e.openedAt) / 1000) },
    e.closedBecause ? { text: CLOSED[e.closedBecause] } : null,
    { number: e.bytesServed },
  ];
}


export interface RegisterXlsxOptions {
  timeZone: string;
  stationName: string;
  /** When and by whom it was exported: the workbook's properties. */
  printedAt: number;
  printedBy: string;
}

/** The register as .xlsx bytes, newest first as the CSV and the screen list it. */
export function registerXlsx(entries: readonly ViewRegisterEntry[], o: RegisterXlsxOptions): Buffer {
  return xlsx({
    name: '查阅登记',
    headings: HEADERS,
    widths: WIDTHS,
    wrapped: [REASON_COLUMN],
    rows: entries.map(entryCells),
    timeZone: o.timeZone,
    title: `查阅登记 / View register — ${o.stationName}`,
    creator: o.printedBy,
    createdAt: o.printedAt,
  });
}

/** The export call: the filtered rows, the workbook, then its audit row (only once the file is made). */
export function exportRegisterXlsx(
  service: Pick<ViewingService, 'registerForExport' | 'registerExported'>,
  caller: Caller,
  filter: Omit<RegisterFilter, 'beforeId' | 'limit'>,
  o: Omit<RegisterXlsxOptions, 'printedBy'>,
): { fileName: string; base64: string; rows: number } {
  const { entries, stamp } = service.registerForExport(filter);
  const xlsx = registerXlsx(entries, { ...o, printedBy: caller.actor.label });
  service.registerExported(caller, filter, entries.length, 'xlsx');
  return { fileName: `view-register-${stamp}.xlsx`, base64: xlsx.toString('base64'), rows: entries.length };
}
