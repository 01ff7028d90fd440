// What both benchmarks (bench:ingest, bench:index) need to know about the
// machine they run on: a shell answer, where the work folder lives, and how to
// drop the page cache so "cold" means the disk.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A command's output, or '' when it is missing or fails (the report then says "?"). */
export function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** statfs types of memory file systems: a benchmark there would measure memory, not a disk. */
export const MEMORY_FS = new Set([0x01021994, 0x858458f6]); // tmpfs, ramfs

/** The mount (device, mount point, type, options) holding `dir`, from /proc/mounts; the longest match wins. */
export function mountOf(dir: string): { device: string; mountPoint: string; type: string; options: string } | null {
  if (!existsSync('/proc/mounts')) return null;
  let best: { device: string; mountPoint: string; type: string; options: string } | null = null;
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [device, mountPoint, type, options] = line.split(' ');
    if (!device || !mountPoint || !type) continue;
    const mp = mountPoint.replace(/\\040/g, ' ');
    if ((dir === mp || dir.startsWith(mp.endsWith('/') ? mp : `${mp}/`)) && (!best || mp.length >= best.mountPoint.length)) {
      best = { device, mountPoint: mp, type, options: options ?? '' };
    }
  }
  return best;
}

let dropPermitted: boolean | undefined;

/** `sync; echo 3 > /proc/sys/vm/drop_caches`; false when not permitted (not root, or a container). */
export function dropCaches(): boolean {
  execFileSync('sync');
  if (dropPermitted === false) return false;
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    dropPermitted = true;
  } catch {
    dropPermitted = false;
  }
  return dropPermitted;
}

/** Whether the last dropCaches() could drop the cache (undefined before the first). */
export function cacheDropPermitted(): boolean | undefined {
  return dropPermitted;
}
