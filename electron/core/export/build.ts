// Building an export's discs (issue 21): plan the discs, write each disc's tag files (the bag,
// the manifests, the 说明 sheet, the chain of custody), make its ISO image with xorriso straight
// from the vault, and read the image back: only an image whose every file hashes as the vault's
// record says is kept, and only when every disc is, is the export ready.
//
// Why the originals are not first copied into a staging folder (the design card's step): xorriso
// reads them from the vault, read-only, and the read-back of the image itself is compared with
// the vault's record, so what ships is proved equal to what was stored; a staging copy would only
// add a write and a read of every byte before the image and prove less (the staging copy, not the
// disc). Only the tag files are staged, under the data folder, never in the vault.
//
// A build runs in xorriso's processes and in the read-back's reads; a restart of the core finds
// the export still `building` and runs the build again from its record: discs already read back
// equal are kept if their image is still there, whole; everything else is made again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import type { BuildFailure, ExportProgress } from '../../../shared/export.js';
import { exportNo } from '../../../shared/export.js';
import { formatStationTime } from '../../../shared/time.js';
import type { AlarmRepository } from '../alarms/repository.js';
import { stationActor } from '../audit/actor.js';
import { auditEntryOf, type AuditRow } from '../audit/log.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { EventBus } from '../events.js';
import type { Copier } from '../ingest/copier.js';
import { withoutVaultPaths } from '../library/clip-detail.js';
import { bagInfoText, bagitText, byPath, manifestText, payloadEntries, totalBytes, type PayloadFile } from './bag.js';
import { custodyCsv, type CustodyMeta } from './custody-record.js';
import { buildImage, discName, volumeIdFor, type ImageEntry } from './image.js';
import { mediaSpace } from './burn.js';
import { FileTooLargeError, MEDIA, planDiscs } from './media.js';
import { prefetch } from './prefetch.js';
import { PROGRESS_EVERY_MS, ProgressMeter } from './progress.js';
import { readBack, type ExpectedFile } from './readback.js';
import { recipientLine, exportRow, type ExportRow } from './records.js';
import { checkMethodText, sheetText, type SheetFile, type SheetInput } from './sheet.js';
import { renderPdfOffThread } from './pdf.js';

export interface BuildDeps {
  db: Db;
  writer: Writer;
  events: EventBus;
  alarms: AlarmRepository;
  copier: Pick<Copier, 'hash'>;
  /** `<dataDir>/exports`: staging and images, private like the rest of the data folder. */
  exportsDir: string;
  stationName: string;
  timeZone: string;
  font: { file?: string; face?: string };
  absolute(vaultPath: string): string;
  vaultReady(): boolean;
  xorriso?: string;
  log(message: string, error?: unknown): void;
}

/** One clip as it goes onto a disc. */
interface DiscFile {
  clipId: number;
  position: number;
  /** Under data/: '<camera>/<name>'. */
  path: string;
  nameLength: number;
  size: number;
  source: string;
  hash: string;
  algorithm: 'sha256' | 'sm3';
  /** The SHA-256 the manifest gives: the record's, or (an SM3 clip) hashed from the vault first. */
  sha256: string | null;
  sheet: Omit<SheetFile, 'discPath' | 'sha256' | 'sm3'>;
}

interface ClipRow {
  position: number;
  disc: number | null;
  disc_path: string | null;
  sha256: string | null;
  clip_id: number;
  original_path: string;
  size: number;
  hash: string;
  hash_algorithm: 'sha256' | 'sm3';
  vault_path: string;
  verification: string;
  start_at: number | null;
  duration_ms: number | null;
  damaged: number;
  damage_reason: string | null;
  serial: string;
  officer_name: string | null;
  officer_badge: string | null;
  badge: string | null;
}

/** The tag files' budget on each disc: the sheet grows with its files, the custody record with their history. */
export const tagBudget = (files: number): number => 4 * 1024 * 1024 + files * 64 * 1024;

class BuildFailed extends Error {
  constructor(
    readonly code: BuildFailure,
    message: string,
  ) {
    super(message);
  }
}

export class ExportBuilder {
  private readonly running = new Map<number, { abort: AbortController; done: Promise<void>; meter: ProgressMeter | null }>();

  constructor(private readonly d: BuildDeps) {}

  progress(id: number): ExportProgress | null {
    return this.running.get(id)?.meter?.value ?? null;
  }

  /** Resolves when the build of this export running now ends (at once when none runs). */
  settled(id: number): Promise<void> {
    return this.running.get(id)?.done ?? Promise.resolve();
  }

  /** Starts the build of an export in state building (a second call while it runs does nothing). */
  start(id: number): void {
    if (this.running.has(id)) return;
    const abort = new AbortController();
    const entry = { abort, meter: null as ProgressMeter | null, done: Promise.resolve() };
    entry.done = this.run(id, abort.signal, (m) => (entry.meter = m))
      .catch((e: unknown) => this.d.log(`building export ${exportNo(id)} failed`, e))
      .finally(() => this.running.delete(id));
    this.running.set(id, entry);
  }

  /** Builds every export a stopped core left `building`, from its record. */
  resume(): number[] {
    const ids = prepared<[], { id: number }>(this.d.db, "SELECT id FROM export WHERE state = 'building' ORDER BY id").all().map((r) => r.id);
    for (const id of ids) {
      if (this.running.has(id)) continue;
      this.d.writer.run(stationActor, (tx) => tx.audit({ action: 'export.resumed', objectType: 'export', objectId: id, after: { state: 'building' } }));
      this.start(id);
    }
    return ids;
  }

  /** Stops a running build and removes what the export left on disk (its images leave with it). */
  async discard(id: number): Promise<void> {
    const run = this.running.get(id);
    if (run) {
      run.abort.abort();
      await run.done;
    }
    await fsp.rm(this.dirOf(id), { recursive: true, force: true });
  }

  /** Waits for every running build (closing the station). */
  async close(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  dirOf(id: number): string {
    return path.join(this.d.exportsDir, exportNo(id));
  }

  /** The image file of a disc, whether made yet or not. */
  imageOf(id: number, disc: number, discs: number): string {
    return path.join(this.dirOf(id), `${exportNo(id)}-${disc}of${discs}.iso`);
  }

  private async run(id: number, signal: AbortSignal, setMeter: (m: ProgressMeter) => void): Promise<void> {
    try {
      await this.build(id, signal, setMeter);
    } catch (e) {
      if (signal.aborted) return;
      const failure = e instanceof BuildFailed ? e : new BuildFailed('tool_failed', `制作光盘时出错：${(e as Error).message} / Making the discs failed: ${(e as Error).message}`);
      if (!(e instanceof BuildFailed)) this.d.log(`export ${exportNo(id)}`, e);
      this.fail(id, failure);
    }
  }

  private fail(id: number, f: BuildFailed): void {
    this.d.writer.run(stationActor, (tx) => {
      const changed = prepared(this.d.db, "UPDATE export SET state = 'failed', failure_code = ?, failure_message = ? WHERE id = ? AND state = 'building'").run(f.code, f.message, id).changes;
      if (changed === 0) return;
      tx.audit({ action: 'export.failed', objectType: 'export', objectId: id, after: { code: f.code, message: f.message } });
      tx.emit('export.changed', { id });
    });
  }

  private clips(id: number): ClipRow[] {
    return prepared<[number], ClipRow>(
      this.d.db,
      `SELECT x.position, x.disc, x.disc_path, x.sha256, x.clip_id, k.original_path, k.size, k.hash, k.hash_algorithm, k.vault_path, k.verification, k.start_at, k.duration_ms,
              k.damaged, k.damage_reason, d.serial, p.name AS officer_name, p.badge AS officer_badge, k.badge
         FROM export_clip x JOIN clip k ON k.id = x.clip_id JOIN device d ON d.id = k.device_id LEFT JOIN person p ON p.id = k.officer_id
        WHERE x.export_id = ? ORDER BY x.position`,
    ).all(id);
  }

  /** Each clip's place on the discs: '<camera>/<name>', unique on its disc without regard to case (Windows and Joliet ignore it). */
  private discFiles(rows: readonly ClipRow[]): DiscFile[] {
    const taken = new Set<string>();
    return rows.map((r) => {
      const folder = discName(r.serial);
      const base = r.original_path.split('/').pop() ?? r.original_path;
      let name = discName(base);
      if (taken.has(`${folder}/${name}`.toLowerCase())) {
        const dot = base.lastIndexOf('.');
        name = discName(dot > 0 ? `${base.slice(0, dot)}~${r.clip_id}${base.slice(dot)}` : `${base}~${r.clip_id}`);
      }
      taken.add(`${folder}/${name}`.toLowerCase());
      const officer = r.officer_name ? `${r.officer_name}（${r.officer_badge ?? ''}）` : r.badge;
      return {
        clipId: r.clip_id,
        position: r.position,
        path: `${folder}/${name}`,
        nameLength: `data/${folder}/${name}`.length,
        size: r.size,
        source: this.d.absolute(r.vault_path),
        hash: r.hash,
        algorithm: r.hash_algorithm,
        sha256: r.hash_algorithm === 'sha256' ? r.hash : null,
        sheet: {
          originalPath: r.original_path,
          cameraSerial: r.serial,
          officer,
          startAt: r.start_at,
          endAt: r.start_at !== null && r.duration_ms !== null ? r.start_at + r.duration_ms : null,
          size: r.size,
          verification: r.verification,
          damaged: r.damaged === 1,
          damageReason: r.damage_reason,
        },
      };
    });
  }

  private async build(id: number, signal: AbortSignal, setMeter: (m: ProgressMeter) => void): Promise<void> {
    const row = exportRow(this.d.db, id);
    if (!row || row.state !== 'building') return;
    if (!this.d.vaultReady()) {
      throw new BuildFailed('vault_unavailable', '证据库不可用（磁盘未挂载或已更换）：请恢复证据库后重新制作。 / The vault is not available (its disk is not mounted or another one is): put it right, then make the discs again.');
    }
    const files = this.discFiles(this.clips(id));
    const medium = await this.capacity(row);
    let plan: DiscFile[][];
    try {
      plan = planDiscs(files, medium.bytes, tagBudget);
    } catch (e) {
      if (!(e instanceof FileTooLargeError)) throw e;
      const fits = e.fits ? `${MEDIA[e.fits].zh} / ${MEDIA[e.fits].en}` : null;
      throw new BuildFailed(
        'file_too_large',
        fits
          ? `有一个文件（${gb(e.size)}）大于${medium.zh}的容量，请改用${MEDIA[e.fits!].zh}。 / A file (${gb(e.size)}) is larger than a ${medium.en} holds: choose ${MEDIA[e.fits!].en}.`
          : `有一个文件（${gb(e.size)}）大于任何光盘的容量，无法刻录。 / A file (${gb(e.size)}) is larger than any disc holds.`,
      );
    }
    const discs = plan.length;
    const volumeBase = volumeIdFor(row.case_no, id);
    const volumeId = (n: number) => (discs === 1 ? volumeBase : `${volumeBase.slice(0, 32 - `_${n}`.length)}_${n}`);
    this.checkSources(id, files);
    const keep = this.recordPlan(id, plan, volumeId);
    await fsp.mkdir(this.dirOf(id), { recursive: true, mode: 0o700 });
    await this.removeStale(id, discs, keep);
    await this.checkSpace(id, plan, keep);

    const payloadTotal = plan.reduce((n, disc, i) => (keep.has(i + 1) ? n : n + totalBytes(disc)), 0);
    const meter = new ProgressMeter(payloadTotal * 2, discs, (p) => this.d.events.emit('export.progress', { id, progress: p }));
    setMeter(meter);
    // At least one update a second whatever the step is doing (the issue's floor; PROGRESS_EVERY_MS is half that).
    const beat = setInterval(() => meter.beat(), PROGRESS_EVERY_MS / 2);
    try {
      await this.buildDiscs(id, row, plan, keep, volumeId, meter, signal);
    } finally {
      clearInterval(beat);
    }
  }

  private async buildDiscs(
    id: number,
    row: ExportRow,
    plan: DiscFile[][],
    keep: ReadonlySet<number>,
    volumeId: (n: number) => string,
    meter: ProgressMeter,
    signal: AbortSignal,
  ): Promise<void> {
    const discs = plan.length;
    const payloadTotal = meter.value.total / 2;
    let done = 0;
    for (const [i, discFiles] of plan.entries()) {
      const disc = i + 1;
      if (keep.has(disc)) continue;
      signal.throwIfAborted();
      const bytes = totalBytes(discFiles);
      await this.hashSm3Clips(discFiles, signal);
      meter.update('tags', disc, done);
      const tags = await this.writeTags(row, disc, discs, volumeId(disc), discFiles);
      const image = this.imageOf(id, disc, discs);
      const base = done;
      let written = 0;
      // The vault files read a window ahead of xorriso, in the order it lays them out (by path).
      const ahead = new AbortController();
      const reading = prefetch(
        [...discFiles].sort(byPath).map((f) => ({ path: f.source, size: f.size })),
        () => written,
        AbortSignal.any([signal, ahead.signal]),
      );
      try {
        await buildImage({
          ...(this.d.xorriso ? { xorriso: this.d.xorriso } : {}),
          output: image,
          volumeId: volumeId(disc),
          entries: [...tags.entries, ...discFiles.map((f): ImageEntry => ({ source: f.source, discPath: `data/${f.path}` }))],
          signal,
          onProgress: (bytesWritten) => {
            written = bytesWritten;
            meter.update('image', disc, base + Math.min(bytesWritten, bytes));
          },
        });
      } finally {
        ahead.abort();
        await reading;
      }
      done += bytes;
      const readBase = done;
      const expect: ExpectedFile[] = [
        ...tags.expected,
        ...discFiles.map((f) => ({ discPath: `data/${f.path}`, size: f.size, sha256: f.sha256!, ...(f.algorithm === 'sm3' ? { sm3: f.hash } : {}) })),
      ];
      const result = await readBack({
        ...(this.d.xorriso ? { xorriso: this.d.xorriso } : {}),
        image,
        expect,
        signal,
        onProgress: (read, total) => meter.update('readback', disc, readBase + Math.floor((read / Math.max(total, 1)) * bytes)),
      });
      done += bytes;
      if (!result.ok) {
        await fsp.rm(image, { force: true });
        await this.explainMismatch(id, discFiles, result.files, result.md5, signal);
      }
      this.d.writer.run(stationActor, (tx) => {
        prepared(this.d.db, 'UPDATE export_disc SET image_bytes = ?, image_sha256 = ?, verified_at = ? WHERE export_id = ? AND disc = ?').run(
          result.imageBytes,
          result.imageSha256,
          tx.at,
          id,
          disc,
        );
        const set = prepared(this.d.db, 'UPDATE export_clip SET sha256 = ? WHERE export_id = ? AND clip_id = ?');
        for (const f of discFiles) set.run(f.sha256, id, f.clipId);
        tx.audit({
          action: 'export.disc_verified',
          objectType: 'export',
          objectId: id,
          after: { disc, discs, files: discFiles.length, imageBytes: result.imageBytes, imageSha256: result.imageSha256, md5: 'ok' },
        });
        tx.emit('export.changed', { id });
      });
    }
    signal.throwIfAborted();
    meter.update('done', discs, payloadTotal * 2);
    this.d.writer.run(stationActor, (tx) => {
      const changed = prepared(this.d.db, "UPDATE export SET state = 'ready' WHERE id = ? AND state = 'building'").run(id).changes;
      if (changed === 0) return;
      const images = prepared<[number], { disc: number; image_sha256: string }>(this.d.db, 'SELECT disc, image_sha256 FROM export_disc WHERE export_id = ? ORDER BY disc').all(id);
      tx.audit({ action: 'export.ready', objectType: 'export', objectId: id, after: { discs, images: images.map((d) => ({ disc: d.disc, sha256: d.image_sha256 })) } });
      tx.emit('export.changed', { id });
    });
  }

  /**
   * Writes the plan (each clip's disc and path, each disc's row) and says which discs a run before
   * this one already read back equal: the plan is a function of the clips and the medium, so the
   * same discs come out; a disc is kept only if its row, its files and its image all still agree.
   */
  private recordPlan(id: number, plan: DiscFile[][], volumeId: (n: number) => string): Set<number> {
    const keep = new Set<number>();
    const discs = plan.length;
    this.d.writer.run(stationActor, () => {
      const old = new Map(
        prepared<[number], { disc: number; files: number; bytes: number; image_bytes: number | null; verified_at: number | null }>(
          this.d.db,
          'SELECT disc, files, bytes, image_bytes, verified_at FROM export_disc WHERE export_id = ?',
        )
          .all(id)
          .map((r) => [r.disc, r]),
      );
      const placed = prepared(this.d.db, 'UPDATE export_clip SET disc = ?, disc_path = ? WHERE export_id = ? AND clip_id = ?');
      const same = prepared<[number, number, string], { n: number }>(
        this.d.db,
        'SELECT count(*) AS n FROM export_clip WHERE export_id = ? AND disc = ? AND disc_path = ? AND sha256 IS NOT NULL',
      );
      const sameFiles: boolean[] = plan.map((files, i) => files.every((f) => same.get(id, i + 1, f.path)!.n === 1));
      prepared(this.d.db, 'DELETE FROM export_disc WHERE export_id = ? AND disc > ?').run(id, discs);
      const upsert = prepared(
        this.d.db,
        `INSERT INTO export_disc (export_id, disc, files, bytes, volume_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (export_id, disc) DO UPDATE SET files = excluded.files, bytes = excluded.bytes, volume_id = excluded.volume_id,
           image_bytes = NULL, image_sha256 = NULL, verified_at = NULL, burned_at = NULL, burned_to = NULL`,
      );
      for (const [i, files] of plan.entries()) {
        const disc = i + 1;
        const bytes = totalBytes(files);
        const was = old.get(disc);
        const image = this.imageOf(id, disc, discs);
        const whole = was?.image_bytes != null && fs.existsSync(image) && fs.statSync(image).size === was.image_bytes;
        if (was && was.verified_at !== null && was.files === files.length && was.bytes === bytes && sameFiles[i] && whole) {
          keep.add(disc);
          continue;
        }
        upsert.run(id, disc, files.length, bytes, volumeId(disc));
        for (const f of files) placed.run(disc, f.path, id, f.clipId);
        prepared(this.d.db, 'UPDATE export_clip SET sha256 = NULL WHERE export_id = ? AND disc = ?').run(id, disc);
      }
    });
    return keep;
  }

  /** Whatever is in the export's folder that no kept disc owns: half-written images, old staging. */
  private async removeStale(id: number, discs: number, keep: ReadonlySet<number>): Promise<void> {
    const kept = new Set([...keep].map((n) => path.basename(this.imageOf(id, n, discs))));
    for (const name of await fsp.readdir(this.dirOf(id))) {
      if (!kept.has(name)) await fsp.rm(path.join(this.dirOf(id), name), { recursive: true, force: true });
    }
  }

  private async checkSpace(id: number, plan: DiscFile[][], keep: ReadonlySet<number>): Promise<void> {
    const need = plan.reduce((n, files, i) => (keep.has(i + 1) ? n : n + totalBytes(files) + tagBudget(files.length)), 0);
    const fsStat = await fsp.statfs(this.dirOf(id));
    const free = fsStat.bavail * fsStat.bsize;
    if (free < need) {
      throw new BuildFailed(
        'no_space',
        `数据盘剩余 ${gb(free)}，制作光盘映像需要 ${gb(need)}：请清理数据盘后重新制作。 / The data disk has ${gb(free)} free and the disc images need ${gb(need)}: free some space, then make the discs again.`,
      );
    }
  }

  /** The medium's size: a kind's, or the blank's in the drive named (asked now: the blank may have been changed). */
  private async capacity(row: ExportRow): Promise<{ bytes: number; zh: string; en: string }> {
    if (row.medium !== 'drive') return MEDIA[row.medium];
    try {
      const bytes = await mediaSpace(row.drive_address!, this.d.xorriso);
      return { bytes, zh: `刻录机中的光盘（${gb(bytes)}）`, en: `the disc in the drive (${gb(bytes)})` };
    } catch (e) {
      throw new BuildFailed(
        'no_blank',
        `刻录机 ${row.drive_address} 中没有可写的空白光盘（${(e as Error).message}）：请放入空白光盘后重新制作，或改选光盘类型。 / The drive ${row.drive_address} holds no blank disc to write (${(e as Error).message}): put one in and make the discs again, or choose a kind of disc.`,
      );
    }
  }

  /**
   * Every clip's vault file is there with its recorded size, before anything is written: a file
   * gone or of another size is the vault's problem (the tamper alarm), not a tool's failure.
   */
  private checkSources(id: number, files: readonly DiscFile[]): void {
    const wrong: Array<{ clipId: number; path: string; problem: 'missing' | 'size' }> = [];
    for (const f of files) {
      const st = fs.statSync(f.source, { throwIfNoEntry: false });
      if (!st) wrong.push({ clipId: f.clipId, path: f.path, problem: 'missing' });
      else if (st.size !== f.size) wrong.push({ clipId: f.clipId, path: f.path, problem: 'size' });
    }
    if (wrong.length === 0) return;
    this.d.writer.run(stationActor, (tx) => {
      this.d.alarms.raise({ kind: 'verify_failure', details: { source: 'export', exportNo: exportNo(id), clips: wrong.slice(0, 50) }, at: tx.at });
      tx.emit('alarm.raised', { kind: 'verify_failure' });
    });
    throw new BuildFailed(
      'vault_altered',
      `证据库中有 ${wrong.length} 个录像文件缺失或大小与入库时不符，导出已停止：请综合处核查告警，运行证据库校验，并接入原记录仪补回。 / ${wrong.length} recording file(s) are missing from the vault or no longer the size recorded at ingest; the export was stopped: 综合处 must look into the alarm, run the vault check and dock the camera to put them back.`,
    );
  }

  /** An SM3 station's clips have no recorded SHA-256: hashed from the vault, read from the medium, for the manifest. */
  private async hashSm3Clips(files: DiscFile[], signal: AbortSignal): Promise<void> {
    for (const f of files) {
      if (f.sha256 !== null) continue;
      signal.throwIfAborted();
      f.sha256 = (await this.d.copier.hash(f.source, 'sha256')).hash;
    }
  }

  /**
   * A disc's 说明 printed at the station (for the case file, or again: 补打), from the record:
   * the paths and SHA-256 each file was read back with from the disc's image.
   */
  async sheetPdf(id: number, disc: number, reprint: { at: number; by: string } | null): Promise<Buffer> {
    const row = exportRow(this.d.db, id)!;
    const discRow = prepared<[{ id: number; disc: number }], { volume_id: string; n: number }>(
      this.d.db,
      'SELECT volume_id, (SELECT count(*) FROM export_disc WHERE export_id = @id) AS n FROM export_disc WHERE export_id = @id AND disc = @disc AND verified_at IS NOT NULL',
    ).get({ id, disc });
    if (!discRow) throw new StationError('invalid_state', `第 ${disc} 张光盘尚未制作完成。 / Disc ${disc} is not made yet.`);
    const rows = this.clips(id).filter((r) => r.disc === disc);
    const files = this.discFiles(rows).map((f, i) => ({ ...f, path: rows[i]!.disc_path!, sha256: rows[i]!.sha256 }));
    return renderPdfOffThread({ kind: 'sheet', input: { ...this.sheetInput(row, disc, discRow.n, discRow.volume_id, files), reprint }, font: this.d.font });
  }

  private sheetInput(row: ExportRow, disc: number, discs: number, volumeId: string, files: readonly DiscFile[]): SheetInput {
    return {
      stationName: this.d.stationName,
      timeZone: this.d.timeZone,
      exportNo: exportNo(row.id),
      caseNo: row.case_no,
      caseCause: row.case_cause,
      purpose: PURPOSE_WORDS[row.purpose],
      maker: row.maker_label,
      recipient: recipientLine(row),
      extractedAt: row.extracted_at ?? row.created_at,
      approvedBy: row.approved_by,
      approvedAt: row.approved_at,
      disc,
      discs,
      volumeId,
      groupId: row.group_id,
      files: files.map((f) => ({ ...f.sheet, discPath: `data/${f.path}`, sha256: f.sha256!, sm3: f.algorithm === 'sm3' ? f.hash : null })),
      reprint: null,
    };
  }

  /** The chain of custody of a disc's clips: their audit rows, and the export's own so far. */
  private custodyRows(id: number, files: readonly DiscFile[]) {
    const rows: AuditRow[] = [];
    const clipRows = prepared<[string], AuditRow>(this.d.db, "SELECT * FROM audit WHERE object_type = 'clip' AND object_id = ? ORDER BY seq");
    for (const f of files) rows.push(...clipRows.all(String(f.clipId)));
    rows.push(...prepared<[string], AuditRow>(this.d.db, "SELECT * FROM audit WHERE object_type = 'export' AND object_id = ? ORDER BY seq").all(String(id)));
    return rows.sort((a, b) => a.seq - b.seq).map((r) => auditEntryOf(r, withoutVaultPaths));
  }

  /** Writes the disc's tag files into its staging folder; returns them as image entries and as what the read-back expects. */
  private async writeTags(row: ExportRow, disc: number, discs: number, volumeId: string, files: readonly DiscFile[]) {
    const dir = path.join(this.dirOf(row.id), `disc-${disc}`);
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const sheet = this.sheetInput(row, disc, discs, volumeId, files);
    const meta: CustodyMeta = { stationName: this.d.stationName, timeZone: this.d.timeZone, exportNo: exportNo(row.id), caseNo: row.case_no, disc, discs, madeAt: sheet.extractedAt };
    const custody = this.custodyRows(row.id, files);
    const payload: PayloadFile[] = files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256! }));
    // The two PDFs laid out at once, each in its own worker (two cores: the step takes the longer one's time).
    const [sheetPdf, custodyPdf] = await Promise.all([
      renderPdfOffThread({ kind: 'sheet', input: sheet, font: this.d.font }),
      renderPdfOffThread({ kind: 'custody', rows: custody, meta, font: this.d.font }),
    ]);
    const content = new Map<string, Buffer>();
    content.set('说明.pdf', sheetPdf);
    content.set('说明.txt', Buffer.from(sheetText(sheet), 'utf8'));
    content.set(
      '校验方法.txt',
      Buffer.from(checkMethodText({ hasSm3: files.some((f) => f.algorithm === 'sm3'), hasLargeFiles: files.some((f) => f.size >= 4 * 1024 ** 3), volumeId }), 'utf8'),
    );
    content.set('处理记录.pdf', custodyPdf);
    content.set('处理记录.csv', Buffer.from(custodyCsv(custody, meta), 'utf8'));
    content.set('bagit.txt', Buffer.from(bagitText(), 'utf8'));
    content.set(
      'bag-info.txt',
      Buffer.from(
        bagInfoText(
          {
            caseNo: row.case_no,
            groupId: row.group_id,
            disc,
            discs,
            organization: this.d.stationName,
            baggingDate: formatStationTime(sheet.extractedAt, this.d.timeZone).slice(0, 10),
            description: `${exportNo(row.id)} 执法记录仪电子数据 / body-worn camera recordings`,
          },
          payload,
        ),
        'utf8',
      ),
    );
    content.set('manifest-sha256.txt', Buffer.from(manifestText(payloadEntries(payload)), 'utf8'));
    const sm3 = files.filter((f) => f.algorithm === 'sm3');
    if (sm3.length > 0) content.set('manifest-sm3.txt', Buffer.from(manifestText(sm3.map((f) => ({ path: `data/${f.path}`, sha256: f.hash }))), 'utf8'));
    const tagEntries = [...content.entries()].map(([name, bytes]) => ({ path: name, sha256: sha256(bytes) }));
    content.set('tagmanifest-sha256.txt', Buffer.from(manifestText(tagEntries), 'utf8'));
    const entries: ImageEntry[] = [];
    const expected: ExpectedFile[] = [];
    for (const [name, bytes] of content) {
      const file = path.join(dir, name);
      await fsp.writeFile(file, bytes, { mode: 0o600 });
      entries.push({ source: file, discPath: name });
      expected.push({ discPath: name, size: bytes.length, sha256: sha256(bytes) });
    }
    return { entries, expected };
  }

  /**
   * A read-back that differed: was the vault's file altered since it was stored (the tamper alarm,
   * and the export stops), or did the image come out wrong (the disc is made again by a new start)?
   * Each differing clip's vault file is hashed again, from the medium, and compared with its record.
   */
  private async explainMismatch(
    id: number,
    files: readonly DiscFile[],
    found: ReadonlyArray<{ discPath: string; ok: boolean; problem?: string }>,
    md5: { ok: boolean; report: string },
    signal: AbortSignal,
  ): Promise<never> {
    const byPath = new Map(files.map((f) => [`data/${f.path}`, f]));
    const altered: Array<{ clipId: number; expected: string; actual: string; path: string }> = [];
    for (const r of found) {
      const f = byPath.get(r.discPath);
      if (r.ok || !f) continue;
      signal.throwIfAborted();
      const now = await this.d.copier.hash(f.source, f.algorithm).catch(() => null);
      if (now && now.hash !== f.hash) altered.push({ clipId: f.clipId, expected: f.hash, actual: now.hash, path: f.path });
    }
    if (altered.length > 0) {
      this.d.writer.run(stationActor, (tx) => {
        const mark = prepared(this.d.db, 'INSERT INTO vault_altered (clip_id, actual_hash, found_at) VALUES (?, ?, ?) ON CONFLICT (clip_id) DO UPDATE SET actual_hash = excluded.actual_hash, found_at = excluded.found_at');
        for (const a of altered) mark.run(a.clipId, a.actual, tx.at);
        const details = { source: 'export', exportNo: exportNo(id), clips: altered.slice(0, 50) };
        this.d.alarms.raise({ kind: 'verify_failure', details, at: tx.at });
        tx.emit('alarm.raised', { kind: 'verify_failure' });
        for (const a of altered) {
          tx.audit({ action: 'clip.vault_altered_found', objectType: 'clip', objectId: a.clipId, after: { exportNo: exportNo(id), expected: a.expected, actual: a.actual } });
        }
      });
      throw new BuildFailed(
        'vault_altered',
        `证据库中有 ${altered.length} 个录像文件与入库时的哈希不符（可能被篡改），导出已停止：请综合处核查告警。 / ${altered.length} recording file(s) in the vault no longer match the hash recorded at ingest (possibly tampered with); the export was stopped: 综合处 must look into the alarm.`,
      );
    }
    const bad = found.filter((r) => !r.ok).map((r) => `${r.discPath} (${r.problem ?? 'hash'})`);
    throw new BuildFailed(
      'readback_mismatch',
      `光盘映像读回校验不符（${bad.slice(0, 3).join('，') || md5.report}），映像已删除：请重新制作。 / The disc image did not read back equal (${bad.slice(0, 3).join(', ') || md5.report}); it was deleted: make the discs again.`,
    );
  }
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;

const PURPOSE_WORDS: Record<ExportRow['purpose'], string> = {
  evidence: '作为证据使用（附卷） / As evidence (for the case file)',
  provision: '对外提供（经批准） / Provided outside (approved)',
  other: '其他（经批准） / Other (approved)',
};
