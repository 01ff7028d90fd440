// Issue 17, "every recording keeps its own record" and "camera clock wrong" (guarantee 4 as
// changed, ingest/dating.ts): files whose bytes equal another clip's are recordings of their own
// unless they are the same camera file (docked again, or moved on the card); files whose camera
// times cannot be true are stored, dated by a plausible time or filed under undated/, and flagged.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNDATED_FOLDER } from '../../electron/core/ingest/dating.js';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX, type Sidecar, vaultFolder } from '../../electron/core/ingest/vault.js';
import { utcToWallClock } from '../../electron/core/docking/wall-clock.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify } from '../support/ingest.js';
import { auditActions, BADGE, clipRows, expectVaultConsistent, fileRows, openStation, SERIAL, sha256File, stationWithCamera, type FaultStation } from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();
const HOUR = 3_600_000;

async function setup() {
  const t = await stationWithCamera();
  cleanup(() => t.close());
  const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
  return { t, manifest };
}

const sidecarOf = (t: FaultStation, clip: ClipRow): Sidecar => JSON.parse(fs.readFileSync(t.station.vault.absolute(clip.vault_path) + SIDECAR_SUFFIX, 'utf8')) as Sidecar;

/** Writes a file on the camera with the given bytes and modification time. */
function put(root: string, rel: string, bytes: Buffer, mtimeMs: number): void {
  const file = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
}

/** Clip rows as evidence, keyed by vault path: without the ids one database gives them. */
function evidence(rows: ClipRow[]): Map<string, Omit<ClipRow, 'id' | 'dock_session_id' | 'device_id' | 'officer_id' | 'checkout_id'>> {
  return new Map(rows.map(({ id: _i, dock_session_id: _s, device_id: _d, officer_id: _o, checkout_id: _c, ...rest }) => [rest.vault_path, rest]));
}

describe('every recording keeps its own record', () => {
  it('two empty files from two shifts and one photo saved in two folders are clips of their own; rebuild-index into an empty database gives the same clips', async () => {
    const { t, manifest } = await setup();
    const day = path.posix.dirname(manifest.files.find((f) => f.role === 'clip')!.path);
    const photo = manifest.files.find((f) => f.role === 'photo')!;
    put(manifest.root, `${day}/EMPTY_0001.MP4`, Buffer.alloc(0), T0 - 5 * HOUR);
    const photoCopy = `${path.posix.dirname(photo.path)}/saved/${path.posix.basename(photo.path)}`;
    put(manifest.root, photoCopy, fs.readFileSync(path.join(manifest.root, photo.path)), T0 - 2 * HOUR);
    const first = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'shift-1'), 'usb-volume')).done!;
    expect(first).toMatchObject({ state: 'done', failed: 0, duplicate: 0 });

    // The next shift leaves another empty file: same bytes (none), another name and time.
    put(manifest.root, `${day}/EMPTY_0002.MP4`, Buffer.alloc(0), T0 - 1 * HOUR);
    const second = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'shift-2'), 'usb-volume')).done!;
    expect(second).toMatchObject({ state: 'done', failed: 0, committed: 1 });
    expect(fileRows(t.station, second.dockSessionId).find((f) => f.original_path.endsWith('EMPTY_0002.MP4'))).toMatchObject({ state: 'committed' });

    const clips = clipRows(t.station);
    const empties = clips.filter((c) => /EMPTY_000[12]\.MP4$/.test(c.original_path));
    expect(empties.map((c) => [c.original_path, c.size, c.damaged]).sort()).toEqual([
      [`${day}/EMPTY_0001.MP4`, 0, 1],
      [`${day}/EMPTY_0002.MP4`, 0, 1],
    ]);
    const photos = clips.filter((c) => c.original_path === photo.path || c.original_path === photoCopy);
    expect(photos).toHaveLength(2);
    expect(new Set(photos.map((c) => c.hash))).toEqual(new Set([photo.sha256]));
    // Each its own file and sidecar in the vault, naming its own path on the camera.
    for (const c of [...empties, ...photos]) {
      expect(sidecarOf(t, c).original).toMatchObject({ path: c.original_path, mtimeMs: c.mtime_ms });
      expect(sha256File(t.station.vault.absolute(c.vault_path))).toBe(c.hash);
    }
    expect(new Set([...empties, ...photos].map((c) => c.vault_path)).size).toBe(4);
    await expectVaultConsistent(t);

    // An empty database and a copy of the vault: the same clips, column by column.
    const vaultCopy = path.join(tempDir('recordings-vault-'), 'vault');
    fs.cpSync(t.station.vault.root, vaultCopy, { recursive: true, preserveTimestamps: true });
    const b = openStation({ vaultDir: vaultCopy });
    cleanup(() => b.close());
    const report = await b.station.rebuildIndex();
    expect(report).toMatchObject({ scanned: clips.length, restored: clips.length, conflicts: [] });
    expect(evidence(clipRows(b.station))).toEqual(evidence(clips));
  });

  it('a file moved on the camera stays the clip it was, its new path recorded and kept by rebuild-index', async () => {
    const { t, manifest } = await setup();
    await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'a'), 'usb-volume')).done;
    const audio = manifest.files.find((f) => f.role === 'audio')!;
    const moved = `${path.posix.dirname(audio.path)}/kept/${path.posix.basename(audio.path)}`;
    fs.mkdirSync(path.join(manifest.root, path.dirname(moved)));
    fs.renameSync(path.join(manifest.root, audio.path), path.join(manifest.root, moved));
    const again = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'b'), 'usb-volume')).done!;
    expect(again).toMatchObject({ state: 'done', committed: 0, failed: 0 });
    const clip = clipRows(t.station).find((c) => c.original_path === audio.path)!;
    expect(fileRows(t.station, again.dockSessionId).find((f) => f.original_path === moved)).toMatchObject({ state: 'duplicate', clip_id: clip.id });
    expect(sidecarOf(t, clip).moved).toEqual([{ path: moved, at: T0 }]);
    const movedAudit = auditActions(t.station, 'clip.moved_on_camera');
    expect(movedAudit.map((a) => [a.object_id, JSON.parse(a.after_json!)])).toEqual([[String(clip.id), { serial: SERIAL, from: audio.path, path: moved }]]);

    // The vault loses the clip and its sidecar: the next dock puts it back from the moved file, and
    // the sidecar written again from the index still says where it moved.
    fs.rmSync(t.station.vault.absolute(clip.vault_path));
    fs.rmSync(t.station.vault.absolute(clip.vault_path) + SIDECAR_SUFFIX);
    const third = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'c'), 'usb-volume')).done!;
    expect(third).toMatchObject({ state: 'done', committed: 1, failed: 0 });
    expect(sha256File(t.station.vault.absolute(clip.vault_path))).toBe(clip.hash);
    expect(sidecarOf(t, clip)).toMatchObject({ moved: [{ path: moved, at: T0 }], restored: { dockSessionId: third.dockSessionId } });
    expect(clipRows(t.station).find((c) => c.id === clip.id)).toEqual(clip);

    // Rebuilt from the vault, the moved path still knows the clip: a dock of it copies nothing.
    const vaultCopy = path.join(tempDir('recordings-moved-'), 'vault');
    fs.cpSync(t.station.vault.root, vaultCopy, { recursive: true, preserveTimestamps: true });
    const b = openStation({ vaultDir: vaultCopy });
    cleanup(() => b.close());
    await b.station.rebuildIndex();
    expect(b.station.db.prepare('SELECT original_path, dock_session_id FROM clip_moved').all()).toEqual([{ original_path: moved, dock_session_id: null }]);
  });
});

describe('camera clock wrong', () => {
  it('a 1980 and a 2031 file time are stored, flagged on the clip and the dock, and filed by a plausible time or under undated/', async () => {
    const { t, manifest } = await setup();
    const photo = manifest.files.find((f) => f.role === 'photo')!;
    const dir = path.posix.dirname(photo.path);
    // The photo's name carries its time (the emulator's pattern): that dates it, whatever the file's time says.
    const named = `${dir}/${path.posix.basename(photo.path).replace(/_(\d{4})\.JPG$/i, '_9001.JPG')}`;
    const photoBytes = fs.readFileSync(path.join(manifest.root, photo.path));
    put(manifest.root, named, photoBytes, Date.UTC(1980, 0, 1));
    // No time in the name, no container time: nothing dates it.
    const unnamed = `${dir}/NOTE.TXT`;
    put(manifest.root, unnamed, Buffer.from('camera note\n'), Date.UTC(2031, 5, 1));
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    const summary = await docked.done!;
    expect(summary).toMatchObject({ state: 'done', failed: 0 });

    const clips = clipRows(t.station);
    const byPath = (p: string) => clips.find((c) => c.original_path === p)!;
    const good = byPath(photo.path);
    expect(good.clock_wrong).toBe(0);
    const dated = byPath(named);
    expect(dated).toMatchObject({ clock_wrong: 1, start_at: good.start_at, camera_start_text: good.camera_start_text });
    expect(path.posix.dirname(dated.vault_path)).toBe(vaultFolder(good.start_at!, SERIAL, 'Asia/Shanghai'));
    expect(sidecarOf(t, dated).original).toMatchObject({ clockWrong: true, startAt: good.start_at });

    const undated = byPath(unnamed);
    expect(undated).toMatchObject({ clock_wrong: 1, start_at: null });
    const dock = utcToWallClock(T0, 'Asia/Shanghai');
    const two = (n: number) => String(n).padStart(2, '0');
    expect(path.posix.dirname(undated.vault_path)).toBe(`${UNDATED_FOLDER}/${dock.year}/${two(dock.month)}/${two(dock.day)}/${SERIAL}`);
    expect(sidecarOf(t, undated).original).toMatchObject({ clockWrong: true, startAt: null });
    expect(sha256File(t.station.vault.absolute(undated.vault_path))).toBe(undated.hash);

    // Said on the dock's 详情: a notice each, and the file's own flag; the other files are not flagged.
    const detail = await t.cli.ok('dock.get', { id: docked.dockSessionId });
    expect(detail.notices.filter((n) => n.kind === 'camera_clock_wrong').map((n) => n.path).sort()).toEqual([named, unnamed].sort());
    for (const n of detail.notices.filter((x) => x.kind === 'camera_clock_wrong')) expect(n.message).toMatch(/记录仪时钟有误.* \/ Camera clock wrong/su);
    expect(detail.files.filter((f) => f.clockWrong).map((f) => f.originalPath).sort()).toEqual([named, unnamed].sort());
    const committed = auditActions(t.station, 'clip.committed').map((a) => JSON.parse(a.after_json!) as { path: string; clockWrong?: boolean });
    expect(committed.filter((a) => a.clockWrong).map((a) => a.path).sort()).toEqual([named, unnamed].sort());
  });
});

describe('a station from before issue 17 (migration 0130, ingest/split-duplicates.ts)', () => {
  it('makes a distinct recording the old rule stored as a duplicate a clip of its own, with a sidecar, audited, once', async () => {
    const { t, manifest } = await setup();
    const first = await (await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume')).done!;
    const photo = manifest.files.find((f) => f.role === 'photo')!;
    const photoClip = clipRows(t.station).find((c) => c.original_path === photo.path)!;
    const twinPath = `${path.posix.dirname(photo.path)}/saved/${path.posix.basename(photo.path)}`;
    // What the old rule left for the same photo saved in another folder, at another time: the
    // file's row a duplicate of the photo's clip (found by its hash), no clip, no sidecar; and a
    // database the carry-over has not been run on.
    t.station.db
      .prepare(
        `INSERT INTO ingest_file (dock_session_id, device_id, original_path, size, mtime_ms, kind, state, updated_at, clip_id)
         VALUES (?, ?, ?, ?, ?, 'photo', 'duplicate', ?, ?)`,
      )
      .run(first.dockSessionId, photoClip.device_id, twinPath, photoClip.size, T0 - 2 * HOUR, T0, photoClip.id);
    t.station.db.prepare("DELETE FROM station_setting WHERE key = 'ingest.split_duplicates'").run();
    const before = clipRows(t.station).length;
    await t.close();

    const after = openStation({ dataDir: t.dataDir });
    cleanup(() => after.close());
    await after.station.ingest.becomeOwner();
    const clips = clipRows(after.station);
    expect(clips).toHaveLength(before + 1);
    const twin = clips.find((c) => c.original_path === twinPath)!;
    expect(twin).toMatchObject({
      hash: photoClip.hash,
      size: photoClip.size,
      mtime_ms: T0 - 2 * HOUR,
      kind: 'photo',
      dock_session_id: first.dockSessionId,
      officer_id: photoClip.officer_id,
      badge: photoClip.badge,
      camera_start_text: photoClip.camera_start_text,
      start_at: photoClip.start_at,
      damaged: 0,
      clock_wrong: 0,
    });
    expect(twin.vault_path).not.toBe(photoClip.vault_path);
    expect(sha256File(after.station.vault.absolute(twin.vault_path))).toBe(photoClip.hash);
    expect(sidecarOf(after, twin)).toMatchObject({ original: { path: twinPath }, carriedOver: { from: 'duplicate', clipId: photoClip.id } });
    const row = after.station.db.prepare<[string], { state: string; clip_id: number }>('SELECT state, clip_id FROM ingest_file WHERE original_path = ?').get(twinPath);
    expect(row).toEqual({ state: 'committed', clip_id: twin.id });
    const audit = auditActions(after.station, 'clip.carried_over');
    expect(audit.map((a) => [a.object_id, JSON.parse(a.after_json!)])).toEqual([[String(twin.id), expect.objectContaining({ path: twinPath, wasDuplicateOf: photoClip.id, vaultPath: twin.vault_path })]]);
    expect(await after.cli.ok('audit.verify', {})).toMatchObject({ intact: true });
    await expectVaultConsistent(after);
    expect(await after.station.rebuildIndex()).toMatchObject({ restored: 0, present: clips.length, conflicts: [] });

    // Done once: a station opened again carries nothing over twice.
    await after.close();
    const again = openStation({ dataDir: t.dataDir });
    cleanup(() => again.close());
    await again.station.ingest.becomeOwner();
    expect(clipRows(again.station)).toHaveLength(before + 1);
    expect(again.station.db.prepare("SELECT value FROM station_setting WHERE key = 'ingest.split_duplicates'").get()).toEqual({ value: 'done' });
  });
});
