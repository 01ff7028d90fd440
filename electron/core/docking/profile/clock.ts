// The camera's clock (第七条): reading the time it wrote when mounted, and the
// file that sets it.
import { formatWallClock, parseWallClock, type WallClock } from '../wall-clock.js';
import { parseDeviceFile, readDeviceFile } from './device-file.js';
import type { CameraProfile } from './schema.js';

export type ClockReading =
  | { status: 'unsupported' }
  | { status: 'missing'; path: string }
  | { status: 'unreadable'; path: string; error: string }
  | {
      status: 'ok';
      path: string;
      /** The text as the camera wrote it. */
      text: string;
      /** What the camera's clock said, as local wall-clock fields (no zone). */
      wallClock: WallClock;
      /** When the file was last written, per the station's view of its mtime. */
      fileModifiedMs: number;
    };

/**
 * Reads the time the camera wrote when it was mounted. The skew is this
 * reading against the station's clock at dock time; the caller knows both
 * the station's time and the zone, so it does the subtraction.
 */
export async function readCameraClock(profile: CameraProfile, volumeRoot: string): Promise<ClockReading> {
  const c = profile.clock.read;
  if (c === 'none' || !profile.compiled.clockRead) return { status: 'unsupported' };
  const file = await readDeviceFile(volumeRoot, c.path, c.encoding);
  if (file.state !== 'ok') return file.state === 'missing' ? { status: 'missing', path: file.path } : { status: 'unreadable', path: file.path, error: file.error };
  let text: string | undefined;
  if (c.format === 'text') text = file.text.trim();
  else {
    const lookup = parseDeviceFile(file, c.format);
    if (typeof lookup === 'string') return { status: 'unreadable', path: file.path, error: lookup };
    text = lookup(c.key!)?.trim();
    if (!text) return { status: 'unreadable', path: file.path, error: `没有键 ${c.key} / key ${c.key} is missing` };
  }
  try {
    return { status: 'ok', path: file.path, text, wallClock: parseWallClock(text, profile.compiled.clockRead), fileModifiedMs: file.mtimeMs };
  } catch (err) {
    return { status: 'unreadable', path: file.path, error: (err as Error).message };
  }
}

/**
 * The file that sets the camera's clock (the camera reads it at its next
 * start), or null when the model offers no way. Pure: the caller writes it.
 */
export function clockSetFile(profile: CameraProfile, wallClock: WallClock): { path: string; contents: string } | null {
  const c = profile.clock.set;
  if (c === 'none' || !profile.compiled.clockSet) return null;
  const time = formatWallClock(wallClock, profile.compiled.clockSet);
  return { path: c.path, contents: (c.format === 'text' ? time : `${c.key}=${time}`) + c.lineEnding };
}
