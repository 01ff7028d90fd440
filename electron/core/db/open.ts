import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrate.js';

export type Db = Database.Database;

/** The connection's page cache, in KiB (see openDatabase). */
export const STATION_CACHE_KIB = 64 * 1024;

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
 */
export function openDatabase(options: OpenOptions): Db {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
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
