// The camera emulator, checked with the station's own profile functions and
// with real ffprobe: every file it writes must be what its manifest says, so
// the ingest tests and benchmarks built on it stand on facts. One card per
// file in profiles/, so a new model is checked by adding its file; what a
// model does not record (a kind without a template) is skipped for it, saying why.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  identifyVolume,
  loadProfileSet,
  parseClipName,
  readBinding,
  readCameraClock,
  readStatus,
  templateMarksImportant,
  templateOf,
  type CameraProfile,
} from '../../electron/core/docking/profile/index.js';
import { wallClockToIso, wallClockToUtc } from '../../electron/core/docking/wall-clock.js';
import { makeCamera, type CameraManifest } from '../fixtures/camera/camera.js';
import { mountFatImage, probeFatSupport, readFatLabel } from '../fixtures/camera/fat-image.js';
import { runTool, ToolError } from '../fixtures/camera/run-tool.js';

const NOW = Date.UTC(2024, 4, 1, 10, 0, 0); // 18:00 in Shanghai
const PROFILES = path.resolve('profiles');
/** Every profile shipped, by its file: the id the station gives it is the file's name. */
const PROFILE_IDS = readdirSync(PROFILES)
  .filter((n) => n.toLowerCase().endsWith('.json'))
  .map((n) => n.replace(/\.json$/i, ''))
  .sort();
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

/** Why the emulator makes no card for a model, or null: it records video clips, so a model without a video template has none. */
const noCard = (p: CameraProfile): string | null => (templateOf(p, 'video') ? null : `${p.id} has no video template: the emulator records video clips, so it makes no card for this model`);

/** The USB id a docked camera of the model would show, when the model is known by one. */
const usbOf = (p: CameraProfile) => p.recognise.usb[0] ?? null;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'camera-emulator-'));
  // Each file on its own: one that does not load fails its own tests, not every model's.
  profiles = (await loadProfileSet(PROFILES)).profiles;
  // One camera per shipped profile, made once and checked from several angles.
  for (const profile of profiles) {
    if (noCard(profile)) continue;
    cameras.set(
      profile.id,
      await makeCamera({ out: path.join(tmp, profile.id), profile: profile.id, serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 3, seconds: 2 }),
    );
  }
}, 600_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.each(PROFILE_IDS)('an emulated %s camera', (profileId) => {
  const profile = () => {
    const p = profiles.find((x) => x.id === profileId);
    if (!p) throw new Error(`profiles/${profileId}.json does not load (test/unit/camera-profile.test.ts says why)`);
    return p;
  };
  /** The card, or the test skipped with the reason the emulator makes none. */
  const camera = (ctx: { skip: (note: string) => never }) => {
    const why = noCard(profile());
    if (why) return ctx.skip(why);
    return cameras.get(profileId)!;
  };

  it('writes exactly the files in its manifest, with their sizes and hashes', async (ctx) => {
    const m = camera(ctx);
    expect(await listFiles(m.root)).toEqual(m.files.map((f) => f.path).sort());
    for (const f of m.files) {
      const bytes = await readFile(path.join(m.root, f.path));
      expect(bytes.length, f.path).toBe(f.size);
      expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
    }
  });

  it('has every awkward thing a shift leaves on a card', (ctx) => {
    const p = profile();
    const files = camera(ctx).files;
    const one = (pred: (f: CameraManifest['files'][number]) => boolean) => files.filter(pred);
    // 重点 only where the model's video names can say it.
    expect(one((f) => f.expectedName?.important === true)).toHaveLength(templateMarksImportant(p, 'video') && p.compiled.groups.has('important') ? 1 : 0);
    expect(one((f) => f.damage === 'truncated')).toHaveLength(1);
    expect(one((f) => f.damage === 'zero-length' && f.size === 0)).toHaveLength(1);
    expect(one((f) => f.role === 'stray' && f.kind === 'other' && f.expected === 'committed')).toHaveLength(1);
    expect(one((f) => f.role === 'clip' && f.expected === 'committed')).toHaveLength(3);
  });

  it.for(['audio', 'photo'] as const)('records its %s file as the model names it', (kind, ctx) => {
    const p = profile();
    const files = camera(ctx).files;
    if (!templateOf(p, kind)) {
      // The model records none: the card must not pretend it does.
      expect(files.filter((f) => f.role === kind)).toEqual([]);
      return ctx.skip(`${p.id} has no ${kind} template: its cameras record no ${kind}`);
    }
    const recorded = files.filter((f) => f.role === kind);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.kind).toBe(kind);
    const folder = templateOf(p, kind)!.folder;
    if (folder) expect(recorded[0]!.path.toLowerCase().startsWith(`${folder.toLowerCase()}/`), recorded[0]!.path).toBe(true);
  });

  it('nests clips in date folders and voice notes or photos in Chinese-named folders, where the model has no folder of its own', (ctx) => {
    const p = profile();
    const files = camera(ctx).files;
    if (p.footage.fileName.matchOn === 'path') return ctx.skip(`${p.id} reads names with their path below the footage folder: its templates lay the folders out`);
    if (templateOf(p, 'video')!.folder === null) expect(files.some((f) => f.role === 'clip' && f.path.split('/').length >= 3)).toBe(true);
    const chinese = (['audio', 'photo'] as const).some((k) => templateOf(p, k) && templateOf(p, k)!.folder === null);
    if (!chinese && templateOf(p, 'video')!.folder !== null) return ctx.skip(`${p.id} names a folder of its own for every kind it records`);
    if (chinese) expect(files.some((f) => /[\u4e00-\u9fff]/.test(path.posix.dirname(f.path)))).toBe(true);
  });

  it('names every footage file so the profile reads back kind, serial, badge, start, sequence and 重点', (ctx) => {
    const p = profile();
    const m = camera(ctx);
    for (const f of m.files) {
      const parsed = parseClipName(p, f.path);
      if (f.kind === null) {
        // A device file outside the footage folders: not footage.
        expect(parsed.footageFolder, f.path).toBeNull();
        continue;
      }
      expect(parsed.footageFolder, f.path).not.toBeNull();
      expect(parsed.kind, f.path).toBe(f.kind);
      const read = { serial: parsed.serial, badge: parsed.badge, start: parsed.start && wallClockToIso(parsed.start), seq: parsed.seq, important: parsed.important };
      if (!f.expectedName) {
        expect(parsed.matched, f.path).toBe(false);
        continue;
      }
      if (f.role === 'clip' || f.role === 'audio' || f.role === 'photo') expect(parsed.matched, f.path).toBe(true);
      expect(read, f.path).toEqual(f.expectedName);
    }
    if (p.compiled.groups.has('serial')) expect(m.files.find((f) => f.role === 'clip')!.expectedName!.serial).toBe('DSJ0012345');
  });

  it('writes clip times on the camera clock: consecutive, one gap, minutes off the real time', (ctx) => {
    const p = profile();
    const m = camera(ctx);
    if (!p.compiled.groups.has('start')) return ctx.skip(`${p.id}'s names carry no start time`);
    const clips = m.files.filter((f) => f.role === 'clip');
    const starts = clips.map((f) => wallClockToUtc(parseClipName(p, f.path).start!, m.timeZone));
    const steps = starts.slice(1).map((s, i) => (s - starts[i]!) / 1000);
    // 2-second clips back to back, except one gap of 9 minutes (and the minute before the zero-length one).
    expect(steps.filter((s) => s === 2)).toHaveLength(2);
    expect(steps).toContain(2 + 9 * 60);
    expect(m.gap).toMatchObject({ afterPath: clips[1]!.path, beforePath: clips[2]!.path, minutes: 9 });
    for (const [i, f] of clips.entries()) expect(starts[i]! - f.realStartUtcMs!).toBe(m.clock.offsetSeconds * 1000);
    expect(m.clock.offsetSeconds).toBe(-420);
  });

  it('reads back its binding, clock and status through the profile, or says the model keeps none', async (ctx) => {
    const p = profile();
    const m = camera(ctx);
    const binding = await readBinding(p, m.root);
    if (p.binding === 'none') expect(binding).toEqual({ status: 'unsupported' });
    else {
      expect(m.bindingFile).not.toBeNull();
      expect(binding).toMatchObject({ status: 'ok', values: m.bindingFile!.values, missing: m.bindingFile!.missing });
      // What the binding says is the camera the emulator was asked for, where the file carries it.
      if (binding.status === 'ok' && binding.values.deviceSerial) expect(binding.values.deviceSerial).toBe('DSJ0012345');
    }
    const clock = await readCameraClock(p, m.root);
    if (p.clock.read === 'none') expect(clock).toEqual({ status: 'unsupported' });
    else {
      expect(clock.status).toBe('ok');
      if (clock.status === 'ok') {
        expect(wallClockToIso(clock.wallClock)).toBe(m.clock.cameraNow);
        // The skew a station docking at NOW would measure: seven minutes slow.
        expect(wallClockToUtc(clock.wallClock, 'Asia/Shanghai') - NOW).toBe(-7 * 60_000);
      }
    }
    const status = await readStatus(p, m.root);
    if (p.status === 'none') expect(status).toEqual({ status: 'unsupported' });
    else {
      expect(status).toMatchObject({ status: 'ok', problems: [] });
      if (status.status === 'ok') {
        if (p.status.fields.batteryPercent) expect(status.batteryPercent).toBe(64);
        if (p.status.fields.freeSpace) expect(Math.abs(status.freeBytes! - m.status.freeBytes)).toBeLessThan(1024 * 1024 * 1024);
      }
    }
  });

  it('is identified as its own model among all shipped profiles, by its layout, label and USB id', async (ctx) => {
    const m = camera(ctx);
    const found = await identifyVolume({ root: m.root, label: m.label, usb: usbOf(profile()) }, profiles);
    expect(found.profile?.id, found.reasons.join('\n')).toBe(profileId);
  });

  it('makes real footage: good clips are H.264 + AAC, the truncated one has no moov, the rest probe as their kind', async (ctx) => {
    const m = camera(ctx);
    for (const f of m.files.filter((x) => x.role === 'clip' || x.role === 'audio' || x.role === 'photo')) {
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

/** A shipped model with a card, picked by what a test needs rather than by its id. */
function emulatedWith(feature: string, has: (p: CameraProfile) => boolean): CameraProfile {
  const found = profiles.find((p) => cameras.has(p.id) && has(p));
  if (!found) throw new Error(`no shipped camera profile with an emulated card has ${feature}; the test needs one`);
  return found;
}

describe('the emulator', () => {
  it('makes the same bytes for the same options (sizes and hashes are reproducible)', async () => {
    const p = emulatedWith('a card', () => true);
    const again = await makeCamera({ out: path.join(tmp, 'again'), profile: p.id, serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 3, seconds: 2 });
    const first = cameras.get(p.id)!;
    expect(again.files.map((f) => [f.path, f.size, f.sha256])).toEqual(first.files.map((f) => [f.path, f.size, f.sha256]));
  });

  it('grows clips to an exact size for benchmarks, still valid MP4 with the same streams', async () => {
    const p = emulatedWith('a card', () => true);
    const m = await makeCamera({ out: path.join(tmp, 'large'), profile: p.id, serial: 'S1234567', badge: 'B1', now: NOW, clips: 2, seconds: 1, clipBytes: 3 * 1024 * 1024 });
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
    const any = emulatedWith('a card', () => true);
    await expect(makeCamera({ out: cameras.get(any.id)!.root, profile: any.id, serial: 'X', badge: 'Y' })).rejects.toThrow(/not empty/);
    // A model whose file names carry the serial, between underscores: one with an underscore cannot be read back.
    const named = emulatedWith('names carrying the serial before an underscore', (p) => p.compiled.groups.has('serial') && /\{serial\}_/.test(templateOf(p, 'video')!.name));
    await expect(makeCamera({ out: path.join(tmp, 'bad-serial'), profile: named.id, serial: 'DSJ_12', badge: '1' })).rejects.toThrow(/cannot name this recording faithfully/);
    await expect(makeCamera({ out: path.join(tmp, 'nope'), serial: 'A', badge: 'B', profile: 'no-such' })).rejects.toThrow(`available: ${[...profiles.map((p) => p.id)].join(', ')}`);
  });
});

const fat = await probeFatSupport();
if (!fat.write || !fat.mount) {
  console.log(`[camera-emulator] FAT32 image test skipped: ${fat.reasons.join('; ')}`);
}

describe('a FAT32 image of the camera', () => {
  it.skipIf(!fat.write || !fat.mount)('holds the same volume, labelled as the model, readable through a fusefat mount', async () => {
    // A model with a label of its own, so the image's label is what identifies it.
    const p = emulatedWith('a typical volume label', (x) => x.recognise.volumeLabel?.typical !== undefined);
    const image = path.join(tmp, 'camera.img');
    const m = await makeCamera({ out: path.join(tmp, 'fat-source'), profile: p.id, serial: 'DSJ0012345', badge: '012345', now: NOW, clips: 2, seconds: 1, fatImage: image });
    const label = p.recognise.volumeLabel!.typical!;
    expect(m.fatImage).toMatchObject({ image, label, verifiedByMount: true });
    expect(await readFatLabel(image)).toBe(label);
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
      expect((await identifyVolume({ root, label: await readFatLabel(image), usb: usbOf(p) }, profiles)).profile?.id).toBe(p.id);
      if (p.binding !== 'none') expect(await readBinding(p, root)).toMatchObject({ status: 'ok', values: m.bindingFile!.values });
      for (const f of m.files.filter((x) => x.role === 'photo')) expect((await stat(path.join(root, f.path))).size).toBe(f.size);
    } finally {
      await mounted.unmount();
    }
  });
});
