// What the tests of a migration that adds an alarm kind share: the migrations before it (a
// database as the station before that change left it) and an alarm row written as it stood.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/db/migrate.js';
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

/**
 * The two tests every migration that adds an alarm kind owes (the kinds are a CHECK constraint,
 * so each rebuilds the table): on a fresh database the new kind is allowed and an unknown one is
 * not; on a database the version before left, with an open and a resolved alarm, every row is
 * kept with its id, every earlier kind is still allowed, the open-alarm index is back and used,
 * and foreign keys are intact.
 */
export function describeAlarmKindMigration(m: { name: string; version: number; previous: number; kind: string; earlierKinds: readonly string[]; details?: string }): void {
  const insert = (db: Database.Database, kind: string, id?: number) => insertAlarm(db, kind, { id, serial: 'DSJ-M1', details: m.details ?? '{"x":1}' });
  const open = () => new Database(path.join(tempDir(), 's.sqlite'));
  describe(`migration ${m.name}`, () => {
    it(`on a fresh database: ${m.kind} is an alarm kind, an unknown kind is not`, () => {
      const db = open();
      migrate(db, loadMigrations(migrationsDir));
      expect(schemaVersion(db)).toBeGreaterThanOrEqual(m.version);
      insert(db, m.kind);
      expect(() => insert(db, 'no_such_kind')).toThrow(/CHECK constraint failed/);
      db.close();
    });

    it('on a database with alarms: every row kept with its id, every earlier kind still allowed, the open-alarm index back, foreign keys intact', () => {
      const db = open();
      db.pragma('foreign_keys = ON');
      migrate(db, loadMigrations(migrationsBefore(m.version)));
      expect(schemaVersion(db)).toBe(m.previous);
      expect(() => insert(db, m.kind)).toThrow(/CHECK constraint failed/);
      insert(db, m.earlierKinds[0]!, 7);
      insert(db, 'vault_unavailable', 9);
      db.prepare("UPDATE alarm SET resolved_at = 8, resolved_by = 'station', resolution = 'r' WHERE id = 9").run();
      const before = db.prepare('SELECT * FROM alarm ORDER BY id').all();

      migrate(db, loadMigrations(migrationsDir));
      expect(schemaVersion(db)).toBeGreaterThanOrEqual(m.version);
      expect(db.prepare('SELECT * FROM alarm ORDER BY id').all()).toEqual(before);
      insert(db, m.kind, 10);
      for (const kind of m.earlierKinds) insert(db, kind);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'alarm' AND name = 'alarm_open'").all()).toEqual([{ name: 'alarm_open' }]);
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM alarm WHERE resolved_at IS NULL ORDER BY raised_at DESC').all() as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toContain('alarm_open');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.close();
    });
  });
}
