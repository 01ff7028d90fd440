// The Content-Type a viewer is served for an original, from the name the camera gave it. The
// player does not trust it to decide what it can decode (it asks canPlayType with the probed
// codecs); it is what the HTTP answer says and what an <img>/<audio> needs.
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  // A camera's MOV is an MP4 by another name; Chromium plays it only when told it is one.
  '.mov': 'video/mp4',
  '.avi': 'video/x-msvideo',
  '.ts': 'video/mp2t',
  '.mkv': 'video/x-matroska',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.aac': 'audio/aac',
  '.m4a': 'audio/mp4',
  '.amr': 'audio/amr',
  '.ogg': 'audio/ogg',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.bmp': 'image/bmp',
};

export const PROXY_TYPE = 'video/mp4';

export function mediaTypeOf(originalPath: string): string {
  return TYPES[path.posix.extname(originalPath).toLowerCase()] ?? 'application/octet-stream';
}
