// A station with the people of a custody shift change (custodian, 综合处,
// department head, two officers), each logged in on their own connection,
// and cameras docked for real: emulated volumes identified by the profiles
// and ingested into the vault (the same path the dock watcher takes).
import fs from 'node:fs';
import path from 'node:path';
import type { Role } from '../../shared/roles.js';
import type { Person } from '../../shared/domain.js';
import type { Result } from '../../shared/errors.js';
import type { MakeCameraOptions } from '../fixtures/camera/camera.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera } from '../support/ingest.js';
import type { Client, StationOptions } from '../support/station.js';
import { withAdmin } from '../support/station.js';

export const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

export type CustodyStation = Awaited<ReturnType<typeof custodyStation>>;

export async function custodyStation(options: Omit<StationOptions, 'dataDir' | 'idleLockMs'> = {}) {
  // Shifts run for hours of moved clock; sessions must not lock meanwhile (idle locking has its own tests).
  const t = await withAdmin({ ...options, idleLockMs: 365 * 24 * 3600_000 });
  let pin = 683_150;
  /** A person made by the administrator and logged in on a window of their own, with their own PIN. */
  const person = async (badge: string, name: string, roles: Role[]): Promise<{ person: Person; client: Client }> => {
    const { person, oneTimePin } = await t.admin.ok('people.create', { badge, name, roles });
    const client = t.ui();
    await client.ok('auth.loginBadge', { badge, pin: oneTimePin });
    pin += 7_919;
    await client.ok('auth.changePin', { currentPin: oneTimePin, newPin: String(pin) });
    return { person, client };
  };
  const custodian = await person('200001', '李保管', ['custodian']);
  const office = await person('300001', '王综合', ['general_office']);
  const head = await person('400001', '赵负责', ['department_head']);
  const officer = await person('100001', '张执法', ['officer']);
  const officer2 = await person('100002', '陈执法', ['officer']);

  /**
   * Writes an emulated camera whose binding names `badge` and docks it: the
   * real profile identification, dock session and verified ingest. `now`
   * (default: the station's clock) is when the camera is docked; its shift
   * ended half an hour earlier. `battery` rewrites the status file the camera carries.
   */
  const dock = async (options: { serial: string; badge?: string; now?: number; battery?: number } & Partial<MakeCameraOptions>) => {
    const { battery, ...rest } = options;
    const manifest = await camera({ badge: '100001', clips: 2, seconds: 1, clockOffsetSeconds: 0, now: t.clock.now(), ...rest });
    if (battery !== undefined) {
      const status = path.join(manifest.root, 'SYSTEM/Status.ini');
      fs.writeFileSync(status, fs.readFileSync(status, 'latin1').replace(/Battery=\d+/, `Battery=${battery}`), 'latin1');
    }
    const { dockSessionId, summary } = await t.station.ingestFolder(manifest.root);
    return { manifest, dockSessionId, summary: summary! };
  };

  return { ...t, custodian, office, head, officer, officer2, person, dock };
}

/**
 * For a test file's top level: `station()` opens a custody station that is
 * closed after the test; `closeAfter` closes anything else the test opens
 * (a reopened station), newest first.
 */
export function custodyStations(options: Omit<StationOptions, 'dataDir' | 'idleLockMs'> = {}): { station: () => Promise<CustodyStation>; closeAfter: (close: () => unknown) => void } {
  const closeAfter = undoAfterEach();
  const station = async () => {
    const t = await custodyStation(options);
    closeAfter(() => t.close());
    return t;
  };
  return { station, closeAfter };
}

/** Local wall-clock text (Asia/Shanghai) for an instant, as the checkout form sends it. */
export function shanghai(utcMs: number): string {
  return new Date(utcMs + 8 * 3600_000).toISOString().slice(0, 16);
}
