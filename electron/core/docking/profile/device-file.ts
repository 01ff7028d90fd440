// Files the camera carries about itself (binding, clock, status): read
// without following links, bounded in size, decoded and parsed.
import { readFile } from 'node:fs/promises';
import { decodeCameraText, parseStructured, type KeyLookup } from '../camera-text.js';
import { locate } from './volume-path.js';

/** Larger than any real device file; refuses to slurp a huge file by mistake. */
const MAX_DEVICE_FILE = 1024 * 1024;

export type DeviceFile =
  | { state: 'missing'; path: string }
  | { state: 'unreadable'; path: string; error: string }
  | { state: 'ok'; path: string; text: string; mtimeMs: number };

export async function readDeviceFile(root: string, relative: string, encoding: 'utf-8' | 'gb18030' | 'auto'): Promise<DeviceFile> {
  const found = await locate(root, relative);
  if (found.state === 'missing') return { state: 'missing', path: found.path };
  if (found.state === 'symlink') return { state: 'unreadable', path: found.path, error: '是符号链接，不跟随 / is a symbolic link (not followed)' };
  if (found.state !== 'file') return { state: 'unreadable', path: found.path, error: '不是普通文件 / is not a regular file' };
  if (found.size > MAX_DEVICE_FILE) return { state: 'unreadable', path: found.path, error: `文件过大（${found.size} 字节） / file too large (${found.size} bytes)` };
  try {
    const text = decodeCameraText(await readFile(found.path), encoding);
    return { state: 'ok', path: found.path, text, mtimeMs: found.mtimeMs };
  } catch (err) {
    return { state: 'unreadable', path: found.path, error: (err as Error).message };
  }
}

export function parseDeviceFile(file: { text: string }, format: Parameters<typeof parseStructured>[1]): KeyLookup | string {
  try {
    return parseStructured(file.text, format);
  } catch (err) {
    return (err as Error).message;
  }
}
