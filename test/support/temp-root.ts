// Vitest's global setup: every temporary folder a test run makes goes under one
// folder of its own, removed when the run ends. Tests make hundreds of
// folders (stations, emulated cameras, FAT images, small disks) through
// os.tmpdir(); removing each in its test was never done everywhere, and a full
// run left about 7 GB behind in /tmp, enough to fill the disk after a few runs.
// TMPDIR is what os.tmpdir() reads, and the workers and every process a test
// starts inherit it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LINUX_PATHS, parseMountInfo } from '../../electron/core/docking/sources/linux-mounts.js';

/** Mount points at or under `dir` (a FUSE camera a failed test left mounted), deepest first. */
function mountsUnder(dir: string): string[] {
  if (!fs.existsSync(LINUX_PATHS.mountInfo)) return [];
  // The docking watcher's own parser: it decodes every escaped character of a mount point.
  return parseMountInfo(fs.readFileSync(LINUX_PATHS.mountInfo, 'utf8'))
    .entries.map((entry) => entry.mountPoint)
    .filter((mount) => mount === dir || mount.startsWith(dir + path.sep))
    .sort((a, b) => b.length - a.length);
}

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'station-tests-'));
  // As /tmp is: some tests run a child as another user (setpriv), which reads its files here (the
  // code it runs too, bundled: it may not enter the checkout, see other-user.ts) and makes its own,
  // so anyone may create, and only the owner remove (sticky bit).
  fs.chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => {
    for (const mount of mountsUnder(root)) {
      try {
        execFileSync('umount', ['-l', mount], { stdio: 'pipe' });
      } catch {
        // Removing through a mount would delete what the mounted volume holds: keep the folder.
        console.warn(`test temp folder kept, ${mount} is still mounted: ${root}`);
        return;
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
}
