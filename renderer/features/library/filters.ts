// The library's filters as they live in the hash route's query
// (#/library?kind=video&important=1), so a search can be bookmarked, reopened
// with the back button, or sent to a colleague at the same station. Dates are
// calendar days in the station's zone; the core takes UTC ms.
import type { WorkType } from '../../../shared/custody.js';
import { workTypes } from '../../../shared/custody.js';
import type { ClipKind } from '../../../shared/ingest.js';
import type { Confidentiality, LibraryFilter } from '../../../shared/library.js';
import { clipKinds, confidentialityLevels } from '../../../shared/library.js';
import { zoneFields } from '../../../shared/time.js';

export interface LibraryFilters {
  officerId?: number;
  deviceId?: number;
  /** `2026-11-27`: the first and last day shown, both inclusive, in the station's zone. */
  fromDay?: string;
  toDay?: string;
  important?: boolean;
  kind?: ClipKind;
  workType?: WorkType;
  damaged?: boolean;
  confidentiality?: Confidentiality;
  caseId?: number;
  /** One checkout's recordings (the checkout screens link here). */
  checkoutId?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function positive(v: string | null): number | undefined {
  const n = Number(v);
  return v !== null && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function oneOf<T extends string>(list: readonly T[], v: string | null): T | undefined {
  return (list as readonly string[]).includes(v ?? '') ? (v as T) : undefined;
}

function yesNo(v: string | null): boolean | undefined {
  return v === '1' ? true : v === '0' ? false : undefined;
}

/** What the query says; anything unreadable is dropped rather than refused (an old link still opens). */
export function parseFilters(query: string): LibraryFilters {
  const p = new URLSearchParams(query);
  const f: LibraryFilters = {};
  const set = <K extends keyof LibraryFilters>(key: K, value: LibraryFilters[K] | undefined) => {
    if (value !== undefined) f[key] = value;
  };
  set('officerId', positive(p.get('officer')));
  set('deviceId', positive(p.get('camera')));
  set('fromDay', DAY.test(p.get('from') ?? '') ? p.get('from')! : undefined);
  set('toDay', DAY.test(p.get('to') ?? '') ? p.get('to')! : undefined);
  set('important', yesNo(p.get('important')));
  set('kind', oneOf(clipKinds, p.get('kind')));
  set('workType', oneOf(workTypes, p.get('work')));
  set('damaged', yesNo(p.get('damaged')));
  set('confidentiality', oneOf(confidentialityLevels, p.get('level')));
  set('caseId', positive(p.get('case')));
  set('checkoutId', positive(p.get('checkout')));
  return f;
}

export function filtersQuery(f: LibraryFilters): string {
  const p = new URLSearchParams();
  const yes = (v: boolean) => (v ? '1' : '0');
  if (f.officerId !== undefined) p.set('officer', String(f.officerId));
  if (f.deviceId !== undefined) p.set('camera', String(f.deviceId));
  if (f.fromDay) p.set('from', f.fromDay);
  if (f.toDay) p.set('to', f.toDay);
  if (f.important !== undefined) p.set('important', yes(f.important));
  if (f.kind) p.set('kind', f.kind);
  if (f.workType) p.set('work', f.workType);
  if (f.damaged !== undefined) p.set('damaged', yes(f.damaged));
  if (f.confidentiality) p.set('level', f.confidentiality);
  if (f.caseId !== undefined) p.set('case', String(f.caseId));
  if (f.checkoutId !== undefined) p.set('checkout', String(f.checkoutId));
  return p.toString();
}

/** Midnight starting `day` (`2026-11-27`) on the station's clock, as UTC ms. */
export function dayStartAt(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // The zone's offset at that instant, applied twice so a day that starts next to a
  // daylight-saving change still lands on its own midnight.
  let at = wall;
  for (let i = 0; i < 2; i++) {
    const z = zoneFields(at, timeZone);
    const shown = Date.UTC(Number(z.year), Number(z.month) - 1, Number(z.day), Number(z.hour), Number(z.minute), Number(z.second));
    at += wall - shown;
  }
  return at;
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Calendar days on the station's clock as the core's range (UTC ms): `to` is exclusive, so the
 * last day asked for runs to the next midnight. Either end may be left open ('').
 */
export function dayRange(fromDay: string | undefined, toDay: string | undefined, timeZone: string): { from?: number; to?: number } {
  return {
    ...(fromDay ? { from: dayStartAt(fromDay, timeZone) } : {}),
    ...(toDay ? { to: dayStartAt(nextDay(toDay), timeZone) } : {}),
  };
}

/** The core's filter for the library's filters. */
export function searchFilter(f: LibraryFilters, timeZone: string): LibraryFilter {
  const { fromDay, toDay, ...rest } = f;
  return { ...rest, ...dayRange(fromDay, toDay, timeZone) };
}
