// The watched-folder source and `.usb-device`: a sub-folder may announce the USB
// id a real camera would have on the bus (first line `VVVV:PPPP`), which becomes
// DockedVolume.usb. A camera read through its vendor's library shows no files
// before disk mode, so its folder holds only hidden entries (`.usb-device`,
// the emulator's `.zfy/`) and must still arrive; once the library switched it
// to disk mode its card's files appear in the same volume.
import { mkdtempSync, readdirSync } from 'node:fs';
import { mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readVendorDock } from '../../electron/core/docking/vendor/index.js';
import { profileSchema } from '../../electron/core/docking/profile/index.js';
import type { VendorLibraryData } from '../../electron/core/docking/profile/schema.js';
import { readUsbDeviceFile, WatchedFolderSource } from '../../electron/core/docking/sources/watched-folder.js';
import type { DockedVolume } from '../../electron/core/docking/sources/volume.js';
import { undoAfterEach } from '../support/cleanup.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary } from '../support/vendor-sdk.js';

const SETTLE_MS = 250;
const cleanup = undoAfterEach();

interface Rig {
  source: WatchedFolderSource;
  logged: string[];
  /** Resolves with the volume attached at `root`, waiting for the event (rejects after `ms`). */
  attached(root: string, ms?: number): Promise<DockedVolume>;
  detached: string[];
}

async function rig(folder: string): Promise<Rig> {
  const logged: string[] = [];
  const source = new WatchedFolderSource({ folder, settleMs: SETTLE_MS, debounceMs: 30, safetyRescanMs: 500, log: (m) => logged.push(m), describeMount: null });
  const seen: DockedVolume[] = [];
  const waiters: Array<() => void> = [];
  const detached: string[] = [];
  source.on('attached', (v) => {
    seen.push(v);
    for (const w of waiters.splice(0)) w();
  });
  source.on('detached', (id) => detached.push(id));
  cleanup(() => source.stop());
  await source.start();
  return {
    source,
    logged,
    detached,
    attached(root, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no volume attached at ${root} within ${ms} ms; attached: ${seen.map((v) => v.root).join(', ')}`)), ms);
        const check = () => {
          const v = seen.find((s) => s.root === root);
          if (!v) return void waiters.push(check);
          clearTimeout(timer);
          resolve(v);
        };
        check();
      });
    },
  };
}

let base: string;
beforeAll(async () => {
  base = await realpath(mkdtempSync(path.join(tmpdir(), 'usb-device-file-')));
});

/** A watched folder of its own for each test. */
async function watched(name: string): Promise<string> {
  const dir = path.join(base, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Builds `files` beside the watched folder and renames the folder in whole (as a finished copy docks). */
async function dockFolder(folder: string, name: string, files: Record<string, string>): Promise<string> {
  const staging = path.join(base, `staging-${name}-${Math.random().toString(36).slice(2)}`);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(staging, rel)), { recursive: true });
    await writeFile(path.join(staging, rel), text);
  }
  const root = path.join(folder, name);
  await rename(staging, root);
  return root;
}

describe('readUsbDeviceFile', () => {
  it('reads VVVV:PPPP in lower case, ignores what follows the first line, and says when the line is malformed', async () => {
    const dir = await watched('read');
    expect(await readUsbDeviceFile(dir)).toBeNull();
    await writeFile(path.join(dir, '.usb-device'), '\uFEFFABCD:00eF\r\nanything else\n');
    expect(await readUsbDeviceFile(dir)).toEqual({ vendorId: 'abcd', productId: '00ef' });
    await writeFile(path.join(dir, '.usb-device'), '2207-0011\n');
    expect(await readUsbDeviceFile(dir)).toEqual({ malformed: '2207-0011' });
    await writeFile(path.join(dir, '.usb-device'), '22070:0011\n');
    expect(await readUsbDeviceFile(dir)).toEqual({ malformed: '22070:0011' });
    await rm(path.join(dir, '.usb-device'));
    await mkdir(path.join(dir, '.usb-device'));
    expect(await readUsbDeviceFile(dir)).toBeNull(); // a folder of that name is not a descriptor
  });
});

describe('WatchedFolderSource with .usb-device', () => {
  it('attaches a folder holding only hidden entries, with the USB id it announces; an empty folder stays out', async () => {
    const folder = await watched('hidden-only');
    const r = await rig(folder);
    await mkdir(path.join(folder, 'empty'));
    const sdk = await dockFolder(folder, 'sdk-camera', { '.usb-device': '2207:0011\n', '.zfy/device.ini': 'serial=1234567\n' });
    const volume = await r.attached(sdk);
    expect(volume).toMatchObject({ root: sdk, usb: { vendorId: '2207', productId: '0011' }, source: 'watched-folder', label: 'sdk-camera' });
    expect(volume.usb?.serial).toBeUndefined();
    // The empty folder was there from before the camera, whose settle time has passed: it is not a volume.
    expect(r.source.volumes().map((v) => v.root)).toEqual([sdk]);
    expect(r.logged).toEqual([]);
  });

  it('attaches a folder with a malformed .usb-device without a USB id, and says why in the log', async () => {
    const folder = await watched('malformed');
    const r = await rig(folder);
    const cam = await dockFolder(folder, 'cam', { '.usb-device': 'vendor 2207 product 0011\n', 'DCIM/VID_0001.MP4': 'x' });
    const volume = await r.attached(cam);
    expect(volume.usb).toBeUndefined();
    expect(r.logged.join('\n')).toContain('vendor 2207 product 0011');
    expect(r.logged.join('\n')).toContain('VVVV:PPPP');
  });

  it('a folder with no .usb-device attaches without a USB id, as before', async () => {
    const folder = await watched('none');
    const r = await rig(folder);
    const cam = await dockFolder(folder, 'cam', { '.volume-label': 'ZFY_1234567\n', 'DCIM/VID_0001.MP4': 'x' });
    const volume = await r.attached(cam);
    expect(volume.usb).toBeUndefined();
    expect(volume.label).toBe('ZFY_1234567');
  });

  it('an SDK camera docks before disk mode, and its card appears in the same volume once the library switched it', async () => {
    const library = vendorSdkLibrary();
    const folder = await watched('sdk');
    const r = await rig(folder);
    const staging = path.join(base, 'sdk-staging');
    const camera = makeSdkCamera(staging, { usb: '2207:0011', disk: { 'DCIM/100MEDIA/VID_0001.MP4': 'footage' } });
    const root = path.join(folder, 'cam');
    await rename(camera.root, root);
    const volume = await r.attached(root);
    expect(volume.usb).toEqual({ vendorId: '2207', productId: '0011' });
    expect(readdirSync(root).filter((n) => !n.startsWith('.'))).toEqual([]);

    const spec: VendorLibraryData = profileSchema.shape.vendorLibrary.unwrap().parse({
      functions: { init: 'Init_Device', identity: 'GetZFYInfo', release: 'UnInit_Device', diskMode: 'SetMSDC' },
    });
    process.env.ZFY_EMU_DEVICE = root;
    const reading = await readVendorDock(spec, { libraryPath: library, password: SDK_CAMERA_DEFAULTS.password });
    expect(reading).toMatchObject({ ok: true, diskMode: true, identity: { serial: '1234567' } });
    expect(readdirSync(path.join(root, 'DCIM', '100MEDIA'))).toEqual(['VID_0001.MP4']);
    // The folder is the same one (same inode): the source keeps the volume attached.
    await r.source.rescan();
    expect(r.detached).toEqual([]);
    expect(r.source.volumes().map((v) => v.root)).toEqual([root]);
  });
});
