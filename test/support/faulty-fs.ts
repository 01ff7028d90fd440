// A folder of a camera that cannot be read whole, as a worn card gives it: a
// read-only FUSE view (faulty-fs.py beside this file, python3-fusepy) that
// answers EIO where told, mounted inside an emulated camera's volume. Real
// system calls fail for real; nothing in the station is stubbed.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'faulty-fs.py');
/** Debian's python, which python3-fusepy installs for (a python on PATH may be another one). */
const PYTHON = '/usr/bin/python3';

/** Why a faulty folder cannot be mounted here, or null. */
export function faultyFsRefused(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to mount';
  if (!fs.existsSync('/dev/fuse')) return 'no /dev/fuse';
  try {
    execFileSync(PYTHON, ['-c', 'import fusepy'], { stdio: 'pipe' });
  } catch {
    return `${PYTHON} cannot import fusepy (Debian package python3-fusepy)`;
  }
  return null;
}

export interface Faults {
  /** Folders (relative to the source, '/'-separated) whose listing fails with EIO. */
  list?: string[];
  /** Folders whose listing gives this many entries, then fails with EIO. */
  listAfter?: Record<string, number>;
  /** Entries whose stat (and open) fails with EIO; they are still listed. */
  stat?: string[];
}

export interface FaultyMount {
  daemon: ChildProcess;
  /** Kills the daemon and detaches the mount; safe to call again. */
  unmount(): void;
  /** The folder holding the mount was renamed (a camera put into the watched folder): the mount is now at `to`. */
  movedTo(to: string): void;
}

function mounted(mountpoint: string): boolean {
  return fs.readFileSync('/proc/mounts', 'utf8').split('\n').some((line) => line.split(' ')[1] === mountpoint);
}

/**
 * Shows `source` at `mountpoint` (an existing empty folder) with `faults`.
 * `undoLater` gets the unmount before the wait for the mount, so a mount that
 * never appears is cleaned up all the same.
 */
export async function mountFaulty(source: string, mountpoint: string, faults: Faults, undoLater: (undo: () => unknown) => void): Promise<FaultyMount> {
  const args = [SCRIPT, source, mountpoint];
  for (const rel of faults.list ?? []) args.push('--eio-list', rel);
  for (const [rel, n] of Object.entries(faults.listAfter ?? {})) args.push('--eio-list-after', `${rel}=${n}`);
  for (const rel of faults.stat ?? []) args.push('--eio-stat', rel);
  const daemon = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  daemon.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  daemon.on('error', () => undefined);
  let at = mountpoint;
  const unmount = () => {
    try {
      execFileSync('umount', ['-l', at], { stdio: 'pipe' });
    } catch {
      // not mounted (any more)
    }
    daemon.kill('SIGKILL');
  };
  undoLater(unmount);
  const deadline = Date.now() + 10_000;
  while (!mounted(mountpoint)) {
    if (daemon.exitCode !== null || Date.now() > deadline) throw new Error(`faulty-fs did not mount ${source} on ${mountpoint}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { daemon, unmount, movedTo: (to) => (at = to) };
}
