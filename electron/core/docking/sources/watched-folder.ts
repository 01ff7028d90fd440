// The watched-folder source: every sub-folder of one configured folder is a
// docked volume. The camera emulator, the demo and the tests dock cameras
// this way, and so can a site whose OS mounts cameras at a known place.
//
// fs.watch is a hint only (it misses events on network and FUSE file
// systems, and says nothing about what changed): every hint, and a slow
// safety interval, leads to the same full rescan, which alone is enough.
//
// A sub-folder arrives only once it has stopped changing: its tree (names,
// sizes, times; to a depth and entry count) must read the same across the
// settle time, so a camera folder being copied in is not docked half-copied.
// Renaming a finished folder in is the way to dock at once; an empty folder
// is not a volume yet (a mount point waiting for its mount, a copy not begun).
// Hidden sub-folders (".incoming") are staging areas and are left alone.
// Hidden entries *inside* a sub-folder count like any other: a camera that
// shows no files until its vendor's library switches it to disk mode is a
// folder holding only `.usb-device` (and the emulator's `.zfy/`), and it must
// still arrive, with the USB id that file announces, so its profile is found.
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeMountPoint } from './linux-mounts.js';
import { ScanQueue } from './scan-queue.js';
import {
  consoleLogger,
  TypedEmitter,
  unrefTimer,
  type DockedVolume,
  type IgnoreReason,
  type Logger,
  type UsbIdentity,
  type VolumeSource,
  type VolumeSourceEvents,
} from './volume.js';

export interface WatchedFolderOptions {
  folder: string;
  /** How long a sub-folder must read the same before it is docked. Default 2 s. */
  settleMs?: number;
  /** fs.watch events within this long cost one rescan. Default 200 ms. */
  debounceMs?: number;
  /** Rescan this often whatever fs.watch says. Default 10 s; 0 disables. */
  safetyRescanMs?: number;
  /** Use fs.watch as a hint to rescan sooner. Default true; false where it misbehaves (the rescans alone suffice). */
  fsWatch?: boolean;
  /** How deep the settle check reads a sub-folder's tree. Default 6 (cameras nest 2–3 deep). */
  settleDepth?: number;
  /** At most this many entries are read for the settle check. Default 5000. */
  settleMaxEntries?: number;
  /**
   * For a sub-folder that is a mount point: what is mounted there (label,
   * USB identity, removable). Default on Linux: the mount table and sysfs.
   */
  describeMount?: ((dir: string) => Promise<Omit<DockedVolume, 'id' | 'source' | 'root'> | null>) | null;
  log?: Logger;
}

export const VOLUME_LABEL_FILE = '.volume-label';
/** A folder's USB id, as a device attached over USB would have it: first line `VVVV:PPPP`. */
export const USB_DEVICE_FILE = '.usb-device';
export const DEFAULT_SETTLE_MS = 2_000;

interface Seen {
  /** dev:ino of the sub-folder: a folder replaced (or a mount appearing on it) is a different volume. */
  identity: string;
}
interface Pending extends Seen {
  signature: string;
  since: number;
}
interface Attached extends Seen {
  volume: DockedVolume;
}

/** A digest of a tree's names, kinds, sizes and times, read without following symbolic links. */
export async function treeSignature(root: string, maxDepth: number, maxEntries: number): Promise<{ entries: number; digest: string }> {
  const hash = createHash('sha1');
  let entries = 0;
  const walk = async (rel: string, depth: number): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(path.join(root, rel))).sort();
    } catch (err) {
      if (rel === '') throw err;
      hash.update(`${rel}\0unreadable\n`);
      return;
    }
    for (const name of names) {
      if (entries >= maxEntries) return;
      entries += 1;
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(path.join(root, r)).catch(() => null);
      if (!st) continue; // gone between readdir and lstat: the next reading will differ anyway
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : 'o';
      hash.update(`${r}\0${kind}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\n`);
      if (kind === 'd' && depth < maxDepth) await walk(r, depth + 1);
    }
  };
  await walk('', 1);
  return { entries, digest: hash.digest('hex') };
}

/** The label a site or the emulator gave a folder volume: the first line of `.volume-label`, if it is a small regular file. */
export async function readVolumeLabelFile(dir: string): Promise<string | null> {
  const file = path.join(dir, VOLUME_LABEL_FILE);
  const st = await lstat(file).catch(() => null);
  if (!st || !st.isFile() || st.size > 1024) return null;
  const label = (await readFile(file, 'utf8').catch(() => '')).replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.trim();
  return label || null;
}

/**
 * The USB id a folder announces in `.usb-device` (a small regular file whose first line is
 * `VVVV:PPPP`, four hex digits each, e.g. `2207:0011`): null when there is no such file,
 * `{ malformed }` with the line when it says something else.
 */
export async function readUsbDeviceFile(dir: string): Promise<UsbIdentity | { malformed: string } | null> {
  const file = path.join(dir, USB_DEVICE_FILE);
  const st = await lstat(file).catch(() => null);
  if (!st || !st.isFile()) return null;
  if (st.size > 1024) return { malformed: `(${st.size} bytes)` };
  const line = (await readFile(file, 'utf8').catch(() => '')).replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.trim();
  const m = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(line);
  if (!m) return { malformed: line.slice(0, 64) };
  return { vendorId: m[1]!.toLowerCase(), productId: m[2]!.toLowerCase() };
}

export class WatchedFolderSource implements VolumeSource {
  readonly kind = 'watched-folder' as const;
  private readonly folder: string;
  private readonly settleMs: number;
  private readonly log: Logger;
  private readonly events: TypedEmitter<VolumeSourceEvents>;
  private readonly queue: ScanQueue;
  private readonly describeMount: WatchedFolderOptions['describeMount'];
  private readonly attached = new Map<string, Attached>();
  private readonly pending = new Map<string, Pending>();
  /** Paths already reported as ignored, so each is said once (again only after it went away). */
  private readonly noticed = new Map<string, IgnoreReason>();
  private watcher: FSWatcher | null = null;
  private watchFailed = false;
  private debounceTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private safetyTimer: NodeJS.Timeout | null = null;
  private running = false;
  private folderProblem: string | null = null;

  constructor(private readonly options: WatchedFolderOptions) {
    this.folder = path.resolve(options.folder);
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.log = options.log ?? consoleLogger;
    this.events = new TypedEmitter(this.log);
    this.queue = new ScanQueue(() => this.scan(), (err) => this.problem('scan-failed', `扫描监视目录失败 / scanning the watched folder failed: ${(err as Error)?.message ?? err}`));
    this.describeMount = options.describeMount !== undefined ? options.describeMount : process.platform === 'linux' ? (dir) => describeMountPoint(dir) : null;
  }

  on<K extends keyof VolumeSourceEvents>(event: K, listener: (...args: VolumeSourceEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  volumes(): DockedVolume[] {
    return [...this.attached.values()].map((a) => a.volume);
  }

  /**
   * Scans, then gives the sub-folders already there their settle time and
   * looks again: when this resolves, every stable volume present at start
   * has been reported attached. One still changing is reported when it settles.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const safety = this.options.safetyRescanMs ?? 10_000;
    if (safety > 0) this.safetyTimer = unrefTimer(setInterval(() => void this.queue.request(), safety));
    await this.queue.request();
    if (this.pending.size > 0 && this.running) {
      await new Promise((resolve) => setTimeout(resolve, this.settleMs));
      await this.rescan();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.closeWatcher();
    for (const t of [this.debounceTimer, this.settleTimer]) if (t) clearTimeout(t);
    if (this.safetyTimer) clearInterval(this.safetyTimer);
    this.debounceTimer = this.settleTimer = this.safetyTimer = null;
    await this.queue.idle();
  }

  rescan(): Promise<void> {
    return this.running ? this.queue.request() : Promise.resolve();
  }

  private problem(code: 'folder-missing' | 'scan-failed', message: string): void {
    if (message === this.folderProblem) return; // said once until it changes or clears
    this.folderProblem = message;
    this.events.emit('problem', { code, message });
  }

  private ensureWatcher(): void {
    if (this.watcher || this.watchFailed || this.options.fsWatch === false) return;
    try {
      this.watcher = watch(this.folder, { persistent: false }, () => this.hint());
      this.watcher.on('error', () => this.closeWatcher()); // e.g. the folder was removed; the next scan re-watches
    } catch (err) {
      // Some file systems cannot be watched at all; the safety rescans carry on alone.
      this.watchFailed = true;
      this.log(`cannot watch ${this.folder}; relying on rescans every ${this.options.safetyRescanMs ?? 10_000} ms`, err);
    }
  }

  private closeWatcher(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private hint(): void {
    if (!this.running) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = unrefTimer(
      setTimeout(() => {
        this.debounceTimer = null;
        void this.queue.request();
      }, this.options.debounceMs ?? 200),
    );
  }

  /** One timer for the earliest moment a pending sub-folder may have settled. */
  private scheduleSettleCheck(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    if (!this.running || this.pending.size === 0) return;
    const now = performance.now();
    const due = Math.min(...[...this.pending.values()].map((p) => p.since + this.settleMs));
    this.settleTimer = unrefTimer(
      setTimeout(() => {
        this.settleTimer = null;
        void this.queue.request();
      }, Math.max(10, due - now + 5)),
    );
  }

  private notice(full: string, reason: IgnoreReason): void {
    if (this.noticed.get(full) === reason) return;
    this.noticed.set(full, reason);
    this.events.emit('ignored', full, reason);
  }

  private detach(name: string): void {
    const was = this.attached.get(name);
    if (!was) return;
    this.attached.delete(name);
    this.events.emit('detached', was.volume.id);
  }

  private async scan(): Promise<void> {
    if (!this.running) return;
    const base = await realpath(this.folder).catch(() => null);
    const baseStat = base ? await lstat(base).catch(() => null) : null;
    if (!base || !baseStat?.isDirectory()) {
      this.closeWatcher();
      for (const name of [...this.attached.keys()]) this.detach(name);
      this.pending.clear();
      this.problem('folder-missing', `监视目录不存在 / the watched folder does not exist: ${this.folder}`);
      return;
    }
    this.folderProblem = null;
    this.ensureWatcher();
    const present = new Set<string>();
    for (const entry of await readdir(base, { withFileTypes: true })) {
      if (!this.running) return;
      const name = entry.name;
      if (name.startsWith('.')) continue;
      const full = path.join(base, name);
      if (entry.isSymbolicLink()) {
        present.add(full);
        this.notice(full, 'symlink');
        continue;
      }
      if (!entry.isDirectory()) continue;
      const st = await lstat(full).catch(() => null);
      if (!st?.isDirectory()) continue;
      present.add(full);
      if (this.noticed.get(full) === 'symlink') this.noticed.delete(full);
      const identity = `${st.dev}:${st.ino}`;
      const was = this.attached.get(name);
      if (was?.identity === identity) continue;
      if (was) this.detach(name); // replaced, or something mounted on it or unmounted from it
      await this.consider(name, full, identity, st.dev !== baseStat.dev);
    }
    if (!this.running) return;
    for (const name of [...this.attached.keys()]) if (!present.has(path.join(base, name))) this.detach(name);
    for (const name of [...this.pending.keys()]) if (!present.has(path.join(base, name))) this.pending.delete(name);
    for (const full of [...this.noticed.keys()]) if (!present.has(full)) this.noticed.delete(full);
    this.scheduleSettleCheck();
  }

  private async consider(name: string, full: string, identity: string, isMountPoint: boolean): Promise<void> {
    const options = this.options;
    let signature: { entries: number; digest: string };
    try {
      signature = await treeSignature(full, options.settleDepth ?? 6, options.settleMaxEntries ?? 5_000);
    } catch {
      this.pending.delete(name);
      this.notice(full, 'unreadable');
      return;
    }
    if (this.noticed.get(full) === 'unreadable') this.noticed.delete(full);
    if (signature.entries === 0) {
      this.pending.delete(name);
      return;
    }
    const now = performance.now();
    const seen = this.pending.get(name);
    if (!seen || seen.identity !== identity || seen.signature !== signature.digest) {
      this.pending.set(name, { identity, signature: signature.digest, since: now });
      if (this.settleMs > 0) return;
    } else if (now - seen.since < this.settleMs) return;
    this.pending.delete(name);

    const mounted = isMountPoint && this.describeMount ? await this.describeMount(full).catch(() => null) : null;
    // What is mounted says its own USB id; a plain folder may announce one.
    const announced = mounted?.usb ? null : await readUsbDeviceFile(full);
    if (announced && 'malformed' in announced) {
      this.log(
        `${path.join(full, USB_DEVICE_FILE)} 的第一行应为 VVVV:PPPP（4 位十六进制），已忽略：“${announced.malformed}” / ` +
          `the first line of ${path.join(full, USB_DEVICE_FILE)} should be VVVV:PPPP (4 hex digits each); ignored: "${announced.malformed}"`,
      );
    }
    const usb = mounted?.usb ?? (announced && !('malformed' in announced) ? announced : undefined);
    const volume: DockedVolume = {
      id: `watched-folder:${full}`,
      root: full,
      label: mounted?.label ?? (await readVolumeLabelFile(full)) ?? name,
      ...(usb ? { usb } : {}),
      removable: mounted?.removable ?? false,
      source: 'watched-folder',
    };
    if (!this.running) return;
    this.attached.set(name, { identity, volume });
    this.events.emit('attached', volume);
  }
}
