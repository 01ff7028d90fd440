import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ZERO_LENGTH_MESSAGE } from '../../../shared/ingest.js';
import { killAfter } from './kill-after.js';
import { CheckAborted, fileSource, mediaCheckFor, type MediaCheck, type Verdict } from './media-check/index.js';
import { aOrAn } from './media-check/verdict.js';

/** What the probe tells about a committed vault copy: its own checks first, then ffprobe's reading. */
export interface ProbeResult {
  ok: boolean;
  /** Why the recording does not read as a whole media file (only when !ok). Names the file by its own name, never by a station path. */
  message: string | null;
  durationMs: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  /** The creation time the camera embedded in the container, if any (UTC ms). */
  embeddedCreatedAt: number | null;
  /** Why ffprobe could not be started at all (not installed, not executable): the station's fault, not the file's. */
  notRun?: string;
  /**
   * The verdict was reached in process, without running ffprobe (media-check/): a whole JPEG, or
   * bytes that are not their format. It says nothing about whether ffprobe runs.
   */
  inProcess?: true;
}

interface FfprobeJson {
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    duration?: string;
    disposition?: { attached_pic?: number };
  }>;
  format?: { duration?: string; tags?: Record<string, string> };
}

const EMPTY: Omit<ProbeResult, 'ok' | 'message'> = {
  durationMs: null,
  videoCodec: null,
  audioCodec: null,
  width: null,
  height: null,
  embeddedCreatedAt: null,
};

/** What interpretProbe knows of the file beyond ffprobe's answer. */
export interface ProbeContext {
  /** The path ffprobe was given (the station's copy): replaced by `name` wherever ffprobe prints it. */
  file?: string;
  /** The recording's own name on the camera (IMG_0001.JPG). */
  name?: string;
  /** How messages name the format the name claims (JPEG, BMP). */
  label?: string;
  /** For a photo: the codecs its picture may have. */
  pictureCodecs?: readonly string[] | null;
}

/**
 * ffprobe prints the path it was given ("/data/vault/.incoming/s1-f2.part: Invalid data found
 * when processing input"): the clip's record keeps the file's own name instead, never a path of
 * the station's.
 */
function withoutStationPaths(text: string, context: ProbeContext): string {
  if (!context.file) return text;
  let out = text.split(context.file).join(context.name ?? 'the file');
  const folder = path.dirname(context.file);
  if (folder.length > 1) out = out.split(folder).join('…');
  return out;
}

/**
 * Reads ffprobe's JSON and exit status into a verdict. Pure, so the rule for
 * "damaged" is tested without ffprobe: a non-zero exit, no streams, a stream
 * of the wrong kind (a video without a picture, an audio file without sound,
 * a photo that is no picture of its format) or (for video and audio) no
 * duration all mean the recording does not play whole.
 * A damaged recording is still evidence: the caller commits it and flags it.
 */
export function interpretProbe(
  kind: 'video' | 'audio' | 'photo',
  exitCode: number | null,
  stdout: string,
  stderr: string,
  context: ProbeContext = {},
): ProbeResult {
  // ffmpeg prefixes a message with its component and that component's address in memory
  // ("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55ae9f708180] moov atom not found"): the address changes
  // with every run, so it is dropped from what the clip's record keeps.
  const firstError =
    withoutStationPaths(stderr, context)
      .split('\n')
      .map((l) => l.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '').trim())
      .find((l) => l !== '') ?? null;
  if (exitCode !== 0) {
    return { ok: false, message: firstError ?? `ffprobe exit ${exitCode}`, ...EMPTY };
  }
  let json: FfprobeJson;
  try {
    json = JSON.parse(stdout) as FfprobeJson;
  } catch {
    return { ok: false, message: 'ffprobe output unreadable', ...EMPTY };
  }
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const seconds = Number(json.format?.duration ?? video?.duration ?? audio?.duration);
  const created = json.format?.tags?.creation_time;
  const createdAt = created ? Date.parse(created) : NaN;
  const result: ProbeResult = {
    ok: true,
    message: null,
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    embeddedCreatedAt: Number.isFinite(createdAt) ? createdAt : null,
  };
  const damaged = (message: string): ProbeResult => ({ ...result, ok: false, message: firstError ?? message });
  if (streams.length === 0) return damaged('no media streams');
  // A video's picture is a video stream that is not an audio file's cover art.
  if (kind === 'video' && !streams.some((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1)) return damaged('no video stream');
  if (kind === 'audio' && !audio) return damaged('no audio stream');
  if (kind === 'photo') {
    if (!video) return damaged('no video stream');
    // Told "-f bmp_pipe", ffprobe answers bytes that are no picture with a stream of size 0x0 and
    // exit 0. Said as the in-process checks say it, with ffprobe's own words after.
    const notThePicture = (why: string) => ({
      ...result,
      ok: false,
      message: `not ${aOrAn(context.label ?? 'photo')} image: ${why}${firstError ? ` (${firstError})` : ''}`,
    });
    if (context.pictureCodecs && !context.pictureCodecs.includes(video.codec_name ?? '')) return notThePicture(`ffprobe reads a picture of codec ${video.codec_name ?? 'unknown'}`);
    if (!(result.width! > 0 && result.height! > 0)) return notThePicture('ffprobe reads a picture of no size');
  }
  if (kind !== 'photo' && result.durationMs === null) return damaged('no duration');
  return result;
}

export interface ProbeOptions {
  /**
   * The recording's own file name on the camera (IMG_0001.JPG): its extension chooses the check
   * and the format ffprobe is told, and it stands for the file in messages. The file probed is
   * the station's copy, whose name says nothing.
   */
  name: string;
  /** The file's size when known (a zero-length file is not checked at all). */
  size?: number;
  /** Bounds ffprobe's run (30 s by default). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The ffprobe to run: a path, or a name looked up on PATH. */
  ffprobe?: string;
}

/**
 * Whether a stored recording plays whole, and its media facts. First the check in process that
 * its bytes are the format its name claims (media-check/): a photo that passes is done, bytes that
 * are not their format or a structure cut short are damaged, without a child process. Then
 * ffprobe, spawned directly (no shell, no wrapper library), told the format, killed on timeout or
 * abort, for the streams and duration of a video or audio recording.
 */
export async function probeFile(file: string, kind: 'video' | 'audio' | 'photo', options: ProbeOptions): Promise<ProbeResult> {
  if (options.size === 0) return { ok: false, message: ZERO_LENGTH_MESSAGE, ...EMPTY };
  const how = mediaCheckFor(options.name);
  if (how.check) {
    const checked = await checkInProcess(file, how, options);
    if ('ok' in checked) return checked;
    if (checked.verdict === 'damaged') return { ok: false, message: checked.message, ...EMPTY, inProcess: true };
    if (checked.verdict === 'whole' && kind === 'photo') {
      const { codec, width, height } = checked.picture;
      return { ok: true, message: null, ...EMPTY, videoCodec: codec, width, height, inProcess: true };
    }
  }
  return runFfprobe(file, kind, how, options);
}

/** The in-process verdict, or the probe's result when the file could not be read (no verdict on it: damageKind probe_failed). */
async function checkInProcess(file: string, how: MediaCheck, options: ProbeOptions): Promise<Verdict | ProbeResult> {
  try {
    const handle = await open(file, 'r');
    try {
      const size = options.size ?? (await handle.stat()).size;
      if (size === 0) return { ok: false, message: ZERO_LENGTH_MESSAGE, ...EMPTY };
      return await how.check!(fileSource(handle, size, options.signal));
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof CheckAborted) return { ok: false, message: 'media check stopped (aborted)', ...EMPTY };
    // Node's messages name the path ("EIO: i/o error, read '/data/vault/.incoming/…'"): the code says enough.
    const code = (e as NodeJS.ErrnoException).code;
    const why = code ?? withoutStationPaths(e instanceof Error ? e.message : String(e), { file, name: options.name });
    return { ok: false, message: `media check failed: ${why}`, ...EMPTY };
  }
}

function runFfprobe(file: string, kind: 'video' | 'audio' | 'photo', how: MediaCheck, options: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    // Told the format the name claims, ffprobe does not guess it from bytes that may be anything.
    const format = how.ffprobeFormat ? ['-f', how.ffprobeFormat] : [];
    const child = spawn(
      options.ffprobe ?? 'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...format, '--', file],
      { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal },
    );
    const done = killAfter(child, options.timeoutMs ?? 30_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < 4_000_000) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 64_000) stderr += d;
    });
    // An abort is an 'error' too; only a failed start says ffprobe is not there to run.
    child.on('error', (e) => {
      done();
      resolve({ ok: false, message: `ffprobe: ${e.message}`, ...EMPTY, ...(child.pid === undefined ? { notRun: e.message } : {}) });
    });
    child.on('close', (code, signal) => {
      done();
      const context = { file, name: options.name, label: how.label, pictureCodecs: how.pictureCodecs };
      resolve(signal ? { ok: false, message: `ffprobe stopped (${signal})`, ...EMPTY } : interpretProbe(kind, code, stdout, stderr, context));
    });
  });
}

/**
 * Whether ffprobe runs at all: `ffprobe -version`, answered within the timeout by a program that
 * says it is ffprobe. Null when it does; else why not, as the caller's alarm shows it.
 */
export function ffprobeUnavailable(ffprobe: string, timeoutMs = 10_000): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(ffprobe, ['-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const done = killAfter(child, timeoutMs);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < 4096) stdout += d;
    });
    child.on('error', (e) => {
      done();
      resolve(`${ffprobe}: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      done();
      if (signal) resolve(`${ffprobe}: no answer within ${timeoutMs / 1000} s`);
      else if (code !== 0) resolve(`${ffprobe} -version: exit ${code}`);
      else if (!stdout.startsWith('ffprobe version')) resolve(`${ffprobe} is not ffprobe`);
      else resolve(null);
    });
  });
}
