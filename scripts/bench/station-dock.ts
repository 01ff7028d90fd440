// bench:ingest's whole-station case: a real station (core/station.ts: SQLite
// index, audit log, vault, copy pool, ffprobe) in a data folder of its own,
// with the camera registered to its officer, docked through the entry
// `station ingest <folder>` uses (Station.ingestFolder: identify the volume
// through the profiles, open a dock session, discover, copy with read-back,
// probe, commit into the vault with a sidecar, index, audit, set the camera's
// clock) and timed from the dock to the dock's end.
import { rm } from 'node:fs/promises';
import { osActor } from '../../electron/core/audit/actor.js';
import type { Clock } from '../../electron/core/clock.js';
import type { Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import { caller } from '../station-call.js';
import type { IngestSummary } from '../../shared/ingest.js';
import type { PhotoCamera } from './photos.js';


/**
 * A clock that runs at the real pace from the moment the camera was made: the
 * camera's clock file (written then) reads 7 minutes slow, as the emulator
 * says, however long ago the footage was made (--reuse).
 */
export function clockFrom(startUtcMs: number): Clock {
  const t0 = Date.now();
  return { now: () => startUtcMs + (Date.now() - t0) };
}

export interface StationDock {
  station: Station;
  /** The timed part: the camera docked as `station ingest` docks it, until its dock session ends. */
  dock(): Promise<IngestSummary>;
  /** Checks the dock stored every photo, bit-exact, as a photo; returns how the copies were verified. */
  check(summary: IngestSummary): Set<string>;
  /** Closes the station and removes its data folder (database and vault). */
  dispose(): Promise<void>;
}

/**
 * Sets a fresh station up as a running station is when a camera arrives: the administrator made,
 * each camera registered to its officer, the ingest lock held, crash recovery done, ffprobe found.
 * Closes the station if any of it fails.
 */
export async function setUpAtRest(station: Station, cameras: ReadonlyArray<{ serial: string; badge: string; officerName: string }>): Promise<void> {
  try {
    const cli = station.connect({ kind: 'os', actor: osActor('bench') });
    const ok = caller(cli);
    await ok('station.setup', { badge: '000001', name: '管理员', password: 'bench-ingest station' });
    for (const c of cameras) {
      const officer = (await ok('people.create', { badge: c.badge, name: c.officerName, roles: ['officer'] })).person;
      await ok('devices.register', { serial: c.serial, model: 'DSJ-BENCH', keeperId: officer.id });
    }
    cli.close();
    await station.ingest.becomeOwner();
    const probe = await station.checkProbe();
    if (probe !== null) throw new Error(`ffprobe does not run: ${probe}`);
  } catch (e) {
    await station.close();
    throw e;
  }
}

/** A fresh station in `dataDir` (its vault inside), set up, the camera registered, ingest lock taken, ffprobe checked: at rest. */
export async function stationReadyFor(camera: PhotoCamera, dataDir: string): Promise<StationDock> {
  await rm(dataDir, { recursive: true, force: true });
  const station = createStation({
    dataDir,
    clock: clockFrom(camera.realNowUtcMs),
    // Only the administrator's password is hashed with it, before the timing.
    scryptCost: 1024,
    // No free-space alarm that depends on how full this machine's disk is.
    vaultReserveBytes: 0,
  });
  await setUpAtRest(station, [camera]);
  return {
    station,
    async dock() {
      const { summary } = await station.ingestFolder(camera.root);
      if (!summary) throw new Error('the dock did not start an ingest');
      return summary;
    },
    check(summary) {
      const n = camera.photos.length;
      if (summary.state !== 'done' || summary.committed !== n || summary.failed !== 0 || summary.damaged !== 0) {
        throw new Error(`station ingest of ${n} photos: ${JSON.stringify(summary)}`);
      }
      const rows = station.db
        .prepare<[], { original_path: string; hash: string; kind: string; damaged: number; verification: string }>('SELECT original_path, hash, kind, damaged, verification FROM clip')
        .all();
      const byPath = new Map(rows.map((r) => [r.original_path, r]));
      for (const p of camera.photos) {
        const row = byPath.get(p.path);
        if (!row || row.hash !== p.sha256 || row.kind !== 'photo' || row.damaged !== 0) {
          throw new Error(`${p.path} is not in the index as an undamaged photo with its hash: ${JSON.stringify(row)}`);
        }
      }
      return new Set(rows.map((r) => r.verification));
    },
    async dispose() {
      await station.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
