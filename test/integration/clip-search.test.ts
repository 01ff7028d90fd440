// The library's clip searches against a real station database: people and
// cameras created through the contract, clips written by the ingest's own
// insert, and every answer checked against the same rows filtered and sorted
// in plain code. The query plans are held to their indexes (no sort step).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClipCursor, ClipPage, ClipSearchName } from '../../electron/core/library/clip-search.js';
import { CLIP_SEARCH_SQL, ClipSearch, MAX_PAGE_SIZE } from '../../electron/core/library/clip-search.js';
import type { ClipRow, NewClip } from '../../electron/core/ingest/repository.js';
import { IngestRepository } from '../../electron/core/ingest/repository.js';
import { undoAfterEach } from '../support/cleanup.js';
import { T0, withAdmin } from '../support/station.js';
import { prng } from '../support/prng.js';

const cleanup = undoAfterEach();

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// 2026-11-20 00:00 in Shanghai: the first day of the footage.
const DAY0 = Date.UTC(2026, 10, 19, 16, 0, 0);


/** Shanghai wall-clock text as a GA/T 947 camera writes it in a file name: 20261120_083000. */
function cameraTime(utcMs: number): string {
  const d = new Date(utcMs + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

interface Camera {
  deviceId: number;
  serial: string;
  badge: string;
  officerId: number;
  dockSessionId: number;
}

async function library() {
  const t = await withAdmin();
  cleanup(() => t.close());
  const person = async (badge: string, name: string) => (await t.admin.ok('people.create', { badge, name, roles: ['officer'] })).person;
  const zhang = await person('100001', '张执法');
  const li = await person('100002', '李执法');
  const repo = new IngestRepository(t.station.db);
  const cameras: Camera[] = [];
  // Zhang keeps two cameras, Li one: "by officer" and "by device" must differ.
  for (const [serial, officer] of [['DSJ-A1', zhang], ['DSJ-A2', zhang], ['DSJ-B1', li]] as const) {
    const device = await t.admin.ok('devices.register', { serial, model: 'DSJ-V8', keeperId: officer.id });
    const dockSessionId = repo.createDockSession({
      volume_id: `test:${serial}`,
      volume_root: `/media/${serial}`,
      source: 'cli',
      label: serial,
      profile_id: 'gat947-generic',
      device_id: device.id,
      serial,
      binding_json: JSON.stringify({ serial, badge: officer.badge, name: officer.name }),
      officer_id: officer.id,
      state: 'done',
      state_reason: null,
      camera_clock_text: null,
      clock_skew_ms: 0,
      free_bytes: null,
      battery_percent: null,
      attached_at: T0,
    });
    cameras.push({ deviceId: device.id, serial, badge: officer.badge, officerId: officer.id, dockSessionId });
  }
  let seq = 0;
  /** Writes one clip the way the ingest does; `startAt` null is a file whose time is unknown. */
  const insert = (cam: Camera, startAt: number | null, options: { important?: boolean; kind?: NewClip['kind'] } = {}): number => {
    seq++;
    const kind = options.kind ?? 'video';
    const ext = { video: 'MP4', audio: 'WAV', photo: 'JPG', other: 'TXT' }[kind];
    const name = startAt === null ? `MISC${seq}.${ext}` : `${cam.serial}_${cameraTime(startAt)}_${String(seq).padStart(4, '0')}${options.important ? '_IMP' : ''}.${ext}`;
    const size = 40_000_000 + seq * 1013;
    const folder = cameraTime(startAt ?? T0).slice(0, 8);
    return repo.insertClip({
      device_id: cam.deviceId,
      dock_session_id: cam.dockSessionId,
      officer_id: cam.officerId,
      badge: cam.badge,
      original_path: `DCIM/100MEDIA/${name}`,
      size,
      mtime_ms: (startAt ?? T0) + 10 * MINUTE,
      kind,
      hash_algorithm: 'sha256',
      hash: createHash('sha256').update(name).digest('hex'),
      vault_path: `${folder.slice(0, 4)}/${folder.slice(4, 6)}/${folder.slice(6, 8)}/${cam.serial}/${name}`,
      verification: 'direct-readback',
      camera_start_text: startAt === null ? null : cameraTime(startAt),
      camera_start_at: startAt,
      start_at: startAt,
      duration_ms: kind === 'video' || kind === 'audio' ? 600_000 : null,
      video_codec: kind === 'video' ? 'h264' : null,
      audio_codec: kind === 'video' || kind === 'audio' ? 'aac' : null,
      width: kind === 'video' ? 1920 : null,
      height: kind === 'video' ? 1080 : null,
      embedded_created_at: startAt,
      important: options.important ? 1 : 0,
      damaged: 0,
      damage_reason: null,
      committed_at: T0 + seq,
      clock_wrong: 0,
      name_serial: null,
      name_badge: null,
      name_seq: null,
    });
  };
  // Custody links each clip of a dock to the checkout it was recorded under, with this
  // statement (electron/core/custody/repository.ts); the checkout rows themselves do not
  // matter to the search, which reads clip.checkout_id only.
  const linkCheckout = (checkoutId: number, clipIds: number[]) => {
    const link = t.station.db.prepare('UPDATE clip SET checkout_id = ? WHERE id = ? AND checkout_id IS NULL');
    t.station.db.transaction(() => clipIds.forEach((id) => link.run(checkoutId, id)))();
  };
  const all = () => t.station.db.prepare<[], ClipRow>('SELECT * FROM clip').all();
  return { t, cameras, zhang, li, insert, linkCheckout, all, search: new ClipSearch(t.station.db) };
}

/**
 * Six days of footage on three cameras, start times on ten-minute marks so many
 * clips share a start time (the keyset's tie-break on id must hold), some 重点,
 * a few with no known start time, three checkouts.
 */
async function populated() {
  const lib = await library();
  const random = prng(7);
  const [a1, a2, b1] = lib.cameras as [Camera, Camera, Camera];
  const byCheckout = new Map<number, number[]>();
  for (let i = 0; i < 150; i++) {
    const cam = [a1, a2, b1][Math.floor(random() * 3)]!;
    const startAt = DAY0 + Math.floor(random() * 6 * 24 * 6) * 10 * MINUTE;
    const id = lib.insert(cam, startAt, { important: random() < 0.2 });
    const checkout = random() < 0.6 ? 1 + Math.floor(random() * 3) : null;
    if (checkout !== null) byCheckout.set(checkout, [...(byCheckout.get(checkout) ?? []), id]);
  }
  // Four clips at the very same instant on Zhang's two cameras and Li's, inserted out of camera order.
  const tie = DAY0 + 2 * DAY + 9 * 60 * MINUTE;
  for (const cam of [a2, a1, b1, a1]) lib.insert(cam, tie, { important: true });
  // Files whose time is unknown: never in a date range, listed last in their checkout.
  const undated = [lib.insert(a1, null, { kind: 'other' }), lib.insert(a1, null, { kind: 'photo' }), lib.insert(b1, null, { kind: 'other' })];
  byCheckout.set(1, [...(byCheckout.get(1) ?? []), ...undated]);
  for (const [checkout, ids] of byCheckout) lib.linkCheckout(checkout, ids);
  return { ...lib, a1, a2, b1, tie };
}

/** The reference answer: the rows filtered in plain code, newest first, ties by id, unknown times last. */
function expected(rows: ClipRow[], keep: (r: ClipRow) => boolean): number[] {
  return rows
    .filter(keep)
    .sort((x, y) => (y.start_at ?? -Infinity) - (x.start_at ?? -Infinity) || y.id - x.id)
    .map((r) => r.id);
}

const inRange = (r: ClipRow, from: number, to: number) => r.start_at !== null && r.start_at >= from && r.start_at < to;

/** Follows `next` to the end; fails on a page that repeats its cursor (a loop). */
function everyPage(fetch: (after: ClipCursor | null) => ClipPage, limit: number): { ids: number[]; pages: number } {
  const ids: number[] = [];
  let after: ClipCursor | null = null;
  for (let pages = 1; pages < 10_000; pages++) {
    const page = fetch(after);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    ids.push(...page.rows.map((r) => r.id));
    if (page.next === null) return { ids, pages };
    expect(page.rows).toHaveLength(limit);
    expect(page.next).not.toEqual(after);
    after = page.next;
  }
  throw new Error('paging did not end');
}

describe('clip searches', () => {
  it('finds one officer’s clips in a date range, newest first, and only theirs', async () => {
    const { search, all, zhang, li } = await populated();
    const from = DAY0 + DAY;
    const to = DAY0 + 4 * DAY;
    for (const officer of [zhang, li]) {
      const want = expected(all(), (r) => r.officer_id === officer.id && inRange(r, from, to));
      expect(want.length).toBeGreaterThan(10);
      const page = search.byOfficer(officer.id, { from, to }, { limit: MAX_PAGE_SIZE });
      expect(page.rows.map((r) => r.id)).toEqual(want);
      expect(page.next).toBeNull();
    }
  });

  it('pages through every search without gaps or repeats, across clips sharing a start time', async () => {
    const { search, all, zhang, a1, tie } = await populated();
    const rows = all();
    const from = DAY0;
    const to = DAY0 + 6 * DAY;
    // The four clips at `tie` must straddle page boundaries for some page size below.
    expect(rows.filter((r) => r.start_at === tie)).toHaveLength(4);
    const cases: Array<[string, (r: ClipRow) => boolean, (limit: number, after: ClipCursor | null) => ClipPage]> = [
      ['byOfficer', (r) => r.officer_id === zhang.id && inRange(r, from, to), (limit, after) => search.byOfficer(zhang.id, { from, to }, { limit, after })],
      ['byDevice', (r) => r.device_id === a1.deviceId && inRange(r, from, to), (limit, after) => search.byDevice(a1.deviceId, { from, to }, { limit, after })],
      ['important', (r) => r.important === 1 && inRange(r, from, to), (limit, after) => search.important({ from, to }, { limit, after })],
      ['byCheckout', (r) => r.checkout_id === 1, (limit, after) => search.byCheckout(1, { limit, after })],
    ];
    for (const [name, keep, fetch] of cases) {
      const want = expected(rows, keep);
      expect(want.length, name).toBeGreaterThan(12);
      for (const limit of [1, 2, 3, 7, 50]) {
        const { ids, pages } = everyPage((after) => fetch(limit, after), limit);
        expect(ids, `${name}, ${limit} a page`).toEqual(want);
        expect(pages).toBe(Math.max(1, Math.ceil(want.length / limit)));
      }
    }
  });

  it('lists a checkout’s clips whole: dated ones newest first, then those with no known start time', async () => {
    const { search, all } = await populated();
    const rows = all();
    const page = search.byCheckout(1, { limit: MAX_PAGE_SIZE });
    const ids = page.rows.map((r) => r.id);
    expect(ids).toEqual(expected(rows, (r) => r.checkout_id === 1));
    const undated = page.rows.filter((r) => r.start_at === null);
    expect(undated).toHaveLength(3);
    expect(page.rows.slice(-3)).toEqual(undated);
    // Other checkouts' clips and unlinked clips stay out.
    expect(search.byCheckout(2, { limit: MAX_PAGE_SIZE }).rows.every((r) => r.checkout_id === 2)).toBe(true);
    expect(search.byCheckout(99).rows).toEqual([]);
  });

  it('keeps a date range’s start and leaves out its end, to the millisecond', async () => {
    const { search, insert, cameras, zhang } = await library();
    const a1 = cameras[0]!;
    const from = DAY0 + DAY;
    const to = DAY0 + 2 * DAY;
    const before = insert(a1, from - 1);
    const atStart = insert(a1, from);
    const lastIn = insert(a1, to - 1);
    const atEnd = insert(a1, to);
    const importantAtStart = insert(a1, from, { important: true });
    const importantAtEnd = insert(a1, to, { important: true });
    const ids = (p: ClipPage) => p.rows.map((r) => r.id);
    expect(ids(search.byOfficer(zhang.id, { from, to }))).toEqual([lastIn, importantAtStart, atStart]);
    expect(ids(search.byDevice(a1.deviceId, { from, to }))).toEqual([lastIn, importantAtStart, atStart]);
    expect(ids(search.important({ from, to }))).toEqual([importantAtStart]);
    // Consecutive days share no clip and lose none.
    const dayBefore = ids(search.byDevice(a1.deviceId, { from: from - DAY, to: from }));
    const dayAfter = ids(search.byDevice(a1.deviceId, { from: to, to: to + DAY }));
    expect(dayBefore).toEqual([before]);
    expect(dayAfter).toEqual([importantAtEnd, atEnd]);
    expect(ids(search.byDevice(a1.deviceId, { from, to: from }))).toEqual([]);
  });

  it('does not repeat or skip a row when a clip is committed between two pages', async () => {
    const { search, all, insert, zhang, a2 } = await populated();
    const from = DAY0;
    const to = DAY0 + 6 * DAY;
    const want = expected(all(), (r) => r.officer_id === zhang.id && inRange(r, from, to));
    const first = search.byOfficer(zhang.id, { from, to }, { limit: 5 });
    // Ingest commits a newer clip and an older one while the officer looks at page 1.
    insert(a2, to - MINUTE);
    const older = insert(a2, from + MINUTE);
    const rest = everyPage((after) => search.byOfficer(zhang.id, { from, to }, { limit: 5, after: after ?? first.next }), 5);
    const seen = [...first.rows.map((r) => r.id), ...rest.ids];
    expect(seen).toEqual([...want, older]);
  });

  it('refuses a page size, range or page position it cannot serve', async () => {
    const { search, zhang } = await library();
    const range = { from: DAY0, to: DAY0 + DAY };
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(code(() => search.byOfficer(zhang.id, range, { limit: 0 }))).toBe('invalid_input');
    expect(code(() => search.byOfficer(zhang.id, range, { limit: MAX_PAGE_SIZE + 1 }))).toBe('invalid_input');
    expect(code(() => search.byOfficer(zhang.id, { from: range.to, to: range.from }))).toBe('invalid_input');
    expect(code(() => search.important(range, { after: { startAt: null, id: 5 } }))).toBe('invalid_input');
    expect(code(() => search.byDevice(0, range))).toBe('invalid_input');
    expect(code(() => search.byCheckout(1, { after: { startAt: null, id: 5 } }))).toBe('ok');
  });

  it('answers every search from its index in order, with no sort step, before and after ANALYZE', async () => {
    const { t } = await populated();
    const db = t.station.db;
    const want: Record<ClipSearchName, string> = {
      byOfficer: 'clip_officer_start',
      byDevice: 'clip_device_start',
      important: 'clip_important_start',
      byCheckout: 'clip_checkout_start',
      byCheckoutUndated: 'clip_checkout_start',
    };
    const plans = () =>
      Object.fromEntries(
        (Object.keys(want) as ClipSearchName[]).map((name) => {
          const params = name === 'important' ? {} : { key: 1 };
          const bind = { ...params, ...(name === 'byCheckoutUndated' ? {} : { upper: DAY0 + DAY }), ...(name.startsWith('byCheckout') ? {} : { from: DAY0 }), beforeId: 10, take: 51 };
          const plan = db.prepare<[object], { detail: string }>(`EXPLAIN QUERY PLAN ${CLIP_SEARCH_SQL[name]}`).all(bind);
          return [name, plan.map((p) => p.detail).join(' | ')];
        }),
      );
    for (const stage of ['as created', 'after ANALYZE']) {
      if (stage === 'after ANALYZE') db.exec('ANALYZE');
      const got = plans();
      for (const [name, index] of Object.entries(want)) {
        const plan = got[name]!;
        // 重点 pages come from the index alone (migration 0060); the others read rows by id.
        const using = name === 'important' ? 'COVERING INDEX' : 'INDEX';
        expect(plan, `${name} ${stage}`).toMatch(new RegExp(`^SEARCH clip USING ${using} ${index} \\(`));
        expect(plan, `${name} ${stage}`).not.toMatch(/TEMP B-TREE|SCAN/);
      }
    }
    // What a plan without the index looks like, so the assertion above can fail.
    const scan = db.prepare<[object], { detail: string }>(`EXPLAIN QUERY PLAN ${CLIP_SEARCH_SQL.byOfficer.replace('FROM clip', 'FROM clip NOT INDEXED')}`);
    expect(scan.all({ key: 1, from: 0, upper: 1, beforeId: 1, take: 1 }).map((p) => p.detail).join(' | ')).toMatch(/SCAN clip.*TEMP B-TREE FOR ORDER BY/);
  });
});
