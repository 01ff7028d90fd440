// A PNG photo checked in process: the eight-byte signature, IHDR first (the picture's size), then
// chunk after chunk, each `length (4) type (4) data crc (4)`, to IEND. Some cameras save stills
// as PNG; like a JPEG, one that reads to its end needs no ffprobe. The CRCs are not computed: a
// flipped bit inside a chunk is for the hash to catch, not for the question "is this a PNG".
import { Cursor, hexStart, type ByteSource } from './source.js';
import { damaged, notTheFormat, type Verdict } from './verdict.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The largest length the format allows (2^31 - 1). */
const MAX_CHUNK = 0x7fffffff;
const isLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

export async function checkPng(source: ByteSource): Promise<Verdict> {
  const cursor = new Cursor(source);
  const size = source.size;
  const head = await cursor.bytes(0, 8);
  if (!head.equals(SIGNATURE)) {
    if (head.length < 8 && SIGNATURE.subarray(0, head.length).equals(head)) return cutShort(`the file ends at byte ${size}, inside its signature`);
    return notTheFormat('PNG', 'image', `it starts with ${hexStart(head) || 'nothing'}, not the PNG signature 89 50 4e 47 0d 0a 1a 0a`);
  }
  let picture: { width: number; height: number } | null = null;
  // Each chunk moves on by at least 12 bytes, so the walk ends on any input.
  for (let pos = 8; ; ) {
    const header = await cursor.bytes(pos, 8);
    if (header.length === 0) return cutShort(`the file ends at byte ${size} without an IEND chunk`);
    if (header.length < 8) return cutShort(`a chunk header at byte ${pos} is cut off at the end of the file (byte ${size})`);
    const length = header.readUInt32BE(0);
    const type = header.subarray(4, 8);
    if (!type.every(isLetter)) return broken(`no chunk at byte ${pos} (found ${hexStart(header)})`);
    const name = type.toString('latin1');
    if (length > MAX_CHUNK) return broken(`chunk ${name} at byte ${pos} gives length ${length}`);
    if (picture === null) {
      if (name !== 'IHDR' || length !== 13) return broken(`its first chunk is ${name} of ${length} bytes, not IHDR of 13`);
      const ihdr = await cursor.bytes(pos + 8, 8);
      if (ihdr.length < 8) return cutShort(`its IHDR chunk is cut off at the end of the file (byte ${size})`);
      const width = ihdr.readUInt32BE(0);
      const height = ihdr.readUInt32BE(4);
      if (width === 0 || height === 0) return broken(`IHDR gives a picture of ${width}x${height}`);
      picture = { width, height };
    }
    const end = pos + 12 + length;
    if (end > size) return cutShort(`chunk ${name} at byte ${pos} needs ${12 + length} bytes, and the file ends at byte ${size}`);
    if (name === 'IEND') return { verdict: 'whole', picture: { codec: 'png', ...picture } };
    pos = end;
  }
}

/** Sorted by shared/ingest.ts damageKind as "does not display" ('other'). */
const cutShort = (detail: string) => damaged(`PNG image cut short: ${detail}`);
/** Sorted as 'unrecognised'. */
const broken = (detail: string) => damaged(`broken PNG structure: ${detail}`);
