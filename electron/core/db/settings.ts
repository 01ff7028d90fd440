// station_setting: one text value a key, for the station's own bookkeeping (the vault's id, the
// custody watermark, the custody rules, the clips to check again). Writes must run inside a write
// transaction; each module owns its own keys.
import type { Db } from './open.js';
import { prepared } from './statements.js';

export function readSetting(db: Db, key: string): string | null {
  return prepared<[string], { value: string }>(db, 'SELECT value FROM station_setting WHERE key = ?').get(key)?.value ?? null;
}

export function writeSetting(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO station_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteSetting(db: Db, key: string): void {
  prepared(db, 'DELETE FROM station_setting WHERE key = ?').run(key);
}
