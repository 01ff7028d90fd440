// 处理记录: the chain of custody of the clips on an evidence disc (issue 21), from the station's
// audit log: every row that concerns them, in the order the log holds them (seq), with who did
// what and when, a short summary of what the row recorded and the first 16 hex of its hash, so
// a row on paper can be found in the log and its chain checked there. Written to the disc's root
// as `处理记录.csv` (for a spreadsheet) and `处理记录.pdf` (to print), A4 landscape like the view
// register. The export service chooses the rows; these functions only render them.
import type { AuditEntry } from '../../../shared/domain.js';
import { formatStationTime } from '../../../shared/time.js';
import type { FontUse } from '../audit/seal-pdf.js';
import { registerCjkFont, resolveSealFont } from '../audit/seal-pdf.js';
import type { Column, Doc, Words } from '../files/pdf.js';
import { a4Frame, CJK, drawTable, footers, INK, MONO, pageOf, pair, pdfBytes, stationPdf, timeLines, titleBlock, wordLines } from '../files/pdf.js';
import { csvCell } from '../viewing/register-csv.js';
import { registerMonoFont } from './sheet-pdf.js';

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

const MARGIN = 36;
const F = a4Frame('landscape', MARGIN, 14);
const { left: LEFT, width: WIDTH } = F;

const RECORD: FontUse = {
  zh: '处理记录',
  en: 'chain of custody',
  stands: { zh: '处理记录.csv 和审计日志不受影响。', en: '处理记录.csv and the audit log are not affected.' },
};

const COLUMNS: Column<AuditEntry>[] = [
  { zh: '序号', en: 'Seq', width: 46, cell: (e) => [{ text: String(e.seq) }] },
  {
    zh: '时间',
    en: 'Time',
    width: 62,
    cell: (e, tz) => timeLines(e.at, tz),
  },
  { zh: '操作人', en: 'Actor', width: 100, cell: (e) => [{ text: e.actorLabel }] },
  {
    zh: '操作',
    en: 'Action',
    width: 178,
    cell: (e) => {
      const a = actionWords(e.action);
      // The code too when words were found: it is what the log and the station's audit screen search by.
      return a.zh === e.action ? [{ text: e.action }] : [...wordLines(a), { text: e.action, sub: true }];
    },
  },
  { zh: '对象', en: 'Object', width: 84, cell: (e) => wordLines(objectWords(e)) },
  { zh: '内容摘要', en: 'Details', width: WIDTH - 46 - 62 - 100 - 178 - 84 - 84, cell: (e) => [{ text: afterSummary(e.after) || '—' }] },
  { zh: '记录哈希', en: 'Row hash', width: 84, cell: (e) => [{ text: rowHash(e), mono: true }] },
];

/** Page 1: title, station, the export and disc, when made; returns where the table starts. */
function firstHeading(doc: Doc, rows: number, meta: CustodyMeta): number {
  let y = titleBlock(doc, F, MARGIN, { zh: RECORD.zh, en: 'Chain of custody' }, { value: meta.stationName, size: 12, dy: 2, label: '工作站 / Station' });
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
    pair(doc, { zh: `${h.zh}：${vzh}`, en: `${h.en}: ${ven}` }, x, y, box, { ...box, height: 9 });
    x += WIDTH * share;
  }
  y += 26;
  const about = {
    zh: `本光盘所载音视频资料在工作站审计日志中的全部记录，共 ${rows} 条，按序号排列；每条可按序号和哈希在审计日志中查到并核验。`,
    en: `Every row of the station's audit log about the recordings on this disc, ${rows} in all, by sequence number; each can be found and checked in the log by its number and hash.`,
  };
  pair(doc, about, LEFT, y, { width: WIDTH, lineBreak: false });
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

/** 处理记录.pdf as bytes; the same rows and meta give the same file (dated madeAt). */
export async function renderCustodyPdf(rows: readonly AuditEntry[], meta: CustodyMeta, o: { font: { file?: string; face?: string } }): Promise<Buffer> {
  resolveSealFont(o.font, RECORD);
  const doc = stationPdf({
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    title: `处理记录 / Chain of custody — ${meta.exportNo} ${meta.disc}/${meta.discs}`,
    dated: meta.madeAt,
  });
  const done = pdfBytes(doc);
  registerCjkFont(doc, CJK, o.font, RECORD);
  registerMonoFont(doc, MONO, o.font, RECORD);
  drawTable(doc, {
    frame: F,
    columns: COLUMNS,
    rows: inSeqOrder(rows),
    timeZone: meta.timeZone,
    top: firstHeading(doc, rows.length, meta),
    empty: '没有记录。 / No rows.',
    pageTop: () => runningHeading(doc, meta),
  });
  footers(doc, F, (p, n) => {
    const page = pageOf(p, n);
    const disc = `导出编号 ${meta.exportNo}  第 ${meta.disc} 张光盘 / Export ${meta.exportNo}, disc ${meta.disc}`;
    doc.font(CJK).fontSize(7.5).fillColor(INK).text(disc, LEFT, F.footerY, { width: WIDTH / 2, lineBreak: false });
    doc.font(CJK).fontSize(8).fillColor(INK).text(`${page.zh} / ${page.en}`, LEFT, F.footerY, { width: WIDTH, align: 'right', lineBreak: false });
  });
  doc.end();
  return await done;
}
