import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrate.js';

export type Db = Database.Database;

/** The connection's page cache, in KiB (see openDatabase). */
export const STATION_CACHE_KIB = 64 * 1024;

/** The page size of a new station database, in bytes (see openDatabase). */
export const STATION_PAGE_BYTES = 16 * 1024;

export interface OpenOptions {
  file: string;
  migrationsDir: string;
  /** For a packaged Electron app, better-sqlite3 built against Electron's ABI. */
  nativeBinding?: string;
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
 */
export function openDatabase(options: OpenOptions): Db {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    if (db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${STATION_PAGE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${STATION_CACHE_KIB}`);
    migrate(db, loadMigrations(options.migrationsDir));
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
