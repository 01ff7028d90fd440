// Issue 3, "faults that must lose nothing": a file on the camera changes while
// it is being copied (the camera is still writing it). The copy is thrown
// away and the file fails `source_changed`; the next dock, once the file is
// still, commits it. And issue 3 item 7: with the erase-after-commit policy
// on, only verified, committed files leave the camera, each removal audited;
// a file that failed stays.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CameraManifest } from '../fixtures/camera/camera.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { auditActions, BADGE, expectAnnounced, expectFailed, expectVaultConsistent, type FaultStation, fileRow, fileRows, MiB, session, SERIAL, sha256File, stationWithCamera, trackFileStates, whenFirstFile } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();

const APPENDED = Buffer.alloc(64 * 1024, 0x42);

/** The camera goes on writing the first clip the moment the station starts copying it. */
function appendWhenCopying(t: FaultStation, manifest: CameraManifest, target: string): { fileId: () => number | null } {
  return whenFirstFile(
    t,
    (row) => row.state === 'copying' && row.original_path === target,
    () => fs.appendFileSync(path.join(manifest.root, target), APPENDED),
  );
}

describe('a file changes while it is copied', () => {
  it('fails source_changed with nothing kept of the copy; the next dock commits the finished file', async () => {
    const t = await stationWithCamera();
    cleanup(() => t.close());
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2, clipBytes: 48 * MiB });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const target = footage[0]!;
    const before = treeDigest(manifest.root);
    const states = trackFileStates(t);
    const appended = appendWhenCopying(t, manifest, target.path);

    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    const summary = await docked.done!;
    expect(appended.fileId()).not.toBeNull();
    const changed = fileRow(t.station, appended.fileId()!);
    expectFailed(changed, 'source_changed');
    expect(changed.failure_message).toMatch(/源文件发生了变化.* \/ The source file changed while it was being copied/su);
    expect(states.get(changed.id)).toEqual(['copying', 'failed']);
    expect(summary).toMatchObject({ state: 'failed', failed: 1, committed: footage.length - 1 });
    for (const r of fileRows(t.station, docked.dockSessionId)) if (r.id !== changed.id) expect({ path: r.original_path, state: r.state }).toEqual({ path: r.original_path, state: 'committed' });
    const s = session(t.station, docked.dockSessionId);
    expect(s).toMatchObject({ state: 'failed', files_failed: 1 });
    expect(s.state_reason).toMatch(/1 个文件未能导出.* \/ 1 file\(s\) could not be offloaded/su);
    expectAnnounced(t, docked.dockSessionId);
    const clips = await expectVaultConsistent(t);
    expect(clips.find((c) => c.original_path === target.path), 'no clip for the changed file').toBeUndefined();
    expect(clips.map((c) => c.hash)).not.toContain(target.sha256);

    // The station changed nothing on the camera (the erase policy is off by default): only our append.
    const now = treeDigest(manifest.root);
    expect({ ...now, [target.path]: null }).toEqual({ ...before, [target.path]: null });
    expect(fs.statSync(path.join(manifest.root, target.path)).size).toBe(target.size + APPENDED.length);
    expect(auditActions(t.station, 'clip.source_erased')).toEqual([]);

    // The camera stopped writing; docked again, the finished file is committed (the rest are duplicates).
    const again = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    expect(await again.done).toMatchObject({ state: 'done', committed: 1, duplicate: footage.length - 1, failed: 0 });
    const after = await expectVaultConsistent(t);
    expect(after).toHaveLength(footage.length);
    const finished = after.find((c) => c.original_path === target.path)!;
    expect(finished.hash).toBe(sha256File(path.join(manifest.root, target.path)));
    expect(finished.size).toBe(target.size + APPENDED.length);
    expect(treeDigest(manifest.root)).toEqual(now);
  });
});

describe('erase after a verified commit (policy on)', () => {
  it('removes committed files from the camera, audits each removal, and keeps a file that failed', async () => {
    const t = await stationWithCamera({ eraseAfterCommit: true });
    cleanup(() => t.close());
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2, clipBytes: 48 * MiB });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const deviceFiles = manifest.files.filter((f) => f.expected === 'not-footage');
    const target = footage[0]!;
    const appended = appendWhenCopying(t, manifest, target.path);

    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    expect((await docked.done)!.state).toBe('failed');
    expectFailed(fileRow(t.station, appended.fileId()!), 'source_changed');
    expectAnnounced(t, docked.dockSessionId);

    // The failed file is still there; every committed one is gone from the camera, and safe in the vault.
    const left = treeDigest(manifest.root);
    const changedBytes = createHash('sha256').update(fs.readFileSync(path.join(manifest.root, target.path))).digest('hex');
    expect(left).toEqual({
      [target.path]: changedBytes,
      // The camera's own files (binding, clock, status) are not footage: never touched.
      ...Object.fromEntries(deviceFiles.map((f) => [f.path, f.sha256])),
    });
    const clips = await expectVaultConsistent(t);
    expect(clips).toHaveLength(footage.length - 1);
    for (const c of clips) expect(c.hash).toBe(footage.find((f) => f.path === c.original_path)!.sha256);
    const erased = auditActions(t.station, 'clip.source_erased');
    expect(erased.map((a) => Number(a.object_id)).sort()).toEqual(clips.map((c) => c.id).sort());
    expect(erased.map((a) => (JSON.parse(a.after_json!) as { path: string }).path).sort()).toEqual(clips.map((c) => c.original_path).sort());

    // Docked again once still: the last file is committed, then erased too.
    const again = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    expect(await again.done).toMatchObject({ state: 'done', committed: 1, failed: 0 });
    expect(treeDigest(manifest.root)).toEqual(Object.fromEntries(deviceFiles.map((f) => [f.path, f.sha256])));
    const all = await expectVaultConsistent(t);
    expect(all.find((c) => c.original_path === target.path)?.hash).toBe(changedBytes);
    expect(auditActions(t.station, 'clip.source_erased')).toHaveLength(footage.length);
  });
});
