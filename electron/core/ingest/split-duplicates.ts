// Carries a station from before issue 17 over to "every recording keeps its own record"
// (guarantee 4, migration 0130). Such a station made a file whose bytes equalled an earlier clip's
// of the same camera a `duplicate` of that clip even when it was another recording: another
// time, or another path while the clip's own file was still on the card. Its name, time, folder
// and officer survived only in an `ingest.file_duplicate` audit row and its ingest_file row; no
// clip, no sidecar, and rebuild-index lost it. Here each such recording becomes a clip: its
// bytes copied from the clip it was taken for (the same bytes: the copy is read back and must hash
// to that clip's hash, or nothing is stored), with a sidecar of its own saying where it came from,
// indexed and audited. A file that only moved on the camera (same time, its old path gone from the
// card at that dock) stays the clip it was, with its new path recorded (clip_moved).
//
// SQL cannot copy files or write sidecars, so the station does this itself, once, when it takes
// the ingest lock (IngestService.becomeOwner) and its vault is mounted. `ingest.split_duplicates`
// in station_setting holds the last ingest_file id dealt with, and `done` at the end; a clip whose
// vault file is missing or no longer matches its hash stops the pass there (a dock that puts the
// file back lets the next start go on), so nothing is ever stored from bytes not proven.
import path from 'node:path';
import fs from 'node:fs/promises';
import { stationActor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { readSetting, writeSetting } from '../db/settings.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';
import type { BindingValues, CameraProfile } from '../docking/profile/index.js';
import { parseClipName } from '../docking/profile/index.js';
import { wallClockToUtc } from '../docking/wall-clock.js';
import type { Copier } from './copier.js';
import { dateRecording, recordingFolder } from './dating.js';
import type { IngestFileRow, IngestRepository } from './repository.js';
import { clipFromSidecar, mediaOfClip, type Sidecar, type Vault } from './vault.js';

const KEY = 'ingest.split_duplicates';
const DONE = 'done';

export interface SplitDeps {
  db: Db;
  repo: IngestRepository;
  devices: DeviceRepository;
  writer: Writer;
  vault: Vault;
  copier: Copier;
  clock: Clock;
  timeZone: string;
  profiles(): Promise<CameraProfile[]>;
  log(message: string, error?: unknown): void;
}

export interface SplitReport {
  /** Recordings that became clips of their own. */
  split: number;
  /** Files found to have moved on the camera, recorded on their clip. */
  moved: number;
  /** Why the pass stopped before the end, if it did. */
  stoppedAt: { ingestFileId: number; reason: string } | null;
}

/** A duplicate row as the old rule left it, with the clip it was taken for and whether that clip's file was on the card at that dock. */
interface OldDuplicate extends Pick<IngestFileRow, 'id' | 'dock_session_id' | 'device_id' | 'original_path' | 'size' | 'mtime_ms'> {
  clip_id: number;
  clip_path: string;
  clip_mtime: number;
  clip_on_card: number;
}

export async function splitDuplicates(d: SplitDeps): Promise<SplitReport> {
  const report: SplitReport = { split: 0, moved: 0, stoppedAt: null };
  const after = readSetting(d.db, KEY);
  if (after === DONE) return report;
  let last = Number(after ?? '0');
  const profiles = new Map((await d.profiles()).map((p) => [p.id, p]));
  for (;;) {
    const rows = prepared<[number], OldDuplicate>(
      d.db,
      `SELECT f.id, f.dock_session_id, f.device_id, f.original_path, f.size, f.mtime_ms, f.clip_id,
              c.original_path AS clip_path, c.mtime_ms AS clip_mtime,
              EXISTS (SELECT 1 FROM ingest_file g WHERE g.dock_session_id = f.dock_session_id AND g.original_path = c.original_path) AS clip_on_card
         FROM ingest_file f JOIN clip c ON c.id = f.clip_id
        WHERE f.id > ? AND f.state = 'duplicate' AND NOT (f.original_path = c.original_path AND f.mtime_ms = c.mtime_ms AND f.size = c.size)
        ORDER BY f.id LIMIT 100`,
    ).all(last);
    if (rows.length === 0) break;
    for (const row of rows) {
      const outcome = await carryOver(d, row, profiles);
      if (outcome !== 'split' && outcome !== 'moved' && outcome !== 'already') {
        report.stoppedAt = { ingestFileId: row.id, reason: outcome.stopped };
        d.log(`carrying duplicate file ${row.id} over stopped: ${outcome.stopped}`);
        return report;
      }
      if (outcome === 'split') report.split++;
      if (outcome === 'moved') report.moved++;
      last = row.id;
      d.writer.run(stationActor, () => writeSetting(d.db, KEY, String(last)));
    }
  }
  d.writer.run(stationActor, () => writeSetting(d.db, KEY, DONE));
  return report;
}

async function carryOver(d: SplitDeps, row: OldDuplicate, profiles: Map<string, CameraProfile>): Promise<'split' | 'moved' | 'already' | { stopped: string }> {
  const clip = d.repo.clip(row.clip_id)!;
  const movedOnly = row.mtime_ms === row.clip_mtime && row.clip_on_card === 0;
  if (movedOnly) {
    await d.vault.recordMoved(clip.vault_path, { path: row.original_path, at: d.clock.now() });
    d.writer.run(stationActor, (tx) => {
      const added = d.repo.addMoved({
        clipId: clip.id,
        deviceId: row.device_id,
        originalPath: row.original_path,
        size: row.size,
        mtimeMs: row.mtime_ms,
        dockSessionId: row.dock_session_id,
        at: tx.at,
      });
      if (added) tx.audit({ action: 'clip.moved_on_camera', objectType: 'clip', objectId: clip.id, after: { from: clip.original_path, path: row.original_path, ingestFileId: row.id, carriedOver: true } });
    });
    return 'moved';
  }
  // The same recording docked again under the old rule (a second duplicate row of it): it has its clip now.
  const own = d.repo.clipByIdentity(row.device_id, row.original_path, row.size, row.mtime_ms);
  if (own) {
    d.writer.run(stationActor, () => d.repo.setFileState(row.id, 'duplicate', d.clock.now(), null, own.id));
    return 'already';
  }
  if (!(await d.vault.has(clip.vault_path))) return { stopped: `clip ${clip.id}'s vault file is missing` };
  // The bytes, from the clip they equal: copied, read back, and proven to hash to that clip's hash.
  const temp = d.vault.tempPath(`split-f${row.id}`);
  let verification: string;
  try {
    const copied = await d.copier.copy(
      { source: d.vault.absolute(clip.vault_path), destination: temp, algorithm: clip.hash_algorithm, readBack: true },
      { signal: new AbortController().signal },
    );
    if (copied.hash !== clip.hash) {
      await fs.rm(temp, { force: true });
      return { stopped: `clip ${clip.id}'s vault file no longer matches its hash` };
    }
    verification = copied.verification;
  } catch (e) {
    await fs.rm(temp, { force: true });
    return { stopped: `copying clip ${clip.id}'s vault file failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const session = d.repo.dockSession(row.dock_session_id)!;
  const device = d.devices.find(row.device_id)!;
  const binding = session.binding_json ? (JSON.parse(session.binding_json) as BindingValues) : null;
  const profile = session.profile_id ? profiles.get(session.profile_id) : undefined;
  const parsed = profile ? parseClipName(profile, row.original_path) : null;
  let cameraStartAt: number | null;
  try {
    cameraStartAt = parsed?.start ? wallClockToUtc(parsed.start, d.timeZone) : null;
  } catch {
    cameraStartAt = null;
  }
  const now = d.clock.now();
  const dating = dateRecording({ cameraStartAt, clockSkewMs: session.clock_skew_ms, embeddedCreatedAt: clip.embedded_created_at, mtimeMs: row.mtime_ms }, now);
  const sidecar: Omit<Sidecar, 'vaultPath'> = {
    format: 'evidence-station.clip/1',
    kind: clip.kind,
    hash: { algorithm: clip.hash_algorithm, value: clip.hash },
    verification,
    device: { serial: device.serial, model: device.model },
    officer: { badge: binding?.badge ?? null, name: binding?.name ?? null, unitCode: binding?.unitId ?? null, unitName: binding?.unitName ?? null },
    original: {
      path: row.original_path,
      size: row.size,
      mtimeMs: row.mtime_ms,
      cameraStartText: parsed?.startText ?? null,
      cameraStartAt,
      startAt: dating.startAt,
      ...(dating.clockWrong ? { clockWrong: true as const } : {}),
    },
    // The same bytes play or fail alike: the clip's findings, its 重点 flag from this file's own name.
    media: { ...mediaOfClip(clip), important: parsed?.important ?? false },
    dock: { attachedAt: session.attached_at, clockSkewMs: session.clock_skew_ms, cameraClockText: session.camera_clock_text, profileId: session.profile_id },
    committedAt: now,
    carriedOver: { from: 'duplicate', clipId: clip.id, ingestFileId: row.id, at: now },
  };
  const folder = recordingFolder(dating.startAt, session.attached_at, device.serial, d.timeZone);
  // A pass cut short between the rename and the transaction left this copy at the name it picks
  // again (the same folder, name and bytes): adopted, not stored twice (Vault.commit).
  const committed = await d.vault.commit(temp, folder, path.posix.basename(row.original_path), sidecar);
  d.writer.run(stationActor, (tx) => {
    const id = d.repo.insertClip(clipFromSidecar(committed.sidecar, { deviceId: row.device_id, dockSessionId: row.dock_session_id, officerId: session.officer_id }));
    d.repo.setFileState(row.id, 'committed', tx.at, null, id);
    d.repo.refreshCounts(row.dock_session_id);
    tx.audit({
      action: 'clip.carried_over',
      objectType: 'clip',
      objectId: id,
      after: { serial: device.serial, path: row.original_path, size: row.size, hash: clip.hash, vaultPath: committed.vaultPath, ingestFileId: row.id, wasDuplicateOf: clip.id, adopted: committed.adopted },
    });
  });
  return 'split';
}
