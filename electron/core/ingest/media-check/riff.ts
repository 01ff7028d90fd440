// WAV and AVI (RIFF files) checked in process for their signature only: "RIFF", a size, then the
// form type ("WAVE", "AVI "). Told `-f wav`, ffprobe answers a text file with "invalid start code
// hell in RIFF header", which names no kind of damage; this check says "not a WAV file" first.
// Whether the chunks that follow add up is left to ffprobe: a recorder that lost power leaves a
// RIFF size it never updated, and players play such a file, so the size is no verdict here.
import { hexStart, type ByteSource } from './source.js';
import { notTheFormat, type Verdict } from './verdict.js';

export interface RiffForm {
  /** How messages name the format. */
  label: string;
  /** The four-character form type after the size. */
  form: string;
  /** The first four bytes allowed: RIFF, and for WAV the 64-bit variants RF64 and BW64. */
  magic: readonly string[];
}

export const WAVE: RiffForm = { label: 'WAV', form: 'WAVE', magic: ['RIFF', 'RF64', 'BW64'] };
export const AVI: RiffForm = { label: 'AVI', form: 'AVI ', magic: ['RIFF'] };

export async function checkRiff(source: ByteSource, riff: RiffForm): Promise<Verdict> {
  const head = await source.read(0, 12);
  const magic = head.subarray(0, 4).toString('latin1');
  const form = head.subarray(8, 12).toString('latin1');
  if (head.length < 12 || !riff.magic.includes(magic) || form !== riff.form) {
    return notTheFormat(riff.label, 'file', `it starts with ${hexStart(head, 12) || 'nothing'}, not ${riff.magic[0]} and the form type '${riff.form}'`);
  }
  return { verdict: 'sound' };
}
