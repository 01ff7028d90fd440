// Migration 0170: the alarm table accepts files_exposed (station files other accounts may read or
// change), on a fresh database and on one with alarms in it, whose rows, ids and open/resolved
// state are kept; an unknown kind is still refused, and the open-alarm index is back.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/db/migrate.js';
import { insertAlarm, migrationsBefore, migrationsDir } from '../support/alarm-migrations.js';
import { tempDir } from '../support/station.js';

describe('migration 0170_alarm_files_exposed', () => {
  it('on a fresh database: files_exposed is an alarm kind, an unknown kind is not', () => {
    const db = new Database(path.join(tempDir(), 's.sqlite'));
    migrate(db, loadMigrations(migrationsDir));
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(170);
    insertAlarm(db, 'files_exposed');
    expect(() => insertAlarm(db, 'no_such_kind')).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('on a database with alarms: every row kept with its id, every earlier kind still allowed, the index back', () => {
    const db = new Database(path.join(tempDir(), 's.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations(migrationsBefore(170)));
    expect(schemaVersion(db)).toBe(160);
    expect(() => insertAlarm(db, 'files_exposed')).toThrow(/CHECK constraint failed/);
    insertAlarm(db, 'profile_invalid', { id: 7 });
    insertAlarm(db, 'vault_unavailable', { id: 9 });
    db.prepare("UPDATE alarm SET resolved_at = 8, resolved_by = 'station', resolution = 'r' WHERE id = 9").run();
    const before = db.prepare('SELECT * FROM alarm ORDER BY id').all();

    migrate(db, loadMigrations(migrationsDir));
    expect(db.prepare('SELECT * FROM alarm ORDER BY id').all()).toEqual(before);
    insertAlarm(db, 'files_exposed', { id: 10 });
    for (const kind of ['unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space', 'probe_unavailable', 'footage_unreadable']) insertAlarm(db, kind);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'alarm' AND name = 'alarm_open'").all()).toEqual([{ name: 'alarm_open' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
