// Posters and contact sheets: a glance at a clip without playing it (the library's grid, the clip
// page, 综合处's review of footage outside a checkout). Made from key frames only: ffmpeg decodes
// one picture a second or so instead of every frame, which is what makes them cheap enough to
// make for every clip in the background after it is committed.
import fs from 'node:fs';
import type { Db } from '../db/open.js';
import type { ContentKey, DerivedStore } from './derived.js';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';

/** What the thumbnails of a clip are made from: the clip row's own columns. */
export interface ThumbnailSource extends ContentKey {
  id: number;
  kind: string;
  vault_path: string;
  duration_ms: number | null;
}

/** Width of a poster and of each contact-sheet tile (the library grid's cell at 2× density). */
export const POSTER_WIDTH = 320;
/** A contact sheet is COLUMNS × ROWS key frames spread over the clip. */
export const SHEET_COLUMNS = 4;
export const SHEET_ROWS = 3;
/** A poster or sheet of a few hours' clip decodes a few thousand key frames: minutes at most, even niced. */
export const THUMBNAIL_TIMEOUT_MS = 5 * 60_000;

export interface FailureRecord {
  at: number;
  clipId: number;
  reason: string;
}

/**
 * The ffmpeg arguments for a video's poster (its first key frame) and contact sheet (key frames
 * at least duration/12 apart, tiled 4 × 3; a clip with fewer key frames leaves black tiles), both
 * from one decode of the key frames.
 */
export function videoThumbnailArgs(input: string, poster: string, contact: string, durationMs: number | null): string[] {
  const tiles = SHEET_COLUMNS * SHEET_ROWS;
  // Unknown duration (a damaged clip ffprobe could not time): one frame every 10 s.
  const gap = durationMs && durationMs > 0 ? durationMs / 1000 / tiles : 10;
  return [
    '-skip_frame', 'nokey',
    '-i', input,
    '-filter_complex',
    `[0:v:0]scale=${POSTER_WIDTH}:-2,split=2[p][c];` +
      `[c]select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${gap.toFixed(3)})',tile=${SHEET_COLUMNS}x${SHEET_ROWS}[s]`,
    '-map', '[p]', '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', '-q:v', '5', poster,
    '-map', '[s]', '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', '-q:v', '5', contact,
  ];
}

/** A photo's poster: the picture scaled down (never up) to the poster's width. */
export function photoPosterArgs(input: string, poster: string): string[] {
  return ['-i', input, '-vf', `scale='min(${POSTER_WIDTH},iw)':-2`, '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', '-q:v', '5', poster];
}

export interface MakerDeps {
  store: DerivedStore;
  /** The recording's file in the vault (read only). */
  absolute: (vaultPath: string) => string;
  ffmpeg: string;
  priority: 'background' | 'normal';
  timeoutMs?: number;
  now: () => number;
  /** Stops the ffmpeg running (the station closing): no failure is recorded for it. */
  signal?: AbortSignal;
}

/** `failed`: this attempt failed (and was recorded); `failed_before`: an earlier one's record stands. */
export type Outcome = 'made' | 'present' | 'not_applicable' | 'failed' | 'failed_before';

/**
 * Makes what `clip` lacks (poster, and for a video its contact sheet), unless an earlier attempt
 * failed (its failure record stands until `retry`). Audio and other files have none.
 */
export async function makeThumbnails(d: MakerDeps, clip: ThumbnailSource, options: { retry?: boolean } = {}): Promise<Outcome> {
  if (clip.kind !== 'video' && clip.kind !== 'photo') return 'not_applicable';
  const poster = d.store.fileOf(clip, 'poster.jpg');
  const contact = d.store.fileOf(clip, 'contact.jpg');
  const wanted = clip.kind === 'video' ? [poster, contact] : [poster];
  if (wanted.every((f) => fs.existsSync(f))) return 'present';
  if (!options.retry && d.store.has(clip, 'failed.json')) return 'failed_before';
  d.store.ensureFolder(clip);
  const input = d.absolute(clip.vault_path);
  const run = (args: string[]) => runFfmpeg(d.ffmpeg, args, { priority: d.priority, timeoutMs: d.timeoutMs ?? THUMBNAIL_TIMEOUT_MS, signal: d.signal });
  try {
    if (clip.kind === 'video') await d.store.writeAtomic({ poster, contact }, (t) => run(videoThumbnailArgs(input, t.poster, t.contact, clip.duration_ms)));
    else await d.store.writeAtomic({ poster }, (t) => run(photoPosterArgs(input, t.poster)));
  } catch (e) {
    // Stopped, not failed: the clip is tried again when next wanted.
    if (d.signal?.aborted) throw e;
    const reason = e instanceof FfmpegError ? `${e.message}${e.stderr ? `\n${e.stderr}` : ''}` : String(e);
    await d.store.writeJson(clip, 'failed.json', { at: d.now(), clipId: clip.id, reason } satisfies FailureRecord);
    return 'failed';
  }
  d.store.remove(clip, 'failed.json');
  return 'made';
}

export function clipSource(db: Db, clipId: number): ThumbnailSource | undefined {
  return db.prepare<[number], ThumbnailSource>('SELECT id, kind, hash_algorithm, hash, vault_path, duration_ms FROM clip WHERE id = ?').get(clipId);
}

export interface QueueDeps extends Omit<MakerDeps, 'priority'> {
  db: Db;
  /** While true (a dock copying), the queue waits; `poke()` when it may change. */
  paused?: () => boolean;
  log: (message: string, error?: unknown) => void;
}

/**
 * The background queue, fed with clip ids as they are committed: one ffmpeg at a time, at the
 * lowest priority, and (if `paused` says so) not while a dock copies. A failure is recorded once
 * beside where the poster would be and logged once; a missing poster blocks nothing.
 */
export class ThumbnailQueue {
  private readonly waiting: number[] = [];
  private readonly queued = new Set<number>();
  private running: Promise<void> | null = null;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly stopping = new AbortController();

  constructor(private readonly d: QueueDeps) {}

  enqueue(clipId: number): void {
    if (this.closed || this.queued.has(clipId)) return;
    this.queued.add(clipId);
    this.waiting.push(clipId);
    this.poke();
  }

  /** Starts the next clip if there is one and nothing is in the way (call when a dock ends). */
  poke(): void {
    if (this.running || this.closed) return;
    if (this.waiting.length === 0) return this.settleIdle();
    if (this.d.paused?.()) return;
    const id = this.waiting.shift()!;
    this.running = this.one(id).finally(() => {
      this.queued.delete(id);
      this.running = null;
      this.poke();
    });
  }

  /**
   * On demand, for someone looking (the clip page): what is missing is made now, at normal
   * priority, not behind the queue; a failure on record is tried again (the file may be repaired).
   */
  async makeNow(clipId: number): Promise<Outcome> {
    const clip = clipSource(this.d.db, clipId);
    if (!clip) return 'not_applicable';
    return makeThumbnails({ ...this.d, priority: 'normal' }, clip, { retry: true });
  }

  /** Resolves once nothing is waiting or running (a paused queue with work is not idle). */
  idle(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pending(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  /** Stops taking work and the ffmpeg running now (its clip gets its poster when next wanted). */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.stopping.abort();
    await this.running;
    this.settleIdle();
  }

  private settleIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async one(clipId: number): Promise<void> {
    try {
      const clip = clipSource(this.d.db, clipId);
      if (!clip) return;
      const outcome = await makeThumbnails({ ...this.d, priority: 'background', signal: this.stopping.signal }, clip);
      if (outcome === 'failed') {
        const record = this.d.store.readJson<FailureRecord>(clip, 'failed.json');
        // Once per clip: the record stops later attempts (`failed_before`), so this is not repeated.
        this.d.log(`no poster for clip ${clip.id} (${clip.vault_path}): ${record?.reason.split('\n')[0] ?? 'unknown'}`);
      }
    } catch (e) {
      if (!this.stopping.signal.aborted) this.d.log(`making the poster of clip ${clipId} failed`, e);
    }
  }
}
