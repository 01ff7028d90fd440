import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BindingValues } from '../docking/profile/index.js';
import { utcToWallClock } from '../docking/wall-clock.js';
import { SEALED_FILE } from '../private-modes.js';
import { fsyncDir, makeDirDurable } from './fsync.js';
import type { ProbeResult } from './probe.js';
import type { ClipRow, DockSessionRow, NewClip } from './repository.js';

export const SIDECAR_SUFFIX = '.evidence.json';
export const SIDECAR_FORMAT = 'evidence-station.clip/1';

/**
 * Everything needed to put a clip back in the index from the vault alone
 * (`station rebuild-index`), written beside the clip, read-only.
 */
export interface Sidecar {
  format: typeof SIDECAR_FORMAT;
  vaultPath: string;
  kind: 'video' | 'audio' | 'photo' | 'other';
  hash: { algorithm: 'sha256' | 'sm3'; value: string };
  verification: string;
  /**
   * SM3 stations: the SHA-256 of the bytes read from the camera, which the
   * SHA-256 of the copy read back from the disk equalled (the SM3 is hashed
   * from that copy: copy/engine.ts). Absent for SHA-256, where `hash` is it.
   */
  sourceSha256?: string;
  device: { serial: string; model: string | null };
  officer: { badge: string | null; name: string | null; unitCode: string | null; unitName: string | null };
  original: {
    path: string;
    size: number;
    mtimeMs: number;
    cameraStartText: string | null;
    cameraStartAt: number | null;
    /**
     * The start as the station dates it (ingest/dating.ts): the name's time corrected by the dock's
     * clock skew, or the container's, when plausible; null when none is (the clip is then under
     * `undated/`, in the folder of the day of its dock).
     */
    startAt: number | null;
    /** Only when a time the camera gave (the name's, the file's) cannot be true: not to be taken as fact. */
    clockWrong?: true;
    /**
     * Only when the file's name (or its folder's) carries them: the 产品序号, 警号 and sequence number
     * the camera wrote there, as the profile's pattern reads them (the camera's identity is in
     * `device` and `officer`; these may differ, and a dock notice then said so).
     */
    fromName?: { serial: string | null; badge: string | null; seq: number | null };
  };
  media: {
    important: boolean;
    damaged: boolean;
    damageReason: string | null;
    durationMs: number | null;
    videoCodec: string | null;
    audioCodec: string | null;
    width: number | null;
    height: number | null;
    embeddedCreatedAt: number | null;
  };
  /**
   * The dock the clip was first stored from. Null only in a sidecar rewritten from an index that
   * no longer knew that dock (an index rebuilt from the vault keeps no dock sessions).
   */
  dock: { attachedAt: number; clockSkewMs: number | null; cameraClockText: string | null; profileId: string | null } | null;
  committedAt: number;
  /**
   * Only in a sidecar the station wrote again from its index, when the vault had lost a clip and
   * its sidecar both and a later dock brought the same bytes back (Vault.restore): when, by which
   * dock, and how that copy was verified. The rest of the sidecar is what the index holds.
   */
  restored?: { at: number; dockSessionId: number; verification: string; sourceSha256?: string };
  /**
   * Only when ffprobe could not be run as the clip was stored, and checked it later
   * (ingest/probe-recheck.ts): when, and the reason the clip carried until then. `media` is the
   * later check's.
   */
  rechecked?: { at: number; previousReason: string | null };
  /**
   * The other paths on the camera this very file (same size, time and bytes) was later found at,
   * after it was moved there (guarantee 4): the clip it was, not a new one. Oldest first.
   */
  moved?: Array<{ path: string; at: number }>;
  /**
   * Only for a recording a station from before issue 17 had taken for a duplicate of another clip
   * because their bytes were equal (ingest/split-duplicates.ts): made its own clip when the station
   * was brought up to date, its bytes copied from that clip's file and verified against its hash.
   */
  carriedOver?: { from: 'duplicate'; clipId: number; ingestFileId: number; at: number };
}

/** Characters no filesystem the vault may live on accepts in a name. */
export function vaultFileName(originalName: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = originalName.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '_');
  const safe = cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
  // Keep names well under the 255-byte limit of ext4 and NTFS, leaving room for "~N" and the sidecar suffix.
  // The stem is shortened, not the extension: a 200-character clip name cut to
  // "NNN…N.M" no longer opens in a player from the browsable vault. Whole code
  // points are dropped, so a character is never cut in half.
  if (Buffer.byteLength(safe) <= 200) return safe;
  const dot = safe.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(safe.slice(dot)) <= 16 ? safe.slice(dot) : '';
  const stem = Array.from(safe.slice(0, safe.length - ext.length));
  while (Buffer.byteLength(stem.join('') + ext) > 200) stem.pop();
  return `${stem.join('')}${ext}`.replace(/[. ]+$/, '_');
}

/** `YYYY/MM/DD/<serial>`: by the clip's (corrected) day in the station's zone, then by camera. */
export function vaultFolder(at: number, serial: string, timeZone: string): string {
  const w = utcToWallClock(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return path.posix.join(String(w.year), two(w.month), two(w.day), vaultFileName(serial));
}

/** What `Vault.commit` did: where the clip is, whether an earlier copy was adopted, and its sidecar. */
export interface Committed {
  vaultPath: string;
  adopted: boolean;
  /** The sidecar beside the clip in the vault: this commit's, or the adopted copy's. */
  sidecar: Sidecar;
}

/**
 * What a probe of the stored file says, as the sidecar records it; a file of kind `other` is not
 * probed (null). The commit and the later check (probe-recheck.ts) both record it so.
 */
export function mediaFromProbe(probe: ProbeResult | null, important: boolean): Sidecar['media'] {
  const damaged = probe !== null && !probe.ok;
  return {
    important,
    damaged,
    damageReason: damaged ? probe.message : null,
    durationMs: probe?.durationMs ?? null,
    videoCodec: probe?.videoCodec ?? null,
    audioCodec: probe?.audioCodec ?? null,
    width: probe?.width ?? null,
    height: probe?.height ?? null,
    embeddedCreatedAt: probe?.embeddedCreatedAt ?? null,
  };
}

/** The clip columns a sidecar's `media` gives: the one mapping, for the commit, rebuild-index and the later check. */
export function mediaColumns(m: Sidecar['media']): Pick<NewClip, 'duration_ms' | 'video_codec' | 'audio_codec' | 'width' | 'height' | 'embedded_created_at' | 'important' | 'damaged' | 'damage_reason'> {
  return {
    duration_ms: m.durationMs,
    video_codec: m.videoCodec,
    audio_codec: m.audioCodec,
    width: m.width,
    height: m.height,
    embedded_created_at: m.embeddedCreatedAt,
    important: m.important ? 1 : 0,
    damaged: m.damaged ? 1 : 0,
    damage_reason: m.damageReason,
  };
}

/** A sidecar's `media` from a clip's row: the inverse of mediaColumns. */
export function mediaOfClip(clip: ClipRow): Sidecar['media'] {
  return {
    important: clip.important === 1,
    damaged: clip.damaged === 1,
    damageReason: clip.damage_reason,
    durationMs: clip.duration_ms,
    videoCodec: clip.video_codec,
    audioCodec: clip.audio_codec,
    width: clip.width,
    height: clip.height,
    embeddedCreatedAt: clip.embedded_created_at,
  };
}

/** The sidecar's `fromName`, present only when the name said anything. */
export function fromNameOf(serial: string | null, badge: string | null, seq: number | null): { fromName?: NonNullable<Sidecar['original']['fromName']> } {
  return serial !== null || badge !== null || seq !== null ? { fromName: { serial, badge, seq } } : {};
}

/**
 * A clip's index row as its sidecar describes it: the ingest's row and
 * rebuild-index's are made here, so the index rebuilt from the vault equals
 * the one the ingest wrote. The ids are the caller's.
 */
export function clipFromSidecar(s: Sidecar, ids: { deviceId: number; dockSessionId: number | null; officerId: number | null }): NewClip {
  return {
    device_id: ids.deviceId,
    dock_session_id: ids.dockSessionId,
    officer_id: ids.officerId,
    badge: s.officer.badge,
    original_path: s.original.path,
    size: s.original.size,
    mtime_ms: s.original.mtimeMs,
    kind: s.kind,
    hash_algorithm: s.hash.algorithm,
    hash: s.hash.value,
    vault_path: s.vaultPath,
    verification: s.verification,
    camera_start_text: s.original.cameraStartText,
    camera_start_at: s.original.cameraStartAt,
    start_at: s.original.startAt,
    ...mediaColumns(s.media),
    committed_at: s.committedAt,
    clock_wrong: s.original.clockWrong ? 1 : 0,
    name_serial: s.original.fromName?.serial ?? null,
    name_badge: s.original.fromName?.badge ?? null,
    name_seq: s.original.fromName?.seq ?? null,
  };
}

/**
 * A clip's sidecar made again from its index row, for a clip whose sidecar the vault lost
 * (Vault.restore). The inverse of clipFromSidecar: it gives back the same row, so rebuild-index
 * still equals the index. What the index never held is taken from the clip's dock session (the
 * binding's name and unit, the dock's clock reading) where it still has one; the SM3 station's
 * first `sourceSha256` is gone with the old sidecar, and `restored` says how this copy was checked.
 */
export function sidecarFromClip(
  clip: ClipRow,
  facts: { device: Sidecar['device']; dockSession: DockSessionRow | null; moved?: Sidecar['moved'] },
  restored: NonNullable<Sidecar['restored']>,
): Sidecar {
  const session = facts.dockSession;
  const binding = session?.binding_json ? (JSON.parse(session.binding_json) as BindingValues) : null;
  return {
    format: SIDECAR_FORMAT,
    vaultPath: clip.vault_path,
    kind: clip.kind,
    hash: { algorithm: clip.hash_algorithm, value: clip.hash },
    verification: clip.verification,
    device: facts.device,
    officer: { badge: clip.badge, name: binding?.name ?? null, unitCode: binding?.unitId ?? null, unitName: binding?.unitName ?? null },
    original: {
      path: clip.original_path,
      size: clip.size,
      mtimeMs: clip.mtime_ms,
      cameraStartText: clip.camera_start_text,
      cameraStartAt: clip.camera_start_at,
      startAt: clip.start_at,
      ...(clip.clock_wrong === 1 ? { clockWrong: true as const } : {}),
      ...fromNameOf(clip.name_serial, clip.name_badge, clip.name_seq),
    },
    media: mediaOfClip(clip),
    dock: session
      ? { attachedAt: session.attached_at, clockSkewMs: session.clock_skew_ms, cameraClockText: session.camera_clock_text, profileId: session.profile_id }
      : null,
    committedAt: clip.committed_at,
    // The paths the index knows the file moved to (clip_moved), so rebuild-index keeps them.
    ...(facts.moved && facts.moved.length > 0 ? { moved: facts.moved } : {}),
    restored,
  };
}

/** What `Vault.restore` did with a clip the index holds and the vault had lost. */
export interface Restored {
  /** False when the clip was there after all (another process put it back): nothing was moved. */
  restored: boolean;
  /** The sidecar beside it: the one still there, or one written again from the index. */
  sidecar: 'kept' | 'rewritten';
  /** Where the altered file that stood there was moved, as it was (a vault path under `.altered/`). */
  setAside?: string;
}

/** The vault's folder for altered files a dock replaced: kept as found, out of the browsable layout. */
export const ALTERED_FOLDER = '.altered';

/** One verified copy for `Vault.commitMany`: as `commit`'s arguments. */
export interface CommitItem {
  tempFile: string;
  folder: string;
  originalName: string;
  sidecar: Omit<Sidecar, 'vaultPath'>;
  earlier?: readonly string[];
  indexed?: (vaultPath: string) => boolean;
}

export interface CommitOptions {
  /** Vault paths earlier commits of this camera file chose and never indexed (see Vault.commit). */
  earlier?: readonly string[];
  /** Told the vault path before the clip is renamed there; the caller records it durably. */
  chosen?: (vaultPath: string) => void;
  /**
   * Whether the index already has a clip at this vault path. A name free on disk is not free
   * when it is the place of a clip the vault has lost: a new clip there would leave that clip's
   * row naming another's bytes, and the lost clip could never be put back (Vault.restore).
   */
  indexed?: (vaultPath: string) => boolean;
}

/** The same camera file: the same camera, the same path on it. */
function sameFile(a: Pick<Sidecar, 'device' | 'original'>, b: Pick<Sidecar, 'device' | 'original'>): boolean {
  return a.device.serial === b.device.serial && a.original.path === b.original.path;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function readSidecar(file: string): Promise<Sidecar | null> {
  try {
    const s = JSON.parse(await fs.readFile(file, 'utf8')) as Sidecar;
    return s.format === SIDECAR_FORMAT ? s : null;
  } catch {
    return null;
  }
}

/**
 * The evidence vault: a folder a person can browse (by date, then camera),
 * files read-only, each clip with its sidecar. New copies are written in
 * `.incoming/` and only a verified copy is renamed into place, so nothing
 * half-copied is ever visible in the vault.
 */
export class Vault {
  readonly incoming: string;
  /** The commit in progress; the next one waits for it (see commit). */
  private committing: Promise<unknown> = Promise.resolve();
  constructor(readonly root: string) {
    this.incoming = path.join(root, '.incoming');
  }

  async init(): Promise<void> {
    await makeDirDurable(this.incoming);
  }

  /** Removes leftovers of copies that never finished (crash, unplug); returns how many. */
  async sweepIncoming(): Promise<number> {
    await this.init();
    let removed = 0;
    for (const name of await fs.readdir(this.incoming)) {
      await fs.rm(path.join(this.incoming, name), { force: true, recursive: true });
      removed++;
    }
    if (removed > 0) await fsyncDir(this.incoming);
    return removed;
  }

  tempPath(key: string): string {
    return path.join(this.incoming, `${key}.part`);
  }

  absolute(vaultPath: string): string {
    return path.join(this.root, ...vaultPath.split('/'));
  }

  /**
   * Moves a verified temp copy into the vault with its sidecar: sidecar first
   * (durable), then the clip, read-only, then the folder fsynced. If the same
   * clip is already there from a commit whose database write never happened
   * (a crash between the rename and the transaction), that copy is adopted
   * rather than stored twice: at `options.earlier` (the paths earlier commits
   * of this camera file chose, which the caller recorded through
   * `options.chosen` before each rename), or at the name this commit picks.
   * A sidecar such a commit left without its clip (a crash between the two
   * renames) is removed: it describes nothing in the vault, and rebuild-index
   * would otherwise index a missing file.
   *
   * Commits run one at a time. Choosing a free name ("is X there? no") and
   * renaming into it are separate steps; two files of one camera with the same
   * name (FILE0001.MP4 in two folders after its counter wrapped) committed at
   * once both found the name free, and the second rename replaced the first
   * clip in the vault. A commit is a few small writes and renames, so a queue
   * costs nothing that matters; the owner lock keeps other processes out.
   */
  async commit(tempFile: string, folder: string, originalName: string, sidecar: Omit<Sidecar, 'vaultPath'>, options: CommitOptions = {}): Promise<Committed> {
    const [outcome] = await this.commitMany([{ tempFile, folder, originalName, sidecar, earlier: options.earlier, indexed: options.indexed }], (chosen) => {
      for (const c of chosen) options.chosen?.(c.vaultPath);
    });
    if ('error' in outcome!) throw outcome.error;
    return outcome!;
  }

  /**
   * `commit` for several verified copies at once (a camera's small files arrive faster than one
   * commit each can take): the same steps in the same order for each, guarantee 1 whole, but the
   * waits shared. Every new name is chosen first and `chosen` told them all (the caller records
   * them in one transaction); then every sidecar is written and fsynced, all at once, and renamed
   * into place; each folder touched is fsynced once; only then is every clip renamed beside its
   * sidecar, read-only, and each folder fsynced once more. One copy's failure (a full disk) fails
   * that copy alone; its temp file is removed by the caller. Outcomes are in the order given.
   */
  commitMany(items: readonly CommitItem[], chosen: (chosen: Array<{ index: number; vaultPath: string }>) => void): Promise<Array<Committed | { error: unknown }>> {
    return this.queued(() => this.commitManyNow(items, chosen));
  }

  /** Runs a step that moves files into the vault after every step queued before it (see commit). */
  private queued<T>(step: () => Promise<T>): Promise<T> {
    const done = this.committing.then(step);
    this.committing = done.catch(() => undefined);
    return done;
  }

  private async commitManyNow(
    items: readonly CommitItem[],
    chosen: (chosen: Array<{ index: number; vaultPath: string }>) => void,
  ): Promise<Array<Committed | { error: unknown }>> {
    const outcomes: Array<Committed | { error: unknown } | undefined> = new Array(items.length);
    const planned: Array<{ index: number; vaultPath: string; target: string; sidecar: Sidecar }> = [];
    // Names this batch has taken: two of its files may want the same one, and neither is on disk yet.
    const taken = new Set<string>();
    for (const [index, item] of items.entries()) {
      try {
        const plan = await this.plan(item, taken);
        if ('adopted' in plan) outcomes[index] = plan;
        else {
          taken.add(plan.target);
          planned.push({ index, ...plan });
        }
      } catch (error) {
        outcomes[index] = { error };
      }
    }
    if (planned.length > 0) chosen(planned.map((p) => ({ index: p.index, vaultPath: p.vaultPath })));
    // The sidecars, durable before any clip is renamed beside them (a power cut never leaves a clip
    // without its sidecar): written at once, so their fsyncs overlap.
    const written = await Promise.all(
      planned.map(async (p) => {
        try {
          await this.writeSidecarFile(items[p.index]!.tempFile, p.target + SIDECAR_SUFFIX, `${JSON.stringify(p.sidecar, null, 2)}\n`);
          return p;
        } catch (error) {
          outcomes[p.index] = { error };
          return null;
        }
      }),
    );
    const ready = await this.fsyncFolders(
      written.filter((p) => p !== null),
      outcomes,
    );
    const renamed: typeof planned = [];
    for (const p of ready) {
      try {
        const temp = items[p.index]!.tempFile;
        await fs.chmod(temp, SEALED_FILE);
        await fs.rename(temp, p.target);
        renamed.push(p);
      } catch (error) {
        outcomes[p.index] = { error };
      }
    }
    for (const p of await this.fsyncFolders(renamed, outcomes)) outcomes[p.index] = { vaultPath: p.vaultPath, adopted: false, sidecar: p.sidecar };
    return outcomes.map((o) => o ?? { error: new Error('not committed') });
  }

  /** fsyncs each folder of these targets once; the ones whose folder failed are failed with its error. */
  private async fsyncFolders<T extends { index: number; target: string }>(done: T[], outcomes: Array<Committed | { error: unknown } | undefined>): Promise<T[]> {
    const failed = new Map<string, unknown>();
    for (const dir of new Set(done.map((p) => path.dirname(p.target)))) {
      try {
        await fsyncDir(dir);
      } catch (error) {
        failed.set(dir, error);
      }
    }
    return done.filter((p) => {
      const error = failed.get(path.dirname(p.target));
      if (error !== undefined) outcomes[p.index] = { error };
      return error === undefined;
    });
  }

  /** Where one copy goes: an earlier commit's copy to adopt, or a free name (see commit). */
  private async plan(item: CommitItem, taken: ReadonlySet<string>): Promise<Committed | { vaultPath: string; target: string; sidecar: Sidecar }> {
    const { tempFile, sidecar } = item;
    for (const vaultPath of item.earlier ?? []) {
      const target = this.absolute(vaultPath);
      const there = await readSidecar(target + SIDECAR_SUFFIX);
      if (!there || !sameFile(there, sidecar)) continue;
      if (await exists(target)) {
        if (there.hash.value !== sidecar.hash.value) continue;
        await fs.rm(tempFile, { force: true });
        return { vaultPath, adopted: true, sidecar: there };
      }
      await fs.rm(target + SIDECAR_SUFFIX, { force: true });
      await fsyncDir(path.dirname(target));
    }
    const dir = path.join(this.root, ...item.folder.split('/'));
    await makeDirDurable(dir);
    const base = vaultFileName(item.originalName);
    const ext = path.extname(base);
    const stem = base.slice(0, base.length - ext.length);
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${stem}~${n}${ext}`;
      const vaultPath = path.posix.join(item.folder, name);
      const target = path.join(dir, name);
      if (taken.has(target)) continue;
      if (await exists(target)) {
        const there = await readSidecar(target + SIDECAR_SUFFIX);
        if (there && sameFile(there, sidecar) && there.hash.value === sidecar.hash.value) {
          await fs.rm(tempFile, { force: true });
          return { vaultPath, adopted: true, sidecar: there };
        }
        continue;
      }
      if (item.indexed?.(vaultPath)) continue;
      return { vaultPath, target, sidecar: { ...sidecar, vaultPath } };
    }
  }

  /** Whether the vault holds a file at this vault path (a clip it may have lost). */
  has(vaultPath: string): Promise<boolean> {
    return exists(this.absolute(vaultPath));
  }

  /**
   * Puts a verified copy back at the vault path of a clip the index holds and the vault lost
   * (a dead disk replaced, a file removed): the caller has checked that its bytes hash to the
   * clip's. The sidecar still there is kept as it is; a lost one is written again from the index
   * first (durable, as in a commit), then the clip, read-only, then the folder fsynced. Nothing
   * is ever replaced: a clip that is there after all is left alone and the copy dropped, unless
   * `setAside` names where under `.altered/` to move it first (a file the caller found altered),
   * as it is, never over a file kept there. In the commit queue, so no commit picks the same name
   * meanwhile.
   */
  restore(tempFile: string, vaultPath: string, sidecar: () => Sidecar, options: { setAside?: string } = {}): Promise<Restored> {
    return this.queued(() => this.restoreNow(tempFile, vaultPath, sidecar, options));
  }

  private async restoreNow(tempFile: string, vaultPath: string, sidecar: () => Sidecar, options: { setAside?: string }): Promise<Restored> {
    const target = this.absolute(vaultPath);
    // The path comes from the index; one that would leave the vault is never written.
    const inside = path.relative(this.root, target);
    const top = inside.split(path.sep)[0];
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside) || top === '.incoming' || top === ALTERED_FOLDER) {
      throw new Error(`vault path outside the vault: ${vaultPath}`);
    }
    let setAside: string | undefined;
    if (await exists(target)) {
      if (options.setAside === undefined) {
        await fs.rm(tempFile, { force: true });
        return { restored: false, sidecar: 'kept' };
      }
      // An altered file (the caller re-hashed it just now): moved, as it is, out of the way, never
      // over anything, then made read-only; evidence of what happened to the vault.
      setAside = await this.setAsideNow(target, options.setAside);
    }
    const dir = path.dirname(target);
    await makeDirDurable(dir);
    let written: Restored['sidecar'] = 'kept';
    if (!(await exists(target + SIDECAR_SUFFIX))) {
      await this.writeSidecar(tempFile, target + SIDECAR_SUFFIX, `${JSON.stringify(sidecar(), null, 2)}\n`);
      written = 'rewritten';
    }
    await fs.chmod(tempFile, SEALED_FILE);
    await fs.rename(tempFile, target);
    await fsyncDir(dir);
    return { restored: true, sidecar: written, ...(setAside !== undefined ? { setAside } : {}) };
  }

  /**
   * A clip's sidecar with its `media` as a later check of the stored file found it, and a
   * `rechecked` note: written durably under a temporary name, then renamed over the old one, in
   * the commit queue. The clip's bytes are not touched. False when the clip has no sidecar to
   * bring up to date (the index alone then holds the check).
   */
  recheckMedia(vaultPath: string, media: Sidecar['media'], rechecked: NonNullable<Sidecar['rechecked']>): Promise<boolean> {
    return this.queued(async () => {
      const target = this.absolute(vaultPath) + SIDECAR_SUFFIX;
      const there = await readSidecar(target);
      if (!there || there.vaultPath !== vaultPath) return false;
      const updated: Sidecar = { ...there, media, rechecked };
      await this.writeSidecar(this.tempPath(`recheck-${randomUUID()}`), target, `${JSON.stringify(updated, null, 2)}\n`);
      return true;
    });
  }

  /**
   * A clip's sidecar with one more path its file was found moved to on the camera, written as
   * recheckMedia writes (durable, renamed over the old one, in the commit queue), so the index
   * rebuilt from the vault keeps it. False when the clip has no sidecar of its own to bring up to
   * date; nothing is written when the path is there already.
   */
  recordMoved(vaultPath: string, moved: { path: string; at: number }): Promise<boolean> {
    return this.queued(async () => {
      const target = this.absolute(vaultPath) + SIDECAR_SUFFIX;
      const there = await readSidecar(target);
      if (!there || there.vaultPath !== vaultPath) return false;
      if (there.original.path === moved.path || there.moved?.some((m) => m.path === moved.path)) return true;
      const updated: Sidecar = { ...there, moved: [...(there.moved ?? []), moved] };
      await this.writeSidecar(this.tempPath(`moved-${randomUUID()}`), target, `${JSON.stringify(updated, null, 2)}\n`);
      return true;
    });
  }

  private async setAsideNow(target: string, name: string): Promise<string> {
    const parts = name.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`bad name for an altered file: ${name}`);
    const destination = path.join(this.root, ALTERED_FOLDER, ...parts);
    await makeDirDurable(path.dirname(destination));
    if (await exists(destination)) throw new Error(`an altered file is already kept at ${name}`);
    await fs.rename(target, destination);
    await fs.chmod(destination, SEALED_FILE);
    await fsyncDir(path.dirname(destination));
    await fsyncDir(path.dirname(target));
    return [ALTERED_FOLDER, ...parts].join('/');
  }

  /**
   * Writes a clip's sidecar durably, under a temporary name in the incoming
   * area beside the clip's copy, then renames it into place. Written beside
   * the clip instead, a kill -9 or a full disk mid-write left a half-written
   * `*.evidence.json.tmp-<pid>` in the browsable vault that nothing ever
   * removed; in the incoming area it is removed here on failure, or by the
   * start-up sweep after a crash. The folder is fsynced before the clip is
   * renamed beside it, so a power cut never leaves a clip without its sidecar.
   */
  private async writeSidecar(clipTemp: string, target: string, data: string): Promise<void> {
    await this.writeSidecarFile(clipTemp, target, data);
    await fsyncDir(path.dirname(target));
  }

  /** writeSidecar without the folder's fsync, which the caller owes before renaming a clip beside it (commitMany does one a folder). */
  private async writeSidecarFile(clipTemp: string, target: string, data: string): Promise<void> {
    const temp = `${clipTemp}.sidecar`;
    try {
      const handle = await fs.open(temp, 'w', 0o644);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.chmod(temp, SEALED_FILE);
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
  }

  /** Every sidecar in the vault, for rebuilding the index. */
  async *sidecars(): AsyncGenerator<Sidecar> {
    const walk = async function* (dir: string): AsyncGenerator<string> {
      for (const e of await fs.readdir(dir, { withFileTypes: true })) {
        if (e.name === '.incoming' || e.name === ALTERED_FOLDER) continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) yield* walk(p);
        else if (e.isFile() && e.name.endsWith(SIDECAR_SUFFIX)) yield p;
      }
    };
    for await (const file of walk(this.root)) {
      const s = await readSidecar(file);
      // A camera file that happens to end in the sidecar suffix is a clip, not a sidecar:
      // a real sidecar names the clip it sits beside.
      if (s && this.absolute(s.vaultPath) + SIDECAR_SUFFIX === file) yield s;
    }
  }
}
