// The watched-folder source and the dock watcher together, on real emulated
// cameras (ffmpeg footage, binding, clock and status files as the profiles
// describe them): arrival by rename and by a slow copy, a USB stick, a
// symbolic link, removal, a restart, rescans without fs.watch, and a real
// FAT32 image mounted with fusefat where the machine allows it.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, open, readdir, readFile, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock.js';
import { DockWatcher, type DockWatcherEvents } from '../../electron/core/docking/dock-watcher.js';
import { loadProfiles, type CameraProfile } from '../../electron/core/docking/profile/index.js';
import { scanMacVolumes } from '../../electron/core/docking/sources/mac-volumes.js';
import { WatchedFolderSource, type WatchedFolderOptions } from '../../electron/core/docking/sources/watched-folder.js';
import { wallClockToIso, wallClockToUtc } from '../../electron/core/docking/wall-clock.js';
import { makeCamera, type CameraManifest } from '../fixtures/camera/camera.js';
import { mountFatImage, probeFatSupport, type FatSupport, type MountedFat } from '../fixtures/camera/fat-image.js';
import { undoAfterEach } from '../support/cleanup.js';

const NOW = Date.UTC(2024, 4, 1, 10, 0, 0); // 18:00 in Shanghai
const SETTLE_MS = 250;
let tmp: string;
let profiles: CameraProfile[];
let gat: CameraManifest;
let dcim: CameraManifest;
let fat: FatSupport;

type Recorded = { [K in keyof DockWatcherEvents]: { type: K; payload: DockWatcherEvents[K][0]; t: number } }[keyof DockWatcherEvents];

interface Rig {
  watcher: DockWatcher;
  source: WatchedFolderSource;
  events: Recorded[];
  clock: ManualClock;
}

/** Every rig's watcher is stopped after its test. */
const cleanup = undoAfterEach();

function rig(folder: string, options: Partial<WatchedFolderOptions> = {}): Rig {
  const logged: unknown[] = [];
  const source = new WatchedFolderSource({ folder, settleMs: SETTLE_MS, debounceMs: 30, safetyRescanMs: 1_000, log: (m, e) => logged.push([m, e]), ...options });
  const clock = new ManualClock(NOW);
  const watcher = new DockWatcher({ sources: [source], profiles, clock, log: (m, e) => logged.push([m, e]) });
  const events: Recorded[] = [];
  for (const type of ['attached', 'identified', 'unrecognized', 'detached', 'ignored', 'problem'] as const) {
    watcher.on(type, (payload: unknown) => void events.push({ type, payload, t: performance.now() } as Recorded));
  }
  const r = { watcher, source, events, clock };
  cleanup(() => watcher.stop());
  return r;
}

async function waitFor<T extends Recorded['type']>(r: Rig, type: T, pred: (e: Extract<Recorded, { type: T }>) => boolean = () => true, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = r.events.find((e): e is Extract<Recorded, { type: T }> => e.type === type && pred(e as Extract<Recorded, { type: T }>));
    if (found) return found;
    if (performance.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms; got: ${r.events.map((e) => e.type).join(', ')}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

const rootOf = (e: Recorded) => ('volume' in e.payload ? e.payload.volume.root : 'path' in e.payload ? e.payload.path : '');
const typesFor = (r: Rig, root: string) => r.events.filter((e) => rootOf(e) === root).map((e) => e.type);

/** A folder of the watched kind, canonical (the source reports canonical paths). */
async function watchedFolder(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  return realpath(dir);
}

/** Puts a copy of a camera in place atomically: copied beside, then renamed in. */
async function dockByRename(camera: CameraManifest, dest: string): Promise<void> {
  const staging = path.join(tmp, 'staging', `${path.basename(dest)}-${randomBytes(4).toString('hex')}`);
  await mkdir(path.dirname(staging), { recursive: true });
  await cp(camera.root, staging, { recursive: true, preserveTimestamps: true });
  await rename(staging, dest);
}

/** Copies a tree the way a slow card reader would: 16 KiB at a time with pauses, files one after another. */
async function slowCopy(src: string, dest: string, pauseMs: number): Promise<void> {
  await mkdir(dest);
  for (const e of (await readdir(src, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    if (e.isDirectory()) {
      await slowCopy(from, to, pauseMs);
      continue;
    }
    const data = await readFile(from);
    const fh = await open(to, 'w');
    try {
      for (let off = 0; off === 0 || off < data.length; off += 16 * 1024) {
        await fh.write(data.subarray(off, off + 16 * 1024));
        await new Promise((res) => setTimeout(res, pauseMs));
      }
    } finally {
      await fh.close();
    }
  }
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'docking-watched-')));
  profiles = await loadProfiles(path.resolve('profiles'));
  fat = await probeFatSupport();
  gat = await makeCamera({ out: path.join(tmp, 'cameras', 'gat'), serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 2, seconds: 1 });
  dcim = await makeCamera({ out: path.join(tmp, 'cameras', 'dcim'), profile: 'dcim-generic', serial: 'BWC0000777', badge: '054321', officerName: '李娜', now: NOW, clips: 2, seconds: 1 });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a watched folder of camera volumes', () => {
  it('docks a camera renamed in: attached, then identified with its profile, binding, clock and status; removal detaches it', async () => {
    const folder = await watchedFolder('w-rename');
    const r = rig(folder);
    await r.watcher.start();
    const root = path.join(folder, 'DSJ-0012345');
    await dockByRename(gat, root);

    const identified = await waitFor(r, 'identified', (e) => e.payload.volume.root === root);
    expect(typesFor(r, root)).toEqual(['attached', 'identified']);
    const { volume, profile, binding, clock, status } = identified.payload;
    expect(volume).toEqual({ id: `watched-folder:${root}`, root, label: 'DSJ-0012345', removable: false, source: 'watched-folder' });
    expect(profile.id).toBe('gat947-generic');
    expect(binding).toMatchObject({ status: 'ok', values: { deviceSerial: 'DSJ0012345', badge: '012345', name: '张伟', unitId: gat.binding.unitId, unitName: gat.binding.unitName }, missing: [] });
    // The clock the camera wrote at mount, read with the station's time: the skew is the emulator's 7 minutes slow.
    expect(clock.stationTimeMs).toBe(NOW);
    if (clock.reading.status !== 'ok') throw new Error(`clock not read: ${JSON.stringify(clock.reading)}`);
    expect(wallClockToIso(clock.reading.wallClock)).toBe(gat.clock.cameraNow);
    expect(wallClockToUtc(clock.reading.wallClock, 'Asia/Shanghai') - clock.stationTimeMs).toBe(gat.clock.offsetSeconds * 1000);
    expect(status).toMatchObject({ status: 'ok', batteryPercent: 64, totalBytes: gat.status.totalBytes });
    expect(r.watcher.current()).toEqual([{ volume, attachedAt: NOW, state: 'identified', profileId: 'gat947-generic' }]);

    await rm(root, { recursive: true });
    const detached = await waitFor(r, 'detached', (e) => e.payload.volume.root === root);
    expect(detached.payload.volume).toEqual(volume);
    expect(typesFor(r, root)).toEqual(['attached', 'identified', 'detached']);
    expect(r.watcher.current()).toEqual([]);
  });

  it('takes the label from .volume-label, and tells the DCIM camera by its profile', async () => {
    const folder = await watchedFolder('w-label');
    const r = rig(folder);
    await r.watcher.start();
    const staging = path.join(tmp, 'staging', 'dcim-labelled');
    await cp(dcim.root, staging, { recursive: true });
    await writeFile(path.join(staging, '.volume-label'), 'BODYCAM\n');
    const root = path.join(folder, 'cam-2');
    await rename(staging, root);
    const { payload } = await waitFor(r, 'identified', (e) => e.payload.volume.root === root);
    expect(payload.volume.label).toBe('BODYCAM');
    expect(payload.profile.id).toBe('dcim-generic');
    // The label now counts as evidence for the DCIM profile (its pattern is ^BODYCAM).
    expect(payload.reasons.join(' ')).toMatch(/label "BODYCAM" matches/);
    expect(payload.binding).toMatchObject({ status: 'ok', values: { deviceSerial: 'BWC0000777', badge: '054321', name: '李娜' } });
    expect(payload.status).toMatchObject({ status: 'ok', batteryPercent: 64 });
  });

  it('waits for a slow copy to finish before docking', async () => {
    const folder = await watchedFolder('w-slow');
    const r = rig(folder);
    await r.watcher.start();
    const root = path.join(folder, 'DSJ-SLOW');
    let completeAtAttach: boolean | null = null;
    r.watcher.on('attached', ({ volume }) => {
      if (volume.root !== root) return;
      // Checked the moment it is docked: every file there, at its full size.
      void Promise.all(gat.files.map((f) => stat(path.join(root, f.path)).then((s) => s.size === f.size, () => false))).then((all) => (completeAtAttach = all.every(Boolean)));
    });
    const started = performance.now();
    await slowCopy(gat.root, root, 50);
    const copyDoneAt = performance.now();
    expect(copyDoneAt - started).toBeGreaterThan(3 * SETTLE_MS); // the copy took far longer than the settle time

    const attached = await waitFor(r, 'attached', (e) => e.payload.volume.root === root);
    expect(attached.t).toBeGreaterThanOrEqual(copyDoneAt);
    await waitFor(r, 'identified', (e) => e.payload.volume.root === root);
    await expect.poll(() => completeAtAttach).toBe(true);
  });

  it('reports a plain USB stick as unrecognized, ignores a symlinked folder, and leaves files and hidden folders alone', async () => {
    const folder = await watchedFolder('w-odd');
    const stick = path.join(folder, 'USB-STICK');
    await mkdir(path.join(stick, '照片'), { recursive: true });
    await writeFile(path.join(stick, '报告.docx'), randomBytes(3000));
    await writeFile(path.join(stick, '照片', 'IMG_0001.JPG'), randomBytes(5000));
    // A link to a real camera: it would be identified if it were followed.
    const link = path.join(folder, 'LINKED-CAM');
    await symlink(gat.root, link, 'dir');
    await writeFile(path.join(folder, 'notes.txt'), 'not a volume');
    await cp(gat.root, path.join(folder, '.incoming'), { recursive: true });

    const r = rig(folder);
    await r.watcher.start();
    const unrecognized = await waitFor(r, 'unrecognized', (e) => e.payload.volume.root === stick);
    expect(unrecognized.payload.reasons.join(' ')).toMatch(/no camera profile matches this volume/);
    expect(unrecognized.payload.verdicts.map((v) => v.matched)).toEqual(profiles.map(() => false));
    const ignored = await waitFor(r, 'ignored', (e) => e.payload.path === link);
    expect(ignored.payload).toMatchObject({ source: 'watched-folder', reason: 'symlink' });
    expect(ignored.payload.message).toMatch(/symbolic link, not followed/);

    await r.watcher.rescan();
    await r.watcher.rescan();
    await r.watcher.whenIdle();
    // Said once, not on every scan; nothing else became a volume.
    expect(r.events.filter((e) => e.type === 'ignored')).toHaveLength(1);
    expect(r.events.filter((e) => e.type === 'attached').map(rootOf)).toEqual([stick]);
  });

  it('after a restart, volumes already there are attached by the initial scan', async () => {
    const folder = await watchedFolder('w-restart');
    const root = path.join(folder, 'DSJ-0012345');
    await dockByRename(gat, root);
    const first = rig(folder);
    await first.watcher.start();
    await waitFor(first, 'identified', (e) => e.payload.volume.root === root);
    await first.watcher.stop();
    expect(first.events.some((e) => e.type === 'detached')).toBe(false); // the station stopped; the camera did not leave

    const second = rig(folder);
    await second.watcher.start();
    expect(second.events.map((e) => e.type)).toContain('attached'); // by the time start() resolves
    await second.watcher.whenIdle();
    expect(typesFor(second, root)).toEqual(['attached', 'identified']);
  });

  it('docks and undocks on rescans alone, without fs.watch', async () => {
    const folder = await watchedFolder('w-nowatch');
    const r = rig(folder, { fsWatch: false, safetyRescanMs: 100, settleMs: 100 });
    await r.watcher.start();
    const root = path.join(folder, 'CAM');
    await dockByRename(gat, root);
    await waitFor(r, 'identified', (e) => e.payload.volume.root === root, 5_000);
    await rm(root, { recursive: true });
    await waitFor(r, 'detached', (e) => e.payload.volume.root === root, 5_000);
  });

  it('treats a different camera put in under the same name as a new dock', async () => {
    const folder = await watchedFolder('w-swap');
    const r = rig(folder, { fsWatch: false, safetyRescanMs: 0, settleMs: 50 });
    await r.watcher.start();
    const root = path.join(folder, 'SLOT-1');
    await dockByRename(gat, root);
    await r.watcher.rescan();
    await waitFor(r, 'identified', (e) => e.payload.volume.root === root);
    // Between two scans the first camera goes out and another comes in under the same name.
    await rename(root, path.join(tmp, 'staging', 'swapped-out'));
    await dockByRename(dcim, root);
    await r.watcher.rescan();
    await waitFor(r, 'identified', (e) => e.payload.profile.id === 'dcim-generic');
    expect(typesFor(r, root)).toEqual(['attached', 'identified', 'detached', 'attached', 'identified']);
  });

  it('says so when the watched folder does not exist, and docks once it does', async () => {
    const folder = path.join(tmp, 'w-later');
    const r = rig(folder, { safetyRescanMs: 100, settleMs: 50 });
    await r.watcher.start();
    expect(r.events.filter((e) => e.type === 'problem').map((e) => e.payload)).toMatchObject([{ source: 'watched-folder', problem: { code: 'folder-missing' } }]);
    await mkdir(folder);
    await dockByRename(gat, path.join(folder, 'CAM'));
    await waitFor(r, 'identified', () => true, 5_000);
  });
});

describe('a real FAT32 camera card mounted under the watched folder', () => {
  let image: string;
  const mounts: MountedFat[] = [];
  afterAll(async () => {
    for (const m of mounts) await m.unmount();
  });

  it('is identified through the mount, and detached when unmounted', async (ctx) => {
    if (!fat.mount) {
      console.log(`skipped: cannot mount FAT images here: ${fat.reasons.join('; ')}`);
      ctx.skip();
    }
    const made = await makeCamera({ out: path.join(tmp, 'cameras', 'fat'), serial: 'DSJ0054321', badge: '077777', now: NOW, clips: 2, seconds: 1, fatImage: path.join(tmp, 'fat-card.img') });
    image = made.fatImage!.image;
    const folder = await watchedFolder('w-fat');
    const r = rig(folder, { settleMs: 100 });
    await r.watcher.start();
    const root = path.join(folder, 'DSJ-CARD');
    const mounted = await mountFatImage(image, root);
    mounts.push(mounted);

    const { payload } = await waitFor(r, 'identified', (e) => e.payload.volume.root === root);
    expect(payload.profile.id).toBe('gat947-generic');
    expect(payload.binding).toMatchObject({ status: 'ok', values: { deviceSerial: 'DSJ0054321', badge: '077777' } });
    expect(payload.clock.reading).toMatchObject({ status: 'ok', text: made.clock.cameraNow.replace('T', ' ') });
    // The empty mount point before the mount was never a volume.
    expect(typesFor(r, root)).toEqual(['attached', 'identified']);

    // The macOS listing of /Volumes treats a mount point like this one as a volume, and an empty folder not.
    await mkdir(path.join(folder, 'EMPTY'));
    expect((await scanMacVolumes(folder)).map((v) => v.root)).toEqual([root]);

    await mounted.unmount();
    mounts.pop();
    await waitFor(r, 'detached', (e) => e.payload.volume.root === root);
    expect(await scanMacVolumes(folder)).toEqual([]);
  });
});
