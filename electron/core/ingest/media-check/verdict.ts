// What an in-process check concludes about a file's bytes. Its messages are the clip's damage
// reason as stored (guarantee 3): they name the format and the byte where the structure fails,
// never a path, and begin with the words shared/ingest.ts damageKind sorts them by.

/** The picture facts a photo check reads (a photo needs no ffprobe once these are known). */
export interface PictureFacts {
  codec: string;
  width: number;
  height: number;
}

export type Verdict =
  /** The bytes are the claimed format, read to its end; for a photo these facts are all there is to know. */
  | { verdict: 'whole'; picture: PictureFacts }
  /** The structure holds together; the media facts (streams, duration) are ffprobe's to read. */
  | { verdict: 'sound' }
  /** The bytes are not the claimed format, or are cut short or broken: a damaged recording, with why. */
  | { verdict: 'damaged'; message: string }
  /** The check cannot say (too many boxes to walk): ffprobe decides alone. */
  | { verdict: 'unjudged'; why: string };

export const damaged = (message: string): Verdict => ({ verdict: 'damaged', message });

/** "a JPEG", "an MP4": the article as the format's name is spoken (letters by name, 3GP by its digit). */
export function aOrAn(label: string): string {
  return `${/^[AEFHILMNORSX]/.test(label) ? 'an' : 'a'} ${label}`;
}

/** Bytes that are not the format their name claims: sorted 'unrecognised' by shared/ingest.ts damageKind. */
export const notTheFormat = (label: string, kind: 'file' | 'image', detail: string): Verdict => damaged(`not ${aOrAn(label)} ${kind}: ${detail}`);
