// The evidence library's vocabulary (issue 20; 第四、十八、十九、二十、二十一条): how a clip is
// classified, who may see it, and why someone asks to view it. The core enforces every rule; the
// renderer only words these values (renderer/i18n).
import type { WorkType } from './custody.js';
import type { AuditEntry, PersonRef } from './domain.js';
import type { ClipKind } from './ingest.js';

/**
 * Confidentiality (第二十一条), per clip or per case; a clip's level is the highest of its own and
 * its cases'. The two secret levels need a department head's approval for every view, are never
 * proxied to disk unencrypted, and are hidden from the searches of anyone without that approval.
 */
export const confidentialityLevels = [
  'normal', // 普通
  'internal', // 内部
  'commercial_secret', // 商业秘密
  'state_secret', // 国家秘密
] as const;
export type Confidentiality = (typeof confidentialityLevels)[number];

export const isSecret = (level: Confidentiality): boolean => level === 'commercial_secret' || level === 'state_secret';

/** The higher of two levels, in the order above. */
export function higherLevel(a: Confidentiality, b: Confidentiality): Confidentiality {
  return confidentialityLevels.indexOf(a) >= confidentialityLevels.indexOf(b) ? a : b;
}

/** 第十九条: what a view of recordings may be for. */
export const viewPurposes = [
  'litigation', // 涉法涉诉
  'supervision', // 执法监督
  'case_analysis', // 案情研判
  'other', // 其他
] as const;
export type ViewPurpose = (typeof viewPurposes)[number];

/** What a view request asks for: clips chosen in the library, a whole case, or a whole checkout. */
export const viewScopes = ['clips', 'case', 'checkout'] as const;
export type ViewScope = (typeof viewScopes)[number];

/** The kinds of recording a search can ask for (shared/ingest.ts's ClipKind, as a list for the contract). */
export const clipKinds = ['video', 'audio', 'photo', 'other'] as const satisfies readonly ClipKind[];

// ---- the library's records as they cross the contract (metadata only: never a vault path) ----

/** Officer, camera and dates to search by; every filter narrows (AND). Dates are UTC ms, `from` inclusive, `to` exclusive. */
export interface LibraryFilter {
  officerId?: number;
  deviceId?: number;
  from?: number;
  to?: number;
  important?: boolean;
  kind?: ClipKind;
  /** 第四条: the clip's own work type where set, else its covering checkout's. */
  workType?: WorkType;
  caseId?: number;
  checkoutId?: number;
  damaged?: boolean;
  /** The effective level (the highest of the clip's own and its cases'). */
  confidentiality?: Confidentiality;
}

/** Where the next page starts (the last row shown); `startAt` null once in the undated tail. */
export interface LibraryCursor {
  startAt: number | null;
  id: number;
}

/** One clip in a result list. */
export interface ClipSummary {
  id: number;
  /** The file's name and path on the camera (not in the vault). */
  name: string;
  originalPath: string;
  kind: ClipKind;
  /** Corrected by the clock skew measured at dock; null when unknown. */
  startAt: number | null;
  /** The start as the camera wrote it, and read in the station's zone. */
  cameraStartText: string | null;
  cameraStartAt: number | null;
  durationMs: number | null;
  size: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  officer: PersonRef | null;
  /** 警号 as the camera wrote it. */
  badge: string | null;
  device: { id: number; serial: string };
  important: boolean;
  damaged: boolean;
  damageReason: string | null;
  confidentiality: Confidentiality;
  workType: WorkType | null;
  /** The work type was set on the clip, not taken from its checkout. */
  workTypeOverridden: boolean;
  checkoutId: number | null;
  committedAt: number;
}

export interface LibraryPage {
  clips: ClipSummary[];
  next: LibraryCursor | null;
  /** On the first page only (null after): how many match; `capped`: at least `count` (counting stops at 1,000, or after a few ms). */
  total: { count: number; capped: boolean } | null;
}

/** A case (案件) as its own record. */
export interface CaseRecord {
  id: number;
  caseNo: string;
  cause: string;
  /** 承办人: a registered person (id) or a name as typed (id null). */
  handler: { id: number | null; name: string; badge: string | null };
  confidentiality: Confidentiality;
  note: string | null;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  clipCount: number;
}

export interface CaseDetail extends CaseRecord {
  clips: LibraryPage;
}

/** One clip's full record (library.clip): everything the station knows, and its history. */
export interface ClipDetail extends ClipSummary {
  /** The clip's own level; `confidentiality` is the effective one. */
  ownConfidentiality: Confidentiality;
  note: string | null;
  hashAlgorithm: 'sha256' | 'sm3';
  hash: string;
  /** How the copy was checked (direct-readback, cache-readback). */
  verification: string;
  mtimeMs: number;
  embeddedCreatedAt: number | null;
  clockWrong: boolean;
  /** What the file's own name says (产品序号, 警号, sequence). */
  nameSerial: string | null;
  nameBadge: string | null;
  nameSeq: number | null;
  dock: { id: number; attachedAt: number; finishedAt: number | null; clockSkewMs: number | null; cameraClockText: string | null } | null;
  checkout: { id: number; workType: WorkType; checkedOutAt: number; officer: PersonRef | null; status: string } | null;
  cases: Array<{ id: number; caseNo: string; cause: string; confidentiality: Confidentiality }>;
  /** Audit rows concerning the clip, newest first; `next` is the seq to page on from. */
  history: { entries: AuditEntry[]; next: number | null };
}
