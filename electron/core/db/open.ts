import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PRIVATE_DIR, PRIVATE_FILE, tighten } from '../private-modes.js';
import { loadMigrations, migrate } from './migrate.js';

export type Db = Database.Database;

/** The connection's page cache, in KiB (see openDatabase). */
export const STATION_CACHE_KIB = 64 * 1024;

/** The page size of a new station database, in bytes (see openDatabase). */
export const STATION_PAGE_BYTES = 16 * 1024;

/** How much write-ahead log is gathered before it is copied into the database (see openDatabase). */
export const STATION_WAL_CHECKPOINT_BYTES = 256 * 1024 * 1024;

/**
 * What the write-ahead log file is cut back to once it has been copied in: twice
 * the checkpoint size, so the file a checkpoint cycle fills is kept and
 * written over, not cut and grown again (see openDatabase).
 */
export const STATION_WAL_KEEP_BYTES = 2 * STATION_WAL_CHECKPOINT_BYTES;

export interface OpenOptions {
  file: string;
  migrationsDir: string;
  /** For a packaged Electron app, better-sqlite3 built against Electron's ABI. */
  nativeBinding?: string;
  /** Where a mode that could not be tightened is said. */
  log?: (message: string, error?: unknown) => void;
}

/**
 * Opens (creating if needed) the station database and brings its schema up to
 * date. synchronous=FULL: every commit is on disk before the call answers, so
 * the audit anchor written after a commit can never be ahead of the database.
 * The write volume (state changes, one row per clip) is far below what FULL
 * costs here.
 *
 * cache_size 64 MiB (SQLite's default is 2 MiB): at a million clips and more,
 * the clip indexes' pages being written (one insertion point per camera and
 * officer) and the searches' upper index levels stay in the process instead of
 * being re-read from the OS cache, which a VM may page out within a minute.
 * Measured (bench:index, docs/performance.md): fewer CPU µs a clip inserted and
 * steadier warm searches; a station has gigabytes of memory to spare.
 *
 * A new database gets 16 KiB pages (SQLite's default is 4 KiB): fewer, larger
 * pages mean fewer page headers, splits and B-tree levels for the same clips;
 * with the clip insert's positional binding (same change), bench:index measured
 * 5 % more inserts a second at 1 M clips, about the same at 5 M, and first
 * queries after a cold start a little faster (1.5 against 2.0 ms at worst at
 * 5 M); a stand-alone test of the page size alone gave 10 % at 1 M. The size can only be chosen before the first table
 * exists, so a database created with 4 KiB pages keeps them (everything works
 * the same with either).
 *
 * The write-ahead log is checkpointed (copied into the database, which is then
 * fsynced) once it holds 256 MiB, not SQLite's default 1,000 pages: a clip
 * index page that many commits touch (a camera's or an officer's insertion
 * point) is then written to the database once instead of once per 1,000
 * pages of log. With 10,000-clip transactions the default checkpointed after
 * every commit; bench:index measured 72,500 against 84,000–89,000 rows/s at
 * 1 M clips (64 MiB of log: 77,000; 1 GiB: no better than 256 MiB). The price
 * is at most 256 MiB of log on disk between checkpoints, which a reopen after
 * a crash reads once (well under a second here). The log file is kept at up
 * to 512 MiB after a checkpoint (journal_size_limit): SQLite then writes the
 * next cycle's frames over blocks the file already has. Cut back to 64 MiB, as
 * it first was, every cycle grew it by about 200 MiB again; writing past the
 * end of a file makes the file system allocate blocks and record the new size
 * at each fsync, and the cut discards the freed blocks (ext4 mounted with
 * discard here), which is the likely cause, not measured apart: the COMMIT of a 10,000-clip transaction took
 * 4.4–4.7 against 3.4–3.5 µs a clip to 1 M clips, and 6.5–7.1 against 5.3–5.4
 * from 1 M to 3 M (bench:index, two runs each, alternated); 8,000 one-clip
 * commits, as live ingest makes them, across one checkpoint: p50 0.18–0.20
 * against 0.28–0.29 ms, worst 3.5 against 63 ms. Only a log larger
 * than 512 MiB (one huge transaction, e.g. a migration) is cut back. The price
 * is up to 512 MiB of disk held by the log file. The checkpoint still runs in
 * the committing call, at most once per 256 MiB written, so live ingest (a few
 * pages a clip) meets it rarely.
 */
export function openDatabase(options: OpenOptions): Db {
  fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: PRIVATE_DIR });
  // Made 0600 before SQLite opens it: SQLite gives its WAL and shared-memory files the database's mode.
  if (!fs.existsSync(options.file)) fs.closeSync(fs.openSync(options.file, 'a', PRIVATE_FILE));
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    if (db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${STATION_PAGE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${STATION_CACHE_KIB}`);
    const pageBytes = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${STATION_WAL_CHECKPOINT_BYTES / pageBytes}`);
    db.pragma(`journal_size_limit = ${STATION_WAL_KEEP_BYTES}`);
    migrate(db, loadMigrations(options.migrationsDir));
    // A database made before modes were set (0644): its PIN hashes were anyone's to copy.
    for (const f of [options.file, `${options.file}-wal`, `${options.file}-shm`]) tighten(f, PRIVATE_FILE, options.log ?? (() => {}));
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
