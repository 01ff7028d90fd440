// Thin promise wrappers over fs's fd-based calls. The engine works on raw file
// descriptors rather than FileHandle: it keeps several positioned reads and
// writes in flight on one descriptor and closes it itself, only after every one
// of them has settled (closing earlier would let the number be reused under a
// pending request).
import fs from 'node:fs';

const C = fs.constants;

/**
 * O_DIRECT and O_NOATIME exist on Linux only; elsewhere (macOS, Windows) the
 * constants are undefined and the engine uses buffered I/O.
 */
export const O_DIRECT: number = C.O_DIRECT ?? 0;
export const O_NOATIME: number = C.O_NOATIME ?? 0;
export const O_NOFOLLOW: number = C.O_NOFOLLOW ?? 0;
export const O_NONBLOCK: number = C.O_NONBLOCK ?? 0;
export const directIoAvailable = O_DIRECT !== 0;

export function open(file: string, flags: number, mode = 0o600): Promise<number> {
  return new Promise((resolve, reject) => fs.open(file, flags, mode, (err, fd) => (err ? reject(err) : resolve(fd))));
}

export function close(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())));
}

export function fstat(fd: number): Promise<fs.Stats> {
  return new Promise((resolve, reject) => fs.fstat(fd, (err, st) => (err ? reject(err) : resolve(st))));
}

export function fsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
}

export function ftruncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => fs.ftruncate(fd, length, (err) => (err ? reject(err) : resolve())));
}

function readOnce(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buffer, offset, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))),
  );
}

function writeOnce(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, buffer, offset, length, position, (err, written) => (err ? reject(err) : resolve(written))),
  );
}

/**
 * Reads up to `length` bytes at `position`, repeating short reads (FUSE and
 * network filesystems may return less than asked before the end). Stops at end
 * of file. Under O_DIRECT a short read that is not a whole number of blocks can
 * only be the end of the file (and the next read would be misaligned), so it
 * stops there too.
 */
export async function readFully(fd: number, buffer: Buffer, length: number, position: number, blockAligned: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await readOnce(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
    if (blockAligned > 1 && done % blockAligned !== 0) break;
  }
  return done;
}

/** Writes all `length` bytes at `position`, repeating short writes. */
export async function writeFully(fd: number, buffer: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const n = await writeOnce(fd, buffer, done, length - done, position + done);
    // A write that makes no progress would loop forever; the kernel reports
    // ENOSPC on the next call, but be explicit in case it does not.
    if (n === 0) throw Object.assign(new Error('write made no progress'), { code: 'ENOSPC' });
    done += n;
  }
}
