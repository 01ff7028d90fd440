// The export register (第二十条) as CSV: every export with its case, clips, 制作人, 提取人, 提取时间,
// approver and each disc's image SHA-256 and verification; UTF-8 with BOM, cells defused, as the
// view register's (viewing/register-csv.ts).
import { exportNo, type ExportState } from '../../../shared/export.js';
import { formatStationTime } from '../../../shared/time.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import { csvCell } from '../viewing/register-csv.js';
import type { Caller } from '../viewing/service.js';
import { listRows, recipientLine } from './records.js';

/** A longer register is exported a date range at a time. */
export const EXPORT_CSV_MAX_ROWS = 20_000;

const HEADERS = [
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

const STATES: Record<ExportState, string> = {
  pending_approval: '待审批',
  approved: '已批准',
  refused: '未批准',
  building: '制作中',
  ready: '已制作',
  failed: '制作失败',
  handed_over: '已交付',
  cancelled: '已取消',
};

export function exportRegisterCsv(
  d: { db: Db; writer: Writer; timeZone: string },
  c: Caller,
  filter: { from?: number | undefined; to?: number | undefined },
): { fileName: string; csv: string; rows: number } {
  const t = (ms: number | null) => (ms === null ? '' : formatStationTime(ms, d.timeZone));
  const rows = listRows(d.db, { ...filter, limit: EXPORT_CSV_MAX_ROWS + 1 });
  if (rows.length > EXPORT_CSV_MAX_ROWS) rows.length = EXPORT_CSV_MAX_ROWS;
  const clipIds = prepared<[number], { id: number }>(d.db, 'SELECT clip_id AS id FROM export_clip WHERE export_id = ? ORDER BY position');
  const discs = prepared<[number], { disc: number; volume_id: string; image_sha256: string | null; verified_at: number | null }>(
    d.db,
    'SELECT disc, volume_id, image_sha256, verified_at FROM export_disc WHERE export_id = ? ORDER BY disc',
  );
  const lines = rows.map((r) => [
    exportNo(r.id),
    STATES[r.state],
    r.case_no ?? '',
    r.case_cause ?? '',
    String(r.clips),
    clipIds
      .all(r.id)
      .map((x) => x.id)
      .join(' '),
    String(r.bytes),
    r.maker_label,
    recipientLine(r),
    t(r.extracted_at),
    t(r.handed_over_at),
    r.approved_by && r.state !== 'refused' ? r.approved_by : '',
    r.state !== 'refused' ? t(r.approved_at) : '',
    discs
      .all(r.id)
      .map((x) => `${x.disc}: ${x.volume_id} ${x.image_sha256 ?? '-'} ${t(x.verified_at)}`.trim())
      .join('; '),
    t(r.created_at),
  ]);
  const at = d.writer.run(c.actor, (tx) => {
    tx.audit({ action: 'export.register_exported', objectType: 'station', objectId: null, after: { rows: lines.length, ...filter } });
    return tx.at;
  });
  const stamp = formatStationTime(at, d.timeZone).slice(0, 10);
  return { fileName: `export-register-${stamp}.csv`, csv: '\ufeff' + [HEADERS, ...lines].map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n', rows: lines.length };
}
