import fs from 'node:fs/promises';
import path from 'node:path';
import type { IngestFailureKind, IngestProgress, IngestSummary } from '../../../shared/ingest.js';
import type { AlarmRepository } from '../alarms/repository.js';
import { stationActor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { HashAlgorithm } from '../config.js';
import type { WriteTx, Writer } from '../db/writer.js';
import type { WallClock } from '../docking/wall-clock.js';
import { wallClockToUtc } from '../docking/wall-clock.js';
import type { Copier } from './copier.js';
import { isCopyError, vaultError } from './copy/errors.js';
import type { CopyProgress, CopyResult } from './copy/types.js';
import type { DiscoveredFile } from './discover.js';
import { dateRecording, recordingFolder } from './dating.js';
import type { Limiter } from './limiter.js';
import { probeFile, type ProbeResult } from './probe.js';
import type { ProbeGuard } from './probe-guard.js';
import type { IngestFileRow, IngestRepository, SameBytesClip } from './repository.js';
import type { Committed, Sidecar, Vault } from './vault.js';
import { clipFromSidecar, fromNameOf, mediaFromProbe } from './vault.js';
import { VaultRepair } from './vault-repair.js';
import { raiseVaultLow } from './vault-space.js';

/** What a job knows about the camera it is emptying. */
export interface JobCamera {
  dockSessionId: number;
  deviceId: number;
  serial: string;
  model: string | null;
  officerId: number | null;
  badge: string | null;
  officerName: string | null;
  unitCode: string | null;
  unitName: string | null;
  profileId: string;
  attachedAt: number;
  clockSkewMs: number | null;
  cameraClockText: string | null;
  volumeRoot: string;
  /**
   * Every file path discovery found on the card this dock: a clip whose path is still among them
   * is not the one a file of the same bytes moved from (guarantee 4; IngestJob.sameBytes).
   */
  onCard: ReadonlySet<string>;
  /**
   * The parts of the footage tree discovery could not read whole (discover.ts `unread`: a folder
   * not listed, an entry not examined, a special file): footage may be left behind there, so the
   * dock cannot end done, whatever its files did.
   */
  unread: readonly string[];
}

export interface JobDeps {
  repo: IngestRepository;
  alarms: AlarmRepository;
  writer: Writer;
  vault: Vault;
  copier: Copier;
  clock: Clock;
  timeZone: string;
  algorithm: HashAlgorithm;
  /** Remove the file from the camera after its clip is committed (off by default). */
  eraseAfterCommit: boolean;
  /**
   * Files of one camera in flight at once. Only one of them reads the camera at a time
   * (`takeCamera`); the others are being verified from the vault or committed.
   */
  filesInFlight: number;
  /**
   * Why the vault cannot take files now (its disk not mounted, another vault: vault-guard.ts),
   * or null. Asked before the first copy and after a copy fails on the vault.
   */
  vaultProblem(): string | null;
  /** The ffprobe each stored file is checked with, told what each probe showed (probe-guard.ts). */
  probe: Pick<ProbeGuard, 'ffprobe' | 'observe'>;
  /** The station's probes at once (limiter.ts), shared by every camera's job. */
  probeSlots: Limiter;
  onProgress(progress: IngestProgress): void;
  onFileChanged(dockSessionId: number, fileId: number): void;
  /**
   * The last step on the camera before the dock is declared finished (and the board says
   * "safe to remove"): setting its clock (第七条). Skipped when the job was stopped. It must
   * not throw; whatever it writes on the camera is done before anyone is told to unplug it.
   */
  beforeFinish?: () => Promise<void>;
  log(message: string, error?: unknown): void;
}

/** A verified, probed and dated copy waiting for its batch commit (IngestJob.commitBatch). */
interface Pending {
  row: IngestFileRow;
  found: DiscoveredFile;
  temp: string;
  result: CopyResult;
  sidecar: Omit<Sidecar, 'vaultPath'>;
  folder: string;
  /** Clips of the same bytes hashed in the station's other algorithm (VaultRepair.sameBytesHashedOtherwise). */
  hashedOtherwise: SameBytesClip[];
  resolve(clipId: number | null): void;
  reject(e: unknown): void;
}

/**
 * Files one batch commits at most: enough that a camera's small files share their fsyncs and
 * transaction, few enough that one batch's wait stays a fraction of a second.
 */
const MAX_BATCH = 64;

/**
 * How long a batch waits for files a moment behind (nextBatch): about ten small files' copies
 * here, and nothing beside a large file's, whose commit it delays by that much at most.
 */
const BATCH_WAIT_MS = 25;

/** The notice on the dock for a file whose camera times cannot be true (ingest/dating.ts). */
const CAMERA_CLOCK_WRONG =
  '记录仪时钟有误：此文件的时间早于 2000 年或晚于本站时间一天以上，已按文件名或录像内嵌的合理时间归档（没有则放入 undated 目录），其记录仪时间不可作为事实。请为该记录仪校时。 / Camera clock wrong: this file\'s time is before 2000 or more than a day after the station\'s. It was filed by a plausible time from its name or its container (or under undated/ if none), and its camera time must not be taken as fact. Set the camera\'s clock.';

type StopReason = 'paused' | 'cancelled' | 'detached' | 'shutdown' | 'vault_unavailable';

const STOP_MESSAGES: Record<Exclude<StopReason, 'paused'>, { kind: IngestFailureKind; message: string }> = {
  cancelled: { kind: 'cancelled', message: '已取消；下次接入时重新复制。 / Cancelled; it is copied again at the next dock.' },
  shutdown: {
    kind: 'interrupted',
    message: '采集站关闭时尚未完成；下次接入时重新复制。 / The station closed before this finished; it is copied again at the next dock.',
  },
  detached: {
    kind: 'source_vanished',
    message: '记录仪在复制时被拔出；请重新接入，未完成的文件会重新复制。 / The camera was unplugged during the copy; dock it again to copy the unfinished files.',
  },
  vault_unavailable: {
    kind: 'vault_unavailable',
    message: '证据库不可用，未复制，仍在执法记录仪上；证据库恢复后重新接入。 / The vault is unavailable, so this was not copied and stays on the camera; dock again once the vault is back.',
  },
};

/**
 * One dock session's ingest: every discovered file through
 * copying → verifying → committed | failed | duplicate, each step persisted,
 * with pause, resume and cancel. Files of several cameras share the copy
 * slots, so many docked cameras never overload the disk or the CPU.
 */
export class IngestJob {
  private controller = new AbortController();
  private stopReason: StopReason | null = null;
  private resumeWaiters: Array<() => void> = [];
  private readonly inflight = new Map<number, number>(); // fileId → bytes of progress
  private bytesFinished = 0;
  private filesFinished = 0;
  private current: string | null = null;
  /** Settles when the file reading the camera now has read it whole (see takeCamera). */
  private cameraQueue: Promise<void> = Promise.resolve();
  private lastEmit = 0;
  private readonly speed: Array<[number, number]> = []; // (time, bytesDone) samples
  private damaged = 0;
  /** The vault guard's message when the job stopped for 'vault_unavailable': the dock's reason. */
  private vaultProblemMessage: string | null = null;
  readonly done: Promise<IngestSummary>;
  private readonly repair: VaultRepair;

  constructor(
    private readonly d: JobDeps,
    private readonly camera: JobCamera,
    private readonly files: Array<{ row: IngestFileRow; found: DiscoveredFile }>,
  ) {
    this.repair = new VaultRepair(d, camera);
    this.done = this.run();
  }

  get paused(): boolean {
    return this.stopReason === 'paused';
  }

  /** Stopped because the vault went away: copies cut off may have left files in its incoming area. */
  get stoppedForVault(): boolean {
    return this.stopReason === 'vault_unavailable';
  }

  pause(): void {
    if (this.stopReason) return;
    this.stopReason = 'paused';
    this.controller.abort(new Error('paused'));
    this.d.writer.run(stationActor, () => this.d.repo.setDockState(this.camera.dockSessionId, 'paused', null, null));
    this.emitProgress(true);
  }

  resume(): void {
    if (this.stopReason !== 'paused') return;
    this.stopReason = null;
    this.controller = new AbortController();
    this.d.writer.run(stationActor, () => this.d.repo.setDockState(this.camera.dockSessionId, 'ingesting', null, null));
    for (const w of this.resumeWaiters.splice(0)) w();
  }

  /** Cancel (by a person), detached (the camera went away) or shutdown: unfinished files fail with the reason. */
  stop(reason: Exclude<StopReason, 'paused'>): void {
    const wasPaused = this.stopReason === 'paused';
    this.stopReason = reason;
    this.controller.abort(new Error(reason));
    if (wasPaused) for (const w of this.resumeWaiters.splice(0)) w();
  }

  private bytesDone(): number {
    let inflight = 0;
    for (const b of this.inflight.values()) inflight += b;
    return this.bytesFinished + inflight;
  }

  progress(): IngestProgress {
    const bytesTotal = this.files.reduce((s, f) => s + f.row.size, 0);
    const bytesDone = Math.min(this.bytesDone(), bytesTotal);
    const now = this.d.clock.now();
    const first = this.speed.find(([t]) => now - t <= 5000) ?? this.speed[0];
    const bytesPerSecond = first && now > first[0] ? Math.max(0, ((bytesDone - first[1]) * 1000) / (now - first[0])) : 0;
    return {
      dockSessionId: this.camera.dockSessionId,
      filesDone: this.filesFinished,
      filesTotal: this.files.length,
      bytesDone,
      bytesTotal,
      bytesPerSecond: Math.round(bytesPerSecond),
      etaSeconds: bytesPerSecond > 0 ? Math.ceil((bytesTotal - bytesDone) / bytesPerSecond) : null,
      current: this.current,
    };
  }

  private emitProgress(force = false): void {
    const now = this.d.clock.now();
    // Progress is for eyes: a few updates a second is plenty, and never a flood of IPC.
    if (!force && now - this.lastEmit < 250) return;
    this.lastEmit = now;
    this.speed.push([now, this.bytesDone()]);
    while (this.speed.length > 64) this.speed.shift();
    this.d.onProgress(this.progress());
  }

  /** Stops the job when the vault cannot take files; true when it is stopped for that, now or before. */
  private stopIfVaultUnavailable(): boolean {
    if (this.stopReason === 'vault_unavailable') return true;
    if (this.stopReason && this.stopReason !== 'paused') return false;
    const message = this.d.vaultProblem();
    if (message === null) return false;
    this.vaultProblemMessage = message;
    this.stop('vault_unavailable');
    return true;
  }

  private async waitIfPaused(): Promise<void> {
    while (this.stopReason === 'paused') await new Promise<void>((r) => this.resumeWaiters.push(r));
  }

  private async run(): Promise<IngestSummary> {
    const started = this.d.clock.now();
    const queue = [...this.files];
    this.emitProgress(true);
    // Nothing to copy (every file already a clip) needs no vault: the dock finishes as usual.
    if (queue.length > 0) this.stopIfVaultUnavailable();
    const worker = async () => {
      for (;;) {
        await this.waitIfPaused();
        if (this.stopReason) return;
        const next = queue.shift();
        if (!next) return;
        const outcome = await this.processFile(next.row, next.found);
        if (outcome === 'retry') queue.unshift(next); // paused mid-copy: the file goes back to the front
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.d.filesInFlight) }, worker));
    // Whatever was never started (cancel, detach) fails with the reason, so nothing is left "discovered".
    if (this.stopReason && this.stopReason !== 'paused') {
      const stop = STOP_MESSAGES[this.stopReason];
      for (const f of queue) {
        this.fail(f.row, stop.kind, stop.message);
        // Counted as done, like a file that failed mid-copy: the last progress of a
        // stopped dock must read "all files dealt with", not "2 of 7" forever.
        this.finishFile(f.row);
      }
    } else if (!this.stopReason) {
      await this.d.beforeFinish?.();
    }
    return this.finish(started);
  }

  private finish(started: number): IngestSummary {
    const id = this.camera.dockSessionId;
    const files = this.d.repo.files(id);
    const count = (s: string) => files.filter((f) => f.state === s).length;
    const failed = count('failed');
    const unread = this.camera.unread;
    const state = this.stopReason === 'cancelled' ? 'cancelled' : failed > 0 || unread.length > 0 ? 'failed' : 'done';
    // Issue 17: what could not be read may hide footage, so it is said beside any files that failed.
    const shown = unread.slice(0, 3).join(', ') + (unread.length > 3 ? ', …' : '');
    const unreadReason =
      unread.length === 0
        ? null
        : `记录仪上有 ${unread.length} 处未能读取（${shown}），其中的资料可能仍在记录仪上：请勿取走，按告警处理后重新接入。 / ${unread.length} part(s) of the camera could not be read (${shown}); footage may still be on it: do not take it away; follow the alarm, then dock again.`;
    const filesReason =
      failed === 0
        ? null
        : (this.vaultProblemMessage ??
          `${failed} 个文件未能导出保存，请查看原因后重新接入。 / ${failed} file(s) could not be offloaded; see why, then dock again.`);
    const reason = state === 'done' ? null : state === 'cancelled' ? '已取消。 / Cancelled.' : [filesReason, unreadReason].filter((r) => r !== null).join(' ');
    const at = this.d.clock.now();
    this.d.writer.run(stationActor, (tx) => {
      this.d.repo.refreshCounts(id);
      this.d.repo.setDockState(id, state, reason, at);
      tx.audit({
        action: 'dock.finished',
        objectType: 'dock_session',
        objectId: id,
        after: { state, committed: count('committed'), duplicate: count('duplicate'), failed, damaged: this.damaged, unread: unread.length },
      });
    });
    this.current = null;
    this.emitProgress(true);
    return {
      dockSessionId: id,
      state,
      committed: count('committed'),
      duplicate: count('duplicate'),
      failed,
      damaged: this.damaged,
      bytes: files.filter((f) => f.state === 'committed').reduce((s, f) => s + f.size, 0),
      durationMs: at - started,
    };
  }

  private setState(row: IngestFileRow, state: 'copying' | 'verifying' | 'discovered'): void {
    // A passing step: recovery makes any of these `interrupted` after a crash (Writer.runUnsynced).
    this.d.writer.runUnsynced(() => this.d.repo.setFileState(row.id, state, this.d.clock.now()));
    this.d.onFileChanged(this.camera.dockSessionId, row.id);
  }

  private fail(row: IngestFileRow, kind: IngestFailureKind, message: string): void {
    this.d.writer.run(stationActor, (tx) => {
      this.d.repo.setFileState(row.id, 'failed', tx.at, { kind, message });
      this.d.repo.refreshCounts(this.camera.dockSessionId);
      tx.audit({
        action: 'ingest.file_failed',
        objectType: 'ingest_file',
        objectId: row.id,
        after: { serial: this.camera.serial, path: row.original_path, size: row.size, reason: kind },
      });
    });
    this.d.onFileChanged(this.camera.dockSessionId, row.id);
  }

  /**
   * Waits until no other file of this camera is reading it, and returns the release (which may
   * be called more than once). A camera is one USB device: two files read at once only
   * interleave requests on one slow bus. The fsync and the read-back touch the vault, not the
   * camera, so the next file may start as soon as this one's camera file is read whole.
   */
  private async takeCamera(): Promise<() => void> {
    const previous = this.cameraQueue;
    let release!: () => void;
    this.cameraQueue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  /** One file, start to end. 'retry' means a pause interrupted it and it goes back in the queue. */
  private async processFile(row: IngestFileRow, found: DiscoveredFile): Promise<'ok' | 'retry'> {
    this.coming++;
    let stored = false;
    try {
      return await this.copyAndStore(row, found, () => {
        stored = true;
        this.coming--;
      });
    } finally {
      if (!stored) {
        this.coming--;
        // One file fewer on its way: the files waiting need not wait for it.
        this.nextBatch();
      }
    }
  }

  /** processFile's steps; `waiting` is called as the file joins the files waiting for a batch. */
  private async copyAndStore(row: IngestFileRow, found: DiscoveredFile, waiting: () => void): Promise<'ok' | 'retry'> {
    const temp = this.d.vault.tempPath(`s${this.camera.dockSessionId}-f${row.id}`);
    let result: CopyResult;
    // The file is `copying` from the moment a worker starts on it (its first progress),
    // not while it waits for the camera or in the pool's queue behind other cameras' files.
    let copying = false;
    let verifying = false;
    const releaseCamera = await this.takeCamera();
    // Taken after the wait: a pause and resume while it waited replaced the controller.
    const signal = this.controller.signal;
    this.current = row.original_path;
    try {
      result = await this.d.copier.copy(
        { source: found.absolutePath, destination: temp, algorithm: this.d.algorithm, readBack: true },
        {
          signal,
          onProgress: (p: CopyProgress) => {
            if (!copying) {
              copying = true;
              this.setState(row, 'copying');
            }
            // The camera's file read whole and found unchanged: the file is `verifying` (its copy
            // made durable, then read back), and the next file may read the camera meanwhile. For a
            // small file the fsync is most of its time, so holding the camera through it made a
            // camera's photos as slow as one fsync each.
            const readWhole = p.phase === 'syncing' || p.phase === 'verifying';
            if (readWhole && !verifying) {
              verifying = true;
              this.setState(row, 'verifying');
              releaseCamera();
            }
            // Copy and read-back each count for half the file's share of the bar.
            const done = p.phase === 'verifying' ? row.size + p.bytesDone : p.phase === 'syncing' ? row.size : p.bytesDone;
            this.inflight.set(row.id, Math.floor(done / 2));
            this.emitProgress();
          },
        },
      )
      // Settled, the file reads the camera no more (a copy without a read-back never reports verifying).
      .finally(releaseCamera);
    } catch (e) {
      this.inflight.delete(row.id);
      await fs.rm(temp, { force: true });
      if (this.stopReason === 'paused') {
        this.setState(row, 'discovered');
        return 'retry';
      }
      if (this.stopReason) {
        const stop = STOP_MESSAGES[this.stopReason];
        this.fail(row, stop.kind, stop.message);
      } else this.failWith(row, e);
      this.finishFile(row);
      return 'ok';
    }
    try {
      await this.store(row, found, temp, result, waiting);
    } catch (e) {
      await fs.rm(temp, { force: true });
      // A failed system call while moving into the vault (disk full writing the sidecar) is the vault's.
      const errno = (e as NodeJS.ErrnoException | null)?.code;
      if (this.stopReason === 'vault_unavailable') this.fail(row, 'vault_unavailable', STOP_MESSAGES.vault_unavailable.message);
      else this.failWith(row, typeof errno === 'string' && /^E[A-Z]+$/.test(errno) ? vaultError(e, 'commit to vault', temp) : e);
    }
    this.inflight.delete(row.id);
    this.finishFile(row);
    return 'ok';
  }

  private finishFile(row: IngestFileRow): void {
    this.inflight.delete(row.id);
    this.bytesFinished += row.size;
    this.filesFinished++;
    this.emitProgress(true);
  }

  private failWith(row: IngestFileRow, e: unknown): void {
    if (isCopyError(e)) {
      this.fail(row, e.kind, `${e.messages['zh-CN']} / ${e.messages.en} (${e.detail})`);
      // Both alarms are announced (alarm.raised), as the unregistered-camera one is:
      // without the event the board learns of a full vault only at its next refresh.
      if (e.kind === 'verify_mismatch') {
        this.d.writer.run(stationActor, (tx) => {
          this.d.alarms.raise({
            kind: 'verify_failure',
            dockSessionId: this.camera.dockSessionId,
            deviceId: this.camera.deviceId,
            serial: this.camera.serial,
            details: { path: row.original_path },
            at: this.d.clock.now(),
          });
          tx.emit('alarm.raised', { kind: 'verify_failure' });
        });
      }
      if (e.kind === 'vault_full') raiseVaultLow(this.d, { vault: this.d.vault.root });
      // A vault disk that went away mid-dock fails the rest at once, with the reason, instead of
      // each file trying the missing disk in turn.
      if (e.kind === 'vault_io' || e.kind === 'vault_full') this.stopIfVaultUnavailable();
      return;
    }
    this.d.log(`ingest of ${row.original_path} failed`, e);
    const message = e instanceof Error ? e.message : String(e);
    this.fail(row, 'internal', `采集站内部错误：${message} / Internal error: ${message}`);
  }

  /**
   * What is probed and dated, waiting for the next batch commit (see commitBatch). Files reach it
   * as their copies are verified and probed; a batch takes every one waiting.
   */
  private readonly pending: Pending[] = [];
  private batchRunning = false;
  private batchTimer: NodeJS.Timeout | null = null;
  /** Files of this job being copied or probed: each will soon wait for a batch (nextBatch). */
  private coming = 0;

  /**
   * A verified copy to the vault: probed (off the copy's path: the camera is already reading the
   * next file), dated, then committed in the next batch. The clip's id, or null for a duplicate.
   */
  private async store(row: IngestFileRow, found: DiscoveredFile, temp: string, result: CopyResult, waiting: () => void): Promise<number | null> {
    const kind = found.parsed.kind;
    // Guarantee 3: a recording that does not play is still evidence: committed bit-exact, flagged.
    // Not stopped by pause, cancel or unplug: the copy is already verified and only
    // needs the vault, not the camera. A probe killed half-way read as "damaged"
    // ("ffprobe: The operation was aborted") and flagged a good clip for good, since
    // the next dock sees it as a duplicate. The probe's own timeout bounds the wait.
    const probe: ProbeResult | null =
      kind === 'other'
        ? null
        : await this.d.probeSlots.run(() => probeFile(temp, kind, { size: row.size, ffprobe: this.d.probe.ffprobe, name: path.posix.basename(row.original_path) }));
    if (probe) this.d.probe.observe(probe);
    const cameraStartAt = found.parsed.start ? this.utcOf(found.parsed.start) : null;
    const committedAt = this.d.clock.now();
    const dating = dateRecording(
      { cameraStartAt, clockSkewMs: this.camera.clockSkewMs, embeddedCreatedAt: probe?.embeddedCreatedAt ?? null, mtimeMs: row.mtime_ms },
      committedAt,
    );
    const sidecar: Omit<Sidecar, 'vaultPath'> = {
      format: 'evidence-station.clip/1',
      kind,
      hash: { algorithm: this.d.algorithm, value: result.hash },
      verification: result.verification,
      ...(result.sourceSha256 ? { sourceSha256: result.sourceSha256 } : {}),
      device: { serial: this.camera.serial, model: this.camera.model },
      officer: { badge: this.camera.badge, name: this.camera.officerName, unitCode: this.camera.unitCode, unitName: this.camera.unitName },
      original: {
        path: row.original_path,
        size: row.size,
        mtimeMs: row.mtime_ms,
        cameraStartText: found.parsed.startText,
        cameraStartAt,
        startAt: dating.startAt,
        ...(dating.clockWrong ? { clockWrong: true as const } : {}),
        ...fromNameOf(found.parsed.serial, found.parsed.badge, found.parsed.seq),
      },
      media: mediaFromProbe(probe, found.parsed.important),
      dock: {
        attachedAt: this.camera.attachedAt,
        clockSkewMs: this.camera.clockSkewMs,
        cameraClockText: this.camera.cameraClockText,
        profileId: this.camera.profileId,
      },
      committedAt,
    };
    const folder = recordingFolder(dating.startAt, this.camera.attachedAt, this.camera.serial, this.d.timeZone);
    const hashedOtherwise = await this.repair.sameBytesHashedOtherwise(row, temp, result);
    const clipId = await new Promise<number | null>((resolve, reject) => {
      this.pending.push({ row, found, temp, result, sidecar, folder, hashedOtherwise, resolve, reject });
      waiting();
      this.nextBatch();
    });
    if (clipId !== null && this.d.eraseAfterCommit) await this.eraseFromCamera(row, found, clipId);
    return clipId;
  }

  /**
   * Starts the next batch commit: at once when a batch is full or no other file of the camera is
   * on its way to one; otherwise after BATCH_WAIT_MS, so that files a moment behind share it.
   * Started as soon as one file waited, a batch held one or two small files, and each paid the
   * batch's syncs (the recorded names, the folders, the index, the audit anchor) nearly alone.
   */
  private nextBatch(): void {
    if (this.batchRunning || this.pending.length === 0) return;
    if (this.pending.length < MAX_BATCH && this.coming > 0) {
      this.batchTimer ??= setTimeout(() => {
        this.batchTimer = null;
        this.startBatch();
      }, BATCH_WAIT_MS);
      return;
    }
    this.startBatch();
  }

  private startBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.batchRunning || this.pending.length === 0) return;
    this.batchRunning = true;
    const batch = this.pending.splice(0, MAX_BATCH);
    void this.commitBatch(batch)
      .catch((e: unknown) => {
        for (const p of batch) p.reject(e);
      })
      .finally(() => {
        this.batchRunning = false;
        this.nextBatch();
      });
  }

  /**
   * Commits every file waiting, one batch of this camera at a time (two identical files checked at
   * the same moment would both find no clip with their bytes). Each file is first held against
   * the camera's clips of the same bytes (guarantee 4); the new recordings then go into the vault
   * together (Vault.commitMany: each file's own steps, the fsyncs shared) and into the index in
   * one transaction, with their audit rows. Guarantee 1 is whole for each: its copy was read back
   * and matched before it got here, and its row is written only after its rename is durable.
   */
  private async commitBatch(batch: Pending[]): Promise<void> {
    const fresh: Pending[] = [];
    for (const p of batch) {
      try {
        const settled = await this.sameBytes(p);
        if (settled === 'new') fresh.push(p);
        else p.resolve(settled);
      } catch (e) {
        p.reject(e);
      }
    }
    if (fresh.length === 0) return;
    // The vault's disk may have gone since the copy started (the copy was written through an
    // open file): no folder is made and nothing moved on whatever stands in its place.
    if (this.stopIfVaultUnavailable()) {
      for (const p of fresh) p.reject(new Error('vault unavailable'));
      return;
    }
    // An earlier commit of a file that reached the vault but not the index (a crash between the
    // two) is adopted; this commit's own choices are recorded before the renames, for the same
    // reason (migration 0080).
    const outcomes = await this.d.vault.commitMany(
      fresh.map((p) => ({
        tempFile: p.temp,
        folder: p.folder,
        originalName: path.posix.basename(p.row.original_path),
        sidecar: p.sidecar,
        earlier: this.d.repo.unindexedVaultPaths(this.camera.deviceId, p.row.original_path, p.row.size, p.row.mtime_ms),
        indexed: (vaultPath: string) => this.d.repo.vaultPathIndexed(this.camera.deviceId, vaultPath, p.sidecar.original.startAt ?? this.camera.attachedAt),
      })),
      (chosen) => this.d.writer.run(stationActor, () => chosen.forEach((c) => this.d.repo.setFileVaultPath(fresh[c.index]!.row.id, c.vaultPath))),
    );
    const stored: Array<{ p: Pending; committed: Committed }> = [];
    outcomes.forEach((o, i) => {
      if ('error' in o) fresh[i]!.reject(o.error);
      else stored.push({ p: fresh[i]!, committed: o });
    });
    if (stored.length === 0) return;
    let ids: number[];
    try {
      ids = this.d.writer.run(stationActor, (tx) => {
        const made = stored.map(({ p, committed }) => this.indexClip(tx, p, committed));
        this.d.repo.refreshCounts(this.camera.dockSessionId);
        return made;
      });
    } catch (e) {
      for (const { p } of stored) p.reject(e);
      return;
    }
    stored.forEach(({ p, committed }, i) => {
      if (committed.sidecar.media.damaged) this.damaged++;
      this.d.onFileChanged(this.camera.dockSessionId, p.row.id);
      p.resolve(ids[i]!);
    });
  }

  /** One stored copy's index row, file state, notices and audit row, in the batch's transaction. */
  private indexClip(tx: WriteTx, p: Pending, committed: Committed): number {
    const { row, result } = p;
    const { vaultPath } = committed;
    // `chosen` recorded a new copy's path; an adopted copy's is recorded here.
    if (committed.adopted) this.d.repo.setFileVaultPath(row.id, vaultPath);
    // The row says what the sidecar in the vault says (an adopted copy's: the first
    // attempt's clock skew and commit time), so rebuild-index makes the same row.
    const id = this.d.repo.insertClip(
      clipFromSidecar(committed.sidecar, { deviceId: this.camera.deviceId, dockSessionId: this.camera.dockSessionId, officerId: this.camera.officerId }),
    );
    this.d.repo.setFileState(row.id, 'committed', tx.at, null, id);
    if (committed.sidecar.original.clockWrong) this.d.repo.addNotice(this.camera.dockSessionId, 'camera_clock_wrong', row.original_path, CAMERA_CLOCK_WRONG, tx.at);
    tx.audit({
      action: 'clip.committed',
      objectType: 'clip',
      objectId: id,
      after: {
        serial: this.camera.serial,
        path: row.original_path,
        size: row.size,
        hash: result.hash,
        algorithm: this.d.algorithm,
        vaultPath,
        damaged: committed.sidecar.media.damaged,
        verification: result.verification,
        ...(result.sourceSha256 ? { sourceSha256: result.sourceSha256 } : {}),
        ...(committed.sidecar.original.clockWrong ? { clockWrong: true, startAt: committed.sidecar.original.startAt } : {}),
        ...(committed.adopted ? { adopted: true } : {}),
      },
    });
    return id;
  }

  /**
   * Guarantee 4, second test: whether this copy is a clip the camera already has, by its bytes.
   * Only the same camera file (same path, size and time: one the vault lost or a check found
   * altered, let through for that) or the same file moved to another path (size, time and bytes
   * equal, its old path gone from the card) is; a file whose bytes merely equal a clip's (the
   * empty files a fault leaves, a photo saved twice) is a recording of its own: 'new'.
   */
  private async sameBytes(p: Pending): Promise<number | null | 'new'> {
    const { row, temp, result } = p;
    const candidates = [...this.d.repo.clipsBySameBytes(this.camera.deviceId, row.size, row.mtime_ms, this.d.algorithm, result.hash), ...p.hashedOtherwise];
    if (candidates.length === 0) return 'new';
    const known = this.d.repo.clipByIdentity(this.camera.deviceId, row.original_path, row.size, row.mtime_ms);
    const same = candidates.find((c) => c.id === known?.id) ?? candidates.find((c) => this.goneFromCard(c.original_path));
    if (!same) return 'new';
    const moved = same.id !== known?.id;
    // Unless the vault has lost them (a dead disk replaced, a file removed): then this copy,
    // whose bytes hash to the clip's, goes back in its place. Asked only of this station's
    // vault: one that is not mounted has "lost" everything.
    if (this.stopIfVaultUnavailable()) throw new Error('vault unavailable');
    if (!(await this.d.vault.has(same.vault_path))) return this.putBack(row, same, temp, result, undefined, moved);
    // Or the last check found the vault's file altered, and it still is: the altered file is
    // set aside, kept as it is, and this copy goes in its place.
    const altered = await this.repair.alteredInVault(same);
    if (altered) return this.putBack(row, same, temp, result, altered, moved);
    await fs.rm(temp, { force: true });
    await this.duplicateByHash(row, same, moved);
    return null;
  }

  /**
   * Whether a clip's path is known to be gone from the card: not found this dock, and not under a
   * part discovery could not read whole (there it may still be, and a file of the same bytes
   * elsewhere is then another recording, not the clip moved).
   */
  private goneFromCard(originalPath: string): boolean {
    if (this.camera.onCard.has(originalPath)) return false;
    return !this.camera.unread.some((part) => originalPath === part || originalPath.startsWith(`${part}/`));
  }

  /** VaultRepair.putBack, and what the dock does after: a duplicate when it was there after all. */
  private async putBack(row: IngestFileRow, clip: SameBytesClip, temp: string, result: CopyResult, altered: { actualHash: string } | undefined, moved: boolean): Promise<number | null> {
    const put = await this.repair.putBack(row, clip, temp, result, altered);
    if (put === null) await this.duplicateByHash(row, clip, moved);
    else {
      if (moved) await this.recordMoved(row, clip);
      this.d.onFileChanged(this.camera.dockSessionId, row.id);
    }
    return put;
  }

  /**
   * Guarantee 4, second test, met: the file's bytes are this clip's, already in the vault; a file
   * that moved on the camera has its new path recorded on the clip.
   */
  private async duplicateByHash(row: IngestFileRow, clip: SameBytesClip, moved: boolean): Promise<void> {
    if (moved) await this.recordMoved(row, clip);
    this.d.writer.run(stationActor, (tx) => {
      this.d.repo.setFileState(row.id, 'duplicate', tx.at, null, clip.id);
      this.d.repo.refreshCounts(this.camera.dockSessionId);
      tx.audit({
        action: 'ingest.file_duplicate',
        objectType: 'ingest_file',
        objectId: row.id,
        after: { path: row.original_path, clipId: clip.id, by: moved ? 'moved' : 'hash', ...(moved ? { from: clip.original_path } : {}) },
      });
    });
    this.d.onFileChanged(this.camera.dockSessionId, row.id);
  }

  /** The clip's file is at another path on the camera now: said in its sidecar first (durable), then in the index, audited. */
  private async recordMoved(row: IngestFileRow, clip: SameBytesClip): Promise<void> {
    const at = this.d.clock.now();
    await this.d.vault.recordMoved(clip.vault_path, { path: row.original_path, at });
    this.d.writer.run(stationActor, (tx) => {
      const added = this.d.repo.addMoved({
        clipId: clip.id,
        deviceId: this.camera.deviceId,
        originalPath: row.original_path,
        size: row.size,
        mtimeMs: row.mtime_ms,
        dockSessionId: this.camera.dockSessionId,
        at,
      });
      if (added) tx.audit({ action: 'clip.moved_on_camera', objectType: 'clip', objectId: clip.id, after: { serial: this.camera.serial, from: clip.original_path, path: row.original_path } });
    });
  }

  /** Guarantee 5: only after the commit, and only if the file on the camera is still the one copied. */
  private async eraseFromCamera(row: IngestFileRow, found: DiscoveredFile, clipId: number): Promise<void> {
    try {
      const st = await fs.lstat(found.absolutePath);
      if (!st.isFile() || st.size !== row.size || Math.trunc(st.mtimeMs) !== row.mtime_ms) return;
      await fs.unlink(found.absolutePath);
      this.d.writer.run(stationActor, (tx) =>
        tx.audit({ action: 'clip.source_erased', objectType: 'clip', objectId: clipId, after: { serial: this.camera.serial, path: row.original_path } }),
      );
    } catch (e) {
      this.d.log(`could not erase ${row.original_path} from the camera`, e);
    }
  }

  private utcOf(w: WallClock): number | null {
    try {
      return wallClockToUtc(w, this.d.timeZone);
    } catch {
      return null;
    }
  }
}

