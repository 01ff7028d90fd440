// The ingest guarantees (DESIGN.md "Ingest: the guarantees") against a real
// emulated camera: real ffmpeg footage, real copies into a temp vault, real SQLite.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../../electron/core/config.js';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import type { DockLobbyView } from '../../shared/ingest.js';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { vaultFiles } from '../support/ingest-faults.js';
import { T0, withAdmin } from '../support/station.js';

const cleanup = undoAfterEach();

async function stationWithCamera(options: { serial?: string; badge?: string; keeperBadge?: string; hashAlgorithm?: HashAlgorithm } = {}) {
  const t = await withAdmin({ hashAlgorithm: options.hashAlgorithm });
  cleanup(() => t.close());
  const badge = options.badge ?? '100001';
  const officer = (await t.admin.ok('people.create', { badge: options.keeperBadge ?? badge, name: '张执法', roles: ['officer'] })).person;
  const serial = options.serial ?? 'DSJ-T1';
  const device = await t.admin.ok('devices.register', { serial, model: 'DSJ-V8', keeperId: officer.id });
  const manifest = await camera({ serial, badge, now: T0 });
  return { t, officer, device, manifest };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const clips = (t: Awaited<ReturnType<typeof withAdmin>>) => t.station.db.prepare<[], ClipRow>('SELECT * FROM clip ORDER BY id').all();

describe('verified ingest of an emulated camera', () => {
  it('commits every file bit-exact, flags the damaged ones, corrects times, and leaves the camera as it was', async () => {
    const { t, device, manifest } = await stationWithCamera();
    const before = treeDigest(manifest.root);
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'cli');
    const summary = await docked.done!;
    expect(summary.state).toBe('done');

    const rows = clips(t);
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    expect(rows).toHaveLength(footage.length);
    for (const f of footage) {
      const row = rows.find((r) => r.original_path === f.path);
      expect(row, f.path).toBeDefined();
      // Guarantee 1 and 3: the vault copy is the camera's bytes, damaged or not, and read-only.
      expect(row!.hash).toBe(f.sha256);
      const file = t.station.vault.absolute(row!.vault_path);
      expect(sha256(file)).toBe(f.sha256);
      expect(fs.statSync(file).mode & 0o222).toBe(0);
      expect(row!.kind).toBe(f.kind);
      expect({ path: f.path, damaged: row!.damaged }).toEqual({ path: f.path, damaged: f.expected === 'damaged' ? 1 : 0 });
      if (f.expected === 'damaged') expect(row!.damage_reason).toBeTruthy();
      expect(row!.device_id).toBe(device.id);
      if (f.expectedName?.important !== undefined) expect(row!.important).toBe(f.expectedName.important ? 1 : 0);
      // 第七条: the camera's clock ran 7 minutes slow; the corrected start is the real one.
      if (f.realStartUtcMs !== null && row!.start_at !== null) expect(Math.abs(row!.start_at - f.realStartUtcMs)).toBeLessThan(1500);
      // Guarantee 7: the sidecar beside the clip describes it.
      const sidecar = JSON.parse(fs.readFileSync(file + SIDECAR_SUFFIX, 'utf8'));
      expect(sidecar).toMatchObject({ vaultPath: row!.vault_path, hash: { value: f.sha256 }, device: { serial: 'DSJ-T1' }, original: { path: f.path } });
    }
    const good = rows.find((r) => r.kind === 'video' && r.damaged === 0)!;
    expect(good).toMatchObject({ video_codec: 'h264', audio_codec: 'aac' });
    expect(good.duration_ms).toBeGreaterThan(1000);
    const session = t.station.db.prepare<[], { clock_skew_ms: number; state: string }>('SELECT * FROM dock_session').get()!;
    expect(Math.round(session.clock_skew_ms / 1000)).toBe(manifest.clock.offsetSeconds);
    // The dock's detail (the board's 详情) tells the damaged files apart, with the probe's message.
    const detail = await t.admin.ok('dock.get', { id: docked.dockSessionId });
    expect(detail.files.filter((f) => f.damaged).map((f) => f.originalPath).sort()).toEqual(
      footage.filter((f) => f.expected === 'damaged').map((f) => f.path).sort(),
    );
    for (const f of detail.files) expect(f.damageReason === null, f.originalPath).toBe(!f.damaged);
    // Guarantee 2: nothing is left in the incoming area.
    expect(fs.readdirSync(t.station.vault.incoming)).toEqual([]);
    // Guarantee 5: nothing on the camera changed.
    expect(treeDigest(manifest.root)).toEqual(before);
    const audit = await t.admin.ok('audit.verify', {});
    expect(audit.intact).toBe(true);
    const actions = t.station.db.prepare<[], { action: string }>("SELECT action FROM audit WHERE action = 'clip.committed'").all();
    expect(actions).toHaveLength(footage.length);
  });

  it('on an SM3 station records the SM3 of every clip, and the SHA-256 that proved its copy, in the index, the sidecar and the audit', async () => {
    const { t, manifest } = await stationWithCamera({ hashAlgorithm: 'sm3' });
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'cli');
    expect((await docked.done!).state).toBe('done');
    const rows = clips(t);
    expect(rows.length).toBe(manifest.files.filter((f) => f.expected !== 'not-footage').length);
    for (const row of rows) {
      const file = t.station.vault.absolute(row.vault_path);
      const bytes = fs.readFileSync(file);
      const sm3 = createHash('sm3').update(bytes).digest('hex');
      expect({ path: row.original_path, algorithm: row.hash_algorithm, hash: row.hash }).toEqual({ path: row.original_path, algorithm: 'sm3', hash: sm3 });
      const sidecar = JSON.parse(fs.readFileSync(file + SIDECAR_SUFFIX, 'utf8'));
      // The SM3 is hashed from the copy read back from the disk; the camera's bytes' SHA-256 proved it equal.
      expect(sidecar).toMatchObject({ hash: { algorithm: 'sm3', value: sm3 }, sourceSha256: sha256(file), verification: row.verification });
      expect(bytes.length).toBe(row.size);
    }
    const audit = t.station.db.prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'clip.committed' LIMIT 1").get()!;
    expect(JSON.parse(audit.after_json)).toMatchObject({ algorithm: 'sm3', hash: rows[0]!.hash, sourceSha256: sha256(t.station.vault.absolute(rows[0]!.vault_path)) });
  });

  it('copies nothing twice when the same camera docks again; a moved file stays its clip, with its new path recorded', async () => {
    const { t, manifest } = await stationWithCamera();
    await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'a'), 'cli')).done;
    const first = clips(t).length;
    // A clip moved to another name on the camera: its time and bytes kept, its old path gone (guarantee 4).
    const clip = manifest.files.find((f) => f.kind === 'video' && f.expected === 'committed')!;
    const movedPath = `${path.posix.dirname(clip.path)}/MOVED_CLIP.MP4`;
    fs.renameSync(path.join(manifest.root, clip.path), path.join(manifest.root, movedPath));
    const again = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'b'), 'cli')).done!;
    expect(clips(t)).toHaveLength(first);
    expect(again.committed).toBe(0);
    expect(again.duplicate).toBe(first);
    const original = clips(t).find((c) => c.original_path === clip.path)!;
    const moved = t.station.db.prepare<[], { state: string; clip_id: number }>("SELECT state, clip_id FROM ingest_file WHERE original_path LIKE '%MOVED_CLIP.MP4'").all();
    expect(moved).toEqual([{ state: 'duplicate', clip_id: original.id }]);
    expect(t.station.db.prepare('SELECT clip_id, original_path FROM clip_moved').all()).toEqual([{ clip_id: original.id, original_path: movedPath }]);
    const sidecar = JSON.parse(fs.readFileSync(t.station.vault.absolute(original.vault_path) + SIDECAR_SUFFIX, 'utf8')) as { moved?: Array<{ path: string }> };
    expect(sidecar.moved?.map((m) => m.path)).toEqual([movedPath]);
    // Docked a third time, the moved file is known by its new path: not even copied.
    const third = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'c'), 'cli')).done!;
    expect(third).toMatchObject({ committed: 0, duplicate: first });
    const rows = t.station.db.prepare<[number], { attempts: number }>('SELECT attempts FROM ingest_file WHERE dock_session_id = ?').all(third.dockSessionId);
    expect(rows.every((r) => r.attempts === 0)).toBe(true);
    expect(clips(t)).toHaveLength(first);
  });

  /**
   * A camera ingested, then one clip put back into the state a kill between the vault and the
   * index leaves: the file's row interrupted with the vault path its commit recorded, no clip row
   * (nor custody's link to it, written after the clip).
   */
  async function ingestedThenUnindexed() {
    const { t, manifest } = await stationWithCamera();
    await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'a'), 'cli')).done;
    const db = t.station.db;
    const clip = manifest.files.find((f) => f.kind === 'video' && f.expected === 'committed')!;
    const lost = clips(t).find((r) => r.original_path === clip.path)!;
    const file = db.prepare<[number], { id: number; vault_path: string | null }>('SELECT id, vault_path FROM ingest_file WHERE clip_id = ?').get(lost.id)!;
    expect(file.vault_path, 'every commit records its vault path on the file\'s row').toBe(lost.vault_path);
    db.transaction(() => {
      db.prepare("UPDATE ingest_file SET state = 'failed', failure_kind = 'interrupted', clip_id = NULL WHERE id = ?").run(file.id);
      db.prepare('DELETE FROM outside_recording_clip WHERE clip_id = ?').run(lost.id);
      db.prepare('DELETE FROM clip WHERE id = ?').run(lost.id);
    })();
    // The next dock a day later by the station's clock, with the camera's clock left behind: the
    // skew it measures moves the clip's corrected start, and its folder, to the next day.
    const dockAgainNextDay = async () => {
      t.clock.advance(24 * 3600_000);
      const again = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'b'), 'cli')).done!;
      expect(again).toMatchObject({ state: 'done', committed: 1, failed: 0 });
      return clips(t).find((r) => r.original_path === clip.path)!;
    };
    return { t, clip, lost, dockAgainNextDay };
  }

  it('adopts the copy a crash left in the vault unindexed, even when the next dock files the clip under another day', async () => {
    const { t, clip, lost, dockAgainNextDay } = await ingestedThenUnindexed();
    const adopted = await dockAgainNextDay();
    expect(adopted.vault_path, 'the copy already in the vault is the clip').toBe(lost.vault_path);
    const skews = t.station.db.prepare<[], { clock_skew_ms: number }>('SELECT clock_skew_ms FROM dock_session ORDER BY id').all();
    expect(skews[0]!.clock_skew_ms - skews[1]!.clock_skew_ms, 'the new dock would file the clip a day later').toBeGreaterThan(23 * 3600_000);
    // The row says what the adopted copy's sidecar says, as rebuild-index would make it.
    const { id: _a, dock_session_id: _b, checkout_id: _c, ...described } = adopted;
    const { id: _d, dock_session_id: _e, checkout_id: _f, ...before } = lost;
    expect(described).toEqual(before);
    const audit = t.station.db.prepare<[string], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'clip.committed' AND object_id = ?").get(String(adopted.id))!;
    expect(JSON.parse(audit.after_json)).toMatchObject({ vaultPath: lost.vault_path, adopted: true });
    const copies = vaultFiles(t.station.vault.root).filter((f) => f.endsWith(path.posix.basename(clip.path)));
    expect(copies, 'one copy in the vault').toEqual([lost.vault_path]);
    expect(fs.readdirSync(t.station.vault.incoming)).toEqual([]);
    expect(sha256(t.station.vault.absolute(adopted.vault_path))).toBe(clip.sha256);
  });

  it('removes a sidecar a crash left without its clip, and stores the clip afresh', async () => {
    const { t, clip, lost, dockAgainNextDay } = await ingestedThenUnindexed();
    // A kill between the sidecar's rename and the clip's: the sidecar alone in the vault.
    const target = t.station.vault.absolute(lost.vault_path);
    fs.rmSync(target);
    const stored = await dockAgainNextDay();
    expect(stored.vault_path).not.toBe(lost.vault_path);
    expect(fs.existsSync(target + SIDECAR_SUFFIX), 'the orphan sidecar is gone').toBe(false);
    const copies = vaultFiles(t.station.vault.root).filter((f) => f.includes(path.posix.basename(clip.path)));
    expect(copies).toEqual([stored.vault_path, stored.vault_path + SIDECAR_SUFFIX]);
    expect(sha256(t.station.vault.absolute(stored.vault_path))).toBe(clip.sha256);
  });

  it('keeps two byte-identical files of one dock as recordings of their own, each with its clip and sidecar', async () => {
    const { t, manifest } = await stationWithCamera();
    const clip = manifest.files.find((f) => f.kind === 'video' && f.expected === 'committed')!;
    const dir = path.dirname(path.join(manifest.root, clip.path));
    ['TWIN_A.MP4', 'TWIN_B.MP4'].forEach((name, i) => {
      fs.copyFileSync(path.join(manifest.root, clip.path), path.join(dir, name));
      // Saved at other moments of the shift (a copy's time would be the machine's, after the station's T0).
      fs.utimesSync(path.join(dir, name), (T0 - (i + 1) * 60_000) / 1000, (T0 - (i + 1) * 60_000) / 1000);
    });
    const summary = await (await t.station.ingest.dock(await identify(manifest.root, t.clock), 'cli')).done!;
    expect(summary.state).toBe('done');
    const same = clips(t).filter((r) => r.hash === clip.sha256);
    expect(same.map((c) => path.posix.basename(c.original_path)).sort()).toEqual([path.posix.basename(clip.path), 'TWIN_A.MP4', 'TWIN_B.MP4'].sort());
    expect(new Set(same.map((c) => c.vault_path)).size).toBe(3);
    for (const c of same) {
      expect(sha256(t.station.vault.absolute(c.vault_path))).toBe(clip.sha256);
      const sidecar = JSON.parse(fs.readFileSync(t.station.vault.absolute(c.vault_path) + SIDECAR_SUFFIX, 'utf8')) as { original: { path: string } };
      expect(sidecar.original.path).toBe(c.original_path);
    }
    expect(summary.duplicate).toBe(0);
  });

  it('refuses an unregistered camera with an alarm, and ingests it once registered from the alarm', async () => {
    const t = await withAdmin();
    cleanup(() => t.close());
    const manifest = await camera({ serial: 'DSJ-NEW', badge: '100009', now: T0 });
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'watched-folder');
    expect(docked.done).toBeNull();
    const board = await t.admin.ok('dock.board', {});
    expect(board.docks[0]).toMatchObject({ state: 'unregistered', serial: 'DSJ-NEW' });
    expect(board.alarms).toEqual([expect.objectContaining({ kind: 'unregistered_device', serial: 'DSJ-NEW' })]);
    expect(clips(t)).toHaveLength(0);
    await t.admin.ok('devices.register', { serial: 'DSJ-NEW' });
    const retried = await t.admin.ok('dock.retry', { id: docked.dockSessionId });
    expect(retried.state).toBe('ingesting');
    const after = await t.admin.ok('dock.board', {});
    expect(after.alarms).toEqual([]);
  });

  it('the public dock status answers without a session and names no person, file or reason', async () => {
    const { t, officer, manifest } = await stationWithCamera({ serial: 'DSJ-PUB' });
    const nobody = t.ui();
    expect(await nobody.ok('dock.lobby', {})).toEqual({ docks: [], vaultAvailable: true });
    // While it copies: the lobby as it stands at each progress event has progress, never the file's name.
    const during: DockLobbyView[] = [];
    const off = nobody.connection.onEvent((event) => {
      if (event === 'ingest.progress') during.push(...t.station.ingest.lobby().docks);
    });
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'watched-folder');
    await docked.done;
    off();
    const copying = during.filter((d) => d.progress !== null);
    expect(copying.length).toBeGreaterThan(0);
    for (const d of copying) {
      expect(d).toMatchObject({ progress: { dockSessionId: docked.dockSessionId, filesTotal: expect.any(Number) } });
      expect(Object.keys(d.progress!)).not.toContain('current');
    }
    const lobby = await nobody.ok('dock.lobby', {});
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage').length;
    expect(lobby.docks).toEqual([
      { id: docked.dockSessionId, serial: 'DSJ-PUB', state: 'done', filesTotal: footage, filesCommitted: footage, filesDuplicate: 0, progress: null },
    ]);
    // What the board shows the custodian about the same dock, the lobby must not.
    const board = await t.admin.ok('dock.board', {});
    expect(board.docks[0]!.binding?.name).toBeTruthy();
    const said = JSON.stringify(lobby);
    for (const secret of [officer.name, officer.badge, board.docks[0]!.binding!.name!, manifest.files[0]!.path]) expect(said).not.toContain(secret);
    // The board itself stays behind ingest.view.
    expect((await nobody.call('dock.board', {})).ok).toBe(false);
  });

  it('lists a camera\'s docks newest first, a page at a time, to whoever may see the board', async () => {
    const { t, device, manifest } = await stationWithCamera();
    const ids: number[] = [];
    // Four docks; the middle two at the same moment, so the cursor's tie-break by id is exercised.
    for (const [i, step] of [60_000, 0, 60_000, 60_000].entries()) {
      const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock, `v${i}`), 'cli');
      await docked.done;
      ids.push(docked.dockSessionId);
      t.clock.advance(step);
    }
    const newestFirst = [...ids].reverse();
    const first = await t.admin.ok('dock.history', { deviceId: device.id, limit: 2 });
    expect(first.map((d) => d.id)).toEqual(newestFirst.slice(0, 2));
    expect(first[0]).toMatchObject({ state: 'done', device: { serial: 'DSJ-T1' }, filesDuplicate: first[0]!.filesTotal });
    const last = first.at(-1)!;
    const second = await t.admin.ok('dock.history', { deviceId: device.id, before: { attachedAt: last.attachedAt, id: last.id }, limit: 2 });
    expect(second.map((d) => d.id)).toEqual(newestFirst.slice(2, 4));
    const end = second.at(-1)!;
    expect(await t.admin.ok('dock.history', { deviceId: device.id, before: { attachedAt: end.attachedAt, id: end.id } })).toEqual([]);
    // The board's view: not for the public, nor for an officer; a camera that is not there is said so.
    expect((await t.ui().call('dock.history', { deviceId: device.id })).ok).toBe(false);
    const missing = await t.admin.call('dock.history', { deviceId: 999 });
    expect(missing.ok ? null : missing.error.code).toBe('not_found');
    const plan = t.station.db
      .prepare<[number, number, number, number, number], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT * FROM dock_session WHERE device_id = ? AND attached_at <= ? AND (attached_at < ? OR id < ?)
          ORDER BY attached_at DESC, id DESC LIMIT ?`,
      )
      .all(1, 1, 1, 1, 1)
      .map((r) => r.detail);
    expect(plan.join(' | ')).toMatch(/USING INDEX dock_session_device/);
    expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE/);
  });

  it('warns before the vault fills: one alarm with its free space while it stays below the reserve, and the footage is still stored', async () => {
    const { t, manifest } = await stationWithCamera();
    // 综合处 or an administrator sets the reserve (保管规则设置); 16 TiB is more than any test machine has free.
    const reserve = 2 ** 44;
    await t.admin.ok('custody.updateSettings', { vaultReserveBytes: reserve });
    const first = await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'a'), 'cli')).done!;
    expect(first.state).toBe('done');
    expect(first.committed).toBeGreaterThan(0);
    const footageBytes = manifest.files.filter((f) => f.expected !== 'not-footage').reduce((sum, f) => sum + f.size, 0);
    const low = (await t.admin.ok('dock.board', {})).alarms.filter((a) => a.kind === 'vault_low_space');
    expect(low).toEqual([
      expect.objectContaining({ resolvedAt: null, details: { vault: t.station.vault.root, freeBytes: expect.any(Number), neededBytes: footageBytes, reserveBytes: reserve } }),
    ]);
    // Still low at the next dock: the open alarm stands for it. Once someone resolves it, the next dock says so again.
    await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'b'), 'cli')).done;
    expect((await t.admin.ok('dock.board', {})).alarms.filter((a) => a.kind === 'vault_low_space')).toHaveLength(1);
    await t.admin.ok('alarms.resolve', { id: low[0]!.id, resolution: '已申请扩容' });
    await (await t.station.ingest.dock(await identify(manifest.root, t.clock, 'c'), 'cli')).done;
    const again = (await t.admin.ok('dock.board', {})).alarms.filter((a) => a.kind === 'vault_low_space');
    expect(again).toEqual([expect.objectContaining({ details: expect.objectContaining({ neededBytes: 0 }) })]);
    expect(again[0]!.id).not.toBe(low[0]!.id);
  });

  it('raises a binding-mismatch alarm when the camera names another officer than its keeper, and still keeps the footage', async () => {
    const { t, manifest } = await stationWithCamera({ badge: '100002', keeperBadge: '100001' });
    const summary = await (await t.station.ingest.dock(await identify(manifest.root, t.clock), 'cli')).done!;
    expect(summary.state).toBe('done');
    const board = await t.admin.ok('dock.board', {});
    expect(board.alarms).toEqual([expect.objectContaining({ kind: 'binding_mismatch', details: expect.objectContaining({ bindingBadge: '100002', keeperBadge: '100001' }) })]);
  });
});
