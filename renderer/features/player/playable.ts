// Whether this Chromium decodes a clip's original, from the codecs the station probed at ingest.
// The core has the same rule for what needs a proxy (electron/core/media/proxy-rule.ts); the
// player asks the browser too, so a build with a platform HEVC decoder plays the original.
import type { ClipSummary } from '../../../shared/library.js';

/** A codec string canPlayType understands for the probed video codec (null: none would do). */
function videoCodecString(codec: string): string | null {
  switch (codec.toLowerCase()) {
    case 'h264':
      return 'avc1.640028';
    case 'hevc':
      return 'hvc1.1.6.L120.90';
    default:
      return null;
  }
}

const MP4_NAMES = /\.(mp4|m4v|mov)$/i;
const NATIVE_AUDIO = new Set(['aac', 'mp3']);

/** True when the player should ask for the original; false: for a proxy. Photos and audio always play their original. */
export function playsOriginal(clip: Pick<ClipSummary, 'kind' | 'originalPath' | 'videoCodec' | 'audioCodec'>, probe: HTMLVideoElement = document.createElement('video')): boolean {
  if (clip.kind !== 'video') return true;
  if (!MP4_NAMES.test(clip.originalPath) || !clip.videoCodec) return false;
  if (clip.audioCodec !== null && !NATIVE_AUDIO.has(clip.audioCodec.toLowerCase())) return false;
  const video = videoCodecString(clip.videoCodec);
  if (!video) return false;
  return probe.canPlayType(`video/mp4; codecs="${video}"`) !== '';
}
