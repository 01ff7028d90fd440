// A condition of the station itself, not of one camera (the vault unavailable, the media checker
// not running), is one open alarm for as long as it lasts: raised when a check first finds it,
// its details kept current while it stays (the reason may change), and resolved by the station,
// in the audit log, when a check finds it gone. A custodian may resolve it by hand too; the next
// check that still finds it raises it again.
import type { AlarmKind } from '../../../shared/ingest.js';
import { stationActor } from '../audit/actor.js';
import type { Writer, WriteTx } from '../db/writer.js';
import type { AlarmRepository } from './repository.js';

export interface ConditionEnded {
  /** The alarm's resolution, "中文 / English". */
  resolution: string;
  /** What the audit row records as the resolution. */
  audited: string;
}

export function settleCondition(
  d: { alarms: AlarmRepository; writer: Writer },
  kind: AlarmKind,
  details: Record<string, unknown> | null,
  ended: ConditionEnded,
): void {
  const open = d.alarms.openFor(kind, null);
  if (details && !open) {
    d.writer.run(stationActor, (tx) => {
      d.alarms.raise({ kind, details, at: tx.at });
      tx.emit('alarm.raised', { kind });
    });
  } else if (details && open && JSON.stringify(open.details) !== JSON.stringify(details)) {
    d.alarms.setDetails(open.id, details);
  } else if (!details && open) {
    d.writer.run(stationActor, (tx) => {
      d.alarms.resolve(open.id, stationActor.label, ended.resolution, tx.at);
      tx.audit({ action: 'alarm.resolved', objectType: 'alarm', objectId: open.id, before: { kind: open.kind }, after: { resolution: ended.audited } });
      tx.emit('alarm.resolved', { id: open.id });
    });
  }
}

/**
 * The same for a condition of one camera (part of its footage tree could not be read): one open
 * alarm per camera (by serial), raised by the dock that finds it, following each later dock that
 * still finds it, and resolved by the station, in the audit log, when a dock of that camera no
 * longer does. It runs inside the dock's own transaction, so the alarm stands or falls with the
 * notices and files that dock records.
 */
export function settleCameraCondition(
  tx: WriteTx,
  alarms: AlarmRepository,
  kind: AlarmKind,
  camera: { serial: string; deviceId: number; dockSessionId: number },
  details: Record<string, unknown> | null,
  ended: ConditionEnded,
): void {
  const open = alarms.openFor(kind, camera.serial);
  if (details && !open) {
    alarms.raise({ kind, dockSessionId: camera.dockSessionId, deviceId: camera.deviceId, serial: camera.serial, details, at: tx.at });
    tx.emit('alarm.raised', { kind });
  } else if (details && open) {
    alarms.setDockDetails(open.id, camera.dockSessionId, details);
  } else if (!details && open) {
    alarms.resolve(open.id, tx.actor.label, ended.resolution, tx.at);
    tx.audit({ action: 'alarm.resolved', objectType: 'alarm', objectId: open.id, before: { kind: open.kind }, after: { resolution: ended.audited, dockSessionId: camera.dockSessionId } });
    tx.emit('alarm.resolved', { id: open.id });
  }
}
