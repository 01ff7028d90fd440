// When a recording was made, as far as the station can tell, and whether the camera's clock can be
// believed (issue 17). A camera whose clock was lost (a flat battery resets many to 1980 or 2000)
// or set years ahead still records good evidence; its times must not be presented as fact. So a
// time before 2000 or later than the station's clock plus a day is implausible: the file is stored
// as usual, flagged `clock_wrong`, dated by the first plausible time (the name's, corrected by the
// skew measured at dock, which puts a reset clock right when it was reset before the recording; or
// the one the container embeds), and filed under `undated/` for the dock's day when none is.
import path from 'node:path';
import { utcToWallClock } from '../docking/wall-clock.js';
import { vaultFileName, vaultFolder } from './vault.js';

/** 2000-01-01T00:00:00Z: no recorder sold to a unit was made before, so a time before is a clock that was reset. */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** The vault's folder for recordings no plausible time dates: kept apart, so no folder's date is a guess. */
export const UNDATED_FOLDER = 'undated';

export function plausibleTime(at: number, now: number): boolean {
  return at >= EARLIEST_PLAUSIBLE_MS && at <= now + DAY_MS;
}

export interface RecordingTimes {
  /** The start time the file's name gives, read in the station's zone, as the camera wrote it. */
  cameraStartAt: number | null;
  /** The camera's clock minus the station's at dock (第七条); null when it could not be read. */
  clockSkewMs: number | null;
  /** The creation time the container embeds, if any. */
  embeddedCreatedAt: number | null;
  /** The file's modification time on the card. */
  mtimeMs: number;
}

export interface Dating {
  /** The recording's start as the station dates it, or null: undated. */
  startAt: number | null;
  /** Where `startAt` came from. */
  datedBy: 'name' | 'embedded' | null;
  /** A time the camera gave (the name's, the file's) cannot be true. */
  clockWrong: boolean;
}

export function dateRecording(t: RecordingTimes, now: number): Dating {
  const clockWrong = !plausibleTime(t.mtimeMs, now) || (t.cameraStartAt !== null && !plausibleTime(t.cameraStartAt, now));
  const corrected = t.cameraStartAt === null ? null : t.cameraStartAt - (t.clockSkewMs ?? 0);
  if (corrected !== null && plausibleTime(corrected, now)) return { startAt: corrected, datedBy: 'name', clockWrong };
  if (t.embeddedCreatedAt !== null && plausibleTime(t.embeddedCreatedAt, now)) return { startAt: t.embeddedCreatedAt, datedBy: 'embedded', clockWrong };
  return { startAt: null, datedBy: null, clockWrong };
}

/**
 * The vault folder a recording goes to: its day (`YYYY/MM/DD/<serial>`) when it is dated, else
 * `undated/YYYY/MM/DD/<serial>` for the day of the dock that brought it, which the sidecar says.
 */
export function recordingFolder(startAt: number | null, dockedAt: number, serial: string, timeZone: string): string {
  if (startAt !== null) return vaultFolder(startAt, serial, timeZone);
  const w = utcToWallClock(dockedAt, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return path.posix.join(UNDATED_FOLDER, String(w.year), two(w.month), two(w.day), vaultFileName(serial));
}
