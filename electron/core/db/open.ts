import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrate.js';

export type Db = Database.Database;

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
 */
export function openDatabase(options: OpenOptions): Db {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, loadMigrations(options.migrationsDir));
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
