// 处理记录: the chain of custody of the clips on an evidence disc (issue 21), from the station's
// audit log: every row that concerns them, in the order the log holds them (seq), with who did
// what and when, a short summary of what the row recorded and the first 16 hex of its hash, so
// a row on paper can be found in the log and its chain checked there. Written to the disc's root
// as `处理记录.csv` (for a spreadsheet) and `处理记录.pdf` (to print), A4 landscape like the view
// register. The export service chooses the rows; these functions only render them.
import PDFDocument from 'pdfkit';
import type { AuditEntry } from '../../../shared/domain.js';
import { formatStationTime } from '../../../shared/time.js';
import type { FontUse } from '../audit/seal-pdf.js';
import { registerCjkFont, resolveSealFont } from '../audit/seal-pdf.js';
import { csvCell } from '../viewing/register-csv.js';
import type { Words } from './sheet.js';
import { pdfBytes, registerMonoFont } from './sheet-pdf.js';

export interface CustodyMeta {
  stationName: string;
  timeZone: string;
  exportNo: string;
  caseNo: string | null;
  disc: number;
  discs: number;
  madeAt: number;
}

/**
 * The actions of a clip's history and of the export itself, in words (the UI's audit.actions
 * wording, kept here because the core does not read the renderer's catalogue). An action not
 * named here (a later one) is shown by its code: never dropped.
 */
export const CUSTODY_ACTIONS: Readonly<Record<string, Words>> = {
  'clip.committed': { zh: '音视频资料入库（已校验）', en: 'Recording stored in the vault (verified)' },
  'clip.source_erased': { zh: '入库后从记录仪上删除原文件', en: 'Original erased from the camera after storing' },
  'clip.restored': { zh: '从证据库重建索引', en: 'Index entry rebuilt from the vault' },
  'clip.vault_restoring': { zh: '开始从执法记录仪补回证据库中的资料', en: 'Putting a vault copy back from the camera' },
  'clip.vault_replaced': {
    zh: '证据库中被改动的资料移至 .altered 保存，并从执法记录仪补回原件（已校验）',
    en: 'Altered vault copy set aside in .altered and the original put back from the camera (verified)',
  },
  'clip.vault_restored': { zh: '证据库中丢失的资料从执法记录仪补回（已校验）', en: 'Lost vault copy put back from the camera (verified)' },
  'clip.rechecked': { zh: '检测程序恢复后补查录像能否播放', en: 'Recording checked once ffprobe ran again' },
  'clip.moved_on_camera': { zh: '发现该文件在记录仪上被移动或改名（仍为同一段录像）', en: 'File found moved or renamed on the camera (still the same recording)' },
  'clip.carried_over': { zh: '旧版采集站误作重复文件的录像已单独建档（字节已校验）', en: 'Recording an older station took for a duplicate given a record of its own (bytes verified)' },
  'clip.classified': { zh: '音视频资料分类（重点、执法活动类型、备注或密级）', en: 'Recording classified (key footage, work type, note or confidentiality)' },
  'ingest.file_duplicate': { zh: '文件已在证据库中（不重复保存）', en: 'File already in the vault (not stored twice)' },
  'checkout.clips_linked': { zh: '音视频资料归入领用记录', en: 'Recordings linked to the checkout' },
  'checkout.offloaded': { zh: '音视频资料已导出保存', en: 'Footage offloaded' },
  'checkout.offloaded_late': { zh: '逾期导出保存（已记录备查）', en: 'Footage offloaded late (recorded for supervision)' },
  'recording.outside_checkout': { zh: '发现未领用期间录制的音视频资料', en: 'Footage recorded outside a checkout found' },
  'recording.outside_reviewed': { zh: '综合处核查未领用期间录制的资料', en: 'General office reviewed footage recorded outside a checkout' },
  'case.clips_added': { zh: '将音视频资料关联到案件', en: 'Recordings added to the case' },
  'case.clips_removed': { zh: '将音视频资料移出案件', en: 'Recordings taken out of the case' },
  'view.requested': { zh: '提出查阅申请', en: 'Asked to view recordings' },
  'view.withdrawn': { zh: '撤回查阅申请', en: 'Withdrew a view request' },
  'view.approved': { zh: '批准查阅申请', en: 'Approved a view request' },
  'view.refused': { zh: '不批准查阅申请', en: 'Refused a view request' },
  'view.granted': { zh: '给予长期查阅批准', en: 'Gave a standing grant to view' },
  'view.revoked': { zh: '撤销查阅批准', en: 'Revoked a grant to view' },
  'view.opened': { zh: '开始查阅录像（已登记）', en: 'Opened a view of a clip (registered)' },
  'view.closed': { zh: '结束查阅录像', en: 'Ended a view of a clip' },
  'view.denied': { zh: '查阅录像被拒绝（无有效批准）', en: 'A view of a clip was refused (no grant in force)' },
  'clip.vault_altered_found': { zh: '导出时发现证据库中的资料已被改动', en: 'Vault copy found altered while exporting' },
  'export.created': { zh: '登记证据导出', en: 'Evidence export registered' },
  'export.approved': { zh: '批准证据导出', en: 'Evidence export approved' },
  'export.refused': { zh: '不批准证据导出', en: 'Evidence export refused' },
  'export.started': { zh: '开始制作证据光盘', en: 'Making the evidence discs began' },
  'export.resumed': { zh: '重启后继续制作证据光盘', en: 'Making the discs resumed after a restart' },
  'export.disc_verified': { zh: '光盘映像读回核验', en: 'Disc image read back and verified' },
  'export.ready': { zh: '证据光盘映像制作完成', en: 'Disc images ready' },
  'export.failed': { zh: '证据光盘制作失败', en: 'Making the discs failed' },
  'export.image_saved': { zh: '保存光盘映像', en: 'Disc image saved' },
  'export.burned': { zh: '刻录证据光盘', en: 'Evidence disc burned' },
  'export.burn_failed': { zh: '刻录证据光盘失败', en: 'Burning an evidence disc failed' },
  'export.sheet_printed': { zh: '打印提取说明', en: 'Description sheet printed' },
  'export.sheet_reprinted': { zh: '补打提取说明', en: 'Description sheet reprinted' },
  'export.handed_over': { zh: '证据光盘交付提取人', en: 'Discs handed over to the recipient' },
  'export.cancelled': { zh: '取消证据导出', en: 'Evidence export cancelled' },
};

/** What the rows' objects are called; another type is shown as its code. */
const OBJECTS: Readonly<Record<string, Words>> = {
  clip: { zh: '音视频资料', en: 'Recording' },
  export: { zh: '证据导出', en: 'Evidence export' },
  case: { zh: '案件', en: 'Case' },
  checkout: { zh: '领用记录', en: 'Checkout' },
  ingest_file: { zh: '导出文件', en: 'Offload file' },
  outside_recording: { zh: '未领用期间录制记录', en: 'Footage outside a checkout' },
  view_request: { zh: '查阅申请', en: 'View request' },
  view_grant: { zh: '查阅批准', en: 'View grant' },
  view_register: { zh: '查阅登记', en: 'View register' },
};

export const actionWords = (action: string): Words => CUSTODY_ACTIONS[action] ?? { zh: action, en: action };

export function objectWords(e: AuditEntry): Words {
  const kind = OBJECTS[e.objectType] ?? { zh: e.objectType, en: e.objectType };
  const id = e.objectId === null ? '' : ` ${e.objectId}`;
  return { zh: `${kind.zh}${id}`, en: `${kind.en}${id}` };
}

const HASH_SHOWN = 16;
const VALUE_MAX = 60;
const SUMMARY_MAX = 240;

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** One value of a row's record, short: a hash by its first hex, long text cut. */
function shortValue(v: unknown): string {
  if (typeof v === 'string') return /^[0-9a-f]{64}$/i.test(v) ? `${v.slice(0, HASH_SHOWN)}…` : cut(v, VALUE_MAX);
  if (v === null || typeof v !== 'object') return String(v);
  return cut(JSON.stringify(v), VALUE_MAX);
}

/** What a row recorded (its `after`), as `key: value; …`; the whole row stays in the log. */
export function afterSummary(after: unknown): string {
  if (after === null || after === undefined) return '';
  if (typeof after !== 'object' || Array.isArray(after)) return cut(shortValue(after), SUMMARY_MAX);
  const parts = Object.entries(after as Record<string, unknown>).map(([k, v]) => `${k}: ${shortValue(v)}`);
  return cut(parts.join('; '), SUMMARY_MAX);
}

/** The log's order: rows come in any order and leave in seq order. */
const inSeqOrder = (rows: readonly AuditEntry[]): AuditEntry[] => [...rows].sort((a, b) => a.seq - b.seq);

export const rowHash = (e: AuditEntry): string => e.hash.slice(0, HASH_SHOWN);

export function custodyHeaders(timeZone: string): string[] {
  return [
    '序号 / Seq',
    `时间（${timeZone}） / Time`,
    '操作人 / Actor',
    '操作代码 / Action code',
    '操作 / Action',
    '对象 / Object',
    '内容摘要 / Details',
    `记录哈希（前 ${HASH_SHOWN} 位） / Row hash (first ${HASH_SHOWN})`,
  ];
}

/** UTF-8 with BOM (Excel reads the Chinese), CRLF, every cell defused: labels and notes are typed text. */
export function custodyCsv(rows: readonly AuditEntry[], meta: CustodyMeta): string {
  const lines = inSeqOrder(rows).map((e) => {
    const a = actionWords(e.action);
    const o = objectWords(e);
    return [
      String(e.seq),
      formatStationTime(e.at, meta.timeZone),
      e.actorLabel,
      e.action,
      a.zh === a.en ? a.zh : `${a.zh} / ${a.en}`,
      o.zh === o.en ? o.zh : `${o.zh} / ${o.en}`,
      afterSummary(e.after),
      rowHash(e),
    ];
  });
  return '\uFEFF' + [custodyHeaders(meta.timeZone), ...lines].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---- The PDF: A4 landscape, the column headings on every page. ----

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 36;
const LEFT = MARGIN;
const RIGHT = PAGE.width - MARGIN;
const WIDTH = RIGHT - LEFT;
const BODY_BOTTOM = PAGE.height - MARGIN - 14;
const FOOTER_Y = PAGE.height - MARGIN - 4;
const PAD = 3;
const INK = '#000000';
const GREY = '#555555';
const RULE = '#999999';
const HEADING_FILL = '#e8e8e8';
const CJK = 'cjk';
const MONO = 'mono';
const TEXT = 7.5;
const SUB = 6.2;

const RECORD: FontUse = {
  zh: '处理记录',
  en: 'chain of custody',
  stands: { zh: '处理记录.csv 和审计日志不受影响。', en: '处理记录.csv and the audit log are not affected.' },
};

type Doc = InstanceType<typeof PDFDocument>;

interface Line {
  text: string;
  sub?: boolean;
  mono?: boolean;
}

interface Column {
  zh: string;
  en: string;
  width: number;
  cell(e: AuditEntry, timeZone: string): Line[];
}

const both = (w: Words): Line[] => (w.zh === w.en ? [{ text: w.zh }] : [{ text: w.zh }, { text: w.en, sub: true }]);

const COLUMNS: Column[] = [
  { zh: '序号', en: 'Seq', width: 46, cell: (e) => [{ text: String(e.seq) }] },
  {
    zh: '时间',
    en: 'Time',
    width: 62,
    cell: (e, tz) => formatStationTime(e.at, tz).split(' ').map((text) => ({ text })),
  },
  { zh: '操作人', en: 'Actor', width: 100, cell: (e) => [{ text: e.actorLabel }] },
  {
    zh: '操作',
    en: 'Action',
    width: 178,
    cell: (e) => {
      const a = actionWords(e.action);
      // The code too when words were found: it is what the log and the station's audit screen search by.
      return a.zh === e.action ? [{ text: e.action }] : [...both(a), { text: e.action, sub: true }];
    },
  },
  { zh: '对象', en: 'Object', width: 84, cell: (e) => both(objectWords(e)) },
  { zh: '内容摘要', en: 'Details', width: WIDTH - 46 - 62 - 100 - 178 - 84 - 84, cell: (e) => [{ text: afterSummary(e.after) || '—' }] },
  { zh: '记录哈希', en: 'Row hash', width: 84, cell: (e) => [{ text: rowHash(e), mono: true }] },
];

function fontFor(doc: Doc, line: Line): Doc {
  if (line.mono) return doc.font(MONO).fontSize(TEXT).fillColor(INK);
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

/** Page 1: title, station, the export and disc, when made; returns where the table starts. */
function firstHeading(doc: Doc, rows: number, meta: CustodyMeta): number {
  doc.font(CJK).fontSize(20).fillColor(INK).text(RECORD.zh, LEFT, MARGIN, { lineBreak: false });
  doc.font(CJK).fontSize(10).fillColor(GREY).text('Chain of custody', LEFT, MARGIN + 28, { lineBreak: false });
  doc.font(CJK).fontSize(12).fillColor(INK).text(meta.stationName, LEFT, MARGIN + 2, { width: WIDTH, align: 'right', lineBreak: false });
  doc.font(CJK).fontSize(8).fillColor(GREY).text('工作站 / Station', LEFT, MARGIN + 22, { width: WIDTH, align: 'right', lineBreak: false });
  let y = MARGIN + 46;
  doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(1).strokeColor(INK).stroke();
  y += 6;
  const made = `${formatStationTime(meta.madeAt, meta.timeZone)} (${meta.timeZone})`;
  // [heading, value in Chinese, in English, share of the width]: the case number and the time are the long ones.
  const fields: Array<[Words, string, string, number]> = [
    [{ zh: '导出编号', en: 'Export no.' }, meta.exportNo, meta.exportNo, 0.2],
    [{ zh: '案件编号', en: 'Case no.' }, meta.caseNo ?? '不详', meta.caseNo ?? 'unknown', 0.32],
    [{ zh: '光盘', en: 'Disc' }, `第 ${meta.disc} 张 共 ${meta.discs} 张`, `disc ${meta.disc} of ${meta.discs}`, 0.18],
    [{ zh: '制作时间', en: 'Made at' }, made, made, 0.3],
  ];
  let x = LEFT;
  for (const [h, vzh, ven, share] of fields) {
    // One line each, whatever the value: cut with an ellipsis rather than run into the line below.
    const box = { width: WIDTH * share - 6, height: 11, ellipsis: true };
    doc.font(CJK).fontSize(8.5).fillColor(INK).text(`${h.zh}：${vzh}`, x, y, box);
    doc.font(CJK).fontSize(7).fillColor(GREY).text(`${h.en}: ${ven}`, x, y + 12, { ...box, height: 9 });
    x += WIDTH * share;
  }
  y += 26;
  doc
    .font(CJK)
    .fontSize(8.5)
    .fillColor(INK)
    .text(`本光盘所载音视频资料在工作站审计日志中的全部记录，共 ${rows} 条，按序号排列；每条可按序号和哈希在审计日志中查到并核验。`, LEFT, y, { width: WIDTH, lineBreak: false });
  doc
    .font(CJK)
    .fontSize(7)
    .fillColor(GREY)
    .text(`Every row of the station's audit log about the recordings on this disc, ${rows} in all, by sequence number; each can be found and checked in the log by its number and hash.`, LEFT, y + 12, {
      width: WIDTH,
      lineBreak: false,
    });
  return y + 28;
}

/** Later pages: which record this is, so a loose page is still known. */
function runningHeading(doc: Doc, meta: CustodyMeta): number {
  doc
    .font(CJK)
    .fontSize(9)
    .fillColor(INK)
    .text(`处理记录 / Chain of custody — ${meta.exportNo}  第 ${meta.disc} 张 共 ${meta.discs} 张 — ${meta.stationName}`, LEFT, MARGIN, { width: WIDTH, height: 11, ellipsis: true });
  return MARGIN + 18;
}

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

function layout(doc: Doc, rows: readonly AuditEntry[], meta: CustodyMeta): void {
  let y = columnHeadings(doc, firstHeading(doc, rows.length, meta));
  if (rows.length === 0) {
    doc.font(CJK).fontSize(9).fillColor(GREY).text('没有记录。 / No rows.', LEFT + PAD, y + 8, { width: WIDTH, lineBreak: false });
  }
  for (const e of inSeqOrder(rows)) {
    const cells = COLUMNS.map((c) => c.cell(e, meta.timeZone));
    const height = Math.max(...cells.map((lines, i) => linesHeight(doc, lines, COLUMNS[i]!.width - 2 * PAD))) + 2 * PAD;
    if (y + height > BODY_BOTTOM) {
      doc.addPage();
      y = columnHeadings(doc, runningHeading(doc, meta));
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

function footers(doc: Doc, meta: CustodyMeta): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a page for it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const p = i - start + 1;
    doc.moveTo(LEFT, FOOTER_Y - 5).lineTo(RIGHT, FOOTER_Y - 5).lineWidth(0.5).strokeColor(RULE).stroke();
    doc
      .font(CJK)
      .fontSize(7.5)
      .fillColor(INK)
      .text(`导出编号 ${meta.exportNo}  第 ${meta.disc} 张光盘 / Export ${meta.exportNo}, disc ${meta.disc}`, LEFT, FOOTER_Y, { width: WIDTH / 2, lineBreak: false });
    doc.font(CJK).fontSize(8).fillColor(INK).text(`第 ${p} 页 共 ${count} 页 / Page ${p} of ${count}`, LEFT, FOOTER_Y, { width: WIDTH, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/** 处理记录.pdf as bytes; the same rows and meta give the same file (dated madeAt). */
export async function renderCustodyPdf(rows: readonly AuditEntry[], meta: CustodyMeta, o: { font: { file?: string; face?: string } }): Promise<Buffer> {
  resolveSealFont(o.font, RECORD);
  const made = new Date(meta.madeAt);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `处理记录 / Chain of custody — ${meta.exportNo} ${meta.disc}/${meta.discs}`,
      Creator: '执法记录仪证据采集站 / Evidence Station',
      Producer: '执法记录仪证据采集站 / Evidence Station',
      CreationDate: made,
      ModDate: made,
    },
  });
  const done = pdfBytes(doc);
  registerCjkFont(doc, CJK, o.font, RECORD);
  registerMonoFont(doc, MONO, o.font, RECORD);
  layout(doc, rows, meta);
  footers(doc, meta);
  doc.end();
  return await done;
}
