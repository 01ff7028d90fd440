// How a recording is checked, chosen by its own name's extension on the camera: the copy the
// station probes is a temporary file without one (`.incoming/s1-f2.part`), so neither ffprobe nor
// anything else may guess the format from the bytes alone: a 22-byte text file named `.JPG` was
// stored as a good photo because ffprobe, asked to find out, found a subtitle track in it.
// The name claims a format; the check is whether the bytes are that format.
//
// In process (no child process, only the bytes needed): JPEG and PNG whole (a photo that passes
// needs no ffprobe), the ISO-BMFF box tree of MP4/MOV/M4A/3GP, the RIFF signature of WAV/AVI.
// ffprobe then reads what needs a demuxer (streams, codecs, duration), told the format with `-f`.
import { checkIsoBmff } from './isobmff.js';
import { checkJpeg } from './jpeg.js';
import { checkPng } from './png.js';
import { AVI, checkRiff, WAVE } from './riff.js';
import type { ByteSource } from './source.js';
import type { Verdict } from './verdict.js';

export interface MediaCheck {
  /** The extension, lower case, without the dot ('' when the name has none). */
  extension: string;
  /** How messages name the format (JPEG, MP4), or the extension in capitals when unknown. */
  label: string;
  /** The in-process check, where there is one. */
  check: ((source: ByteSource) => Promise<Verdict>) | null;
  /** ffprobe's demuxer for the format (`-f`); null: ffprobe finds the format itself (an extension this table does not know). */
  ffprobeFormat: string | null;
  /** For a photo ffprobe reads: the codecs its picture may have (a GIF named .BMP is not a BMP). */
  pictureCodecs: readonly string[] | null;
}

interface Entry {
  label: string;
  check?: (source: ByteSource) => Promise<Verdict>;
  ffprobeFormat?: string;
  pictureCodecs?: readonly string[];
}

const iso = (label: string, quickTime = false): Entry => ({ label, check: (s) => checkIsoBmff(s, { label, quickTime }), ffprobeFormat: 'mov' });

/** The extensions camera profiles use (profiles/*.json) and their near kin. */
const BY_EXTENSION: Record<string, Entry> = {
  // ffprobe reads these only for a profile that calls them something other than a photo (which then needs a duration).
  jpg: { label: 'JPEG', check: checkJpeg, ffprobeFormat: 'jpeg_pipe', pictureCodecs: ['mjpeg'] },
  jpeg: { label: 'JPEG', check: checkJpeg, ffprobeFormat: 'jpeg_pipe', pictureCodecs: ['mjpeg'] },
  png: { label: 'PNG', check: checkPng, ffprobeFormat: 'png_pipe', pictureCodecs: ['png'] },
  mp4: iso('MP4'),
  m4v: iso('MP4'),
  mov: iso('MOV', true),
  m4a: iso('M4A'),
  '3gp': iso('3GP'),
  '3g2': iso('3GP'),
  wav: { label: 'WAV', check: (s) => checkRiff(s, WAVE), ffprobeFormat: 'wav' },
  avi: { label: 'AVI', check: (s) => checkRiff(s, AVI), ffprobeFormat: 'avi' },
  ts: { label: 'MPEG-TS', ffprobeFormat: 'mpegts' },
  mts: { label: 'MPEG-TS', ffprobeFormat: 'mpegts' },
  m2ts: { label: 'MPEG-TS', ffprobeFormat: 'mpegts' },
  mpg: { label: 'MPEG', ffprobeFormat: 'mpeg' },
  mpeg: { label: 'MPEG', ffprobeFormat: 'mpeg' },
  mkv: { label: 'MKV', ffprobeFormat: 'matroska' },
  webm: { label: 'WEBM', ffprobeFormat: 'matroska' },
  flv: { label: 'FLV', ffprobeFormat: 'flv' },
  mp3: { label: 'MP3', ffprobeFormat: 'mp3' },
  aac: { label: 'AAC', ffprobeFormat: 'aac' },
  amr: { label: 'AMR', ffprobeFormat: 'amr' },
  bmp: { label: 'BMP', ffprobeFormat: 'bmp_pipe', pictureCodecs: ['bmp'] },
  gif: { label: 'GIF', ffprobeFormat: 'gif', pictureCodecs: ['gif'] },
  webp: { label: 'WEBP', ffprobeFormat: 'webp_pipe', pictureCodecs: ['webp'] },
  tif: { label: 'TIFF', ffprobeFormat: 'tiff_pipe', pictureCodecs: ['tiff'] },
  tiff: { label: 'TIFF', ffprobeFormat: 'tiff_pipe', pictureCodecs: ['tiff'] },
};

/** The extension of a file name as the camera gave it: `IMG_0001.JPG` → `jpg`. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** How to check a recording by its own name (not the station's copy's). */
export function mediaCheckFor(name: string): MediaCheck {
  const extension = extensionOf(name);
  const entry = Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension]! : undefined;
  return {
    extension,
    label: entry?.label ?? (extension.toUpperCase() || 'media'),
    check: entry?.check ?? null,
    ffprobeFormat: entry?.ffprobeFormat ?? null,
    pictureCodecs: entry?.pictureCodecs ?? null,
  };
}

export { CheckAborted, fileSource, type ByteSource } from './source.js';
export type { PictureFacts, Verdict } from './verdict.js';
