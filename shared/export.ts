// Evidence discs (issue 21; 第十七、二十、二十一条): what the UI and the core say about an export.
// The media sizes live with the image code (electron/core/export/media.ts); the UI needs only
// their names, so they are repeated here as a plain list the contract can check.

/** The optical media an export is split for; `drive`: the blank actually in a drive of the station (its space asked when the build starts). */
export const exportMedia = ['cd', 'dvd', 'dvd_dl', 'bd25', 'bd50', 'drive'] as const;
export type ExportMedium = (typeof exportMedia)[number];

/**
 * Why the discs are made. 第二十条: records go outside without approval only as evidence; any
 * other purpose (a copy for another unit, training) needs a department head's approval.
 */
export const exportPurposes = ['evidence', 'provision', 'other'] as const;
export type ExportPurpose = (typeof exportPurposes)[number];

/**
 * pending_approval → approved → building → ready → handed_over
 *                  ↘ refused           ↘ failed (kept with its reason; may be rebuilt)
 * A record made without need of approval starts at approved. cancelled: withdrawn before it was
 * handed over (its images are deleted; the row stays).
 */
export const exportStates = ['pending_approval', 'approved', 'refused', 'building', 'ready', 'failed', 'handed_over', 'cancelled'] as const;
export type ExportState = (typeof exportStates)[number];

/** Why an export needs a department head's approval (several may hold). */
export const approvalReasons = ['secret', 'no_case', 'purpose', 'station_setting'] as const;
export type ApprovalReason = (typeof approvalReasons)[number];

/** The long steps, in order, each with progress. */
export const buildSteps = ['plan', 'tags', 'image', 'readback', 'burn', 'done'] as const;
export type BuildStep = (typeof buildSteps)[number];

/** Why a build failed: the first three are the station's guarantees speaking, the last its machinery. */
export const buildFailures = ['vault_altered', 'readback_mismatch', 'vault_unavailable', 'file_too_large', 'no_space', 'no_blank', 'tool_failed', 'interrupted'] as const;
export type BuildFailure = (typeof buildFailures)[number];

/** 提取人: a person in the station's registry, or someone from outside with unit and ID number. */
export type Recipient =
  | { kind: 'person'; personId: number; name: string; badge: string }
  | { kind: 'outside'; name: string; unit: string; idNo: string };

export interface ExportDisc {
  disc: number;
  files: number;
  bytes: number;
  volumeId: string;
  /** Null until the image is made and read back. */
  imageBytes: number | null;
  imageSha256: string | null;
  /** When the read-back of the image matched every file's vault record (and xorriso's MD5s). */
  verifiedAt: number | null;
  /** Burned to a drive and that disc read back equal: when and where. */
  burnedAt: number | null;
  burnedTo: string | null;
  /** Paper copies of the 说明 printed so far: the next one is marked 补打 when this is above 0. */
  sheetPrints: number;
}

export interface ExportProgress {
  step: BuildStep;
  disc: number;
  discs: number;
  /** Bytes done and to do in this step, over every disc. */
  done: number;
  total: number;
  /** Over the last few seconds; null at the start of a step. */
  bytesPerSecond: number | null;
  etaSeconds: number | null;
  at: number;
}

export interface ExportRecord {
  id: number;
  /** 导出编号, e.g. GP-000012, printed on the sheet and the register. */
  exportNo: string;
  caseId: number | null;
  caseNo: string | null;
  caseCause: string | null;
  purpose: ExportPurpose;
  note: string | null;
  medium: ExportMedium;
  /** The drive whose blank the discs were split for (medium `drive`). */
  driveAddress: string | null;
  state: ExportState;
  clips: number;
  bytes: number;
  /** 制作人: the 综合处 clerk who made the record. */
  maker: { personId: number | null; label: string };
  recipient: Recipient;
  needsApproval: ApprovalReason[];
  approvedBy: string | null;
  approvedAt: number | null;
  decisionNote: string | null;
  /** 提取时间: when the discs were made from the store, set by the station when the build begins. */
  extractedAt: number | null;
  handedOverAt: number | null;
  createdAt: number;
  failure: { code: BuildFailure; message: string } | null;
  discs: ExportDisc[];
  progress: ExportProgress | null;
}

export interface ExportSettings {
  /** Every export needs a department head's approval, not only the secret, case-less or non-evidence ones. */
  requireApprovalForAll: boolean;
}

/** At most this many clips in one export (the sheet lists each; several exports for more). */
export const MAX_EXPORT_CLIPS = 5000;

export const exportNo = (id: number): string => `GP-${String(id).padStart(6, '0')}`;
