// The view register (查阅登记, 第十八条) printed: A4 landscape in Chinese, English second, for the
// custodian or 综合处 to print, sign and file. The station's name, the range of dates printed,
// when and by whom; then one row per view, oldest first as a paper register is read; the column
// headings on every page and "第 i 页 共 n 页" at the foot. pdfkit with the station's Chinese font
// (the seal sheet's, subset into the file); times in the station's zone, as in the CSV.
import { StationError } from '../../../shared/errors.js';
import type { ViewRegisterEntry } from '../../../shared/viewing.js';
import type { FontUse } from '../audit/seal-pdf.js';
import { registerCjkFont, resolveSealFont } from '../audit/seal-pdf.js';
import type { Column } from '../files/pdf.js';
import { CJK, rangeWords, REGISTER_FRAME, REGISTER_STANDS, renderRegister, timeLines, twoLines } from '../files/pdf.js';
import { CLOSED, PURPOSES } from './register-csv.js';
import type { Caller, RegisterFilter, ViewingService } from './service.js';

/**
 * A printout holds at most this many rows (about 125 pages). The PDF is laid out on the core's
 * one thread: 10,000 rows took 8 s here, during which playback ranges would wait; 2,000 take
 * under 2 s. A longer register is printed a date range at a time, or exported as CSV or XLSX.
 */
export const PDF_MAX_ROWS = 2_000;

const WIDTH = REGISTER_FRAME.width;

const REGISTER: FontUse = { zh: '查阅登记', en: 'view register', stands: REGISTER_STANDS };

/** How long a view lasted, as H:MM:SS (the same in both languages). */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
}

const COLUMNS: Column<ViewRegisterEntry>[] = [
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
  { zh: '打开时间', en: 'Opened', width: 64, cell: (e, tz) => timeLines(e.openedAt, tz) },
  {
    zh: '关闭时间',
    en: 'Closed',
    width: 64,
    cell: (e, tz) => (e.closedAt === null ? [{ text: '未结束' }, { text: 'still open', sub: true }] : timeLines(e.closedAt, tz)),
  },
  { zh: '时长', en: 'Duration', width: 50, cell: (e) => [{ text: e.closedAt === null ? '—' : duration(e.closedAt - e.openedAt) }] },
  { zh: '结束原因', en: 'Ended because', width: WIDTH - 678, cell: (e) => (e.closedBecause ? twoLines(CLOSED[e.closedBecause]) : [{ text: '—' }]) },
];

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
  const { personId, clipId } = o.filter;
  const range = rangeWords(o.filter, o.timeZone, { zh: '打开时间', en: 'opened' });
  const zh: string[] = [range.zh];
  const en: string[] = [range.en];
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
  const n = entries.length;
  return await renderRegister({
    ...o,
    title: { zh: '查阅登记', en: 'View register' },
    range: filterWords(entries, o),
    count: { zh: `共 ${n} 条，按打开时间先后排列；本登记由采集站自动记录，不得手工填写。`, en: `${n} view(s), oldest first; written by the station as each view happened, never typed.` },
    columns: COLUMNS,
    // Oldest first: the order the views happened in, as a register book is written.
    rows: [...entries].sort((a, b) => a.openedAt - b.openedAt || a.id - b.id),
    empty: '此范围内没有查阅记录。 / No views in this range.',
    fonts: (doc) => registerCjkFont(doc, CJK, o.font, REGISTER),
  });
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
