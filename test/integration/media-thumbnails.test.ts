// Posters and contact sheets (issue 20, "See"): made by real ffmpeg from key frames after each
// commit, from real H.264, HEVC and MJPEG (AVI) footage and photos docked through a real station;
// stored in the data folder's derived/ by the clip's content hash, never in the vault, made again
// when deleted; a clip that cannot be decoded gets a failure record, logged once, and blocks nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { DerivedStore } from '../../electron/core/media/derived.js';
import { ThumbnailQueue, type FailureRecord } from '../../electron/core/media/thumbnails.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify } from '../support/ingest.js';
import { BADGE, clipRows, expectVaultConsistent, SERIAL, stationWithCamera, vaultFiles, type FaultStation } from '../support/ingest-faults.js';
import { ManualClock } from '../../electron/core/clock.js';
import { createStation } from '../../electron/core/station.js';
import { ADMIN, Client, seededRandom, T0, tempDir } from '../support/station.js';
import { makeHevcClip, makeMjpegAvi, streamsOf } from './media-footage.js';

const cleanup = undoAfterEach();

/** A camera with the emulator's H.264 clips (and its damaged ones), a photo, a voice note, plus an HEVC MP4 and an MJPEG AVI. */
async function dockedStation(): Promise<{ t: FaultStation; clips: ClipRow[] }> {
  const t = await stationWithCamera({ thumbnails: true });
  cleanup(() => t.close());
  const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, seconds: 3 });
  const first = manifest.files.find((f) => f.role === 'clip')!;
  const dir = path.join(manifest.root, path.dirname(first.path));
  // Named as the camera names its recordings, later sequence numbers; stamped an hour before the dock.
  const named = (seq: number, ext: string) => path.join(dir, path.basename(first.path).replace(/_\d{4}(_IMP)?\.MP4$/i, `_${String(seq).padStart(4, '0')}.${ext}`));
  const hevc = named(91, 'MP4');
  const avi = named(92, 'AVI');
  await makeHevcClip(hevc, 4, '1280x720');
  await makeMjpegAvi(avi, 3, '640x480');
  for (const f of [hevc, avi]) fs.utimesSync(f, (T0 - 3_600_000) / 1000, (T0 - 3_600_000) / 1000);
  const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
  const summary = await docked.done!;
  // Damaged clips are stored as evidence all the same: the dock is done.
  expect(summary).toMatchObject({ state: 'done', failed: 0 });
  await t.station.media.thumbnails!.idle();
  return { t, clips: clipRows(t.station) };
}

/** Where the test expects a clip's derived file, computed here from the data folder and the hash alone. */
const expected = (t: FaultStation, clip: ClipRow, name: string) => path.join(t.dataDir, 'derived', clip.hash_algorithm, clip.hash.slice(0, 2), clip.hash, name);

async function expectJpeg(file: string, width: number, height?: number): Promise<void> {
  const [s] = await streamsOf(file);
  expect(s).toMatchObject({ codec_name: 'mjpeg', width });
  if (height !== undefined) expect(s!.height).toBe(height);
}

describe('thumbnails', () => {
  it('after a dock, every decodable video has a poster and a 4 × 3 contact sheet and every photo a poster, in derived/ by content hash, none in the vault', async () => {
    const { t, clips } = await dockedStation();
    const byExt = (re: RegExp) => clips.filter((c) => re.test(c.original_path) && c.damaged === 0);
    const hevc = byExt(/_0091\.MP4$/);
    const avi = byExt(/\.AVI$/);
    expect(hevc).toHaveLength(1);
    expect(avi).toHaveLength(1);
    expect(hevc[0]!.video_codec).toBe('hevc');
    expect(avi[0]!.video_codec).toBe('mjpeg');
    const videos = clips.filter((c) => c.kind === 'video' && c.damaged === 0);
    expect(videos.filter((c) => c.video_codec === 'h264').length).toBeGreaterThanOrEqual(2);
    for (const c of videos) {
      // Posters are 320 wide; the sheet's tiles too, 4 across, 3 down, each as tall as the poster.
      const [poster] = await streamsOf(expected(t, c, 'poster.jpg'));
      expect(poster).toMatchObject({ codec_name: 'mjpeg', width: 320 });
      await expectJpeg(expected(t, c, 'contact.jpg'), 4 * 320, 3 * poster!.height!);
      expect(poster!.height).toBe(Math.round((320 * c.height!) / c.width! / 2) * 2);
    }
    const photos = clips.filter((c) => c.kind === 'photo');
    expect(photos.length).toBeGreaterThan(0);
    for (const c of photos) {
      await expectJpeg(expected(t, c, 'poster.jpg'), 320);
      expect(fs.existsSync(expected(t, c, 'contact.jpg'))).toBe(false);
    }
    // Voice recordings have no pictures.
    for (const c of clips.filter((x) => x.kind === 'audio')) expect(fs.existsSync(path.dirname(expected(t, c, 'poster.jpg')))).toBe(false);

    // The vault holds the recordings, their sidecars and the station's own files, nothing derived.
    await expectVaultConsistent(t);
    const vaultBefore = vaultFiles(t.station.vault.root);
    expect(vaultBefore.filter((f) => /poster|contact|\.part-|proxy/.test(f))).toEqual([]);
    // Private: the derived folder and its files are the station account's alone.
    expect(fs.statSync(path.join(t.dataDir, 'derived')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(expected(t, videos[0]!, 'poster.jpg')).mode & 0o777).toBe(0o600);

    // Regenerable: deleted, made again on demand, at the same place, and the vault untouched.
    const c = hevc[0]!;
    fs.rmSync(expected(t, c, 'poster.jpg'));
    fs.rmSync(expected(t, c, 'contact.jpg'));
    expect(await t.station.media.thumbnails!.makeNow(c.id)).toBe('made');
    await expectJpeg(expected(t, c, 'poster.jpg'), 320, 180);
    await expectJpeg(expected(t, c, 'contact.jpg'), 1280, 540);
    expect(await t.station.media.thumbnails!.makeNow(c.id)).toBe('present');
    expect(vaultFiles(t.station.vault.root)).toEqual(vaultBefore);
  }, 240_000);

  it('a clip ffmpeg cannot decode gets a failure record, logged once, and nothing else waits for it', async () => {
    const { t, clips } = await dockedStation();
    const damaged = clips.filter((c) => c.kind === 'video' && c.damaged === 1);
    expect(damaged.length).toBeGreaterThan(0);
    for (const c of damaged) {
      expect(fs.existsSync(expected(t, c, 'poster.jpg'))).toBe(false);
      const record = JSON.parse(fs.readFileSync(expected(t, c, 'failed.json'), 'utf8')) as FailureRecord;
      expect(record).toMatchObject({ clipId: c.id, at: t.clock.now() });
      expect(record.reason).toMatch(/ffmpeg failed/);
    }
    // Another queue over the same station, told of the damaged clips again: the record stands,
    // no ffmpeg is run again and nothing more is logged.
    const logged: string[] = [];
    const queue = new ThumbnailQueue({
      db: t.station.db,
      store: new DerivedStore(t.dataDir, t.station.vault.root),
      absolute: (p) => t.station.vault.absolute(p),
      ffmpeg: 'ffmpeg',
      now: () => t.clock.now(),
      log: (m) => logged.push(m),
    });
    for (const c of damaged) fs.rmSync(expected(t, c, 'failed.json'));
    for (const c of damaged) queue.enqueue(c.id);
    await queue.idle();
    expect(logged).toHaveLength(damaged.length);
    expect(logged[0]).toMatch(/^no poster for clip \d+/);
    for (const c of damaged) queue.enqueue(c.id);
    await queue.idle();
    expect(logged).toHaveLength(damaged.length);
    await queue.close();

    // Closing stops the ffmpeg at work without a failure record: the clip is not at fault.
    const video = clips.find((c) => c.kind === 'video' && c.damaged === 0)!;
    fs.rmSync(expected(t, video, 'poster.jpg'));
    const closing = new ThumbnailQueue({
      db: t.station.db,
      store: new DerivedStore(t.dataDir, t.station.vault.root),
      absolute: (p) => t.station.vault.absolute(p),
      ffmpeg: 'ffmpeg',
      now: () => t.clock.now(),
      log: (m) => logged.push(m),
    });
    closing.enqueue(video.id);
    expect(closing.pending).toBe(1);
    await closing.close();
    expect(fs.existsSync(expected(t, video, 'failed.json'))).toBe(false);
    expect(fs.readdirSync(path.dirname(expected(t, video, 'poster.jpg'))).filter((f) => f.startsWith('.part-'))).toEqual([]);
    expect(logged).toHaveLength(damaged.length);
  }, 240_000);

  it('is off with `thumbnails: false`: a dock commits its clips and makes no derived/ folder', async () => {
    const dataDir = tempDir('media-off-');
    const station = createStation({ dataDir, thumbnails: false, vaultReserveBytes: 0, scryptCost: 1024, clock: new ManualClock(T0), random: seededRandom() }, { log: () => undefined });
    cleanup(() => station.close());
    expect(station.media.thumbnails).toBeNull();
    const ui = new Client(station.connect({ kind: 'ui' }));
    await ui.ok('station.setup', ADMIN);
    const officer = (await ui.ok('people.create', { badge: BADGE, name: '张执法', roles: ['officer'] })).person;
    await ui.ok('devices.register', { serial: SERIAL, model: 'DSJ-V8', keeperId: officer.id });
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, seconds: 2 });
    const summary = await (await station.ingest.dock(await identify(manifest.root, new ManualClock(T0)), 'usb-volume')).done!;
    expect(summary.committed).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dataDir, 'derived'))).toBe(false);
  }, 120_000);
});
