import fs from 'node:fs';
import path from 'node:path';
import type { EventName } from '../../shared/contract.js';
import type { Person } from '../../shared/domain.js';
import type { Result } from '../../shared/errors.js';
import { createHandlers } from './api.js';
import { AuditLog } from './audit/log.js';
import { AuthService } from './auth/service.js';
import { Sessions } from './auth/sessions.js';
import type { ResolvedConfig, StationConfig } from './config.js';
import { resolveConfig } from './config.js';
import type { Db } from './db/open.js';
import { openDatabase } from './db/open.js';
import { Writer } from './db/writer.js';
import { DeviceRepository } from './devices/repository.js';
import { DeviceService } from './devices/service.js';
import type { Caller } from './dispatch.js';
import { dispatch } from './dispatch.js';
import type { ConnectionId } from './events.js';
import { EventBus } from './events.js';
import { RoleGrants } from './people/grants.js';
import { PeopleRepository } from './people/repository.js';
import { PeopleService } from './people/service.js';
import { AlarmRepository } from './alarms/repository.js';
import { CopyPool } from './ingest/copy/pool.js';
import { IngestService } from './ingest/service.js';
import { PRIVATE_DIR, PRIVATE_FILE, tighten } from './private-modes.js';
import { checkPrivate, checksModes, settleFilesExposed, vaultWalkDue, walkVault, type ExposedFile } from './alarms/files-exposed.js';
import { readVendorSettings, type VendorLauncher } from './docking/vendor/index.js';
import { Vault } from './ingest/vault.js';
import { VaultGuard } from './ingest/vault-guard.js';
import { ProbeGuard } from './ingest/probe-guard.js';
import { ProbeRecheck } from './ingest/probe-recheck.js';
import { splitDuplicates } from './ingest/split-duplicates.js';
import { loadStationProfiles } from './alarms/profile-invalid.js';
import { OwnerLock } from './ingest/owner-lock.js';
import { createIngestOperations } from './ingest/operations.js';
import type { RebuildReport } from './ingest/rebuild.js';
import type { FolderIngest, FolderVolume, VaultAdoption } from './ingest/operations.js';
import type { Actor } from './audit/actor.js';
import type { VaultVerification } from './ingest/verify-vault.js';
import { IngestRepository as IngestRepo } from './ingest/repository.js';
import type { Custody } from './custody/index.js';
import { createCustody } from './custody/index.js';
import { CustodySettingsStore } from './custody/settings.js';
import { SealService } from './audit/seal.js';
import { createViewing, type Viewing } from './viewing/index.js';
import { createLibrary } from './library/index.js';
import type { SealView } from '../../shared/seal.js';
import { createMedia, type Media } from './media/index.js';
import { createExports, type Exports } from './export/index.js';

export type { Caller } from './dispatch.js';

export interface Connection {
  readonly id: ConnectionId;
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Events for this connection: broadcasts and those addressed to it. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  close(): void;
}

export interface Station {
  readonly config: ResolvedConfig;
  /** Docking and ingest; the hosts and the CLI feed it docked volumes. */
  readonly ingest: IngestService;
  readonly vault: Vault;
  /** Checkouts, returns by docking, deadlines, faults, no-recording records. */
  readonly custody: Custody;
  /** Viewing under approval: requests, grants, the register, and the view sessions the media endpoint serves bytes through. */
  readonly viewing: Viewing;
  /** Derived media: posters and contact sheets made after commit, proxies on demand (media/). */
  readonly media: Media;
  /** Evidence discs: export records, their builds, image downloads (export/). */
  readonly exports: Exports;
  connect(caller: Caller): Connection;
  /** Resolves when this start's check of the vault's file modes is done (at once when none was due). */
  vaultModesChecked(): Promise<void>;
  /** Locks idle sessions now (also runs on a timer); the harness calls it after moving its clock. */
  lockIdleSessions(): void;
  /**
   * Announces checkouts newly past their offload deadline (`custody.overdue`;
   * also runs on a timer); the harness calls it after moving its clock.
   * Returns their ids.
   */
  sweepOverdue(): number[];
  /**
   * Seals every ended day that is due (audit/seal.ts): at start of docking, then on a timer;
   * the harness calls it after moving its clock. Resolves to the seals made.
   */
  sealDue(): Promise<SealView[]>;
  /**
   * Starts docking: takes the ingest lock, recovers what a crash left, then
   * watches the configured sources (watched folder, removable volumes) and
   * ingests every camera that arrives. The desktop app and the harness call it.
   */
  startDocking(options?: { settleMs?: number; safetyRescanMs?: number }): Promise<void>;
  /** `station ingest <folder>`: that folder as a docked volume, identified through the profiles like any dock. */
  ingestFolder(folder: string, volume?: FolderVolume): Promise<FolderIngest>;
  /** `station rebuild-index`: the clip index from the vault's sidecars. */
  rebuildIndex(): Promise<RebuildReport>;
  /** `station adopt-vault`: the station bound to the vault folder as it is now (a replaced disk); audited as `actor`. */
  adoptVault(actor: Actor): Promise<VaultAdoption>;
  /** `station verify`: re-hash every clip in the vault. */
  verifyVault(onProgress?: (done: number, total: number) => void): Promise<VaultVerification>;
  /** Checks now whether ffprobe runs, settling its alarm (ingest/probe-guard.ts); null when it does, else why not. */
  checkProbe(): Promise<string | null>;
  /** Stops docking, running ingest jobs and the copy workers, then closes the database. */
  close(): Promise<void>;
  /** For tests and the CLI's own reports. */
  readonly db: Db;
  /**
   * CLI only (`station users add --pin-stdin`), deliberately outside the
   * contract: gives a person a one-time PIN the operator chose. Audited as
   * `person.pin_set` with the OS user as actor; throws a StationError.
   */
  setChosenPin(caller: Extract<Caller, { kind: 'os' }>, personId: number, pin: string): Promise<Person>;
}

export interface StationOptions {
  /** better-sqlite3 built for Electron, when the host is Electron's utility process. */
  nativeBinding?: string;
  /**
   * Who starts the vendor library's processes: Electron main, when the host is its utility process
   * (which cannot fork them: docking/vendor/launcher.ts); default a Node fork.
   */
  vendorLauncher?: VendorLauncher;
  log?: (message: string, error?: unknown) => void;
}

/** The composition root: builds every service of the core from one config. */
export function createStation(input: StationConfig, options: StationOptions = {}): Station {
  const config = resolveConfig(input);
  const log = options.log ?? ((m, e) => console.error(`[station] ${m}`, e ?? ''));
  fs.mkdirSync(config.dataDir, { recursive: true, mode: PRIVATE_DIR });
  // The station's files are its account's alone (private-modes.ts): a data folder made before
  // that (0755) is tightened at every start.
  if (tighten(config.dataDir, PRIVATE_DIR, log)) log(`the data folder ${config.dataDir} was readable by other accounts; now ${PRIVATE_DIR.toString(8)}`);
  // What stays exposed after tightening (a disk without modes, another account's files) is an alarm below.
  const exposed: ExposedFile[] = [];
  const keepPrivate = (file: string, mode: number) => {
    const found = checksModes ? checkPrivate(file, mode, log) : null;
    if (found) exposed.push(found);
  };
  keepPrivate(config.dataDir, PRIVATE_DIR);
  // The vault's folder is not made here: VaultGuard makes it for a new station only, so a vault
  // disk that is not mounted is never replaced by an empty folder on the system disk.
  const db = openDatabase({ file: config.databaseFile, migrationsDir: config.migrationsDir, nativeBinding: options.nativeBinding, log });
  for (const f of [config.databaseFile, `${config.databaseFile}-wal`, `${config.databaseFile}-shm`, config.auditAnchorFile]) keepPrivate(f, PRIVATE_FILE);
  // A vault folder made before (0755); one on a disk without modes, or owned by another account, raises files_exposed.
  keepPrivate(config.vaultDir, PRIVATE_DIR);

  const events = new EventBus();
  const audit = new AuditLog(db, config.auditAnchorFile);
  const writer = new Writer(db, audit, events, config.clock);
  const sessions = new Sessions(config.idleLockMs);
  const peopleRepo = new PeopleRepository(db, () => config.clock.now());
  const deviceRepo = new DeviceRepository(db);
  const auth = new AuthService({
    people: peopleRepo,
    sessions,
    writer,
    events,
    clock: config.clock,
    random: config.random,
    scryptCost: config.scryptCost,
    idleLockMs: config.idleLockMs,
  });
  const roleGrants = new RoleGrants(db, peopleRepo);
  const people = new PeopleService({
    people: peopleRepo,
    grants: roleGrants,
    writer,
    random: config.random,
    scryptCost: config.scryptCost,
    endSessionsOf: (personId, reason) => {
      for (const c of sessions.endForPerson(personId)) events.emit('session.ended', { reason }, c);
    },
  });
  const devices = new DeviceService(deviceRepo, peopleRepo, writer);
  const vault = new Vault(config.vaultDir);
  const copyPool = new CopyPool({ size: config.copyWorkers });
  const alarmRepo = new AlarmRepository(db);
  const vaultGuard = new VaultGuard({ vault, db, alarms: alarmRepo, writer });
  vaultGuard.check();
  let vaultModes: Promise<void> = Promise.resolve();
  if (checksModes) {
    const alarmDeps = { db, alarms: alarmRepo, writer };
    settleFilesExposed(alarmDeps, exposed);
    // Recordings stored before the station set modes (0644) are tightened by a walk in the
    // background, once (and again while one stays exposed); the station serves meanwhile.
    if (vaultWalkDue(db) && vaultGuard.check() === null) {
      vaultModes = walkVault(vault.root, ['.incoming'], log)
        .then((walk) => {
          // A station closed meanwhile has no database to write to; its next start walks again.
          if (!closed) settleFilesExposed(alarmDeps, [...exposed, ...walk.exposed], { at: config.clock.now(), files: walk.files, exposed: walk.exposed.length });
        })
        .catch((e) => log('checking the modes of the vault failed', e));
    }
  }
  const ingestRepo = new IngestRepo(db);
  const probeRecheck = new ProbeRecheck({
    db,
    repo: ingestRepo,
    vault,
    writer,
    clock: config.clock,
    ffprobe: config.ffprobePath,
    vaultReady: () => vaultGuard.check() === null,
    observe: (result) => probeGuard.observe(result),
    log,
  });
  const probeGuard = new ProbeGuard({
    ffprobe: config.ffprobePath,
    alarms: alarmRepo,
    writer,
    log,
    onUnavailable: () => probeRecheck.mark(),
    onRuns: () => probeRecheck.start(),
  });
  // Told before the first dock: a station that cannot check recordings says so on the board.
  const checkProbe = () =>
    probeGuard.check().catch((e: unknown) => {
      log('checking ffprobe failed', e);
      return null;
    });
  // The check in flight, which close() lets finish before the database goes.
  let probeCheck = checkProbe();
  // The custody rules, which also hold the vault's reserve (the ingest warns by it); until someone
  // sets it, the reserve is the config's.
  const custodySettings = new CustodySettingsStore(db, { vaultReserveBytes: config.vaultReserveBytes });
  const ingest = new IngestService({
    repo: ingestRepo,
    alarms: alarmRepo,
    devices: deviceRepo,
    people: peopleRepo,
    writer,
    events,
    vault,
    copier: copyPool,
    clock: config.clock,
    timeZone: config.timeZone,
    algorithm: config.hashAlgorithm,
    eraseAfterCommit: config.eraseAfterCommit,
    vaultReserveBytes: () => custodySettings.get().vaultReserveBytes,
    vaultGuard,
    probeGuard,
    ownerLock: new OwnerLock(path.join(config.dataDir, 'ingest.lock')),
    carryOver: () =>
      splitDuplicates({
        db,
        repo: ingestRepo,
        devices: deviceRepo,
        writer,
        vault,
        copier: copyPool,
        clock: config.clock,
        timeZone: config.timeZone,
        // As for docking: bad profile files skipped and alarmed (a clip of a skipped model is dated without its name).
        profiles: () => loadStationProfiles({ db, alarms: alarmRepo, writer, log }, config.profilesDir, config.siteProfilesDir).then((set) => set.profiles),
        log,
      }).catch((e: unknown) => log('carrying duplicates over to recordings of their own failed', e)),
    vendorSettings: (profileId) => readVendorSettings(db, profileId),
    vendorLauncher: options.vendorLauncher,
    log,
  });
  const custody = createCustody({ db, writer, events, devices: deviceRepo, people: peopleRepo, clock: config.clock, timeZone: config.timeZone, settings: custodySettings, log });
  // Return by docking: every finished dock session is accounted for by custody (clips linked to
  // their checkout, the checkout offloaded, footage outside a checkout flagged). The pass at
  // start-up catches docks a crash left between the end of an ingest and this step.
  events.on((event) => {
    if (event === 'dock.changed') custody.offload.reconcile();
  });
  custody.offload.reconcile();
  const seals = new SealService({
    db,
    writer,
    clock: config.clock,
    timeZone: config.timeZone,
    stationName: config.stationName,
    sealsDir: config.sealsDir,
    font: config.sealFont,
    log,
  });
  // Posters and contact sheets follow each commit in the background; they wait while a dock
  // copies, so the verified ingest keeps its pace (docs/performance.md).
  const media = createMedia({ config, db, events, absolute: (p) => vault.absolute(p), docking: () => ingest.copying, log });
  const library = createLibrary(db, writer);
  // Whether a window is still logged in, unlocked, as this person: a view's or a download's every read asks.
  const holds = (connection: ConnectionId, personId: number): boolean => {
    const session = sessions.get(connection);
    return session !== undefined && !session.locked && session.personId === personId;
  };
  // Viewing: a view session reads the vault only while the vault is the station's and mounted.
  const viewing = createViewing({
    db,
    writer,
    people: peopleRepo,
    clock: config.clock,
    random: config.random,
    timeZone: config.timeZone,
    absolute: (p) => vault.absolute(p),
    vaultReady: () => vaultGuard.check() === null,
    holds,
    touch: (connection) => {
      const session = sessions.get(connection);
      if (session && !session.locked) session.lastActivity = config.clock.now();
    },
    proxyFor: (clip, toDisk) => media.proxies.proxyFor(clip, { toDisk }),
  });
  // Evidence discs: built from the vault while it is the station's and mounted, into <dataDir>/exports.
  const exports = createExports({
    db,
    writer,
    events,
    alarms: alarmRepo,
    people: peopleRepo,
    copier: copyPool,
    clock: config.clock,
    dataDir: config.dataDir,
    stationName: config.stationName,
    timeZone: config.timeZone,
    font: config.sealFont,
    absolute: (p) => vault.absolute(p),
    vaultReady: () => vaultGuard.check() === null,
    holds,
    ...(config.burnAddresses ? { extraBurnAddresses: config.burnAddresses } : {}),
    log,
  });
  const handlers = createHandlers({ config, db, audit, auth, people, peopleRepo, roleGrants, devices, deviceRepo, ingest, custody, seals, library, viewing, media, exports });
  const dispatchDeps = {
    handlers,
    sessions,
    people: peopleRepo,
    events,
    clock: config.clock,
    isInitialized: () => people.isInitialized(),
    log,
  };

  const lockIdleSessions = () => {
    const now = config.clock.now();
    for (const c of sessions.lockIdle(now)) events.emit('session.locked', { at: now }, c);
    // A locked window's views stop (the picture must not play on for whoever walks up).
    viewing.sessions.closeStale();
  };
  const idleTimer = setInterval(lockIdleSessions, 5000);
  idleTimer.unref();
  const sweepOverdue = () => custody.offload.sweepOverdue();
  const overdueTimer = setInterval(sweepOverdue, 30_000);
  overdueTimer.unref();
  // A vault disk that goes away (or comes back) while no camera is docked shows on the board
  // within half a minute, not only at the next dock.
  const vaultTimer = setInterval(() => {
    try {
      vaultGuard.check();
      // ffprobe installed or repaired: the alarm goes within half a minute, without a dock.
      if (probeGuard.isOpen()) probeCheck = probeCheck.then(checkProbe);
    } catch (e) {
      // Recording the alarm failed (the database busy or closing): the next round tries again.
      log('checking the vault failed', e);
    }
  }, 30_000);
  vaultTimer.unref();
  // The daily seal is made by the process that owns the station's ingest (the app, the harness),
  // never by a CLI command that only opens the station to ask something: it starts with docking.
  let sealing: Promise<unknown> = Promise.resolve();
  const sealDue = () => {
    const run = seals.sealDue();
    sealing = run.catch((e: unknown) => log('sealing the ended days failed', e));
    return run;
  };
  let sealTimer: NodeJS.Timeout | null = null;
  const startSealing = () => {
    if (sealTimer || closed) return;
    void sealDue().catch(() => undefined);
    // Checked every half minute against the injected clock (as the overdue sweep is), so a day
    // is sealed within a minute of its end plus the grace, whatever the machine slept through.
    sealTimer = setInterval(() => void sealDue().catch(() => undefined), 30_000);
    sealTimer.unref();
  };

  const operations = createIngestOperations({
    config,
    db,
    ingest,
    repo: ingestRepo,
    alarms: alarmRepo,
    devices: deviceRepo,
    people: peopleRepo,
    vault,
    vaultGuard,
    pool: copyPool,
    writer,
    events,
    // Recovery closed the docks a crash interrupted, without an event: account for them now.
    afterRecovery: () => custody.offload.reconcile(),
    vendorLauncher: options.vendorLauncher,
    log,
  });

  let nextConnection = 1;
  const open = new Set<ConnectionId>();
  let closed = false;

  return {
    config,
    db,
    ingest,
    vault,
    custody,
    viewing,
    media,
    exports,
    lockIdleSessions,
    sweepOverdue,
    vaultModesChecked: () => vaultModes,
    sealDue,
    setChosenPin: (caller, personId, pin) => people.setChosenPin(caller.actor, personId, pin),
    async startDocking(options) {
      await operations.startDocking(options);
      startSealing();
      // The process that owns the station picks up builds a stopped core left half-made (never a CLI look-up).
      exports.builder.resume();
    },
    ingestFolder: operations.ingestFolder,
    rebuildIndex: operations.rebuildIndex,
    adoptVault: operations.adoptVault,
    verifyVault: operations.verifyVault,
    checkProbe() {
      const checked = probeCheck.then(checkProbe);
      probeCheck = checked;
      return checked;
    },
    connect(caller) {
      const id = nextConnection++;
      open.add(id);
      return {
        id,
        invoke: (name, payload) => dispatch(dispatchDeps, id, caller, name, payload),
        onEvent: (listener) =>
          events.on((event, payload, target) => {
            if (target === null || target === id) listener(event, payload);
          }),
        close: () => {
          sessions.end(id);
          open.delete(id);
          // A view this window had open ends with it, in the register too.
          viewing.sessions.closeStale();
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(idleTimer);
      clearInterval(overdueTimer);
      clearInterval(vaultTimer);
      if (sealTimer) clearInterval(sealTimer);
      await sealing;
      await probeRecheck.stop();
      auth.flush();
      await operations.stopDocking();
      await exports.close();
      await ingest.close();
      await media.close();
      await copyPool.close();
      await probeCheck;
      db.close();
    },
  };
}
