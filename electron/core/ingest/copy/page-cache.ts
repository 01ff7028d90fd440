// Making a re-read honest where O_DIRECT is not available.
//
// A buffered re-read right after writing returns the page cache: it proves the
// bytes the kernel holds, not the bytes on the disk. Node has no
// posix_fadvise, so where the vault refuses O_DIRECT we ask coreutils' dd to
// drop the file's cached pages (`iflag=nocache count=0` is exactly
// posix_fadvise(POSIX_FADV_DONTNEED) over the whole file) and util-linux's
// fincore to confirm that none are left. Only then is the re-read called
// `evicted-readback`; in every other case it is `cache-readback`, and the
// caller records that.
import { spawn } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { killAfter } from '../kill-after.js';

// statfs(2) f_type values of filesystems that live in memory: there is no
// other medium to read back from, and nothing there survives a power cut.
const MEMORY_FILESYSTEMS = new Set([
  0x01021994, // tmpfs
  0x858458f6, // ramfs
]);

/** True when `dir` is on tmpfs or ramfs. */
export async function isMemoryFilesystem(dir: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    const st = await statfs(dir);
    return MEMORY_FILESYSTEMS.has(Number(st.type));
  } catch {
    return false;
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let child;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve({ ok: false, stdout: '' });
      return;
    }
    const done = killAfter(child, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (stdout += text));
    child.on('error', () => {
      done();
      resolve({ ok: false, stdout });
    });
    child.on('close', (code) => {
      done();
      resolve({ ok: code === 0, stdout });
    });
  });
}

/** Bytes of `file` resident in the page cache, or null when that cannot be measured. */
export async function residentBytes(file: string): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  const { ok, stdout } = await run('fincore', ['--bytes', '--noheadings', '--output', 'RES', '--', path.resolve(file)], 10_000);
  if (!ok) return null;
  const n = Number(stdout.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Drops `file`'s pages from the page cache (it must be fsynced: dirty pages
 * stay) and reports whether fincore then finds none resident. False when the
 * tools are missing or the filesystem keeps the pages (tmpfs, ramfs).
 */
export async function evictFromPageCache(file: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  if (await isMemoryFilesystem(path.dirname(file))) return false;
  const dropped = await run('dd', [`if=${path.resolve(file)}`, 'iflag=nocache', 'count=0', 'status=none'], 30_000);
  if (!dropped.ok) return false;
  return (await residentBytes(file)) === 0;
}
