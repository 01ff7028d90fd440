// The optical media an evidence export is written to (issue 21) and the split of a set of files
// into discs. Sizes are estimated before any image exists, so every estimate here errs on the
// large side: a disc planned too full fails at the burner after minutes of writing, one planned a
// few MB short of full costs nothing.

export const SECTOR = 2048;

export const mediumKinds = ['cd', 'dvd', 'dvd_dl', 'bd25', 'bd50'] as const;
export type MediumKind = (typeof mediumKinds)[number];

const medium = (sectors: number, zh: string, en: string) => ({ sectors, bytes: sectors * SECTOR, zh, en });

/** The writable capacity of each blank in 2048-byte sectors (what `-tell_media_space` reports for the smallest common brand). */
export const MEDIA: Readonly<Record<MediumKind, { sectors: number; bytes: number; zh: string; en: string }>> = Object.freeze({
  cd: medium(360_000, 'CD-R 光盘（700 MB）', 'CD-R (700 MB)'),
  dvd: medium(2_295_104, 'DVD±R 光盘（4.7 GB）', 'DVD±R (4.7 GB)'),
  dvd_dl: medium(4_173_824, 'DVD±R 双层光盘（8.5 GB）', 'DVD±R DL (8.5 GB)'),
  bd25: medium(12_219_392, 'BD-R 蓝光光盘（25 GB）', 'BD-R (25 GB)'),
  bd50: medium(24_438_784, 'BD-R 双层蓝光光盘（50 GB）', 'BD-R DL (50 GB)'),
});

// ISO 9660 level 3 splits a file into extents of at most 4 GiB - 2048 (libisofs' ISO_EXTENT_SIZE),
// each with its own directory record in the ISO and in the Joliet tree.
const EXTENT_BYTES = 0xffffffff - (SECTOR - 1);
// A directory record is at most 255 bytes (ECMA-119 9.1.1: one length byte) and never spans a
// sector, so 255 bounds a record and its share of the sector's unused tail.
const RECORD = 255;
// Rock Ridge fields that do not fit the record (the long NM name, PX, TF, the AAIP field holding
// the file's MD5 position) go to a continuation area; beyond the name, 300 bytes is ~2x libisofs'.
const ROCK_RIDGE_FIXED = 300;
// With `-md5 on` each file has a 16-byte MD5 in the checksum array.
const MD5_ENTRY = 16;
// A file may be the only one of its directory: that directory's ISO, Joliet and Rock Ridge
// continuation sectors plus its path table entries are charged to it. Footage folders hold many
// clips, so this overcounts, by design.
const DIRECTORY_SHARE = 4 * SECTOR;

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * Bytes one file takes in the image (its data rounded up to 2048, plus its directory records in
 * the ISO, Joliet and Rock Ridge trees; a file of 4 GiB or more has one record per extent).
 * `nameLength` is the leaf name's length in UTF-16 units (a JS string's length) or its UTF-8 bytes:
 * either way 3 bytes per unit bounds its Rock Ridge (UTF-8) form. Conservative.
 */
export function fileFootprint(size: number, nameLength: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`not a file size: ${size}`);
  const extents = Math.max(1, Math.ceil(size / EXTENT_BYTES));
  return roundUp(size, SECTOR) + extents * 2 * RECORD + 3 * nameLength + ROCK_RIDGE_FIXED + MD5_ENTRY + DIRECTORY_SHARE;
}

// System area (16 sectors), primary and Joliet volume descriptors and the terminator, libisofs'
// superblock/session/tree checksum tags, 4 path tables per tree, the root directories with their
// Rock Ridge ER entry, the checksum array's header: about 40 sectors in practice; 128 allowed.
const FIXED_SECTORS = 128;

/** Fixed bytes of an image besides its files: system area, volume descriptors, path tables, root dirs, the tag files' budget given as tagBytes. Conservative. */
export function imageOverhead(tagBytes: number): number {
  if (!Number.isSafeInteger(tagBytes) || tagBytes < 0) throw new Error(`not a byte count: ${tagBytes}`);
  return FIXED_SECTORS * SECTOR + roundUp(tagBytes, SECTOR);
}

export class FileTooLargeError extends Error {
  /** `fits`: the smallest MediumKind that would hold it alone, or null if none does. */
  constructor(
    readonly size: number,
    readonly capacity: number,
    readonly fits: MediumKind | null,
  ) {
    super(`a file of ${size} bytes does not fit a disc of ${capacity} bytes${fits ? `; it fits ${MEDIA[fits].en}` : '; no disc holds it'}`);
    this.name = 'FileTooLargeError';
  }
}

/** The bytes of a disc holding `files`. */
function discBytes(footprints: number, count: number, tagBytes: (fileCount: number) => number): number {
  return footprints + imageOverhead(tagBytes(count));
}

/** The smallest medium that holds this one file with its tag files, or null. */
function smallestFitting(footprint: number, tagBytes: (fileCount: number) => number): MediumKind | null {
  return mediumKinds.find((kind) => discBytes(footprint, 1, tagBytes) <= MEDIA[kind].bytes) ?? null;
}

/**
 * Split files into discs, whole files only, in the given order (first fit keeping order: a new
 * disc starts when the next file does not fit), each disc's total of footprints +
 * imageOverhead(tagBytes(disc file count)) <= capacityBytes. A single file that can never fit
 * throws FileTooLargeError. The order is the exporter's (camera, then time): a disc holds a
 * contiguous run of it, which is what a reader of a 3-disc set expects.
 */
export function planDiscs<T extends { size: number; nameLength: number }>(files: readonly T[], capacityBytes: number, tagBytes: (fileCount: number) => number): T[][] {
  const discs: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const file of files) {
    const footprint = fileFootprint(file.size, file.nameLength);
    if (discBytes(footprint, 1, tagBytes) > capacityBytes) {
      throw new FileTooLargeError(file.size, capacityBytes, smallestFitting(footprint, tagBytes));
    }
    if (current.length > 0 && discBytes(used + footprint, current.length + 1, tagBytes) > capacityBytes) {
      discs.push(current);
      current = [];
      used = 0;
    }
    current.push(file);
    used += footprint;
  }
  if (current.length > 0) discs.push(current);
  return discs;
}
