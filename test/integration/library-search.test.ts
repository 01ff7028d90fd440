// library.search through the contract on a real station database: clips written by the ingest's
// own insert (as clip-search.test.ts does, for volume and exact times), checkouts with their work
// types, cases and classifications written through the contract, and every answer checked against
// the same rows filtered and sorted in plain code, page by page across clips sharing a start time.
// The query plans of every driver are held to their index (no sort of the whole clip table).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewClip } from '../../electron/core/ingest/repository.js';
import { IngestRepository } from '../../electron/core/ingest/repository.js';
import type { Driver } from '../../electron/core/library/library-search.js';
import { buildSearch, COUNT_CAP, DRIVER_INDEX, driverOf, LibrarySearch } from '../../electron/core/library/library-search.js';
import { secretClipSql } from '../../electron/core/library/confidentiality.js';
import { CLIP_HISTORY_SQL } from '../../electron/core/library/clip-detail.js';
import type { WorkType } from '../../shared/custody.js';
import { workTypes } from '../../shared/custody.js';
import type { ClipKind } from '../../shared/ingest.js';
import type { Confidentiality, LibraryCursor, LibraryFilter } from '../../shared/library.js';
import { confidentialityLevels, higherLevel } from '../../shared/library.js';
import { undoAfterEach } from '../support/cleanup.js';
import { prng } from '../support/prng.js';
import type { Client } from '../support/station.js';
import { T0, withAdmin } from '../support/station.js';

const cleanup = undoAfterEach();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const DAY0 = Date.UTC(2026, 10, 19, 16, 0, 0);

interface Ref {
  id: number;
  startAt: number | null;
  officerId: number;
  deviceId: number;
  kind: ClipKind;
  important: boolean;
  damaged: boolean;
  checkoutId: number | null;
  workType: WorkType | null;
  level: Confidentiality;
  cases: number[];
}

/**
 * Six days of footage on three cameras of two officers; start times on ten-minute marks so many
 * clips share one (the keyset's tie-break on id must hold); some 重点, damaged, audio and photos;
 * undated files; four checkouts of different work types; two cases; classifications of every level.
 */
async function library() {
  const t = await withAdmin();
  cleanup(() => t.close());
  const db = t.station.db;
  const person = async (badge: string, name: string) => (await t.admin.ok('people.create', { badge, name, roles: ['officer'] })).person;
  const zhang = await person('100001', '张执法');
  const li = await person('100002', '李执法');
  const repo = new IngestRepository(db);
  const cams: Array<{ deviceId: number; officerId: number; serial: string; dock: number; badge: string }> = [];
  for (const [serial, officer] of [['DSJ-A1', zhang], ['DSJ-A2', zhang], ['DSJ-B1', li]] as const) {
    const device = await t.admin.ok('devices.register', { serial, model: 'DSJ-V8', keeperId: officer.id });
    const dock = repo.createDockSession({
      volume_id: `test:${serial}`, volume_root: `/media/${serial}`, source: 'cli', label: serial, profile_id: 'gat947-generic',
      device_id: device.id, serial, binding_json: null, officer_id: officer.id, state: 'done', state_reason: null,
      camera_clock_text: null, clock_skew_ms: 0, free_bytes: null, battery_percent: null, attached_at: T0,
    });
    cams.push({ deviceId: device.id, officerId: officer.id, serial, dock, badge: officer.badge });
  }
  // Checkouts as custody writes them (returned, so a camera may have several); only their work type matters here.
  const checkout = db.prepare(
    `INSERT INTO checkout (device_id, officer_id, work_type, checked_out_at, issued_by, expected_end_at, same_day_deadline_at, deadline_at,
       deadline_rule, status, returned_at) VALUES (?, ?, ?, ?, 'test', ?, ?, ?, 'same_day', 'returned', ?)`,
  );
  const checkouts = new Map<number, WorkType>();
  for (let i = 0; i < 4; i++) {
    const cam = cams[i % 3]!;
    const wt = workTypes[i]!;
    checkouts.set(Number(checkout.run(cam.deviceId, cam.officerId, wt, T0, T0, T0, T0, T0).lastInsertRowid), wt);
  }
  const random = prng(20);
  const refs: Ref[] = [];
  let seq = 0;
  const insert = (cam: (typeof cams)[number], startAt: number | null, kind: ClipKind, important: boolean, damaged: boolean, checkoutId: number | null) => {
    seq++;
    const name = `${cam.serial}_${seq}.${{ video: 'MP4', audio: 'WAV', photo: 'JPG', other: 'TXT' }[kind]}`;
    const clip: NewClip = {
      device_id: cam.deviceId, dock_session_id: cam.dock, officer_id: cam.officerId, badge: cam.badge, original_path: `DCIM/${name}`,
      size: 1000 + seq, mtime_ms: (startAt ?? T0) + seq, kind, hash_algorithm: 'sha256', hash: createHash('sha256').update(name).digest('hex'),
      vault_path: `2026/11/20/${cam.serial}/${name}`, verification: 'direct-readback', camera_start_text: null, camera_start_at: startAt,
      start_at: startAt, duration_ms: null, video_codec: null, audio_codec: null, width: null, height: null, embedded_created_at: startAt,
      important: important ? 1 : 0, damaged: damaged ? 1 : 0, damage_reason: damaged ? 'moov atom missing' : null, committed_at: T0 + seq,
      clock_wrong: 0, name_serial: null, name_badge: null, name_seq: null,
    };
    const id = repo.insertClip(clip);
    if (checkoutId !== null) db.prepare('UPDATE clip SET checkout_id = ? WHERE id = ?').run(checkoutId, id);
    refs.push({ id, startAt, officerId: cam.officerId, deviceId: cam.deviceId, kind, important, damaged, checkoutId,
      workType: checkoutId === null ? null : checkouts.get(checkoutId)!, level: 'normal', cases: [] });
    return id;
  };
  const kinds: ClipKind[] = ['video', 'video', 'video', 'video', 'audio', 'photo'];
  const checkoutIds = [...checkouts.keys()];
  for (let i = 0; i < 240; i++) {
    const cam = cams[Math.floor(random() * 3)]!;
    const startAt = DAY0 + Math.floor(random() * 6 * 24 * 3) * 20 * MINUTE;
    insert(cam, startAt, kinds[Math.floor(random() * kinds.length)]!, random() < 0.2, random() < 0.08, random() < 0.5 ? checkoutIds[Math.floor(random() * 4)]! : null);
  }
  // Five clips at the very same instant on all three cameras, inserted out of camera order.
  const tie = DAY0 + 2 * DAY + 9 * 60 * MINUTE;
  for (const i of [1, 0, 2, 0, 1]) insert(cams[i]!, tie, 'video', true, false, checkoutIds[0]!);
  for (const i of [0, 0, 2]) insert(cams[i]!, null, 'photo', false, false, checkoutIds[0]!);
  return { t, db, zhang, li, cams, refs, tie, checkoutIds };
}

/** The reference answer: newest first, ties by id, unknown times last (newest committed first). */
function expected(refs: Ref[], f: LibraryFilter): number[] {
  const ranged = f.from !== undefined || f.to !== undefined;
  return refs
    .filter((r) => {
      if (ranged && (r.startAt === null || r.startAt < (f.from ?? -Infinity) || r.startAt >= (f.to ?? Infinity))) return false;
      if (f.officerId !== undefined && r.officerId !== f.officerId) return false;
      if (f.deviceId !== undefined && r.deviceId !== f.deviceId) return false;
      if (f.important !== undefined && r.important !== f.important) return false;
      if (f.damaged !== undefined && r.damaged !== f.damaged) return false;
      if (f.kind !== undefined && r.kind !== f.kind) return false;
      if (f.checkoutId !== undefined && r.checkoutId !== f.checkoutId) return false;
      if (f.workType !== undefined && r.workType !== f.workType) return false;
      if (f.caseId !== undefined && !r.cases.includes(f.caseId)) return false;
      if (f.confidentiality !== undefined && r.level !== f.confidentiality) return false;
      return true;
    })
    .sort((x, y) => (y.startAt ?? -Infinity) - (x.startAt ?? -Infinity) || y.id - x.id)
    .map((r) => r.id);
}

/** Follows `next` to the end through the contract; fails on a short page before the last. */
async function everyPage(client: Client, f: LibraryFilter, limit: number): Promise<{ ids: number[]; total: { count: number; capped: boolean } | null }> {
  const ids: number[] = [];
  let after: LibraryCursor | undefined;
  let total = null;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await client.ok('library.search', { ...f, limit, ...(after ? { after } : {}) });
    if (pages === 1) total = page.total;
    else expect(page.total).toBeNull();
    ids.push(...page.clips.map((c) => c.id));
    if (page.next === null) return { ids, total };
    expect(page.clips).toHaveLength(limit);
    after = page.next;
  }
  throw new Error('paging did not end');
}

describe('library.search', () => {
  it('answers every filter and mix of filters as the rows filtered in plain code, page by page across ties, with totals', async () => {
    const { t, zhang, li, cams, refs, tie, checkoutIds } = await library();
    const cli = t.cli();
    // Classify through the contract: a work type set on clips (overriding their checkout's), levels, two cases.
    const byId = new Map(refs.map((r) => [r.id, r]));
    const pick = (n: number, offset: number) => refs.filter((_, i) => i % 11 === offset).slice(0, n).map((r) => r.id);
    const overridden = pick(12, 3);
    await cli.ok('library.classify', { clipIds: overridden, workType: 'other_onsite' });
    for (const id of overridden) byId.get(id)!.workType = 'other_onsite';
    const levels: Array<[Confidentiality, number[]]> = [['internal', pick(10, 5)], ['commercial_secret', pick(4, 7)], ['state_secret', pick(3, 9)]];
    for (const [level, ids] of levels) {
      await cli.ok('library.classify', { clipIds: ids, confidentiality: level });
      for (const id of ids) byId.get(id)!.level = level;
    }
    const caseA = await cli.ok('cases.create', { caseNo: '苏税稽〔2026〕17号', cause: '偷税', handlerId: zhang.id });
    const caseB = await cli.ok('cases.create', { caseNo: 'B-2', cause: '投诉', handlerName: '王承办', confidentiality: 'internal' });
    const inA = pick(20, 1);
    await cli.ok('cases.addClips', { caseId: caseA.id, clipIds: inA });
    const inB = await cli.ok('cases.addClips', { caseId: caseB.id, checkoutId: checkoutIds[1]! });
    for (const id of inA) byId.get(id)!.cases.push(caseA.id);
    for (const id of inB.added) {
      const r = byId.get(id)!;
      r.cases.push(caseB.id);
      r.level = higherLevel(r.level, 'internal');
    }
    expect(inB.added.length).toBeGreaterThan(5);

    const from = DAY0 + DAY;
    const to = DAY0 + 4 * DAY;
    const filters: LibraryFilter[] = [
      {},
      { from, to },
      { from },
      { to },
      { officerId: zhang.id },
      { officerId: li.id, from, to },
      { deviceId: cams[1]!.deviceId },
      { deviceId: cams[0]!.deviceId, important: true },
      { important: true },
      { important: true, from, to },
      { important: false, kind: 'video' },
      { damaged: true },
      { damaged: true, officerId: zhang.id },
      { damaged: false, from, to },
      { kind: 'audio' },
      { kind: 'photo' },
      { kind: 'photo', from, to },
      { kind: 'video', officerId: li.id },
      { workType: 'routine_inspection' },
      { workType: 'other_onsite' },
      { workType: 'complaint_handling', officerId: zhang.id, from, to },
      { checkoutId: checkoutIds[0]! },
      { checkoutId: checkoutIds[0]!, from, to },
      { checkoutId: checkoutIds[2]!, kind: 'video', important: false },
      { caseId: caseA.id },
      { caseId: caseB.id, from, to },
      { caseId: caseA.id, officerId: li.id },
      ...confidentialityLevels.map((confidentiality) => ({ confidentiality })),
      { confidentiality: 'internal', officerId: zhang.id },
      { confidentiality: 'normal', kind: 'audio', from, to },
    ];
    const drivers = new Set<Driver>();
    for (const f of filters) {
      drivers.add(driverOf(f));
      const want = expected(refs, f);
      for (const limit of [7, 500]) {
        const got = await everyPage(cli, f, limit);
        expect({ f, limit, ids: got.ids }).toEqual({ f, limit, ids: want });
        expect(got.total).toEqual({ count: want.length, capped: false });
      }
    }
    // Every way a search can be driven was taken, and the clips at one instant straddled pages.
    expect([...drivers].sort()).toEqual(Object.keys(DRIVER_INDEX).sort());
    const tied = expected(refs, {}).filter((id) => byId.get(id)!.startAt === tie);
    expect(tied).toHaveLength(5);
    const tiePos = expected(refs, {}).indexOf(tied[0]!);
    expect(Math.floor(tiePos / 7)).not.toBe(Math.floor((tiePos + 4) / 7));

    // What a page says of a clip: the work type (override or the checkout's), its effective level, metadata only.
    const page = await cli.ok('library.search', { limit: 500 });
    for (const c of page.clips) {
      const r = byId.get(c.id)!;
      expect([c.workType, c.confidentiality, c.checkoutId, c.important, c.damaged]).toEqual([r.workType, r.level, r.checkoutId, r.important, r.damaged]);
      expect(c.workTypeOverridden).toBe(overridden.includes(c.id));
    }
    expect(JSON.stringify(page)).not.toMatch(/2026\/11\/20\//); // no vault path
    expect(JSON.stringify(page)).not.toMatch(/vault/i);
  });

  it('caps the total it counts, and says so', async () => {
    const { t, db, cams } = await library();
    const repo = new IngestRepository(db);
    const seed = db.prepare('SELECT * FROM clip WHERE id = 1').get() as NewClip;
    db.transaction(() => {
      for (let i = 0; i < COUNT_CAP + 10; i++) {
        repo.insertClip({ ...seed, original_path: `BULK/${i}.MP4`, vault_path: `bulk/${i}.MP4`, mtime_ms: 10 + i, device_id: cams[2]!.deviceId, start_at: DAY0 - i * MINUTE });
      }
    })();
    const cli = t.cli();
    // Through the contract the count may also stop at its time budget (on a busy machine): "at least".
    const total = (await cli.ok('library.search', {})).total!;
    expect(total.capped).toBe(true);
    expect(total.count).toBeGreaterThanOrEqual(256);
    expect(total.count).toBeLessThanOrEqual(COUNT_CAP);
    // Without the time budget it counts to the cap exactly.
    const everything = new LibrarySearch(db, Infinity).search({ personId: null, allClips: true, head: true, secretGranted: 'all' }, { filter: {} });
    expect(everything.total).toEqual({ count: COUNT_CAP, capped: true });
    expect((await cli.ok('library.search', { deviceId: cams[0]!.deviceId })).total!.capped).toBe(false);
  });

  it('refuses a range that ends before it starts, and a page too large', async () => {
    const { t } = await library();
    const cli = t.cli();
    expect(await cli.call('library.search', { from: 10, to: 5 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await cli.call('library.search', { limit: 501 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await cli.call('library.search', { after: { startAt: 1, id: 0 } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('library.search query plans', () => {
  /** Each driver, alone and with the filters read from the rows it walks, with and without hiding secrets. */
  const shapes: LibraryFilter[] = [
    {},
    { from: 1, to: 2 },
    { kind: 'video' },
    { workType: 'investigation', damaged: false },
    { confidentiality: 'normal', from: 1 },
    { officerId: 1 },
    { officerId: 1, from: 1, to: 2, kind: 'audio', important: true, workType: 'investigation', confidentiality: 'normal' },
    { deviceId: 1 },
    { deviceId: 1, from: 1, to: 2, damaged: true },
    { important: true },
    { important: true, from: 1, kind: 'photo' },
    { damaged: true },
    { damaged: true, to: 2 },
    { kind: 'audio' },
    { kind: 'photo', from: 1, to: 2, important: false },
    { checkoutId: 1 },
    { checkoutId: 1, from: 1, to: 2, officerId: 1 },
    { caseId: 1 },
    { caseId: 1, officerId: 1, confidentiality: 'internal' },
    { confidentiality: 'state_secret' },
    { confidentiality: 'internal', officerId: 1, from: 1, to: 2 },
  ];

  it('reads a clip’s history from the audit index by object, newest first, with no sort', async () => {
    const { db } = await library();
    const plan = db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${CLIP_HISTORY_SQL}`)
      .all('1', 10, 5)
      .map((p) => p.detail)
      .join(' | ');
    expect(plan).toMatch(/^SEARCH audit USING INDEX audit_object_id \(object_type=\? AND object_id=\? AND seq<\?\)$/);
  });

  it('walks the driver’s index in order (no sort) for every shape, before and after ANALYZE', async () => {
    const { db } = await library();
    const bind = (sql: string) => {
      const names = new Set([...sql.matchAll(/@([A-Za-z]+)/g)].map((m) => m[1]!));
      return Object.fromEntries([...names].map((n) => [n, n === 'kind' ? 'audio' : n === 'workType' ? 'investigation' : n === 'level' ? 'internal' : 1]));
    };
    const plan = (sql: string) =>
      db
        .prepare<[object], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(bind(sql))
        .map((p) => p.detail)
        .join(' | ');
    for (const stage of ['as created', 'after ANALYZE']) {
      if (stage === 'after ANALYZE') db.exec('ANALYZE');
      for (const f of shapes) {
        const driver = driverOf(f);
        for (const hide of [null, `NOT ${secretClipSql('c')}`]) {
          const ranged = f.from !== undefined || f.to !== undefined;
          for (const phase of ranged ? (['dated'] as const) : (['dated', 'undated'] as const)) {
            const built = buildSearch(f, hide, phase, ranged);
            const p = plan(built.sql);
            const first = p.split(' | ')[0]!;
            if (driver === 'case') {
              // A case's clips (its primary key), then each clip by id, sorted: a case holds hundreds, not millions.
              expect({ f, stage, p }).toMatchObject({ p: expect.stringMatching(/SEARCH cc USING (COVERING INDEX|PRIMARY KEY)[^|]*\| SEARCH c USING INTEGER PRIMARY KEY/) });
              expect(`${stage} ${JSON.stringify(f)}: ${p}`).not.toMatch(/SEARCH c USING (COVERING )?INDEX/);
            } else if (driver === 'classified') {
              // The kept effective levels newest first (migration 0210), then each clip by id: no sort,
              // however many clips are at that level.
              expect({ f, stage, first }).toMatchObject({ first: expect.stringMatching(/^SEARCH lv USING (COVERING )?INDEX clip_level_rank_start \(rank=\?/) });
              expect({ f, stage, p }).toMatchObject({ p: expect.stringMatching(/SEARCH c USING INTEGER PRIMARY KEY/) });
              expect({ f, stage, p }).not.toMatchObject({ p: expect.stringMatching(/TEMP B-TREE FOR ORDER BY/) });
              expect(`${stage} ${JSON.stringify(f)}: ${p}`).not.toMatch(/SEARCH c USING (COVERING )?INDEX/);
            } else {
              expect({ f, stage, first }).toMatchObject({ first: expect.stringMatching(new RegExp(`^SEARCH c USING (COVERING )?INDEX ${DRIVER_INDEX[driver]}`)) });
              expect({ f, stage, p }).not.toMatchObject({ p: expect.stringMatching(/TEMP B-TREE FOR ORDER BY/) });
            }
            // The other tables are looked up by key, never scanned.
            expect(`${stage} ${JSON.stringify(f)}: ${p}`).not.toMatch(/SCAN (p|d|k|cl|clip)\b/);
          }
          const count = plan(buildSearch(f, hide, 'dated', f.from !== undefined || f.to !== undefined).countSql);
          if (driver !== 'case') expect({ f, count }).toMatchObject({ count: expect.stringContaining(DRIVER_INDEX[driver]) });
        }
      }
    }
  });
});
