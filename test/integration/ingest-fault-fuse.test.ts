// Issue 3, "faults that must lose nothing", with the camera as a real volume:
// the emulator's FAT32 image mounted through FUSE (fusefat, in the
// foreground, so killing that one process is pulling the cable). Reads on a
// dead FUSE volume fail with ENOTCONN / ECONNABORTED, as on a USB card that
// went away, rather than the clean ENOENT of a renamed folder.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CameraManifest } from '../fixtures/camera/camera.js';
import { writeFatImage } from '../fixtures/camera/fat-image.js';
import { undoAfterEach } from '../support/cleanup.js';
import { fuseRefused, mountFatReadOnly } from '../support/fuse.js';
import { camera, identify } from '../support/ingest.js';
import { BADGE, expectAnnounced, expectFailed, expectVaultConsistent, fileRow, fileRows, MiB, session, SERIAL, sha256File, stationWithCamera, trackFileStates, whenFirstFile } from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();

/** An emulated camera written into a FAT32 image, with `change` applied to its folder first. */
async function fatCamera(options: { clips?: number; clipBytes?: number }, change: (manifest: CameraManifest) => void = () => undefined) {
  const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, ...options });
  change(manifest);
  const image = path.join(tempDir('fat-image-'), 'camera.img');
  await writeFatImage({ volumeRoot: manifest.root, image, label: manifest.label, timeZone: manifest.timeZone });
  // What must arrive in the vault: every file under the footage folders, by content
  // (fusefat shows lower-case 8.3 names upper-cased, so names are not compared).
  const footage: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else footage.push(createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  for (const folder of ['RECORD', 'AUDIO', 'PHOTO']) walk(path.join(manifest.root, folder));
  return { manifest, image, footageHashes: footage.sort() };
}

describe('the camera is unplugged mid-copy, as a real volume (FAT32 image through FUSE)', () => {
  it('the volume dies under the copy: every file fails source_vanished, nothing half-written; plugged in again, everything is committed once', async (ctx) => {
    const refused = fuseRefused();
    if (refused) {
      console.warn(`SKIPPED (FUSE unplug): ${refused}`);
      ctx.skip(refused);
    }
    const t = await stationWithCamera();
    cleanup(() => t.close());
    // recorder.log is left out: files under 4 KiB do not read right through fusefat
    // (the known-bug test below); this test is about the unplug.
    const { image, footageHashes } = await fatCamera({ clips: 2, clipBytes: 32 * MiB }, (m) =>
      fs.rmSync(path.join(m.root, m.files.find((f) => f.role === 'stray')!.path)),
    );
    const imageBefore = sha256File(image);
    const first = await mountFatReadOnly(image, cleanup);
    const identified = await identify(first.root, t.clock, 'usb:camera-1');
    const states = trackFileStates(t);
    // The cable is pulled as the first file is copied: every read on the volume now fails.
    const pulled = whenFirstFile(t, (row) => row.state === 'copying', () => first.daemon.kill('SIGKILL'));
    const docked = await t.station.ingest.dock(identified, 'usb-volume');
    const summary = await docked.done!;
    t.station.ingest.undock(identified.volume.id); // the watcher notices afterwards
    const inFlight = pulled.fileId();
    expect(inFlight).not.toBeNull();
    expect(summary).toMatchObject({ state: 'failed', committed: 0, failed: footageHashes.length });
    for (const row of fileRows(t.station, docked.dockSessionId)) expectFailed(row, 'source_vanished');
    expect(states.get(inFlight!)).toEqual(['copying', 'failed']);
    expectAnnounced(t, docked.dockSessionId);
    // What a dead FUSE daemon answers, kept in the message for whoever looks into it.
    expect(fileRow(t.station, inFlight!).failure_message).toMatch(/ENOTCONN|ECONNABORTED/);
    const s = session(t.station, docked.dockSessionId);
    expect(s).toMatchObject({ state: 'failed', files_failed: footageHashes.length });
    expect(s.state_reason).toMatch(/未能导出.* \/ .*could not be offloaded/su);
    await expectVaultConsistent(t);
    first.unmount();

    // Plugged in again (another mount point, as a new USB attach gets).
    expect(sha256File(image), 'nothing on the camera changed').toBe(imageBefore);
    const second = await mountFatReadOnly(image, cleanup);
    const again = await t.station.ingest.dock(await identify(second.root, t.clock, 'usb:camera-1'), 'usb-volume');
    expect(await again.done).toMatchObject({ state: 'done', committed: footageHashes.length, failed: 0, duplicate: 0 });
    const clips = await expectVaultConsistent(t);
    expect(clips.map((c) => c.hash).sort()).toEqual(footageHashes);
    second.unmount();
    expect(sha256File(image)).toBe(imageBefore);
  });

  // fusefat answers a second O_DIRECT read at offset 0 of a small file on the
  // same descriptor wrongly (a short count, or the right count of wrong bytes).
  // The engine therefore reads FUSE sources buffered (engine.ts,
  // directReadAllowed); before that, a small file was committed "verified"
  // with bytes that were not the camera's.
  it('small files on a FUSE volume are committed with their true bytes', async (ctx) => {
    const refused = fuseRefused();
    if (refused) {
      console.warn(`SKIPPED (FUSE small files): ${refused}`);
      ctx.skip(refused);
    }
    const t = await stationWithCamera();
    cleanup(() => t.close());
    const { image, footageHashes } = await fatCamera({}, (m) => {
      const day = path.dirname(path.join(m.root, m.files[0]!.path));
      fs.writeFileSync(path.join(day, 'GPS0001.TXT'), 'GPRMC,083000.00,A,3954.000,N,11624.000,E,0.0,0.0,271126,,,A*6B\r\n'.repeat(2));
    });
    const mounted = await mountFatReadOnly(image, cleanup);
    const docked = await t.station.ingest.dock(await identify(mounted.root, t.clock), 'usb-volume');
    await docked.done;
    const clips = await expectVaultConsistent(t);
    // Nothing committed with bytes the camera does not hold …
    expect(clips.filter((c) => !footageHashes.includes(c.hash)).map((c) => c.original_path), 'committed with wrong bytes').toEqual([]);
    // … and nothing left behind.
    expect(fileRows(t.station, docked.dockSessionId).filter((r) => r.state !== 'committed').map((r) => `${r.original_path}: ${r.failure_message}`)).toEqual([]);
    expect(clips.map((c) => c.hash).sort()).toEqual(footageHashes);
  });
});
