// A camera as a real volume: the emulator's FAT32 image mounted read-only
// through FUSE (fusefat, in the foreground, so killing that one process is
// pulling the cable, and writing to it fails with EROFS as on a locked card).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { tempDir } from './station.js';

/** Why a FAT image cannot be mounted through FUSE here, or null. */
export function fuseRefused(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to mount';
  if (!fs.existsSync('/dev/fuse')) return 'no /dev/fuse';
  const missing = ['fusefat', 'mkfs.vfat', 'mcopy'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
      return false;
    } catch {
      return true;
    }
  });
  return missing.length > 0 ? `missing ${missing.join(', ')} (dosfstools, mtools, fusefat)` : null;
}

export interface FatMount {
  root: string;
  /** The fusefat process: killing it is the cable pulled. */
  daemon: ChildProcess;
  /** Kills the daemon and detaches the mount; safe to call again. */
  unmount(): void;
}

/**
 * Mounts `image` read-only with fusefat in the foreground. `undoLater` is
 * handed the unmount before the wait for the mount begins, so a mount that
 * never appears is cleaned up all the same.
 */
export async function mountFatReadOnly(image: string, undoLater: (undo: () => unknown) => void): Promise<FatMount> {
  const root = tempDir('fat-mount-');
  const daemon = spawn('fusefat', ['-f', '-o', 'ro', image, root], { stdio: 'ignore' });
  daemon.on('error', () => undefined);
  const unmount = () => {
    daemon.kill('SIGKILL');
    try {
      execFileSync('umount', ['-l', root], { stdio: 'pipe' });
    } catch {
      // not mounted (any more)
    }
    try {
      fs.rmdirSync(root); // the mount point, empty once detached (rmdir refuses a live mount)
    } catch {
      // removed by an earlier call, or still busy
    }
  };
  undoLater(unmount);
  const deadline = Date.now() + 10_000;
  while (!fs.readFileSync('/proc/mounts', 'utf8').includes(` ${root} `)) {
    if (daemon.exitCode !== null || Date.now() > deadline) throw new Error(`fusefat did not mount ${image}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { root, daemon, unmount };
}
