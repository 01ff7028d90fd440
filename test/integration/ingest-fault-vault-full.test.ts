// Issue 3, "faults that must lose nothing": the vault's disk fills up. The
// vault is a small tmpfs (the database stays in the data folder, on another
// disk, as a station with a separate evidence disk has it). Whatever fits is
// committed; the rest fails `vault_full` with an alarm; nothing partial is
// left in the vault, and the camera keeps every file for the next dock.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { BADGE, expectAnnounced, expectFailed, expectVaultConsistent, fileRow, fileRows, fillDisk, MiB, mountSmallDisk, session, SERIAL, stationWithCamera, whenFirstFile } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();

function smallDisk(sizeMiB: number, skip: (note?: string) => never): string {
  const disk = mountSmallDisk(sizeMiB);
  if ('refused' in disk) {
    console.warn(`SKIPPED: ${disk.refused}`);
    skip(disk.refused);
  }
  cleanup(() => disk.unmount());
  return disk.dir;
}

const big = (p: string) => /_000[123](_IMP)?\.MP4$/.test(p);

describe('the vault disk fills up', () => {
  it('a camera bigger than the vault: what fits is committed, the rest fails vault_full with an alarm, nothing partial anywhere', async (ctx) => {
    const disk = smallDisk(24, ctx.skip);
    // One copy worker, so the copies run one after the other and which clips fit is known.
    const t = await stationWithCamera({ vaultDir: path.join(disk, 'vault'), copyWorkers: 1 });
    cleanup(() => t.close());
    expect(t.station.db.name.startsWith(t.dataDir)).toBe(true);
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3, clipBytes: 10 * MiB });
    expect(manifest.totalBytes).toBeGreaterThan(24 * MiB);
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const before = treeDigest(manifest.root);

    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    const summary = await docked.done!;
    expect(summary.state).toBe('failed');
    const rows = fileRows(t.station, docked.dockSessionId);
    const byPath = (p: string) => rows.find((r) => r.original_path === p)!;
    const [clip1, clip2, clip3] = footage.filter((f) => big(f.path)).map((f) => byPath(f.path));
    // The three clips cannot all fit (30 MiB > 24 MiB), one alone can. Which of them lose depends
    // on timing: a camera's next file is copied while the last one is fsynced, read back and
    // committed, so a later clip's copy may take the room an earlier one's sidecar needed.
    const bigRows = [clip1!, clip2!, clip3!];
    expect(bigRows.filter((r) => r.state === 'committed').length).toBeGreaterThanOrEqual(1);
    const lost = bigRows.filter((r) => r.state !== 'committed');
    expect(lost.length).toBeGreaterThanOrEqual(1);
    for (const r of lost) {
      expectFailed(r, 'vault_full');
      expect(r.failure_message).toMatch(/证据库磁盘已满.* \/ The vault's disk is full/su);
    }
    // The small files come after the third clip gave its space back: they fit.
    for (const f of footage.filter((f) => !big(f.path))) expect({ path: f.path, state: byPath(f.path).state }).toEqual({ path: f.path, state: 'committed' });
    for (const r of rows) if (r.state !== 'committed') expectFailed(r, 'vault_full');

    const failed = rows.filter((r) => r.state === 'failed');
    expect(summary).toMatchObject({ committed: rows.length - failed.length, failed: failed.length });
    const s = session(t.station, docked.dockSessionId);
    expect(s).toMatchObject({ state: 'failed', files_failed: failed.length });
    expect(s.state_reason).toMatch(/未能导出.* \/ .*could not be offloaded/su);
    // One open alarm, however many files hit the full disk, and it was announced: raised before the
    // copies, since the camera's files need more than the vault has free.
    const board = await t.cli.ok('dock.board', {});
    expect(board.alarms.filter((a) => a.kind === 'vault_low_space')).toEqual([
      expect.objectContaining({ kind: 'vault_low_space', resolvedAt: null, details: expect.objectContaining({ neededBytes: footage.reduce((n, f) => n + f.size, 0) }) }),
    ]);
    expect(t.events.of('alarm.raised')).toEqual([{ kind: 'vault_low_space' }]);
    expectAnnounced(t, docked.dockSessionId);

    // No clip row and no vault file for what failed; every committed clip intact.
    const clips = await expectVaultConsistent(t);
    expect(clips.map((c) => c.original_path).sort()).toEqual(rows.filter((r) => r.state === 'committed').map((r) => r.original_path).sort());
    for (const c of clips) expect(c.hash).toBe(footage.find((f) => f.path === c.original_path)!.sha256);
    expect(treeDigest(manifest.root), 'nothing on the camera changed').toEqual(before);
  });

  it('the disk fills between the copy and its sidecar: the clip fails vault_full with no half-written sidecar, and commits once there is room', async (ctx) => {
    const disk = smallDisk(24, ctx.skip);
    const t = await stationWithCamera({ vaultDir: path.join(disk, 'vault'), copyWorkers: 1 });
    cleanup(() => t.close());
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2, clipBytes: 8 * MiB });
    expect(manifest.totalBytes).toBeLessThan(20 * MiB); // the camera fits in the vault once there is room
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const before = treeDigest(manifest.root);

    // The moment the first clip's copy is written and fsynced (its read-back starts),
    // something else takes the rest of the disk: the sidecar has no room.
    const filler = path.join(disk, 'filler');
    const filled = whenFirstFile(t, (row) => row.state === 'verifying' && big(row.original_path), () => fillDisk(filler));
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    expect((await docked.done)!.state).toBe('failed');
    const first = filled.fileId();
    expect(first).not.toBeNull();
    const failedAtCommit = fileRow(t.station, first!);
    expectFailed(failedAtCommit, 'vault_full');
    expect(failedAtCommit.failure_message).toMatch(/commit to vault/);
    for (const r of fileRows(t.station, docked.dockSessionId)) if (r.state !== 'committed') expectFailed(r, 'vault_full');
    expectAnnounced(t, docked.dockSessionId);
    // The camera fitted when the dock began: the alarm came from the full disk itself.
    expect(t.events.of('alarm.raised')).toEqual([{ kind: 'vault_low_space' }]);
    expect((await t.cli.ok('dock.board', {})).alarms).toEqual([expect.objectContaining({ kind: 'vault_low_space', details: { vault: t.station.vault.root } })]);
    // The heart of it: no sidecar (whole or partial) and no copy of the failed clip anywhere in the vault.
    await expectVaultConsistent(t);

    // Room again (an administrator freed space): the next dock commits everything, once.
    fs.rmSync(filler);
    const again = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    expect(await again.done).toMatchObject({ state: 'done', failed: 0 });
    const clips = await expectVaultConsistent(t);
    expect(clips).toHaveLength(footage.length);
    for (const f of footage) expect(clips.find((c) => c.original_path === f.path)?.hash, f.path).toBe(f.sha256);
    expect(treeDigest(manifest.root), 'nothing on the camera changed').toEqual(before);
  });
});
