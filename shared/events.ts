import type { ExportProgress } from './export.js';
import type { AlarmKind, IngestProgress } from './ingest.js';

/**
 * Why a docked volume was not taken as a camera, so the board can say it in the reader's language:
 * nothing matched (a USB stick, a model without a profile), two profiles matched equally (a tie, a
 * configuration problem), the camera's vendor library is not set up or could not read it (its card
 * shows nothing until the library switches it to disk mode), or the volume could not be read.
 */
export type UnrecognizedCause =
  | { kind: 'no_match' }
  | { kind: 'tie'; profiles: string[] }
  | { kind: 'vendor_not_configured'; profile: string }
  | { kind: 'vendor_failed'; profile: string }
  | { kind: 'unreadable' };

// Events: core → UI. Kept free of zod so the preload and Electron main can
// import the names without bundling the schemas.
export interface EventMap {
  /** This connection's session went idle and is now locked. */
  'session.locked': { at: number };
  /** This connection's session ended (logout elsewhere, person deactivated). */
  'session.ended': { reason: 'logout' | 'deactivated' | 'roles_changed' | 'restart' };
  /** A new audit row was committed (the audit viewer refreshes). */
  'audit.appended': { seq: number; action: string };
  'people.changed': { id: number };
  'devices.changed': { id: number };
  /** A volume arrived; it is being identified. */
  'dock.attached': { volumeId: string; label: string | null };
  /** A camera was identified and its dock session opened (ingesting, or refused as unregistered). */
  'dock.identified': { dockSessionId: number };
  /** A volume that matches no camera profile (a USB stick): ignored, with the reasons. */
  'dock.unrecognized': { volumeId: string; label: string | null; reasons: string[]; cause: UnrecognizedCause };
  'dock.detached': { dockSessionId: number };
  /** A dock session's state changed (paused, resumed, finished). */
  'dock.changed': { dockSessionId: number };
  'ingest.progress': IngestProgress;
  'ingest.fileChanged': { dockSessionId: number; fileId: number };
  'alarm.raised': { kind: AlarmKind };
  /** Someone resolved an alarm: every board drops it. */
  'alarm.resolved': { id: number };
  /** A checkout was opened, offloaded, returned, had clips linked or its deadline changed. */
  'custody.changed': { checkoutId: number; deviceId: number };
  /** A checkout passed its offload deadline without an offload (第十五条); sent once per checkout. */
  'custody.overdue': { checkoutId: number; deadlineAt: number };
  /** Footage recorded outside a checkout was flagged (第三条), or 综合处 reviewed such a record. */
  'custody.outsideRecording': { id: number; dockSessionId: number };
  /** A fault was reported or closed, or maintenance logged (faultId null: routine maintenance). */
  'faults.changed': { faultId: number | null; deviceId: number };
  /** A no-recording record (第五条) was filed or acknowledged; headId is the department head it was sent to. */
  'norecord.changed': { id: number; headId: number };
  /** An evidence export was made, decided, built, handed over or cancelled (issue 21). */
  'export.changed': { id: number };
  /** A build's progress, at most twice a second while it runs. */
  'export.progress': { id: number; progress: ExportProgress };
  /** Sent by the host, not the core: the core process restarted. */
  'core.restarted': { at: number };
}
export type EventName = keyof EventMap;
export const eventNames: readonly EventName[] = [
  'session.locked',
  'session.ended',
  'audit.appended',
  'people.changed',
  'devices.changed',
  'core.restarted',
  'dock.attached',
  'dock.identified',
  'dock.unrecognized',
  'dock.detached',
  'dock.changed',
  'ingest.progress',
  'ingest.fileChanged',
  'alarm.raised',
  'alarm.resolved',
  'custody.changed',
  'custody.overdue',
  'custody.outsideRecording',
  'faults.changed',
  'norecord.changed',
  'export.changed',
  'export.progress',
];

