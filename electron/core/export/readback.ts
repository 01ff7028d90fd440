// Checking an evidence disc image, or a burned disc, against what the station meant to write
// (issue 21). One sequential pass over the image, from the disk and not the page cache, computes
// the whole image's SHA-256 and, at the same time, every file's SHA-256 (and SM3): each file's
// bytes are the extents its directory record gives, as `xorriso -find -exec report_sections`
// lists them, so nothing is copied out to be hashed. Meanwhile xorriso checks every file against
// the MD5 it recorded when it wrote the image (`-check_md5_r`): a second, independent reader of
// the same bytes, the one a recipient without the station will use.
import { createHash, type Hash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { evictFromPageCache } from '../ingest/copy/page-cache.js';
import { SECTOR } from './media.js';
import { runXorriso, unquoteWord, xorrisoComplaint } from './xorriso.js';

export interface ExpectedFile {
  discPath: string;
  size: number;
  sha256: string;
  /** the station's SM3 when it hashes with SM3: then check it too */
  sm3?: string;
}

export interface ReadBackOptions {
  xorriso?: string;
  /** an image file, or a drive/pseudo-drive address for xorriso (e.g. 'stdio:/path' or '/dev/sr0') */
  image: string;
  expect: readonly ExpectedFile[];
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ReadBackFile {
  discPath: string;
  size: number;
  sha256: string;
  sm3?: string;
  ok: boolean;
  problem?: 'missing' | 'size' | 'hash' | 'unexpected';
}

export interface ReadBackResult {
  imageBytes: number;
  /** SHA-256 of the whole image (for a drive: of the session's blocks as read) */
  imageSha256: string;
  /** xorriso -check_md5_r over the whole tree: 'ok' or the first lines of its complaint */
  md5: { ok: boolean; report: string };
  files: ReadBackFile[];
  /** md5.ok and every expected file found with equal size and hash(es), and no file on the disc that was not expected */
  ok: boolean;
  /** True when the image's pages were dropped from the page cache first, so the pass read the disk (false on tmpfs, for a device, or without dd/fincore). */
  fromDisk: boolean;
}

/** One extent of a file: bytes [start, end) of the image. */
interface Segment {
  file: DiscFile;
  start: number;
  end: number;
}

/** A file as the disc's directory records give it (Rock Ridge tree). */
interface DiscFile {
  discPath: string;
  size: number;
  segments: Segment[];
  sha256: Hash;
  sm3?: Hash;
}

const CHUNK = 4 * 1024 * 1024;
// ECMA-119 8.4.8: the primary volume descriptor (sector 16) holds the volume space size, in
// sectors, little-endian at byte 80: the image's own length, whatever padding a burn appended.
const PVD_OFFSET = 16 * SECTOR;
const VOLUME_SPACE_SIZE = 80;

/** The file path to read and xorriso's address for the same thing. */
function addresses(image: string): { file: string; drive: string } {
  if (image.startsWith('stdio:')) return { file: image.slice('stdio:'.length), drive: image };
  // A plain path of a regular file: xorriso takes it too, but say so (stdio:), it is not a drive.
  return { file: image, drive: image.startsWith('/dev/') ? image : `stdio:${image}` };
}

async function readVolumeBytes(handle: FileHandle): Promise<number> {
  const pvd = Buffer.alloc(SECTOR);
  const { bytesRead } = await handle.read(pvd, 0, SECTOR, PVD_OFFSET);
  if (bytesRead < SECTOR || pvd[0] !== 1 || pvd.toString('latin1', 1, 6) !== 'CD001') {
    throw new Error('not an ISO 9660 image: no primary volume descriptor at sector 16');
  }
  return pvd.readUInt32LE(VOLUME_SPACE_SIZE) * SECTOR;
}

const SECTION = /^File data lba:\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(['"].*)$/;

/** Parses `-find / -exec report_sections` (one line per extent) and `-find / -not -type d` (every non-directory, quoted) into the disc's files. */
export function parseLayout(stdout: string, wantSm3: (discPath: string) => boolean): Map<string, DiscFile> {
  const files = new Map<string, DiscFile>();
  const fileAt = (isoPath: string): DiscFile => {
    const discPath = isoPath.replace(/^\//, '');
    let file = files.get(discPath);
    if (!file) {
      file = { discPath, size: 0, segments: [], sha256: createHash('sha256') };
      if (wantSm3(discPath)) file.sm3 = createHash('sm3');
      files.set(discPath, file);
    }
    return file;
  };
  for (const line of stdout.split('\n')) {
    const section = SECTION.exec(line);
    if (section) {
      const file = fileAt(unquoteWord(section[5]!).word);
      const start = Number(section[2]) * SECTOR;
      const bytes = Number(section[4]);
      // Sections are listed in file order (the xt column counts up); a zero-length file has one of 0 bytes.
      if (bytes > 0) file.segments.push({ file, start, end: start + bytes });
      file.size += bytes;
    } else if (line.startsWith("'") || line.startsWith('"')) {
      fileAt(unquoteWord(line).word);
    }
  }
  return files;
}

/** True when a file's extents come one after another in the image, so one forward pass hashes them in order. */
function inImageOrder(file: DiscFile): boolean {
  return file.segments.every((s, i) => i === 0 || s.start >= file.segments[i - 1]!.end);
}

/** Feeds the bytes of `chunk` (image bytes [pos, pos + length)) to the files whose extents it covers. */
function feed(chunk: Buffer, pos: number, active: Segment[]): void {
  const end = pos + chunk.length;
  for (const s of active) {
    const from = Math.max(s.start, pos);
    const to = Math.min(s.end, end);
    if (to <= from) continue;
    const bytes = chunk.subarray(from - pos, to - pos);
    s.file.sha256.update(bytes);
    s.file.sm3?.update(bytes);
  }
}

/** Reads the image once, front to back, feeding the whole-image hash and every in-order file's hashes. */
async function hashPass(handle: FileHandle, total: number, segments: Segment[], o: ReadBackOptions): Promise<string> {
  const image = createHash('sha256');
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  let next = 0;
  let active: Segment[] = [];
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  const readAt = (pos: number, i: number) => handle.read(buffers[i % 2]!, 0, Math.min(CHUNK, total - pos), pos);
  let lastReport = 0;
  let pending = total > 0 ? readAt(0, 0) : null;
  for (let pos = 0, i = 0; pending; i++) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) throw new Error(`the image ends at byte ${pos}, before its volume size of ${total}`);
    const chunk = buffers[i % 2]!.subarray(0, bytesRead);
    const end = pos + bytesRead;
    // Read the next chunk while this one is hashed (the two buffers alternate).
    pending = end < total ? readAt(end, i + 1) : null;
    image.update(chunk);
    while (next < sorted.length && sorted[next]!.start < end) active.push(sorted[next++]!);
    feed(chunk, pos, active);
    active = active.filter((s) => s.end > end);
    pos = end;
    if (o.signal?.aborted) throw o.signal.reason instanceof Error ? o.signal.reason : new Error('read-back aborted');
    if (o.onProgress && (Date.now() - lastReport >= 250 || pos === total)) {
      lastReport = Date.now();
      o.onProgress(pos, total);
    }
  }
  return image.digest('hex');
}

/** Hashes a file whose extents are not in image order with positioned reads of each extent. */
async function hashOutOfOrder(handle: FileHandle, file: DiscFile): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (const s of file.segments) {
    for (let pos = s.start; pos < s.end; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, s.end - pos), pos);
      if (bytesRead === 0) throw new Error(`the image ends inside ${file.discPath}`);
      file.sha256.update(buffer.subarray(0, bytesRead));
      file.sm3?.update(buffer.subarray(0, bytesRead));
      pos += bytesRead;
    }
  }
}

/** xorriso's own MD5 check of every file; a mismatch (or no recorded MD5 at all) is not ok. */
async function checkMd5(drive: string, o: ReadBackOptions): Promise<{ ok: boolean; report: string }> {
  const run = await runXorriso(['-md5', 'on', '-indev', drive, '-check_md5_r', 'sorry', '/', '--'], { xorriso: o.xorriso, signal: o.signal, allowFailure: true });
  const ok = run.code === 0 && /File contents and their MD5 checksums match\./.test(run.stdout);
  if (ok) return { ok, report: 'ok' };
  const said = run.stdout.split('\n').filter(Boolean).slice(0, 6).join('\n');
  return { ok, report: [said, xorrisoComplaint(run.stderr)].filter(Boolean).join('\n') };
}

/** Compares what the disc holds with what was expected; files on the disc but not expected are 'unexpected'. */
function compare(disc: Map<string, DiscFile>, expect: readonly ExpectedFile[]): ReadBackFile[] {
  const results: ReadBackFile[] = [];
  const digests = new Map([...disc].map(([p, f]) => [p, { sha256: f.sha256.digest('hex'), sm3: f.sm3?.digest('hex') }]));
  for (const e of expect) {
    const found = disc.get(e.discPath);
    const d = digests.get(e.discPath);
    if (!found || !d) {
      results.push({ discPath: e.discPath, size: 0, sha256: '', ok: false, problem: 'missing' });
      continue;
    }
    const problem = found.size !== e.size ? 'size' : d.sha256 !== e.sha256.toLowerCase() || (e.sm3 !== undefined && d.sm3 !== e.sm3.toLowerCase()) ? 'hash' : undefined;
    results.push({ discPath: e.discPath, size: found.size, sha256: d.sha256, ...(d.sm3 ? { sm3: d.sm3 } : {}), ok: !problem, ...(problem ? { problem } : {}) });
  }
  const expected = new Set(expect.map((e) => e.discPath));
  for (const [discPath, f] of disc) {
    if (!expected.has(discPath)) results.push({ discPath, size: f.size, sha256: digests.get(discPath)!.sha256, ok: false, problem: 'unexpected' });
  }
  return results;
}

/** Verifies an image (or a burned disc) against `expect`; see ReadBackResult. */
export async function readBack(o: ReadBackOptions): Promise<ReadBackResult> {
  const { file, drive } = addresses(o.image);
  const sm3Wanted = new Set(o.expect.filter((e) => e.sm3 !== undefined).map((e) => e.discPath));
  const layout = await runXorriso(['-indev', drive, '-find', '/', '-exec', 'report_sections', '--', '-find', '/', '-not', '-type', 'd'], { xorriso: o.xorriso, signal: o.signal });
  const disc = parseLayout(layout.stdout, (p) => sm3Wanted.has(p));
  const isFile = (await stat(file)).isFile();
  // Only after xorriso's directory reads: the pass below must find no page of the image cached.
  const fromDisk = isFile ? await evictFromPageCache(file) : false;
  const handle = await open(file, 'r');
  try {
    const imageBytes = await readVolumeBytes(handle);
    const inOrder = [...disc.values()].filter(inImageOrder);
    const md5 = checkMd5(drive, o);
    // Keep the MD5 run from being an unhandled rejection while the pass is still reading.
    md5.catch(() => {});
    const imageSha256 = await hashPass(handle, imageBytes, inOrder.flatMap((f) => f.segments), o);
    for (const f of disc.values()) if (!inImageOrder(f)) await hashOutOfOrder(handle, f);
    const md5Result = await md5;
    const files = compare(disc, o.expect);
    return { imageBytes, imageSha256, md5: md5Result, files, ok: md5Result.ok && files.every((f) => f.ok), fromDisk };
  } finally {
    await handle.close();
  }
}
