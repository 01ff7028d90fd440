import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { StationError } from '../../../shared/errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The file starts with `-- migrate: foreign_keys=off`: it rebuilds a table
   * that others reference (SQLite's "twelve steps": new table, copy, drop,
   * rename), which only works with foreign-key enforcement off. The pragma
   * cannot change inside a transaction, so the runner turns it off around the
   * migration and runs `foreign_key_check` before the commit instead.
   */
  foreignKeysOff: boolean;
}

const FOREIGN_KEYS_OFF = /^-- migrate: foreign_keys=off\s*$/m;

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `NNNN_name.sql` files in version order; refuses gaps in naming rules. */
export function loadMigrations(dir: string): Migration[] {
  const out: Migration[] = [];
  for (const file of fs.readdirSync(dir)) {
    const m = FILE.exec(file);
    if (!m) continue;
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    out.push({ version: Number(m[1]), name: m[2]!, sql, foreignKeysOff: FOREIGN_KEYS_OFF.test(sql.split('\n', 1)[0] ?? '') });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) {
      throw new Error(`two migrations share version ${out[i]!.version}`);
    }
  }
  return out;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the database, each in its own transaction
 * together with its `user_version` bump, so a crash leaves the database at the
 * last whole step. A database written by a newer station is refused untouched.
 */
export function migrate(db: Database.Database, migrations: Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new StationError(
      'database_newer',
      `数据库版本 ${from} 比本程序支持的 ${latest} 新，请安装新版程序后再打开。` +
        ` / The database is version ${from}, newer than this station supports (${latest}); install the newer station to open it.`,
      { databaseVersion: from, supportedVersion: latest },
    );
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    const enforcing = db.pragma('foreign_keys', { simple: true }) === 1;
    if (m.foreignKeysOff && enforcing) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (m.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
          if (broken.length > 0) {
            const first = broken[0]!;
            throw new Error(`migration ${m.version}_${m.name} leaves ${broken.length} broken reference(s), first ${first.table} row ${first.rowid} → ${first.parent}`);
          }
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (m.foreignKeysOff && enforcing) db.pragma('foreign_keys = ON');
    }
  }
  return { from, to: Math.max(from, latest) };
}
