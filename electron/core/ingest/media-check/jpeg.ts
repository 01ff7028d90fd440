// A JPEG photo checked in process: its marker structure walked from the start-of-image marker to
// the end-of-image marker, the frame header read for the picture's size. This is what decides
// whether a photo is a photo: ffprobe, told nothing, took a 22-byte text file for subtitles, and
// told "jpeg_pipe" it answers a stream of width 0 for bytes that are no JPEG at all. A JPEG that
// passes here needs no ffprobe: a photo's media facts are its codec and its size.
//
// The layout (ITU-T T.81 annex B): FF D8 (SOI), then segments, each a marker FF xx and, for most,
// a two-byte length that counts itself; the frame header (SOFn) gives height and width; each scan
// header (SOS) is followed by entropy-coded data, in which FF is always followed by 00 (a stuffed
// byte) or D0..D7 (a restart marker), so the next other marker ends the scan; FF D9 (EOI) ends the
// image. Progressive images have several scans with tables between them. Anything after EOI (a
// maker's trailer, padding) is not part of the picture and is not read.
import { Cursor, hexStart, type ByteSource } from './source.js';
import { damaged, notTheFormat, type Verdict } from './verdict.js';

const SCAN_CHUNK = 256 * 1024;

/** SOF0..SOF15 less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrameHeader = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers without a length: TEM and the restart markers. */
const standsAlone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);
const hex = (b: number) => b.toString(16).padStart(2, '0');

export async function checkJpeg(source: ByteSource): Promise<Verdict> {
  const cursor = new Cursor(source);
  const size = source.size;
  const head = await cursor.bytes(0, 8);
  if (head.length < 3 || head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) {
    // Two bytes FF D8 and no more is a JPEG that stops at once; anything else is not one.
    if (head.length < 3 && head[0] === 0xff && (head.length === 1 || head[1] === 0xd8)) return cutShort(`the file ends at byte ${size}, after its start-of-image marker`);
    return notTheFormat('JPEG', 'image', `it starts with ${hexStart(head) || 'nothing'}, not ff d8 ff (start-of-image)`);
  }
  const cut = (what: string) => cutShort(`${what}, and the file ends at byte ${size} without an end-of-image marker (ff d9)`);
  let frame: { width: number; height: number } | null = null;
  let scans = 0;
  let pos = 2;
  // Each step moves on by at least two bytes, so the walk ends on any input.
  for (;;) {
    const first = await cursor.byte(pos);
    if (first === null) return cut(`no marker after byte ${pos}`);
    if (first !== 0xff) return broken(`no marker at byte ${pos} (found ${hex(first)})`);
    // Any number of FF fill bytes may precede a marker.
    let code = await cursor.byte(pos + 1);
    while (code === 0xff) code = await cursor.byte(++pos + 1);
    if (code === null) return cut(`a marker cut off at byte ${pos}`);
    const at = pos;
    pos += 2;
    if (code === 0xd9) {
      if (scans === 0 || frame === null) return broken(`its end-of-image marker at byte ${at} comes before any image data`);
      return { verdict: 'whole', picture: { codec: 'mjpeg', ...frame } };
    }
    if (code === 0xd8 || code === 0x00) return broken(`no marker at byte ${at} (found ff ${hex(code)})`);
    if (standsAlone(code)) continue;
    const lengthBytes = await cursor.bytes(pos, 2);
    if (lengthBytes.length < 2) return cut(`segment ff ${hex(code)} at byte ${at} cut off in its length`);
    const length = lengthBytes.readUInt16BE(0);
    if (length < 2) return broken(`segment ff ${hex(code)} at byte ${at} gives length ${length}`);
    const end = pos + length;
    if (end > size) return cut(`segment ff ${hex(code)} at byte ${at} needs ${length} bytes`);
    if (isFrameHeader(code)) {
      // precision (1), height (2), width (2), components (1), then 3 bytes per component.
      if (length < 8) return broken(`frame header at byte ${at} gives length ${length}`);
      const header = await cursor.bytes(pos + 2, 6);
      const height = header.readUInt16BE(1);
      const width = header.readUInt16BE(3);
      // A height of 0 (given later by a DNL segment) is legal in T.81 but no camera writes it and
      // the picture's size is then unknown; a width of 0 never is.
      if (width === 0 || height === 0) return broken(`frame header at byte ${at} gives a picture of ${width}x${height}`);
      frame ??= { width, height };
    }
    pos = end;
    if (code === 0xda) {
      if (frame === null) return broken(`its scan at byte ${at} has no frame header (SOFn) before it`);
      scans++;
      const next = await endOfScan(source, pos);
      if (next === null) return cut(`its scan at byte ${at} runs to the end`);
      pos = next;
    }
  }
}

/**
 * Where the entropy-coded data after a scan header ends: the first FF not followed by 00 or a
 * restart marker (D0..D7), or null when the file ends first. Read in large chunks: this is most
 * of a photo's bytes, searched with indexOf rather than byte by byte.
 */
async function endOfScan(source: ByteSource, from: number): Promise<number | null> {
  let pos = from;
  for (;;) {
    const chunk = await source.read(pos, SCAN_CHUNK);
    if (chunk.length === 0) return null;
    let i = chunk.indexOf(0xff);
    while (i !== -1) {
      if (i + 1 >= chunk.length) break;
      const next = chunk[i + 1]!;
      if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return pos + i;
      i = chunk.indexOf(0xff, i + 2);
    }
    if (i === -1) {
      pos += chunk.length;
      continue;
    }
    // An FF as the chunk's last byte: read again from it to see what follows, unless the file ends there.
    if (pos + chunk.length >= source.size) return null;
    pos += i;
  }
}

/** Shared/ingest.ts damageKind sorts these as "does not display" ('other'), not as a recording without its moov. */
const cutShort = (detail: string) => damaged(`JPEG image cut short: ${detail}`);
/** Sorted as 'unrecognised': the bytes begin as a JPEG but do not go on as one. */
const broken = (detail: string) => damaged(`broken JPEG structure: ${detail}`);
