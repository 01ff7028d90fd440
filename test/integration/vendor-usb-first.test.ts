// A real camera read through its vendor's library shows no volume at all until the library
// switches it to disk mode: the station hears of its USB device first (hotplug) and must ask the
// library then, or the camera is never docked. The volume that then appears with that USB id is
// identified with what the library said, without opening a second session with a camera already in
// disk mode. No USB hardware here: a scripted source says what hotplug and the mount table would.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock.js';
import { DockWatcher, type DockIdentified } from '../../electron/core/docking/dock-watcher.js';
import { loadProfiles } from '../../electron/core/docking/profile/index.js';
import { vendorReader } from '../../electron/core/docking/vendor-reader.js';
import { makeCamera } from '../fixtures/camera/camera.js';
import { ScriptedSource } from '../support/scripted-source.js';
import { T0, tempDir } from '../support/station.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary } from '../support/vendor-sdk.js';

const saved = process.env.ZFY_EMU_DEVICE;
afterEach(() => {
  if (saved === undefined) delete process.env.ZFY_EMU_DEVICE;
  else process.env.ZFY_EMU_DEVICE = saved;
});

/**
 * An emulated vendor-library camera (its card hidden until disk mode) and a dock watcher that reads
 * it through the test C library, fed by a scripted source: what hotplug and the mount table would say.
 */
async function sdkCameraAndWatcher(prefix: string) {
  const library = vendorSdkLibrary();
  const root = path.join(tempDir(prefix), 'camera');
  makeSdkCamera(root);
  await makeCamera({ out: path.join(root, '.zfy', 'disk'), profile: 'novatek-movie', serial: SDK_CAMERA_DEFAULTS.serial, badge: SDK_CAMERA_DEFAULTS.badge, now: T0, clockOffsetSeconds: 0, clips: 2, seconds: 1 });
  process.env.ZFY_EMU_DEVICE = root;
  const source = new ScriptedSource();
  const clock = new ManualClock(T0);
  const watcher = new DockWatcher({
    sources: [source],
    profiles: await loadProfiles(path.resolve('profiles')),
    vendor: vendorReader({ settings: () => ({ libraryPath: library, password: SDK_CAMERA_DEFAULTS.password }), clock }),
    clock,
    log: () => {},
  });
  const identified: DockIdentified[] = [];
  watcher.on('identified', (d) => identified.push(d));
  return { root, source, watcher, identified };
}

describe('a vendor-library camera whose USB device arrives before any volume', () => {
  it('is asked when the device arrives, and its volume, appearing after disk mode, is identified with that answer', async () => {
    const { root, source, watcher, identified } = await sdkCameraAndWatcher('sdk-usb-first-');

    // Hotplug: the camera's USB device, no volume. The library is asked and switches it to disk mode.
    source.usbAttached({ vendorId: '0603', productId: '8612' });
    const sessions = path.join(root, '.zfy', 'sessions.log');
    await expect.poll(() => fs.existsSync(path.join(root, 'DCIM', 'Movie')), { timeout: 60_000 }).toBe(true);
    const opened = () => fs.readFileSync(sessions, 'utf8').split('\n').filter((l) => /open/i.test(l)).length;
    const afterDiskMode = opened();
    expect(afterDiskMode).toBeGreaterThan(0);

    // The OS mounts the card: a volume with that USB id.
    source.attach({ id: 'usb-volume:sdz1@/media/cam', root, label: null, usb: { vendorId: '0603', productId: '8612' }, removable: true, source: 'usb-volume' });
    await watcher.whenIdle();
    expect(identified).toHaveLength(1);
    const dock = identified[0]!;
    expect(dock.profile.id).toBe('novatek-movie');
    expect(dock.identity.values).toMatchObject({ deviceSerial: SDK_CAMERA_DEFAULTS.serial, badge: SDK_CAMERA_DEFAULTS.badge });
    expect(dock.identity.from.deviceSerial).toBe('vendor');
    expect(dock.vendor).toMatchObject({ status: 'ok', diskMode: true });
    // Not asked a second time: the camera, in disk mode, is left alone.
    expect(opened()).toBe(afterDiskMode);
    await watcher.stop();
  }, 120_000);

  it('a USB device of no vendor-library model is left to the volume watcher', async () => {
    const source = new ScriptedSource();
    let asked = 0;
    const watcher = new DockWatcher({
      sources: [source],
      profiles: await loadProfiles(path.resolve('profiles')),
      vendor: async () => {
        asked++;
        return { status: 'not_configured', message: '', record: {} };
      },
      clock: new ManualClock(T0),
      log: () => {},
    });
    source.usbAttached({ vendorId: '2207', productId: '0010' });
    await watcher.whenIdle();
    expect(asked).toBe(0);
    source.usbAttached({ vendorId: '0603', productId: '8612' });
    await expect.poll(() => asked).toBe(1);
    // Plugged in again while that answer is fresh: not asked twice.
    source.usbAttached({ vendorId: '0603', productId: '8612' });
    expect(asked).toBe(1);
    await watcher.stop();
  });
});

describe('where the platform does not tell a volume\'s USB id (Windows drive letters, macOS)', () => {
  it('the one fresh reading is used for the volume identified as that model; another volume does not take it', async () => {
    const { root, source, watcher, identified } = await sdkCameraAndWatcher('sdk-no-usb-id-');
    const stick = path.join(tempDir('stick-'), 'E');
    fs.mkdirSync(path.join(stick, '资料'), { recursive: true });
    fs.writeFileSync(path.join(stick, '资料', 'notes.txt'), 'not a camera');

    source.usbAttached({ vendorId: '0603', productId: '8612' });
    await expect.poll(() => fs.existsSync(path.join(root, 'DCIM', 'Movie')), { timeout: 60_000 }).toBe(true);

    // A USB stick mounted meanwhile, no USB id: not the camera, and it does not use up the reading.
    source.attach({ id: 'usb-volume:E:', root: stick, label: 'KINGSTON', removable: true, source: 'usb-volume' });
    // The camera's card, as a drive letter without a USB id.
    source.attach({ id: 'usb-volume:F:', root, label: null, removable: true, source: 'usb-volume' });
    await watcher.whenIdle();
    expect(identified).toHaveLength(1);
    expect(identified[0]!.profile.id).toBe('novatek-movie');
    expect(identified[0]!.identity.values.deviceSerial).toBe(SDK_CAMERA_DEFAULTS.serial);
    expect(identified[0]!.vendor).toMatchObject({ status: 'ok', diskMode: true });
    await watcher.stop();
  }, 120_000);
});
