// The dock watcher's combining of sources, and USB hotplug: the same camera
// seen by two sources is docked once; a volume that leaves while it is being
// read still gets its events in order; the `usb` add-on is used where it
// loads and its absence costs nothing but speed.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock.js';
import { DockWatcher, type DockWatcherEvents } from '../../electron/core/docking/dock-watcher.js';
import { loadProfiles, type CameraProfile } from '../../electron/core/docking/profile/index.js';
import { RemovableVolumeSource } from '../../electron/core/docking/sources/removable-volumes.js';
import { UsbHotplug } from '../../electron/core/docking/sources/usb-hotplug.js';
import type { DockedVolume } from '../../electron/core/docking/sources/volume.js';
import { ScriptedSource } from '../support/scripted-source.js';
import { WatchedFolderSource } from '../../electron/core/docking/sources/watched-folder.js';
import { makeCamera, type CameraManifest } from '../fixtures/camera/camera.js';
import { FakeSystem, mountLine } from '../unit/docking-sysfs-tree.js';

const NOW = Date.UTC(2024, 4, 1, 10, 0, 0);
let tmp: string;
let profiles: CameraProfile[];
let gat: CameraManifest;

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'docking-watcher-')));
  profiles = await loadProfiles(path.resolve('profiles'));
  gat = await makeCamera({ out: path.join(tmp, 'cameras', 'gat'), serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 2, seconds: 1 });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function record(watcher: DockWatcher): string[] {
  const log: string[] = [];
  const at = (p: { volume: DockedVolume }) => `${p.volume.source}:${path.basename(p.volume.root)}`;
  watcher.on('attached', (p) => log.push(`attached ${at(p)}`));
  watcher.on('identified', (p) => log.push(`identified ${at(p)} ${p.profile.id}`));
  watcher.on('unrecognized', (p) => log.push(`unrecognized ${at(p)}`));
  watcher.on('detached', (p) => log.push(`detached ${at(p)}`));
  watcher.on('ignored', (p) => log.push(`ignored ${p.source}:${path.basename(p.path)} ${p.reason}`));
  return log;
}

describe('DockWatcher', () => {
  it('keeps each volume\'s events in order when it leaves while still being read', async () => {
    const source = new ScriptedSource();
    const watcher = new DockWatcher({ sources: [source], profiles, clock: new ManualClock(NOW) });
    const log = record(watcher);
    const root = path.join(tmp, 'vanishing');
    await cp(gat.root, root, { recursive: true });
    const volume: DockedVolume = { id: 'usb-volume:sdb1@/x', root, label: 'DSJ', removable: true, source: 'usb-volume' };
    source.attach(volume);
    source.detach(volume.id); // before identification could have finished
    source.attach(volume); // and back again
    await watcher.whenIdle();
    expect(log).toEqual([
      'attached usb-volume:vanishing',
      'identified usb-volume:vanishing gat947-generic',
      'detached usb-volume:vanishing',
      'attached usb-volume:vanishing',
      'identified usb-volume:vanishing gat947-generic',
    ]);
  });

  it('says a volume that cannot be read is unrecognized, with the reason, rather than failing', async () => {
    const source = new ScriptedSource();
    const watcher = new DockWatcher({ sources: [source], profiles, clock: new ManualClock(NOW) });
    const seen: DockWatcherEvents['unrecognized'][0][] = [];
    watcher.on('unrecognized', (p) => seen.push(p));
    source.attach({ id: 'usb-volume:sdz1@/gone', root: path.join(tmp, 'never-existed'), label: null, removable: true, source: 'usb-volume' });
    await watcher.whenIdle();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.reasons.join(' ')).toMatch(/no camera profile matches|could not be read/);
  });

  it('docks a camera seen by two sources once, and hands it over when the first loses it', async () => {
    // A site mounts cameras under the watched folder, and the removable-volume
    // watcher sees the same mount: one dock, not two.
    const folder = path.join(tmp, 'both');
    await mkdir(folder);
    const root = path.join(folder, 'DSJ');
    await cp(gat.root, root, { recursive: true });
    const sys = await new FakeSystem(path.join(tmp, 'fake-root')).init();
    await sys.addDisk({
      name: 'sdb',
      major: 8,
      minor: 16,
      removable: true,
      usb: { port: '2-1', vendorId: '2207', productId: '0010', serial: 'DSJ0012345' },
      partitions: [{ name: 'sdb1', minor: 17, label: 'DSJ' }],
    });
    const mounted = mountLine({ id: 421, dev: '8:17', mountPoint: root, fsType: 'vfat', source: '/dev/sdb1' }) + '\n';
    await sys.setMountInfo(mounted);
    const removable = new RemovableVolumeSource({ platform: 'linux', linuxPaths: sys.paths, blkid: false, hotplug: false, rescanIntervalMs: 0 });
    const watched = new WatchedFolderSource({ folder, settleMs: 50, debounceMs: 20, safetyRescanMs: 0, describeMount: null });
    const watcher = new DockWatcher({ sources: [removable, watched], profiles, clock: new ManualClock(NOW) });
    const log = record(watcher);
    const identified: DockWatcherEvents['identified'][0][] = [];
    watcher.on('identified', (p) => identified.push(p));
    try {
      await watcher.start();
      await watcher.whenIdle();
      // The removable watcher reports at once; the folder settles later and is then a duplicate.
      expect(log).toEqual(['attached usb-volume:DSJ', 'identified usb-volume:DSJ gat947-generic', 'ignored watched-folder:DSJ duplicate']);
      expect(identified[0]!.volume.usb).toEqual({ vendorId: '2207', productId: '0010', serial: 'DSJ0012345' });
      expect(watcher.current()).toHaveLength(1);

      // The mount table no longer shows it (say, udisks lost it) but the folder is still there.
      await sys.setMountInfo('');
      log.length = 0;
      await removable.rescan();
      await watcher.whenIdle();
      expect(log).toEqual(['detached usb-volume:DSJ', 'attached watched-folder:DSJ', 'identified watched-folder:DSJ gat947-generic']);
      expect(watcher.current().map((d) => d.volume.source)).toEqual(['watched-folder']);
    } finally {
      await watcher.stop();
    }
  });
});

describe('USB hotplug', () => {
  it('listens where the usb add-on loads, or says why not; either way without throwing', async () => {
    const logged: string[] = [];
    const hotplug = new UsbHotplug({ onChange: () => {}, log: (m) => logged.push(m) });
    const status = await hotplug.start();
    console.log(`usb hotplug here: ${JSON.stringify(status)}`);
    expect(['listening', 'unavailable']).toContain(status.state);
    await hotplug.stop();
    expect(hotplug.status()).toEqual({ state: 'stopped' });
  });

  it('falls back to interval rescans when the add-on is missing, and logs that once', async () => {
    const logged: string[] = [];
    const problems: string[] = [];
    const make = () => new RemovableVolumeSource({ platform: 'linux', usbModuleId: 'usb-not-installed-here', rescanIntervalMs: 60_000, log: (m) => logged.push(m) });
    for (const source of [make(), make()]) {
      source.on('problem', (p) => problems.push(p.code));
      await source.start();
      expect(source.hotplugStatus()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/cannot load usb-not-installed-here/) });
      await source.stop();
    }
    expect(problems).toEqual(['hotplug-unavailable', 'hotplug-unavailable']); // each source tells its listeners
    expect(logged.filter((m) => m.includes('USB hotplug unavailable'))).toHaveLength(1); // the log hears it once
  });

  it('a process that starts and stops the removable-volume watcher with hotplug exits cleanly', async () => {
    // Run apart from the test runner, so an unhandled rejection or a native
    // listener left behind would show as a crash or a hang, not be absorbed.
    const script = path.join(tmp, 'hotplug-run.mts');
    const modulePath = path.resolve('electron/core/docking/sources/removable-volumes.ts');
    await writeFile(
      script,
      `import { RemovableVolumeSource } from ${JSON.stringify(modulePath)};
const source = new RemovableVolumeSource({ rescanIntervalMs: 100, log: (m) => console.error(m) });
source.on('problem', (p) => console.log('problem', p.code));
await source.start();
console.log('hotplug', source.hotplugStatus().state);
await new Promise((r) => setTimeout(r, 500));
await source.stop();
console.log('stopped');
`,
    );
    const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve('.'), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', reject);
      child.on('exit', (code) => (clearTimeout(timer), resolve({ code, out })));
    });
    expect(result.out).toMatch(/hotplug (listening|unavailable)/);
    expect(result.out).toMatch(/stopped/);
    expect(result.code, result.out).toBe(0);
  });
});
