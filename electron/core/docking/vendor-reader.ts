// The dock watcher's reader of cameras read through their vendor's USB
// library: the site's library and password (station settings) for the
// profile, the library asked in a process of its own (docking/vendor), and
// its answer in the terms identification uses. A site that has not set the
// library up hears which profile needs it and how to set it, not "unknown
// camera".
import type { Clock } from '../clock.js';
import type { VendorReader, VendorReading } from './dock-watcher.js';
import { usbIdText } from './profile/index.js';
import { readVendorDock, type VendorLauncher, type VendorLibrarySettings } from './vendor/index.js';

export interface VendorReaderDeps {
  /** The site's library path and device password for a profile (station settings), or null when not set. */
  settings(profileId: string): VendorLibrarySettings | null;
  clock: Clock;
  /** Who starts the library's process (Electron main in the app); default a Node fork. */
  launcher?: VendorLauncher;
}

export function vendorReader(deps: VendorReaderDeps): VendorReader {
  return async (profile, volume): Promise<VendorReading> => {
    const settings = deps.settings(profile.id);
    const named = `型号“${profile.name['zh-CN']}”（${profile.id}）`;
    if (!settings) {
      return {
        status: 'not_configured',
        message: `${named}的记录仪须经厂商 USB 库读取身份并切换到磁盘模式，本站尚未配置该库：请管理员运行 station vendor-library set --profile ${profile.id}（见 docs/camera-profiles.md）。 / Cameras of profile ${profile.id} are read through the vendor's USB library (identity, disk mode), which this station has not been given: an administrator runs station vendor-library set --profile ${profile.id} (see docs/camera-profiles.md).`,
        record: { profile: profile.id, configured: false },
      };
    }
    const r = await readVendorDock(profile.vendorLibrary!, settings, { now: () => deps.clock.now(), ...(deps.launcher ? { launcher: deps.launcher } : {}) });
    // Every call made, for the dock's audit row (the password is never in a call's record).
    const record = { profile: profile.id, usb: volume.usb ? usbIdText(volume.usb) : null, calls: r.calls };
    if (!r.ok) {
      return {
        status: 'failed',
        message: `${named}的厂商 USB 库未能读出记录仪 / The vendor library of profile ${profile.id} could not read the camera: ${r.error.message}`,
        record: { ...record, error: { code: r.error.code, duty: r.error.duty, function: r.error.function } },
      };
    }
    const id = r.identity;
    return {
      status: 'ok',
      values: { deviceSerial: id.serial, badge: id.badge, name: id.name, unitId: id.unitId, unitName: id.unitName },
      batteryPercent: r.batteryPercent,
      clock: r.clock && { text: r.clock.text, wallClock: r.clock.wallClock, stationTimeMs: r.clock.stationAt },
      clockSetAt: r.clockSetAt,
      diskMode: r.diskMode,
      record: {
        ...record,
        idCode: id.idCode,
        identity: { serial: id.serial, badge: id.badge, name: id.name, unitId: id.unitId, unitName: id.unitName },
        batteryPercent: r.batteryPercent,
        clock: r.clock?.text ?? null,
        clockSet: r.clockSet,
        diskMode: r.diskMode,
        errors: Object.fromEntries(Object.entries(r.errors).map(([duty, f]) => [duty, { code: f.code, message: f.message }])),
      },
    };
  };
}
