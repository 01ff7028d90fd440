// Reading an image's source files a little ahead of xorriso (issue 21, bench:export). xorriso
// reads each vault file and writes the image in turn on one thread, so on one disk it waits for
// every cold read between its writes; a reader running a bounded window ahead turns those reads
// into page-cache hits while xorriso writes. Only a hint: xorriso still reads (and MD5s) every byte
// itself, and what goes on the disc is proved by the read-back, not by anything read here.
import fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How far ahead of xorriso's writing the reader may be: enough to hide a seek, little enough to stay cached. */
export const PREFETCH_WINDOW = 512 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;
/** How often a reader that is far enough ahead looks again (xorriso's progress comes every 0.5 s). */
const WAIT_MS = 50;

/**
 * Reads `files` in order, keeping at most PREFETCH_WINDOW bytes ahead of `written()` (the image's
 * bytes so far); stops at the end, on `signal`, or at the first file it cannot read (xorriso will
 * say why, if it matters).
 */
export async function prefetch(files: ReadonlyArray<{ path: string; size: number }>, written: () => number, signal: AbortSignal): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  let read = 0;
  for (const f of files) {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(f.path, 'r');
    } catch {
      return;
    }
    try {
      for (let position = 0; position < f.size; ) {
        while (read - written() > PREFETCH_WINDOW) {
          if (signal.aborted) return;
          await sleep(WAIT_MS);
        }
        if (signal.aborted) return;
        const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, f.size - position), position);
        if (bytesRead === 0) break;
        position += bytesRead;
        read += bytesRead;
      }
    } catch {
      return;
    } finally {
      await handle.close();
    }
  }
}
