// bench:export's station (issue 21): a real core (createStation) on a manual clock in a data
// folder of its own, with the people an export needs (the administrator, 综合处, the officers the
// cameras are registered to), emulated cameras (test/fixtures/camera, real ffmpeg clips grown to
// `clipBytes` by padding their mdat) docked through Station.ingestFolder as `station ingest` docks
// them, and a case holding every clip they brought: what 综合处 exports.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ManualClock } from '../../electron/core/clock.js';
import type { Connection, Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import { makeCamera } from '../../test/fixtures/camera/camera.js';
import { caller, type Call } from '../station-call.js';

/** 09:00 in Shanghai on a working day; the clock moves only when the bench moves it. */
const T0 = Date.UTC(2026, 10, 27, 1, 0, 0);
const MiB = 1024 * 1024;

export interface ExportFile {
  clipId: number;
  serial: string;
  /** The name the camera gave it (its last path part). */
  name: string;
  /** Absolute path in the vault. */
  source: string;
  size: number;
  sha256: string;
}

export interface ExportStation {
  station: Station;
  clock: ManualClock;
  /** 综合处 (王综合), logged in on a window of their own: makes the exports and hears their events. */
  office: Connection;
  officeCall: Call;
  caseId: number;
  /** Every clip in the case, as the vault holds it. */
  files: ExportFile[];
  bytes: number;
  how: string;
  /** Seconds spent making the cameras and docking them (untimed set-up). */
  setUpSeconds: { cameras: number; docks: number };
  dispose(): Promise<void>;
}

export interface ExportStationOptions {
  dataDir: string;
  /** Where the emulated cameras are written (deleted once docked). */
  camerasDir: string;
  cameras: number;
  clipsPerCamera: number;
  clipBytes: number;
  log(line: string): void;
}

export async function exportStation(o: ExportStationOptions): Promise<ExportStation> {
  await rm(o.dataDir, { recursive: true, force: true });
  await rm(o.camerasDir, { recursive: true, force: true });
  await mkdir(o.camerasDir, { recursive: true });
  const clock = new ManualClock(T0);
  const station = createStation({
    dataDir: o.dataDir,
    clock,
    // Only the set-up's passwords and PINs are hashed with it, before any timing.
    scryptCost: 1024,
    // No free-space alarm that depends on how full this machine's disk is.
    vaultReserveBytes: 0,
    // No posters made in the background while the exports are timed.
    thumbnails: false,
  });
  try {
    // The administrator on a window of their own, as at a new station: the roles granted by a
    // person with nobody yet to confirm them take effect at once (people/grants.ts).
    const adminWindow = station.connect({ kind: 'ui' });
    const admin = caller(adminWindow);
    await admin('station.setup', { badge: '000001', name: '管理员', password: 'bench-export station' });
    const { oneTimePin } = await admin('people.create', { badge: '300001', name: '王综合', roles: ['general_office'] });
    const office = station.connect({ kind: 'ui' });
    const officeCall = caller(office);
    await officeCall('auth.loginBadge', { badge: '300001', pin: oneTimePin });
    await officeCall('auth.changePin', { currentPin: oneTimePin, newPin: '683150' });

    const t0 = performance.now();
    const roots: string[] = [];
    for (let i = 0; i < o.cameras; i++) {
      const serial = `DSJ-X${String(i + 1).padStart(3, '0')}`;
      const badge = String(100001 + i);
      const officer = (await admin('people.create', { badge, name: `执法${i + 1}`, roles: ['officer'] })).person;
      await admin('devices.register', { serial, model: 'DSJ-BENCH', keeperId: officer.id });
      const manifest = await makeCamera({
        out: path.join(o.camerasDir, `camera-${i + 1}`),
        serial,
        badge,
        clips: o.clipsPerCamera,
        clipBytes: o.clipBytes,
        clockOffsetSeconds: 0,
        now: clock.now(),
      });
      roots.push(manifest.root);
      o.log(`camera ${i + 1}/${o.cameras} made (${serial})`);
    }
    const cameras = (performance.now() - t0) / 1000;
    adminWindow.close();

    await station.ingest.becomeOwner();
    const t1 = performance.now();
    for (const root of roots) {
      const { summary } = await station.ingestFolder(root);
      if (!summary || summary.state !== 'done' || summary.failed !== 0) throw new Error(`dock of ${root}: ${JSON.stringify(summary)}`);
      // The camera is copied into the vault: its volume is no longer needed.
      await rm(root, { recursive: true, force: true });
    }
    const docks = (performance.now() - t1) / 1000;
    await rm(o.camerasDir, { recursive: true, force: true });

    const rows = station.db
      .prepare<[], { id: number; serial: string; original_path: string; vault_path: string; size: number; hash: string; hash_algorithm: string }>(
        'SELECT c.id, d.serial, c.original_path, c.vault_path, c.size, c.hash, c.hash_algorithm FROM clip c JOIN device d ON d.id = c.device_id ORDER BY c.id',
      )
      .all();
    if (rows.some((r) => r.hash_algorithm !== 'sha256')) throw new Error('expected a SHA-256 station');
    const legalCase = await officeCall('cases.create', { caseNo: '京公(刑)字〔2026〕第421号', cause: '故意伤害', handlerName: '刘承办' });
    await officeCall('cases.addClips', { caseId: legalCase.id, clipIds: rows.map((r) => r.id) });
    const files = rows.map((r) => ({
      clipId: r.id,
      serial: r.serial,
      name: r.original_path.split('/').pop() ?? r.original_path,
      source: station.vault.absolute(r.vault_path),
      size: r.size,
      sha256: r.hash,
    }));
    const bytes = files.reduce((n, f) => n + f.size, 0);
    const videos = o.cameras * o.clipsPerCamera;
    const how =
      `camera emulator (test/fixtures/camera): ${o.cameras} camera(s) × ${o.clipsPerCamera} ffmpeg H.264/AAC MP4 clips, each grown to ${o.clipBytes / MiB} MiB by padding its mdat ` +
      `(${videos} clips), plus each camera's truncated and zero-length clip, voice note and photo: ${files.length} files, ${(bytes / 1024 ** 3).toFixed(2)} GiB, ` +
      'docked through Station.ingestFolder into the vault, all in one case';
    return {
      station,
      clock,
      office,
      officeCall,
      caseId: legalCase.id,
      files,
      bytes,
      how,
      setUpSeconds: { cameras, docks },
      async dispose() {
        office.close();
        await station.close();
        await rm(o.dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await station.close();
    throw e;
  }
}
