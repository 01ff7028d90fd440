// The verified copy engine against real files on real filesystems: hashes
// checked against sha256sum and openssl, copies compared byte for byte, I/O
// modes checked per filesystem, and every fault the ingest must survive made
// to happen for real (unlink, truncate, append, a FUSE volume whose daemon
// dies, a full filesystem, a corrupted copy, an abort). Where the machine
// cannot set a fault up (not root, no FUSE, mount refused) the test says why
// and skips that case only.
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, open, readdir, rm, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, CopyError, CopyPool, copyInOrder, hashFile, type CopyOptions, type CopyTask, type IoTuning } from '../../electron/core/ingest/copy/index.js';
import { DEFAULT_TUNING } from '../../electron/core/ingest/copy/types.js';
import { undoAfterEach } from '../support/cleanup.js';
import { fuseRefused, mountFatReadOnly } from '../support/fuse.js';
import { bundleForAnotherUser } from '../support/other-user.js';
import { waitFor } from '../support/wait.js';

const MiB = 1024 * 1024;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const isRoot = process.getuid?.() === 0;
// Undoes what one test set up (the FUSE mount) after it, pass or fail.
const cleanup = undoAfterEach();

// Small chunks so a few MiB make many chunks: the ring wraps many times and
// the hooks fire long before the end of the file.
const SMALL: Partial<IoTuning> = { chunkBytes: 64 * 1024, depth: 3, readsInFlight: 2, writesInFlight: 2 };

function run(command: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * MiB, cwd }, (err, stdout, stderr) => (err ? reject(new Error(`${command}: ${err.message} ${stderr}`)) : resolve(stdout))),
  );
}

async function tryRun(command: string, args: string[]): Promise<string | null> {
  try {
    return await run(command, args);
  } catch {
    return null;
  }
}

/** Random (incompressible, non-repeating) content of exactly `size` bytes. */
async function writeRandom(file: string, size: number): Promise<void> {
  const fh = await open(file, 'w');
  try {
    const block = Buffer.allocUnsafe(Math.min(size, 4 * MiB) || 1);
    for (let done = 0; done < size; ) {
      const n = Math.min(block.length, size - done);
      randomFillSync(block, 0, n);
      await fh.write(block, 0, n, done);
      done += n;
    }
  } finally {
    await fh.close();
  }
}

async function sha256sum(file: string): Promise<string> {
  return (await run('sha256sum', ['--', file])).slice(0, 64);
}

async function opensslSm3(file: string): Promise<string> {
  const out = await run('openssl', ['dgst', '-sm3', '-r', file]);
  return out.slice(0, 64);
}

async function identical(a: string, b: string): Promise<boolean> {
  return (await tryRun('cmp', ['-s', '--', a, b])) !== null;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Whether `dir`'s filesystem accepts an O_DIRECT write from page-aligned memory. */
function acceptsDirectIo(dir: string): boolean {
  if (!fs.constants.O_DIRECT) return false;
  const probe = path.join(dir, `.direct-probe-${process.pid}`);
  try {
    const fd = fs.openSync(probe, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_DIRECT);
    try {
      fs.writeSync(fd, Buffer.from(new WebAssembly.Memory({ initial: 1 }).buffer, 0, 4096), 0, 4096, 0);
      return true;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

async function expectCopyError(promise: Promise<unknown>, kinds: string | string[]): Promise<CopyError> {
  const wanted = Array.isArray(kinds) ? kinds : [kinds];
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(CopyError);
    const error = err as CopyError;
    expect(wanted, `${error.kind}: ${error.message}`).toContain(error.kind);
    expect(error.messages['zh-CN'].length).toBeGreaterThan(0);
    expect(error.messages.en.length).toBeGreaterThan(0);
    return error;
  }
  throw new Error(`expected a CopyError (${wanted.join(' or ')}), but the copy succeeded`);
}

let work: string;
let sources: string;
let vault: string;
let seq = 0;
const mounts: string[] = [];

/** A fresh destination name in the vault's incoming folder. */
function dest(dir = vault): string {
  return path.join(dir, `clip-${++seq}.part`);
}

async function sourceOf(size: number, name = `source-${++seq}.mp4`): Promise<string> {
  const file = path.join(sources, name);
  await writeRandom(file, size);
  return file;
}

/** Mounts a fresh memory filesystem (we run as root in CI); says why not otherwise. */
async function mountMemoryFs(type: 'tmpfs' | 'ramfs', options: string[] = []): Promise<{ dir: string } | { skipped: string }> {
  if (!isRoot) return { skipped: `not root: cannot mount ${type}` };
  const dir = await mkdtemp(path.join(work, `${type}-`));
  const ok = await tryRun('mount', ['-t', type, ...(options.length ? ['-o', options.join(',')] : []), type, dir]);
  if (ok === null) return { skipped: `mount -t ${type} was refused on this machine` };
  mounts.push(dir);
  return { dir };
}

beforeAll(async () => {
  // The OS temp folder: on these machines the root ext4 disk, where O_DIRECT works.
  work = await mkdtemp(path.join(os.tmpdir(), 'copy-engine-'));
  sources = path.join(work, 'camera');
  vault = path.join(work, 'vault', 'incoming');
  await mkdir(sources, { recursive: true });
  await mkdir(vault, { recursive: true });
});

afterAll(async () => {
  for (const dir of mounts.reverse()) await tryRun('umount', ['-l', dir]);
  await tryRun('chattr', ['-R', '-i', work]);
  await rm(work, { recursive: true, force: true });
});

describe('hashes and copies', () => {
  const ringBytes = DEFAULT_TUNING.chunkBytes * DEFAULT_TUNING.depth;
  const sizes = [0, 1, 4095, 4096, 4097, 5 * MiB + 3, ringBytes + 12_345];

  it('SHA-256 and SM3 equal sha256sum / openssl, and the copy is byte-identical, for sizes at the edges', async () => {
    const direct = acceptsDirectIo(vault);
    for (const size of sizes) {
      const source = await sourceOf(size);
      const [sha, sm3] = await Promise.all([sha256sum(source), opensslSm3(source)]);
      for (const [algorithm, expected] of [
        ['sha256', sha],
        ['sm3', sm3],
      ] as const) {
        const destination = dest();
        const result = await copyFile({ source, destination, algorithm, readBack: true });
        expect(result.bytes, `size ${size}`).toBe(size);
        expect(result.hash, `${algorithm} of ${size} bytes`).toBe(expected);
        expect(result.readBackHash).toBe(expected);
        // Verified SM3 hashes SM3 in the read-back; the SHA-256 of the camera's bytes, in flight, proved the copy equal.
        expect(result.sourceSha256).toBe(algorithm === 'sm3' ? sha : undefined);
        expect(result.algorithm).toBe(algorithm);
        expect((await stat(destination)).size).toBe(size);
        expect(await identical(source, destination), `copy of ${size} bytes`).toBe(true);
        expect(result.source.size).toBe(size);
        // The temp dir is on the root ext4 disk here: O_DIRECT both ways, read-back from the medium.
        if (direct) {
          expect(result.ioMode).toBe('direct');
          expect(result.verification).toBe('direct-readback');
        } else {
          expect(result.ioMode).toBe('buffered');
          console.warn(`${vault} refuses O_DIRECT: checked the buffered fallback instead`);
        }
      }
    }
  });

  it('keeps the order of chunks when the ring wraps many times with several requests in flight', async () => {
    const source = await sourceOf(5 * MiB + 3);
    const destination = dest();
    const result = await copyFile({ source, destination, algorithm: 'sha256', readBack: true }, undefined, { tuning: SMALL });
    expect(result.hash).toBe(await sha256sum(source));
    expect(await identical(source, destination)).toBe(true);
  });

  it('without read-back: hash in flight only, verification none', async () => {
    const source = await sourceOf(3 * MiB + 17);
    const destination = dest();
    const result = await copyFile({ source, destination, algorithm: 'sm3', readBack: false });
    expect(result.verification).toBe('none');
    expect(result.readBackHash).toBeUndefined();
    expect(result.verifyMs).toBe(0);
    expect(result.hash).toBe(await opensslSm3(source));
    expect(await identical(source, destination)).toBe(true);
  });

  it('hashFile re-hashes from the medium and equals sha256sum / openssl', async () => {
    const source = await sourceOf(9 * MiB + 1);
    const sha = await hashFile(source, 'sha256');
    const sm3 = await hashFile(source, 'sm3', undefined, { tuning: SMALL });
    expect(sha.hash).toBe(await sha256sum(source));
    expect(sm3.hash).toBe(await opensslSm3(source));
    expect(sha.bytes).toBe(9 * MiB + 1);
    if (acceptsDirectIo(sources)) expect(sha.readFrom).toBe('medium');
    const missing = await expectCopyError(hashFile(path.join(sources, 'no-such-clip.mp4'), 'sha256'), 'vault_io');
    expect(missing.code).toBe('ENOENT');
  });
});

describe('I/O modes per filesystem', () => {
  it('tmpfs (/dev/shm): the copy works and is never called a read-back from a medium', async () => {
    const shm = '/dev/shm';
    if (!(await exists(shm))) return console.warn('no /dev/shm here: skipped');
    const dir = await mkdtemp(path.join(shm, 'copy-engine-'));
    try {
      const source = await sourceOf(2 * MiB + 5);
      const destination = dest(dir);
      const result = await copyFile({ source, destination, algorithm: 'sha256', readBack: true });
      expect(await identical(source, destination)).toBe(true);
      // Linux ≥ 6.6 accepts O_DIRECT on tmpfs (and serves it from memory), older kernels refuse it.
      expect(result.destinationIo).toBe(acceptsDirectIo(dir) ? 'direct' : 'buffered');
      // Either way the only copy is in RAM: the read-back proves memory, and says so.
      expect(result.verification).toBe('cache-readback');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ramfs refuses O_DIRECT: falls back to buffered I/O and says so', async () => {
    const mounted = await mountMemoryFs('ramfs');
    if (!('dir' in mounted)) return console.warn(`ramfs case skipped: ${mounted.skipped}`);
    const { dir } = mounted;
    expect(acceptsDirectIo(dir)).toBe(false);
    const source = await sourceOf(1 * MiB + 7);
    const destination = dest(dir);
    const result = await copyFile({ source, destination, algorithm: 'sm3', readBack: true });
    expect(result.destinationIo).toBe('buffered');
    expect(result.ioMode).toBe('buffered');
    expect(result.verification).toBe('cache-readback');
    expect(result.hash).toBe(await opensslSm3(source));
    expect(await identical(source, destination)).toBe(true);
    // Only the one file: the refused O_DIRECT open left nothing else behind.
    expect(await readdir(dir)).toEqual([path.basename(destination)]);
  });

  it('buffered I/O on a disk: the read-back is made honest by evicting the copy from the page cache', async () => {
    const source = await sourceOf(3 * MiB + 9);
    const destination = dest();
    const result = await copyFile({ source, destination, algorithm: 'sha256', readBack: true }, undefined, { tuning: { direct: false } });
    expect(result.ioMode).toBe('buffered');
    const tools = (await tryRun('fincore', ['--version'])) !== null && (await tryRun('dd', ['--version'])) !== null;
    // With dd (posix_fadvise DONTNEED) and fincore (to confirm) the re-read came from the disk.
    expect(result.verification).toBe(tools ? 'evicted-readback' : 'cache-readback');
    expect(await identical(source, destination)).toBe(true);
  });
});

describe('faults lose nothing', () => {
  /** Copies with a hook after the first chunk; the copy must fail and leave no file behind. */
  async function faultAfterFirstChunk(size: number, act: (source: string) => Promise<void>, kinds: string | string[], options: CopyOptions = {}) {
    const source = await sourceOf(size);
    const destination = dest();
    let fired = false;
    const error = await expectCopyError(
      copyFile({ source, destination, algorithm: 'sha256', readBack: true }, undefined, {
        tuning: SMALL,
        ...options,
        hooks: {
          async afterSourceChunk(index) {
            if (index === 0) {
              fired = true;
              await act(source);
            }
          },
        },
      }),
      kinds,
    );
    expect(fired).toBe(true);
    expect(await exists(destination), 'no partial copy left').toBe(false);
    return { error, source };
  }

  it('the source is deleted mid-copy → source_vanished, no temp file', async () => {
    const { error } = await faultAfterFirstChunk(4 * MiB, (source) => rm(source), 'source_vanished');
    expect(error.code).toBe('ENOENT');
  });

  it('the source is truncated mid-copy → source_changed (fewer bytes than its size), no temp file', async () => {
    await faultAfterFirstChunk(4 * MiB, (source) => truncate(source, 100 * 1024), 'source_changed');
  });

  it('the source grows while it is copied → source_changed, no temp file', async () => {
    await faultAfterFirstChunk(4 * MiB + 11, (source) => appendFile(source, Buffer.alloc(5000, 1)), 'source_changed');
  });

  it('the source is rewritten in place, same size → source_changed (its times moved), no temp file', async () => {
    await faultAfterFirstChunk(
      4 * MiB,
      async (source) => {
        await new Promise((resolve) => setTimeout(resolve, 20)); // a new mtime, even on coarse clocks
        const fh = await open(source, 'r+');
        await fh.write(Buffer.alloc(10, 7), 0, 10, 0); // a region already read: only the stat can tell
        await fh.close();
      },
      'source_changed',
    );
  });

  it('the camera is unplugged mid-copy (its FUSE volume dies) → source_vanished, no temp file', async () => {
    const refused = fuseRefused();
    if (refused) return console.warn(`FUSE unplug case skipped: ${refused}`);
    const image = path.join(work, 'camera.img');
    await run('truncate', ['-s', '64M', image]);
    await run('mkfs.vfat', ['-F', '32', '-n', 'CAMERA', image]);
    const clip = await sourceOf(24 * MiB, 'fat-clip.mp4');
    await run('mcopy', ['-i', image, clip, '::/CLIP0001.MP4']);
    const { root, daemon } = await mountFatReadOnly(image, cleanup);
    const source = path.join(root, 'CLIP0001.MP4');
    const destination = dest();
    const error = await expectCopyError(
      copyFile({ source, destination, algorithm: 'sha256', readBack: true }, undefined, {
        tuning: SMALL,
        hooks: {
          async afterSourceChunk(index) {
            if (index !== 0) return;
            daemon.kill('SIGKILL'); // the volume is gone, as when the cable is pulled
            await new Promise((resolve) => daemon.once('exit', resolve));
          },
        },
      }),
      'source_vanished',
    );
    // What a dead FUSE daemon answers: ECONNABORTED for the request it was
    // serving, ENOTCONN ("transport endpoint is not connected") after.
    expect(['ECONNABORTED', 'ENOTCONN']).toContain(error.code);
    expect(await exists(destination)).toBe(false);
  });

  it('a file the station may not read → source_unreadable (run as an unprivileged user: root reads anything)', async () => {
    // Root bypasses file permissions (CAP_DAC_OVERRIDE), so chmod 000 proves
    // nothing when the test runs as root. Run the same engine in a child
    // process as `nobody` (setpriv), where EACCES is real. `nobody` may not
    // enter the checkout (a clone under /root is mode 0700): the engine runs
    // from a bundle in a folder of its own that anyone may read.
    const secret = await sourceOf(10_000, 'secret.mp4');
    await chmod(secret, 0o000);
    const out = path.join(work, 'nobody-out');
    await mkdir(out, { recursive: true });
    await chmod(out, 0o777);
    if (isRoot && (await tryRun('setpriv', ['--version'])) !== null) {
      for (const dir of [work, sources]) await chmod(dir, 0o755);
      const { dir, file: script } = await bundleForAnotherUser(
        `import { copyFile } from './engine.js';
import { existsSync } from 'node:fs';
const [source, destination] = process.argv.slice(2);
try { await copyFile({ source, destination, algorithm: 'sha256', readBack: true }); console.log(JSON.stringify({ ok: true })); }
catch (e) { console.log(JSON.stringify({ kind: e.kind, code: e.code, zh: e.messages?.['zh-CN'], left: existsSync(destination) })); }
`,
        path.join(repo, 'electron/core/ingest/copy'),
        'as-nobody.mjs',
      );
      const destination = path.join(out, 'secret.part');
      const stdout = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, script, secret, destination], dir);
      const answer = JSON.parse(stdout.trim().split('\n').pop()!) as { kind?: string; code?: string; zh?: string; left?: boolean };
      expect(answer).toMatchObject({ kind: 'source_unreadable', code: 'EACCES', left: false });
      expect(answer.zh).toMatch(/无权读取/);
    } else if (!isRoot) {
      const destination = dest();
      const error = await expectCopyError(copyFile({ source: secret, destination, algorithm: 'sha256', readBack: true }), 'source_unreadable');
      expect(error.code).toBe('EACCES');
      expect(await exists(destination)).toBe(false);
    } else {
      console.warn('unreadable-as-nobody case skipped: root without setpriv');
    }
  });

  it('a symlink, a directory or a FIFO on the camera → source_unreadable, never followed, never hanging', async () => {
    const target = await sourceOf(1000);
    const link = path.join(sources, 'link.mp4');
    await symlink(target, link);
    const dir = path.join(sources, 'folder.mp4');
    await mkdir(dir);
    const fifo = path.join(sources, 'pipe.mp4');
    await run('mkfifo', [fifo]);
    for (const source of [link, dir, fifo]) {
      const destination = dest();
      await expectCopyError(copyFile({ source, destination, algorithm: 'sha256', readBack: true }), 'source_unreadable');
      expect(await exists(destination)).toBe(false);
    }
  });

  it('the vault is full (a 4 MiB tmpfs) → vault_full, no partial file', async () => {
    const mounted = await mountMemoryFs('tmpfs', ['size=4m']);
    if (!('dir' in mounted)) return console.warn(`vault-full case skipped: ${mounted.skipped}`);
    const small = mounted.dir;
    const source = await sourceOf(8 * MiB);
    const error = await expectCopyError(copyFile({ source, destination: dest(small), algorithm: 'sha256', readBack: true }, undefined, { tuning: SMALL }), 'vault_full');
    expect(error.code).toBe('ENOSPC');
    expect(await readdir(small)).toEqual([]);
  });

  it('the vault disk fills up mid-copy with O_DIRECT (a small ext4 image) → vault_full, no partial file', async () => {
    if (!isRoot) return console.warn('ext4 vault-full case skipped: not root');
    const image = path.join(work, 'vault.ext4');
    const mnt = await mkdtemp(path.join(work, 'ext4-'));
    await run('truncate', ['-s', '24M', image]);
    if ((await tryRun('mkfs.ext4', ['-q', '-F', image])) === null || (await tryRun('mount', ['-o', 'loop', image, mnt])) === null) {
      return console.warn('ext4 vault-full case skipped: mkfs.ext4 or a loop mount is not available');
    }
    mounts.push(mnt);
    const source = await sourceOf(16 * MiB);
    const destination = dest(mnt);
    await expectCopyError(
      copyFile({ source, destination, algorithm: 'sha256', readBack: true }, undefined, {
        tuning: SMALL,
        hooks: {
          // Another writer takes the rest of the disk while our copy is under way.
          async afterSourceChunk(index) {
            if (index === 0) await tryRun('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler')}`, 'bs=1M', 'status=none']);
          },
        },
      }),
      'vault_full',
    );
    expect(await exists(destination)).toBe(false);
    expect(await readdir(mnt)).not.toContain(path.basename(destination));
  });

  it('the copy is corrupted on the disk after fsync → verify_mismatch on read-back, copy removed (SHA-256 and SM3)', async () => {
    const source = await sourceOf(2 * MiB + 1);
    for (const algorithm of ['sha256', 'sm3'] as const) {
      const destination = dest();
      const error = await expectCopyError(
        copyFile({ source, destination, algorithm, readBack: true }, undefined, {
          hooks: {
            async beforeReadBack(copy) {
              const fh = await open(copy, 'r+');
              const byte = Buffer.alloc(1);
              await fh.read(byte, 0, 1, 1_000_000);
              byte[0] = byte[0]! ^ 0xff; // one bit flip… eight of them
              await fh.write(byte, 0, 1, 1_000_000);
              await fh.sync();
              await fh.close();
            },
          },
        }),
        'verify_mismatch',
      );
      // Both compare the SHA-256 of the camera's bytes (in flight) with that of the copy (read back).
      expect(error.detail, algorithm).toMatch(/sha256 of the copy [0-9a-f]{64} ≠ of the source [0-9a-f]{64}/);
      expect(await exists(destination)).toBe(false);
    }
  });

  it('the copy loses its tail before read-back → verify_mismatch, copy removed', async () => {
    const source = await sourceOf(1 * MiB);
    const destination = dest();
    await expectCopyError(
      copyFile({ source, destination, algorithm: 'sha256', readBack: true }, undefined, { hooks: { beforeReadBack: (copy) => truncate(copy, 4096) } }),
      'verify_mismatch',
    );
    expect(await exists(destination)).toBe(false);
  });

  it('abort mid-copy → aborted, temp file removed', async () => {
    const controller = new AbortController();
    const source = await sourceOf(4 * MiB);
    const destination = dest();
    await expectCopyError(
      copyFile({ source, destination, algorithm: 'sha256', readBack: true }, controller.signal, {
        tuning: SMALL,
        hooks: { afterSourceChunk: (index) => void (index === 2 && controller.abort()) },
      }),
      'aborted',
    );
    expect(await exists(destination)).toBe(false);
  });

  it('an existing file at the destination is neither overwritten nor removed → vault_io EEXIST', async () => {
    const source = await sourceOf(5000);
    const destination = dest();
    await writeFile(destination, 'someone else’s file');
    const error = await expectCopyError(copyFile({ source, destination, algorithm: 'sha256', readBack: true }), 'vault_io');
    expect(error.code).toBe('EEXIST');
    expect(fs.readFileSync(destination, 'utf8')).toBe('someone else’s file');
  });

  it('nothing on the camera changes: an immutable source copies fine and keeps its access time', async () => {
    const source = await sourceOf(1 * MiB + 3);
    const old = new Date(Date.now() - 3 * 24 * 3600 * 1000); // old enough that relatime would update it
    await utimes(source, old, old);
    const before = await stat(source);
    const immutable = isRoot && (await tryRun('chattr', ['+i', source])) !== null;
    let result;
    try {
      result = await copyFile({ source, destination: dest(), algorithm: 'sha256', readBack: true });
    } finally {
      if (immutable) await tryRun('chattr', ['-i', source]);
    }
    const after = await stat(source);
    expect(result.hash).toBe(await sha256sum(source)); // (sha256sum itself updates the atime: after the stat)
    // chattr +i: any open for writing would have failed with EPERM, even as root.
    if (!immutable) console.warn('chattr +i not available: checked times only');
    expect(after.mtimeMs).toBe(before.mtimeMs);
    // O_NOATIME: reading did not touch the access time.
    expect(after.atimeMs).toBe(before.atimeMs);
  });
});

describe('CopyPool (worker threads)', () => {
  it('copies in workers while the event loop stays responsive (256 MiB), with throttled progress', async () => {
    // 2 MiB chunks: 128 per phase of the big file, so throttling shows.
    const pool = new CopyPool({ size: 2, progressIntervalMs: 50, tuning: { chunkBytes: 2 * MiB } });
    try {
      const big = await sourceOf(256 * MiB);
      const small = await sourceOf(3 * MiB);
      const progress: Array<{ phase: string; bytesDone: number }> = [];
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const [a, b] = await Promise.all([
        pool.copy({ source: big, destination: dest(), algorithm: 'sm3', readBack: true }, { onProgress: (p) => progress.push(p) }),
        pool.copy({ source: small, destination: dest(), algorithm: 'sha256', readBack: true }),
      ]);
      lag.disable();
      expect(a.hash).toBe(await opensslSm3(big));
      expect(b.hash).toBe(await sha256sum(small));
      expect(a.readBackHash).toBe(a.hash);
      // Loosely: this is a test, not a benchmark; SM3 of 512 MiB on this thread would block it for seconds.
      expect(lag.percentile(99) / 1e6).toBeLessThan(200);
      const copying = progress.filter((p) => p.phase === 'copying');
      const verifying = progress.filter((p) => p.phase === 'verifying');
      expect(copying.length).toBeGreaterThan(1);
      expect(verifying.length).toBeGreaterThan(1);
      expect(copying.at(-1)!.bytesDone).toBe(256 * MiB);
      expect(verifying.at(-1)!.bytesDone).toBe(256 * MiB);
      for (let i = 1; i < copying.length; i++) expect(copying[i]!.bytesDone).toBeGreaterThanOrEqual(copying[i - 1]!.bytesDone);
      // Throttled: fewer messages than chunks (2 × 128).
      expect(progress.length).toBeLessThan(128);
      const hashed = await pool.hash(big, 'sha256');
      expect(hashed.hash).toBe(await sha256sum(big));
    } finally {
      await pool.close();
    }
  });

  it('abort: a running copy stops and removes its temp file; a queued one never starts', async () => {
    const pool = new CopyPool({ size: 1, progressIntervalMs: 0 });
    try {
      const source = await sourceOf(128 * MiB);
      const running = new AbortController();
      const queued = new AbortController();
      const first = dest();
      const second = dest();
      let sawProgress = false;
      const a = pool.copy(
        { source, destination: first, algorithm: 'sm3', readBack: true },
        {
          signal: running.signal,
          onProgress: (p) => {
            if (p.bytesDone > 0 && !sawProgress) {
              sawProgress = true;
              running.abort();
            }
          },
        },
      );
      const b = pool.copy({ source, destination: second, algorithm: 'sha256', readBack: true }, { signal: queued.signal });
      expect(pool.queued).toBe(1);
      queued.abort();
      await expectCopyError(b, 'aborted');
      await expectCopyError(a, 'aborted');
      expect(sawProgress).toBe(true);
      expect(await exists(first)).toBe(false);
      expect(await exists(second)).toBe(false);
      // The worker is still good for the next job.
      const ok = await pool.copy({ source, destination: dest(), algorithm: 'sha256', readBack: false });
      expect(ok.bytes).toBe(128 * MiB);
    } finally {
      await pool.close();
    }
  });

  it('failures come back typed from the worker, and close() fails what is still queued', async () => {
    const pool = new CopyPool({ size: 1 });
    const source = await sourceOf(64 * MiB);
    const missing = pool.copy({ source: path.join(sources, 'gone.mp4'), destination: dest(), algorithm: 'sha256', readBack: true });
    const error = await expectCopyError(missing, 'source_vanished');
    expect(error.code).toBe('ENOENT');
    const running = pool.copy({ source, destination: dest(), algorithm: 'sm3', readBack: true });
    const waiting = expectCopyError(pool.copy({ source, destination: dest(), algorithm: 'sm3', readBack: true }), 'aborted');
    running.catch(() => undefined);
    await pool.close();
    await waiting;
    await expectCopyError(pool.copy({ source, destination: dest(), algorithm: 'sha256', readBack: true }), 'aborted');
    // The running one was either finished or aborted, and then its copy removed.
    await running.then(
      (result) => expect(result.bytes).toBe(64 * MiB),
      (err: unknown) => expect((err as CopyError).kind).toBe('aborted'),
    );
  });

  it('ends a worker idle for idleWorkerMs (its buffer ring with it) and starts one again for the next job', async () => {
    const pool = new CopyPool({ size: 2, idleWorkerMs: 300 });
    try {
      const source = await sourceOf(5 * MiB + 7);
      const expected = await sha256sum(source);
      const copyOnce = () => pool.copy({ source, destination: dest(), algorithm: 'sha256', readBack: true });
      await Promise.all([copyOnce(), copyOnce()]);
      expect(pool.workers).toBe(2);
      await sleep(150);
      expect(pool.workers, 'still within idleWorkerMs').toBe(2);
      await waitFor(() => (pool.workers === 0 ? true : undefined), 5_000);
      // A job after the workers ended gets a new worker and a correct copy.
      const again = await copyOnce();
      expect(again.hash).toBe(expected);
      expect(pool.workers).toBe(1);
      // Jobs arriving while a worker is being ended are not lost: each gets a worker.
      await waitFor(() => (pool.workers === 0 ? true : undefined), 5_000);
      const racing = await Promise.all([copyOnce(), copyOnce(), copyOnce()]);
      for (const result of racing) expect(result.hash).toBe(expected);
    } finally {
      await pool.close();
    }
    expect(() => new CopyPool({ idleWorkerMs: 0 })).toThrow(RangeError);
  });

  it('copyInOrder: one camera’s files in order, each verified, outcomes per file', async () => {
    const pool = new CopyPool({ size: 2 });
    try {
      const files = [await sourceOf(6 * MiB), path.join(sources, 'not-there.mp4'), await sourceOf(1), await sourceOf(0)];
      const tasks: CopyTask[] = files.map((source) => ({ source, destination: dest(), algorithm: 'sha256', readBack: true }));
      const settled: number[] = [];
      const outcomes = await copyInOrder(pool, tasks, { onSettled: (i) => settled.push(i) });
      expect(outcomes).toHaveLength(4);
      expect(outcomes[1]).toBeInstanceOf(CopyError);
      expect((outcomes[1] as CopyError).kind).toBe('source_vanished');
      for (const i of [0, 2, 3]) {
        const outcome = outcomes[i]!;
        if (outcome instanceof CopyError) throw outcome;
        expect(outcome.hash).toBe(await sha256sum(files[i]!));
        expect(outcome.verification).not.toBe('none');
      }
      expect([...settled].sort()).toEqual([0, 1, 2, 3]);
    } finally {
      await pool.close();
    }
  });
});
