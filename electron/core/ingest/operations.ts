// The station's docking and vault operations, built once by the composition
// root: start watching for cameras, ingest one folder (the CLI), rebuild the
// index from the vault, verify the vault. Kept out of station.ts so the root
// stays a list of what is built from what.
import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import type { IngestSummary } from '../../../shared/ingest.js';
import { loadStationProfiles } from '../alarms/profile-invalid.js';
import type { AlarmRepository } from '../alarms/repository.js';
import { stationActor } from '../audit/actor.js';
import type { ResolvedConfig } from '../config.js';
import type { Db } from '../db/open.js';
import type { Writer } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';
import { DockWatcher, identifyDock, type VendorReader } from '../docking/dock-watcher.js';
import { vendorReader } from '../docking/vendor-reader.js';
import { readVendorSettings, type VendorLauncher } from '../docking/vendor/index.js';
import type { ProfileProblem } from '../docking/profile/index.js';
import type { UsbIdentity } from '../docking/sources/volume.js';
import { RemovableVolumeSource } from '../docking/sources/removable-volumes.js';
import type { VolumeSource } from '../docking/sources/volume.js';
import { WatchedFolderSource } from '../docking/sources/watched-folder.js';
import type { EventBus } from '../events.js';
import type { PeopleRepository } from '../people/repository.js';
import type { CopyPool } from './copy/pool.js';
import type { RebuildReport } from './rebuild.js';
import { rebuildIndex } from './rebuild.js';
import type { IngestRepository } from './repository.js';
import type { IngestService } from './service.js';
import type { VaultProblem, VaultProblemKind, VaultVerification } from './verify-vault.js';
import { VAULT_PROBLEM_KINDS, verifyVault } from './verify-vault.js';
import type { Vault } from './vault.js';
import type { VaultGuard } from './vault-guard.js';
import type { Actor } from '../audit/actor.js';

export interface IngestOperationsDeps {
  config: ResolvedConfig;
  /**
   * Read only: the open profile_invalid alarms (alarms/profile-invalid.ts), and `station verify`'s
   * reading of the audit log (it writes only to a scratch database it attaches, vault-orphans.ts).
   */
  db: Db;
  ingest: IngestService;
  repo: IngestRepository;
  alarms: AlarmRepository;
  devices: DeviceRepository;
  people: PeopleRepository;
  vault: Vault;
  vaultGuard: VaultGuard;
  pool: CopyPool;
  writer: Writer;
  events: EventBus;
  /** Called once recovery has run, before the first camera is watched for. */
  afterRecovery(): void;
  /** Who starts the vendor library's processes (StationOptions); default a Node fork. */
  vendorLauncher?: VendorLauncher;
  log(message: string, error?: unknown): void;
}

/** Cameras read through their vendor's library, with the site's library and password for each profile (station settings). */
function stationVendorReader(d: IngestOperationsDeps): VendorReader {
  return vendorReader({ settings: (profileId) => readVendorSettings(d.db, profileId), clock: d.config.clock, launcher: d.vendorLauncher });
}

/** What `station adopt-vault` did. */
export interface VaultAdoption {
  vault: string;
  /** The vault's id now, and the one it replaced (null: none was recorded; equal: nothing changed). */
  id: string;
  previous: string | null;
  /** A marker was written (the folder had none). */
  made: boolean;
  /** Clips in the index; those not in this folder are what `station verify` reports missing. */
  indexedClips: number;
}

/**
 * What a folder given to `station ingest` is, besides its files: a copy of a card has neither the
 * camera's volume label nor its USB id, and a profile that recognises its model by them would not
 * know it. Given here, the copy identifies as the camera would when docked.
 */
export interface FolderVolume {
  /** The volume label; the folder's own name when not given. */
  label?: string | null;
  /** The USB id, four lower-case hex digits each (as UsbIdentity). */
  usb?: Pick<UsbIdentity, 'vendorId' | 'productId'> | null;
}

/** What `station ingest <folder>` did. */
export interface FolderIngest {
  dockSessionId: number;
  summary: IngestSummary | null;
  /** Camera profile files that were skipped because they do not load (each also a profile_invalid alarm). */
  profileProblems: ProfileProblem[];
}

export interface IngestOperations {
  startDocking(options?: { settleMs?: number; safetyRescanMs?: number }): Promise<void>;
  stopDocking(): Promise<void>;
  ingestFolder(folder: string, volume?: FolderVolume): Promise<FolderIngest>;
  rebuildIndex(): Promise<RebuildReport>;
  adoptVault(actor: Actor): Promise<VaultAdoption>;
  verifyVault(onProgress?: (done: number, total: number) => void): Promise<VaultVerification>;
}

/**
 * A finding as the audit row and the alarm keep it: which clip or file, what kind, and for the
 * index's findings what it was compared with (the fields and both values, the audit row, the ids).
 */
function problemOnRecord(p: VaultProblem): Record<string, unknown> {
  return {
    vaultPath: p.vaultPath,
    problem: p.problem,
    ...(p.clipId !== null ? { clipId: p.clipId } : {}),
    ...(p.lastClipId !== undefined ? { lastClipId: p.lastClipId } : {}),
    ...(p.auditSeq !== undefined ? { auditSeq: p.auditSeq } : {}),
    ...(p.fields ? { fields: p.fields } : {}),
  };
}

export function createIngestOperations(d: IngestOperationsDeps): IngestOperations {
  let watcher: DockWatcher | null = null;

  /** Rebuild and verify read the vault: on a folder that is not this station's they would index or report nothing but "missing". */
  const requireVault = (forRebuild = false) => {
    const problem = forRebuild ? d.vaultGuard.checkForRebuild() : d.vaultGuard.check();
    if (problem) throw new StationError('invalid_state', problem.message, { vault: d.vault.root, problem: problem.kind });
  };

  return {
    async startDocking(options = {}) {
      if (watcher) return;
      await d.ingest.becomeOwner();
      d.afterRecovery();
      // Bad profile files are skipped (and alarmed); only a folder with none that loads stops docking.
      const { profiles } = await loadStationProfiles(d, d.config.profilesDir, d.config.siteProfilesDir);
      const sources: VolumeSource[] = [];
      if (d.config.watchedFolder) {
        fs.mkdirSync(d.config.watchedFolder, { recursive: true });
        sources.push(new WatchedFolderSource({ folder: d.config.watchedFolder, log: d.log, ...options }));
      }
      if (d.config.removableVolumes) sources.push(new RemovableVolumeSource({ log: d.log }));
      const w = new DockWatcher({ sources, profiles, vendor: stationVendorReader(d), clock: d.config.clock, log: d.log });
      watcher = w;
      w.on('attached', ({ volume }) => d.events.emit('dock.attached', { volumeId: volume.id, label: volume.label }));
      w.on('unrecognized', (u) => d.events.emit('dock.unrecognized', { volumeId: u.volume.id, label: u.volume.label, reasons: u.reasons, cause: u.cause }));
      w.on('identified', (found) => {
        d.ingest
          .dock(found, found.volume.source)
          .then((r) => r.done?.catch((e: unknown) => d.log(`ingest of dock ${r.dockSessionId} failed`, e)))
          .catch((e: unknown) => d.log(`docking ${found.volume.root} failed`, e));
      });
      w.on('detached', ({ volume }) => d.ingest.undock(volume.id));
      await w.start();
    },

    async stopDocking() {
      await watcher?.stop();
    },

    async ingestFolder(folder, volume = {}) {
      const root = path.resolve(folder);
      const stat = fs.statSync(root, { throwIfNoEntry: false });
      if (!stat) throw new StationError('not_found', `没有目录 ${root}。 / There is no folder ${root}.`);
      if (!stat.isDirectory()) {
        throw new StationError(
          'not_found',
          `${root} 是文件，不是目录；请给出记录仪的根目录（挂载点）。 / ${root} is a file, not a folder; give the camera's root folder (where it is mounted).`,
        );
      }
      // The ingest lock before the profiles: only the process that ingests settles their alarms, so a
      // command refused while the desktop app runs does not resolve an alarm of the app's profiles.
      await d.ingest.becomeOwner();
      const { profiles, problems: profileProblems } = await loadStationProfiles(d, d.config.profilesDir, d.config.siteProfilesDir);
      const label = volume.label === undefined ? path.basename(root) : volume.label;
      const usb = volume.usb ? { vendorId: volume.usb.vendorId, productId: volume.usb.productId } : undefined;
      const found = await identifyDock({ id: `cli:${root}`, root, label, ...(usb ? { usb } : {}), removable: false, source: 'watched-folder' }, profiles, d.config.clock, stationVendorReader(d));
      if (!('profile' in found)) {
        throw new StationError('invalid_state', `此目录不是可识别的执法记录仪：${found.reasons.join('；')} / This folder is not a camera the station recognises.`, {
          reasons: found.reasons,
          verdicts: found.verdicts,
          profileProblems,
        });
      }
      const docked = await d.ingest.dock(found, 'cli');
      const summary = docked.done ? await docked.done : null;
      d.ingest.undock(found.volume.id);
      return { dockSessionId: docked.dockSessionId, summary, profileProblems };
    },

    // The ingest lock first: a rebuild while another process ingests could restore a clip from its
    // sidecar before that job writes the row, and the job's insert would then fail.
    async rebuildIndex() {
      await d.ingest.becomeOwner();
      requireVault(true);
      return rebuildIndex({ vault: d.vault, repo: d.repo, devices: d.devices, people: d.people, writer: d.writer });
    },

    // The ingest lock first, as for a rebuild: no offload may be copying while the vault changes.
    async adoptVault(actor) {
      await d.ingest.becomeOwner();
      const adopted = d.vaultGuard.adoptFolder(actor);
      return { vault: d.vault.root, ...adopted, indexedClips: d.repo.clipCount() };
    },

    async verifyVault(onProgress) {
      requireVault();
      const report = await verifyVault({ db: d.db, repo: d.repo, vault: d.vault, pool: d.pool }, onProgress);
      // A vault that no longer matches its hashes is an alarm for 综合处, and the check itself is on record.
      d.writer.run({ ...stationActor, label: 'verify' }, (tx) => {
        tx.audit({
          action: 'vault.verified',
          objectType: 'station',
          objectId: null,
          after: { clips: report.clips, ok: report.ok, problems: report.problems.map(problemOnRecord) },
        });
        // The altered are kept for the docks: such a file is put right by the next dock of a camera
        // that still holds the original (VaultRepair.putBack, ingest/vault-repair.ts), which does
        // not re-hash the vault itself.
        d.repo.replaceAlteredFindings(
          report.problems.flatMap((p) => (p.problem === 'mismatch' && p.clipId !== null && p.actual !== null ? [{ clipId: p.clipId, actual: p.actual }] : [])),
          tx.at,
        );
        if (report.problems.length > 0) {
          // How many in each state (the board says what to do for each), and the first few by name.
          const found = Object.fromEntries(VAULT_PROBLEM_KINDS.map((k) => [k, 0])) as Record<VaultProblemKind, number>;
          for (const p of report.problems) found[p.problem]++;
          const details = { found, problems: report.problems.slice(0, 50).map(problemOnRecord) };
          // One alarm for the vault check (a copy's failed read-back names its camera, so it is
          // another): a check run again while it is open brings it up to date instead of adding
          // another. A clean run leaves it for a person to resolve: what was found stays on record.
          const open = d.alarms.openFor('verify_failure', null);
          if (open) d.alarms.setDetails(open.id, details);
          else d.alarms.raise({ kind: 'verify_failure', details, at: tx.at });
          tx.emit('alarm.raised', { kind: 'verify_failure' });
        }
      });
      return report;
    },
  };
}
