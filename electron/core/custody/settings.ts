import { custodySettingsSchema } from '../../../shared/contract.js';
import type { CustodySettings } from '../../../shared/custody.js';
import { DEFAULT_VAULT_RESERVE_BYTES } from '../config.js';
import type { Db } from '../db/open.js';
import { readSetting, writeSetting } from '../db/settings.js';

/**
 * The defaults, chosen for a county enforcement office:
 * - battery 60 %: 第七条 asks for a battery "充足"; the reading comes from the
 *   camera's last dock, so a camera that charged on the dock since reads low
 *   and is best docked again (or let out by 综合处 with a reason);
 * - 4 GiB free: several hours of 1080p footage at the bit rates body-worn
 *   cameras use;
 * - clock within 60 s: close enough to line clips up with case records;
 * - cut-off 23:59 local: "当天" means the calendar day the work ends;
 * - one camera per officer;
 * - no alarm tone: a station in a shared office should not start beeping
 *   after an update; 综合处 turns it on where a custodian is within earshot;
 * - a vault reserve of 20 GiB (DEFAULT_VAULT_RESERVE_BYTES, config.ts): about
 *   a day's footage of a small unit, warning enough to add storage; the
 *   station's config may set another until someone sets it here.
 */
export const DEFAULT_CUSTODY_SETTINGS: Readonly<CustodySettings> = {
  batteryMinPercent: 60,
  freeSpaceMinBytes: 4 * 1024 ** 3,
  clockToleranceSeconds: 60,
  offloadCutoff: '23:59',
  officerMayHoldTwo: false,
  alarmSound: false,
  vaultReserveBytes: DEFAULT_VAULT_RESERVE_BYTES,
};

const KEY = 'custody';

/** The custody settings, one JSON value in station_setting; a field never written takes its default. */
export class CustodySettingsStore {
  /** `defaults` replace the built-in ones (the station's config: tests keep no vault reserve). */
  constructor(
    private readonly db: Db,
    private readonly defaults: Partial<CustodySettings> = {},
  ) {}

  get(): CustodySettings {
    const value = readSetting(this.db, KEY);
    if (value === null) return { ...DEFAULT_CUSTODY_SETTINGS, ...this.defaults };
    let stored: unknown;
    try {
      stored = JSON.parse(value);
    } catch {
      stored = {};
    }
    // Field by field, so one bad value (edited by hand) falls back alone rather than taking the rest with it.
    const out: Record<string, unknown> = { ...DEFAULT_CUSTODY_SETTINGS, ...this.defaults };
    const shape = custodySettingsSchema.shape;
    for (const key of Object.keys(shape) as Array<keyof CustodySettings>) {
      const v = (stored as Record<string, unknown> | null)?.[key];
      if (shape[key].safeParse(v).success) out[key] = v;
    }
    return out as unknown as CustodySettings;
  }

  /** Must run inside a write transaction. */
  put(settings: CustodySettings): void {
    writeSetting(this.db, KEY, JSON.stringify(custodySettingsSchema.parse(settings)));
  }
}
