// Proxies: what Chromium cannot decode (HEVC, MJPEG in AVI, …; proxy-rule.ts) plays from an
// H.264 720p + AAC copy made by ffmpeg when someone presses play. The copy is a fragmented MP4
// written as it is made, so the player starts on the first fragment, not after the whole
// transcode. ffmpeg writes to a pipe, never to a file of its own: the station decides where the
// bytes go. For an ordinary clip they are cached in derived/ (a second viewing starts at once);
// for a secret one (`toDisk: false`, the caller's decision from the clip's confidentiality) they
// live only in memory for the viewers of this one transcode, and nothing reaches a disk.
// A proxy is never the original, and the viewer says so ("代理文件，非原始文件").
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import type { ContentKey, DerivedStore } from './derived.js';
import { FfmpegError, spawnFfmpeg, stderrTail } from './ffmpeg.js';
import { FragmentWatch } from './fragments.js';
import { killAfter } from '../ingest/kill-after.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../private-modes.js';

export interface ProxyClip extends ContentKey {
  id: number;
  vault_path: string;
  duration_ms: number | null;
}

export interface ProxyHandle {
  /** 'file': cached in derived/ (complete or being written); 'memory': ffmpeg's output held only in this process. */
  readonly mode: 'file' | 'memory';
  /** The cached proxy when complete, else the file being written; null in memory. */
  readonly file: string | null;
  /** A reader from byte 0 that follows the proxy as it is written, and ends with it. */
  open(): Readable;
  /** Resolves when the first fragment is whole (the player may start). */
  readonly ready: Promise<void>;
  /** Resolves when the proxy is whole (in file mode: in its place in derived/). */
  readonly done: Promise<void>;
  /** Bytes made so far. */
  bytes(): number;
}

/** Height of the proxy: 720p, never scaled up. */
export const PROXY_HEIGHT = 720;
/** A memory proxy keeps what it made for viewers who join late, up to this; then only the live viewers are served. */
export const MEMORY_REPLAY_BYTES = 256 * 1024 * 1024;
/** ffmpeg waits (its pipe unread) once the slowest memory viewer is this far behind. */
const MEMORY_AHEAD_BYTES = 16 * 1024 * 1024;

/** ffmpeg's arguments for the proxy of `input`, written to its stdout as a fragmented MP4 of ~1 s fragments. */
export function proxyArgs(input: string): string[] {
  return [
    '-i', input,
    '-map', '0:v:0', '-map', '0:a:0?',
    '-vf', `scale=-2:'min(${PROXY_HEIGHT},ih)'`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '96k', '-ac', '2',
    // empty_moov: the header first, no index at the end; frag_keyframe + ~1 s fragments: the
    // first is whole within a second or two of footage; default_base_moof: what MSE expects.
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000',
    '-f', 'mp4', 'pipe:1',
  ];
}

export interface ProxyDeps {
  store: DerivedStore;
  absolute: (vaultPath: string) => string;
  ffmpeg: string;
  log: (message: string, error?: unknown) => void;
}

/** A whole proxy's place in the cache: `derived/…/<hash>/proxy/proxy.mp4`. */
export function proxyFile(store: DerivedStore, key: ContentKey): string {
  return path.join(store.folderOf(key), 'proxy', 'proxy.mp4');
}

export class Proxies {
  /** Transcodes in progress, one per clip's content and mode: a second viewer shares the first's ffmpeg. */
  private readonly running = new Map<string, ProxyJob>();

  constructor(private readonly d: ProxyDeps) {}

  proxyFor(clip: ProxyClip, options: { toDisk: boolean }): ProxyHandle {
    const key = `${clip.hash_algorithm}:${clip.hash}:${options.toDisk ? 'file' : 'memory'}`;
    if (options.toDisk) {
      const whole = proxyFile(this.d.store, clip);
      if (!this.running.has(key) && fs.existsSync(whole)) return completeFile(whole);
    }
    const current = this.running.get(key);
    if (current?.joinable()) return current.handle();
    const job = new ProxyJob(this.d, clip, options.toDisk);
    this.running.set(key, job);
    const forget = () => {
      if (this.running.get(key) === job) this.running.delete(key);
    };
    job.done.then(forget, forget);
    return job.handle();
  }

  /** How many transcodes run now (tests: concurrent requests share one). */
  get transcoding(): number {
    return this.running.size;
  }

  /** Stops every transcode (the station closing); their `done` rejects. */
  async close(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const j of jobs) j.stop();
    await Promise.allSettled(jobs.map((j) => j.done));
  }
}

function completeFile(file: string): ProxyHandle {
  const size = fs.statSync(file).size;
  return {
    mode: 'file',
    file,
    open: () => fs.createReadStream(file),
    ready: Promise.resolve(),
    done: Promise.resolve(),
    bytes: () => size,
  };
}

/** One ffmpeg making one proxy, and everyone reading it. */
class ProxyJob extends EventEmitter {
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  private readonly child: ChildProcess;
  private readonly watch = new FragmentWatch();
  private written = 0;
  private finished = false;
  private failure: Error | null = null;
  private streamError: Error | null = null;
  /** File mode: the file being written, then the whole one. */
  private filePath: string | null = null;
  private fd: number | null = null;
  /** Memory mode: what was made, from `chunksStart` on (dropped past MEMORY_REPLAY_BYTES). */
  private chunks: Buffer[] = [];
  private chunksStart = 0;
  private dropped = false;
  private readonly readers = new Set<FollowingReader>();
  private everRead = false;

  constructor(
    private readonly d: ProxyDeps,
    private readonly clip: ProxyClip,
    private readonly toDisk: boolean,
  ) {
    super();
    this.setMaxListeners(0);
    let onReady!: () => void;
    let onReadyFail!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => ((onReady = resolve), (onReadyFail = reject)));
    // Whoever only awaits `done` must not see an unhandled rejection of `ready`.
    this.ready.catch(() => undefined);
    if (toDisk) {
      const whole = proxyFile(d.store, clip);
      fs.mkdirSync(path.dirname(whole), { recursive: true, mode: PRIVATE_DIR });
      this.filePath = d.store.tempFor(whole);
      this.fd = fs.openSync(this.filePath, 'wx', PRIVATE_FILE);
    }
    this.child = spawnFfmpeg(d.ffmpeg, proxyArgs(d.absolute(clip.vault_path)), 'normal', 'pipe');
    const stderr = stderrTail(this.child);
    // A proxy runs about as fast as the footage plays or faster; twice its length plus ten minutes is a stuck ffmpeg.
    const clearKill = killAfter(this.child, 10 * 60_000 + 2 * (clip.duration_ms ?? 3_600_000));
    this.child.stdout!.on('data', (chunk: Buffer) => this.take(chunk, onReady));
    this.done = new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        clearKill();
        this.failure = e;
        this.finished = true;
        onReadyFail(e);
        this.closeFile(false);
        this.emit('change');
        reject(e);
      };
      this.child.once('error', (e) => fail(new FfmpegError(`ffmpeg could not be started: ${e.message}`, '')));
      this.child.once('close', (code, signal) => {
        if (this.failure) return;
        if (this.streamError) return fail(new FfmpegError(`the proxy of clip ${clip.id} is not a fragmented MP4: ${this.streamError.message}`, stderr()));
        if (code !== 0) return fail(new FfmpegError(`the proxy of clip ${clip.id} failed (${signal ?? `exit ${code}`}): ${stderr().split('\n').at(-1) ?? ''}`, stderr()));
        if (this.watch.firstFragmentEnd === null) return fail(new FfmpegError(`the proxy of clip ${clip.id} has no fragment`, stderr()));
        clearKill();
        try {
          this.closeFile(true);
        } catch (e) {
          return fail(e as Error);
        }
        this.finished = true;
        this.emit('change');
        resolve();
      });
    });
    this.done.catch(() => undefined);
  }

  private take(chunk: Buffer, onReady: () => void): void {
    // Written synchronously: a pipe's chunks are at most 64 KiB and a proxy a few Mbit/s, and the
    // bytes must be in the file before the readers are told they exist.
    if (this.fd !== null) fs.writeSync(this.fd, chunk);
    else this.keep(chunk);
    this.written += chunk.length;
    const wasReady = this.watch.firstFragmentEnd !== null;
    try {
      if (this.watch.push(chunk) && !wasReady) onReady();
    } catch (e) {
      // Not the MP4 asked for: no viewer could play it; ffmpeg is stopped and `done` says why.
      this.streamError ??= e as Error;
      this.stop();
    }
    this.emit('change');
  }

  /** Memory mode: keeps the chunk for the readers; ffmpeg waits while the slowest falls far behind. */
  private keep(chunk: Buffer): void {
    this.chunks.push(chunk);
    if (this.written + chunk.length - this.chunksStart > MEMORY_REPLAY_BYTES) this.dropped = true;
    if (this.dropped) this.trimToReaders();
    const slowest = Math.min(...[...this.readers].map((r) => r.position));
    if (this.readers.size > 0 && this.written + chunk.length - slowest > MEMORY_AHEAD_BYTES) this.child.stdout!.pause();
  }

  /** Past the replay limit: what every live reader has read is let go. */
  private trimToReaders(): void {
    const keepFrom = this.readers.size ? Math.min(...[...this.readers].map((r) => r.position)) : this.written;
    while (this.chunks.length && this.chunksStart + this.chunks[0]!.length <= keepFrom) this.chunksStart += this.chunks.shift()!.length;
  }

  /** The file written and made durable enough for a cache (no fsync: a proxy is remade if lost), then renamed whole into its place. */
  private closeFile(success: boolean): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    const part = this.filePath!;
    if (success) {
      const whole = proxyFile(this.d.store, this.clip);
      // Readers already reading keep their open file across the rename.
      fs.renameSync(part, whole);
      this.filePath = whole;
    } else {
      fs.rmSync(part, { force: true });
    }
  }

  /** A late viewer may join while nothing it needs was let go. */
  joinable(): boolean {
    return !this.dropped && !this.failure;
  }

  handle(): ProxyHandle {
    return {
      mode: this.toDisk ? 'file' : 'memory',
      file: this.toDisk ? this.filePath : null,
      open: () => this.open(),
      ready: this.ready,
      done: this.done,
      bytes: () => this.written,
    };
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }

  private open(): Readable {
    if (this.dropped && this.chunksStart > 0) throw new Error('this proxy is past what a late viewer could join; ask for it again');
    const reader = new FollowingReader(this);
    this.readers.add(reader);
    this.everRead = true;
    reader.once('close', () => {
      this.readers.delete(reader);
      // Memory mode: nobody left to watch, nothing is kept: the transcode stops.
      if (!this.toDisk && this.everRead && this.readers.size === 0 && !this.finished) this.stop();
      else this.resumeIfCaughtUp();
    });
    return reader;
  }

  resumeIfCaughtUp(): void {
    if (this.toDisk || this.finished) return;
    const slowest = this.readers.size ? Math.min(...[...this.readers].map((r) => r.position)) : this.written;
    if (this.written - slowest <= MEMORY_AHEAD_BYTES / 2) this.child.stdout!.resume();
    if (this.dropped) this.trimToReaders();
  }

  /** Up to `max` bytes from `position`: data, 'wait' (not made yet), 'end', or the failure. */
  read(position: number, max: number, fd: number | null): Buffer | 'wait' | 'end' | Error {
    if (this.failure) return this.failure;
    if (position >= this.written) return this.finished ? 'end' : 'wait';
    const length = Math.min(max, this.written - position);
    if (fd !== null) {
      const buf = Buffer.allocUnsafe(length);
      const n = fs.readSync(fd, buf, 0, length, position);
      return buf.subarray(0, n);
    }
    let at = this.chunksStart;
    for (const c of this.chunks) {
      if (position < at + c.length) return c.subarray(position - at, Math.min(c.length, position - at + length));
      at += c.length;
    }
    return new Error('the proxy bytes were let go');
  }

  /** File mode: a descriptor of the file as it is now (kept open by the reader across the rename). */
  openFile(): number | null {
    return this.toDisk && this.filePath ? fs.openSync(this.filePath, 'r') : null;
  }
}

/** A reader of one job's output from byte 0, waiting for more until the job ends. */
class FollowingReader extends Readable {
  position = 0;
  private fd: number | null;
  private readonly onChange = () => this.pull();
  private waiting = false;

  constructor(private readonly job: ProxyJob) {
    super({ highWaterMark: 1024 * 1024 });
    this.fd = job.openFile();
    job.on('change', this.onChange);
  }

  override _read(size: number): void {
    this.waiting = true;
    this.pull(size);
  }

  private pull(size = 1024 * 1024): void {
    while (this.waiting) {
      const got = this.job.read(this.position, size, this.fd);
      if (got === 'wait') return;
      if (got === 'end') {
        this.waiting = false;
        this.push(null);
        return;
      }
      if (got instanceof Error) {
        this.waiting = false;
        this.destroy(got);
        return;
      }
      this.position += got.length;
      this.waiting = this.push(got);
      this.job.resumeIfCaughtUp();
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.job.off('change', this.onChange);
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    callback(error);
  }
}
