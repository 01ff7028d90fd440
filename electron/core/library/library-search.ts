// library.search (issue 20): the clips matching any mix of filters, newest first, a page at a
// time, metadata only. Built like clip-search.ts: each search walks ONE index in (start_at, id)
// order backwards and stops after a page, so a page costs the rows it reads, not the number of
// matches. Which index ("the driver") follows from the filters given, the most selective first;
// the other filters are checked on the rows the walk meets. `INDEXED BY` pins the driver, so a
// plan never drifts to a sort of every clip (library-search-plans.test.ts holds each to it).
//
// Paging is keyset paging on (start_at, id) as in clip-search.ts; clips whose start time is
// unknown come after the dated ones (newest committed first), and only when no date range is
// asked for (a date range cannot hold them).
import { StationError } from '../../../shared/errors.js';
import type { ClipSummary, Confidentiality, LibraryCursor, LibraryFilter, LibraryPage } from '../../../shared/library.js';
import { confidentialityLevels } from '../../../shared/library.js';
import type { WorkType } from '../../../shared/custody.js';
import type { ClipKind } from '../../../shared/ingest.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './clip-search.js';
import { clipConfidentiality, secretClipSql } from './confidentiality.js';
import type { Viewer } from './viewer.js';
import { secretHiddenSql } from './viewer.js';

/** Totals are counted up to this many and then shown as "1000+": counting is reading every match. */
export const COUNT_CAP = 1000;

/** The index a search walks, chosen from the filters given (first match wins). */
export type Driver = 'case' | 'checkout' | 'classified' | 'officer' | 'device' | 'important' | 'damaged' | 'kind' | 'start';

/** What each driver reads: an index of clip, or (case, classified) a short list of ids then sorted. */
export const DRIVER_INDEX: Record<Driver, string> = {
  case: 'case_clip', // the case's clips (its primary key), sorted: a case holds hundreds, not millions
  checkout: 'clip_checkout_start',
  classified: 'clip_level_rank_start', // clips by effective level above normal, newest first (migration 0210)
  officer: 'clip_officer_start',
  device: 'clip_device_start',
  important: 'clip_important_start',
  damaged: 'clip_damaged_start',
  kind: 'clip_kind_start',
  start: 'clip_start',
};

export function driverOf(f: LibraryFilter): Driver {
  if (f.caseId !== undefined) return 'case';
  if (f.checkoutId !== undefined) return 'checkout';
  if (f.confidentiality !== undefined && f.confidentiality !== 'normal') return 'classified';
  if (f.officerId !== undefined) return 'officer';
  if (f.deviceId !== undefined) return 'device';
  if (f.important === true) return 'important';
  if (f.damaged === true) return 'damaged';
  if (f.kind !== undefined && f.kind !== 'video') return 'kind';
  return 'start';
}

const RANK_SQL = `CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END`;
/** A clip's effective level as a rank 0–3 (confidentiality.ts's rule in SQL): two primary-key look-ups a row. */
const effectiveRankSql = (c: string) =>
  `max(IFNULL((SELECT ${RANK_SQL} FROM clip_class WHERE clip_id = ${c}.id), 0),
       IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                 FROM case_clip cc2 JOIN legal_case l ON l.id = cc2.case_id WHERE cc2.clip_id = ${c}.id), 0))`;

const SUMMARY_COLUMNS = `c.id, c.original_path, c.kind, c.start_at, c.camera_start_text, c.camera_start_at, c.duration_ms, c.size,
  c.video_codec, c.audio_codec, c.width, c.height, c.officer_id, (SELECT badge FROM person WHERE id = c.officer_id) AS officer_badge,
  (SELECT name FROM person WHERE id = c.officer_id) AS officer_name, c.badge,
  c.device_id, (SELECT serial FROM device WHERE id = c.device_id) AS device_serial, c.important, c.damaged, c.damage_reason, cl.work_type AS own_work_type,
  k.work_type AS checkout_work_type, c.checkout_id, c.committed_at`;
// The officer and camera are subqueries, not joins: with a few people or cameras ANALYZE would
// have a join scan the small table (or its badge index) for every clip instead of looking its id up.
const SUMMARY_JOINS = `LEFT JOIN clip_class cl ON cl.clip_id = c.id LEFT JOIN checkout k ON k.id = c.checkout_id`;

export interface SummaryRow {
  id: number;
  original_path: string;
  kind: ClipKind;
  start_at: number | null;
  camera_start_text: string | null;
  camera_start_at: number | null;
  duration_ms: number | null;
  size: number;
  video_codec: string | null;
  audio_codec: string | null;
  width: number | null;
  height: number | null;
  officer_id: number | null;
  officer_badge: string | null;
  officer_name: string | null;
  badge: string | null;
  device_id: number;
  device_serial: string | null;
  important: number;
  damaged: number;
  damage_reason: string | null;
  own_work_type: WorkType | null;
  checkout_work_type: WorkType | null;
  checkout_id: number | null;
  committed_at: number;
}

/** The one clip's summary row (library.clip and the classify answers read it too). */
export const SUMMARY_BY_ID_SQL = `SELECT ${SUMMARY_COLUMNS} FROM clip c ${SUMMARY_JOINS} WHERE c.id = ?`;

export function toSummary(r: SummaryRow, level: Confidentiality): ClipSummary {
  return {
    id: r.id,
    name: r.original_path.slice(r.original_path.lastIndexOf('/') + 1),
    originalPath: r.original_path,
    kind: r.kind,
    startAt: r.start_at,
    cameraStartText: r.camera_start_text,
    cameraStartAt: r.camera_start_at,
    durationMs: r.duration_ms,
    size: r.size,
    videoCodec: r.video_codec,
    audioCodec: r.audio_codec,
    width: r.width,
    height: r.height,
    officer: r.officer_id === null ? null : { id: r.officer_id, badge: r.officer_badge ?? '', name: r.officer_name ?? '' },
    badge: r.badge,
    device: { id: r.device_id, serial: r.device_serial ?? '' },
    important: r.important === 1,
    damaged: r.damaged === 1,
    damageReason: r.damage_reason,
    confidentiality: level,
    workType: r.own_work_type ?? r.checkout_work_type,
    workTypeOverridden: r.own_work_type !== null,
    checkoutId: r.checkout_id,
    committedAt: r.committed_at,
  };
}

/** The summaries of rows read, with each clip's effective level. */
export function summaries(db: Db, rows: SummaryRow[]): ClipSummary[] {
  const levels = clipConfidentiality(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSummary(r, levels.get(r.id) ?? 'normal'));
}

type Phase = 'dated' | 'undated';
type Params = Record<string, number | string>;

export interface BuiltSearch {
  driver: Driver;
  sql: string;
  /** The first page's total: one row a match (the same filters, no cursor), counted by `count`. */
  countSql: string;
}

/**
 * The SQL of a search: its text depends only on which filters are given (and whether secrets
 * are hidden), never on their values, so each shape is prepared once. Exported for the plan tests
 * and the benchmark, which check exactly what runs.
 */
export function buildSearch(f: LibraryFilter, hideSecret: string | null, phase: Phase, ranged: boolean): BuiltSearch {
  const driver = driverOf(f);
  let from: string;
  // Driven by a list of ids, each clip is read by its id (NOT INDEXED still allows the rowid): left
  // to itself, after ANALYZE the planner took the time range or the officer to an index of clip
  // instead, and walked it again for every id of the list.
  if (driver === 'case') from = 'case_clip cc CROSS JOIN clip c NOT INDEXED ON c.id = cc.clip_id';
  else if (driver === 'classified') {
    // The effective levels kept by migration 0210's triggers, walked in (rank, start_at, clip_id)
    // order: a page of the newest, whatever the number of clips at that level.
    from = `clip_level lv INDEXED BY clip_level_rank_start CROSS JOIN clip c NOT INDEXED ON c.id = lv.clip_id`;
  } else from = `clip c INDEXED BY ${DRIVER_INDEX[driver]}`;
  // The driver's own time and id columns: the walk's order, the cursor and the range are on them.
  const at = driver === 'classified' ? 'lv.start_at' : 'c.start_at';
  const idCol = driver === 'classified' ? 'lv.clip_id' : 'c.id';

  const terms: string[] = [];
  if (f.caseId !== undefined) terms.push('cc.case_id = @caseId');
  if (f.checkoutId !== undefined) terms.push('c.checkout_id = @checkoutId');
  if (f.officerId !== undefined) terms.push('c.officer_id = @officerId');
  if (f.deviceId !== undefined) terms.push('c.device_id = @deviceId');
  // Literals, not parameters: the partial indexes are usable only when the query repeats their WHERE.
  if (f.important !== undefined) terms.push(`c.important = ${f.important ? 1 : 0}`);
  if (f.damaged !== undefined) terms.push(`c.damaged = ${f.damaged ? 1 : 0}`);
  if (f.kind !== undefined) {
    if (driver === 'kind') terms.push("c.kind != 'video'");
    terms.push('c.kind = @kind');
  }
  if (f.workType !== undefined) terms.push('COALESCE(cl.work_type, k.work_type) = @workType');
  if (f.confidentiality !== undefined) terms.push(driver === 'classified' ? 'lv.rank = @rank' : `${effectiveRankSql('c')} = @rank`);
  if (hideSecret) terms.push(hideSecret);

  const countTerms = ranged ? [...terms, `${at} >= @from`, `${at} < @to`] : terms;
  const countJoins = f.workType !== undefined ? 'LEFT JOIN clip_class cl ON cl.clip_id = c.id LEFT JOIN checkout k ON k.id = c.checkout_id' : '';
  const countSql = `SELECT 1 FROM ${from} ${countJoins}${where(countTerms)}`;

  const pageTerms =
    phase === 'dated'
      ? [...terms, `${at} >= @from`, `${at} <= @upper`, `(${at} < @upper OR ${idCol} < @beforeId)`]
      : [...terms, `${at} IS NULL`, `${idCol} < @beforeId`];
  const order = phase === 'dated' ? `ORDER BY ${at} DESC, ${idCol} DESC` : `ORDER BY ${idCol} DESC`;
  if (driver === 'case') {
    // These sort every match: pick the page's ids first, then read the page's columns for those
    // rows only (reading them for thousands of matches before the sort was most of the cost).
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM (SELECT c.id AS pid FROM ${from} ${countJoins}${where(pageTerms)} ${order} LIMIT @take) pg
      CROSS JOIN clip c ON c.id = pg.pid ${SUMMARY_JOINS} ${order}`;
    return { driver, sql, countSql };
  }
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${SUMMARY_JOINS}${where(pageTerms)} ${order} LIMIT @take`;
  return { driver, sql, countSql };
}

const where = (terms: string[]) => (terms.length ? ` WHERE ${terms.join(' AND ')}` : '');

/** The values of the filters given, under the names buildSearch uses. */
function filterParams(f: LibraryFilter): Params {
  const p: Params = {};
  if (f.caseId !== undefined) p.caseId = f.caseId;
  if (f.checkoutId !== undefined) p.checkoutId = f.checkoutId;
  if (f.officerId !== undefined) p.officerId = f.officerId;
  if (f.deviceId !== undefined) p.deviceId = f.deviceId;
  if (f.kind !== undefined) p.kind = f.kind;
  if (f.workType !== undefined) p.workType = f.workType;
  if (f.confidentiality !== undefined) {
    p.rank = confidentialityLevels.indexOf(f.confidentiality);
  }
  return p;
}

// Beyond every real id and time; binds as an ordinary integer.
const NO_BOUND = Number.MAX_SAFE_INTEGER;

export interface SearchRequest {
  filter: LibraryFilter;
  after?: LibraryCursor | null;
  limit?: number;
}

export class LibrarySearch {
  constructor(
    private readonly db: Db,
    private readonly countBudgetMs = COUNT_BUDGET_MS,
  ) {}

  search(viewer: Viewer, request: SearchRequest): LibraryPage {
    const filter: LibraryFilter = { ...request.filter };
    // An officer's scope is their own clips: searched by their officer index, whatever else is asked.
    if (!viewer.allClips) {
      if (viewer.personId === null || (filter.officerId !== undefined && filter.officerId !== viewer.personId)) {
        return { clips: [], next: null, total: request.after ? null : { count: 0, capped: false } };
      }
      filter.officerId = viewer.personId;
    }
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw invalid('limit', `A page holds 1 to ${MAX_PAGE_SIZE} clips.`, `每页可显示 1 至 ${MAX_PAGE_SIZE} 条。`);
    }
    const ranged = filter.from !== undefined || filter.to !== undefined;
    const fromAt = filter.from ?? -NO_BOUND;
    const toAt = filter.to ?? NO_BOUND;
    if (fromAt > toAt) throw invalid('from', 'The start date is after the end date.', '开始日期晚于结束日期。');
    const hide = secretHiddenSql(viewer, 'c', secretClipSql);
    const base = filterParams(filter);
    const after = request.after ?? null;

    // `to` is exclusive and times are whole milliseconds: start_at < to ⇔ start_at <= to − 1.
    const last = toAt === NO_BOUND ? NO_BOUND : toAt - 1;
    const inTail = after !== null && after.startAt === null && !ranged;
    // A cursor past the end of the range (the range was narrowed) starts again at the first page.
    const resume = after !== null && after.startAt !== null && after.startAt <= last;
    let rows: SummaryRow[] = [];
    if (!inTail) {
      const dated = buildSearch(filter, hide, 'dated', ranged);
      rows = prepared<[Params], SummaryRow>(this.db, dated.sql).all({
        ...base,
        from: fromAt,
        upper: resume ? after.startAt! : last,
        beforeId: resume ? after.id : NO_BOUND,
        take: limit + 1,
      });
    }
    if (rows.length <= limit && !ranged) {
      // The dated clips ran out on this page: go on into those whose start time is unknown.
      const undated = buildSearch(filter, hide, 'undated', false);
      const tail = prepared<[Params], SummaryRow>(this.db, undated.sql).all({
        ...base,
        beforeId: inTail ? after.id : NO_BOUND,
        take: limit + 1 - rows.length,
      });
      rows = rows.concat(tail);
    }
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    const lastRow = page[page.length - 1];
    const next = rows.length > limit && lastRow ? { startAt: lastRow.start_at, id: lastRow.id } : null;

    let total: LibraryPage['total'] = null;
    if (after === null) {
      const { countSql } = buildSearch(filter, hide, 'dated', ranged);
      const params: Params = { ...base };
      if (ranged) Object.assign(params, { from: fromAt, to: toAt });
      total = this.count(countSql, params);
    }
    return { clips: summaries(this.db, page), next, total };
  }

  private count(countSql: string, params: Params): { count: number; capped: boolean } {
    const started = performance.now();
    let n = 0;
    for (const _row of prepared<[Params], unknown>(this.db, countSql).iterate(params)) {
      n++;
      if (n > COUNT_CAP) return { count: COUNT_CAP, capped: true };
      // Looked at every 64 rows (a clock read a row would cost more than the row), and never below
      // 256: a short list is always counted exactly, however busy the machine.
      if (n >= 256 && (n & 63) === 0 && performance.now() - started > this.countBudgetMs) return { count: n, capped: true };
    }
    return { count: n, capped: false };
  }
}

/**
 * Counts the matches one by one, up to COUNT_CAP, and for at most COUNT_BUDGET_MS: a filter
 * checked row by row (a work type) may need thousands of rows read per thousand matches, and the
 * total is not worth missing the page's 20 ms for. Stopped early, the count says "at least".
 */
export const COUNT_BUDGET_MS = 5;

function invalid(field: string, en: string, zh: string): StationError {
  return new StationError('invalid_input', `${zh} / ${en}`, { issues: [{ path: field, message: en }] });
}
