// The camera emulator, checked with the station's own profile functions and
// with real ffprobe: every file it writes must be what its manifest says, so
// the ingest tests and benchmarks built on it stand on facts.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  identifyVolume,
  loadProfiles,
  parseClipName,
  readBinding,
  readCameraClock,
  readStatus,
  type CameraProfile,
} from '../../electron/core/docking/profile/index.js';
import { wallClockToIso, wallClockToUtc } from '../../electron/core/docking/wall-clock.js';
import { makeCamera, type CameraManifest } from '../fixtures/camera/camera.js';
import { mountFatImage, probeFatSupport, readFatLabel } from '../fixtures/camera/fat-image.js';
import { runTool, ToolError } from '../fixtures/camera/run-tool.js';

const NOW = Date.UTC(2024, 4, 1, 10, 0, 0); // 18:00 in Shanghai
let tmp: string;
let profiles: CameraProfile[];
const cameras = new Map<string, CameraManifest>();

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, r)));
    else out.push(r);
  }
  return out.sort();
}

interface Probe {
  streams: Array<{ codec_name: string; codec_type: string; width?: number; height?: number }>;
  format: { duration?: string };
}

async function ffprobe(file: string): Promise<Probe> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type,width,height:format=duration', '-of', 'json', file], { timeoutMs: 30_000 });
  return JSON.parse(stdout) as Probe;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'camera-emulator-'));
  profiles = await loadProfiles(path.resolve('profiles'));
  // One camera per shipped profile, made once and checked from several angles.
  for (const profile of profiles) {
    cameras.set(
      profile.id,
      await makeCamera({ out: path.join(tmp, profile.id), profile: profile.id, serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 3, seconds: 2 }),
    );
  }
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.each(['gat947-generic', 'dcim-generic'])('an emulated %s camera', (profileId) => {
  const camera = () => cameras.get(profileId)!;
  const profile = () => profiles.find((p) => p.id === profileId)!;

  it('writes exactly the files in its manifest, with their sizes and hashes', async () => {
    const m = camera();
    expect(await listFiles(m.root)).toEqual(m.files.map((f) => f.path).sort());
    for (const f of m.files) {
      const bytes = await readFile(path.join(m.root, f.path));
      expect(bytes.length, f.path).toBe(f.size);
      expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
    }
  });

  it('has every awkward thing a shift leaves on a card', () => {
    const files = camera().files;
    const one = (pred: (f: CameraManifest['files'][number]) => boolean) => files.filter(pred);
    expect(one((f) => f.expectedName?.important === true)).toHaveLength(1);
    expect(one((f) => f.damage === 'truncated')).toHaveLength(1);
    expect(one((f) => f.damage === 'zero-length' && f.size === 0)).toHaveLength(1);
    expect(one((f) => f.role === 'audio' && f.kind === 'audio')).toHaveLength(1);
    expect(one((f) => f.role === 'photo' && f.kind === 'photo')).toHaveLength(1);
    expect(one((f) => f.role === 'stray' && f.kind === 'other' && f.expected === 'committed')).toHaveLength(1);
    expect(files.some((f) => /[\u4e00-\u9fff]/.test(path.posix.dirname(f.path)))).toBe(true);
    expect(files.some((f) => f.role === 'clip' && f.path.split('/').length >= 3)).toBe(true);
    expect(one((f) => f.role === 'clip' && f.expected === 'committed')).toHaveLength(3);
  });

  it('names every footage file so the profile reads back kind, serial, badge, start, sequence and 重点', () => {
    const p = profile();
    for (const f of camera().files) {
      const parsed = parseClipName(p, f.path);
      if (f.role === 'device-file') {
        expect(parsed.footageFolder, f.path).toBeNull();
        continue;
      }
      expect(parsed.footageFolder, f.path).not.toBeNull();
      expect(parsed.kind, f.path).toBe(f.kind);
      if (!f.expectedName) {
        expect(parsed.matched, f.path).toBe(false);
        continue;
      }
      expect(parsed.matched, f.path).toBe(true);
      expect(
        { serial: parsed.serial, badge: parsed.badge, start: parsed.start && wallClockToIso(parsed.start), seq: parsed.seq, important: parsed.important },
        f.path,
      ).toEqual(f.expectedName);
    }
    if (p.compiled.groups.has('serial')) expect(camera().files.find((f) => f.role === 'clip')!.expectedName!.serial).toBe('DSJ0012345');
  });

  it('writes clip times on the camera clock: consecutive, one gap, minutes off the real time', () => {
    const m = camera();
    const clips = m.files.filter((f) => f.role === 'clip');
    const starts = clips.map((f) => wallClockToUtc(parseClipName(profile(), f.path).start!, m.timeZone));
    const steps = starts.slice(1).map((s, i) => (s - starts[i]!) / 1000);
    // 2-second clips back to back, except one gap of 9 minutes (and the minute before the zero-length one).
    expect(steps.filter((s) => s === 2)).toHaveLength(2);
    expect(steps).toContain(2 + 9 * 60);
    expect(m.gap).toMatchObject({ afterPath: clips[1]!.path, beforePath: clips[2]!.path, minutes: 9 });
    for (const [i, f] of clips.entries()) expect(starts[i]! - f.realStartUtcMs!).toBe(m.clock.offsetSeconds * 1000);
    expect(m.clock.offsetSeconds).toBe(-420);
  });

  it('reads back its binding, clock and status through the profile', async () => {
    const m = camera();
    const binding = await readBinding(profile(), m.root);
    expect(binding).toMatchObject({ status: 'ok', missing: [], values: { deviceSerial: 'DSJ0012345', badge: '012345', name: '张伟', unitName: m.binding.unitName } });
    const clock = await readCameraClock(profile(), m.root);
    expect(clock.status).toBe('ok');
    if (clock.status !== 'ok') return;
    expect(wallClockToIso(clock.wallClock)).toBe(m.clock.cameraNow);
    // The skew a station docking at NOW would measure: seven minutes slow.
    expect(wallClockToUtc(clock.wallClock, 'Asia/Shanghai') - NOW).toBe(-7 * 60_000);
    const status = await readStatus(profile(), m.root);
    expect(status).toMatchObject({ status: 'ok', batteryPercent: 64, problems: [] });
    if (status.status === 'ok') expect(Math.abs(status.freeBytes! - m.status.freeBytes)).toBeLessThan(1024 * 1024);
  });

  it('is identified as its own model by its layout and label', async () => {
    const m = camera();
    const found = await identifyVolume({ root: m.root, label: m.label }, profiles);
    expect(found.profile?.id).toBe(profileId);
  });

  it('makes real footage: good clips are H.264 + AAC, the truncated one has no moov, the rest probe as their kind', async () => {
    const m = camera();
    for (const f of m.files.filter((x) => x.kind === 'video' || x.kind === 'audio' || x.kind === 'photo')) {
      const file = path.join(m.root, f.path);
      if (f.damage) {
        const err = await ffprobe(file).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, f.path).toBeInstanceOf(ToolError);
        if (f.damage === 'truncated') expect((err as ToolError).stderr).toMatch(/moov atom not found/);
        continue;
      }
      const probe = await ffprobe(file);
      const codecs = probe.streams.map((s) => s.codec_name).sort();
      const expected = [f.streams?.video?.codec, f.streams?.audio?.codec].filter(Boolean).sort();
      expect(codecs, f.path).toEqual(expected);
      if (f.streams?.video) {
        expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
      }
      if (f.durationSeconds) expect(Number(probe.format.duration)).toBeCloseTo(f.durationSeconds, 1);
    }
    expect(m.files.filter((f) => f.role === 'clip' && !f.damage).every((f) => f.streams?.video?.codec === 'h264' && f.streams.audio?.codec === 'aac')).toBe(true);
  });
});

describe('the emulator', () => {
  it('makes the same bytes for the same options (sizes and hashes are reproducible)', async () => {
    const again = await makeCamera({ out: path.join(tmp, 'again'), serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 3, seconds: 2 });
    const first = cameras.get('gat947-generic')!;
    expect(again.files.map((f) => [f.path, f.size, f.sha256])).toEqual(first.files.map((f) => [f.path, f.size, f.sha256]));
  });

  it('grows clips to an exact size for benchmarks, still valid MP4 with the same streams', async () => {
    const m = await makeCamera({ out: path.join(tmp, 'large'), profile: 'dcim-generic', serial: 'S1', badge: 'B1', now: NOW, clips: 2, seconds: 1, clipBytes: 3 * 1024 * 1024 });
    const good = m.files.filter((f) => f.role === 'clip' && !f.damage);
    expect(good.map((f) => f.size)).toEqual([3 * 1024 * 1024, 3 * 1024 * 1024]);
    for (const f of good) {
      const probe = await ffprobe(path.join(m.root, f.path));
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(Number(probe.format.duration)).toBeCloseTo(1, 1);
    }
    expect(m.files.find((f) => f.damage === 'truncated')!.size).toBeLessThan(3 * 1024 * 1024);
  });

  it('refuses to write into a folder that is not empty, or a serial the names cannot carry', async () => {
    await expect(makeCamera({ out: cameras.get('gat947-generic')!.root, serial: 'X', badge: 'Y' })).rejects.toThrow(/not empty/);
    await expect(makeCamera({ out: path.join(tmp, 'bad-serial'), serial: 'DSJ_12', badge: '1' })).rejects.toThrow(/cannot name this recording faithfully/);
    await expect(makeCamera({ out: path.join(tmp, 'nope'), serial: 'A', badge: 'B', profile: 'no-such' })).rejects.toThrow(/available: dcim-generic, gat947-generic/);
  });
});

const fat = await probeFatSupport();
if (!fat.write || !fat.mount) {
  console.log(`[camera-emulator] FAT32 image test skipped: ${fat.reasons.join('; ')}`);
}

describe('a FAT32 image of the camera', () => {
  it.skipIf(!fat.write || !fat.mount)('holds the same volume, labelled as the model, readable through a fusefat mount', async () => {
    const image = path.join(tmp, 'camera.img');
    const m = await makeCamera({ out: path.join(tmp, 'fat-source'), serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 2, seconds: 1, fatImage: image });
    expect(m.fatImage).toMatchObject({ image, label: 'DSJ', verifiedByMount: true });
    expect(await readFatLabel(image)).toBe('DSJ');
    const mounted = await mountFatImage(image, path.join(tmp, 'mnt'));
    try {
      const root = mounted.mountpoint;
      // fusefat lists the volume-label entry as an empty root file and shows
      // lower-case 8.3 names in upper case (see fat-image.ts); FAT names are
      // case-insensitive, so compare them that way.
      const seen = (await listFiles(root)).filter((f) => f !== m.label).map((f) => f.toLowerCase());
      expect(seen.sort()).toEqual(m.files.map((f) => f.path.toLowerCase()).sort());
      for (const f of m.files) {
        const bytes = await readFile(path.join(root, f.path));
        expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
      }
      expect((await identifyVolume({ root, label: await readFatLabel(image) }, profiles)).profile?.id).toBe('gat947-generic');
      expect(await readBinding(profiles.find((p) => p.id === 'gat947-generic')!, root)).toMatchObject({ status: 'ok', values: { name: '张伟', badge: '012345' } });
      const photo = m.files.find((f) => f.role === 'photo')!;
      expect(photo.path).toMatch(/抓拍/);
      expect((await stat(path.join(root, photo.path))).size).toBe(photo.size);
    } finally {
      await mounted.unmount();
    }
  });
});
