// What the benchmarks (bench:ingest, bench:index, bench:player) need to know about the
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

/** Linux's free page reporting counter: KiB of free guest memory handed back to the host so far (VMs with it only). */
const REPORTED_KIB = '/sys/module/page_reporting/parameters/reported_kib';

/**
 * In a VM with free page reporting (this project's machines), the memory
 * `drop_caches` frees goes back to the host over the next 10–15 s. Until it
 * has, the next buffered writer (`cp`) gets those pages back cheaply; after,
 * each page costs a fault to the host. A case run right after a buffered case
 * was therefore up to twice as fast as the same case run after an O_DIRECT one
 * (`cp` + `openssl` 575–601 against 245–261 MB/s, 4.9 against 12.6 CPU s).
 * Waiting until the counter has stood still for `quietMs` puts every case at
 * the same start: the freed memory returned, as after any pause. Returns the
 * seconds waited and the MiB returned meanwhile, or null where there is no
 * such counter (nothing to wait for).
 */
export async function settleFreedMemory(quietMs = 3000, maxMs = 60_000): Promise<{ seconds: number; mib: number } | null> {
  if (!existsSync(REPORTED_KIB)) return null;
  const read = () => Number(readFileSync(REPORTED_KIB, 'utf8').trim());
  const started = performance.now();
  const first = read();
  let last = first;
  let stillSince = started;
  while (performance.now() - stillSince < quietMs && performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = read();
    if (now !== last) {
      last = now;
      stillSince = performance.now();
    }
  }
  return { seconds: (performance.now() - started) / 1000, mib: (last - first) / 1024 };
}

/** Load average and pressure-stall figures: other work on the machine shows up in the figures. */
export function machineLoad(): string {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const loadavg = read('/proc/loadavg').split(' ').slice(0, 3).join(' ');
  const pressure = (kind: string) => /some avg10=([\d.]+) avg60=([\d.]+)/.exec(read(`/proc/pressure/${kind}`));
  const cpu = pressure('cpu');
  const io = pressure('io');
  return `load ${loadavg || '?'}` + (cpu && io ? `, CPU pressure ${cpu[2]} %, I/O pressure ${io[2]} % (avg60)` : '');
}

/** The median of the runs (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
