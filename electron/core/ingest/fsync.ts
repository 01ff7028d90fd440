import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR, SEALED_FILE } from '../private-modes.js';

/** fsync a directory, so a rename or a new entry in it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (e) {
    // Some filesystems (FUSE, Windows) refuse fsync on directories; the rename is still atomic there.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  } finally {
    await handle.close();
  }
}

/** mkdir -p that fsyncs each parent it had to create an entry in. */
export async function makeDirDurable(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      await fs.stat(at);
      break;
    } catch {
      missing.unshift(at);
      const up = path.dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  if (missing.length === 0) return;
  // The vault's folders are the station's alone (private-modes.ts).
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  for (const d of missing) await fsyncDir(path.dirname(d));
}

/** Writes a small file durably: temp name, fsync, rename, fsync the directory. */
export async function writeFileDurable(file: string, data: string, mode = SEALED_FILE): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await fs.open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.chmod(tmp, mode);
  await fs.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** writeFileDurable for start-up code, which runs before anything is asynchronous (the vault marker). */
export function writeFileDurableSync(file: string, data: string, mode = SEALED_FILE): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fsSync.openSync(tmp, 'w', 0o644);
  try {
    fsSync.writeSync(fd, data);
    fsSync.fsyncSync(fd);
  } finally {
    fsSync.closeSync(fd);
  }
  fsSync.chmodSync(tmp, mode);
  fsSync.renameSync(tmp, file);
  const dir = fsSync.openSync(path.dirname(file), 'r');
  try {
    fsSync.fsyncSync(dir);
  } catch (e) {
    // As fsyncDir.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  } finally {
    fsSync.closeSync(dir);
  }
}
