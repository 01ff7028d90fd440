// The verified copy: one pass over the camera's file feeds both the hash and
// the write, from the same buffer; the copy is fsynced, then (for a verified
// ingest) re-read from the medium and hashed again.
//
// How the bytes move, and why (measured in docs/performance.md):
// - a ring of large, reused, page-aligned buffers (aligned.ts), so the kernel
//   can DMA straight into them with O_DIRECT and nothing is allocated per chunk;
// - several requests in flight: while chunk i is hashed, later chunks are
//   being read and earlier ones written, each on a libuv pool thread;
// - hashing strictly in order, on this thread (a worker's, see worker.ts);
// - O_DIRECT on the camera's file and on the copy: no page-cache copies, no
//   cache pollution, and a read-back that really reads the disk. Where a
//   filesystem refuses O_DIRECT the engine falls back to buffered I/O and says
//   so in the result.
//
// This module is plain Node and runs anywhere; it blocks its thread while it
// hashes, so the station runs it in worker threads through CopyPool.
import { createHash, getHashes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { lstat, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import { allocateRing, DIRECT_ALIGNMENT, paddedLength, type BufferRing } from './aligned.js';
import { abortedError, CopyError, sourceError, vaultError } from './errors.js';
import * as io from './fd-io.js';
import { evictFromPageCache, isMemoryFilesystem } from './page-cache.js';
import {
  DEFAULT_TUNING,
  type CopyProgress,
  type CopyResult,
  type CopyTask,
  type HashAlgorithm,
  type HashResult,
  type IoMode,
  type IoTuning,
  type SourceIdentity,
  type Verification,
} from './types.js';

/** Test seams: called at fixed points so fault tests can act at a known moment. */
export interface CopyHooks {
  /** After chunk `index` was read and hashed, before it is written. */
  afterSourceChunk?(index: number, bytesSoFar: number): void | Promise<void>;
  /** After the copy was fsynced and closed, before it is re-read. */
  beforeReadBack?(destination: string): void | Promise<void>;
}

export interface CopyOptions {
  tuning?: Partial<IoTuning>;
  /** A ring to reuse (a worker keeps one for all its files); one is allocated otherwise. */
  ring?: BufferRing;
  /** Called after every chunk; throttling is the caller's business. */
  onProgress?(progress: CopyProgress): void;
  hooks?: CopyHooks;
}

interface OpenFile {
  fd: number;
  file: string;
  direct: boolean;
}

export function resolveTuning(tuning: Partial<IoTuning> = {}): IoTuning {
  const t = { ...DEFAULT_TUNING, ...tuning };
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!whole(t.depth, 64) || !whole(t.readsInFlight, t.depth) || !whole(t.writesInFlight, t.depth)) {
    throw new RangeError(`bad I/O tuning: depth ${t.depth}, reads ${t.readsInFlight}, writes ${t.writesInFlight} (1 ≤ in flight ≤ depth ≤ 64)`);
  }
  return t;
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function checkAlgorithm(algorithm: HashAlgorithm): void {
  if (!getHashes().includes(algorithm)) {
    throw new CopyError('internal', `hash algorithm ${algorithm} is not available in this Node build (${process.versions.openssl})`);
  }
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortedError(what);
}

/** Keeps every request the pipeline started, so a failure can wait for all of them before closing descriptors. */
class InFlight {
  readonly #pending = new Set<Promise<unknown>>();
  track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    // This handler also marks the promise as handled: a request that fails
    // while the pipeline is awaiting another one must not become an
    // unhandled rejection (which would end a worker thread).
    const forget = () => void this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
  settle(): Promise<unknown> {
    return Promise.allSettled([...this.#pending]);
  }
}

/**
 * Opens `file` read-only. O_NOFOLLOW: a symlink on a camera is never followed.
 * O_NONBLOCK: a FIFO planted on a volume must not hang the open. O_NOATIME:
 * reading must not change the camera, not even an access time; only the
 * owner or root may ask for it, so it is dropped on EPERM. O_DIRECT is dropped
 * when the filesystem refuses it at open (EINVAL).
 */
async function openForReading(file: string, wantDirect: boolean): Promise<OpenFile> {
  const base = fs.constants.O_RDONLY | io.O_NOFOLLOW | io.O_NONBLOCK;
  let noatime = io.O_NOATIME;
  let direct = wantDirect ? io.O_DIRECT : 0;
  for (;;) {
    try {
      return { fd: await io.open(file, base | noatime | direct), file, direct: direct !== 0 };
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EPERM' && noatime !== 0) noatime = 0;
      else if (code === 'EINVAL' && direct !== 0) direct = 0;
      else throw err;
    }
  }
}

/**
 * Some filesystems accept O_DIRECT at open and refuse it at the first
 * transfer. One block read at offset 0 (into the ring's aligned memory) finds
 * out before any byte is hashed; on EINVAL the file is reopened buffered.
 */
async function confirmDirectRead(handle: OpenFile, ring: BufferRing): Promise<OpenFile> {
  if (!handle.direct) return handle;
  try {
    await io.readFully(handle.fd, ring.buffers[0]!, DIRECT_ALIGNMENT, 0, DIRECT_ALIGNMENT);
    return handle;
  } catch (err) {
    if (errnoCode(err) !== 'EINVAL') throw err;
    await io.close(handle.fd);
    return openForReading(handle.file, false);
  }
}

function identityOf(st: fs.Stats): SourceIdentity {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev };
}

function differences(before: SourceIdentity, now: fs.Stats): string[] {
  const after = identityOf(now);
  const changed: string[] = [];
  for (const key of ['size', 'mtimeMs', 'ctimeMs', 'ino', 'dev'] as const) {
    if (before[key] !== after[key]) changed.push(`${key} ${before[key]} → ${after[key]}`);
  }
  return changed;
}

/** statfs(2) f_type of a FUSE filesystem (fusefat, exfat-fuse, ntfs-3g, sshfs…). */
const FUSE_SUPER_MAGIC = 0x65735546;

/**
 * Whether O_DIRECT may be used to read a camera's file. Not on FUSE: what a
 * FUSE daemon does with O_DIRECT is up to the daemon, and fusefat answers a
 * second direct read at offset 0 of a small file on the same descriptor with
 * a short count or with the wrong bytes, which would then be hashed, copied
 * and "verified" as the camera's (test/integration/ingest-fault-fuse.test.ts).
 * Buffered reads through FUSE are what every other program uses, and correct.
 */
async function directReadAllowed(file: string): Promise<boolean> {
  try {
    return (await statfs(file)).type !== FUSE_SUPER_MAGIC;
  } catch {
    return false;
  }
}

async function openSource(file: string, ring: BufferRing, tuning: IoTuning): Promise<{ handle: OpenFile; identity: SourceIdentity }> {
  let named: fs.Stats;
  try {
    named = await lstat(file);
  } catch (err) {
    throw sourceError(err, 'lstat', file);
  }
  if (named.isSymbolicLink()) throw new CopyError('source_unreadable', `${file} is a symbolic link; links on a camera are never followed`, { code: 'ELOOP' });
  if (!named.isFile()) throw new CopyError('source_unreadable', `${file} is not a regular file`);
  let handle: OpenFile | undefined;
  try {
    handle = await openForReading(file, tuning.direct && io.directIoAvailable && (await directReadAllowed(file)));
    const opened = await io.fstat(handle.fd);
    // The name could have been swapped between lstat and open.
    if (opened.ino !== named.ino || opened.dev !== named.dev) throw new CopyError('source_changed', `${file} was replaced while it was being opened`);
    handle = await confirmDirectRead(handle, ring);
    return { handle, identity: identityOf(opened) };
  } catch (err) {
    if (handle) await io.close(handle.fd).catch(() => undefined);
    throw sourceError(err, 'open', file);
  }
}

async function confirmSourceUnchanged(source: OpenFile, identity: SourceIdentity): Promise<void> {
  let viaDescriptor: fs.Stats;
  let viaName: fs.Stats;
  try {
    viaDescriptor = await io.fstat(source.fd);
  } catch (err) {
    throw sourceError(err, 'fstat', source.file);
  }
  try {
    viaName = await lstat(source.file);
  } catch (err) {
    throw sourceError(err, 'lstat', source.file);
  }
  for (const [how, st] of [['descriptor', viaDescriptor], ['name', viaName]] as const) {
    const changed = differences(identity, st);
    if (changed.length > 0) throw new CopyError('source_changed', `${source.file} changed during the copy (${how}: ${changed.join(', ')})`);
  }
}

/**
 * Creates the copy. O_EXCL: the caller's temporary name must be new, and a
 * file we did not create is never overwritten (nor removed on failure).
 * `created` is set as soon as a file of ours may exist.
 */
async function createDestination(file: string, ring: BufferRing, tuning: IoTuning, created: { value: boolean }): Promise<OpenFile> {
  const base = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | io.O_NOFOLLOW;
  const wantDirect = tuning.direct && io.directIoAvailable;
  let fd: number;
  try {
    fd = await io.open(file, base | (wantDirect ? io.O_DIRECT : 0));
    created.value = true;
  } catch (err) {
    if (!(wantDirect && errnoCode(err) === 'EINVAL')) throw vaultError(err, 'create', file);
    // Linux creates the file before it checks O_DIRECT support, so a refusal
    // leaves an empty file behind; EEXIST is checked first, so that file is
    // ours. Open it again, buffered.
    created.value = true;
    try {
      fd = await io.open(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | io.O_NOFOLLOW);
    } catch (again) {
      throw vaultError(again, 'create', file);
    }
    return { fd, file, direct: false };
  }
  if (!wantDirect) return { fd, file, direct: false };
  // Probe one aligned block, as for reads: EINVAL here means buffered I/O.
  const probe = ring.buffers[0]!;
  try {
    probe.fill(0, 0, DIRECT_ALIGNMENT);
    await io.writeFully(fd, probe, DIRECT_ALIGNMENT, 0);
    await io.ftruncate(fd, 0);
    return { fd, file, direct: true };
  } catch (err) {
    await io.close(fd).catch(() => undefined);
    if (errnoCode(err) !== 'EINVAL') throw vaultError(err, 'write', file);
    try {
      return { fd: await io.open(file, fs.constants.O_WRONLY | fs.constants.O_TRUNC | io.O_NOFOLLOW), file, direct: false };
    } catch (again) {
      throw vaultError(again, 'create', file);
    }
  }
}

async function writeChunk(copy: OpenFile, buffer: Buffer, bytes: number, position: number): Promise<void> {
  let length = bytes;
  if (copy.direct && bytes % DIRECT_ALIGNMENT !== 0) {
    // O_DIRECT transfers whole blocks: pad the last chunk with zeros; the file
    // is truncated to its real size once every write has landed.
    length = paddedLength(bytes);
    buffer.fill(0, bytes, length);
  }
  try {
    await io.writeFully(copy.fd, buffer, length, position);
  } catch (err) {
    throw vaultError(err, 'write', copy.file);
  }
}

const settled = Promise.resolve();

/**
 * The one pass: reads the source chunk by chunk into the ring, hashes each
 * chunk in order, writes it from the same buffer. Three stages overlap: the
 * reads (at most `readsInFlight` outstanding, issued in file order), the hash
 * (on this thread, in order) and the writes (at most `writesInFlight`, in
 * order). A buffer is read into again only after its write has completed.
 */
async function copyPass(
  source: OpenFile,
  copy: OpenFile,
  ring: BufferRing,
  tuning: IoTuning,
  size: number,
  hash: Hash,
  afterChunk: (index: number, bytesSoFar: number) => void | Promise<void>,
): Promise<void> {
  const { buffers, chunkBytes } = ring;
  const depth = buffers.length;
  const chunks = Math.max(1, Math.ceil(size / chunkBytes));
  const align = source.direct ? DIRECT_ALIGNMENT : 1;
  const inFlight = new InFlight();
  const reads: Array<Promise<number>> = [];
  const writes: Array<Promise<void>> = [];
  const startRead = (i: number) => {
    const previous = i >= tuning.readsInFlight ? reads[i - tuning.readsInFlight]! : settled;
    const bufferFree = i >= depth ? writes[i - depth]! : settled;
    reads[i] = inFlight.track(
      Promise.all([previous, bufferFree]).then(() =>
        io.readFully(source.fd, buffers[i % depth]!, chunkBytes, i * chunkBytes, align).catch((err: unknown) => {
          throw sourceError(err, 'read', source.file);
        }),
      ),
    );
  };
  try {
    for (let i = 0; i < Math.min(depth, chunks); i++) startRead(i);
    let done = 0;
    for (let i = 0; i < chunks; i++) {
      const buffer = buffers[i % depth]!;
      const n = await reads[i]!;
      // Every read asks for a whole chunk, so a file that grew shows up as a
      // longer last chunk, and one that shrank as a short one.
      const expected = Math.min(chunkBytes, size - i * chunkBytes);
      if (n !== expected) {
        throw new CopyError('source_changed', `${source.file}: ${n} bytes at offset ${i * chunkBytes}, expected ${expected} (its size was ${size} when the copy began)`);
      }
      hash.update(buffer.subarray(0, n));
      done += n;
      await afterChunk(i, done);
      const previous = i >= tuning.writesInFlight ? writes[i - tuning.writesInFlight]! : settled;
      writes[i] = inFlight.track(previous.then(() => (n > 0 ? writeChunk(copy, buffer, n, i * chunkBytes) : undefined)));
      if (i + depth < chunks) startRead(i + depth);
    }
    await Promise.all(writes);
  } catch (err) {
    await inFlight.settle();
    throw err;
  }
}

/**
 * Reads `size` bytes of an open file in order and hands each chunk to
 * `consume` (one hash or two), the next reads (at most `readsInFlight`)
 * overlapping it. Used for the read-back and for re-hashing vault files.
 * `onSizeMismatch` names the failure when the file holds more or fewer bytes.
 */
async function hashPass(
  handle: OpenFile,
  ring: BufferRing,
  tuning: IoTuning,
  size: number,
  consume: (chunk: Buffer) => void,
  afterChunk: (bytesSoFar: number) => void,
  classify: (err: unknown) => CopyError,
  onSizeMismatch: (offset: number, got: number, expected: number) => CopyError,
): Promise<void> {
  const { buffers, chunkBytes } = ring;
  const depth = buffers.length;
  const chunks = Math.max(1, Math.ceil(size / chunkBytes));
  const align = handle.direct ? DIRECT_ALIGNMENT : 1;
  const inFlight = new InFlight();
  const reads: Array<Promise<number>> = [];
  const startRead = (i: number) => {
    const previous = i >= tuning.readsInFlight ? reads[i - tuning.readsInFlight]! : settled;
    // Its buffer was hashed (synchronously) before this read was started.
    reads[i] = inFlight.track(
      previous.then(() =>
        io.readFully(handle.fd, buffers[i % depth]!, chunkBytes, i * chunkBytes, align).catch((err: unknown) => {
          throw classify(err);
        }),
      ),
    );
  };
  try {
    for (let i = 0; i < Math.min(depth, chunks); i++) startRead(i);
    let done = 0;
    for (let i = 0; i < chunks; i++) {
      const n = await reads[i]!;
      const expected = Math.min(chunkBytes, size - i * chunkBytes);
      if (n !== expected) throw onSizeMismatch(i * chunkBytes, n, expected);
      consume(buffers[i % depth]!.subarray(0, n));
      done += n;
      afterChunk(done);
      if (i + depth < chunks) startRead(i + depth);
    }
  } catch (err) {
    await inFlight.settle();
    throw err;
  }
}

/**
 * Opens a file for an honest re-read: O_DIRECT where the filesystem allows;
 * otherwise buffered after evicting its pages, and says which it got.
 */
async function openForRereading(file: string, ring: BufferRing, tuning: IoTuning): Promise<{ handle: OpenFile; fromMedium: boolean }> {
  const memory = await isMemoryFilesystem(path.dirname(file));
  let handle = await openForReading(file, tuning.direct && io.directIoAvailable);
  try {
    handle = await confirmDirectRead(handle, ring);
  } catch (err) {
    await io.close(handle.fd).catch(() => undefined);
    throw err;
  }
  if (memory) return { handle, fromMedium: false };
  if (handle.direct) return { handle, fromMedium: true };
  return { handle, fromMedium: await evictFromPageCache(file) };
}

/**
 * Copies `task.source` to `task.destination`, hashing in flight; fsyncs the
 * copy and, when `task.readBack`, re-reads and re-hashes it from the medium.
 * Throws a CopyError on any failure, after removing the copy.
 *
 * A verified SM3 copy hashes SM3 once, in the read-back, not in flight: the
 * pass over the camera computes SHA-256 (four times faster here, with the
 * CPU's SHA extensions), the read-back computes SHA-256 and SM3 of the copy,
 * and the two SHA-256 must be equal. Equal SHA-256, equal bytes: the SM3 of the
 * copy on the disk is the SM3 of the camera's bytes. Why: one camera's files
 * are copied one after another (one USB device), so the copies are its critical
 * path; with SM3 in flight each copy ran at one core's SM3 speed and verified
 * SM3 stayed below 0.8 × that (docs/performance.md). Read-backs of successive
 * files run on both workers at once, so SM3 moved there uses both cores.
 */
export async function copyFile(task: CopyTask, signal?: AbortSignal, options: CopyOptions = {}): Promise<CopyResult> {
  const started = performance.now();
  const tuning = resolveTuning(options.tuning);
  const hooks = options.hooks ?? {};
  const onProgress = options.onProgress;
  let source: OpenFile | undefined;
  let copy: OpenFile | undefined;
  let reread: OpenFile | undefined;
  const created = { value: false };
  try {
    throwIfAborted(signal, `before copying ${task.source}`);
    checkAlgorithm(task.algorithm);
    const ring = options.ring ?? allocateRing(tuning.chunkBytes, tuning.depth);
    const opened = await openSource(task.source, ring, tuning);
    source = opened.handle;
    const { identity } = opened;
    const size = identity.size;
    copy = await createDestination(task.destination, ring, tuning, created);
    onProgress?.({ phase: 'copying', bytesDone: 0, bytesTotal: size });

    const sm3FromCopy = task.readBack && task.algorithm === 'sm3';
    const inFlight: HashAlgorithm = sm3FromCopy ? 'sha256' : task.algorithm;
    const hash = createHash(inFlight);
    await copyPass(source, copy, ring, tuning, size, hash, async (index, bytesSoFar) => {
      await hooks.afterSourceChunk?.(index, bytesSoFar);
      throwIfAborted(signal, `while copying ${task.source}`);
      onProgress?.({ phase: 'copying', bytesDone: bytesSoFar, bytesTotal: size });
    });
    await confirmSourceUnchanged(source, identity);
    const sourceIo: IoMode = source.direct ? 'direct' : 'buffered';
    // The camera's file is done with: let go of it before the read-back.
    const sourceFd = source.fd;
    source = undefined;
    await io.close(sourceFd).catch(() => undefined);
    // Said at once: the caller may let the camera's next file start while this copy is fsynced.
    onProgress?.({ phase: 'syncing', bytesDone: 0, bytesTotal: size });

    if (copy.direct && size % DIRECT_ALIGNMENT !== 0) {
      await io.ftruncate(copy.fd, size).catch((err: unknown) => {
        throw vaultError(err, 'ftruncate', task.destination);
      });
    }
    await io.fsync(copy.fd).catch((err: unknown) => {
      throw vaultError(err, 'fsync', task.destination);
    });
    const destinationIo: IoMode = copy.direct ? 'direct' : 'buffered';
    const copyFd = copy.fd;
    copy = undefined;
    try {
      await io.close(copyFd);
    } catch (err) {
      throw vaultError(err, 'close', task.destination);
    }
    const digest = hash.digest('hex');
    const copied = performance.now();

    let verification: Verification = 'none';
    let readBackHash: string | undefined;
    if (task.readBack) {
      throwIfAborted(signal, `before verifying ${task.destination}`);
      await hooks.beforeReadBack?.(task.destination);
      let honest: boolean;
      try {
        const opened = await openForRereading(task.destination, ring, tuning);
        reread = opened.handle;
        honest = opened.fromMedium;
      } catch (err) {
        throw vaultError(err, 'open for read-back', task.destination);
      }
      // Reported once the copy is open again for its read-back, not before the open, which can still
      // fail: from here the read-back goes through this handle, whatever becomes of the path.
      onProgress?.({ phase: 'verifying', bytesDone: 0, bytesTotal: size });
      const again = createHash(inFlight);
      const evidence = sm3FromCopy ? createHash('sm3') : null;
      await hashPass(
        reread,
        ring,
        tuning,
        size,
        (chunk) => {
          again.update(chunk);
          evidence?.update(chunk);
        },
        (bytesSoFar) => {
          throwIfAborted(signal, `while verifying ${task.destination}`);
          onProgress?.({ phase: 'verifying', bytesDone: bytesSoFar, bytesTotal: size });
        },
        (err) => vaultError(err, 'read back', task.destination),
        (offset, got, expected) =>
          new CopyError('verify_mismatch', `${task.destination}: read back ${got} bytes at offset ${offset}, expected ${expected}`),
      );
      // The copy must also not be longer than the source.
      const st = await io.fstat(reread.fd).catch((err: unknown) => {
        throw vaultError(err, 'fstat', task.destination);
      });
      if (st.size !== size) throw new CopyError('verify_mismatch', `${task.destination}: the copy has ${st.size} bytes, the source ${size}`);
      const copyDigest = again.digest('hex');
      verification = reread.direct && honest ? 'direct-readback' : honest ? 'evicted-readback' : 'cache-readback';
      const rereadFd = reread.fd;
      reread = undefined;
      await io.close(rereadFd).catch(() => undefined);
      if (copyDigest !== digest) {
        throw new CopyError('verify_mismatch', `${task.destination}: ${inFlight} of the copy ${copyDigest} ≠ of the source ${digest}`);
      }
      readBackHash = evidence ? evidence.digest('hex') : copyDigest;
    }
    const finished = performance.now();
    const result: CopyResult = {
      bytes: size,
      hash: sm3FromCopy ? readBackHash! : digest,
      algorithm: task.algorithm,
      ioMode: sourceIo === 'direct' && destinationIo === 'direct' ? 'direct' : 'buffered',
      sourceIo,
      destinationIo,
      verification,
      source: identity,
      durationMs: finished - started,
      copyMs: copied - started,
      verifyMs: task.readBack ? finished - copied : 0,
    };
    if (readBackHash !== undefined) result.readBackHash = readBackHash;
    if (sm3FromCopy) result.sourceSha256 = digest;
    return result;
  } catch (err) {
    const error = err instanceof CopyError ? err : new CopyError('internal', `copying ${task.source}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    for (const handle of [source, copy, reread]) if (handle) await io.close(handle.fd).catch(() => undefined);
    if (created.value) {
      try {
        await rm(task.destination, { force: true });
      } catch {
        error.leftover = task.destination;
      }
    }
    throw error;
  }
}

/**
 * Re-hashes a file (a clip in the vault, for `station verify`), reading from
 * the medium where possible: O_DIRECT, or buffered after a confirmed eviction.
 * Errors are classified as vault errors (`vault_io` with code ENOENT for a
 * missing file).
 */
export async function hashFile(
  file: string,
  algorithm: HashAlgorithm,
  signal?: AbortSignal,
  options: Omit<CopyOptions, 'hooks'> = {},
): Promise<HashResult> {
  const started = performance.now();
  const tuning = resolveTuning(options.tuning);
  let handle: OpenFile | undefined;
  try {
    throwIfAborted(signal, `before hashing ${file}`);
    checkAlgorithm(algorithm);
    const ring = options.ring ?? allocateRing(tuning.chunkBytes, tuning.depth);
    let fromMedium: boolean;
    try {
      const opened = await openForRereading(file, ring, tuning);
      handle = opened.handle;
      fromMedium = opened.fromMedium;
    } catch (err) {
      throw vaultError(err, 'open', file);
    }
    const st = await io.fstat(handle.fd).catch((err: unknown) => {
      throw vaultError(err, 'fstat', file);
    });
    if (!st.isFile()) throw new CopyError('vault_io', `${file} is not a regular file`);
    const size = st.size;
    const hash = createHash(algorithm);
    options.onProgress?.({ phase: 'hashing', bytesDone: 0, bytesTotal: size });
    await hashPass(
      handle,
      ring,
      tuning,
      size,
      (chunk) => hash.update(chunk),
      (bytesSoFar) => {
        throwIfAborted(signal, `while hashing ${file}`);
        options.onProgress?.({ phase: 'hashing', bytesDone: bytesSoFar, bytesTotal: size });
      },
      (err) => vaultError(err, 'read', file),
      (offset, got, expected) => new CopyError('vault_io', `${file} changed while it was hashed: ${got} bytes at offset ${offset}, expected ${expected}`),
    );
    const direct = handle.direct;
    const fd = handle.fd;
    handle = undefined;
    await io.close(fd).catch(() => undefined);
    return {
      bytes: size,
      hash: hash.digest('hex'),
      algorithm,
      ioMode: direct ? 'direct' : 'buffered',
      readFrom: fromMedium ? 'medium' : 'page-cache',
      durationMs: performance.now() - started,
    };
  } catch (err) {
    if (handle) await io.close(handle.fd).catch(() => undefined);
    if (err instanceof CopyError) throw err;
    throw new CopyError('internal', `hashing ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
