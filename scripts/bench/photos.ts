// bench:ingest's small-file footage: a camera volume holding N real JPEG
// photos of 20–500 KiB, as a body-worn camera's photo button leaves them.
//
// The volume is the camera emulator's (test/fixtures/camera, profile
// gat947-generic): its binding, the clock it wrote at mount and its status,
// with the emulator's own few recordings taken out and the photos put in its
// photo folder under names the profile renders (and parses back as photos).
//
// The JPEGs are made by ffmpeg in a handful of calls: a ladder of "classes"
// (testsrc2 at a resolution, a JPEG quality and an amount of temporal noise,
// 15–480 KiB a frame here) is calibrated with one frame each; every photo gets
// a target size drawn by a seeded PRNG, uniform in 20–500 KiB, and the class
// that comes closest below it; each class is then encoded once with as many
// frames as photos it got (each frame differs: the pattern moves and the
// noise is temporal). Each photo is padded to its exact target with JPEG COM
// segments after SOI/APP0, so it stays a valid JPEG that ffprobe reads.
// Encoder flags are bitexact: the same seed and count give the same bytes
// with the same ffmpeg.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadProfiles, parseClipName, renderClipName } from '../../electron/core/docking/profile/index.js';
import { utcToWallClock } from '../../electron/core/docking/wall-clock.js';
import { DEFAULT_PROFILES_DIR, makeCamera } from '../../test/fixtures/camera/camera.js';
import { runTool } from '../../test/fixtures/camera/run-tool.js';
import { prng } from '../../test/support/prng.js';

const KiB = 1024;
export const PHOTO_MIN_BYTES = 20 * KiB;
export const PHOTO_MAX_BYTES = 500 * KiB;
/** Bump when the way photos are made changes, so --reuse makes them again. */
const RECIPE = 1;
const PROFILE = 'gat947-generic';

export interface Photo {
  /** Relative to the camera's root, `/`-separated, as the station records it. */
  path: string;
  size: number;
  sha256: string;
}

export interface PhotoCamera {
  recipe: number;
  count: number;
  seed: number;
  root: string;
  serial: string;
  badge: string;
  officerName: string;
  /** The real time the camera was "docked" when made: the station's clock is set to it (see bench-ingest.ts). */
  realNowUtcMs: number;
  photos: Photo[];
  totalBytes: number;
  /** Bytes of COM padding over all photos (the rest is image data). */
  paddingBytes: number;
  how: string;
}

/** One rung of the ladder: a test pattern at a resolution, a quality and an amount of noise. */
interface PhotoClass {
  width: number;
  height: number;
  q: number;
  noise: number;
}

// Measured with ffmpeg 5.1 (KiB a frame): 15, 19, 26, 33, 45, 56, 66, 83, 108, 129, 158, 199, 234, 295, 366, 412, 481.
const LADDER: PhotoClass[] = [
  { width: 640, height: 360, q: 5, noise: 0 },
  { width: 640, height: 360, q: 3, noise: 0 },
  { width: 640, height: 360, q: 3, noise: 8 },
  { width: 960, height: 540, q: 3, noise: 0 },
  { width: 640, height: 360, q: 2, noise: 8 },
  { width: 1280, height: 720, q: 3, noise: 0 },
  { width: 1280, height: 720, q: 2, noise: 0 },
  { width: 640, height: 360, q: 2, noise: 16 },
  { width: 640, height: 360, q: 2, noise: 24 },
  { width: 960, height: 540, q: 5, noise: 32 },
  { width: 1280, height: 720, q: 2, noise: 8 },
  { width: 1280, height: 720, q: 3, noise: 16 },
  { width: 960, height: 540, q: 2, noise: 24 },
  { width: 1280, height: 720, q: 3, noise: 24 },
  { width: 1280, height: 720, q: 3, noise: 32 },
  { width: 1280, height: 720, q: 2, noise: 24 },
  { width: 1280, height: 720, q: 2, noise: 32 },
];

/** Room left under a target for frame-to-frame variation within a class. */
const MARGIN = 1.04;

async function encodeClass(c: PhotoClass, index: number, frames: number, pattern: string): Promise<void> {
  await runTool(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
      // Each class starts at another point of the pattern, so no two classes open on the same picture.
      '-f', 'lavfi', '-i', `testsrc2=size=${c.width}x${c.height}:rate=25`,
      '-vf', c.noise > 0 ? `trim=start_frame=${index * 7},noise=alls=${c.noise}:allf=t+u:all_seed=${1000 + index}` : `trim=start_frame=${index * 7}`,
      '-frames:v', String(frames), '-q:v', String(c.q),
      '-fflags', '+bitexact', '-flags:v', '+bitexact',
      '-f', 'image2', '-c:v', 'mjpeg', pattern,
    ],
    { timeoutMs: 600_000 },
  );
}

/** Runs jobs with at most `limit` at once. */
async function inPool(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

/**
 * `jpeg` grown to exactly `size` bytes with COM (comment) segments right
 * after SOI and the JFIF APP0, if any: decoders skip them by their length.
 * A segment is 4 bytes of marker and length plus up to 65,533 of payload, so
 * `size` must be the JPEG's own size or at least 4 bytes more.
 */
export function padJpeg(jpeg: Buffer, size: number, next: () => number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG (no SOI)');
  let add = size - jpeg.length;
  if (add === 0) return jpeg;
  if (add < 4) throw new Error(`cannot pad a JPEG by ${add} bytes (a COM segment is at least 4)`);
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  const segments: Buffer[] = [];
  while (add > 0) {
    let take = Math.min(add, 65_537);
    if (add - take > 0 && add - take < 4) take -= 4;
    const seg = Buffer.allocUnsafe(take);
    seg[0] = 0xff;
    seg[1] = 0xfe;
    seg.writeUInt16BE(take - 2, 2);
    for (let i = 4; i < take; i++) seg[i] = (next() * 256) | 0;
    segments.push(seg);
    add -= take;
  }
  return Buffer.concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}

/**
 * The photo camera in `dir` (made, or with `reuse` the one already there when
 * it was made with the same count and seed).
 */
export async function makePhotoCamera(options: { dir: string; count: number; seed?: number; reuse: boolean; log?: (line: string) => void }): Promise<PhotoCamera> {
  const { dir, count } = options;
  const seed = options.seed ?? 17;
  const manifestFile = path.join(dir, 'photo-manifest.json');
  if (options.reuse && existsSync(manifestFile)) {
    const saved = JSON.parse(readFileSync(manifestFile, 'utf8')) as PhotoCamera;
    if (saved.recipe === RECIPE && saved.count === count && saved.seed === seed && saved.photos.every((p) => existsSync(path.join(saved.root, p.path)))) return saved;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const log = options.log ?? (() => {});

  // The camera: the emulator's volume, without its recordings.
  const root = path.join(dir, 'camera');
  const serial = 'BENCHPHOTO01';
  const badge = '100099';
  const officerName = '王拍照';
  const timeZone = 'Asia/Shanghai';
  const clockOffsetSeconds = -420;
  const realNow = Math.floor(Date.now() / 1000) * 1000;
  const made = await makeCamera({ out: root, serial, badge, officerName, clips: 2, seconds: 1, now: realNow, timeZone, clockOffsetSeconds, profile: PROFILE });
  const emulatorPhoto = made.files.find((f) => f.role === 'photo');
  if (!emulatorPhoto) throw new Error('the camera emulator made no photo: cannot tell where photos go');
  const photoFolder = path.posix.dirname(emulatorPhoto.path);
  for (const f of made.files) if (f.role !== 'device-file') await rm(path.join(root, f.path));
  const profile = (await loadProfiles(DEFAULT_PROFILES_DIR)).find((p) => p.id === PROFILE)!;

  // Sizes, and the class each is cut from.
  const random = prng(seed);
  const targets = Array.from({ length: count }, () => PHOTO_MIN_BYTES + Math.floor(random() * (PHOTO_MAX_BYTES - PHOTO_MIN_BYTES + 1)));
  const work = path.join(dir, 'frames');
  await mkdir(work, { recursive: true });
  const calibrated: number[] = [];
  await inPool(
    LADDER.map((c, i) => async () => {
      const pattern = path.join(work, `calibrate-${i}-%02d.jpg`);
      await encodeClass(c, i, 2, pattern);
      calibrated[i] = Math.max((await stat(pattern.replace('%02d', '01'))).size, (await stat(pattern.replace('%02d', '02'))).size);
    }),
    2,
  );
  if (calibrated[0]! * MARGIN > PHOTO_MIN_BYTES) throw new Error(`the smallest photo class makes ${calibrated[0]} bytes, more than ${PHOTO_MIN_BYTES}`);
  const classOf = targets.map((t) => {
    let best = 0;
    calibrated.forEach((size, i) => {
      if (size * MARGIN <= t && size > calibrated[best]!) best = i;
    });
    return best;
  });
  const perClass = LADDER.map((_, i) => classOf.filter((c) => c === i).length);
  const started = performance.now();
  await inPool(
    LADDER.flatMap((c, i) => (perClass[i]! > 0 ? [() => encodeClass(c, i, perClass[i]!, path.join(work, `class-${i}-%04d.jpg`))] : [])),
    2,
  );
  log(`${count} JPEGs encoded by ffmpeg in ${((performance.now() - started) / 1000).toFixed(1)} s (${perClass.filter((n) => n > 0).length} classes)`);

  // Named, padded and stamped as the camera would: one photo every 15 s, the last half an hour before the dock.
  const taken = new Array<number>(LADDER.length).fill(0);
  const photos: Photo[] = [];
  let paddingBytes = 0;
  let overTarget = 0;
  await mkdir(path.join(root, photoFolder), { recursive: true });
  for (let i = 0; i < count; i++) {
    const c = classOf[i]!;
    const frame = await readFile(path.join(work, `class-${c}-${String(++taken[c]!).padStart(4, '0')}.jpg`));
    let size = targets[i]!;
    if (frame.length > size) {
      size = frame.length; // a frame bigger than its class measured: kept whole
      overTarget++;
    } else if (size - frame.length < 4) size = frame.length + 4;
    const jpeg = padJpeg(frame, size, random);
    paddingBytes += jpeg.length - frame.length;
    const realStart = realNow - 30 * 60_000 - (count - i) * 15_000;
    const cameraMs = realStart + clockOffsetSeconds * 1000;
    const name = renderClipName(profile, 'photo', { serial, badge, start: utcToWallClock(cameraMs, timeZone), seq: i + 1, important: false });
    const rel = `${photoFolder}/${name}`;
    const parsed = parseClipName(profile, rel);
    if (!parsed.matched || parsed.kind !== 'photo' || parsed.seq !== i + 1) throw new Error(`profile ${PROFILE} does not read ${rel} back as photo ${i + 1}`);
    const file = path.join(root, rel);
    await writeFile(file, jpeg);
    await utimes(file, cameraMs / 1000, cameraMs / 1000);
    photos.push({ path: rel, size: jpeg.length, sha256: createHash('sha256').update(jpeg).digest('hex') });
  }
  await rm(work, { recursive: true, force: true });
  if (new Set(photos.map((p) => p.sha256)).size !== count) throw new Error('two photos have the same bytes');
  const totalBytes = photos.reduce((n, p) => n + p.size, 0);
  const sizes = photos.map((p) => p.size).sort((a, b) => a - b);
  const usedClasses = LADDER.filter((_, i) => perClass[i]! > 0);
  const resolutions = [...new Set(usedClasses.map((c) => `${c.width}×${c.height}`))].join(', ');
  const how =
    `${count} ffmpeg JPEGs (testsrc2 + temporal noise, ${resolutions}, -q:v ${Math.min(...usedClasses.map((c) => c.q))}–${Math.max(...usedClasses.map((c) => c.q))}), ` +
    `sizes uniform in 20–500 KiB by a seeded PRNG (seed ${seed}; ${(sizes[0]! / KiB).toFixed(0)}–${(sizes.at(-1)! / KiB).toFixed(0)} KiB, median ${(sizes[Math.floor(count / 2)]! / KiB).toFixed(0)} KiB), ` +
    `each padded to its size with JPEG COM segments (${((100 * paddingBytes) / totalBytes).toFixed(0)} % of the bytes${overTarget ? `; ${overTarget} kept whole above their target` : ''}), ` +
    `in ${photoFolder}/ of an emulated ${PROFILE} camera (test/fixtures/camera)`;
  const camera: PhotoCamera = { recipe: RECIPE, count, seed, root, serial, badge, officerName, realNowUtcMs: made.clock.realNowUtcMs, photos, totalBytes, paddingBytes, how };
  await writeFile(manifestFile, JSON.stringify(camera, null, 1));
  return camera;
}
