// A clip's effective confidentiality is the highest of its own and its cases' (第二十一条), and the
// SQL the searches hide secrets with agrees with it, read from the partial indexes of migration 0180.
import { describe, expect, it } from 'vitest';
import { clipConfidentiality, secretClipSql } from '../../electron/core/library/confidentiality.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera } from '../support/ingest.js';
import { BADGE, clipRows, SERIAL, stationWithCamera } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();

describe('clip confidentiality', () => {
  it('is the highest of the clip\'s own level and its cases\'; the secret SQL finds exactly the secret clips', async () => {
    const t = await stationWithCamera();
    cleanup(t.close);
    expect((await t.station.ingestFolder((await camera({ serial: SERIAL, badge: BADGE, now: T0 })).root)).summary?.state).toBe('done');
    const ids = clipRows(t.station).map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const [a, b, c, d] = ids as [number, number, number, number];
    const db = t.station.db;
    db.prepare("INSERT INTO clip_class (clip_id, confidentiality, updated_at) VALUES (?, 'internal', 1), (?, 'state_secret', 1), (?, 'normal', 1)").run(a, b, c);
    db.prepare("INSERT INTO legal_case (id, case_no, cause, handler_name, confidentiality, created_at, created_by, updated_at) VALUES (1, 'A-1', '案由', '承办人', 'commercial_secret', 1, 'x', 1), (2, 'A-2', '案由', '承办人', 'internal', 1, 'x', 1)").run();
    // a: internal itself, in a commercial-secret case → commercial_secret; c: normal itself, in an internal case → internal.
    db.prepare('INSERT INTO case_clip (case_id, clip_id, added_at, added_by) VALUES (1, ?, 1, ?), (2, ?, 1, ?), (2, ?, 1, ?)').run(a, 'x', c, 'x', b, 'x');

    const levels = clipConfidentiality(db, ids);
    expect([levels.get(a), levels.get(b), levels.get(c), levels.get(d)]).toEqual(['commercial_secret', 'state_secret', 'internal', 'normal']);
    const secret = db.prepare(`SELECT c.id FROM clip c WHERE ${secretClipSql('c')} ORDER BY c.id`).all() as Array<{ id: number }>;
    expect(secret.map((r) => r.id)).toEqual([a, b].sort((x, y) => x - y));
    // Unknown and many ids: every one answered, in chunks.
    const many = [...ids, ...Array.from({ length: 1200 }, (_, i) => 1_000_000 + i)];
    expect(clipConfidentiality(db, many).size).toBe(many.length);
  });
});
