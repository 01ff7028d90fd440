// Issue 3, "faults that must lose nothing", the odd files a camera can hold:
// damaged recordings (kept bit-exact, flagged with the probe's words), links
// pointing outside the volume (never followed, a notice instead), and names
// with Chinese characters, spaces and 200+ characters (kept exactly in the
// index, stored under a safe name in the vault).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { auditActions, BADGE, expectAnnounced, expectVaultConsistent, fileRows, SERIAL, sha256File, stationWithCamera, trackFileStates } from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();

async function setup() {
  const t = await stationWithCamera();
  cleanup(() => t.close());
  const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
  const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
  const day = path.posix.dirname(footage.find((f) => f.role === 'clip')!.path); // RECORD/<yyyymmdd>
  return { t, manifest, footage, day };
}

describe('odd files on the camera', () => {
  it('a truncated and a zero-length recording are committed bit-exact and flagged damaged with the probe message', async () => {
    const { t, manifest, footage } = await setup();
    const before = treeDigest(manifest.root);
    const states = trackFileStates(t);
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    expect(await docked.done).toMatchObject({ state: 'done', failed: 0, damaged: 2 });
    const clips = await expectVaultConsistent(t);
    const clipOf = (p: string) => clips.find((c) => c.original_path === p)!;

    const truncated = footage.find((f) => f.damage === 'truncated')!;
    const t1 = clipOf(truncated.path);
    expect(t1).toMatchObject({ damaged: 1, size: truncated.size, hash: truncated.sha256, kind: 'video', duration_ms: null });
    // ffprobe's own words for an MP4 cut off before its index.
    expect(t1.damage_reason).toMatch(/moov atom not found/);
    expect(sha256File(t.station.vault.absolute(t1.vault_path))).toBe(truncated.sha256);

    const empty = footage.find((f) => f.damage === 'zero-length')!;
    const z = clipOf(empty.path);
    expect(z).toMatchObject({ damaged: 1, size: 0, damage_reason: 'zero-length file', kind: 'video' });
    expect(fs.statSync(t.station.vault.absolute(z.vault_path)).size).toBe(0);

    for (const c of [t1, z]) {
      const sidecar = JSON.parse(fs.readFileSync(t.station.vault.absolute(c.vault_path) + SIDECAR_SUFFIX, 'utf8')) as { media: { damaged: boolean; damageReason: string } };
      expect(sidecar.media).toMatchObject({ damaged: true, damageReason: c.damage_reason });
      const audit = auditActions(t.station, 'clip.committed').find((a) => Number(a.object_id) === c.id)!;
      expect(JSON.parse(audit.after_json!)).toMatchObject({ damaged: true, path: c.original_path });
    }
    for (const f of footage.filter((f) => f.expected === 'committed')) expect(clipOf(f.path)).toMatchObject({ damaged: 0, damage_reason: null });
    for (const row of fileRows(t.station, docked.dockSessionId)) expect(states.get(row.id)?.at(-1)).toBe('committed');
    expectAnnounced(t, docked.dockSessionId);
    expect(treeDigest(manifest.root)).toEqual(before);
  });

  it('symbolic links to a file or a folder outside the volume are never followed: a notice, no clip; a name with ".." in it is ingested normally', async () => {
    const { t, manifest, footage, day } = await setup();
    // Outside the volume: a file and a folder the camera's links point at.
    const outside = tempDir('outside-');
    fs.writeFileSync(path.join(outside, 'secret.MP4'), randomBytes(64 * 1024));
    fs.mkdirSync(path.join(outside, 'folder'));
    fs.writeFileSync(path.join(outside, 'folder', 'OUT_0001.MP4'), randomBytes(64 * 1024));
    const outsideBefore = treeDigest(outside);
    const dayDir = path.join(manifest.root, ...day.split('/'));
    const links = {
      [`${day}/LINK_FILE.MP4`]: path.join(outside, 'secret.MP4'), // absolute, to a file
      [`${day}/LINK_DIR`]: path.join(outside, 'folder'), // absolute, to a folder
      [`${day}/LINK_UP.MP4`]: path.relative(dayDir, path.join(outside, 'secret.MP4')), // ../../.. out of the volume
      [`${day}/..foo`]: path.relative(dayDir, outside), // a ".."-looking name, out of the volume
      'AUDIO/LINK_AUDIO': '/etc', // a system folder
    };
    for (const [rel, target] of Object.entries(links)) fs.symlinkSync(target, path.join(manifest.root, ...rel.split('/')));
    // Legal names that only look like climbing out: ingested like any file.
    const dotted = [`${day}/a..b.MP4`, `${day}/..MP4`, `${day}/...`];
    for (const rel of dotted) {
      const file = path.join(manifest.root, ...rel.split('/'));
      fs.writeFileSync(file, randomBytes(32 * 1024));
      // Written at the camera's time, not the machine's: the station's clock is T0, and a file from
      // after it would be flagged "camera clock wrong".
      fs.utimesSync(file, T0 / 1000, T0 / 1000);
    }
    const before = treeDigest(manifest.root);

    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    expect(await docked.done).toMatchObject({ state: 'done', failed: 0, committed: footage.length + dotted.length });
    const detail = await t.cli.ok('dock.get', { id: docked.dockSessionId });
    expect(detail.notices.map((n) => ({ kind: n.kind, path: n.path })).sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      Object.keys(links)
        .map((p) => ({ kind: 'symlink', path: p }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    );
    for (const n of detail.notices) expect(n.message).toMatch(/符号链接.* \/ A symbolic link/su);
    expect(auditActions(t.station, 'dock.notices')).toHaveLength(1);

    const clips = await expectVaultConsistent(t);
    const paths = clips.map((c) => c.original_path);
    for (const link of Object.keys(links)) expect(paths.filter((p) => p.startsWith(link))).toEqual([]);
    expect(detail.files.map((f) => f.originalPath).filter((p) => Object.keys(links).some((l) => p.startsWith(l)))).toEqual([]);
    for (const rel of dotted) expect(clips.find((c) => c.original_path === rel)?.hash, rel).toBe(before[rel.split('/').join(path.sep)]);
    // Nothing from outside the volume reached the vault, and nothing outside was touched.
    const outsideHashes = Object.values(outsideBefore);
    expect(clips.filter((c) => outsideHashes.includes(c.hash))).toEqual([]);
    expect(treeDigest(outside)).toEqual(outsideBefore);
    expect(treeDigest(manifest.root)).toEqual(before);
    for (const [rel, target] of Object.entries(links)) expect(fs.readlinkSync(path.join(manifest.root, ...rel.split('/')))).toBe(target);
  });

  it('the same name in several folders (a file counter that wrapped) is stored once per file, none overwritten, even when committed at the same moment', async () => {
    const { t, manifest, footage } = await setup();
    // Same name, same size, different bytes: copied side by side, they reach the vault together.
    const same = Array.from({ length: 6 }, (_, i) => `RECORD/${100 + i}MEDIA/FILE0001.LOG`);
    for (const rel of same) {
      const file = path.join(manifest.root, ...rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, randomBytes(256 * 1024));
    }
    const before = treeDigest(manifest.root);
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    await docked.done;
    expect(fileRows(t.station, docked.dockSessionId).filter((r) => r.state !== 'committed').map((r) => `${r.original_path}: ${r.failure_message}`)).toEqual([]);
    const clips = await expectVaultConsistent(t);
    expect(clips).toHaveLength(footage.length + same.length);
    for (const rel of same) expect(clips.find((c) => c.original_path === rel)?.hash, rel).toBe(before[rel.split('/').join(path.sep)]);
    const stored = clips.filter((c) => same.includes(c.original_path)).map((c) => path.posix.basename(c.vault_path)).sort();
    expect(stored).toEqual(['FILE0001.LOG', ...[2, 3, 4, 5, 6].map((n) => `FILE0001~${n}.LOG`)]);
  });

  it('names with Chinese characters, spaces and 200+ characters: committed, kept exactly in the index, stored under safe names of at most 255 bytes', async () => {
    const { t, manifest, footage, day } = await setup();
    const names = [
      `${day}/现场 执法 记录 2026-11-27 第1段.MP4`, // Chinese and spaces
      `${day}/${'N'.repeat(200)}.MP4`, // 204 characters, 204 bytes
      `${day}/${'N'.repeat(201)}.MP4`, // shortened in the vault to the same name as the one above
      `${day}/${'执法记录仪现场视频'.repeat(9)}.MP4`, // 81 Chinese characters: 247 bytes
      'RECORD/现场 视频 二/证据:第2段?<原始>.MP4', // a Chinese folder with spaces; characters Windows refuses
      `${day}/  trailing dots and spaces. .`, // a name Windows would silently change
    ];
    for (const rel of names) {
      expect(Buffer.byteLength(path.posix.basename(rel))).toBeLessThanOrEqual(255);
      const file = path.join(manifest.root, ...rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, randomBytes(48 * 1024));
    }
    const before = treeDigest(manifest.root);

    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    const summary = await docked.done;
    const failures = fileRows(t.station, docked.dockSessionId).filter((r) => r.state !== 'committed').map((r) => `${r.original_path}: ${r.failure_message}`);
    expect(failures).toEqual([]);
    expect(summary).toMatchObject({ state: 'done', failed: 0, committed: footage.length + names.length });
    const clips = await expectVaultConsistent(t);
    for (const rel of names) {
      const c: ClipRow | undefined = clips.find((x) => x.original_path === rel);
      expect(c, rel).toBeDefined();
      // The index keeps the camera's name exactly, byte for byte.
      expect(Buffer.from(c!.original_path)).toEqual(Buffer.from(rel));
      expect(c!.hash).toBe(before[rel.split('/').join(path.sep)]);
      const stored = path.posix.basename(c!.vault_path);
      expect(Buffer.byteLength(stored + SIDECAR_SUFFIX), stored).toBeLessThanOrEqual(255);
      // eslint-disable-next-line no-control-regex
      expect(stored).not.toMatch(/[<>:"/\\|?*\u0000-\u001f]|[. ]$/);
      // A clip keeps its extension in the vault, so it still opens in a player.
      if (rel.endsWith('.MP4')) expect(stored.endsWith('.MP4'), stored).toBe(true);
      const sidecar = JSON.parse(fs.readFileSync(t.station.vault.absolute(c!.vault_path) + SIDECAR_SUFFIX, 'utf8')) as { original: { path: string } };
      expect(sidecar.original.path).toBe(rel);
    }
    // Two names shortened to the same stored name; neither overwrote the other.
    expect(new Set(clips.map((c) => c.vault_path)).size).toBe(clips.length);
    const long = clips.filter((c) => c.original_path.includes('N'.repeat(200))).map((c) => path.posix.basename(c.vault_path)).sort();
    expect(long).toEqual([`${'N'.repeat(196)}.MP4`, `${'N'.repeat(196)}~2.MP4`]);
    expect(treeDigest(manifest.root)).toEqual(before);
  });
});
