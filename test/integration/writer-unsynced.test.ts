// Writer.runUnsynced: a passing step committed without waiting for the disk, the database's own
// durability setting back for every other commit, and a failed change leaving nothing.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log.js';
import { ManualClock } from '../../electron/core/clock.js';
import { openDatabase } from '../../electron/core/db/open.js';
import { Writer } from '../../electron/core/db/writer.js';
import { EventBus } from '../../electron/core/events.js';
import { repoPath } from '../../electron/core/paths.js';
import { T0, tempDir } from '../support/station.js';

describe('Writer.runUnsynced', () => {
  it('commits with synchronous=NORMAL for that transaction alone, then FULL again, even when the change throws', () => {
    const dir = tempDir('writer-');
    const db = openDatabase({ file: path.join(dir, 's.sqlite'), migrationsDir: repoPath('migrations') });
    const writer = new Writer(db, new AuditLog(db, path.join(dir, 'audit-anchor.json')), new EventBus(), new ManualClock(T0));
    const seen: number[] = [];
    writer.runUnsynced(() => {
      seen.push(db.pragma('synchronous', { simple: true }) as number);
      db.prepare("INSERT INTO station_setting (key, value) VALUES ('k', 'v')").run();
    });
    expect(seen).toEqual([1]); // NORMAL inside
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL after
    expect(db.prepare("SELECT value FROM station_setting WHERE key = 'k'").get()).toEqual({ value: 'v' });
    expect(() =>
      writer.runUnsynced(() => {
        db.prepare("UPDATE station_setting SET value = 'w' WHERE key = 'k'").run();
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(db.prepare("SELECT value FROM station_setting WHERE key = 'k'").get()).toEqual({ value: 'v' });
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});
