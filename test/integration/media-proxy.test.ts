// Proxies made by real ffmpeg from real HEVC and MJPEG (AVI) footage (issue 20, "See"): H.264
// 720p a browser plays, readable from its first fragment while ffmpeg still writes, cached in
// derived/ for ordinary clips, only in memory for secret ones, one ffmpeg per clip however many
// ask at once.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { DerivedStore } from '../../electron/core/media/derived.js';
import { Proxies, proxyFile, type ProxyClip, type ProxyHandle } from '../../electron/core/media/proxy.js';
import { undoAfterEach } from '../support/cleanup.js';
import { tempDir } from '../support/station.js';
import { makeHevcClip, makeMjpegAvi, streamsOf } from './media-footage.js';

const cleanup = undoAfterEach();
let footage: string;
let hevc: ProxyClip;
let mjpeg: ProxyClip;

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  footage = tempDir('media-proxy-footage-');
  // Long enough that the transcode runs for several fragments after the first.
  await makeHevcClip(path.join(footage, 'hevc.mp4'), 10, '1280x720');
  await makeMjpegAvi(path.join(footage, 'mjpeg.avi'), 8);
  hevc = { id: 1, vault_path: 'hevc.mp4', hash_algorithm: 'sha256', hash: sha256(path.join(footage, 'hevc.mp4')), duration_ms: 10_000 };
  mjpeg = { id: 2, vault_path: 'mjpeg.avi', hash_algorithm: 'sha256', hash: sha256(path.join(footage, 'mjpeg.avi')), duration_ms: 8_000 };
}, 180_000);

function setup() {
  const dataDir = tempDir('media-proxy-data-');
  const store = new DerivedStore(dataDir, path.join(dataDir, 'vault'));
  const proxies = new Proxies({ store, absolute: (p) => path.join(footage, p), ffmpeg: 'ffmpeg', log: () => undefined });
  cleanup(() => proxies.close());
  return { dataDir, store, proxies };
}

/** Every file under `dir` with its size (none when it does not exist). */
function tree(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.statSync(p).size;
    }
  };
  walk(dir);
  return out;
}

/** Settles to whether `p` had settled when called (checked after the microtasks already queued). */
async function settledNow(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await Promise.resolve();
  await Promise.resolve();
  return settled;
}

/** The first chunk a reader gives, and then all of it. */
function readAll(stream: Readable): { first: Promise<Buffer>; all: Promise<Buffer> } {
  const chunks: Buffer[] = [];
  let onFirst!: (b: Buffer) => void;
  const first = new Promise<Buffer>((resolve) => (onFirst = resolve));
  const all = new Promise<Buffer>((resolve, reject) => {
    stream.on('data', (c: Buffer) => {
      if (chunks.length === 0) onFirst(c);
      chunks.push(c);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
  return { first, all };
}

async function expectPlayableProxy(file: string): Promise<void> {
  const streams = await streamsOf(file);
  const video = streams.find((s) => s.codec_type === 'video');
  expect(video?.codec_name).toBe('h264');
  expect(video!.height).toBeLessThanOrEqual(720);
  expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
}

describe('proxies', () => {
  it('an HEVC clip plays from an H.264 720p proxy that can be read from its first fragment while ffmpeg still writes, then is cached in derived/', async () => {
    const { store, proxies } = setup();
    const handle = proxies.proxyFor(hevc, { toDisk: true });
    expect(handle.mode).toBe('file');
    await handle.ready;
    // The first fragment is there, the transcode is not finished: the file is still growing.
    expect(await settledNow(handle.done)).toBe(false);
    const part = handle.file!;
    expect(path.dirname(part)).toBe(path.dirname(proxyFile(store, hevc)));
    const sizeAtReady = fs.statSync(part).size;
    expect(sizeAtReady).toBeGreaterThan(0);
    // A viewer starts now and has bytes before ffmpeg is done.
    const reading = readAll(handle.open());
    await reading.first;
    expect(await settledNow(handle.done)).toBe(false);
    await handle.done;
    const whole = proxyFile(store, hevc);
    const bytes = await reading.all;
    expect(bytes.equals(fs.readFileSync(whole))).toBe(true);
    expect(bytes.length).toBeGreaterThan(sizeAtReady);
    await expectPlayableProxy(whole);
    // Where the cache is: by the clip's content, under the data folder's derived/.
    expect(whole).toBe(path.join(store.root, 'sha256', hevc.hash.slice(0, 2), hevc.hash, 'proxy', 'proxy.mp4'));
    // No temporary is left beside it.
    expect(fs.readdirSync(path.dirname(whole))).toEqual(['proxy.mp4']);

    // Asked again: the cached file, at once, no transcode.
    const again = proxies.proxyFor(hevc, { toDisk: true });
    expect(proxies.transcoding).toBe(0);
    expect(again.file).toBe(whole);
    await again.done;
    // Deleted (derived media is regenerable): made again.
    fs.rmSync(whole);
    const remade = proxies.proxyFor(hevc, { toDisk: true });
    expect(proxies.transcoding).toBe(1);
    await remade.done;
    await expectPlayableProxy(whole);
  }, 180_000);

  it('an MJPEG AVI clip plays from an H.264 proxy', async () => {
    const { store, proxies } = setup();
    const handle = proxies.proxyFor(mjpeg, { toDisk: true });
    await handle.done;
    await expectPlayableProxy(proxyFile(store, mjpeg));
  }, 180_000);

  it('a secret clip (toDisk: false) is proxied in memory only: its viewer gets the first bytes before ffmpeg ends, and nothing is written to disk', async () => {
    const { dataDir, proxies } = setup();
    const before = tree(dataDir);
    const handle = proxies.proxyFor(hevc, { toDisk: false });
    expect(handle.mode).toBe('memory');
    expect(handle.file).toBeNull();
    const reading = readAll(handle.open());
    await handle.ready;
    await reading.first;
    expect(await settledNow(handle.done)).toBe(false);
    // While it runs and after: the data folder as it was (no derived/ folder even).
    expect(tree(dataDir)).toEqual(before);
    await handle.done;
    const bytes = await reading.all;
    expect(tree(dataDir)).toEqual(before);
    expect(fs.existsSync(path.join(dataDir, 'derived'))).toBe(false);
    // What the viewer got is a playable proxy (written here by the test, to ask ffprobe).
    const check = path.join(tempDir('media-proxy-check-'), 'memory.mp4');
    fs.writeFileSync(check, bytes);
    await expectPlayableProxy(check);
  }, 180_000);

  it('viewers asking at once for the same clip share one ffmpeg and get the same bytes, on disk and in memory', async () => {
    const { proxies } = setup();
    for (const toDisk of [true, false]) {
      const a: ProxyHandle = proxies.proxyFor(mjpeg, { toDisk });
      const readA = readAll(a.open());
      const b: ProxyHandle = proxies.proxyFor(mjpeg, { toDisk });
      expect(proxies.transcoding).toBe(1);
      expect(b.done).toBe(a.done);
      const readB = readAll(b.open());
      await a.done;
      const [bytesA, bytesB] = await Promise.all([readA.all, readB.all]);
      expect(bytesA.length).toBeGreaterThan(0);
      expect(bytesB.equals(bytesA)).toBe(true);
      expect(proxies.transcoding).toBe(0);
    }
  }, 180_000);

  it('a file ffmpeg cannot read fails both promises with what ffmpeg said, and leaves no file behind', async () => {
    const { store, proxies } = setup();
    const broken = path.join(footage, 'broken.mp4');
    fs.writeFileSync(broken, Buffer.from('not a recording'));
    const clip: ProxyClip = { id: 3, vault_path: 'broken.mp4', hash_algorithm: 'sha256', hash: sha256(broken), duration_ms: null };
    const handle = proxies.proxyFor(clip, { toDisk: true });
    await expect(handle.ready).rejects.toThrow(/proxy of clip 3 failed/);
    await expect(handle.done).rejects.toThrow(/proxy of clip 3 failed/);
    expect(fs.readdirSync(path.dirname(proxyFile(store, clip)))).toEqual([]);
  }, 60_000);
});
