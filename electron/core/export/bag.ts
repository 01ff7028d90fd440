// The checkable layout of an evidence disc (issue 21, 第十七条): the disc's root is a BagIt bag
// (RFC 8493) whose payload is `data/`, so one file serves two readers. `manifest-sha256.txt` lists
// every payload file as `<sha256>  data/<name>`: BagIt's payload manifest, and also what
// `sha256sum -c manifest-sha256.txt` reads when run at the disc's root (two spaces: GNU's text
// mode; BagIt allows any whitespace). The tag files (`bagit.txt`, `bag-info.txt`, the manifests
// and the 说明 sheets) are listed in `tagmanifest-sha256.txt`, so the sheet is checkable too.
//
// Pure text: the exporter hashes the files (the vault's record, checked again on copy) and writes
// what these functions return.

/** One payload file: its path under `data/` as written on the disc, its size and SHA-256. */
export interface PayloadFile {
  path: string;
  size: number;
  sha256: string;
}

export interface BagInfo {
  /** 案件编号: the bag's External-Identifier. */
  caseNo: string | null;
  /** The whole set's id (all discs of one export share it): Bag-Group-Identifier. */
  groupId: string;
  /** This disc, 1-based, and how many the set has: Bag-Count "1 of 3". */
  disc: number;
  discs: number;
  /** The station: Source-Organization. */
  organization: string;
  /** The day the bag was made (station's zone), YYYY-MM-DD: Bagging-Date. */
  baggingDate: string;
  /** Free text for the reader (an English line after the Chinese): External-Description. */
  description: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A path as a manifest may hold it for both readers: relative, forward slashes, no `.`/`..`
 * parts, and none of the characters the two formats escape differently (BagIt percent-encodes
 * CR, LF and %, GNU escapes backslash and newline). The exporter names disc files so they never
 * need it (the full original name is on the sheet); a path that would is refused, not mangled.
 */
export function checkDiscPath(path: string): void {
  const bad =
    path === '' ||
    path.startsWith('/') ||
    /[\r\n%\\\0]/.test(path) ||
    path.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad) throw new Error(`not a path a disc manifest can hold for both BagIt and sha256sum: ${JSON.stringify(path)}`);
}

/** Bytes of a set of files (a disc's payload, a sheet's files). */
export const totalBytes = (files: ReadonlyArray<{ size: number }>): number => files.reduce((n, f) => n + f.size, 0);

/** Order by path, bytewise as a disc lists its files (not by locale). */
export const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `<sha256>  <path>` lines, sorted by path (a stable disc: the same set gives the same bytes). */
export function manifestText(files: ReadonlyArray<{ path: string; sha256: string }>): string {
  const lines = [...files]
    .sort(byPath)
    .map((f) => {
      checkDiscPath(f.path);
      if (!SHA256.test(f.sha256)) throw new Error(`not a SHA-256: ${f.sha256}`);
      return `${f.sha256}  ${f.path}\n`;
    });
  return lines.join('');
}

/** `bagit.txt`: the version and the tag files' encoding, exactly as RFC 8493 §2.1.1 gives them. */
export function bagitText(): string {
  return 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
}

/** Payload-Oxum: the payload's octets, a dot, its file count (RFC 8493 §2.2.2). */
export function payloadOxum(files: ReadonlyArray<PayloadFile>): string {
  return `${totalBytes(files)}.${files.length}`;
}

/** One `Label: value` line; a value never spans lines (no continuation lines are written). */
function field(label: string, value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ').trim();
  return `${label}: ${flat}\n`;
}

/** `bag-info.txt` (RFC 8493 §2.2.2) for one disc of a set. */
export function bagInfoText(info: BagInfo, files: ReadonlyArray<PayloadFile>): string {
  if (!Number.isInteger(info.disc) || !Number.isInteger(info.discs) || info.disc < 1 || info.disc > info.discs) {
    throw new Error(`disc ${info.disc} of ${info.discs} is not a disc of the set`);
  }
  return [
    field('Source-Organization', info.organization),
    field('Bagging-Date', info.baggingDate),
    ...(info.caseNo ? [field('External-Identifier', info.caseNo)] : []),
    field('External-Description', info.description),
    field('Bag-Group-Identifier', info.groupId),
    field('Bag-Count', `${info.disc} of ${info.discs}`),
    field('Payload-Oxum', payloadOxum(files)),
  ].join('');
}

/** The payload manifest's entries: each file under `data/`. */
export function payloadEntries(files: ReadonlyArray<PayloadFile>): Array<{ path: string; sha256: string }> {
  return files.map((f) => {
    checkDiscPath(f.path);
    return { path: `data/${f.path}`, sha256: f.sha256 };
  });
}
