// The one table of every call and event between the UI and the core. The
// preload, the IPC relay, the harness transport and the renderer client are all
// typed from it; the core's handler table must implement exactly these names.
import { z } from 'zod';
import type {
  AuditEntry,
  AuditVerification,
  Device,
  DeviceDetail,
  Person,
  RoleGrant,
  SessionInfo,
  StationStatus,
} from './domain.js';
import { deviceStatuses } from './domain.js';
import type { Alarm, DockLobby, DockSessionDetail, DockSessionView } from './ingest.js';
import type { SealSheet, SealVerification, SealView } from './seal.js';
import type { ViewCloseReason, ViewGrant, ViewingSettings, ViewOpened, ViewRegisterEntry, ViewRequest } from './viewing.js';
import { approverRoleChoices, MAX_OWN_FOOTAGE_DAYS, MAX_REQUEST_CLIPS, MAX_STANDING_DAYS, MAX_VIEW_HOURS, standingScopes, viewRequestStates } from './viewing.js';
import { viewPurposes, viewScopes } from './library.js';
import type { ExportRecord, ExportSettings } from './export.js';
import { exportMedia, exportPurposes, exportStates, MAX_EXPORT_CLIPS } from './export.js';
import type {
  CameraCustodyStatus,
  CheckoutDetail,
  CheckoutProposal,
  CheckoutView,
  CustodySettings,
  Fault,
  LateOffload,
  MaintenanceEntry,
  NoRecordingRecord,
  OutsideRecording,
  OverdueCheckout,
  PreShiftCheck,
} from './custody.js';
import {
  CUTOFF,
  LOCAL_DATE_TIME,
  checkoutStatuses,
  confirmableChecks,
  isValidLocalDateTime,
  noRecordingReasons,
  offloadExceptions,
  workTypes,
} from './custody.js';
import type { CaseDetail, CaseRecord, ClipDetail, LibraryPage } from './library.js';
import { clipKinds, confidentialityLevels } from './library.js';
import type { Result } from './errors.js';
import type { Permission, Role } from './roles.js';
import { roles } from './roles.js';
import type { EventMap, EventName } from './events.js';

// Events have their own zod-free module so the preload and main can import the
// event names without bundling every schema.
export { eventNames } from './events.js';
export type { EventMap, EventName } from './events.js';

/**
 * Who may make a call:
 * - 'public': anyone, no session (status, first-run setup, login);
 * - 'session': any logged-in, unlocked person (their own profile, logout);
 * - a permission: a logged-in person whose roles grant it.
 */
export type Access = 'public' | 'session' | Permission;

export interface CallSpec<I extends z.ZodType, O> {
  input: I;
  access: Access;
  /** Phantom: carries the output type only. */
  output?: O;
}

function call<O>() {
  return <I extends z.ZodType>(access: Access, input: I): CallSpec<I, O> => ({ input, access });
}

// ---- field schemas, shared so the same rule holds in every call ----
const text = (max: number) => z.string().trim().min(1).max(max);
export const badgeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{2,32}$/, 'badge: 2–32 letters, digits or -');
export const nameSchema = text(64);
export const unitSchema = z.string().trim().max(128);
export const passwordSchema = z.string().min(1).max(256);
export const newPasswordSchema = z.string().min(10, 'password: at least 10 characters').max(256);
export const pinSchema = z.string().regex(/^[0-9]{4,12}$/, 'PIN: 4–12 digits');
export const newPinSchema = z.string().regex(/^[0-9]{6,12}$/, 'PIN: 6–12 digits');
export const serialSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z._-]{1,64}$/, 'serial: 1–64 letters, digits, . _ -');
export const reasonSchema = text(500);
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const empty = z.strictObject({});
const pageLimit = z.number().int().min(1).max(500).optional();

/** Which register rows: whose, which clip, opened from / before (UTC ms, `to` exclusive). */
const registerFilter = {
  personId: id.optional(),
  clipId: id.optional(),
  from: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  to: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
};
const optionalNote = z.string().trim().max(500).optional();
/** An outside 提取人's ID number (居民身份证, 警官证, 工作证): letters, digits and -. */
const idNoSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{4,40}$/, 'ID number: 4–40 letters, digits or -');
/** A wall-clock time in the station's zone, as <input type="datetime-local"> gives it: `2026-11-27T18:00`. */
export const localDateTimeSchema = z
  .string()
  .max(19)
  .regex(LOCAL_DATE_TIME, 'time: YYYY-MM-DDTHH:mm')
  .refine(isValidLocalDateTime, 'time: not a real date and time');

const epochMs = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
/** The last clip of a library page (its start time null once in the clips whose time is unknown). */
const libraryCursor = z.strictObject({ startAt: epochMs.nullable(), id });
/** 案件编号 as the case file writes it: letters, digits, CJK, and the usual punctuation of case numbers. */
const caseNoSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z\u3400-\u9fff（）()〔〕[\]【】_./-]{1,64}$/u, 'case number: 1–64 letters, digits, CJK or ()〔〕[]【】_./-');
const caseClipsSchema = z
  .strictObject({ caseId: id, clipIds: z.array(id).min(1).max(500).optional(), checkoutId: id.optional() })
  .refine((v) => (v.clipIds === undefined) !== (v.checkoutId === undefined), { message: 'give clipIds or checkoutId, not both', path: ['clipIds'] });

/** The custody rules' settings, each bounded (see electron/core/custody/settings.ts for the defaults and why). */
export const custodySettingsSchema = z.strictObject({
  batteryMinPercent: z.number().int().min(0).max(100),
  freeSpaceMinBytes: z.number().int().min(0).max(2 ** 44),
  clockToleranceSeconds: z.number().int().min(1).max(24 * 3600),
  offloadCutoff: z.string().max(5).regex(CUTOFF, 'cut-off: HH:mm'),
  officerMayHoldTwo: z.boolean(),
  alarmSound: z.boolean(),
  vaultReserveBytes: z.number().int().min(0).max(2 ** 44),
});

export const contract = {
  // ---- station ----
  'station.status': call<StationStatus>()('public', empty),
  /** First run: creates the administrator. Refused once anyone exists. */
  'station.setup': call<SessionInfo>()(
    'public',
    z.strictObject({
      badge: badgeSchema,
      name: nameSchema,
      unit: unitSchema.optional(),
      password: newPasswordSchema,
    }),
  ),

  // ---- auth ----
  'auth.loginPassword': call<SessionInfo>()(
    'public',
    z.strictObject({ badge: badgeSchema, password: passwordSchema }),
  ),
  /** Keyboard-wedge badge reader: the badge number is typed, then a PIN is asked. */
  'auth.loginBadge': call<SessionInfo>()('public', z.strictObject({ badge: badgeSchema, pin: pinSchema })),
  'auth.logout': call<null>()('public', empty),
  'auth.session': call<SessionInfo | null>()('public', empty),
  /** Re-opens an idle-locked session with the person's password or PIN. */
  'auth.unlock': call<SessionInfo>()('public', z.strictObject({ secret: passwordSchema })),
  /** Allowed (and required) while the session still carries a one-time PIN. */
  'auth.changePin': call<SessionInfo>()(
    'session',
    z.strictObject({ currentPin: pinSchema, newPin: newPinSchema }),
  ),
  'auth.changePassword': call<SessionInfo>()(
    'session',
    z.strictObject({ currentPassword: passwordSchema, newPassword: newPasswordSchema }),
  ),

  // ---- people ----
  'people.list': call<Person[]>()(
    'people.view',
    z.strictObject({ query: z.string().max(64).optional(), includeInactive: z.boolean().optional() }),
  ),
  'people.create': call<{ person: Person; oneTimePin: string }>()(
    'people.manage',
    z.strictObject({
      badge: badgeSchema,
      name: nameSchema,
      unit: unitSchema.optional(),
      roles: z.array(z.enum(roles)).min(1).max(roles.length),
    }),
  ),
  'people.update': call<Person>()(
    'people.manage',
    z.strictObject({
      id,
      name: nameSchema.optional(),
      unit: unitSchema.optional(),
      roles: z.array(z.enum(roles)).min(1).max(roles.length).optional(),
    }),
  ),
  'people.setActive': call<Person>()('people.manage', z.strictObject({ id, active: z.boolean() })),
  /** Issues a new one-time PIN (lost PIN); also clears a lockout. */
  'people.resetPin': call<{ person: Person; oneTimePin: string }>()('people.manage', z.strictObject({ id })),
  /**
   * Grants of 系统管理员, 综合处 or 部门负责人 and their four-eyes decision: `open` lists those
   * waiting (pending, or in effect unreviewed on a new station); otherwise the latest, newest first.
   */
  'people.grants': call<RoleGrant[]>()('people.view', z.strictObject({ open: z.boolean().optional(), personId: id.optional() })),
  /** A second person (administrator or head, not the requester or grantee) agrees: a pending role takes effect. */
  'people.confirmGrant': call<RoleGrant>()('people.confirm_grants', z.strictObject({ id })),
  /** A second person refuses, with a reason: a pending role never takes effect, an unreviewed one is withdrawn. */
  'people.refuseGrant': call<RoleGrant>()('people.confirm_grants', z.strictObject({ id, reason: reasonSchema })),

  // ---- devices (第六条) ----
  'devices.list': call<Device[]>()(
    'devices.view',
    z.strictObject({
      query: z.string().max(64).optional(),
      status: z.enum(deviceStatuses).optional(),
    }),
  ),
  'devices.get': call<DeviceDetail>()('devices.view', z.strictObject({ id })),
  'devices.register': call<DeviceDetail>()(
    'devices.manage',
    z.strictObject({
      serial: serialSchema,
      model: text(64).optional(),
      keeperId: id.optional(),
      note: z.string().trim().max(500).optional(),
    }),
  ),
  'devices.update': call<DeviceDetail>()(
    'devices.manage',
    z.strictObject({
      id,
      model: z.string().trim().max(64).optional(),
      /** null clears the keeper. */
      keeperId: id.nullable().optional(),
      note: z.string().trim().max(500).optional(),
    }),
  ),
  /** Take out of service, return to service, or retire (final). */
  'devices.setStatus': call<DeviceDetail>()(
    'devices.manage',
    z.strictObject({ id, status: z.enum(deviceStatuses), reason: reasonSchema }),
  ),

  // ---- docking and ingest ----
  /** The dock board: cameras on the station now, and open alarms. */
  'dock.board': call<{ docks: DockSessionView[]; alarms: Alarm[] }>()('ingest.view', empty),
  /**
   * The docked cameras as anyone at the station may see them, logged in or not (the login and
   * lock screens, an officer's home): whether each may be taken off the dock. Public because the
   * officer who docks at the end of a shift must see "done" to go home (DESIGN.md); it names no
   * person, file or reason, only what the camera shows on its own case (its serial) and progress.
   */
  'dock.lobby': call<DockLobby>()('public', empty),
  'dock.get': call<DockSessionDetail>()('ingest.view', z.strictObject({ id })),
  /** A camera's docks, newest first, a page at a time: `before` is the last row of the page above. */
  'dock.history': call<DockSessionView[]>()(
    'ingest.view',
    z.strictObject({
      deviceId: id,
      before: z.strictObject({ attachedAt: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), id }).optional(),
      limit: pageLimit,
    }),
  ),
  /** Identify a still-docked camera again (after registering it from its alarm) and ingest. */
  'dock.retry': call<DockSessionView>()('ingest.control', z.strictObject({ id })),
  'ingest.pause': call<null>()('ingest.control', z.strictObject({ dockSessionId: id })),
  'ingest.resume': call<null>()('ingest.control', z.strictObject({ dockSessionId: id })),
  'ingest.cancel': call<null>()('ingest.control', z.strictObject({ dockSessionId: id })),
  'alarms.resolve': call<Alarm>()('ingest.control', z.strictObject({ id, resolution: reasonSchema })),

  // ---- custody (第三条–第八条, 第十五条) ----
  'custody.settings': call<CustodySettings>()('custody.view', empty),
  /** Only the fields given change; deadlines already set keep the cut-off they were set with. */
  'custody.updateSettings': call<CustodySettings>()('custody.configure', custodySettingsSchema.partial()),
  /** The officer at the counter (badge scanned, or picked by id) and the camera to hand out, with its checks. */
  'custody.propose': call<CheckoutProposal>()(
    'custody.operate',
    z.strictObject({ badge: badgeSchema.optional(), officerId: id.optional() }),
  ),
  /** The pre-shift checks (第七条) of one camera as they stand now. */
  'custody.checks': call<PreShiftCheck[]>()('custody.operate', z.strictObject({ deviceId: id })),
  /**
   * 领用. `confirmed`: checks the station could not read, confirmed by the custodian looking at the camera.
   * `override`: 综合处 lets the camera out despite failed checks (not an open fault), with a reason.
   */
  'custody.checkout': call<CheckoutDetail>()(
    'custody.operate',
    z.strictObject({
      officerId: id,
      deviceId: id,
      workType: z.enum(workTypes),
      expectedEnd: localDateTimeSchema,
      note: optionalNote,
      confirmed: z.array(z.enum(confirmableChecks)).max(confirmableChecks.length).optional(),
      exception: z
        .strictObject({ kind: z.enum(offloadExceptions), reason: reasonSchema, declaredReturn: localDateTimeSchema })
        .optional(),
      override: z.strictObject({ reason: reasonSchema }).optional(),
    }),
  ),
  /** 第十五条: continuous work, away from the unit, or a remote area: due 24 h after the declared return. */
  'custody.declareException': call<CheckoutDetail>()(
    'custody.operate',
    z.strictObject({ checkoutId: id, kind: z.enum(offloadExceptions), reason: reasonSchema, declaredReturn: localDateTimeSchema }),
  ),
  /** 归还: the custodian confirms receipt and the camera's condition; damage opens a fault. */
  'custody.receive': call<CheckoutDetail>()(
    'custody.operate',
    z.strictObject({
      checkoutId: id,
      condition: z.enum(['good', 'damaged']),
      damage: text(500).optional(),
      /** With damage: also take the camera out of service. */
      outOfService: z.boolean().optional(),
      note: optionalNote,
    }),
  ),
  'custody.get': call<CheckoutDetail>()('custody.view', z.strictObject({ id })),
  'custody.list': call<{ asOf: number; checkouts: CheckoutView[] }>()(
    'custody.view',
    z.strictObject({
      status: z.enum(checkoutStatuses).optional(),
      officerId: id.optional(),
      deviceId: id.optional(),
      beforeId: id.optional(),
      limit: pageLimit,
    }),
  ),
  /** Not offloaded and past the deadline, most overdue first; `asOf` is the core's clock. */
  'custody.overdue': call<{ asOf: number; checkouts: OverdueCheckout[] }>()('custody.view', empty),
  /** The camera status list: in service, out with whom since when, docked, faults. */
  'custody.cameras': call<{ asOf: number; cameras: CameraCustodyStatus[] }>()(
    'custody.view',
    z.strictObject({ includeRetired: z.boolean().optional() }),
  ),
  /** The logged-in officer's own history. */
  'custody.mine': call<{ asOf: number; checkouts: CheckoutView[]; noRecordings: NoRecordingRecord[]; lateOffloads: LateOffload[] }>()(
    'session',
    empty,
  ),
  /** 第十五条 supervision: offloads that came after their deadline. */
  'custody.lateOffloads': call<LateOffload[]>()(
    'custody.view',
    z.strictObject({ officerId: id.optional(), beforeId: id.optional(), limit: pageLimit }),
  ),
  /** 第三条: footage recorded outside a checkout. */
  'custody.outsideRecordings': call<OutsideRecording[]>()(
    'custody.view',
    z.strictObject({ reviewed: z.boolean().optional(), beforeId: id.optional(), limit: pageLimit }),
  ),
  'custody.reviewOutsideRecording': call<OutsideRecording>()('custody.supervise', z.strictObject({ id, note: reasonSchema })),

  // ---- faults and maintenance (第六条) ----
  'faults.list': call<Fault[]>()(
    'custody.view',
    z.strictObject({ deviceId: id.optional(), open: z.boolean().optional(), beforeId: id.optional(), limit: pageLimit }),
  ),
  /** Opens a fault (the camera cannot be checked out while it is open); optionally takes it out of service. */
  'faults.report': call<Fault>()(
    'custody.operate',
    z.strictObject({ deviceId: id, description: text(500), outOfService: z.boolean(), checkoutId: id.optional() }),
  ),
  /** Maintenance on a camera: against an open fault, or routine (no faultId). */
  'faults.logMaintenance': call<MaintenanceEntry>()(
    'custody.operate',
    z.strictObject({ deviceId: id, faultId: id.optional(), description: text(500) }),
  ),
  /** 第六条 保管和养护: routine maintenance (not tied to a fault), newest first; all cameras unless deviceId. */
  'faults.maintenance': call<MaintenanceEntry[]>()(
    'custody.view',
    z.strictObject({ deviceId: id.optional(), beforeId: id.optional(), limit: pageLimit }),
  ),
  /** Closes a fault; returnToService puts the camera back in service (refused while another fault is open). */
  'faults.close': call<Fault>()(
    'custody.operate',
    z.strictObject({ id, resolution: reasonSchema, returnToService: z.boolean() }),
  ),

  // ---- no-recording records (第五条) ----
  /** The department heads a record can be sent to. */
  'norecord.heads': call<Array<{ id: number; badge: string; name: string; unit: string | null }>>()('session', empty),
  /** An officer files for themself; a custodian or 综合处 may file for an officer (officerId). */
  'norecord.file': call<NoRecordingRecord>()(
    'norecord.file',
    z.strictObject({
      officerId: id.optional(),
      checkoutId: id.optional(),
      reason: z.enum(noRecordingReasons),
      detail: text(1000),
      occurredAt: localDateTimeSchema,
      place: text(200),
      headId: id,
    }),
  ),
  /** The head the record was sent to acknowledges it. */
  'norecord.acknowledge': call<NoRecordingRecord>()('norecord.acknowledge', z.strictObject({ id, note: optionalNote })),
  /** toMe: only those sent to the logged-in head. */
  'norecord.list': call<NoRecordingRecord[]>()(
    'custody.view',
    z.strictObject({
      checkoutId: id.optional(),
      officerId: id.optional(),
      toMe: z.boolean().optional(),
      pending: z.boolean().optional(),
      beforeId: id.optional(),
      limit: pageLimit,
    }),
  ),

  // ---- viewing under approval (issue 20; 第十八、十九、二十条) ----
  /** Ask to view clips, a case or a checkout, with 查阅事由 and purpose (第十九条), for `hours`. */
  'viewing.request': call<ViewRequest>()(
    'viewing.request',
    z.strictObject({
      reason: text(500),
      purpose: z.enum(viewPurposes),
      scope: z.enum(viewScopes),
      clipIds: z.array(id).min(1).max(MAX_REQUEST_CLIPS).optional(),
      caseId: id.optional(),
      checkoutId: id.optional(),
      hours: z.number().int().min(1).max(MAX_VIEW_HOURS),
    }),
  ),
  /**
   * Requests newest first: one's own, or (the approver, the register's readers) everyone's.
   * `pendingForMe` counts what waits for the approver's decision, for their home screen.
   */
  'viewing.requests': call<{ asOf: number; requests: ViewRequest[]; pendingForMe: number }>()(
    'viewing.request',
    z.strictObject({
      mine: z.boolean().optional(),
      state: z.enum(viewRequestStates).optional(),
      requesterId: id.optional(),
      beforeId: id.optional(),
      limit: pageLimit,
    }),
  ),
  /** The approver (the station's setting; never the requester) approves for `hours` from now, with a note. */
  'viewing.approve': call<{ request: ViewRequest; grant: ViewGrant }>()(
    'viewing.approve',
    z.strictObject({ id, hours: z.number().int().min(1).max(MAX_VIEW_HOURS), note: optionalNote }),
  ),
  'viewing.refuse': call<ViewRequest>()('viewing.approve', z.strictObject({ id, reason: reasonSchema })),
  /** The requester takes back a request still pending. */
  'viewing.withdraw': call<ViewRequest>()('viewing.request', z.strictObject({ id })),
  /** A standing grant (e.g. 综合处, supervision, a month): every clip that is not secret, or one case's or checkout's. */
  'viewing.grant': call<ViewGrant>()(
    'viewing.approve',
    z.strictObject({
      granteeId: id,
      purpose: z.enum(viewPurposes),
      reason: reasonSchema,
      days: z.number().int().min(1).max(MAX_STANDING_DAYS),
      scope: z.enum(standingScopes),
      caseId: id.optional(),
      checkoutId: id.optional(),
    }),
  ),
  /** Ends a grant now: playback under it stops at its next byte range. */
  'viewing.revoke': call<ViewGrant>()('viewing.approve', z.strictObject({ id, reason: reasonSchema })),
  /** Grants newest first: one's own, or (the approver, the register's readers) everyone's. */
  'viewing.grants': call<{ asOf: number; grants: ViewGrant[] }>()(
    'viewing.request',
    z.strictObject({ granteeId: id.optional(), active: z.boolean().optional(), beforeId: id.optional(), limit: pageLimit }),
  ),
  /**
   * Opens a view of a clip for playback, registered (查阅登记), only inside a grant in force (or
   * the own-footage setting). The bytes come from the media endpoint under the returned viewId,
   * each range checked again. `proxy`: the player cannot decode the original. `contactSheet`: the
   * clip's key frames in one picture instead (made now if missing), viewed and registered the same.
   */
  'viewing.open': call<ViewOpened>()(
    'viewing.request',
    z.strictObject({ clipId: id, proxy: z.boolean().optional(), contactSheet: z.boolean().optional() }),
  ),
  /** Ends the caller's view; says why it had ended if it was already over (expired, revoked, …). */
  'viewing.close': call<{ wasOpen: boolean; because: ViewCloseReason | null }>()(
    'viewing.request',
    z.strictObject({ viewId: z.string().regex(/^[0-9a-f]{32}$/) }),
  ),
  /** 查阅登记, newest first; `from`/`to` bound the opening time (UTC ms, `to` exclusive). */
  'viewing.register': call<{ entries: ViewRegisterEntry[]; total: number }>()(
    'viewing.register',
    z.strictObject({ ...registerFilter, beforeId: id.optional(), limit: pageLimit }),
  ),
  /** The register as CSV (UTF-8 with BOM, both languages' headers, formula cells defused); audited. */
  'viewing.registerCsv': call<{ fileName: string; csv: string; rows: number }>()('viewing.register', z.strictObject(registerFilter)),
  /** The register printed: A4 landscape PDF in Chinese (English second), repeated headings, page n of m; at most 2,000 rows (a longer one a date range at a time); audited. */
  'viewing.registerPdf': call<{ fileName: string; base64: string; rows: number }>()('viewing.register', z.strictObject(registerFilter)),
  /** The register as an Excel workbook (.xlsx): the CSV's columns, text never a formula, times as dates; audited. */
  'viewing.registerXlsx': call<{ fileName: string; base64: string; rows: number }>()('viewing.register', z.strictObject(registerFilter)),
  'viewing.settings': call<ViewingSettings>()('viewing.request', empty),
  /** Only the fields given change. */
  'viewing.updateSettings': call<ViewingSettings>()(
    'viewing.approve',
    z.strictObject({
      approverRole: z.enum(approverRoleChoices as [Role, ...Role[]]).optional(),
      ownFootageDays: z.number().int().min(0).max(MAX_OWN_FOOTAGE_DAYS).optional(),
    }),
  ),

  // ---- evidence discs (issue 21; 第十七、二十、二十一条) ----
  /**
   * 综合处 makes an export: all of a case's clips, or clips chosen (with a case, each in it), for a
   * 提取人 of the registry or from outside (unit and ID number). Secret clips, no case or a purpose
   * other than evidence wait for a department head's approval; the others are made now.
   */
  'exports.create': call<ExportRecord>()(
    'export.make',
    z.strictObject({
      caseId: id.optional(),
      clipIds: z.array(id).min(1).max(MAX_EXPORT_CLIPS).optional(),
      allOfCase: z.boolean().optional(),
      purpose: z.enum(exportPurposes),
      note: optionalNote,
      medium: z.enum(exportMedia),
      /** With medium 'drive': one of exports.drives' addresses. */
      driveAddress: z.string().min(1).max(256).optional(),
      recipient: z.union([
        z.strictObject({ personId: id }),
        z.strictObject({ name: nameSchema, unit: text(128), idNo: idNoSchema }),
      ]),
    }),
  ),
  /** The export register, newest first; `pendingForMe` counts what waits for the caller's approval. */
  'exports.list': call<{ exports: ExportRecord[]; pendingForMe: number }>()(
    'export.register',
    z.strictObject({
      state: z.enum(exportStates).optional(),
      caseId: id.optional(),
      clipId: id.optional(),
      /** Recorded from / before (UTC ms, `to` exclusive), as the register's exports take them. */
      from: registerFilter.from,
      to: registerFilter.to,
      beforeId: id.optional(),
      limit: pageLimit,
    }),
  ),
  'exports.get': call<ExportRecord>()('export.register', z.strictObject({ id })),
  'exports.approve': call<ExportRecord>()('export.approve', z.strictObject({ id, note: optionalNote })),
  'exports.refuse': call<ExportRecord>()('export.approve', z.strictObject({ id, reason: reasonSchema })),
  /** Makes the discs of an approved export, or again after a failure: 提取时间 is now. */
  'exports.start': call<ExportRecord>()('export.make', z.strictObject({ id })),
  /** The 提取人 took the discs: the images are deleted from the station, the register keeps their hashes. */
  'exports.handOver': call<ExportRecord>()('export.make', z.strictObject({ id })),
  'exports.cancel': call<ExportRecord>()('export.make', z.strictObject({ id, reason: reasonSchema })),
  /** A ready disc's image, to save where the user chooses: the id for StationBridge.downloadUrl. */
  'exports.download': call<{ downloadId: string; fileName: string; bytes: number }>()('export.make', z.strictObject({ id, disc: id })),
  /** The station's optical drives (xorriso -devices). */
  'exports.drives': call<{ drives: Array<{ address: string; vendor: string; model: string }> }>()('export.make', empty),
  /** Burns a ready disc on a drive the station found, then reads the disc back. */
  'exports.burn': call<ExportRecord>()('export.make', z.strictObject({ id, disc: id, address: z.string().min(1).max(256) })),
  /** A disc's 说明 as PDF for the case file; every print after the first is marked 补打 and audited. */
  'exports.sheet': call<{ fileName: string; base64: string; reprint: boolean }>()('export.make', z.strictObject({ id, disc: id })),
  /** The export register as CSV (UTF-8 with BOM, formula cells defused); audited. */
  'exports.registerCsv': call<{ fileName: string; csv: string; rows: number }>()(
    'export.register',
    z.strictObject({ from: registerFilter.from, to: registerFilter.to }),
  ),
  /** The export register printed: A4 landscape PDF in Chinese (English second), repeated headings, page n of m; at most 500 exports (a longer one a date range at a time); audited. */
  'exports.registerPdf': call<{ fileName: string; base64: string; rows: number }>()(
    'export.register',
    z.strictObject({ from: registerFilter.from, to: registerFilter.to }),
  ),
  /** The export register as an Excel workbook (.xlsx): the CSV's columns, text never a formula, times as dates; audited. */
  'exports.registerXlsx': call<{ fileName: string; base64: string; rows: number }>()(
    'export.register',
    z.strictObject({ from: registerFilter.from, to: registerFilter.to }),
  ),
  'exports.settings': call<ExportSettings>()('export.register', empty),
  'exports.updateSettings': call<ExportSettings>()('export.approve', z.strictObject({ requireApprovalForAll: z.boolean() })),

  // ---- audit ----
  'audit.list': call<{ entries: AuditEntry[]; total: number }>()(
    'audit.view',
    z.strictObject({
      beforeSeq: id.optional(),
      limit: z.number().int().min(1).max(500).optional(),
      objectType: z.string().max(32).optional(),
    }),
  ),
  'audit.verify': call<AuditVerification>()('audit.view', empty),
  /** The daily seals, newest first; `beforeRow` is the audit row of the last one shown. */
  'audit.seals': call<{ seals: SealView[]; total: number }>()('audit.view', z.strictObject({ beforeRow: id.optional(), limit: pageLimit })),
  /** Seals today so far (the station seals each ended day itself); a day may be sealed more than once. */
  'audit.seal.make': call<SealView>()('audit.seal', empty),
  /** The 32-character code (spaces, dashes and case ignored) or the QR code's text, as typed or scanned. */
  'audit.seal.verify': call<SealVerification>()('audit.view', z.strictObject({ seal: z.string().trim().min(1).max(1000) })),
  /** A seal sheet to show and print in the app. */
  'audit.seal.sheet': call<SealSheet>()('audit.seal', z.strictObject({ number: id })),
  /** The seal sheet as a PDF (base64: the wire carries JSON). */
  'audit.seal.pdf': call<{ fileName: string; pdfBase64: string }>()('audit.seal', z.strictObject({ number: id })),

  // ---- the evidence library (issue 20; 第四、二十一条): metadata only, never a vault path ----
  /**
   * Clips matching every filter given, newest first (keyset paging: `after` is the last clip shown).
   * The core narrows it: an officer sees their own clips; secret clips only those who may list them.
   */
  'library.search': call<LibraryPage>()(
    'library.search',
    z.strictObject({
      officerId: id.optional(),
      deviceId: id.optional(),
      from: epochMs.optional(),
      to: epochMs.optional(),
      important: z.boolean().optional(),
      kind: z.enum(clipKinds).optional(),
      workType: z.enum(workTypes).optional(),
      caseId: id.optional(),
      checkoutId: id.optional(),
      damaged: z.boolean().optional(),
      confidentiality: z.enum(confidentialityLevels).optional(),
      after: libraryCursor.optional(),
      limit: pageLimit,
    }),
  ),
  /** One clip's whole record and its history (audit rows about it, newest first; `historyBefore` pages on). */
  'library.clip': call<ClipDetail>()(
    'library.search',
    z.strictObject({ id, historyBefore: id.optional(), historyLimit: pageLimit }),
  ),
  /**
   * 重点, work type (null: the checkout's), note (null clears) and level, on up to 500 clips at once.
   * Only a department head may lower a level from secret.
   */
  'library.classify': call<{ changed: number[] }>()(
    'library.classify',
    z
      .strictObject({
        clipIds: z.array(id).min(1).max(500),
        important: z.boolean().optional(),
        workType: z.enum(workTypes).nullable().optional(),
        note: z.string().trim().max(1000).nullable().optional(),
        confidentiality: z.enum(confidentialityLevels).optional(),
      })
      .refine((v) => v.important !== undefined || v.workType !== undefined || v.note !== undefined || v.confidentiality !== undefined, {
        message: 'classify: give at least one of important, workType, note, confidentiality',
      }),
  ),
  /** Cases newest first; `query` matches part of the 案件编号 or 案由. */
  'cases.list': call<CaseRecord[]>()(
    'library.search',
    z.strictObject({ query: z.string().trim().max(64).optional(), beforeId: id.optional(), limit: pageLimit }),
  ),
  /** A case and a page of its clips. */
  'cases.get': call<CaseDetail>()('library.search', z.strictObject({ id, after: libraryCursor.optional(), limit: pageLimit })),
  /** 承办人: a registered person (handlerId) or a name as written (handlerName). */
  'cases.create': call<CaseRecord>()(
    'library.classify',
    z
      .strictObject({
        caseNo: caseNoSchema,
        cause: text(200),
        handlerId: id.optional(),
        handlerName: nameSchema.optional(),
        confidentiality: z.enum(confidentialityLevels).optional(),
        note: optionalNote,
      })
      .refine((v) => v.handlerId !== undefined || v.handlerName !== undefined, { message: 'case: name the handler', path: ['handlerName'] }),
  ),
  'cases.update': call<CaseRecord>()(
    'library.classify',
    z.strictObject({
      id,
      caseNo: caseNoSchema.optional(),
      cause: text(200).optional(),
      handlerId: id.optional(),
      handlerName: nameSchema.optional(),
      confidentiality: z.enum(confidentialityLevels).optional(),
      note: z.string().trim().max(500).nullable().optional(),
    }),
  ),
  /** Clips by id (up to 500), or every clip recorded under a checkout. */
  'cases.addClips': call<{ case: CaseRecord; added: number[] }>()('library.classify', caseClipsSchema),
  /** Taking clips out of a secret case lowers their level: a department head only. */
  'cases.removeClips': call<{ case: CaseRecord; removed: number[] }>()('library.classify', caseClipsSchema),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.input<Contract[K]['input']>;
/** The input after the schema has parsed (trimmed, defaults applied). */
export type ParsedInput<K extends CallName> = z.output<Contract[K]['input']>;
export type CallOutput<K extends CallName> = Contract[K] extends CallSpec<z.ZodType, infer O> ? O : never;
export type CallResult<K extends CallName> = Result<CallOutput<K>>;
export const callNames = Object.keys(contract) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the preload (and the harness bridge) put on `window.station`. */
export interface StationBridge {
  invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<K>>;
  /** Returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /**
   * Where the player fetches an open view's bytes (viewing.open's viewId): app://station/media/…
   * in the app, the harness's media endpoint in a browser. Only a URL: the bytes still come
   * only through the core's grant check.
   */
  mediaUrl(viewId: string): string;
  /** Where a disc image is saved from (exports.download's id): a download, the app's save dialog. */
  downloadUrl(downloadId: string): string;
}

/** The wire messages every transport carries (IPC, MessagePort, WebSocket). */
export type WireRequest = { kind: 'invoke'; id: number; name: string; input: unknown };
export type WireMessage =
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: EventName; payload: unknown };
