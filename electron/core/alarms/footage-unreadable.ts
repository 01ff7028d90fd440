// footage_unreadable (issue 17): part of a docked camera's footage folders could not be read whole
// (electron/core/ingest/discover.ts footageLeftBehind), so footage may be left on the camera unseen.
// One open alarm per camera, settled at each dock of it from what that dock's discovery found:
// raised (or brought up to date) while anything is unread, resolved by the station, audited, by the
// first dock that reads the whole tree. A person may resolve it by hand too (footage copied by hand
// under 综合处 supervision, a card replaced); the next dock that still finds the tree unreadable
// raises it again.
import type { WriteTx } from '../db/writer.js';
import { settleCameraCondition } from './condition.js';
import type { AlarmRepository } from './repository.js';

/** What an alarm's details name at most: a card whose every folder fails must not make a huge row. */
export const UNREAD_LISTED = 50;

export type UnreadPart = {
  kind: string;
  /** Relative to the camera's volume root, '/'-separated ('/' for the root). */
  path: string;
  /** The system's error code (EACCES, EIO…), where reading failed. */
  code: string | null;
};

/** The alarm's details: the dock that found the parts, the first UNREAD_LISTED of them, and how many in all. */
export type FootageUnreadableDetails = {
  dockSessionId: number;
  unread: UnreadPart[];
  total: number;
};

export function settleFootageUnreadable(
  tx: WriteTx,
  alarms: AlarmRepository,
  camera: { serial: string; deviceId: number; dockSessionId: number },
  unread: UnreadPart[],
): void {
  const details: FootageUnreadableDetails | null =
    unread.length === 0 ? null : { dockSessionId: camera.dockSessionId, unread: unread.slice(0, UNREAD_LISTED), total: unread.length };
  settleCameraCondition(tx, alarms, 'footage_unreadable', camera, details, {
    resolution: `接入 #${camera.dockSessionId} 已完整读取该执法记录仪的录像目录。 / Dock #${camera.dockSessionId} read the camera's whole footage tree.`,
    audited: 'footage tree read whole',
  });
}
