// A condition of the station itself, not of one camera (the vault unavailable, the media checker
// not running), is one open alarm for as long as it lasts: raised when a check first finds it,
// its details kept current while it stays (the reason may change), and resolved by the station,
// in the audit log, when a check finds it gone. A custodian may resolve it by hand too; the next
// check that still finds it raises it again.
import type { AlarmKind } from '../../../shared/ingest.js';
import { stationActor } from '../audit/actor.js';
import type { Writer } from '../db/writer.js';
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
