// A minimal ZIP writer (PKWARE APPNOTE 6.3, no ZIP64): enough for the Office Open XML files the
// station makes (the view register as .xlsx), with node:zlib alone, so no archive library comes
// in for a handful of small XML parts. Names are UTF-8 (general purpose bit 11), each entry
// deflated, or stored when deflating does not make it smaller. Everything is in memory: the
// parts are built in memory anyway, and a register export is at most a few tens of megabytes.
import zlib from 'node:zlib';

export interface ZipEntry {
  /** The path inside the archive, with forward slashes. */
  name: string;
  data: Buffer | string;
}

/** A wall-clock time for the entries' DOS date and time (which has no zone: the station's clock, as people read it). */
export interface ZipTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
/** 2.0: deflate; what every reader understands. */
const VERSION = 20;
const UTF8_NAMES = 1 << 11;
const MADE_BY_UNIX = (3 << 8) | VERSION;
/** The external attributes of a Unix entry: a regular file, rw-r--r-- (st_mode in the high 16 bits). */
const REGULAR_FILE_644 = (0o100644 << 16) >>> 0;
const STORED = 0;
const DEFLATED = 8;
/** Past these a ZIP64 record is needed, which this writer does not make. */
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

function dosTime(t: ZipTime): { time: number; date: number } {
  // DOS dates start in 1980 and have two-second resolution.
  const year = Math.min(Math.max(t.year, 1980), 2107);
  return {
    time: (t.hour << 11) | (t.minute << 5) | Math.floor(t.second / 2),
    date: ((year - 1980) << 9) | (t.month << 5) | t.day,
  };
}

/** The archive's bytes. Throws past the classic format's limits (65,535 entries, 4 GiB) rather than write a file readers reject. */
export function zip(entries: readonly ZipEntry[], modified: ZipTime): Buffer {
  if (entries.length > MAX_ENTRIES) throw new RangeError(`a ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const { time, date } = dosTime(modified);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new Error(`the archive already has an entry ${entry.name}`);
    seen.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const deflated = zlib.deflateRawSync(data, { level: 6 });
    const method = deflated.length < data.length ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : data;
    if (data.length > MAX_SIZE || offset > MAX_SIZE) throw new RangeError('a ZIP without ZIP64 holds at most 4 GiB');
    const crc = zlib.crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field

    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL_HEADER, 0);
    // Made by: Unix, version 2.0. An archive "made by" MS-DOS has its names taken as code page 437
    // by unzip in a locale that is not UTF-8, whatever bit 11 says; Unix names are taken as they are.
    dir.writeUInt16LE(MADE_BY_UNIX, 4);
    dir.writeUInt16LE(VERSION, 6);
    dir.writeUInt16LE(UTF8_NAMES, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(time, 12);
    dir.writeUInt16LE(date, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    // extra, comment, disk number, internal attributes: 0 (bytes 30-37, zero already).
    dir.writeUInt32LE(REGULAR_FILE_644, 38);
    dir.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    central.push(dir, name);
    offset += local.length + name.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  if (offset > MAX_SIZE || dirBytes.length > MAX_SIZE) throw new RangeError('a ZIP without ZIP64 holds at most 4 GiB');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  // This disk and the central directory's disk: 0, the only one.
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // no comment
  return Buffer.concat([...parts, dirBytes, end]);
}
