// Reading the export register (migration 0220): rows as the UI, the sheet and the register see them.
import type { ApprovalReason, ExportDisc, ExportProgress, ExportRecord, ExportState, ExportMedium, ExportPurpose, BuildFailure } from '../../../shared/export.js';
import { exportNo } from '../../../shared/export.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

export interface ExportRow {
  id: number;
  case_id: number | null;
  case_no: string | null;
  case_cause: string | null;
  purpose: ExportPurpose;
  note: string | null;
  medium: ExportMedium;
  drive_address: string | null;
  state: ExportState;
  group_id: string;
  maker_id: number | null;
  maker_label: string;
  recipient_person_id: number | null;
  recipient_name: string;
  recipient_badge: string | null;
  recipient_unit: string | null;
  recipient_id_no: string | null;
  needs_approval: string;
  approved_by: string | null;
  approved_by_id: number | null;
  approved_at: number | null;
  decision_note: string | null;
  extracted_at: number | null;
  handed_over_at: number | null;
  created_at: number;
  failure_code: BuildFailure | null;
  failure_message: string | null;
  clips: number;
  bytes: number;
}

interface DiscRow {
  disc: number;
  files: number;
  bytes: number;
  volume_id: string;
  image_bytes: number | null;
  image_sha256: string | null;
  verified_at: number | null;
  burned_at: number | null;
  burned_to: string | null;
  sheet_prints: number;
}

const SELECT = `SELECT e.*, c.case_no, c.cause AS case_cause,
    (SELECT count(*) FROM export_clip x WHERE x.export_id = e.id) AS clips,
    (SELECT IFNULL(sum(k.size), 0) FROM export_clip x JOIN clip k ON k.id = x.clip_id WHERE x.export_id = e.id) AS bytes
  FROM export e LEFT JOIN legal_case c ON c.id = e.case_id`;

export function exportRow(db: Db, id: number): ExportRow | undefined {
  return prepared<[number], ExportRow>(db, `${SELECT} WHERE e.id = ?`).get(id);
}

export function discRows(db: Db, id: number): DiscRow[] {
  return prepared<[number], DiscRow>(db, 'SELECT * FROM export_disc WHERE export_id = ? ORDER BY disc').all(id);
}

export const approvalReasonsOf = (row: Pick<ExportRow, 'needs_approval'>): ApprovalReason[] =>
  row.needs_approval === '' ? [] : (row.needs_approval.split(',') as ApprovalReason[]);

export function toRecord(db: Db, row: ExportRow, progress: ExportProgress | null): ExportRecord {
  const discs: ExportDisc[] = discRows(db, row.id).map((d) => ({
    disc: d.disc,
    files: d.files,
    bytes: d.bytes,
    volumeId: d.volume_id,
    imageBytes: d.image_bytes,
    imageSha256: d.image_sha256,
    verifiedAt: d.verified_at,
    burnedAt: d.burned_at,
    burnedTo: d.burned_to,
    sheetPrints: d.sheet_prints,
  }));
  return {
    id: row.id,
    exportNo: exportNo(row.id),
    caseId: row.case_id,
    caseNo: row.case_no,
    caseCause: row.case_cause,
    purpose: row.purpose,
    note: row.note,
    medium: row.medium,
    driveAddress: row.drive_address,
    state: row.state,
    clips: row.clips,
    bytes: row.bytes,
    maker: { personId: row.maker_id, label: row.maker_label },
    recipient:
      row.recipient_person_id !== null
        ? { kind: 'person', personId: row.recipient_person_id, name: row.recipient_name, badge: row.recipient_badge ?? '' }
        : { kind: 'outside', name: row.recipient_name, unit: row.recipient_unit ?? '', idNo: row.recipient_id_no ?? '' },
    needsApproval: approvalReasonsOf(row),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    decisionNote: row.decision_note,
    extractedAt: row.extracted_at,
    handedOverAt: row.handed_over_at,
    createdAt: row.created_at,
    failure: row.failure_code ? { code: row.failure_code, message: row.failure_message ?? '' } : null,
    discs,
    progress: row.state === 'building' ? progress : null,
  };
}

/** 提取人 as one line for the sheet and the register. */
export function recipientLine(row: ExportRow): string {
  if (row.recipient_person_id !== null) return `${row.recipient_name}（${row.recipient_badge ?? ''}）`;
  return `${row.recipient_name} · ${row.recipient_unit ?? ''} · 证件号码 / ID ${row.recipient_id_no ?? ''}`;
}

export interface ListFilter {
  state?: ExportState | undefined;
  caseId?: number | undefined;
  clipId?: number | undefined;
  from?: number | undefined;
  to?: number | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/** The register, newest first: by state, case, clip, or a creation time range. */
export function listRows(db: Db, f: ListFilter): ExportRow[] {
  const where: string[] = ['e.id < @before'];
  const params: Record<string, number | string> = { before: f.beforeId ?? Number.MAX_SAFE_INTEGER, limit: f.limit ?? 50 };
  if (f.state !== undefined) {
    where.push('e.state = @state');
    params.state = f.state;
  }
  if (f.caseId !== undefined) {
    where.push('e.case_id = @caseId');
    params.caseId = f.caseId;
  }
  if (f.clipId !== undefined) {
    where.push('e.id IN (SELECT export_id FROM export_clip WHERE clip_id = @clipId)');
    params.clipId = f.clipId;
  }
  if (f.from !== undefined) {
    where.push('e.created_at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    where.push('e.created_at < @to');
    params.to = f.to;
  }
  return prepared<[Record<string, number | string>], ExportRow>(db, `${SELECT} WHERE ${where.join(' AND ')} ORDER BY e.id DESC LIMIT @limit`).all(params);
}
