// A sealed day: its bounds in the station's zone, and the clips committed in it.
import { zoneFields } from '../../../shared/time.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { wallClockToUtc } from '../docking/wall-clock.js';
import type { ClipLeafSource } from './merkle.js';
import { clipLeaf, merkleRootOfLeaves, orderByVaultPath } from './merkle.js';

/** `YYYY-MM-DD`: the day a clock in `timeZone` shows at `ms`. */
export function dayOf(ms: number, timeZone: string): string {
  const f = zoneFields(ms, timeZone);
  return `${f.year}-${f.month}-${f.day}`;
}

/** The day `n` days after `day` (before, for a negative n); month and year ends roll over. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** When `day` begins and ends (exclusive) in `timeZone`, as UTC instants. */
export function dayBounds(day: string, timeZone: string): { startAt: number; endAt: number } {
  const at = (dd: string) => {
    const [year, month, date] = dd.split('-').map(Number) as [number, number, number];
    return wallClockToUtc({ year, month, day: date, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
  };
  return { startAt: at(day), endAt: at(addDays(day, 1)) };
}

/** A clip as a seal holds it: what its leaf is made of, and its id for naming it when it differs. */
export interface SealedClip extends ClipLeafSource {
  clipId: number;
}

/**
 * The clips committed in [startAt, endAt) with an id up to `through`, in leaf order. The id bound
 * keeps a seal's set fixed: a clip whose commit time was taken just before the seal but whose
 * transaction came after it (a dock's batch commit takes milliseconds), or one rebuild-index
 * puts back later with its old commit time, is not counted against it. No index serves
 * committed_at, so this reads the clip table once: about 0.13 s a million clips, warm, once a
 * day and for each verification; an index would cost every clip insert for that.
 */
export function clipsOfDay(db: Db, startAt: number, endAt: number, through: number): SealedClip[] {
  const rows = prepared<[number, number, number], { id: number; vault_path: string; hash_algorithm: string; hash: string; size: number }>(
    db,
    'SELECT id, vault_path, hash_algorithm, hash, size FROM clip WHERE committed_at >= ? AND committed_at < ? AND id <= ?',
  ).all(startAt, endAt, through);
  return orderByVaultPath(rows.map((r) => ({ clipId: r.id, vaultPath: r.vault_path, hashAlgorithm: r.hash_algorithm, hash: r.hash, size: r.size })));
}

export function rootOf(clips: readonly ClipLeafSource[]): string {
  return merkleRootOfLeaves(clips.map(clipLeaf)).toString('hex');
}

/** The highest clip id in the index (0 when empty): the seal's `clipsThrough`. */
export function lastClipId(db: Db): number {
  return prepared<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM clip').get()!.id ?? 0;
}

/** Which of `days` (consecutive, oldest first) had clips committed, in one read of the clip table. */
export function daysWithClips(db: Db, days: readonly string[], timeZone: string): Set<string> {
  const out = new Set<string>();
  if (days.length === 0) return out;
  const starts = days.map((d) => dayBounds(d, timeZone).startAt);
  const end = dayBounds(days[days.length - 1]!, timeZone).endAt;
  const rows = prepared<[number, number], { at: number }>(db, 'SELECT committed_at AS at FROM clip WHERE committed_at >= ? AND committed_at < ?').all(starts[0]!, end);
  for (const { at } of rows) {
    // The last day starting at or before `at`.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    out.add(days[lo]!);
  }
  return out;
}
