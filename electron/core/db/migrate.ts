import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { StationError } from '../../../shared/errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `NNNN_name.sql` files in version order; refuses gaps in naming rules. */
export function loadMigrations(dir: string): Migration[] {
  const out: Migration[] = [];
  for (const file of fs.readdirSync(dir)) {
    const m = FILE.exec(file);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: fs.readFileSync(path.join(dir, file), 'utf8') });
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
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}
