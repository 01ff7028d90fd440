// The camera's status: battery and free space, where the model reports them.
import { parseDeviceFile, readDeviceFile } from './device-file.js';
import type { ProfileData } from './schema.js';

export type StatusReading =
  | { status: 'unsupported' }
  | { status: 'missing'; path: string }
  | { status: 'unreadable'; path: string; error: string }
  | { status: 'ok'; path: string; batteryPercent: number | null; freeBytes: number | null; totalBytes: number | null; problems: string[] };

const UNIT_BYTES = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;

/** Reads battery and free space where the model reports them. */
export async function readStatus(profile: ProfileData, volumeRoot: string): Promise<StatusReading> {
  if (profile.status === 'none') return { status: 'unsupported' };
  const s = profile.status;
  const file = await readDeviceFile(volumeRoot, s.path, s.encoding);
  if (file.state !== 'ok') return file.state === 'missing' ? { status: 'missing', path: file.path } : { status: 'unreadable', path: file.path, error: file.error };
  const lookup = parseDeviceFile(file, s.format);
  if (typeof lookup === 'string') return { status: 'unreadable', path: file.path, error: lookup };
  const problems: string[] = [];
  // Firmware writes "87", "87%" or "1024MB": the leading number is the value.
  const number = (k: string): number | null => {
    const raw = lookup(k);
    if (raw === undefined) {
      problems.push(`没有键 ${k} / key ${k} is missing`);
      return null;
    }
    const m = /^\s*(\d+(?:\.\d+)?)/.exec(raw);
    if (!m) problems.push(`键 ${k} 的值“${raw}”不是数字 / value "${raw}" of ${k} is not a number`);
    return m ? Number(m[1]) : null;
  };
  const bytes = (f: { key: string; unit: keyof typeof UNIT_BYTES } | undefined) => {
    if (!f) return null;
    const n = number(f.key);
    return n === null ? null : Math.round(n * UNIT_BYTES[f.unit]);
  };
  let batteryPercent = s.fields.batteryPercent ? number(s.fields.batteryPercent) : null;
  if (batteryPercent !== null && (batteryPercent < 0 || batteryPercent > 100)) {
    problems.push(`电量 ${batteryPercent} 超出 0–100 / battery ${batteryPercent} is outside 0–100`);
    batteryPercent = null;
  }
  return { status: 'ok', path: file.path, batteryPercent, freeBytes: bytes(s.fields.freeSpace), totalBytes: bytes(s.fields.totalSpace), problems };
}
