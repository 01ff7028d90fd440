// Which clips the viewer plays from a proxy: those Chromium cannot decode from the original.
// Decided from the probe facts the index already holds (clip.video_codec, clip.audio_codec) and
// the container the original's name says; the renderer also asks `canPlayType` later (a build
// with a platform HEVC decoder then plays the original after all).
import path from 'node:path';

export interface PlayFacts {
  kind: string;
  original_path: string;
  video_codec: string | null;
  audio_codec: string | null;
}

/** Containers Chromium plays H.264/AAC from (a MOV from a camera is an MP4 by another name). */
const NATIVE_CONTAINERS = new Set(['.mp4', '.m4v', '.mov']);
const NATIVE_VIDEO = new Set(['h264']);
/** Audio Chromium decodes in MP4; none at all is fine too. */
const NATIVE_AUDIO = new Set(['aac', 'mp3']);

/**
 * Whether a video clip needs a proxy to play: anything but H.264 (with AAC, MP3 or no sound) in
 * MP4/MOV does (HEVC, MJPEG, AVI, MPEG-TS, codecs the probe could not name). Audio and photos have
 * their own viewers and never do.
 */
export function needsProxy(c: PlayFacts): boolean {
  if (c.kind !== 'video') return false;
  const container = path.posix.extname(c.original_path).toLowerCase();
  if (!NATIVE_CONTAINERS.has(container)) return true;
  if (!c.video_codec || !NATIVE_VIDEO.has(c.video_codec.toLowerCase())) return true;
  return c.audio_codec !== null && !NATIVE_AUDIO.has(c.audio_codec.toLowerCase());
}
