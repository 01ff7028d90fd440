// Custody types that cross the contract: checkouts (领用) with their pre-shift
// checks (第七条) and offload deadlines (第十五条), faults and maintenance
// (第六条), no-recording records (第五条) and footage recorded outside a
// checkout (第三条). Times are UTC epoch milliseconds unless a name says
// "local"; the renderer shows them in the station's time zone.
import type { PersonRef } from './domain.js';

/** 第八条: the sentence an officer says before recording; the checkout screen shows it. */
export const ANNOUNCEMENT = '为保护您的合法权益，监督我们的执法行为，本次执法全程录音录像';

/** 第四条: the five kinds of work that must be recorded; a checkout names one. */
export const workTypes = [
  'routine_inspection', // （一）日常执法检查
  'complaint_handling', // （二）处置各类投诉、举报案件
  'investigation', // （三）调查取证活动、先行登记保存证据、执法文书送达
  'compulsory_measure', // （四）实施行政强制措施
  'other_onsite', // （五）其他现场执法办案活动
] as const;
export type WorkType = (typeof workTypes)[number];

/** The regulation's own words for each kind (the Chinese UI uses these). */
export const WORK_TYPE_TERMS: Readonly<Record<WorkType, string>> = {
  routine_inspection: '日常执法检查',
  complaint_handling: '处置投诉举报',
  investigation: '调查取证、先行登记保存、文书送达',
  compulsory_measure: '行政强制措施',
  other_onsite: '其他现场执法办案',
};

/** 第十五条: the cases in which footage may be handed over within 24 hours of returning to the unit. */
export const offloadExceptions = ['continuous_work', 'away_from_unit', 'remote_area'] as const;
export type OffloadException = (typeof offloadExceptions)[number];
export const OFFLOAD_EXCEPTION_TERMS: Readonly<Record<OffloadException, string>> = {
  continuous_work: '连续工作',
  away_from_unit: '异地执法',
  remote_area: '在偏远、交通不便地区执法办案',
};

/** 第五条: the three cases in which a work activity may go unrecorded. */
export const noRecordingReasons = ['secret_or_privacy', 'emergency', 'objective_cause'] as const;
export type NoRecordingReason = (typeof noRecordingReasons)[number];
export const NO_RECORDING_REASON_TERMS: Readonly<Record<NoRecordingReason, string>> = {
  secret_or_privacy: '涉及国家秘密、商业秘密或者个人隐私',
  emergency: '情况紧急，不能进行执法记录',
  objective_cause: '因客观原因无法进行执法记录',
};

/** 第七条: what is checked before a camera goes out. */
export const preShiftChecks = ['battery', 'free_space', 'clock', 'footage', 'fault'] as const;
export type PreShiftCheckKind = (typeof preShiftChecks)[number];
/** The checks a custodian may confirm by looking at the camera when the station could not read a value. */
export const confirmableChecks = ['battery', 'free_space', 'clock', 'footage'] as const;
export type ConfirmableCheck = (typeof confirmableChecks)[number];

/**
 * Why a check came out as it did; the renderer has a sentence for each.
 * - ok: within the limit;
 * - below_minimum: battery or free space under the setting;
 * - skew_too_large: the camera's clock is off by more than the tolerance;
 * - clock_set: it was off (or unreadable) when read, and the station then wrote the camera's
 *   time file, which the camera takes at its next start: to be confirmed on the camera;
 * - no_reading: the camera's model does not report this value (or its file was unreadable);
 * - never_docked: the camera has never been docked, so nothing is known of its card;
 * - ingesting: the camera is being offloaded now;
 * - dock_incomplete: its last offload failed or was cancelled: footage may remain on it;
 * - previous_not_offloaded: an earlier checkout of this camera was never offloaded;
 * - open_fault: a fault is open on this camera.
 */
export const checkReasons = [
  'ok',
  'below_minimum',
  'skew_too_large',
  'clock_set',
  'no_reading',
  'never_docked',
  'ingesting',
  'dock_incomplete',
  'previous_not_offloaded',
  'open_fault',
] as const;
export type CheckReason = (typeof checkReasons)[number];

export interface PreShiftCheck {
  check: PreShiftCheckKind;
  /** unknown: nothing to measure; the custodian may confirm it by looking at the camera. */
  result: 'pass' | 'fail' | 'unknown';
  reason: CheckReason;
  /**
   * What was measured: battery %, free bytes, clock skew ms (camera − station),
   * failed files of the last dock, the open fault's id; null when nothing was read.
   */
  value: number | null;
  /** The limit it was measured against: minimum %, minimum bytes, tolerance ms. */
  limit: number | null;
  /** The dock session the value was read at, and when the camera was docked. */
  dockSessionId: number | null;
  readAt: number | null;
  /** A failed (or unconfirmed) check may be overridden by 综合处 with a reason; an open fault may not. */
  overridable: boolean;
  confirmable: boolean;
}

/** How a check was settled when the camera went out. */
export type CheckResolution = 'passed' | 'confirmed' | 'overridden';
export interface RecordedCheck extends PreShiftCheck {
  resolution: CheckResolution;
}

export interface DeviceRef {
  id: number;
  serial: string;
  model: string | null;
  /** 定人管理: the camera's fixed keeper. */
  keeper: PersonRef | null;
}

/**
 * open: with the officer; offloaded: its footage is in the vault, the camera
 * not yet received back; returned: the custodian received it (closed).
 */
export const checkoutStatuses = ['open', 'offloaded', 'returned'] as const;
export type CheckoutStatus = (typeof checkoutStatuses)[number];

export interface CheckoutView {
  id: number;
  device: DeviceRef;
  officer: PersonRef;
  workType: WorkType;
  note: string | null;
  status: CheckoutStatus;
  checkedOutAt: number;
  /** Who handed the camera out (audit label). */
  issuedBy: string;
  expectedEndAt: number;
  /** 第十五条: by when the footage must be offloaded. */
  deadlineAt: number;
  deadlineRule: 'same_day' | 'exception';
  /** The declared exception, when there is one. */
  exception: { kind: OffloadException; reason: string; declaredReturnAt: number; declaredAt: number; declaredBy: string } | null;
  /** Set when 综合处 let the camera out despite a failed check. */
  override: { reason: string; by: string } | null;
  /** When the camera was docked for the offload that completed it, and when that offload finished. */
  dockedAt: number | null;
  offloadedAt: number | null;
  offloadDockSessionId: number | null;
  /** How late the offload was (ms), when it was. */
  lateMs: number | null;
  returnedAt: number | null;
  receivedBy: string | null;
  returnCondition: 'good' | 'damaged' | null;
  returnNote: string | null;
  /** Not offloaded and past its deadline, at the core's clock. */
  overdue: boolean;
}

export interface CheckoutDetail extends CheckoutView {
  checks: RecordedCheck[];
  /** Clips linked to this checkout. */
  clipCount: number;
  lateOffloads: LateOffload[];
  outsideRecordings: OutsideRecording[];
  noRecordings: NoRecordingRecord[];
  /** The fault opened when the camera came back damaged. */
  returnFault: Fault | null;
}

export type CameraUnavailableReason = 'out_of_service' | 'retired' | 'checked_out' | 'open_fault';

export interface CameraAvailability {
  device: DeviceRef;
  available: boolean;
  unavailableBecause: CameraUnavailableReason | null;
}

export interface CheckoutProposal {
  officer: PersonRef & { unit: string | null };
  /** The cameras this officer keeps (定人管理). */
  ownCameras: CameraAvailability[];
  /** The officer's own camera if it can go out, else a ready one; null when none is free. */
  proposed: { device: DeviceRef; because: 'own_camera' | 'ready_camera'; checks: PreShiftCheck[] } | null;
  /** Checkouts of this officer not yet returned. */
  openCheckouts: CheckoutView[];
  /** False when the officer already holds a camera and the setting forbids a second. */
  mayTakeAnother: boolean;
}

export interface OverdueCheckout extends CheckoutView {
  overdueMs: number;
}

/** 第十五条 supervision: an offload that came after its deadline. */
export interface LateOffload {
  id: number;
  checkoutId: number;
  dockSessionId: number;
  officer: PersonRef;
  device: { id: number; serial: string };
  deadlineAt: number;
  dockedAt: number;
  lateMs: number;
  recordedAt: number;
}

/**
 * 第三条: footage from a dock that no checkout covers (no_checkout), or clips
 * of a checked-out camera recorded outside the checkout's time (outside_window).
 */
export interface OutsideRecording {
  id: number;
  kind: 'no_checkout' | 'outside_window';
  dockSessionId: number;
  device: { id: number; serial: string };
  /** When the camera was docked (the footage reached the station). */
  dockedAt: number;
  /** The officer the camera's binding named at that dock; null if it named none the station knows. */
  officer: { id: number; badge: string; name: string } | null;
  checkoutId: number | null;
  clips: Array<{ id: number; originalPath: string; startAt: number | null; kind: string }>;
  flaggedAt: number;
  reviewedAt: number | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

export interface MaintenanceEntry {
  id: number;
  deviceId: number;
  /** The camera's 产品序号, so a list across cameras reads without another call. */
  serial: string;
  faultId: number | null;
  description: string;
  at: number;
  by: string;
}

export interface Fault {
  id: number;
  device: { id: number; serial: string };
  description: string;
  reportedAt: number;
  reportedBy: string;
  /** The checkout during (or at the return of) which it was found. */
  checkoutId: number | null;
  closedAt: number | null;
  closedBy: string | null;
  resolution: string | null;
  maintenance: MaintenanceEntry[];
}

/** 第五条: a work activity that was not recorded, reported to a department head. */
export interface NoRecordingRecord {
  id: number;
  officer: PersonRef;
  checkoutId: number | null;
  reason: NoRecordingReason;
  detail: string;
  occurredAt: number;
  place: string;
  head: PersonRef;
  filedAt: number;
  filedBy: string;
  acknowledgedAt: number | null;
  acknowledgedNote: string | null;
}

/** One row of the camera status list. */
export interface CameraCustodyStatus {
  device: DeviceRef & { status: 'in_service' | 'out_of_service' | 'retired' };
  checkout: CheckoutView | null;
  /** The camera is on the station now (its dock session, if not yet taken off). */
  dock: { dockSessionId: number; state: string; attachedAt: number } | null;
  openFaults: Array<{ id: number; description: string; reportedAt: number }>;
  /** What its last finished dock read. */
  lastDock: { dockSessionId: number; at: number; batteryPercent: number | null; freeBytes: number | null; clockSkewMs: number | null } | null;
  /** In service, not checked out, no open fault. */
  available: boolean;
}

/** Settings of the custody rules, changed by 综合处 or an administrator. */
export interface CustodySettings {
  /** 第七条 电池电量充足: the least battery, in percent, at the camera's last dock. */
  batteryMinPercent: number;
  /** 第七条 内存卡有足够存储空间: the least free space on the card, in bytes. */
  freeSpaceMinBytes: number;
  /** 第七条 调整好设备时间: the largest clock error allowed, in seconds. */
  clockToleranceSeconds: number;
  /** 第十五条 当天: the local time ("HH:mm") by which the day's footage must be offloaded. */
  offloadCutoff: string;
  /** Whether one officer may hold two cameras at once. */
  officerMayHoldTwo: boolean;
  /** Whether the dock board sounds a short tone when a new alarm appears (the alarm is shown either way). */
  alarmSound: boolean;
  /**
   * Free space the evidence vault should keep, in bytes: a dock whose files would leave less raises
   * the board's "存储空间不足" alarm while there is still room (the footage is still stored).
   */
  vaultReserveBytes: number;
}

/** `YYYY-MM-DDTHH:mm` or `YYYY-MM-DDTHH:mm:ss`: a wall-clock time in the station's zone (what <input type="datetime-local"> gives). */
export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Whether `text` names a real calendar minute (no 31 April, no 25:00). */
export function isValidLocalDateTime(text: string): boolean {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (year < 2000 || year > 2200 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `HH:mm`, 00:00–23:59. */
export const CUTOFF = /^([01]\d|2[0-3]):([0-5]\d)$/;
