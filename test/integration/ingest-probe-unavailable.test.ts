// A station whose ffprobe does not run (not installed, removed, not on the PATH it was started
// with) still offloads every file whole and verified, marks what it could not check as such,
// and tells the custodian on the board, before any dock, with one alarm that the station resolves
// itself once ffprobe runs (ingest/probe-guard.ts). The ffprobe here is the real one, or nothing
// at all at the configured path.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/ingest.js';
import { damageKind } from '../../shared/ingest.js';
import { removeAfterEach, undoAfterEach } from '../support/cleanup.js';
import { camera, identify } from '../support/ingest.js';
import type { FaultStation } from '../support/ingest-faults.js';
import { auditActions, BADGE, clipRows, expectVaultConsistent, openStation, SERIAL, sha256File, stationWithCamera } from '../support/ingest-faults.js';
import { SIDECAR_SUFFIX, type Sidecar } from '../../electron/core/ingest/vault.js';
import { T0, tempDir } from '../support/station.js';
import { waitFor } from '../support/wait.js';

const cleanup = undoAfterEach();
const removeLater = removeAfterEach();

const REAL_FFPROBE = execFileSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).trim();

interface AlarmRow {
  id: number;
  details_json: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
}

const probeAlarms = (t: FaultStation) =>
  t.station.db.prepare<[], AlarmRow>("SELECT id, details_json, resolved_at, resolved_by, resolution FROM alarm WHERE kind = 'probe_unavailable' ORDER BY id").all();

async function boardAlarms(t: FaultStation): Promise<Alarm[]> {
  return (await t.cli.ok('dock.board', {})).alarms.filter((a) => a.kind === 'probe_unavailable');
}

async function offload(t: FaultStation, now: number) {
  const manifest = await camera({ serial: SERIAL, badge: BADGE, now, clips: 2, seconds: 1 });
  removeLater(path.dirname(manifest.root));
  const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock, `usb:${now}`), 'usb-volume');
  const summary = await docked.done!;
  const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
  // The emulator's photo, stray and empty files are the same bytes on each camera it makes: a later
  // dock finds them in the vault already.
  expect(summary).toMatchObject({ state: 'done', failed: 0 });
  expect(summary.committed + summary.duplicate).toBe(footage.length);
  return { manifest, footage, dockSessionId: docked.dockSessionId };
}

/**
 * The files the probe judges in process, without ffprobe (electron/core/ingest/media-check): the
 * emulator's JPEG photo (whole) and its MP4 cut short (no moov). Their verdict does not wait for
 * ffprobe.
 */
const judgedWithoutFfprobe = (f: { kind: string | null; expected: string; size: number }) => f.size > 0 && (f.kind === 'photo' || f.expected === 'damaged');

const settingAfter = (t: FaultStation) => t.station.db.prepare("SELECT value FROM station_setting WHERE key = 'probe.recheck_after'").get();

/**
 * Once ffprobe runs, the clips a dock stored without it are checked from their vault copies:
 * each file ffprobe reads gets its verdict and media facts, in the index and in its sidecar
 * (with a note of the reason it carried), audited; the empty file keeps its own; the bytes are
 * untouched. Waits for the station's pass to finish.
 */
async function expectRechecked(t: FaultStation, dock: Awaited<ReturnType<typeof offload>>, ffprobe: string) {
  const mine = () => clipRows(t.station).filter((c) => c.dock_session_id === dock.dockSessionId);
  await waitFor(() => (mine().some((c) => damageKind(c.damage_reason) === 'probe_failed') || settingAfter(t) !== undefined ? undefined : true));
  const rechecked = auditActions(t.station, 'clip.rechecked');
  for (const f of dock.footage) {
    const clip = mine().find((c) => c.original_path === f.path)!;
    expect(sha256File(path.join(t.station.vault.root, clip.vault_path)), f.path).toBe(sha256File(path.join(dock.manifest.root, f.path)));
    const sidecar = JSON.parse(fs.readFileSync(path.join(t.station.vault.root, clip.vault_path + SIDECAR_SUFFIX), 'utf8')) as Sidecar;
    if (f.kind === 'other' || f.size === 0) {
      expect([f.path, damageKind(clip.damage_reason), sidecar.rechecked]).toEqual([f.path, f.size === 0 ? 'empty' : 'other', undefined]);
      continue;
    }
    const verdict = f.expected === 'damaged' ? ['incomplete', 1] : [null, 0];
    expect([f.path, clip.damage_reason && damageKind(clip.damage_reason), clip.damaged]).toEqual([f.path, ...verdict]);
    if (f.kind !== 'photo' && f.expected !== 'damaged') expect(clip.duration_ms, f.path).toBeGreaterThan(0);
    expect(sidecar.media).toMatchObject({ damaged: clip.damaged === 1, damageReason: clip.damage_reason, durationMs: clip.duration_ms, videoCodec: clip.video_codec });
    // A photo and an MP4 cut short were judged in process when stored: nothing to check again.
    if (judgedWithoutFfprobe(f)) {
      expect([f.path, sidecar.rechecked, rechecked.filter((a) => a.object_id === String(clip.id)).length]).toEqual([f.path, undefined, 0]);
      continue;
    }
    expect(sidecar.rechecked).toEqual({ at: expect.any(Number), previousReason: `ffprobe: spawn ${ffprobe} ENOENT` });
    expect(rechecked.filter((a) => a.object_id === String(clip.id)), f.path).toHaveLength(1);
  }
  // The index and the vault's sidecars still agree clip for clip.
  expect(await t.station.rebuildIndex()).toMatchObject({ conflicts: [] });
}

describe('ffprobe does not run on the station', () => {
  it('raises one alarm before any dock, stores every file whole and marked "not checked", and resolves the alarm once ffprobe runs', async () => {
    const bin = tempDir('station-bin-');
    removeLater(bin);
    const ffprobe = path.join(bin, 'ffprobe'); // not there yet
    const t = await stationWithCamera({ ffprobePath: ffprobe });
    cleanup(() => t.close());

    // Before any dock: the start-up check found it, and the board shows why.
    await waitFor(() => (probeAlarms(t).length > 0 ? true : undefined));
    const open = await boardAlarms(t);
    expect(open).toHaveLength(1);
    expect(open[0]!.details).toEqual({ ffprobe, reason: expect.stringMatching(new RegExp(`^${ffprobe}: spawn ${ffprobe} ENOENT$`)) });

    // A dock meanwhile: every file is in the vault, hash-equal to the camera's, and each one
    // ffprobe would have checked says it was not checked; no other verdict is made up.
    const first = await offload(t, T0);
    const clips = clipRows(t.station);
    expect(clips).toHaveLength(first.footage.length);
    expect(clips.filter((c) => c.damaged === 1).length).toBeGreaterThan(2);
    for (const f of first.footage) {
      const clip = clips.find((c) => c.original_path === f.path)!;
      expect(sha256File(path.join(t.station.vault.root, clip.vault_path)), f.path).toBe(sha256File(path.join(first.manifest.root, f.path)));
      if (f.kind === 'other') expect([f.path, clip.damaged]).toEqual([f.path, 0]);
      else if (f.size === 0) expect([f.path, damageKind(clip.damage_reason)]).toEqual([f.path, 'empty']);
      else if (f.kind === 'photo') expect([f.path, clip.damaged, clip.damage_reason, clip.video_codec, clip.width! > 0]).toEqual([f.path, 0, null, 'mjpeg', true]);
      else if (f.expected === 'damaged') expect([f.path, clip.damaged, damageKind(clip.damage_reason)]).toEqual([f.path, 1, 'incomplete']);
      else expect([f.path, clip.damaged, damageKind(clip.damage_reason), clip.duration_ms]).toEqual([f.path, 1, 'probe_failed', null]);
    }
    await expectVaultConsistent(t);
    // One alarm for the station, not one a file.
    expect(probeAlarms(t)).toHaveLength(1);
    expect(probeAlarms(t)[0]!.resolved_at).toBeNull();

    // ffprobe installed: the next dock's probes run, and the station resolves the alarm itself.
    fs.symlinkSync(REAL_FFPROBE, ffprobe);
    const second = await offload(t, T0 + 3_600_000);
    const checked = clipRows(t.station).filter((c) => second.footage.some((f) => f.path === c.original_path && f.expected === 'committed' && f.kind === 'video'));
    expect(checked.length).toBeGreaterThan(0);
    for (const c of checked) expect([c.original_path, c.damaged, c.duration_ms! > 0]).toEqual([c.original_path, 0, true]);
    await expectRechecked(t, first, ffprobe);
    expect(await boardAlarms(t)).toEqual([]);
    const [resolved] = probeAlarms(t);
    expect(resolved).toMatchObject({ resolved_by: 'station', resolution: '检测程序 ffprobe 已可运行 / ffprobe runs again' });
    const audit = t.station.db
      .prepare<[string], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'alarm.resolved' AND object_id = ?")
      .all(String(resolved!.id));
    expect(audit.map((a) => JSON.parse(a.after_json) as unknown)).toEqual([{ resolution: 'ffprobe runs' }]);
  });

  it('the clips a dock stored without ffprobe are checked when the station next starts with it', async () => {
    const bin = tempDir('station-bin-');
    removeLater(bin);
    const ffprobe = path.join(bin, 'ffprobe');
    const t = await stationWithCamera({ ffprobePath: ffprobe });
    const dock = await offload(t, T0);
    expect(clipRows(t.station).filter((c) => damageKind(c.damage_reason) === 'probe_failed').length).toBe(dock.footage.filter((f) => f.kind !== 'other' && f.size > 0 && !judgedWithoutFfprobe(f)).length);
    expect(dock.footage.filter((f) => f.kind !== 'other' && f.size > 0 && !judgedWithoutFfprobe(f)).length).toBeGreaterThan(2);
    await t.close();
    fs.symlinkSync(REAL_FFPROBE, ffprobe);

    // First with the vault's disk not mounted (an empty folder in its place): nothing is checked,
    // or every file would probe as missing; the clips wait for the vault.
    const vault = path.join(t.dataDir, 'vault');
    fs.renameSync(vault, `${vault}-disk`);
    fs.mkdirSync(vault);
    const unmounted = openStation({ dataDir: t.dataDir, ffprobePath: ffprobe });
    await waitFor(() => (probeAlarms(unmounted)[0]?.resolved_at != null ? true : undefined));
    await unmounted.close();
    const db = new Database(path.join(t.dataDir, 'station.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM clip WHERE damage_reason LIKE 'ffprobe: spawn %'").get()).toEqual({ n: dock.footage.filter((f) => f.kind !== 'other' && f.size > 0 && !judgedWithoutFfprobe(f)).length });
    expect(db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'clip.rechecked'").get()).toEqual({ n: 0 });
    db.close();
    fs.rmdirSync(vault);
    fs.renameSync(`${vault}-disk`, vault);

    const again = openStation({ dataDir: t.dataDir, ffprobePath: ffprobe });
    cleanup(() => again.close());
    await expectRechecked(again, dock, ffprobe);
    expect(probeAlarms(again).map((a) => a.resolved_at !== null)).toEqual([true]);
  });

  it('gone while the station runs: the first probe that cannot start raises the alarm, and a check that began before does not clear it', async () => {
    const bin = tempDir('station-bin-');
    removeLater(bin);
    const ffprobe = path.join(bin, 'ffprobe');
    // An ffprobe whose `-version` takes 3 s: the start-up check is still running when the dock's probes fail.
    fs.writeFileSync(ffprobe, `#!/bin/sh\nif [ "$1" = '-version' ]; then sleep 3; fi\nexec '${REAL_FFPROBE}' "$@"\n`, { mode: 0o755 });
    const t = await stationWithCamera({ ffprobePath: ffprobe });
    fs.rmSync(ffprobe);
    await offload(t, T0);
    expect(probeAlarms(t)).toHaveLength(1);
    expect(JSON.parse(probeAlarms(t)[0]!.details_json!)).toMatchObject({ ffprobe, reason: expect.stringContaining('ENOENT') });
    // The start-up check ends now, having found ffprobe when it began; close() waits for it.
    await t.close();
    const db = new Database(path.join(t.dataDir, 'station.sqlite'), { readonly: true });
    expect(db.prepare("SELECT resolved_at FROM alarm WHERE kind = 'probe_unavailable'").all()).toEqual([{ resolved_at: null }]);
    db.close();
  });

  it('is checked again each time the station starts: raised when ffprobe has gone, resolved when it is back', async () => {
    const bin = tempDir('station-bin-');
    removeLater(bin);
    const ffprobe = path.join(bin, 'ffprobe');
    fs.symlinkSync(REAL_FFPROBE, ffprobe);
    const first = await stationWithCamera({ ffprobePath: ffprobe });
    await first.close(); // the start-up check finishes before the database closes
    const db = new Database(path.join(first.dataDir, 'station.sqlite'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM alarm').get()).toEqual({ n: 0 });
    db.close();

    fs.rmSync(ffprobe);
    const gone = openStation({ dataDir: first.dataDir, ffprobePath: ffprobe });
    await waitFor(() => (probeAlarms(gone).length === 1 ? true : undefined));
    await gone.close();

    fs.symlinkSync(REAL_FFPROBE, ffprobe);
    const back = openStation({ dataDir: first.dataDir, ffprobePath: ffprobe });
    cleanup(() => back.close());
    await waitFor(() => (probeAlarms(back)[0]?.resolved_at != null ? true : undefined));
    expect(probeAlarms(back)).toHaveLength(1);
    // Not ffprobe at all (a site's misconfiguration) counts as not running.
    const notFfprobe = openStation({ dataDir: tempDir('station-fault-'), ffprobePath: '/bin/true' });
    removeLater(notFfprobe.dataDir);
    cleanup(() => notFfprobe.close());
    await waitFor(() => (probeAlarms(notFfprobe).length === 1 ? true : undefined));
    expect(JSON.parse(probeAlarms(notFfprobe)[0]!.details_json!)).toEqual({ ffprobe: '/bin/true', reason: '/bin/true is not ffprobe' });
  });
});
