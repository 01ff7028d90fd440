// The station's files are the station's account's alone (issue 19, files at rest): the data and
// vault folders 0700, the database, its WAL and the audit anchor 0600, stored recordings and their
// sidecars 0400. With the modes a umask leaves (0755, 0644) any account on the machine could read
// every recording and copy the PIN hashes for offline guessing. Modes are set when a file is made
// and tightened at start-up where they are looser; a filesystem without modes (FAT, some network
// shares) is left as it is and said in the log.
import fs from 'node:fs';

/** Folders: the owner may list, enter and change them; nobody else anything. */
export const PRIVATE_DIR = 0o700;
/** Files the station writes again (the database, its WAL and shared memory, the anchor). */
export const PRIVATE_FILE = 0o600;
/** Evidence and its sidecars: read by the owner only, changed by nobody (a rewrite is a new file). */
export const SEALED_FILE = 0o400;

/**
 * Takes away from `file` what `mode` does not grant (never adds any): an evidence file stays
 * read-only. Returns whether it changed anything; a failure is logged, not thrown.
 */
export function tighten(file: string, mode: number, log: (message: string, error?: unknown) => void): boolean {
  try {
    const current = fs.statSync(file).mode & 0o777;
    const wanted = current & mode;
    if (wanted === current) return false;
    fs.chmodSync(file, wanted);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`could not tighten the mode of ${file} to ${mode.toString(8)}`, e);
    return false;
  }
}
