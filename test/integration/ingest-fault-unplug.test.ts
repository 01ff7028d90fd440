// Issue 3, "faults that must lose nothing": the camera is unplugged while a
// clip is being copied. The whole pipeline (dock session, per-file state
// machine, copy workers, vault, index, events) must end in a clear state,
// with nothing half-written anywhere, and the next dock must finish the job.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { BADGE, expectAnnounced, expectFailed, expectVaultConsistent, fileRow, fileRows, MiB, session, SERIAL, stationWithCamera, slowFirstProbe, trackFileStates, whenFirstFile } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();

describe('the camera is unplugged mid-copy', () => {
  // The dock watcher may notice the unplug at once (the job is stopped), or
  // only after the copy workers have already found the files gone.
  it.each([
    { watcher: 'at once' as const },
    { watcher: 'late' as const },
  ])('every unfinished file fails source_vanished, nothing is half-written, and the next dock commits everything once (watcher notices $watcher)', async ({ watcher }) => {
    // The station announces a file as copying when its worker's first message arrives, after
    // the worker has started on it. On a loaded machine that message can come after the worker
    // has read the whole file, and the pull then lands between two files: such a run says
    // nothing about a pull mid-copy, so the dock is made again, on a new station, up to three times.
    for (let attempt = 1; ; attempt++) {
      if (await unplugMidCopy(watcher)) return;
      if (attempt === 3) throw new Error('three times the pull landed only after the first file was read whole: the machine is too loaded for this test');
    }
  });
});

/** The scenario; false when the pull came too late to catch the first file mid-copy (nothing asserted then). */
async function unplugMidCopy(watcher: 'at once' | 'late'): Promise<boolean> {
  const t = await stationWithCamera();
  cleanup(() => t.close());
  // Clips large enough that the copy is usually still running when the first one is announced.
  const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2, clipBytes: 48 * MiB });
  const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
  const before = treeDigest(manifest.root);
  const unplugged = `${manifest.root}.unplugged`;
  const identified = await identify(manifest.root, t.clock, 'usb:camera-1');
  const states = trackFileStates(t);

  // The card is pulled as the first file is copied: the volume's folder is gone from under the open files.
  const pulled = whenFirstFile(
    t,
    (row) => row.state === 'copying',
    () => {
      fs.renameSync(manifest.root, unplugged);
      if (watcher === 'at once') t.station.ingest.undock(identified.volume.id);
    },
  );
  const docked = await t.station.ingest.dock(identified, 'usb-volume');
  const summary = await docked.done!;
  if (watcher === 'late') t.station.ingest.undock(identified.volume.id);

  const inFlight = pulled.fileId();
  expect(inFlight).not.toBeNull();
  // Its copy was read whole and checked against the camera before the pull: not the case this test is for.
  if (fileRow(t.station, inFlight!).state === 'committed') return false;
  expect(summary).toMatchObject({ state: 'failed', committed: 0, failed: footage.length });
  const rows = fileRows(t.station, docked.dockSessionId);
  expect(rows.map((r) => r.original_path).sort()).toEqual(footage.map((f) => f.path).sort());
  for (const row of rows) expectFailed(row, 'source_vanished');
  // The file in flight was seen copying before it failed; the others never moved a byte.
  expect(states.get(inFlight!)).toEqual(expect.arrayContaining(['copying', 'failed']));
  for (const row of rows) expect(states.get(row.id)?.at(-1), `${row.original_path}: its last event says failed`).toBe('failed');

  const s = session(t.station, docked.dockSessionId);
  expect(s).toMatchObject({ state: 'failed', files_failed: footage.length, files_committed: 0 });
  expect(s.state_reason).toMatch(/未能导出.* \/ .*could not be offloaded/su);
  expect(s.detached_at).not.toBeNull();
  expect(t.events.of('dock.detached')).toEqual([{ dockSessionId: docked.dockSessionId }]);
  expectAnnounced(t, docked.dockSessionId);
  expect(t.events.of('ingest.progress').filter((p) => p.dockSessionId === docked.dockSessionId).at(-1)).toMatchObject({ filesDone: footage.length, filesTotal: footage.length });
  await expectVaultConsistent(t);
  expect(await t.cli.ok('dock.board', {})).toMatchObject({ docks: [] });

  // The officer plugs the camera in again: everything is copied, once.
  fs.renameSync(unplugged, manifest.root);
  expect(treeDigest(manifest.root), 'nothing on the camera changed').toEqual(before);
  const again = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
  expect(await again.done).toMatchObject({ state: 'done', committed: footage.length, duplicate: 0, failed: 0 });
  const clips = await expectVaultConsistent(t);
  expect(clips).toHaveLength(footage.length);
  for (const f of footage) expect(clips.find((c) => c.original_path === f.path)?.hash, f.path).toBe(f.sha256);
  expect(session(t.station, again.dockSessionId)).toMatchObject({ state: 'done', state_reason: null });
  expectAnnounced(t, again.dockSessionId);
  expect(treeDigest(manifest.root)).toEqual(before);
  return true;
}

async function until<T>(check: () => T | null | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the camera goes away (or the ingest is paused) while a verified copy is being probed', () => {
  it.each(['unplugged', 'paused'] as const)('%s: the verified clip is still committed, and not flagged damaged', async (what) => {
    const t = await stationWithCamera();
    cleanup(() => t.close());
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2, clipBytes: 16 * MiB });
    const probe = slowFirstProbe(); // after the camera is made: only the station's probes go through it
    cleanup(() => probe.restore());
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const identified = await identify(manifest.root, t.clock, 'usb:camera-1');
    const docked = await t.station.ingest.dock(identified, 'usb-volume');

    // The first probe started: its file is verified, in the incoming area, about to be committed.
    const probed = await until(() => (fs.existsSync(probe.marker) ? fs.readFileSync(probe.marker, 'utf8').trim() : null), 'the first probe');
    const fileId = Number(/-f(\d+)\.part$/.exec(probed)![1]);
    if (what === 'unplugged') {
      fs.renameSync(manifest.root, `${manifest.root}.unplugged`);
      t.station.ingest.undock(identified.volume.id);
    } else await t.cli.ok('ingest.pause', { dockSessionId: docked.dockSessionId });

    if (what === 'paused') {
      await until(() => (fileRow(t.station, fileId).state === 'committed' ? true : null), 'the probed clip to be committed while paused');
      expect(session(t.station, docked.dockSessionId).state).toBe('paused');
      await t.cli.ok('ingest.resume', { dockSessionId: docked.dockSessionId });
    }
    await docked.done;
    const row = fileRow(t.station, fileId);
    expect(row.state, 'the verified copy was committed').toBe('committed');
    const clips = await expectVaultConsistent(t);
    // A good clip is never flagged damaged because its probe was interrupted.
    for (const c of clips) {
      const f = footage.find((x) => x.path === c.original_path)!;
      expect({ path: c.original_path, damaged: c.damaged }).toEqual({ path: c.original_path, damaged: f.expected === 'damaged' ? 1 : 0 });
    }
    for (const r of fileRows(t.station, docked.dockSessionId)) if (r.state !== 'committed') expectFailed(r, 'source_vanished');
    expectAnnounced(t, docked.dockSessionId);

    if (what === 'unplugged') {
      fs.renameSync(`${manifest.root}.unplugged`, manifest.root);
      const again = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
      expect(await again.done).toMatchObject({ state: 'done', failed: 0 });
    }
    const all = await expectVaultConsistent(t);
    expect(all).toHaveLength(footage.length);
    for (const c of all) expect(c.damaged).toBe(footage.find((x) => x.path === c.original_path)!.expected === 'damaged' ? 1 : 0);
  });
});

