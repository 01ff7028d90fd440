// What the tests of a migration that adds an alarm kind share: the migrations before it (a
// database as the station before that change left it) and an alarm row written as it stood.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { repoPath } from '../../electron/core/paths.js';
import { tempDir } from './station.js';

export const migrationsDir = repoPath('migrations');

/** A copy of the migrations numbered below `before`. */
export function migrationsBefore(before: number): string {
  const dir = tempDir('migrations-');
  for (const f of fs.readdirSync(migrationsDir)) if (Number(f.slice(0, 4)) < before) fs.copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
  return dir;
}

/** Inserts an alarm of `kind` (the table's CHECK decides whether it may). */
export function insertAlarm(db: Database.Database, kind: string, row: { id?: number; serial?: string | null; details?: string } = {}): void {
  db.prepare('INSERT INTO alarm (id, kind, serial, details_json, raised_at) VALUES (?, ?, ?, ?, ?)').run(row.id ?? null, kind, row.serial ?? null, row.details ?? '{}', 5);
}
