// Camera clocks know no time zone: a body-worn camera writes the local
// wall-clock time it believes it is ("20240501083000"), in file names, in its
// clock file and in MP4 metadata. We keep that reading exactly as written
// (第七条: times are stored as read, and separately corrected), so this module
// parses and formats wall-clock fields without ever guessing a zone, and
// converts to and from UTC only when a caller names the zone.
import { zoneFields } from '../../../shared/time.js';

/** Local date and time fields as a camera wrote them; no zone. */
export interface WallClock {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
  hour: number; // 0–23
  minute: number;
  second: number;
  millisecond: number;
}

/** A fixed-width token of a time format, as in Unicode LDML date patterns. */
type Token = 'yyyy' | 'MM' | 'dd' | 'HH' | 'mm' | 'ss' | 'SSS';
type Piece = { token: Token } | { literal: string };

const TOKENS: readonly Token[] = ['yyyy', 'SSS', 'MM', 'dd', 'HH', 'mm', 'ss'];
const REQUIRED: readonly Token[] = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss'];
const FIELD: Record<Token, keyof WallClock> = {
  yyyy: 'year',
  MM: 'month',
  dd: 'day',
  HH: 'hour',
  mm: 'minute',
  ss: 'second',
  SSS: 'millisecond',
};

/** A time format compiled once: its pieces and a regular expression that reads it. */
export interface TimeFormat {
  readonly source: string;
  readonly pieces: readonly Piece[];
  readonly regex: RegExp;
}

/**
 * Compiles a format such as `yyyyMMddHHmmss`, `yyyy-MM-dd HH:mm:ss` or
 * `yyyy-MM-dd'T'HH:mm:ss`. Letters are tokens; put literal letters in single
 * quotes. Every token is fixed width (cameras zero-pad), which keeps reading
 * unambiguous even without separators. Throws with a bilingual message.
 */
export function compileTimeFormat(source: string): TimeFormat {
  const pieces: Piece[] = [];
  const seen = new Set<Token>();
  let i = 0;
  const pushLiteral = (text: string) => {
    const last = pieces[pieces.length - 1];
    if (last && 'literal' in last) last.literal += text;
    else pieces.push({ literal: text });
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "'") {
      const end = source.indexOf("'", i + 1);
      if (end < 0) throw new Error(`时间格式中的引号没有闭合 / unclosed quote in time format "${source}"`);
      pushLiteral(end === i + 1 ? "'" : source.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      const token = TOKENS.find((t) => source.startsWith(t, i));
      if (!token) {
        let run = ch;
        while (source[i + run.length] === ch) run += ch;
        throw new Error(
          `时间格式中有不认识的记号“${run}”（可用 yyyy MM dd HH mm ss SSS，字面字母请加单引号，如 'T'） / ` +
            `unknown token "${run}" in time format "${source}" (use yyyy MM dd HH mm ss SSS; quote literal letters, e.g. 'T')`,
        );
      }
      if (seen.has(token)) throw new Error(`时间格式中“${token}”出现了两次 / token "${token}" appears twice in "${source}"`);
      seen.add(token);
      pieces.push({ token });
      i += token.length;
      continue;
    }
    pushLiteral(ch);
    i += 1;
  }
  const missing = REQUIRED.filter((t) => !seen.has(t));
  if (missing.length > 0) {
    throw new Error(`时间格式缺少 ${missing.join(' ')} / time format "${source}" lacks ${missing.join(' ')}`);
  }
  const body = pieces
    .map((p) => ('token' in p ? `(\\d{${p.token.length}})` : p.literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return { source, pieces, regex: new RegExp(`^${body}$`) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why these fields are not a real calendar time, or null when they are. */
export function invalidWallClock(w: WallClock): string | null {
  if (w.month < 1 || w.month > 12) return `月份 ${w.month} 无效 / month ${w.month} is out of range`;
  if (w.day < 1 || w.day > daysInMonth(w.year, w.month)) return `日期 ${w.day} 无效 / day ${w.day} is out of range`;
  if (w.hour > 23) return `小时 ${w.hour} 无效 / hour ${w.hour} is out of range`;
  if (w.minute > 59) return `分钟 ${w.minute} 无效 / minute ${w.minute} is out of range`;
  if (w.second > 59) return `秒 ${w.second} 无效 / second ${w.second} is out of range`;
  return null;
}

/** Reads `text` with `format`; throws (bilingual) if it does not fit or is not a real date. */
export function parseWallClock(text: string, format: TimeFormat): WallClock {
  const m = format.regex.exec(text);
  if (!m) throw new Error(`“${text}”不符合时间格式 ${format.source} / "${text}" does not fit time format ${format.source}`);
  const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let group = 1;
  for (const p of format.pieces) {
    if ('token' in p) w[FIELD[p.token]] = Number(m[group++]);
  }
  const bad = invalidWallClock(w);
  if (bad) throw new Error(`“${text}”不是有效时间 / "${text}" is not a valid time: ${bad}`);
  return w;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function formatWallClock(w: WallClock, format: TimeFormat): string {
  return format.pieces
    .map((p) => ('token' in p ? pad(w[FIELD[p.token]], p.token.length) : p.literal))
    .join('');
}

/** `2024-05-01T08:30:00` (plus `.SSS` when there are milliseconds): sortable, zone-free. */
export function wallClockToIso(w: WallClock): string {
  const base = `${pad(w.year, 4)}-${pad(w.month, 2)}-${pad(w.day, 2)}T${pad(w.hour, 2)}:${pad(w.minute, 2)}:${pad(w.second, 2)}`;
  return w.millisecond ? `${base}.${pad(w.millisecond, 3)}` : base;
}

/** The wall clock a correct clock in `timeZone` shows at UTC instant `utcMs`. */
export function utcToWallClock(utcMs: number, timeZone: string): WallClock {
  const f = zoneFields(utcMs, timeZone);
  return {
    year: Number(f.year),
    month: Number(f.month),
    day: Number(f.day),
    hour: Number(f.hour),
    minute: Number(f.minute),
    second: Number(f.second),
    millisecond: ((utcMs % 1000) + 1000) % 1000,
  };
}

const asUtcMs = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/**
 * The UTC instant at which a clock in `timeZone` shows `w`. For a wall time
 * that occurs twice or never (DST changes) this picks the earlier/shifted
 * instant; China has no DST, but sites elsewhere might.
 */
export function wallClockToUtc(w: WallClock, timeZone: string): number {
  const naive = asUtcMs(w);
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const offset = asUtcMs(utcToWallClock(guess, timeZone)) - guess;
    const next = naive - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}
