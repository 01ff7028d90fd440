import { spawn } from 'node:child_process';
import { ZERO_LENGTH_MESSAGE } from '../../../shared/ingest.js';
import { killAfter } from './kill-after.js';

/** What ffprobe tells about a committed vault copy. */
export interface ProbeResult {
  ok: boolean;
  /** Why the recording does not read as a whole media file (only when !ok). */
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
}

interface FfprobeJson {
  streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number; duration?: string }>;
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

/**
 * Reads ffprobe's JSON and exit status into a verdict. Pure, so the rule for
 * "damaged" is tested without ffprobe: a non-zero exit, no streams, or (for
 * video and audio) no duration all mean the recording does not play whole.
 * A damaged recording is still evidence: the caller commits it and flags it.
 */
export function interpretProbe(
  kind: 'video' | 'audio' | 'photo',
  exitCode: number | null,
  stdout: string,
  stderr: string,
): ProbeResult {
  // ffmpeg prefixes a message with its component and that component's address in memory
  // ("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55ae9f708180] moov atom not found"): the address changes
  // with every run, so it is dropped from what the clip's record keeps.
  const firstError =
    stderr
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
  if (streams.length === 0) return { ...result, ok: false, message: firstError ?? 'no media streams' };
  if (kind === 'video' && !video) return { ...result, ok: false, message: firstError ?? 'no video stream' };
  if (kind !== 'photo' && result.durationMs === null) return { ...result, ok: false, message: firstError ?? 'no duration' };
  return result;
}

/**
 * Runs ffprobe on one file, spawned directly (no shell, no wrapper library),
 * killed on timeout or abort. A zero-length file is not worth a process.
 */
export function probeFile(
  file: string,
  kind: 'video' | 'audio' | 'photo',
  options: { timeoutMs?: number; signal?: AbortSignal; ffprobe?: string; size?: number } = {},
): Promise<ProbeResult> {
  if (options.size === 0) return Promise.resolve({ ok: false, message: ZERO_LENGTH_MESSAGE, ...EMPTY });
  return new Promise((resolve) => {
    const child = spawn(
      options.ffprobe ?? 'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file],
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
      resolve(signal ? { ok: false, message: `ffprobe stopped (${signal})`, ...EMPTY } : interpretProbe(kind, code, stdout, stderr));
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
