// Issue 3, "nothing lost": a clip the index holds whose file the vault has lost (a dead vault disk
// replaced and adopted with `station adopt-vault`, a file removed by hand) is put back from the
// camera at the next dock, if the camera still holds the same bytes. Before, guarantee 4's tests
// found the clip in the index and took the camera's file for a duplicate, so the copy that could
// have healed the vault was never made. The copy is verified like any other and its bytes hash to
// the clip's; it goes back at the clip's own vault path; a sidecar still there is kept, a lost one
// is written again from the index (and equals the lost one). The index row is not touched.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestReport } from '../../electron/core/cli/ingest-command.js';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX, type Sidecar } from '../../electron/core/ingest/vault.js';
import { VAULT_PROBLEM_KINDS } from '../../electron/core/ingest/verify-vault.js';
import { undoAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import {
  auditActions,
  BADGE,
  clipRows,
  expectVaultConsistent,
  fileRows,
  openStation,
  SERIAL,
  sha256File,
  stationWithCamera,
  type FaultStation,
  vaultFiles,
} from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();
/** What the vault check's alarm counts when it found nothing of any kind. */
const nothingFound = Object.fromEntries(VAULT_PROBLEM_KINDS.map((k) => [k, 0]));

async function station(options: Parameters<typeof stationWithCamera>[0] = {}): Promise<FaultStation> {
  const t = await stationWithCamera(options);
  cleanup(() => t.close());
  return t;
}

function readSidecar(t: FaultStation, clip: ClipRow): Sidecar {
  return JSON.parse(fs.readFileSync(t.station.vault.absolute(clip.vault_path) + SIDECAR_SUFFIX, 'utf8')) as Sidecar;
}

/** Every clip's sidecar as it is now, by clip id. */
function sidecars(t: FaultStation): Map<number, Sidecar> {
  return new Map(clipRows(t.station).map((c) => [c.id, readSidecar(t, c)]));
}

/** Removes a clip's file (and its sidecar) from the vault, as a person with root could. */
function lose(t: FaultStation, clip: ClipRow, withSidecar: boolean): void {
  const file = t.station.vault.absolute(clip.vault_path);
  fs.rmSync(file);
  if (withSidecar) fs.rmSync(file + SIDECAR_SUFFIX);
}

/**
 * The dock's notices about the vault. The files these tests rename ("renamed-<serial>_…") carry
 * "renamed-<serial>" as the serial in their names, which is rightly a name_other_camera notice
 * (camera-conventions.test.ts tests that); it is not what these tests are about.
 */
const notices = (t: FaultStation, dockSessionId: number) =>
  t.station.db
    .prepare<[number], { kind: string; path: string; message: string }>("SELECT kind, path, message FROM dock_notice WHERE dock_session_id = ? AND kind <> 'name_other_camera' ORDER BY id")
    .all(dockSessionId);

describe('a clip the vault has lost', () => {
  it('is put back from the camera at the next dock, at its own vault path, once, its index row untouched', async () => {
    const t = await station();
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3 });
    const first = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'a'), 'usb-volume')).done!;
    expect(first.state).toBe('done');
    const clips = clipRows(t.station);
    const before = sidecars(t);
    const byPath = (p: string) => clips.find((c) => c.original_path === p)!;
    const video = byPath(cam.files.find((f) => f.role === 'clip' && f.expected === 'committed')!.path);
    const audio = byPath(cam.files.find((f) => f.role === 'audio')!.path);
    const photo = byPath(cam.files.find((f) => f.role === 'photo')!.path);

    // The video loses its file only; the voice recording its file and sidecar; the photo both,
    // and on the camera it has since been renamed, so only the second test (same bytes) finds it.
    lose(t, video, false);
    lose(t, audio, true);
    lose(t, photo, true);
    const renamed = path.posix.join(path.posix.dirname(photo.original_path), `renamed-${path.posix.basename(photo.original_path)}`);
    fs.renameSync(path.join(cam.root, photo.original_path), path.join(cam.root, renamed));
    const lost = await t.station.verifyVault();
    expect(lost.problems.map((p) => [p.clipId, p.problem]).sort()).toEqual([
      [video.id, 'missing'],
      [audio.id, 'missing'],
      [photo.id, 'missing'],
    ].sort());
    const onCamera = treeDigest(cam.root);

    const second = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'b'), 'usb-volume')).done!;
    expect(second.state).toBe('done');
    const files = fileRows(t.station, second.dockSessionId);
    const put = (p: string) => files.find((f) => f.original_path === p)!;
    expect([video.original_path, audio.original_path, renamed].map((p) => ({ path: p, state: put(p).state, clip: put(p).clip_id }))).toEqual([
      { path: video.original_path, state: 'committed', clip: video.id },
      { path: audio.original_path, state: 'committed', clip: audio.id },
      { path: renamed, state: 'committed', clip: photo.id },
    ]);
    expect(files.filter((f) => f.state !== 'duplicate')).toHaveLength(3);
    expect(files.every((f) => f.failure_kind === null)).toBe(true);

    // The index is as it was: no new clip, no row changed. The vault holds every clip again,
    // read-only, hashing as indexed, each beside its sidecar, and nothing else.
    expect(clipRows(t.station)).toEqual(clips);
    await expectVaultConsistent(t);
    expect(await t.station.verifyVault()).toMatchObject({ clips: clips.length, ok: clips.length, problems: [] });
    const camFile = cam.files.find((f) => f.path === video.original_path)!;
    expect(sha256File(t.station.vault.absolute(video.vault_path))).toBe(camFile.sha256);

    // The sidecar still there is kept byte for byte; the lost ones are written again from the
    // index, equal to the lost ones but for the note of how they came back.
    const after = sidecars(t);
    expect(after.get(video.id)).toEqual(before.get(video.id));
    for (const clip of [audio, photo]) {
      const { restored, ...rest } = after.get(clip.id)!;
      // The photo came back from the path it was moved to on the camera, which its clip now records (guarantee 4).
      expect(rest).toEqual(clip === photo ? { ...before.get(clip.id), moved: [{ path: renamed, at: T0 }] } : before.get(clip.id));
      expect(restored).toEqual({ at: T0, dockSessionId: second.dockSessionId, verification: expect.stringMatching(/readback/) });
    }
    // So rebuild-index finds every sidecar in agreement with the index.
    expect(await t.station.rebuildIndex()).toMatchObject({ scanned: clips.length, restored: 0, present: clips.length, conflicts: [] });

    // Said on the dock, audited with how the copy was checked, and the camera left as it was.
    // (Two files are in flight at once, so the three come back in either order.)
    expect(notices(t, second.dockSessionId).sort((x, y) => x.path.localeCompare(y.path))).toEqual(
      [video.original_path, audio.original_path, renamed]
        .sort((x, y) => x.localeCompare(y))
        .map((p) => ({ kind: 'vault_copy_restored', path: p, message: expect.stringMatching(/已丢失.* \/ The vault had lost/su) })),
    );
    // Each put back is announced in the audit chain before the vault changes, then recorded.
    const restoring = auditActions(t.station, 'clip.vault_restoring');
    const restoredRows = auditActions(t.station, 'clip.vault_restored');
    expect(restoring.map((a) => a.object_id).sort()).toEqual(restoredRows.map((a) => a.object_id).sort());
    for (const done of restoredRows) {
      const started = restoring.find((a) => a.object_id === done.object_id)!;
      expect(started.seq).toBeLessThan(done.seq);
      expect(JSON.parse(started.after_json!)).toMatchObject({ vaultPath: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/), dockSessionId: second.dockSessionId });
    }
    const audited = auditActions(t.station, 'clip.vault_restored')
      .map((a) => ({ id: Number(a.object_id), ...(JSON.parse(a.after_json!) as Record<string, unknown>) }))
      .sort((x, y) => x.id - y.id);
    const expected: Array<[number, Record<string, unknown>]> = [
      [video.id, { vaultPath: video.vault_path, hash: video.hash, sidecar: 'kept', dockSessionId: second.dockSessionId }],
      [audio.id, { vaultPath: audio.vault_path, hash: audio.hash, sidecar: 'rewritten' }],
      [photo.id, { path: renamed, vaultPath: photo.vault_path, hash: photo.hash, sidecar: 'rewritten' }],
    ];
    expect(audited).toEqual(expected.sort(([x], [y]) => x - y).map(([id, fields]) => expect.objectContaining({ id, ...fields })));
    expect(treeDigest(cam.root)).toEqual(onCamera);

    // Once: the next dock finds everything in the vault and copies nothing.
    const third = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'c'), 'usb-volume')).done!;
    expect(fileRows(t.station, third.dockSessionId).map((f) => f.state)).toEqual(files.map(() => 'duplicate'));
    expect(notices(t, third.dockSessionId)).toEqual([]);
    expect(auditActions(t.station, 'clip.vault_restored')).toHaveLength(3);
    expect(auditActions(t.station, 'clip.vault_restoring')).toHaveLength(3);
  });

  // A station may switch between SHA-256 and SM3 (config.hashAlgorithm) while its vault holds
  // clips hashed the old way; a copy's hash cannot be compared with those, so guarantee 4's second
  // test hashes it in the clip's algorithm too. Both ways round: SM3 copies carry the source's
  // SHA-256 already, SHA-256 copies are hashed once more in SM3.
  for (const [before, now] of [['sha256', 'sm3'], ['sm3', 'sha256']] as const) {
    it(`is put back after the station switched from ${before} to ${now}, matched in the clip's own algorithm`, async () => {
      const dataDir = tempDir('station-vault-lost-');
      const a = await stationWithCamera({ dataDir, hashAlgorithm: before });
      const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3 });
      expect((await (await a.station.ingest.dock(await identify(cam.root, a.clock, 'a'), 'usb-volume')).done!).state).toBe('done');
      const clips = clipRows(a.station);
      expect(new Set(clips.map((c) => c.hash_algorithm))).toEqual(new Set([before]));
      const videos = cam.files.filter((f) => f.role === 'clip' && f.expected === 'committed');
      const [kept, altered, present] = videos.map((v) => clips.find((c) => c.original_path === v.path)!);
      expect(present, 'the camera has a third video').toBeDefined();
      lose(a, kept!, false);
      lose(a, altered!, true);
      await a.close();
      // A clip still in the vault whose file was renamed on the camera since: copied (its identity
      // is new), then found by its bytes in its own algorithm, so not stored twice.
      const renamed = path.posix.join(path.posix.dirname(present!.original_path), `renamed-${path.posix.basename(present!.original_path)}`);
      fs.renameSync(path.join(cam.root, present!.original_path), path.join(cam.root, renamed));
      // The second lost clip's name, size and time are on the camera still, but other bytes: it is
      // not that clip, and must not be put back as it.
      const alteredOnCamera = path.join(cam.root, altered!.original_path);
      const { mtime } = fs.statSync(alteredOnCamera);
      const bytes = fs.readFileSync(alteredOnCamera);
      const middle = bytes.length >> 1;
      bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
      fs.writeFileSync(alteredOnCamera, bytes);
      fs.utimesSync(alteredOnCamera, mtime, mtime);

      const t = openStation({ dataDir, hashAlgorithm: now });
      cleanup(() => t.close());
      const second = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'b'), 'usb-volume')).done!;
      expect(second.state).toBe('done');
      const files = fileRows(t.station, second.dockSessionId);
      const put = files.find((f) => f.original_path === kept!.original_path)!;
      expect(put).toMatchObject({ state: 'committed', clip_id: kept!.id, failure_kind: null });
      expect(fs.statSync(t.station.vault.absolute(kept!.vault_path)).mode & 0o222).toBe(0);
      const restored = auditActions(t.station, 'clip.vault_restored').map((a) => JSON.parse(a.after_json!) as Record<string, unknown>);
      expect(restored).toEqual([
        expect.objectContaining({ vaultPath: kept!.vault_path, hash: kept!.hash, algorithm: before, verifiedAs: { algorithm: now, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } }),
      ]);

      expect(files.find((f) => f.original_path === renamed)).toMatchObject({ state: 'duplicate', clip_id: present!.id });

      // The altered file is a new clip in the new algorithm, beside the lost one's place, which
      // stays missing; every other clip is as it was.
      const other = files.find((f) => f.original_path === altered!.original_path)!;
      expect(other.state).toBe('committed');
      const newClip = clipRows(t.station).find((c) => c.id === other.clip_id)!;
      expect(newClip).toMatchObject({ hash_algorithm: now, vault_path: altered!.vault_path.replace(/\.MP4$/, '~2.MP4') });
      expect(clipRows(t.station).filter((c) => c.id !== newClip.id)).toEqual(clips);
      const report = await t.station.verifyVault();
      expect(report.problems.map((p) => [p.clipId, p.problem])).toEqual([[altered!.id, 'missing']]);
      expect(report.ok).toBe(clips.length);
    });
  }

  it('keeps its place: a new clip whose name would land there is stored beside it, so the lost one can still come back', async () => {
    const t = await station();
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3 });
    expect((await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'a'), 'usb-volume')).done!).state).toBe('done');
    const videos = cam.files.filter((f) => f.role === 'clip' && f.expected === 'committed');
    const lostClip = clipRows(t.station).find((c) => c.original_path === videos[0]!.path)!;
    lose(t, lostClip, true);
    // The camera now holds other bytes under that name (another recording's), so its next dock
    // stores a new clip, whose folder and name are the lost clip's.
    const onCamera = path.join(cam.root, lostClip.original_path);
    fs.copyFileSync(path.join(cam.root, videos[1]!.path), onCamera);
    fs.appendFileSync(onCamera, 'x');

    const second = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'b'), 'usb-volume')).done!;
    expect(second.state).toBe('done');
    const fresh = fileRows(t.station, second.dockSessionId).find((f) => f.original_path === lostClip.original_path)!;
    expect(fresh).toMatchObject({ state: 'committed' });
    const newClip = clipRows(t.station).find((c) => c.id === fresh.clip_id)!;
    expect(newClip.id).not.toBe(lostClip.id);
    expect(newClip.vault_path).toBe(lostClip.vault_path.replace(/\.MP4$/, '~2.MP4'));
    // The index still says the lost clip is missing (not "altered"), and nothing else.
    const report = await t.station.verifyVault();
    expect(report.problems.map((p) => [p.clipId, p.problem])).toEqual([[lostClip.id, 'missing']]);
    expect(fs.existsSync(t.station.vault.absolute(lostClip.vault_path) + SIDECAR_SUFFIX)).toBe(false);
  });

  it('is not taken for lost while the vault itself is not there: nothing copied, nothing written in its place', async () => {
    const vault = path.join(tempDir('vault-home-'), 'vault');
    const t = await station({ vaultDir: vault });
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    expect((await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'a'), 'usb-volume')).done!).state).toBe('done');
    const clips = clipRows(t.station);

    // The vault's disk is away (its folder gone): every clip's file is "missing" from where it stood.
    const away = `${vault}-away`;
    fs.renameSync(vault, away);
    const again = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'b'), 'usb-volume')).done!;
    const files = fileRows(t.station, again.dockSessionId);
    expect(files.filter((f) => f.clip_id !== null).map((f) => f.state)).toEqual(clips.map(() => 'duplicate'));
    expect(files.some((f) => f.state === 'committed')).toBe(false);
    expect(fs.existsSync(vault), 'nothing was written where the vault should be').toBe(false);
    expect(notices(t, again.dockSessionId)).toEqual([]);

    fs.renameSync(away, vault);
    expect(await t.station.verifyVault()).toMatchObject({ clips: clips.length, problems: [] });
    expect(clipRows(t.station)).toEqual(clips);
  });

  it('after a dead vault disk is replaced and adopted, `station ingest` of a camera still holding the footage puts it all back', async () => {
    const vault = path.join(tempDir('vault-home-'), 'vault');
    const dataDir = tempDir('station-vault-lost-');
    cleanup(() => fs.rmSync(path.dirname(vault), { recursive: true, force: true }));
    const a = await stationWithCamera({ dataDir, vaultDir: vault });
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    expect((await (await a.station.ingest.dock(await identify(cam.root, a.clock), 'usb-volume')).done!).state).toBe('done');
    const clips = clipRows(a.station);
    const before = sidecars(a);
    await a.close();

    fs.rmSync(vault, { recursive: true, force: true });
    fs.mkdirSync(vault);
    const adopt = await runStation(['adopt-vault', '--data', dataDir, '--vault', vault, '--json']);
    expect(adopt.code, adopt.stderr).toBe(0);

    const run = await runStation(['ingest', cam.root, '--data', dataDir, '--vault', vault]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Put back in the vault (the vault had lost its copy):');
    for (const c of clips) expect(run.stdout).toContain(`\n  ${c.original_path}\n`);
    const json = await runStation(['ingest', cam.root, '--data', dataDir, '--vault', vault, '--json']);
    const report = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as IngestReport;
    expect(report).toMatchObject({ state: 'done', committed: 0, duplicate: clips.length, failed: 0, notices: [] });

    const verified = await runStation(['verify', '--data', dataDir, '--vault', vault]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const t = openStation({ dataDir, vaultDir: vault });
    cleanup(() => t.close());
    expect(clipRows(t.station)).toEqual(clips);
    for (const [id, sidecar] of sidecars(t)) {
      const { restored, ...rest } = sidecar;
      expect(rest).toEqual(before.get(id));
      expect(restored).toMatchObject({ verification: expect.stringMatching(/readback/) });
    }
    await expectVaultConsistent(t);
  });
});

// Issue 3, "nothing altered": a vault file that `station verify` found altered (or damaged) is put
// right by the next dock of a camera that still holds the original. The altered file is not
// destroyed: it is moved, as it was, to the vault's .altered folder, evidence of what happened.
describe('a clip whose vault file was altered', () => {
  /** Flips one byte in the middle of a clip's vault file, as someone with write access could. */
  function alter(t: FaultStation, clip: ClipRow): Buffer {
    const file = t.station.vault.absolute(clip.vault_path);
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    fs.writeFileSync(file, bytes);
    return bytes;
  }

  it('is set aside as it was and the original put back, once `station verify` has found it; never before', async () => {
    const t = await station();
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3 });
    expect((await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'a'), 'usb-volume')).done!).state).toBe('done');
    const clips = clipRows(t.station);
    const before = sidecars(t);
    const videos = cam.files.filter((f) => f.role === 'clip' && f.expected === 'committed');
    const clip = clips.find((c) => c.original_path === videos[0]!.path)!;
    const alteredBytes = alter(t, clip);

    // A dock does not re-hash the vault: without a check's finding the camera's file is a duplicate.
    const unchecked = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'b'), 'usb-volume')).done!;
    expect(fileRows(t.station, unchecked.dockSessionId).every((f) => f.state === 'duplicate')).toBe(true);
    expect(fs.readFileSync(t.station.vault.absolute(clip.vault_path)).equals(alteredBytes)).toBe(true);

    const found = await t.station.verifyVault();
    expect(found.problems.map((p) => [p.clipId, p.problem])).toEqual([[clip.id, 'mismatch']]);
    const actual = found.problems[0]!.actual!;

    t.clock.set(T0 + 3_600_000);
    const second = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'c'), 'usb-volume')).done!;
    expect(second.state).toBe('done');
    const files = fileRows(t.station, second.dockSessionId);
    expect(files.find((f) => f.original_path === clip.original_path)).toMatchObject({ state: 'committed', clip_id: clip.id, failure_kind: null });
    expect(files.filter((f) => f.state !== 'duplicate')).toHaveLength(1);

    // The original is back, read-only; the altered file is kept whole, read-only, under .altered/.
    const setAside = `.altered/clip-${clip.id}-20261127T020000Z/${path.posix.basename(clip.vault_path)}`;
    expect(sha256File(t.station.vault.absolute(clip.vault_path))).toBe(clip.hash);
    expect(fs.statSync(t.station.vault.absolute(clip.vault_path)).mode & 0o222).toBe(0);
    const kept = path.join(t.station.vault.root, ...setAside.split('/'));
    expect(fs.readFileSync(kept).equals(alteredBytes)).toBe(true);
    expect(fs.statSync(kept).mode & 0o222).toBe(0);
    expect(sha256File(kept)).toBe(actual);
    expect(vaultFiles(t.station.vault.root).filter((f) => f.startsWith('.altered/'))).toEqual([setAside]);

    // The index and the sidecars are as they were; the check finds the vault whole again, and a
    // rebuild from the vault ignores the altered file.
    expect(clipRows(t.station)).toEqual(clips);
    expect(sidecars(t)).toEqual(before);
    expect(await t.station.verifyVault()).toMatchObject({ clips: clips.length, ok: clips.length, problems: [] });
    expect(await t.station.rebuildIndex()).toMatchObject({ scanned: clips.length, restored: 0, present: clips.length, conflicts: [] });

    // Said on the dock and on the audit chain, announced before the vault changed.
    expect(notices(t, second.dockSessionId)).toEqual([
      { kind: 'vault_copy_replaced', path: clip.original_path, message: expect.stringMatching(/哈希不符.*\.altered.* \/ The vault's copy.*\.altered/su) },
    ]);
    const started = auditActions(t.station, 'clip.vault_restoring');
    const replaced = auditActions(t.station, 'clip.vault_replaced');
    expect(started).toHaveLength(1);
    expect(replaced).toHaveLength(1);
    expect(started[0]!.seq).toBeLessThan(replaced[0]!.seq);
    for (const row of [started[0]!, replaced[0]!]) {
      expect(row.object_id).toBe(String(clip.id));
      expect(JSON.parse(row.after_json!)).toMatchObject({ vaultPath: clip.vault_path, hash: clip.hash, altered: { hash: actual, setAsideTo: setAside } });
    }
    expect(auditActions(t.station, 'clip.vault_restored')).toEqual([]);
    expect((await t.cli.ok('audit.verify', {})).intact).toBe(true);
    // The check's alarm stays for a person, and now says a dock has put one right.
    const alarms = t.station.db.prepare<[], { details_json: string }>("SELECT details_json FROM alarm WHERE kind = 'verify_failure' AND resolved_at IS NULL").all();
    expect(alarms.map((a) => JSON.parse(a.details_json) as unknown)).toEqual([expect.objectContaining({ found: { ...nothingFound, mismatch: 1 }, putRight: 1 })]);

    // Once: the next dock finds the vault right and copies nothing.
    const third = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'd'), 'usb-volume')).done!;
    expect(fileRows(t.station, third.dockSessionId).every((f) => f.state === 'duplicate')).toBe(true);
    expect(vaultFiles(t.station.vault.root).filter((f) => f.startsWith('.altered/'))).toEqual([setAside]);
  });

  it('is left alone when it was put right after the check found it: a duplicate, and the finding dropped', async () => {
    const t = await station();
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    expect((await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'a'), 'usb-volume')).done!).state).toBe('done');
    const clip = clipRows(t.station).find((c) => c.kind === 'video' && c.damaged === 0)!;
    const file = t.station.vault.absolute(clip.vault_path);
    const original = fs.readFileSync(file);
    alter(t, clip);
    expect((await t.station.verifyVault()).problems.map((p) => p.problem)).toEqual(['mismatch']);
    fs.writeFileSync(file, original);
    fs.chmodSync(file, 0o444);

    const again = await (await t.station.ingest.dock(await identify(cam.root, t.clock, 'b'), 'usb-volume')).done!;
    const row = fileRows(t.station, again.dockSessionId).find((f) => f.original_path === clip.original_path)!;
    expect(row).toMatchObject({ state: 'duplicate', clip_id: clip.id });
    expect(fs.existsSync(path.join(t.station.vault.root, '.altered'))).toBe(false);
    expect(t.station.db.prepare('SELECT count(*) AS n FROM vault_altered').get()).toEqual({ n: 0 });
    expect(notices(t, again.dockSessionId)).toEqual([]);
    await expectVaultConsistent(t);
  });
});
