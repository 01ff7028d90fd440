// The library's common searches over the clip index, each a prepared statement
// answered from one index of the clip table (migrations/0020_ingest.sql, rebuilt in 0060) in the order the
// screens show (newest first), so no search ever sorts: the cost of a page is
// the page, not the number of matching clips.
//
// Paging is keyset paging on (start_at, id), not OFFSET: page 200 costs what
// page 1 costs, and a clip committed while someone pages (ingest runs all day)
// neither repeats a row nor hides one. Every index on start_at also ends in the
// rowid (`id`), so "start_at DESC, id DESC" is the index order read backwards.
import { StationError } from '../../../shared/errors.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { ClipRow } from '../ingest/repository.js';

/** Where the next page starts: the last row of this one. `startAt` is null only in a checkout's undated tail. */
export interface ClipCursor {
  startAt: number | null;
  id: number;
}

export interface ClipPage {
  rows: ClipRow[];
  /** null on the last page. */
  next: ClipCursor | null;
}

/** UTC milliseconds; `from` inclusive, `to` exclusive, so consecutive days or months never share a clip. */
export interface DateRange {
  from: number;
  to: number;
}

export interface PageRequest {
  /** Rows per page; DEFAULT_PAGE_SIZE unless given. */
  limit?: number;
  /** The previous page's `next`; absent for the first page. */
  after?: ClipCursor | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

// The cursor is written as `start_at <= @upper AND (start_at < @upper OR id < @beforeId)`
// rather than a row value or an OR of two ranges: `start_at <= @upper` is the one
// upper bound the index seek starts from (the first page passes to − 1, so there is
// never a second upper bound the planner could pick instead and scan every earlier
// page again), and the OR only skips the few rows that share the cursor's start time.
const KEYSET = 'start_at <= @upper AND (start_at < @upper OR id < @beforeId)';
const NEWEST_FIRST = 'ORDER BY start_at DESC, id DESC LIMIT @take';

/**
 * The statements, exported so the tests and `npm run bench:index` check the
 * query plans of exactly what runs. `important = 1` is written as a literal:
 * the planner uses the partial index clip_important_start only when the query
 * repeats its WHERE term, which a bound parameter does not.
 */
export const CLIP_SEARCH_SQL = {
  byOfficer: `SELECT * FROM clip WHERE officer_id = @key AND start_at >= @from AND ${KEYSET} ${NEWEST_FIRST}`,
  byDevice: `SELECT * FROM clip WHERE device_id = @key AND start_at >= @from AND ${KEYSET} ${NEWEST_FIRST}`,
  important: `SELECT * FROM clip WHERE important = 1 AND start_at >= @from AND ${KEYSET} ${NEWEST_FIRST}`,
  byCheckout: `SELECT * FROM clip WHERE checkout_id = @key AND ${KEYSET} ${NEWEST_FIRST}`,
  /** A checkout's clips without a known start time (a stray file, a photo with no time), after the dated ones. */
  byCheckoutUndated: 'SELECT * FROM clip WHERE checkout_id = @key AND start_at IS NULL AND id < @beforeId ORDER BY id DESC LIMIT @take',
} as const;

export type ClipSearchName = keyof typeof CLIP_SEARCH_SQL;

/** The index each statement must be answered from (the tests hold the plans to it). */
export const CLIP_SEARCH_INDEX: Record<ClipSearchName, string> = {
  byOfficer: 'clip_officer_start',
  byDevice: 'clip_device_start',
  important: 'clip_important_start',
  byCheckout: 'clip_checkout_start',
  byCheckoutUndated: 'clip_checkout_start',
};

interface Params {
  key?: number;
  from?: number;
  upper?: number;
  beforeId: number;
  take: number;
}

// Above every real id and time; binds as an ordinary integer.
const NO_BOUND = Number.MAX_SAFE_INTEGER;

/** The library's searches over the clip index (by officer, device, 重点 flag, checkout). */
export class ClipSearch {
  constructor(private readonly db: Db) {}

  /** One officer's clips that started in `range`, newest first. */
  byOfficer(officerId: number, range: DateRange, page: PageRequest = {}): ClipPage {
    return this.dated('byOfficer', requireId(officerId, 'officerId'), range, page);
  }

  /** One camera's clips that started in `range`, newest first. */
  byDevice(deviceId: number, range: DateRange, page: PageRequest = {}): ClipPage {
    return this.dated('byDevice', requireId(deviceId, 'deviceId'), range, page);
  }

  /** Clips the officer marked important (重点) that started in `range`, newest first. */
  important(range: DateRange, page: PageRequest = {}): ClipPage {
    return this.dated('important', undefined, range, page);
  }

  /**
   * The clips recorded under one checkout, newest first, then those whose start
   * time is unknown (newest committed first): a checkout's footage is listed
   * whole, including what no date range can find.
   */
  byCheckout(checkoutId: number, page: PageRequest = {}): ClipPage {
    const key = requireId(checkoutId, 'checkoutId');
    const limit = pageSize(page.limit);
    const after = page.after ?? null;
    if (after) requireCursor(after, true);
    const inTail = after !== null && after.startAt === null;
    let rows: ClipRow[] = [];
    if (!inTail) {
      rows = this.run('byCheckout', {
        key,
        upper: after?.startAt ?? NO_BOUND,
        beforeId: after?.id ?? NO_BOUND,
        take: limit + 1,
      });
    }
    if (rows.length <= limit) {
      // The dated clips ran out on this page: go on into the undated tail.
      const tail = this.run('byCheckoutUndated', {
        key,
        beforeId: inTail ? after.id : NO_BOUND,
        take: limit + 1 - rows.length,
      });
      rows = rows.concat(tail);
    }
    return toPage(rows, limit);
  }

  private dated(name: 'byOfficer' | 'byDevice' | 'important', key: number | undefined, range: DateRange, page: PageRequest): ClipPage {
    requireRange(range);
    const limit = pageSize(page.limit);
    const after = page.after ?? null;
    if (after) requireCursor(after, false);
    // `to` is exclusive and times are whole milliseconds: start_at < to ⇔ start_at <= to − 1.
    const last = range.to - 1;
    // A cursor past the end of the range (the range was narrowed) starts again at the first page.
    const resume = after !== null && after.startAt! <= last;
    const params: Params = {
      from: range.from,
      upper: resume ? after.startAt! : last,
      beforeId: resume ? after.id : NO_BOUND,
      take: limit + 1,
    };
    if (key !== undefined) params.key = key;
    return toPage(this.run(name, params), limit);
  }

  private run(name: ClipSearchName, params: Params): ClipRow[] {
    return prepared<[Params], ClipRow>(this.db, CLIP_SEARCH_SQL[name]).all(params);
  }
}

/** Asks for one row more than the page holds: its presence is how we know there is a next page. */
function toPage(rows: ClipRow[], limit: number): ClipPage {
  if (rows.length <= limit) return { rows, next: null };
  const page = rows.slice(0, limit);
  const last = page[limit - 1]!;
  return { rows: page, next: { startAt: last.start_at, id: last.id } };
}

function invalid(field: string, en: string, zh: string): StationError {
  return new StationError('invalid_input', `${zh} / ${en}`, { issues: [{ path: [field], message: en }] });
}

function requireId(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(field, `${field} must be a positive whole number.`, `${field} 必须是正整数。`);
  return value;
}

function pageSize(limit: number | undefined): number {
  const n = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw invalid('limit', `A page holds 1 to ${MAX_PAGE_SIZE} clips.`, `每页可显示 1 至 ${MAX_PAGE_SIZE} 条。`);
  }
  return n;
}

function requireRange(range: DateRange): void {
  if (!Number.isSafeInteger(range.from) || !Number.isSafeInteger(range.to)) {
    throw invalid('range', 'The dates must be whole milliseconds.', '日期必须是整数毫秒。');
  }
  if (range.from > range.to) throw invalid('range', 'The start date is after the end date.', '开始日期晚于结束日期。');
}

function requireCursor(after: ClipCursor, undatedAllowed: boolean): void {
  const timeOk = after.startAt === null ? undatedAllowed : Number.isSafeInteger(after.startAt);
  if (!timeOk || !Number.isSafeInteger(after.id)) {
    throw invalid('after', 'This page position does not belong to this search.', '翻页位置与本次查询不符。');
  }
}
