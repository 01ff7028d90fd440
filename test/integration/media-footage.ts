// Footage the camera emulator does not make, for the derived-media tests: HEVC in MP4 (newer
// cameras record it, and Chromium has no software decoder for it) and MJPEG in AVI (older and
// cheap cameras), both by real ffmpeg (libx265 and the mjpeg encoder, both in Debian's build).
import { runTool } from '../fixtures/camera/run-tool.js';

const TIMEOUT_MS = 120_000;
const common = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];

function sources(seconds: number, size: string, toneHz: number): string[] {
  return ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=${toneHz}:sample_rate=16000:duration=${seconds}`];
}

/** HEVC + AAC in MP4, a key frame a second (tagged hvc1, as cameras write it). */
export async function makeHevcClip(file: string, seconds: number, size = '1920x1080', toneHz = 500): Promise<void> {
  await runTool(
    'ffmpeg',
    [
      ...common, ...sources(seconds, size, toneHz),
      '-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '40', '-g', '25', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error', '-tag:v', 'hvc1',
      '-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-shortest', '-f', 'mp4', file,
    ],
    { timeoutMs: TIMEOUT_MS },
  );
}

/** MJPEG + PCM in AVI: every frame a key frame. */
export async function makeMjpegAvi(file: string, seconds: number, size = '1280x720', toneHz = 700): Promise<void> {
  await runTool(
    'ffmpeg',
    [...common, ...sources(seconds, size, toneHz), '-c:v', 'mjpeg', '-q:v', '10', '-pix_fmt', 'yuvj420p', '-c:a', 'pcm_s16le', '-ac', '1', '-shortest', '-f', 'avi', file],
    { timeoutMs: TIMEOUT_MS },
  );
}

/** H.264 + AAC in MP4, as the emulator's clips. */
export async function makeH264Clip(file: string, seconds: number, size = '1280x720', toneHz = 900): Promise<void> {
  await runTool(
    'ffmpeg',
    [...common, ...sources(seconds, size, toneHz), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-shortest', '-f', 'mp4', file],
    { timeoutMs: TIMEOUT_MS },
  );
}

export interface StreamFacts {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

/** What ffprobe says a file's streams are. */
export async function streamsOf(file: string): Promise<StreamFacts[]> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', file], { timeoutMs: TIMEOUT_MS });
  return (JSON.parse(stdout) as { streams: StreamFacts[] }).streams;
}
