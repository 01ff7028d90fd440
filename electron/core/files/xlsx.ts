// One-sheet Excel workbooks (.xlsx: Office Open XML SpreadsheetML in a ZIP), written by hand for
// the station's registers (the view register, the export register): a heading row in both
// languages, frozen and filtered; the times as real date cells on the station's wall clock (so
// they sort and filter as times); written with the station's own small ZIP writer rather than a
// spreadsheet library. A register says only its columns and how a record becomes a row.
//
// No formula injection: every text is an inline string (<c t="inlineStr"><is><t>…</t></is></c>),
// which a spreadsheet shows as text and never evaluates, whatever it starts with (= + - @): only a
// cell's <f> element is a formula, and this file writes none. So a 查阅事由 such as `=cmd|…` is
// kept exactly as the requester typed it, without the apostrophe the CSV must put before it.
import { zoneFields } from '../../../shared/time.js';
import { zip } from './zip.js';

/** A cell: text, a number, an instant (shown as the station's clock showed it), or empty. */
export type Cell = { text: string } | { number: number } | { time: number } | null;

/** Style indexes into styles.xml's cellXfs. */
const STYLE = { plain: 0, heading: 1, time: 2, wrapped: 3 } as const;
const MS_PER_DAY = 86_400_000;
/** 1970-01-01 as an Excel serial day (the 1900 date system, with its 1900-02-29). */
const EXCEL_EPOCH_DAYS = 25_569;

/** A, B, …, Z, AA, …: the column's letters. */
function column(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// eslint-disable-next-line no-control-regex -- exactly the characters XML 1.0 cannot carry
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Plain XML text (the document's properties): what XML cannot carry becomes U+FFFD. */
function xmlText(s: string): string {
  return escapeXml(s.replace(NOT_XML, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD'));
}

/**
 * Text as a cell holds it (ECMA-376 ST_Xstring): characters XML 1.0 cannot carry (most control
 * characters) as `_xHHHH_`, a literal `_xHHHH_` protected as `_x005F_xHHHH_` so it reads back
 * unchanged, a lone surrogate (never valid text) as U+FFFD; then XML-escaped.
 */
export function cellText(s: string): string {
  const encoded = s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replace(NOT_XML, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
    .replace(LONE_SURROGATE, '\uFFFD');
  return escapeXml(encoded);
}

/** An instant as the serial date-time a spreadsheet shows as the station's clock showed it. */
export function excelTime(ms: number, timeZone: string): number {
  const f = zoneFields(ms, timeZone);
  const wall = Date.UTC(+f.year, +f.month - 1, +f.day, +f.hour, +f.minute, +f.second);
  return wall / MS_PER_DAY + EXCEL_EPOCH_DAYS;
}

function cellXml(cell: Cell, ref: string, style: number, timeZone: string): string {
  if (cell === null) return '';
  const s = style === STYLE.plain ? '' : ` s="${style}"`;
  if ('text' in cell) {
    if (cell.text === '') return '';
    return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${cellText(cell.text)}</t></is></c>`;
  }
  if ('number' in cell) return `<c r="${ref}"${s}><v>${cell.number}</v></c>`;
  return `<c r="${ref}" s="${STYLE.time}"><v>${excelTime(cell.time, timeZone)}</v></c>`;
}

function sheetXml(s: SheetSpec): string {
  const last = column(s.headings.length - 1);
  const rows: string[] = [];
  rows.push(`<row r="1">${s.headings.map((h, i) => cellXml({ text: h }, `${column(i)}1`, STYLE.heading, s.timeZone)).join('')}</row>`);
  s.rows.forEach((row, n) => {
    const r = n + 2;
    const cells = row.map((c, i) => cellXml(c, `${column(i)}${r}`, s.wrapped?.includes(i) ? STYLE.wrapped : STYLE.plain, s.timeZone));
    rows.push(`<row r="${r}">${cells.join('')}</row>`);
  });
  const lastRow = s.rows.length + 1;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${last}${lastRow}"/>` +
    // The heading row stays in view while scrolling.
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${s.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>` +
    `<sheetData>${rows.join('')}</sheetData>` +
    `<autoFilter ref="A1:${last}${lastRow}"/>` +
    '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>' +
    '<pageSetup paperSize="9" orientation="landscape"/>' +
    '</worksheet>'
  );
}

const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  // 164: the first number format id a workbook may define; the station's own way of writing a time.
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  // The two fills every workbook has first (none and gray125), as Excel expects them.
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '</Types>';

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  '</Relationships>';

const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  '</Relationships>';

function workbookXml(name: string, columns: number, rows: number): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets>` +
    // The filter's range, as Excel itself records an autoFilter.
    `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${xmlText(name)}'!$A$1:$${column(columns - 1)}$${rows + 1}</definedName></definedNames>` +
    '</workbook>'
  );
}

function coreXml(title: string, printedAt: number, by: string): string {
  // W3CDTF in UTC: what the core properties' dcterms:created takes.
  const at = new Date(printedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlText(title)}</dc:title>` +
    `<dc:creator>${xmlText(by)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    '</cp:coreProperties>'
  );
}

export interface SheetSpec {
  /** The sheet's tab: at most 31 characters, none of []:*?/\ (Excel's rule; the registers' names are fixed). */
  name: string;
  /** The heading row, Chinese / English. */
  headings: readonly string[];
  /** Each column's width in characters, in the headings' order. */
  widths: readonly number[];
  /** The columns whose text wraps (long free text), by index. */
  wrapped?: readonly number[];
  rows: readonly (readonly Cell[])[];
  /** The station's zone: the times' wall clock, and the ZIP entries' dates. */
  timeZone: string;
  /** The workbook's properties: its title, who exported it and when. */
  title: string;
  creator: string;
  createdAt: number;
}

/** The workbook's bytes: the same spec gives the same file (its dates are `createdAt`). */
export function xlsx(s: SheetSpec): Buffer {
  const f = zoneFields(s.createdAt, s.timeZone);
  return zip(
    [
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'docProps/core.xml', data: coreXml(s.title, s.createdAt, s.creator) },
      { name: 'xl/workbook.xml', data: workbookXml(s.name, s.headings.length, s.rows.length) },
      { name: 'xl/_rels/workbook.xml.rels', data: WORKBOOK_RELS },
      { name: 'xl/styles.xml', data: STYLES },
      { name: 'xl/worksheets/sheet1.xml', data: sheetXml(s) },
    ],
    { year: +f.year, month: +f.month, day: +f.day, hour: +f.hour, minute: +f.minute, second: +f.second },
  );
}
