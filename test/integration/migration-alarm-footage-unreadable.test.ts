// Migration 0120: the alarm table accepts footage_unreadable (issue 17), on a fresh database and on
// one with alarms in it, whose rows, ids and open/resolved state are kept; an unknown kind is still
// refused, and the open-alarm index is back.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/db/migrate.js';
import { insertAlarm as insertKind, migrationsBefore, migrationsDir } from '../support/alarm-migrations.js';
import { tempDir } from '../support/station.js';

/** An alarm row as these tests write it. */
const insertAlarm = (db: Database.Database, kind: string, id?: number) => insertKind(db, kind, { id, serial: 'DSJ-M1', details: '{"x":1}' });

describe('migration 0120_alarm_footage_unreadable', () => {
  it('on a fresh database: footage_unreadable is an alarm kind, an unknown kind is not', () => {
    const db = new Database(path.join(tempDir(), 's.sqlite'));
    migrate(db, loadMigrations(migrationsDir));
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(120);
    insertAlarm(db, 'footage_unreadable');
    expect(() => insertAlarm(db, 'no_such_kind')).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('on a database with alarms: every row kept with its id, the open-alarm index back, foreign keys intact', () => {
    const db = new Database(path.join(tempDir(), 's.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations(migrationsBefore(120)));
    expect(schemaVersion(db)).toBe(110);
    expect(() => insertAlarm(db, 'footage_unreadable')).toThrow(/CHECK constraint failed/);
    insertAlarm(db, 'probe_unavailable', 7);
    insertAlarm(db, 'vault_unavailable', 9);
    db.prepare("UPDATE alarm SET resolved_at = 8, resolved_by = 'station', resolution = 'r' WHERE id = 9").run();
    const before = db.prepare('SELECT * FROM alarm ORDER BY id').all();

    migrate(db, loadMigrations(migrationsDir));
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(120);
    expect(db.prepare('SELECT * FROM alarm ORDER BY id').all()).toEqual(before);
    insertAlarm(db, 'footage_unreadable', 10);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'alarm' AND name = 'alarm_open'").all()).toEqual([{ name: 'alarm_open' }]);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM alarm WHERE resolved_at IS NULL ORDER BY raised_at DESC').all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('alarm_open');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
