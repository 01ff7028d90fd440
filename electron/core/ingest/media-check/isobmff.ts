// MP4, MOV, M4A and 3GP (ISO/IEC 14496-12, the ISO base media file format, and QuickTime before
// it) checked in process: the box tree, read header by header with positioned reads. A camera
// records hours into one file, so the check must never read the media data: it reads 8 to 16 bytes
// per box (about 20 reads for a camera's clip: ftyp, mdat, moov and the boxes inside moov).
//
// What makes a recording whole here: ftyp first (the format's own signature), a moov box (the
// index a camera writes last, when it closes the file), whole and inside the file, its boxes
// nesting without running past their parent, and the mdat (the media data) inside the file.
// A camera that lost power leaves an mdat running past the end or a file with no moov:
// "moov atom not found", as ffmpeg says it, sorted 'incomplete' by shared/ingest.ts damageKind.
// Bytes that are no box at the start are not this format at all ('unrecognised'). Which streams
// there are and how long they last is ffprobe's to read once the structure holds.
//
// A box: size (4, big-endian, counting the header), type (4 characters); size 1 means a 64-bit
// size follows the type; size 0 means "to the end of the file" (only the last box); type `uuid`
// adds a 16-byte extended type to the header.
import { hexStart, type ByteSource } from './source.js';
import { damaged, notTheFormat, type Verdict } from './verdict.js';

export interface BoxHeader {
  type: string;
  /** Byte offset of the box's first byte. */
  start: number;
  /** 8, 16 with a 64-bit size, 16 more for `uuid`. */
  headerSize: number;
  /** The whole box, header included; a size-0 box runs to `limit`. */
  size: number;
  /** start + size: may lie past the limit, which the caller judges. */
  end: number;
}

export type HeaderRead =
  | { ok: true; box: BoxHeader }
  /** Fewer bytes than a header needs are left before the limit. */
  | { ok: false; problem: 'truncated'; detail: string }
  /** The bytes there are not a box header. */
  | { ok: false; problem: 'invalid'; detail: string };

/** Boxes whose content is boxes, walked inside moov. Not udta or meta: QuickTime ends those lists with a 4-byte zero, and ISO's meta is a full box. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex']);
/** A QuickTime movie may predate ftyp and begin with one of these. */
const QUICKTIME_FIRST = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
/** A walk that finds more boxes than this gives up and lets ffprobe judge: a fragmented recording of hours has some thousands; a hostile file could have millions. */
export const MAX_BOXES = 100_000;
const MAX_DEPTH = 8;

/** Printable ASCII or ©, which QuickTime's metadata types begin with. */
const typeByte = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0xa9;

/** The box header at `start`, for a box that must end by `limit` (the file's size, or its parent's end). */
export async function readBoxHeader(source: ByteSource, start: number, limit: number): Promise<HeaderRead> {
  const left = limit - start;
  if (left < 8) return { ok: false, problem: 'truncated', detail: `${left} bytes at byte ${start}, too few for a box header` };
  const head = await source.read(start, Math.min(16, left));
  if (head.length < 8) return { ok: false, problem: 'truncated', detail: `a box header at byte ${start} is cut off` };
  const size32 = head.readUInt32BE(0);
  const typeBytes = head.subarray(4, 8);
  if (!typeBytes.every(typeByte)) return { ok: false, problem: 'invalid', detail: `no box at byte ${start} (found ${hexStart(head)})` };
  const type = typeBytes.toString('latin1');
  let headerSize = 8;
  let size: number;
  if (size32 === 1) {
    if (head.length < 16) return { ok: false, problem: 'truncated', detail: `the 64-bit size of box '${type}' at byte ${start} is cut off` };
    const large = head.readBigUInt64BE(8);
    // Past 2^53 no file on any disk: a corrupt or hostile size, not a box that was cut short.
    if (large < 16n || large > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, problem: 'invalid', detail: `box '${type}' at byte ${start} gives 64-bit size ${large}` };
    headerSize = 16;
    size = Number(large);
  } else if (size32 === 0) {
    size = left;
  } else if (size32 < 8) {
    return { ok: false, problem: 'invalid', detail: `box '${type}' at byte ${start} gives size ${size32}, less than its header` };
  } else {
    size = size32;
  }
  if (type === 'uuid') headerSize += 16;
  if (size < headerSize) return { ok: false, problem: 'invalid', detail: `box '${type}' at byte ${start} gives size ${size}, less than its header` };
  if (headerSize > left) return { ok: false, problem: 'truncated', detail: `the header of box '${type}' at byte ${start} is cut off` };
  return { ok: true, box: { type, start, headerSize, size, end: start + size } };
}

export interface IsoOptions {
  /** How messages name the format: MP4, MOV, M4A, 3GP. */
  label: string;
  /** A QuickTime .mov may begin without ftyp. */
  quickTime: boolean;
}

/** The verdict on a file that claims to be MP4/MOV: see the top of this file. */
export async function checkIsoBmff(source: ByteSource, options: IsoOptions): Promise<Verdict> {
  const size = source.size;
  let moov: BoxHeader | null = null;
  let mdat: BoxHeader | null = null;
  let boxes = 0;
  for (let pos = 0; pos < size; ) {
    if (++boxes > MAX_BOXES) return { verdict: 'unjudged', why: `more than ${MAX_BOXES} boxes` };
    const read = await readBoxHeader(source, pos, size);
    if (!read.ok) {
      if (pos === 0) {
        const head = await source.read(0, 8);
        return notTheFormat(options.label, 'file', `it starts with ${hexStart(head) || 'nothing'}, not a box`);
      }
      // Bytes after a whole index and its media data that are no box (padding, a few stray bytes)
      // are not part of the recording: players stop at the last box they know, and so does this
      // check. A box header that claims more bytes than there are is still a file cut short.
      if (moov && mdat) break;
      if (read.problem === 'truncated') return cutShort(moov, `${read.detail} (the file ends at byte ${size})`);
      return broken(options.label, read.detail);
    }
    const box = read.box;
    if (pos === 0 && box.type !== 'ftyp' && !(options.quickTime && QUICKTIME_FIRST.has(box.type))) {
      const head = await source.read(0, 8);
      return notTheFormat(options.label, 'file', `its first box is '${box.type}' (it starts with ${hexStart(head)}), not 'ftyp'`);
    }
    if (box.end > size) {
      const detail = `box '${box.type}' at byte ${box.start} needs ${box.size} bytes, and the file ends at byte ${size}`;
      if (box.type === 'moov') return damaged(`moov atom cut short: ${detail}`);
      return cutShort(moov, detail);
    }
    if (box.type === 'moov' && moov === null) {
      const inside = await checkChildren(source, box, 1, { boxes });
      if (typeof inside === 'string') return broken(options.label, inside);
      boxes = inside.boxes;
      if (boxes > MAX_BOXES) return { verdict: 'unjudged', why: `more than ${MAX_BOXES} boxes` };
      moov = box;
    }
    if (box.type === 'mdat') mdat ??= box;
    pos = box.end;
  }
  if (moov === null) return damaged(mdat ? `moov atom not found: the file ends after its media data (mdat at byte ${mdat.start}) without the index` : 'moov atom not found');
  if (mdat === null) return damaged(`no mdat box: the ${options.label} file holds no media data`);
  return { verdict: 'sound' };
}

/** Walks the boxes inside a container: each must be a box and end by its parent's end. A problem is returned as text. */
async function checkChildren(source: ByteSource, parent: BoxHeader, depth: number, count: { boxes: number }): Promise<{ boxes: number } | string> {
  const limit = parent.end;
  for (let pos = parent.start + parent.headerSize; pos < limit; ) {
    // A few bytes of zeros after the last child are padding some writers leave, not a box.
    if (limit - pos < 8) {
      const rest = await source.read(pos, limit - pos);
      if (rest.every((b) => b === 0)) break;
    }
    if (++count.boxes > MAX_BOXES) return count;
    const read = await readBoxHeader(source, pos, limit);
    if (!read.ok) return `inside '${parent.type}' at byte ${parent.start}: ${read.detail}`;
    const box = read.box;
    if (box.end > limit) return `box '${box.type}' at byte ${box.start} (${box.size} bytes) runs past the end of its parent '${parent.type}' at byte ${limit}`;
    if (CONTAINERS.has(box.type) && depth < MAX_DEPTH) {
      const inside = await checkChildren(source, box, depth + 1, count);
      if (typeof inside === 'string') return inside;
    }
    pos = box.end;
  }
  return count;
}

/**
 * The file ends inside a box. Before the moov, the recording has no index: worded as ffmpeg words
 * it ("moov atom not found"), which the screens explain as power lost mid-recording.
 */
function cutShort(moov: BoxHeader | null, detail: string): Verdict {
  return damaged(moov ? `file cut short after its moov atom: ${detail}` : `moov atom not found: the file is cut short: ${detail}`);
}

/** Boxes that do not nest or add up: sorted 'unrecognised' by damageKind. */
const broken = (label: string, detail: string): Verdict => damaged(`broken ${label} structure: ${detail}`);
