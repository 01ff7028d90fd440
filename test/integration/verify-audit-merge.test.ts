// The merge behind `station verify`'s cross-check of the index and the audit log
// (ingest/verify-audit-match.ts): clip rows in id order and their entry rows in seq order, walked
// side by side a page at a time, since the audit table has no index by object id. Thousands of
// clips in a real station database, so both walks cross many page boundaries, with entry rows in
// the order the station writes them and in the reverse order (a forged log), and each kind of
// tampering at once: every finding named, and nothing else.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stationActor } from '../../electron/core/audit/actor.js';
import { AuditLog } from '../../electron/core/audit/log.js';
import type { Db } from '../../electron/core/db/open.js';
import type { NewClip } from '../../electron/core/ingest/repository.js';
import { IngestRepository } from '../../electron/core/ingest/repository.js';
import { AuditCrossCheck, ENTRY_SQL } from '../../electron/core/ingest/verify-audit-match.js';
import type { VaultProblem } from '../../electron/core/ingest/verify-problems.js';
import { undoAfterEach } from '../support/cleanup.js';
import { T0, withAdmin } from '../support/station.js';

const cleanup = undoAfterEach();

/** More than eleven pages of clip rows (256) and two of entry rows (1,024). */
const CLIPS = 3001;

function newClip(deviceId: number, n: number): NewClip {
  const hex = n.toString(16).padStart(8, '0');
  return {
    device_id: deviceId, dock_session_id: null, officer_id: null, badge: null, original_path: `DCIM/${n}.MP4`, size: 1000 + n,
    mtime_ms: T0 + n * 1000, kind: 'video', hash_algorithm: 'sha256', hash: hex.repeat(8), vault_path: `2026/11/27/DSJ-M1/${n}.MP4`,
    verification: 'direct-readback', camera_start_text: null, camera_start_at: null, start_at: T0 + n * 1000, duration_ms: null,
    video_codec: null, audio_codec: null, width: null, height: null, embedded_created_at: null, important: 0, damaged: 0,
    damage_reason: null, committed_at: T0, clock_wrong: 0, name_serial: null, name_badge: null, name_seq: null,
  };
}

/** What an entry row records of a clip: as job.ts writes clip.committed, and rebuild.ts clip.restored (no size). */
function entry(clip: NewClip, id: number, restored: boolean) {
  return restored
    ? { action: 'clip.restored', objectType: 'clip', objectId: id, after: { vaultPath: clip.vault_path, hash: clip.hash } }
    : { action: 'clip.committed', objectType: 'clip', objectId: id, after: { serial: 'DSJ-M1', size: clip.size, hash: clip.hash, algorithm: 'sha256', vaultPath: clip.vault_path } };
}

/**
 * A station with CLIPS clips and their entry rows, through the index's own insert and the audit
 * log's own append (the first ten put back by rebuild-index, the rest committed by a dock): each
 * row beside its entry as the station writes them, or all rows first and the entries after, last
 * clip first.
 */
async function filled(entries: 'as written' | 'reversed'): Promise<{ db: Db; repo: IngestRepository; log: AuditLog; deviceId: number }> {
  const t = await withAdmin();
  cleanup(() => t.close());
  const device = await t.admin.ok('devices.register', { serial: 'DSJ-M1', model: 'X1' });
  const db = t.station.db;
  const repo = new IngestRepository(db);
  const log = new AuditLog(db, path.join(t.dataDir, 'merge-test-anchor.json'));
  db.transaction(() => {
    const made: Array<[number, NewClip]> = [];
    for (let n = 1; n <= CLIPS; n++) {
      const clip = newClip(device.id, n);
      const id = repo.insertClip(clip);
      if (entries === 'as written') log.append(stationActor, T0, entry(clip, id, n <= 10));
      else made.push([id, clip]);
    }
    for (const [id, clip] of made.reverse()) log.append(stationActor, T0, entry(clip, id, id <= 10));
  })();
  return { db, repo, log, deviceId: device.id };
}

/** The cross-check as `station verify` runs it: clip rows a page of 256 at a time, then what is left. */
function crossCheck(db: Db): VaultProblem[] {
  const repo = new IngestRepository(db);
  const check = new AuditCrossCheck(db, (id) => repo.clip(id));
  const problems: VaultProblem[] = [];
  for (let page = repo.clipsAfter(0, 256); page.length > 0; page = repo.clipsAfter(page.at(-1)!.id, 256)) problems.push(...check.page(page));
  return [...problems, ...check.finish()];
}

const named = (problems: VaultProblem[]) => problems.map((p) => [p.problem, p.clipId, p.lastClipId ?? null]).sort((a, b) => Number(a[1]) - Number(b[1]));

describe('the cross-check of clip rows and their entry rows', () => {
  it('reads the entry rows a page at a time from the audit_object index', async () => {
    const t = await withAdmin();
    cleanup(() => t.close());
    const plan = t.station.db.prepare(`EXPLAIN QUERY PLAN ${ENTRY_SQL}`).all(0, 1024) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH audit USING INDEX audit_object (object_type=? AND seq>?)']);
  });

  for (const order of ['as written', 'reversed'] as const) {
    it(`finds every clip as recorded, entry rows ${order}`, async () => {
      const { db } = await filled(order);
      expect(crossCheck(db)).toEqual([]);
    });

    it(`names each kind of tampering across the pages, entry rows ${order}`, async () => {
      const { db, repo, log, deviceId } = await filled(order);
      db.exec('DROP TRIGGER audit_no_delete');
      const removeEntry = db.prepare("DELETE FROM audit WHERE object_type = 'clip' AND object_id = ?");
      db.transaction(() => {
        // A row made to say another hash; a row whose entry is gone; a row removed whose entry is
        // left; three rows removed with their entries.
        db.prepare('UPDATE clip SET hash = ? WHERE id = 1000').run('f'.repeat(64));
        removeEntry.run('2000');
        db.prepare('DELETE FROM clip WHERE id = 2500').run();
        for (const id of [1500, 1501, 1502]) {
          db.prepare('DELETE FROM clip WHERE id = ?').run(id);
          removeEntry.run(String(id));
        }
        // The newest clip removed, its entry left: the next clip takes its id (max(id) + 1).
        db.prepare('DELETE FROM clip WHERE id = ?').run(CLIPS);
        const next = { ...newClip(deviceId, CLIPS + 1) };
        const id = repo.insertClip(next);
        expect(id).toBe(CLIPS);
        log.append(stationActor, T0, entry(next, id, false));
      })();

      const problems = crossCheck(db);
      expect(named(problems)).toEqual([
        ['audit_mismatch', 1000, null],
        ['index_gap', 1500, 1502],
        ['audit_missing', 2000, null],
        ['committed_not_indexed', 2500, null],
        ['committed_not_indexed', CLIPS, null],
      ]);
      expect(problems.find((p) => p.clipId === 1000)!.fields).toEqual([{ field: 'hash', index: 'f'.repeat(64), audit: newClip(deviceId, 1000).hash }]);
      // The first clip #CLIPS was, in the words of its entry: removed, and its id taken again.
      expect(problems.find((p) => p.clipId === CLIPS)).toMatchObject({ vaultPath: newClip(deviceId, CLIPS).vault_path, message: expect.stringContaining('now names another clip') });
    });
  }
});
