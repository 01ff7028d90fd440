import type { DockNoticeKind, IngestFailureKind } from '../../../shared/ingest.js';
import type { HashAlgorithm } from '../config.js';
import type { Db } from '../db/open.js';
import type { EveryColumn } from '../db/statements.js';
import { positionalInsertSql, prepared } from '../db/statements.js';

export type IngestFileState = 'discovered' | 'copying' | 'verifying' | 'committed' | 'failed' | 'duplicate';
export type DockState = 'identifying' | 'unregistered' | 'ingesting' | 'paused' | 'done' | 'failed' | 'cancelled';
export type ClipKind = 'video' | 'audio' | 'photo' | 'other';

export interface DockSessionRow {
  id: number;
  volume_id: string;
  volume_root: string;
  source: 'usb-volume' | 'watched-folder' | 'cli';
  label: string | null;
  profile_id: string | null;
  device_id: number | null;
  serial: string | null;
  binding_json: string | null;
  officer_id: number | null;
  state: DockState;
  state_reason: string | null;
  camera_clock_text: string | null;
  clock_skew_ms: number | null;
  free_bytes: number | null;
  battery_percent: number | null;
  files_total: number;
  files_committed: number;
  files_failed: number;
  files_duplicate: number;
  bytes_total: number;
  attached_at: number;
  finished_at: number | null;
  detached_at: number | null;
  /** When the station wrote the camera's time file (第七条), and the time it wrote; null when it did not. */
  clock_set_at: number | null;
  clock_set_text: string | null;
}

export interface IngestFileRow {
  id: number;
  dock_session_id: number;
  device_id: number;
  original_path: string;
  size: number;
  mtime_ms: number;
  kind: ClipKind;
  state: IngestFileState;
  failure_kind: IngestFailureKind | null;
  failure_message: string | null;
  attempts: number;
  clip_id: number | null;
  updated_at: number;
  /** The vault path its commit chose, recorded before the clip is renamed there (migration 0080). */
  vault_path: string | null;
}

export interface ClipRow {
  id: number;
  device_id: number;
  dock_session_id: number | null;
  officer_id: number | null;
  badge: string | null;
  original_path: string;
  size: number;
  mtime_ms: number;
  kind: ClipKind;
  hash_algorithm: HashAlgorithm;
  hash: string;
  vault_path: string;
  verification: string;
  camera_start_text: string | null;
  camera_start_at: number | null;
  start_at: number | null;
  duration_ms: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  width: number | null;
  height: number | null;
  embedded_created_at: number | null;
  important: number;
  damaged: number;
  damage_reason: string | null;
  committed_at: number;
  checkout_id: number | null;
  /** A time the camera gave cannot be true (ingest/dating.ts): its camera times are not to be taken as fact. */
  clock_wrong: number;
  /** What the file's name (or its folder's) says: 产品序号, 警号, sequence (docking/profile/clip-name.ts); null where it says nothing. */
  name_serial: string | null;
  name_badge: string | null;
  name_seq: number | null;
}

export type NewClip = Omit<ClipRow, 'id' | 'checkout_id'>;

/** What guarantee 4's tests need of a clip found: which it is, its bytes' hash and where the vault holds them. */
export type ClipKey = Pick<ClipRow, 'id' | 'hash_algorithm' | 'hash' | 'vault_path'>;

/** A clip the same bytes of the same camera file time are (guarantee 4's test for a moved file), with its path on the camera. */
export type SameBytesClip = ClipKey & Pick<ClipRow, 'original_path'>;

/** Every column of a new clip row, in the order the insert binds them. */
const CLIP_COLUMNS = [
  'device_id', 'dock_session_id', 'officer_id', 'badge', 'original_path', 'size', 'mtime_ms', 'kind', 'hash_algorithm', 'hash',
  'vault_path', 'verification', 'camera_start_text', 'camera_start_at', 'start_at', 'duration_ms', 'video_codec', 'audio_codec',
  'width', 'height', 'embedded_created_at', 'important', 'damaged', 'damage_reason', 'committed_at', 'clock_wrong',
  'name_serial', 'name_badge', 'name_seq',
] as const satisfies ReadonlyArray<keyof NewClip>;
const clipColumnsComplete: EveryColumn<NewClip, typeof CLIP_COLUMNS> = true;
void clipColumnsComplete;
const INSERT_CLIP_SQL = positionalInsertSql('clip', CLIP_COLUMNS);

export type NewDockSession = Omit<
  DockSessionRow,
  'id' | 'files_total' | 'files_committed' | 'files_failed' | 'files_duplicate' | 'bytes_total' | 'finished_at' | 'detached_at' | 'clock_set_at' | 'clock_set_text'
>;

/** Every column of a new dock session, in the order the insert binds them. */
const DOCK_SESSION_COLUMNS = [
  'volume_id', 'volume_root', 'source', 'label', 'profile_id', 'device_id', 'serial', 'binding_json', 'officer_id', 'state',
  'state_reason', 'camera_clock_text', 'clock_skew_ms', 'free_bytes', 'battery_percent', 'attached_at',
] as const satisfies ReadonlyArray<keyof NewDockSession>;
const dockSessionColumnsComplete: EveryColumn<NewDockSession, typeof DOCK_SESSION_COLUMNS> = true;
void dockSessionColumnsComplete;
const INSERT_DOCK_SESSION_SQL = positionalInsertSql('dock_session', DOCK_SESSION_COLUMNS);

/** SQL for dock sessions, the per-file state machine and the clip index. */
export class IngestRepository {
  constructor(private readonly db: Db) {}

  createDockSession(s: NewDockSession): number {
    // Bound by position, as insertClip: a bulk fill opens a session every few clips.
    const info = prepared(this.db, INSERT_DOCK_SESSION_SQL).run(DOCK_SESSION_COLUMNS.map((column) => s[column]));
    return Number(info.lastInsertRowid);
  }

  dockSession(id: number): DockSessionRow | undefined {
    return prepared<[number], DockSessionRow>(this.db, 'SELECT * FROM dock_session WHERE id = ?').get(id);
  }

  /** Sessions still on the board: not finished, or finished but the camera not yet taken away. */
  openDockSessions(): DockSessionRow[] {
    return prepared<[], DockSessionRow>(
      this.db,
      'SELECT * FROM dock_session WHERE detached_at IS NULL ORDER BY attached_at DESC LIMIT 200',
    ).all();
  }

  /**
   * A camera's docks, newest first, a page at a time: the keyset cursor is the last row of the page
   * above, written with one upper bound on attached_at so dock_session_device is read backwards
   * from it (the same shape as the clip searches; docs/performance.md).
   */
  dockHistory(deviceId: number, before: { attachedAt: number; id: number } | null, limit: number): DockSessionRow[] {
    if (!before) {
      return prepared<[number, number], DockSessionRow>(
        this.db,
        'SELECT * FROM dock_session WHERE device_id = ? ORDER BY attached_at DESC, id DESC LIMIT ?',
      ).all(deviceId, limit);
    }
    return prepared<[number, number, number, number, number], DockSessionRow>(
      this.db,
      `SELECT * FROM dock_session WHERE device_id = ? AND attached_at <= ? AND (attached_at < ? OR id < ?)
        ORDER BY attached_at DESC, id DESC LIMIT ?`,
    ).all(deviceId, before.attachedAt, before.attachedAt, before.id, limit);
  }

  setDockState(id: number, state: DockState, reason: string | null, at: number | null): void {
    prepared(this.db, 'UPDATE dock_session SET state = ?, state_reason = ?, finished_at = coalesce(?, finished_at) WHERE id = ?').run(
      state,
      reason,
      at,
      id,
    );
  }

  setDockDevice(id: number, deviceId: number, officerId: number | null): void {
    prepared(this.db, 'UPDATE dock_session SET device_id = ?, officer_id = ? WHERE id = ?').run(deviceId, officerId, id);
  }

  /** The station wrote the camera's time file at `at`, holding `text` (the time as written). */
  setClockSet(id: number, at: number, text: string): void {
    prepared(this.db, 'UPDATE dock_session SET clock_set_at = ?, clock_set_text = ? WHERE id = ?').run(at, text, id);
  }

  markDetached(id: number, at: number): void {
    prepared(this.db, 'UPDATE dock_session SET detached_at = ? WHERE id = ? AND detached_at IS NULL').run(at, id);
  }

  /** Refreshes the session's counters from its files (one statement, always consistent). */
  refreshCounts(id: number): void {
    prepared(
      this.db,
      `UPDATE dock_session SET
         files_total = (SELECT count(*) FROM ingest_file WHERE dock_session_id = @id),
         files_committed = (SELECT count(*) FROM ingest_file WHERE dock_session_id = @id AND state = 'committed'),
         files_failed = (SELECT count(*) FROM ingest_file WHERE dock_session_id = @id AND state = 'failed'),
         files_duplicate = (SELECT count(*) FROM ingest_file WHERE dock_session_id = @id AND state = 'duplicate'),
         bytes_total = (SELECT coalesce(sum(size), 0) FROM ingest_file WHERE dock_session_id = @id)
       WHERE id = @id`,
    ).run({ id });
  }

  addFile(f: Omit<IngestFileRow, 'id' | 'failure_kind' | 'failure_message' | 'attempts' | 'clip_id' | 'vault_path'>): number {
    const info = prepared(
      this.db,
      `INSERT INTO ingest_file (dock_session_id, device_id, original_path, size, mtime_ms, kind, state, updated_at)
       VALUES (@dock_session_id, @device_id, @original_path, @size, @mtime_ms, @kind, @state, @updated_at)`,
    ).run(f);
    return Number(info.lastInsertRowid);
  }

  file(id: number): IngestFileRow | undefined {
    return prepared<[number], IngestFileRow>(this.db, 'SELECT * FROM ingest_file WHERE id = ?').get(id);
  }

  files(dockSessionId: number): IngestFileRow[] {
    return prepared<[number], IngestFileRow>(this.db, 'SELECT * FROM ingest_file WHERE dock_session_id = ? ORDER BY id').all(dockSessionId);
  }

  /** A dock's files, each committed one with its clip's damage and clock flags (the dock's detail view). */
  filesWithDamage(dockSessionId: number): Array<IngestFileRow & { damaged: number | null; damage_reason: string | null; clock_wrong: number | null }> {
    return prepared<[number], IngestFileRow & { damaged: number | null; damage_reason: string | null; clock_wrong: number | null }>(
      this.db,
      `SELECT f.*, c.damaged AS damaged, c.damage_reason AS damage_reason, c.clock_wrong AS clock_wrong
         FROM ingest_file f LEFT JOIN clip c ON c.id = f.clip_id AND f.state = 'committed'
        WHERE f.dock_session_id = ? ORDER BY f.id`,
    ).all(dockSessionId);
  }

  setFileState(id: number, state: IngestFileState, at: number, failure?: { kind: IngestFailureKind; message: string } | null, clipId?: number | null): void {
    prepared(
      this.db,
      `UPDATE ingest_file SET state = ?, updated_at = ?, failure_kind = ?, failure_message = ?,
         clip_id = coalesce(?, clip_id), attempts = attempts + (CASE WHEN ? = 'copying' THEN 1 ELSE 0 END)
       WHERE id = ?`,
    ).run(state, at, failure?.kind ?? null, failure?.message ?? null, clipId ?? null, state, id);
  }

  /** The vault path a file's commit is about to use; see migration 0080. */
  setFileVaultPath(id: number, vaultPath: string): void {
    prepared(this.db, 'UPDATE ingest_file SET vault_path = ? WHERE id = ?').run(vaultPath, id);
  }

  /**
   * The lost clip a file's copy is about to be put back as, and where: named with the clip, so
   * `unindexedVaultPaths` never offers that path (it is indexed, as the clip's) for adoption.
   */
  setFileRestoring(id: number, clipId: number, vaultPath: string): void {
    prepared(this.db, 'UPDATE ingest_file SET clip_id = ?, vault_path = ? WHERE id = ?').run(clipId, vaultPath, id);
  }

  /**
   * Vault paths earlier commits of this camera file chose and never indexed
   * (a crash between the rename and the transaction), newest first: a copy
   * there is this file's, and is adopted rather than stored again.
   */
  unindexedVaultPaths(deviceId: number, originalPath: string, size: number, mtimeMs: number): string[] {
    return prepared<[number, string, number, number], { vault_path: string }>(
      this.db,
      `SELECT vault_path FROM ingest_file
       WHERE device_id = ? AND original_path = ? AND size = ? AND mtime_ms = ? AND vault_path IS NOT NULL AND clip_id IS NULL
       ORDER BY id DESC`,
    )
      .all(deviceId, originalPath, size, mtimeMs)
      .map((r) => r.vault_path);
  }

  /**
   * Files left mid-way by a crash or kill: marked failed('interrupted'). Their
   * copies in the incoming area are swept at start-up; one that reached the vault
   * before the crash (its row has a vault_path and no clip) is adopted by the
   * next dock of that camera, which copies the others again.
   */
  resetInterrupted(at: number): number {
    return prepared(
      this.db,
      `UPDATE ingest_file SET state = 'failed', failure_kind = 'interrupted',
         failure_message = '采集站在复制时停止；下次接入时重新复制。 / The station stopped during the copy; it is copied again at the next dock.',
         updated_at = ?
       WHERE state IN ('discovered', 'copying', 'verifying')`,
    ).run(at).changes;
  }

  /** Dock sessions a crash left "ingesting": closed as failed; their camera is re-ingested at the next dock. */
  closeInterruptedSessions(at: number): number {
    return prepared(
      this.db,
      `UPDATE dock_session SET
         state = CASE WHEN finished_at IS NULL THEN 'failed' ELSE state END,
         state_reason = CASE WHEN finished_at IS NULL
           THEN '采集站重启，未完成的文件将在下次接入时复制。 / The station restarted; unfinished files are copied at the next dock.'
           ELSE state_reason END,
         finished_at = coalesce(finished_at, @at), detached_at = coalesce(detached_at, @at)
       WHERE id IN (SELECT id FROM dock_session WHERE finished_at IS NULL
                    UNION ALL SELECT id FROM dock_session WHERE detached_at IS NULL)`,
    ).run({ at }).changes;
  }

  /**
   * Guarantee 4, first test: the same file of the same camera (path, size, mtime) is already a clip,
   * at the path it was stored from or at one it was later found moved to (clip_moved, migration 0130).
   * Served by clip_file (device, mtime, size), the path compared in the row (migration 0060 says why).
   */
  clipByIdentity(deviceId: number, originalPath: string, size: number, mtimeMs: number): ClipKey | undefined {
    return (
      prepared<[number, number, number, string], ClipKey>(
        this.db,
        'SELECT id, hash_algorithm, hash, vault_path FROM clip INDEXED BY clip_file WHERE device_id = ? AND size = ? AND mtime_ms = ? AND original_path = ? LIMIT 1',
      ).get(deviceId, size, mtimeMs, originalPath) ??
      prepared<[number, number, number, string], ClipKey>(
        this.db,
        `SELECT c.id, c.hash_algorithm, c.hash, c.vault_path FROM clip_moved m INDEXED BY clip_moved_file JOIN clip c ON c.id = m.clip_id
          WHERE m.device_id = ? AND m.size = ? AND m.mtime_ms = ? AND m.original_path = ? LIMIT 1`,
      ).get(deviceId, size, mtimeMs, originalPath)
    );
  }

  /**
   * Guarantee 4, second test: clips of this camera file time whose bytes these are (same size, same
   * mtime, same hash): the same file docked again after the vault lost it, or the same file moved
   * to another path. A file of another mtime is another recording, whatever its bytes. Reads the
   * camera's entries of clip_file for that time and size. Hashes compare only within one
   * algorithm: a station that switched between SHA-256 and SM3 holds both.
   */
  clipsBySameBytes(deviceId: number, size: number, mtimeMs: number, algorithm: HashAlgorithm, hash: string): SameBytesClip[] {
    return prepared<[number, number, number, HashAlgorithm, string], SameBytesClip>(
      this.db,
      `SELECT id, hash_algorithm, hash, vault_path, original_path FROM clip INDEXED BY clip_file
        WHERE device_id = ? AND size = ? AND mtime_ms = ? AND hash_algorithm = ? AND hash = ? ORDER BY id LIMIT 16`,
    ).all(deviceId, size, mtimeMs, algorithm, hash);
  }

  /** A clip's file found at another path on its camera (clip_moved); nothing when that path is already recorded. */
  addMoved(m: { clipId: number; deviceId: number; originalPath: string; size: number; mtimeMs: number; dockSessionId: number | null; at: number }): boolean {
    return (
      prepared(
        this.db,
        `INSERT INTO clip_moved (clip_id, device_id, original_path, size, mtime_ms, dock_session_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (clip_id, original_path) DO NOTHING`,
      ).run(m.clipId, m.deviceId, m.originalPath, m.size, m.mtimeMs, m.dockSessionId, m.at).changes === 1
    );
  }

  /** The other paths a clip's file was found at, oldest first. */
  movedPaths(clipId: number): Array<{ original_path: string; seen_at: number; dock_session_id: number | null }> {
    return prepared<[number], { original_path: string; seen_at: number; dock_session_id: number | null }>(
      this.db,
      'SELECT original_path, seen_at, dock_session_id FROM clip_moved WHERE clip_id = ? ORDER BY id',
    ).all(clipId);
  }

  /**
   * The hash algorithms other than `algorithm` of this camera's clips of this time and size (a station that
   * switched between SHA-256 and SM3): the second test must hash a copy in each to compare it.
   */
  otherHashAlgorithms(deviceId: number, size: number, mtimeMs: number, algorithm: HashAlgorithm): HashAlgorithm[] {
    return prepared<[number, number, number, HashAlgorithm], { hash_algorithm: HashAlgorithm }>(
      this.db,
      'SELECT DISTINCT hash_algorithm FROM clip INDEXED BY clip_file WHERE device_id = ? AND mtime_ms = ? AND size = ? AND hash_algorithm <> ?',
    )
      .all(deviceId, mtimeMs, size, algorithm)
      .map((r) => r.hash_algorithm);
  }

  /**
   * Up to `limit` clips from `afterId` on (ids rise with commit time) that were stored while
   * ffprobe could not be started: the reason is the probe's own `ffprobe: spawn …` (probe.ts).
   * A range of the primary key, not a scan of the table (probe-recheck.ts).
   */
  clipsNotProbed(afterId: number, limit: number): ClipRow[] {
    return prepared<[number, number], ClipRow>(
      this.db,
      "SELECT * FROM clip WHERE id > ? AND damaged = 1 AND damage_reason LIKE 'ffprobe: spawn %' ORDER BY id LIMIT ?",
    ).all(afterId, limit);
  }

  /** The highest clip id, 0 for none. */
  lastClipId(): number {
    return prepared<[], { id: number | null }>(this.db, 'SELECT max(id) AS id FROM clip').get()!.id ?? 0;
  }

  /** A clip's media facts as a later probe found them; only while it still carries `previousReason`. Must run in a write transaction. */
  setClipMedia(id: number, previousReason: string, media: Pick<ClipRow, 'damaged' | 'damage_reason' | 'duration_ms' | 'video_codec' | 'audio_codec' | 'width' | 'height' | 'embedded_created_at' | 'important'>): boolean {
    return (
      prepared(
        this.db,
        `UPDATE clip SET damaged = @damaged, damage_reason = @damage_reason, duration_ms = @duration_ms, video_codec = @video_codec,
           audio_codec = @audio_codec, width = @width, height = @height, embedded_created_at = @embedded_created_at, important = @important
         WHERE id = @id AND damage_reason = @previous`,
      ).run({ ...media, id, previous: previousReason }).changes === 1
    );
  }

  /** The clips `station verify` found altered (migration 0100), replacing the previous check's. */
  replaceAlteredFindings(altered: ReadonlyArray<{ clipId: number; actual: string }>, at: number): void {
    prepared(this.db, 'DELETE FROM vault_altered').run();
    const insert = prepared(this.db, 'INSERT INTO vault_altered (clip_id, actual_hash, found_at) VALUES (?, ?, ?)');
    for (const a of altered) insert.run(a.clipId, a.actual, at);
  }

  /** Whether the last check found this clip's vault file altered. */
  foundAltered(clipId: number): boolean {
    return prepared<[number], { one: 1 }>(this.db, 'SELECT 1 AS one FROM vault_altered WHERE clip_id = ?').get(clipId) !== undefined;
  }

  /** The clip's vault file is right again (put back by a dock, or found matching). */
  clearAlteredFinding(clipId: number): void {
    prepared(this.db, 'DELETE FROM vault_altered WHERE clip_id = ?').run(clipId);
  }

  /**
   * Whether a clip of this camera is indexed at this vault path (Vault.commit's `indexed`). A clip's
   * folder is the day of its start time (or, undated, of its commit), so only the camera's clips
   * dated within two days of `around`, the time that picked the folder, or undated, can be there:
   * a few index entries, where a look-up by vault path alone would need an index of its own.
   */
  vaultPathIndexed(deviceId: number, vaultPath: string, around: number): boolean {
    const DAYS_2 = 2 * 86_400_000;
    const dated = prepared<[number, number, number, string], { one: 1 }>(
      this.db,
      'SELECT 1 AS one FROM clip INDEXED BY clip_device_start WHERE device_id = ? AND start_at BETWEEN ? AND ? AND vault_path = ? LIMIT 1',
    ).get(deviceId, around - DAYS_2, around + DAYS_2, vaultPath);
    if (dated) return true;
    return (
      prepared<[number, string], { one: 1 }>(
        this.db,
        'SELECT 1 AS one FROM clip INDEXED BY clip_device_start WHERE device_id = ? AND start_at IS NULL AND vault_path = ? LIMIT 1',
      ).get(deviceId, vaultPath) !== undefined
    );
  }

  insertClip(c: NewClip): number {
    // Bound by position (positionalInsertSql says why).
    const info = prepared(this.db, INSERT_CLIP_SQL).run(CLIP_COLUMNS.map((column) => c[column]));
    return Number(info.lastInsertRowid);
  }

  clip(id: number): ClipRow | undefined {
    return prepared<[number], ClipRow>(this.db, 'SELECT * FROM clip WHERE id = ?').get(id);
  }

  clipsOfSession(dockSessionId: number): ClipRow[] {
    return prepared<[number], ClipRow>(this.db, 'SELECT * FROM clip WHERE dock_session_id = ? ORDER BY start_at, id').all(dockSessionId);
  }

  clipCount(): number {
    return prepared<[], { n: number }>(this.db, 'SELECT count(*) AS n FROM clip').get()!.n;
  }

  /** Clips in id order after `afterId`, a page at a time (keyset), so a walk over millions holds one page. */
  clipsAfter(afterId: number, limit: number): ClipRow[] {
    return prepared<[number, number], ClipRow>(this.db, 'SELECT * FROM clip WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit);
  }

  addNotice(dockSessionId: number, kind: DockNoticeKind, path: string, message: string, at: number): void {
    prepared(this.db, 'INSERT INTO dock_notice (dock_session_id, kind, path, message, at) VALUES (?, ?, ?, ?, ?)').run(
      dockSessionId,
      kind,
      path,
      message,
      at,
    );
  }

  notices(dockSessionId: number): Array<{ kind: DockNoticeKind; path: string; message: string; at: number }> {
    return prepared<[number], { kind: DockNoticeKind; path: string; message: string; at: number }>(
      this.db,
      'SELECT kind, path, message, at FROM dock_notice WHERE dock_session_id = ? ORDER BY id',
    ).all(dockSessionId);
  }
}
