// The export register (第二十条): every export with its case, clips, 制作人, 提取人, 提取时间,
// approver and each disc's image SHA-256 and verification. Here the register's rows and columns,
// which its three forms share (this CSV, the printed PDF of register-pdf.ts, the workbook of
// register-xlsx.ts), and the CSV itself: UTF-8 with BOM, cells defused, as the view register's
// (viewing/register-csv.ts). Every form is audited alike, `export.register_exported` with its format.
import { exportNo, type ExportState } from '../../../shared/export.js';
import { formatStationTime } from '../../../shared/time.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { Words } from '../files/pdf.js';
import { csvCell } from '../viewing/register-csv.js';
import type { Caller } from '../viewing/service.js';
import { listRows, recipientLine } from './records.js';

/** A longer register is exported a date range at a time. */
export const EXPORT_CSV_MAX_ROWS = 20_000;

/** The register's range: exports created from `from` to before `to`. */
export interface RegisterRange {
  from?: number | undefined;
  to?: number | undefined;
}

/** The columns, in the CSV's order: the workbook's headings too, and the printout's cells. */
export const HEADERS = [
  '导出编号 / Export',
  '状态 / State',
  '案件编号 / Case no.',
  '案由 / Cause',
  '录像数 / Clips',
  '录像编号 / Clip ids',
  '字节 / Bytes',
  '制作人 / Made by',
  '提取人 / Taken by',
  '提取时间 / Extracted at',
  '交付时间 / Handed over at',
  '批准人 / Approved by',
  '批准时间 / Approved at',
  '光盘（卷标、映像 SHA-256、读回校验时间） / Discs (volume, image SHA-256, verified at)',
  '创建时间 / Created at',
];

/** A state in words: the Chinese is what the CSV and the workbook write; the printout adds the English. */
export const STATES: Record<ExportState, Words> = {
  pending_approval: { zh: '待审批', en: 'Waiting for approval' },
  approved: { zh: '已批准', en: 'Approved' },
  refused: { zh: '未批准', en: 'Refused' },
  building: { zh: '制作中', en: 'Being made' },
  ready: { zh: '已制作', en: 'Ready' },
  failed: { zh: '制作失败', en: 'Failed' },
  handed_over: { zh: '已交付', en: 'Handed over' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export interface RegisterDisc {
  disc: number;
  volumeId: string;
  /** null until the image is made and read back. */
  imageSha256: string | null;
  verifiedAt: number | null;
}

/** One export as the register lists it. */
export interface RegisterRow {
  exportNo: string;
  state: ExportState;
  caseNo: string | null;
  caseCause: string | null;
  clips: number;
  clipIds: number[];
  bytes: number;
  maker: string;
  /** 提取人 on one line (records.ts's recipientLine). */
  recipient: string;
  extractedAt: number | null;
  handedOverAt: number | null;
  /** Who approved it and when; null for a refused export (the head refused it: nobody approved). */
  approvedBy: string | null;
  approvedAt: number | null;
  discs: RegisterDisc[];
  createdAt: number;
}

/** The register's rows in the range, newest first; at most `max` (the caller asks one more to know it was cut). */
export function registerRows(db: Db, range: RegisterRange, max: number): RegisterRow[] {
  const clipIds = prepared<[number], { id: number }>(db, 'SELECT clip_id AS id FROM export_clip WHERE export_id = ? ORDER BY position');
  const discs = prepared<[number], { disc: number; volume_id: string; image_sha256: string | null; verified_at: number | null }>(
    db,
    'SELECT disc, volume_id, image_sha256, verified_at FROM export_disc WHERE export_id = ? ORDER BY disc',
  );
  return listRows(db, { ...range, limit: max }).map((r) => {
    const refused = r.state === 'refused';
    return {
      exportNo: exportNo(r.id),
      state: r.state,
      caseNo: r.case_no,
      caseCause: r.case_cause,
      clips: r.clips,
      clipIds: clipIds.all(r.id).map((x) => x.id),
      bytes: r.bytes,
      maker: r.maker_label,
      recipient: recipientLine(r),
      extractedAt: r.extracted_at,
      handedOverAt: r.handed_over_at,
      approvedBy: refused ? null : r.approved_by,
      approvedAt: refused ? null : r.approved_at,
      discs: discs.all(r.id).map((x) => ({ disc: x.disc, volumeId: x.volume_id, imageSha256: x.image_sha256, verifiedAt: x.verified_at })),
      createdAt: r.created_at,
    };
  });
}

/** A disc as the CSV and the workbook write it: `1: DC000012_1 <sha256> 2026-12-07 10:15:00`. */
export function discText(x: RegisterDisc, timeZone: string): string {
  return `${x.disc}: ${x.volumeId} ${x.imageSha256 ?? '-'} ${x.verifiedAt === null ? '' : formatStationTime(x.verifiedAt, timeZone)}`.trim();
}

export type RegisterFormat = 'csv' | 'pdf' | 'xlsx';

/** The audit row of an export of the register, once its file is made; returns the file's date stamp. */
export function registerExported(d: { writer: Writer; timeZone: string }, c: Caller, range: RegisterRange, rows: number, format: RegisterFormat): string {
  const at = d.writer.run(c.actor, (tx) => {
    tx.audit({ action: 'export.register_exported', objectType: 'station', objectId: null, after: { rows, ...range, format } });
    return tx.at;
  });
  return formatStationTime(at, d.timeZone).slice(0, 10);
}

export function exportRegisterCsv(d: { db: Db; writer: Writer; timeZone: string }, c: Caller, range: RegisterRange): { fileName: string; csv: string; rows: number } {
  const t = (ms: number | null) => (ms === null ? '' : formatStationTime(ms, d.timeZone));
  const rows = registerRows(d.db, range, EXPORT_CSV_MAX_ROWS);
  const lines = rows.map((r) => [
    r.exportNo,
    STATES[r.state].zh,
    r.caseNo ?? '',
    r.caseCause ?? '',
    String(r.clips),
    r.clipIds.join(' '),
    String(r.bytes),
    r.maker,
    r.recipient,
    t(r.extractedAt),
    t(r.handedOverAt),
    r.approvedBy ?? '',
    t(r.approvedAt),
    r.discs.map((x) => discText(x, d.timeZone)).join('; '),
    t(r.createdAt),
  ]);
  const stamp = registerExported(d, c, range, lines.length, 'csv');
  return { fileName: `export-register-${stamp}.csv`, csv: '\ufeff' + [HEADERS, ...lines].map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n', rows: lines.length };
}
