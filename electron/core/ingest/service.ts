import type { PersonRef } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import { alarmResolvePermission, type Alarm, type DockLobby, type DockSessionDetail, type DockSessionView, type IngestSummary } from '../../../shared/ingest.js';
import type { Permission } from '../../../shared/roles.js';
import type { AlarmRepository } from '../alarms/repository.js';
import type { Actor } from '../audit/actor.js';
import { stationActor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { HashAlgorithm } from '../config.js';
import type { Writer } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';
import { writeCameraClock } from '../docking/clock-set.js';
import { writeVendorOfficer, type VendorLauncher, type VendorLibrarySettings } from '../docking/vendor/index.js';
import type { DockIdentified } from '../docking/dock-watcher.js';
import { sameIdentity, type BindingValues } from '../docking/profile/index.js';
import { utcToWallClock, wallClockToIso, wallClockToUtc } from '../docking/wall-clock.js';
import type { EventBus } from '../events.js';
import type { PeopleRepository } from '../people/repository.js';
import type { Copier } from './copier.js';
import { settleFootageUnreadable } from '../alarms/footage-unreadable.js';
import { discoverFiles } from './discover.js';
import { IngestJob } from './job.js';
import { Limiter } from './limiter.js';
import type { DockSessionRow, IngestRepository } from './repository.js';
import type { Vault } from './vault.js';
import type { OwnerLock } from './owner-lock.js';
import type { VaultGuard } from './vault-guard.js';
import type { ProbeGuard } from './probe-guard.js';
import { warnIfVaultLow } from './vault-space.js';

export type DockSource = 'usb-volume' | 'watched-folder' | 'cli';

export interface IngestDeps {
  repo: IngestRepository;
  alarms: AlarmRepository;
  devices: DeviceRepository;
  people: PeopleRepository;
  writer: Writer;
  events: EventBus;
  vault: Vault;
  copier: Copier;
  clock: Clock;
  timeZone: string;
  algorithm: HashAlgorithm;
  eraseAfterCommit: boolean;
  /** Free space the vault should keep (a custody setting, read at each dock); a dock that would leave less raises vault_low_space. */
  vaultReserveBytes(): number;
  /** Whether the vault folder is this station's vault (ingest/vault-guard.ts); asked before every dock's copies. */
  vaultGuard: Pick<VaultGuard, 'check'>;
  /** The ffprobe stored files are checked with, and the alarm when it does not run (ingest/probe-guard.ts). */
  probeGuard: Pick<ProbeGuard, 'ffprobe' | 'observe'>;
  /** Held while this process ingests into the data folder (see owner-lock.ts). */
  ownerLock: OwnerLock;
  /**
   * What a newer station owes the evidence an older one stored (split-duplicates.ts), run with the
   * ingest lock held, after recovery, before the first dock, while the vault is this station's.
   */
  carryOver?: () => Promise<unknown>;
  /** The site's vendor library and password for a profile (station settings), for models read through one. */
  vendorSettings?(profileId: string): VendorLibrarySettings | null;
  /** Who starts the vendor library's processes (StationOptions); default a Node fork. */
  vendorLauncher?: VendorLauncher;
  log(message: string, error?: unknown): void;
}

interface Docked {
  identified: DockIdentified;
  source: DockSource;
  sessionId: number;
  job: IngestJob | null;
}

/** Who the camera is, from every source its profile names (docking/profile/identity.ts); null when none answered. */
function bindingValues(d: DockIdentified): BindingValues | null {
  return Object.values(d.identity.values).some((v) => v) ? d.identity.values : null;
}

const otherCameraMessage = (named: string, serial: string, from: 'name' | 'folder' | null) =>
  from === 'folder'
    ? `所在文件夹名中的产品序号 ${named} 不是本记录仪的（${serial}）；已照常存入并归于本记录仪，请核实其来源。 / The serial ${named} in the name of the file's folder is not this camera's (${serial}); stored as usual under this camera: check where it came from.`
    : `文件名中的产品序号 ${named} 不是本记录仪的（${serial}）；已照常存入并归于本记录仪，请核实其来源。 / The serial ${named} in the file's name is not this camera's (${serial}); stored as usual under this camera: check where it came from.`;

/** The refusal of a camera no source gave a serial for: the profile, and where it looked. */
function noSerialReason(d: DockIdentified): string {
  const p = d.profile;
  return `型号“${p.name['zh-CN']}”（${p.id}）的记录仪没有给出产品序号，采集站无法识别。查找过：${d.serialSearch.join('；')}。请检查记录仪或该型号配置。 / The camera (profile ${p.name.en}, ${p.id}) gives no serial number, so the station cannot tell which camera it is. Looked in: ${d.serialSearch.join('; ')}. Check the camera or the profile.`;
}

/** Clock skew (第七条): the camera's clock, read in the station's zone, minus the station's clock at that moment. */
export function clockSkew(d: DockIdentified, timeZone: string): number | null {
  if (d.clock.reading.status !== 'ok') return null;
  try {
    return wallClockToUtc(d.clock.reading.wallClock, timeZone) - d.clock.stationTimeMs;
  } catch {
    return null;
  }
}

/**
 * Docking to committed clips: opens a dock session per identified camera,
 * refuses unregistered cameras with an alarm a custodian can resolve on the
 * spot, flags a binding that names someone other than the keeper, and runs
 * the ingest job. Recovers from a crash at start-up.
 */
export class IngestService {
  private readonly docked = new Map<string, Docked>(); // by volume id
  private readonly jobs = new Map<number, IngestJob>(); // by dock session id

  private owning: Promise<void> | null = null;
  private closing = false;
  /**
   * The sweep of the vault's incoming area, once per stay of the vault: null while a sweep is
   * owed (at start-up, and after the vault was found missing, since copies in flight when its disk
   * went away may have left half-written files there).
   */
  private incomingSwept: Promise<unknown> | null = null;
  /** The probes of every camera's job at once: two, one a core (limiter.ts says why). */
  private readonly probeSlots = new Limiter(2);
  /** Every start in progress (discovery included), so close() can wait for them. */
  private readonly starting = new Set<Promise<IngestSummary>>();

  constructor(private readonly d: IngestDeps) {}

  /** Whether a dock's files are being copied now (background work such as posters waits for it). */
  get copying(): boolean {
    return this.jobs.size > 0;
  }

  /**
   * The first dock in this process takes the ingest lock and recovers what a
   * crash left; every later dock waits for that to be done.
   */
  becomeOwner(): Promise<void> {
    this.owning ??= (async () => {
      this.d.ownerLock.acquire();
      await this.recover();
      if (this.d.carryOver && !this.d.vaultGuard.check()) await this.d.carryOver();
    })().catch((e: unknown) => {
      this.owning = null;
      throw e;
    });
    return this.owning;
  }

  /**
   * After a crash, kill or power cut: leftovers in the vault's incoming area
   * are removed (never visible, never indexed), files caught mid-copy are
   * marked interrupted and every open dock session closed. The cameras are
   * seen again by the dock watcher, and their unfinished files copied again.
   */
  async recover(): Promise<{ swept: number; interrupted: number }> {
    // Never on a vault that is not there: sweeping would make its incoming area on whatever
    // folder stands in its place. Leftovers wait, unseen and unindexed, for the first dock that
    // finds the vault back (start()).
    let swept = 0;
    if (!this.d.vaultGuard.check()) {
      swept = await this.d.vault.sweepIncoming();
      this.incomingSwept = Promise.resolve();
    }
    const at = this.d.clock.now();
    const interrupted = this.d.writer.run(stationActor, (tx) => {
      const files = this.d.repo.resetInterrupted(at);
      const sessions = this.d.repo.closeInterruptedSessions(at);
      if (files > 0 || sessions > 0 || swept > 0) {
        tx.audit({ action: 'ingest.recovered', objectType: 'station', objectId: null, after: { files, sessions, swept } });
      }
      return files;
    });
    return { swept, interrupted };
  }

  /** The owed sweep of the incoming area; a failed one (the vault gone again) stays owed. */
  private sweepOwed(): Promise<unknown> {
    this.incomingSwept ??= this.d.vault.sweepIncoming().catch((e: unknown) => {
      this.incomingSwept = null;
      this.d.log("sweeping the vault's incoming area failed", e);
    });
    return this.incomingSwept;
  }

  /** A camera was identified by its profile: open its dock session and, if it may be ingested, start. */
  async dock(identified: DockIdentified, source: DockSource): Promise<{ dockSessionId: number; done: Promise<IngestSummary> | null }> {
    await this.becomeOwner();
    const binding = bindingValues(identified);
    const serial = binding?.deviceSerial ?? null;
    const device = serial ? this.d.devices.findBySerial(serial) : undefined;
    const officer = binding?.badge ? this.d.people.rowByBadge(binding.badge) : undefined;
    const skew = clockSkew(identified, this.d.timeZone);
    const status = identified.status.status === 'ok' ? identified.status : null;
    const at = this.d.clock.now();
    const sessionId = this.d.writer.run(stationActor, (tx) => {
      const id = this.d.repo.createDockSession({
        volume_id: identified.volume.id,
        volume_root: identified.volume.root,
        source,
        label: identified.volume.label,
        profile_id: identified.profile.id,
        device_id: device?.id ?? null,
        serial,
        binding_json: binding ? JSON.stringify(binding) : null,
        officer_id: officer?.id ?? null,
        state: device ? 'ingesting' : 'unregistered',
        state_reason: device
          ? null
          : serial
            ? `产品序号 ${serial} 未登记，不能导出；请登记后重试。 / Serial ${serial} is not registered; register it, then retry.`
            : noSerialReason(identified),
        camera_clock_text: identified.clock.reading.status === 'ok' ? identified.clock.reading.text : null,
        clock_skew_ms: skew,
        free_bytes: status?.freeBytes ?? null,
        battery_percent: status?.batteryPercent ?? null,
        attached_at: at,
      });
      tx.audit({
        action: 'dock.attached',
        objectType: 'dock_session',
        objectId: id,
        after: { serial, profile: identified.profile.id, source, registered: Boolean(device), clockSkewMs: skew, binding, identityFrom: identified.identity.from },
      });
      if (identified.vendor) {
        // What the vendor's library said and did (never the password), on the record of this dock.
        tx.audit({ action: 'dock.vendor_library', objectType: 'dock_session', objectId: id, after: { status: identified.vendor.status, ...identified.vendor.record } });
        if (identified.vendor.status === 'ok' && identified.vendor.clockSetAt !== null) {
          // The library set the camera's clock to the computer's at once (第七条): on the dock as a time file's write would be.
          this.d.repo.setClockSet(id, identified.vendor.clockSetAt, `${wallClockToIso(utcToWallClock(identified.vendor.clockSetAt, this.d.timeZone)).replace('T', ' ')} (vendor library)`);
        }
      }
      // Two sources that disagree on who the camera is: the most trusted one is used and the
      // footage is still taken (a refusal would leave evidence on a camera going back on duty).
      for (const d of identified.identity.disagreements) {
        this.d.alarms.raise({
          kind: 'binding_mismatch',
          dockSessionId: id,
          deviceId: device?.id ?? null,
          serial,
          details: { field: d.field, said: d.said },
          at,
        });
      }
      if (!device && !this.d.alarms.openFor('unregistered_device', serial)) {
        this.d.alarms.raise({ kind: 'unregistered_device', dockSessionId: id, serial, details: { binding, label: identified.volume.label }, at });
      }
      // A badge equal to the camera's serial is no officer's: vendors fill PolNo with DevNo when the
      // camera holds none (zfy-param-ini), so there is nobody to compare with the keeper.
      const boundBadge = binding?.badge && !(serial && sameIdentity(binding.badge, serial)) ? binding.badge : null;
      if (device && boundBadge && device.keeper && device.keeper.badge.toLowerCase() !== boundBadge.toLowerCase()) {
        this.d.alarms.raise({
          kind: 'binding_mismatch',
          dockSessionId: id,
          deviceId: device.id,
          serial,
          details: { bindingBadge: boundBadge, bindingName: binding?.name ?? null, keeperBadge: device.keeper.badge, keeperName: device.keeper.name },
          at,
        });
      }
      return id;
    });
    const entry: Docked = { identified, source, sessionId, job: null };
    this.docked.set(identified.volume.id, entry);
    this.d.events.emit('dock.identified', { dockSessionId: sessionId });
    if (!device) {
      this.d.events.emit('alarm.raised', { kind: 'unregistered_device' });
      return { dockSessionId: sessionId, done: null };
    }
    const done = this.start(entry);
    this.starting.add(done);
    void done.finally(() => this.starting.delete(done)).catch(() => undefined);
    return { dockSessionId: sessionId, done };
  }

  private async start(entry: Docked): Promise<IngestSummary> {
    const id = entry.sessionId;
    const session = this.d.repo.dockSession(id)!;
    const device = this.d.devices.require(session.device_id!);
    const binding = session.binding_json ? (JSON.parse(session.binding_json) as BindingValues) : null;
    // `unread`: parts of the footage tree not read whole, which may hide footage (discover.ts).
    // The readable files are offloaded all the same; the dock cannot end done (job.ts finish).
    const { files, notices, unread } = await discoverFiles(entry.identified.profile, entry.identified.volume.root);
    // A file already a clip is copied again only if the vault has lost that clip's file (a dead
    // disk replaced, a file removed) or the last `station verify` found it altered: the job then
    // puts the camera's bytes back (VaultRepair.putBack, ingest/vault-repair.ts). Asked only of
    // this station's vault, since one that is not mounted has "lost" everything; and before the
    // transaction, which cannot wait for the disk.
    const vaultProblem = this.d.vaultGuard.check();
    const lost = new Set<string>();
    if (!vaultProblem) {
      for (const f of files) {
        const known = this.d.repo.clipByIdentity(device.id, f.relativePath, f.size, f.mtimeMs);
        if (!known) continue;
        if (this.d.repo.foundAltered(known.id) || !(await this.d.vault.has(known.vault_path))) lost.add(f.relativePath);
      }
    }
    if (this.closing) throw new StationError('core_unavailable', '采集站正在关闭。 / The station is shutting down.');
    const at = this.d.clock.now();
    const toCopy = this.d.writer.run(stationActor, (tx) => {
      // A file whose name (or folder) carries another camera's serial: a card moved between cameras,
      // a file copied onto this one. Stored as this camera's all the same (it came off this camera);
      // the dock says so per file, and the clip keeps what the name said (name_serial).
      const foreign = files.flatMap((f) =>
        f.parsed.serial && !sameIdentity(f.parsed.serial, device.serial)
          ? [{ kind: 'name_other_camera' as const, path: f.relativePath, message: otherCameraMessage(f.parsed.serial, device.serial, f.parsed.identityFrom) }]
          : [],
      );
      const told = [...notices, ...foreign];
      for (const n of told) this.d.repo.addNotice(id, n.kind, n.path, n.message, at);
      if (told.length > 0) tx.audit({ action: 'dock.notices', objectType: 'dock_session', objectId: id, after: { notices: told.map((n) => ({ kind: n.kind, path: n.path })) } });
      // Raised before a byte is copied, so the custodian hears of it while the camera is still docked;
      // a dock that reads the whole tree resolves it (alarms/footage-unreadable.ts).
      settleFootageUnreadable(
        tx,
        this.d.alarms,
        { serial: device.serial, deviceId: device.id, dockSessionId: id },
        unread.map((n) => ({ kind: n.kind, path: n.path, code: n.code ?? null })),
      );
      const rows = [];
      for (const f of files) {
        // Guarantee 4, first test: this camera's file, same path, size and time, is already a clip.
        const known = lost.has(f.relativePath) ? undefined : this.d.repo.clipByIdentity(device.id, f.relativePath, f.size, f.mtimeMs);
        const fileId = this.d.repo.addFile({
          dock_session_id: id,
          device_id: device.id,
          original_path: f.relativePath,
          size: f.size,
          mtime_ms: f.mtimeMs,
          kind: f.parsed.kind,
          state: known ? 'duplicate' : 'discovered',
          updated_at: at,
        });
        if (known) this.d.repo.setFileState(fileId, 'duplicate', at, null, known.id);
        else rows.push({ row: this.d.repo.file(fileId)!, found: f });
      }
      this.d.repo.refreshCounts(id);
      return rows;
    });
    // A vault that is not there takes nothing (the job fails every file with the reason); its
    // free space would be the stand-in folder's. A vault that is back is swept of what copies
    // cut off by its going left, before any new copy starts there, and while no other job runs.
    if (vaultProblem) this.incomingSwept = null;
    else {
      if (this.jobs.size === 0) await this.sweepOwed();
      warnIfVaultLow(
        { alarms: this.d.alarms, writer: this.d.writer, vaultRoot: this.d.vault.root, reserveBytes: this.d.vaultReserveBytes(), log: this.d.log },
        toCopy.reduce((sum, f) => sum + f.row.size, 0),
      );
    }
    const job = new IngestJob(
      {
        repo: this.d.repo,
        alarms: this.d.alarms,
        writer: this.d.writer,
        vault: this.d.vault,
        copier: this.d.copier,
        clock: this.d.clock,
        timeZone: this.d.timeZone,
        algorithm: this.d.algorithm,
        eraseAfterCommit: this.d.eraseAfterCommit,
        // One reads the camera; the others are read back, probed or waiting for their batch commit.
        filesInFlight: 8,
        vaultProblem: () => this.d.vaultGuard.check()?.message ?? null,
        probe: this.d.probeGuard,
        probeSlots: this.probeSlots,
        beforeFinish: () => this.setCameraClock(entry),
        onProgress: (progress) => this.d.events.emit('ingest.progress', progress),
        onFileChanged: (dockSessionId, fileId) => this.d.events.emit('ingest.fileChanged', { dockSessionId, fileId }),
        log: this.d.log,
      },
      {
        dockSessionId: id,
        deviceId: device.id,
        serial: device.serial,
        model: device.model,
        officerId: session.officer_id,
        badge: binding?.badge ?? null,
        officerName: binding?.name ?? null,
        unitCode: binding?.unitId ?? null,
        unitName: binding?.unitName ?? null,
        profileId: entry.identified.profile.id,
        attachedAt: session.attached_at,
        clockSkewMs: session.clock_skew_ms,
        cameraClockText: session.camera_clock_text,
        volumeRoot: entry.identified.volume.root,
        unread: unread.map((n) => n.path),
        onCard: new Set(files.map((f) => f.relativePath)),
      },
      toCopy,
    );
    entry.job = job;
    this.jobs.set(id, job);
    try {
      return await job.done;
    } finally {
      this.jobs.delete(id);
      entry.job = null;
      if (job.stoppedForVault) this.incomingSwept = null;
      this.d.events.emit('dock.changed', { dockSessionId: id });
    }
  }

  /**
   * 第七条: where the model takes a time file, the station's time goes onto the
   * camera once its files are dealt with, the last thing before the dock is
   * finished and the board says "safe to remove" (never a write after that),
   * so the time the camera picks up is as fresh as it can be when it leaves
   * (it reads the file at its next start) and the write never competes with
   * the copy. A camera already gone, or one that cannot be written (read-only,
   * a FUSE error), leaves a dock notice with the reason: the footage is in
   * the vault either way. The next checkout's clock check reads clock_set_at.
   */
  private async setCameraClock(entry: Docked): Promise<void> {
    const { profile, volume } = entry.identified;
    if (profile.clock.set === 'none' || this.closing || this.docked.get(volume.id) !== entry) return;
    const id = entry.sessionId;
    try {
      const at = this.d.clock.now();
      const result = await writeCameraClock(profile, volume.root, utcToWallClock(at, this.d.timeZone));
      if (result.status === 'unsupported') return;
      this.d.writer.run(stationActor, (tx) => {
        if (result.status === 'written') {
          this.d.repo.setClockSet(id, at, result.text);
          tx.audit({
            action: 'dock.clock_set',
            objectType: 'dock_session',
            objectId: id,
            after: { path: result.path, time: result.text, timeZone: this.d.timeZone, clockSkewMs: this.d.repo.dockSession(id)?.clock_skew_ms ?? null },
          });
        } else {
          const message = `未能写入记录仪的校时文件，记录仪时间未校准，请手动校时。 / The camera's time file could not be written, so its clock was not set: set it by hand. 原因 / reason: ${result.reason}`;
          this.d.repo.addNotice(id, 'clock_set_failed', result.path, message, tx.at);
          tx.audit({ action: 'dock.notices', objectType: 'dock_session', objectId: id, after: { notices: [{ kind: 'clock_set_failed', path: result.path, code: result.code }] } });
        }
      });
    } catch (e) {
      // Recording the outcome failed (the station is closing): the offload itself stands.
      this.d.log(`setting the clock of dock ${id} failed`, e);
    }
  }

  /**
   * At checkout (领用): where the camera is on the dock and its model's library can write the
   * officer (the 公安部 interface's WriteZFYInfo), the officer's 警号 and 姓名 go onto the camera, so
   * what it records names who carries it. Never in the way of the checkout, which is already made:
   * the outcome (written, or why not) is audited on the camera. Null when there is nothing to do.
   */
  writeOfficerToCamera(deviceId: number, officerId: number): Promise<void> | null {
    const device = this.d.devices.find(deviceId);
    const officer = this.d.people.row(officerId);
    if (!device || !officer) return null;
    const entry = [...this.docked.values()].find((e) => this.d.repo.dockSession(e.sessionId)?.device_id === device.id);
    const profile = entry?.identified.profile;
    const spec = profile?.vendorLibrary;
    if (!profile || !spec?.functions.writeOfficer) return null;
    const settings = this.d.vendorSettings?.(profile.id);
    if (!settings) return null;
    return writeVendorOfficer(spec, settings, { badge: officer.badge, name: officer.name }, this.d.vendorLauncher ? { launcher: this.d.vendorLauncher } : {})
      .then((r) => {
        this.d.writer.run(stationActor, (tx) =>
          tx.audit({
            action: r.ok ? 'device.officer_written' : 'device.officer_write_failed',
            objectType: 'device',
            objectId: device.id,
            after: { serial: device.serial, badge: officer.badge, name: officer.name, profile: profile.id, calls: r.calls, ...(r.ok ? {} : { error: { code: r.error.code, message: r.error.message } }) },
          }),
        );
      })
      .catch((e: unknown) => this.d.log(`writing the officer to camera ${device.serial} failed`, e));
  }

  /** The camera left. A job still running stops; its unfinished files fail as "unplugged". */
  undock(volumeId: string): void {
    const entry = this.docked.get(volumeId);
    if (!entry) return;
    this.docked.delete(volumeId);
    entry.job?.stop('detached');
    this.d.writer.run(stationActor, (tx) => {
      this.d.repo.markDetached(entry.sessionId, tx.at);
      tx.audit({ action: 'dock.detached', objectType: 'dock_session', objectId: entry.sessionId });
    });
    this.d.events.emit('dock.detached', { dockSessionId: entry.sessionId });
  }

  /** After a custodian registered an unregistered camera: identify the still-docked volume again and ingest. */
  async retry(actor: Actor, dockSessionId: number): Promise<DockSessionView> {
    const entry = [...this.docked.values()].find((e) => e.sessionId === dockSessionId);
    if (!entry) {
      throw new StationError('invalid_state', '该记录仪已不在采集站上；请重新接入。 / That camera is no longer docked; dock it again.');
    }
    if (entry.job) return this.view(this.d.repo.dockSession(dockSessionId)!);
    const session = this.d.repo.dockSession(dockSessionId)!;
    if (session.state !== 'unregistered' && session.state !== 'failed' && session.state !== 'cancelled') {
      throw new StationError('invalid_state', '该接入无需重试。 / This dock does not need a retry.');
    }
    const open = session.serial ? this.d.alarms.openFor('unregistered_device', session.serial) : undefined;
    this.d.writer.run(actor, (tx) => {
      this.d.repo.markDetached(dockSessionId, tx.at);
      if (open && this.d.devices.findBySerial(session.serial!)) {
        this.d.alarms.resolve(open.id, actor.label, '已登记该执法记录仪 / camera registered', tx.at);
      }
      tx.audit({ action: 'dock.retried', objectType: 'dock_session', objectId: dockSessionId });
    });
    this.docked.delete(entry.identified.volume.id);
    const next = await this.dock(entry.identified, entry.source);
    next.done?.catch((e: unknown) => this.d.log(`ingest of dock ${next.dockSessionId} failed`, e));
    return this.view(this.d.repo.dockSession(next.dockSessionId)!);
  }

  private requireJob(dockSessionId: number): IngestJob {
    const job = this.jobs.get(dockSessionId);
    if (!job) throw new StationError('invalid_state', '该记录仪当前没有在导出。 / That camera is not being offloaded now.');
    return job;
  }

  pause(actor: Actor, dockSessionId: number): void {
    this.requireJob(dockSessionId).pause();
    this.d.writer.run(actor, (tx) => tx.audit({ action: 'ingest.paused', objectType: 'dock_session', objectId: dockSessionId }));
    this.d.events.emit('dock.changed', { dockSessionId });
  }

  resume(actor: Actor, dockSessionId: number): void {
    this.requireJob(dockSessionId).resume();
    this.d.writer.run(actor, (tx) => tx.audit({ action: 'ingest.resumed', objectType: 'dock_session', objectId: dockSessionId }));
    this.d.events.emit('dock.changed', { dockSessionId });
  }

  cancel(actor: Actor, dockSessionId: number): void {
    this.requireJob(dockSessionId).stop('cancelled');
    this.d.writer.run(actor, (tx) => tx.audit({ action: 'ingest.cancelled', objectType: 'dock_session', objectId: dockSessionId }));
  }

  /** A person resolves an alarm by hand, with a reason; each kind only by whom alarmResolvePermission names. */
  resolveAlarm(actor: Actor, id: number, resolution: string, may: (permission: Permission) => boolean): Alarm {
    const alarm = this.d.alarms.get(id);
    if (!alarm) throw new StationError('not_found', `没有编号为 ${id} 的告警。 / No alarm with id ${id}.`);
    const needed = alarmResolvePermission[alarm.kind];
    if (!may(needed)) {
      throw new StationError(
        'forbidden',
        needed === 'custody.supervise'
          ? '此告警涉及证据可能被改动或遗留，须由综合处处理。 / This alarm concerns evidence that may be altered or left behind: the general office resolves it.'
          : '您无权处理此告警。 / You may not resolve this alarm.',
        { permission: needed },
      );
    }
    if (alarm.resolvedAt !== null) throw new StationError('invalid_state', '该告警已处理。 / That alarm is already resolved.');
    this.d.writer.run(actor, (tx) => {
      this.d.alarms.resolve(id, actor.label, resolution, tx.at);
      tx.audit({ action: 'alarm.resolved', objectType: 'alarm', objectId: id, before: { kind: alarm.kind }, after: { resolution } });
      tx.emit('alarm.resolved', { id });
    });
    return this.d.alarms.get(id)!;
  }

  view(row: DockSessionRow): DockSessionView {
    const device = row.device_id === null ? undefined : this.d.devices.find(row.device_id);
    const binding = row.binding_json ? (JSON.parse(row.binding_json) as BindingValues) : null;
    const keeper: PersonRef | null = device?.keeper ?? null;
    return {
      id: row.id,
      label: row.label,
      source: row.source,
      profileId: row.profile_id,
      serial: row.serial,
      device: device ? { id: device.id, serial: device.serial, model: device.model, keeper } : null,
      binding: binding ? { badge: binding.badge, name: binding.name, unitName: binding.unitName } : null,
      state: row.state,
      stateReason: row.state_reason,
      clockSkewMs: row.clock_skew_ms,
      batteryPercent: row.battery_percent,
      freeBytes: row.free_bytes,
      filesTotal: row.files_total,
      filesCommitted: row.files_committed,
      filesFailed: row.files_failed,
      filesDuplicate: row.files_duplicate,
      bytesTotal: row.bytes_total,
      attachedAt: row.attached_at,
      finishedAt: row.finished_at,
      detachedAt: row.detached_at,
      progress: this.jobs.get(row.id)?.progress() ?? null,
    };
  }

  board(): { docks: DockSessionView[]; alarms: Alarm[] } {
    return { docks: this.d.repo.openDockSessions().map((r) => this.view(r)), alarms: this.d.alarms.open() };
  }

  history(deviceId: number, before: { attachedAt: number; id: number } | undefined, limit = 20): DockSessionView[] {
    this.d.devices.require(deviceId);
    return this.d.repo.dockHistory(deviceId, before ?? null, limit).map((r) => this.view(r));
  }

  /** The public dock status (`dock.lobby`): see DockLobbyView for what it leaves out, and why. */
  lobby(): DockLobby {
    return {
      // The open alarm, not a fresh look at the disk: this answers every screen's refresh.
      vaultAvailable: !this.d.alarms.openFor('vault_unavailable', null),
      docks: this.d.repo.openDockSessions().map((row) => {
        const progress = this.jobs.get(row.id)?.progress() ?? null;
        return {
          id: row.id,
          serial: (row.device_id === null ? undefined : this.d.devices.find(row.device_id)?.serial) ?? row.serial,
          state: row.state,
          filesTotal: row.files_total,
          filesCommitted: row.files_committed,
          filesDuplicate: row.files_duplicate,
          // Field by field, not a spread: what a public call answers is an allow-list (no file name).
          progress: progress && {
            dockSessionId: progress.dockSessionId,
            filesDone: progress.filesDone,
            filesTotal: progress.filesTotal,
            bytesDone: progress.bytesDone,
            bytesTotal: progress.bytesTotal,
            bytesPerSecond: progress.bytesPerSecond,
            etaSeconds: progress.etaSeconds,
          },
        };
      }),
    };
  }

  detail(id: number): DockSessionDetail {
    const row = this.d.repo.dockSession(id);
    if (!row) throw new StationError('not_found', `没有编号为 ${id} 的接入记录。 / No dock session with id ${id}.`);
    return {
      ...this.view(row),
      files: this.d.repo.filesWithDamage(id).map((f) => ({
        id: f.id,
        originalPath: f.original_path,
        size: f.size,
        kind: f.kind,
        state: f.state,
        failureKind: f.failure_kind,
        failureMessage: f.failure_message,
        attempts: f.attempts,
        clipId: f.clip_id,
        damaged: f.damaged === 1,
        damageReason: f.damage_reason,
        clockWrong: f.clock_wrong === 1,
      })),
      notices: this.d.repo.notices(id),
    };
  }

  /** Stops every running job (shutdown): their files fail as interrupted and are copied at the next dock. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.jobs.values()) job.stop('shutdown');
    await Promise.allSettled([...this.starting]);
    this.d.ownerLock.release();
  }
}
