// 第十五条 as arithmetic: when a checkout's footage must be offloaded. Pure
// functions of UTC instants and a named time zone, so the rules are tested
// across midnight, month and year ends and daylight-saving changes without a
// clock; the caller passes its injected clock's "now" where one is needed.
import { CUTOFF, LOCAL_DATE_TIME } from '../../../shared/custody.js';
import type { WallClock } from '../docking/wall-clock.js';
import { invalidWallClock, utcToWallClock, wallClockToUtc } from '../docking/wall-clock.js';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** 第十五条: "返回单位后24小时内" is 24 hours of elapsed time, whatever the wall clock does meanwhile. */
export const EXCEPTION_WINDOW_MS = 24 * HOUR_MS;

/** "23:59" → hour and minute; throws on anything else. */
export function parseCutoff(cutoff: string): { hour: number; minute: number } {
  const m = CUTOFF.exec(cutoff);
  if (!m) throw new Error(`截止时间须为 HH:mm / the cut-off must be HH:mm, not "${cutoff}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The calendar day after `w`'s (month and year ends roll over through Date.UTC). */
function nextDay(w: WallClock): WallClock {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The same-day deadline: the cut-off time on the local day the work is
 * expected to end. Work expected to end at or after that day's cut-off (a
 * late shift with an 18:00 cut-off) is due by the next day's cut-off, so a
 * deadline never falls before, or exactly at, the end of the work.
 */
export function sameDayDeadline(expectedEndAt: number, cutoff: string, timeZone: string): number {
  const { hour, minute } = parseCutoff(cutoff);
  const end = utcToWallClock(expectedEndAt, timeZone);
  const onDay = (day: WallClock) => wallClockToUtc({ ...day, hour, minute, second: 0, millisecond: 0 }, timeZone);
  const sameDay = onDay(end);
  return sameDay > expectedEndAt ? sameDay : onDay(nextDay(end));
}

/**
 * With a declared exception (连续工作、异地执法、偏远地区): 24 hours after the
 * declared return to the unit. Declaring an exception never brings a deadline
 * forward: the later of that and the same-day deadline holds.
 */
export function exceptionDeadline(declaredReturnAt: number, sameDayDeadlineAt: number): number {
  return Math.max(declaredReturnAt + EXCEPTION_WINDOW_MS, sameDayDeadlineAt);
}

/** How far past its deadline a checkout not yet offloaded is at `now` (0 when it is not). */
export function overdueMs(deadlineAt: number, offloadedAt: number | null, now: number): number {
  return offloadedAt === null && now > deadlineAt ? now - deadlineAt : 0;
}

/** How late an offload was: the officer handed the footage over when the camera was docked. */
export function lateness(deadlineAt: number, dockedAt: number): number {
  return Math.max(0, dockedAt - deadlineAt);
}

/**
 * A wall-clock time typed in the station's zone (`2026-11-27T18:00`) as a UTC
 * instant. Returns null when it is not a real calendar time.
 */
export function localDateTimeToUtc(text: string, timeZone: string): number | null {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m) return null;
  const w: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    millisecond: 0,
  };
  if (invalidWallClock(w)) return null;
  return wallClockToUtc(w, timeZone);
}
