// Paths on a camera volume: found as FAT does (ignoring case), never through
// a symbolic link, and placed in or outside the profile's footage folders.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ProfileData } from './schema.js';

export type Located = { state: 'file' | 'folder'; path: string; size: number; mtimeMs: number } | { state: 'missing' | 'symlink' | 'other'; path: string };

/**
 * Finds `relative` under `root` as FAT does, ignoring case, without following
 * symbolic links (a link on a camera could point anywhere on the station).
 */
export async function locate(root: string, relative: string): Promise<Located> {
  let current = root;
  for (const segment of relative.split('/').filter(Boolean)) {
    let next = path.join(current, segment);
    let st = await lstat(next).catch(() => null);
    if (!st) {
      const entries = await readdir(current).catch(() => [] as string[]);
      const found = entries.find((e) => e.toLowerCase() === segment.toLowerCase());
      if (!found) return { state: 'missing', path: next };
      next = path.join(current, found);
      st = await lstat(next).catch(() => null);
      if (!st) return { state: 'missing', path: next };
    }
    if (st.isSymbolicLink()) return { state: 'symlink', path: next };
    current = next;
  }
  const st = await lstat(current);
  if (st.isFile()) return { state: 'file', path: current, size: st.size, mtimeMs: st.mtimeMs };
  if (st.isDirectory()) return { state: 'folder', path: current, size: 0, mtimeMs: st.mtimeMs };
  return { state: 'other', path: current };
}

export const segmentsOf = (p: string) => p.split('/').filter(Boolean);
const sameSegment = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function normaliseRelative(relativePath: string): string[] {
  const segments = segmentsOf(relativePath.replace(/\\/g, '/'));
  if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath) || segments.some((s) => s === '..' || s === '.')) {
    throw new Error(`路径必须相对卷根目录且不含 . 或 .. / path must be relative to the volume root, without . or ..: ${relativePath}`);
  }
  return segments;
}

/** The footage folder (as the profile spells it) that holds `relativePath`, or null. */
export function footageFolderOf(profile: ProfileData, relativePath: string): string | null {
  const segments = normaliseRelative(relativePath);
  for (const folder of profile.footage.folders) {
    const f = segmentsOf(folder);
    if (segments.length > f.length && f.every((s, i) => sameSegment(s, segments[i]!))) return folder;
  }
  return null;
}
