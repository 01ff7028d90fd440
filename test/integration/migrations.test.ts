import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/db/migrate.js';
import { openDatabase, STATION_PAGE_BYTES, STATION_WAL_CHECKPOINT_BYTES, STATION_WAL_KEEP_BYTES } from '../../electron/core/db/open.js';
import { repoPath } from '../../electron/core/paths.js';
import { createStation } from '../../electron/core/station.js';
import { StationError } from '../../shared/errors.js';
import { tempDir, withAdmin } from '../support/station.js';

const migrationsDir = repoPath('migrations');
const latest = loadMigrations(migrationsDir).at(-1)!.version;

function tables(db: Database.Database) {
  return db
    .prepare<[], { name: string; strict: number }>(
      "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
}

/** A station's database with its administrator in it, the station closed: what a new migration meets. */
async function populatedDatabase(): Promise<string> {
  const t = await withAdmin();
  const file = path.join(t.dataDir, 'station.sqlite');
  t.close();
  return file;
}

/**
 * A copy of the migrations folder (only those before version `before`, if
 * given) with `next`, if given, as the migration after the latest.
 */
function migrationsFolder(next?: { name: string; sql: string }, before = Infinity): string {
  const dir = tempDir('migrations-');
  for (const f of fs.readdirSync(migrationsDir)) if (Number(f.slice(0, 4)) < before) fs.copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
  if (next) fs.writeFileSync(path.join(dir, `${String(latest + 10).padStart(4, '0')}_${next.name}.sql`), next.sql);
  return dir;
}

describe('migrations', () => {
  it('are numbered in steps of ten with snake_case names', () => {
    const files = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
    for (const m of loadMigrations(migrationsDir)) expect(m.version % 10).toBe(0);
  });

  it('build a fresh database: every table STRICT, pragmas set, version recorded', () => {
    const db = openDatabase({ file: path.join(tempDir(), 's.sqlite'), migrationsDir });
    expect(schemaVersion(db)).toBe(latest);
    const ts = tables(db);
    expect(ts.map((t) => t.name)).toEqual(
      expect.arrayContaining(['audit', 'device', 'device_keeper_spell', 'person', 'person_role', 'station_setting']),
    );
    for (const t of ts) expect({ table: t.name, strict: t.strict }).toEqual({ table: t.name, strict: 1 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('page_size', { simple: true })).toBe(STATION_PAGE_BYTES);
    // The log is checkpointed at 256 MiB whatever the page size (16,384 pages of 16 KiB); the file a
    // cycle fills is kept (only a log over 512 MiB is cut back), so the next cycle writes over it.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(STATION_WAL_CHECKPOINT_BYTES / STATION_PAGE_BYTES);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(STATION_WAL_KEEP_BYTES);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(512 * 1024 * 1024);
    expect(STATION_WAL_KEEP_BYTES).toBeGreaterThan(STATION_WAL_CHECKPOINT_BYTES);
    db.close();
  });

  it('keep the page size of a database created before 16 KiB pages, and still bring it up to date', () => {
    const file = path.join(tempDir(), 's.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, loadMigrations(migrationsFolder(undefined, 20)));
    expect(old.pragma('page_size', { simple: true })).toBe(4096);
    old.close();
    const db = openDatabase({ file, migrationsDir });
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(65_536); // still 256 MiB of log
    expect(schemaVersion(db)).toBe(latest);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('leave a populated database and its data intact when reopened', async () => {
    const t = await withAdmin();
    await t.admin.ok('devices.register', { serial: 'A-1' });
    const dataDir = t.dataDir;
    t.close();
    const again = createStation({ dataDir, scryptCost: 1024 });
    expect(schemaVersion(again.db)).toBe(latest);
    expect(again.db.prepare('SELECT serial FROM device').all()).toEqual([{ serial: 'A-1' }]);
    again.close();
  });

  it('apply a new migration to a populated database in one transaction', async () => {
    const file = await populatedDatabase();
    const dir = migrationsFolder({ name: 'device_colour', sql: "ALTER TABLE device ADD COLUMN colour TEXT NOT NULL DEFAULT 'black';" });
    const db = new Database(file);
    expect(migrate(db, loadMigrations(dir))).toEqual({ from: latest, to: latest + 10 });
    expect(schemaVersion(db)).toBe(latest + 10);
    expect(db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 1 });
    db.close();
  });

  it('roll a failing migration back whole and keep the old version', async () => {
    const file = await populatedDatabase();
    const dir = migrationsFolder({ name: 'broken', sql: 'CREATE TABLE half_done (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);' });
    const db = new Database(file);
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('rebuild the clip table (0060) keeping every row, id and reference, with foreign keys back on', () => {
    const dir = migrationsFolder(undefined, 60);
    const file = path.join(tempDir(), 's.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations(dir));
    expect(schemaVersion(db)).toBe(50);
    db.exec(`
      INSERT INTO device (id, serial, created_at, updated_at) VALUES (7, 'A-7', 0, 0);
      INSERT INTO dock_session (id, volume_id, volume_root, source, device_id, state, attached_at) VALUES (3, 'v', '/v', 'cli', 7, 'done', 0);
      INSERT INTO clip (id, device_id, dock_session_id, original_path, size, mtime_ms, kind, hash_algorithm, hash, vault_path, verification, committed_at, important)
        VALUES (41, 7, 3, 'DCIM/a.MP4', 100, 5, 'video', 'sha256', 'aa', '2026/11/27/A-7/a.MP4', 'direct-readback', 9, 1),
               (42, 7, 3, 'DCIM/b.MP4', 100, 6, 'video', 'sha256', 'bb', '2026/11/27/A-7/b.MP4', 'direct-readback', 9, 0);
      INSERT INTO ingest_file (dock_session_id, device_id, original_path, size, mtime_ms, kind, state, clip_id, updated_at)
        VALUES (3, 7, 'DCIM/a.MP4', 100, 5, 'video', 'committed', 41, 9);
    `);
    const before = db.prepare('SELECT * FROM clip ORDER BY id').all();

    migrate(db, loadMigrations(migrationsDir));
    expect(schemaVersion(db)).toBe(latest);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Every row kept; 0130 adds clock_wrong, 0 for every clip stored before it; 0150 what the names
    // said, unknown (null) for every clip stored before it.
    expect(db.prepare('SELECT * FROM clip ORDER BY id').all()).toEqual(
      before.map((r) => ({ ...(r as object), clock_wrong: 0, name_serial: null, name_badge: null, name_seq: null })),
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The reference still holds: the clip a committed file points at cannot go.
    expect(() => db.prepare('DELETE FROM clip WHERE id = 41').run()).toThrow(/FOREIGN KEY/);
    // The three text keys are gone, one integer key serves identity, hash and rebuild look-ups.
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM pragma_index_list('clip') ORDER BY name").all().map((r) => r.name);
    // (0200 adds the library's: every clip by time, and the damaged and non-video ones.)
    expect(indexes).toEqual([
      'clip_checkout_start', 'clip_damaged_start', 'clip_device_start', 'clip_file', 'clip_important_start', 'clip_kind_start',
      'clip_officer_start', 'clip_session', 'clip_start',
    ]);
    const plan = (sql: string) =>
      db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...[7, 100, 5, 'x'].slice(0, sql.split('?').length - 1))
        .map((r) => r.detail)
        .join(' | ');
    expect(plan('SELECT id FROM clip WHERE device_id = ? AND size = ? AND mtime_ms = ? AND original_path = ?')).toMatch(
      /USING INDEX clip_file \(device_id=\? AND mtime_ms=\? AND size=\?\)/,
    );
    // The hash test: only this camera's entries, from the index (never a scan of the table).
    expect(plan('SELECT id FROM clip INDEXED BY clip_file WHERE device_id = ? AND size = ? AND hash = ?')).toMatch(/^SEARCH clip USING INDEX clip_file \(device_id=\?\)$/);
    db.close();
  });

  it('give every clip its camera-clock flag and a place for the paths a file moved to (0130), served by an index', () => {
    const file = path.join(tempDir(), 's.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, loadMigrations(migrationsFolder(undefined, 130)));
    expect(schemaVersion(db)).toBe(120);
    db.exec(`
      INSERT INTO device (id, serial, created_at, updated_at) VALUES (7, 'A-7', 0, 0);
      INSERT INTO clip (id, device_id, original_path, size, mtime_ms, kind, hash_algorithm, hash, vault_path, verification, committed_at)
        VALUES (41, 7, 'DCIM/a.MP4', 100, 5, 'video', 'sha256', 'aa', '2026/11/27/A-7/a.MP4', 'direct-readback', 9);
    `);
    migrate(db, loadMigrations(migrationsDir));
    expect(db.prepare('SELECT id, clock_wrong FROM clip').all()).toEqual([{ id: 41, clock_wrong: 0 }]);
    expect(() => db.prepare('UPDATE clip SET clock_wrong = 2').run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO clip_moved (clip_id, device_id, original_path, size, mtime_ms, seen_at) VALUES (41, 7, 'DCIM/b.MP4', 100, 5, 9)").run();
    // One path a clip: recorded once however often it is seen.
    expect(() => db.prepare("INSERT INTO clip_moved (clip_id, device_id, original_path, size, mtime_ms, seen_at) VALUES (41, 7, 'DCIM/b.MP4', 100, 5, 10)").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO clip_moved (clip_id, device_id, original_path, size, mtime_ms, seen_at) VALUES (99, 7, 'DCIM/c.MP4', 100, 5, 9)").run()).toThrow(/FOREIGN KEY/);
    const plan = db
      .prepare<[number, number, number, string], { detail: string }>(
        'EXPLAIN QUERY PLAN SELECT clip_id FROM clip_moved INDEXED BY clip_moved_file WHERE device_id = ? AND size = ? AND mtime_ms = ? AND original_path = ?',
      )
      .all(7, 100, 5, 'x')
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/USING INDEX clip_moved_file \(device_id=\? AND mtime_ms=\? AND size=\?\)/);
    db.close();
  });

  it('roll back a table rebuild that would leave a broken reference, with foreign keys back on', async () => {
    const file = await populatedDatabase();
    // Rebuilds person but forgets its rows: person_role keeps pointing at the administrator.
    const dir = migrationsFolder({
      name: 'lossy_rebuild',
      sql: `-- migrate: foreign_keys=off
       CREATE TABLE person_new (id INTEGER PRIMARY KEY) STRICT;
       DROP TABLE person;
       ALTER TABLE person_new RENAME TO person;`,
    });
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/broken reference/);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 1 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuse a database written by a newer station, with a clear message, leaving it untouched', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'station.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 9990');
    db.close();
    let error: unknown;
    try {
      createStation({ dataDir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StationError);
    expect((error as StationError).code).toBe('database_newer');
    expect((error as StationError).message).toMatch(/9990.*新.*newer/s);
    const after = new Database(file);
    expect(schemaVersion(after)).toBe(9990);
    expect(tables(after)).toEqual([]);
    after.close();
  });

  it('serve the audit viewer and verification from indexes, not scans', async () => {
    const t = await withAdmin();
    const plan = (sql: string) =>
      t.station.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan("SELECT * FROM audit WHERE seq < 100 AND object_type = 'device' ORDER BY seq DESC LIMIT 50")).toMatch(
      /USING (INDEX audit_object|INTEGER PRIMARY KEY)/,
    );
    expect(plan('SELECT * FROM audit ORDER BY seq')).not.toMatch(/TEMP B-TREE/);
    expect(plan("SELECT * FROM person WHERE badge = '1'")).toMatch(/USING INDEX/);
    // The dock board and the start-up close read the cameras on the dock now, not every dock ever (0070).
    expect(plan('SELECT * FROM dock_session WHERE detached_at IS NULL ORDER BY attached_at DESC LIMIT 200')).toMatch(
      /^SCAN dock_session USING INDEX dock_session_attached/,
    );
    const close = plan(
      `UPDATE dock_session SET state = 'failed' WHERE id IN (SELECT id FROM dock_session WHERE finished_at IS NULL
       UNION ALL SELECT id FROM dock_session WHERE detached_at IS NULL)`,
    );
    expect(close).toMatch(/USING INDEX dock_session_open.*USING INDEX dock_session_attached/);
    expect(close).not.toMatch(/SCAN dock_session( \||$)/);
    t.close();
  });
});
