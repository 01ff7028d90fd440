// Camera profiles: every file in profiles/ is checked on its own (it loads, its examples read as
// they say, its templates write names its pattern reads back, its clock file, its markers pick it
// out among the others), so a new model is tested by adding its file. The mechanisms (validation,
// name reading, identification, the device-file readers) are tested on the shipped profile that
// has the feature each needs, found by that feature rather than by its id.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCameraText, parseStructured } from '../../electron/core/docking/camera-text.js';
import {
  clockSetFile,
  footageFolderOf,
  identifyVolume,
  loadProfiles,
  loadProfileSet,
  NAME_GROUPS,
  parseClipName,
  parseProfile,
  ProfileError,
  readBinding,
  readCameraClock,
  readProfileFile,
  readStatus,
  renderClipName,
  templateMarksImportant,
  templateOf,
  type BindingField,
  type CameraProfile,
  type ClipKind,
  type ClipNameValues,
} from '../../electron/core/docking/profile/index.js';
import { REGEX_MARKER } from '../../electron/core/docking/profile/regex-error.js';
import { compileTimeFormat, formatWallClock, parseWallClock, utcToWallClock, wallClockToIso, wallClockToUtc, type WallClock } from '../../electron/core/docking/wall-clock.js';
import { serializeStructured, type Entry } from '../fixtures/camera/device-files.js';
import { encodeGb18030 } from '../fixtures/camera/gb18030.js';

const PROFILES = path.resolve('profiles');
/** Every profile file shipped, read when the file is collected so each gets tests of its own. */
const PROFILE_FILES = readdirSync(PROFILES)
  .filter((n) => n.toLowerCase().endsWith('.json'))
  .sort();
const KINDS = ['video', 'audio', 'photo'] as const satisfies ReadonlyArray<Exclude<ClipKind, 'other'>>;
const START: WallClock = { year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0, millisecond: 0 };

let tmp: string;
/** The shipped profiles that load; a file that does not fails its own test below, not every test. */
let shipped: CameraProfile[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'camera-profile-'));
  shipped = (await loadProfileSet(PROFILES)).profiles;
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let dirCount = 0;
async function freshDir(): Promise<string> {
  const dir = path.join(tmp, `d${++dirCount}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * The shipped profile that has what a test needs, found by that feature rather than by its id, so
 * the test stays pointed at the feature when models are added or renamed. Fails naming the feature
 * when no shipped profile has it any more.
 */
function shippedWith(feature: string, has: (p: CameraProfile) => boolean): CameraProfile {
  const found = shipped.find(has);
  if (!found) throw new Error(`no shipped camera profile has ${feature}; the test needs one`);
  return found;
}

/** Keys of a binding field: a key, keys tried in order, or a position in a delimited record. */
const firstKey = (k: unknown): string | null => (typeof k === 'string' ? k : Array.isArray(k) && typeof k[0] === 'string' ? k[0] : null);

/**
 * The profile the bad-file tests alter: one with every section (an INI binding, a clock to read and
 * to set, a status file, all five name groups, a template per kind, names read from the file name).
 */
const everySection = (p: CameraProfile) =>
  p.binding !== 'none' &&
  p.binding.format === 'ini' &&
  Object.values(p.binding.fields).every((k) => k === undefined || firstKey(k) !== null) &&
  p.clock.read !== 'none' &&
  p.clock.set !== 'none' &&
  p.status !== 'none' &&
  NAME_GROUPS.every((g) => p.compiled.groups.has(g)) &&
  KINDS.every((k) => templateOf(p, k)?.folder === null) &&
  p.footage.fileName.matchOn === 'name' &&
  p.recognise.markers.every((m) => typeof m === 'string');

let base: CameraProfile;
// Raw JSON on purpose: these tests write what a careless author might, which no type allows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawProfile = any;
let baseJson: RawProfile;
beforeAll(async () => {
  base = shippedWith('every section (INI binding, clock read and set, status, all name groups, a template per kind)', everySection);
  baseJson = JSON.parse(await readFile(base.source, 'utf8'));
});

/** A copy of the base profile's JSON with one change, for bad-file tests. */
function variant(change: (p: RawProfile) => void): RawProfile {
  const copy = structuredClone(baseJson);
  change(copy);
  return copy;
}

function problemsOf(fn: () => unknown): Array<{ file: string; field: string; message: string }> {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return (err as ProfileError).problems;
  }
  throw new Error('expected a ProfileError');
}

async function writeFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** Serial, badge, start and sequence from the profile's own examples (they fit its pattern), else plausible ones. */
function sampleValues(p: CameraProfile): Omit<ClipNameValues, 'important'> {
  const values = { serial: 'DSJ0012345', badge: '012345', start: START, seq: 1 };
  for (const ex of p.footage.fileName.examples) {
    const parsed = parseClipName(p, `${p.footage.folders[0]}/${ex.name}`);
    if (!parsed.matched) continue;
    if (parsed.serial) values.serial = parsed.serial;
    if (parsed.badge) values.badge = parsed.badge;
    if (parsed.start) values.start = parsed.start;
    if (parsed.seq !== null) values.seq = parsed.seq;
    break;
  }
  return values;
}

/** Where a kind's file lies on the card: the template's own folder, else the first footage folder. */
const folderOf = (p: CameraProfile, kind: (typeof KINDS)[number]) => templateOf(p, kind)?.folder ?? p.footage.folders[0]!;

describe.each(PROFILE_FILES)('the shipped profile %s', (fileName) => {
  const file = path.join(PROFILES, fileName);
  const stem = fileName.replace(/\.json$/i, '');
  const profile = () => {
    const p = shipped.find((s) => s.source === file);
    if (!p) throw new Error(`${fileName} did not load: see the test "loads on its own"`);
    return p;
  };

  it('loads on its own, with its id its file name and only known groups in its pattern', async () => {
    const read = await readProfileFile(file);
    expect('problems' in read ? read.problems : []).toEqual([]);
    const p = profile();
    expect(p.id).toBe(stem);
    expect(p.name['zh-CN'].trim()).not.toBe('');
    expect(p.name.en.trim()).not.toBe('');
    for (const g of p.compiled.groups) expect(NAME_GROUPS).toContain(g);
  });

  it('reads each of its examples as the example says', () => {
    const p = profile();
    for (const ex of p.footage.fileName.examples) {
      const parsed = parseClipName(p, `${p.footage.folders[0]}/${ex.name}`);
      expect(parsed.matched, ex.name).toBe(true);
      expect(parsed.problems, ex.name).toEqual([]);
      const read = {
        kind: parsed.kind,
        serial: parsed.serial,
        badge: parsed.badge,
        start: parsed.start && wallClockToIso(parsed.start),
        seq: parsed.seq,
        important: parsed.important,
      };
      const stated = Object.fromEntries(Object.entries(read).filter(([k]) => (ex as Record<string, unknown>)[k] !== undefined));
      expect(stated, ex.name).toEqual(Object.fromEntries(Object.keys(stated).map((k) => [k, (ex as Record<string, unknown>)[k]])));
    }
  });

  it.for(KINDS)('writes %s names with its template that its pattern reads back', (kind, ctx) => {
    const p = profile();
    const template = templateOf(p, kind);
    if (!template) return ctx.skip(`${p.id} has no ${kind} template: its cameras record no ${kind}`);
    const values = sampleValues(p);
    const marks = templateMarksImportant(p, kind) && p.compiled.groups.has('important');
    for (const important of marks ? [false, true] : [false]) {
      const name = renderClipName(p, kind, { ...values, important });
      const parsed = parseClipName(p, `${folderOf(p, kind)}/${name}`);
      expect(parsed, name).toMatchObject({ matched: true, kind, important, problems: [] });
      if (template.name.includes('{seq')) expect(parsed.seq, name).toBe(values.seq);
      if (template.name.includes('{start}')) expect(parsed.start && wallClockToIso(parsed.start), name).toBe(wallClockToIso(values.start));
    }
  });

  it("writes the clock-setting file the camera reads, or says the model has none", () => {
    const p = profile();
    const set = clockSetFile(p, START);
    if (p.clock.set === 'none') {
      expect(set).toBeNull();
      return;
    }
    const time = formatWallClock(START, compileTimeFormat(p.clock.set.timeFormat));
    expect(set).toEqual({ path: p.clock.set.path, contents: `${p.clock.set.format === 'text' ? time : `${p.clock.set.key}=${time}`}${p.clock.set.lineEnding}` });
    // Never among the evidence: the station writes nothing beside the footage.
    expect(footageFolderOf(p, set!.path)).toBeNull();
  });

  it('is picked out among all shipped profiles by its own markers, label and USB id', async (ctx) => {
    const p = profile();
    const root = await freshDir();
    for (const m of p.recognise.markers) {
      if (typeof m === 'string') {
        if (m.endsWith('/')) await mkdir(path.join(root, m), { recursive: true });
        else await writeFiles(root, { [m]: '' });
        continue;
      }
      // A marker by file-name pattern: a name the camera itself writes into that folder.
      const fits = new RegExp(`^(?:${m.file})$`, 'iu');
      const name = KINDS.filter((k) => templateOf(p, k)).map((k) => renderClipName(p, k, { ...sampleValues(p), important: false }).split('/').at(-1)!).find((n) => fits.test(n));
      if (!name) return ctx.skip(`${p.id}: none of its templates writes a name its marker in ${m.in} accepts, so no card can be made from the profile alone`);
      await writeFiles(root, { [`${m.in}/${name}`]: '' });
    }
    const label = p.recognise.volumeLabel?.typical ?? null;
    const usb = p.recognise.usb[0] ?? null;
    const found = await identifyVolume({ root, label, usb }, shipped);
    expect(found.profile?.id, found.reasons.join('\n')).toBe(p.id);
  });
});

describe('loading profiles', () => {
  it('loads every file in profiles/, each as the profile its file names', () => {
    expect(shipped.map((p) => path.basename(p.source)).sort()).toEqual(PROFILE_FILES);
    for (const p of shipped) expect(p.source).toBe(path.join(PROFILES, `${p.id}.json`));
  });

  it('names file and field when a required field is missing', () => {
    const problems = problemsOf(() => parseProfile(variant((p) => delete p.name.en), 'x.json'));
    expect(problems).toEqual([{ file: 'x.json', field: 'name.en', message: expect.stringContaining('required field is missing') }]);
  });

  it('rejects a file-name pattern that is not a regular expression', () => {
    const problems = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.pattern = '(?<serial>[A-Z+_(')), 'bad.json'));
    expect(problems[0]).toMatchObject({ file: 'bad.json', field: 'footage.fileName.pattern', message: expect.stringContaining('invalid regular expression') });
  });

  it('rejects an unknown kind in the extension map, naming the extension', () => {
    const problems = problemsOf(() => parseProfile(variant((p) => (p.footage.extensions.mkv = 'movie')), 'k.json'));
    expect(problems).toEqual([{ file: 'k.json', field: 'footage.extensions.mkv', message: expect.stringMatching(/"movie" is not one of "video", "audio", "photo"/) }]);
    const keys = problemsOf(() => parseProfile(variant((p) => (p.footage.extensions = { MP4: 'video', '.jpg': 'photo' })), 'k.json'));
    expect(keys.map((p) => p.field)).toEqual(['footage.extensions.MP4', 'footage.extensions[".jpg"]']);
    expect(keys[0]!.message).toContain('lower case, without the dot');
  });

  it('rejects unknown named groups and unknown fields (typos)', () => {
    const problems = problemsOf(() =>
      parseProfile(
        variant((p) => {
          p.footage.fileName.pattern = p.footage.fileName.pattern.replace('?<serial>', '?<sn>');
          p.footage.foldres = ['X'];
        }),
        't.json',
      ),
    );
    expect(problems).toEqual([{ file: 't.json', field: 'footage.foldres', message: expect.stringContaining('unknown field') }]);
    const groupProblems = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.pattern = p.footage.fileName.pattern.replace('?<serial>', '?<sn>'))), 't.json'));
    expect(groupProblems[0]).toMatchObject({ field: 'footage.fileName.pattern', message: expect.stringContaining('unknown named group "sn"') });
  });

  it('checks the examples against the pattern, so a wrong pattern is caught at load', () => {
    const first = baseJson.footage.fileName.examples[0];
    const reads = parseClipName(base, `${base.footage.folders[0]}/${first.name}`).badge;
    const problems = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.examples[0].badge = `${reads}9`)), 'e.json'));
    expect(problems).toEqual([{ file: 'e.json', field: 'footage.fileName.examples[0].badge', message: expect.stringContaining(`the pattern reads ${JSON.stringify(reads)}`) }]);
    const unmatched = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.examples[0].name = 'MOVIE0001.MP4')), 'e.json'));
    expect(unmatched[0]).toMatchObject({ field: 'footage.fileName.examples[0]', message: expect.stringContaining('does not match the example') });
  });

  it('checks templates render names the pattern reads back', () => {
    const problems = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.templates.audio = 'NOT-A-CAMERA-NAME.WAV')), 'tpl.json'));
    expect(problems[0]).toMatchObject({ field: 'footage.fileName.templates.audio', message: expect.stringContaining('does not match') });
    // The video template's names for photos: read back as video.
    const wrongKind = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.templates.photo = templateOf(base, 'video')!.name)), 'tpl.json'));
    expect(wrongKind[0]).toMatchObject({ field: 'footage.fileName.templates.photo', message: expect.stringContaining('not mapped to photo') });
  });

  it('explains bad time formats, bad USB ids, paths leaving the volume and inconsistent sections', () => {
    const problems = problemsOf(() =>
      parseProfile(
        variant((p) => {
          p.recognise.usb = [{ vendorId: 'xyz', productId: '0x0010' }];
          p.binding.path = '../etc/passwd';
        }),
        'm.json',
      ),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['binding.path', 'recognise.usb[0].vendorId']);
    const time = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.startFormat = 'yyyyMMddTHHmmss')), 'f.json'));
    expect(time[0]).toMatchObject({ field: 'footage.fileName.startFormat', message: expect.stringContaining('quote literal letters') });
    const clock = problemsOf(() => parseProfile(variant((p) => (p.clock.read = { path: 'a.ini', format: 'ini', timeFormat: 'yyyy-MM-dd HH:mm:ss' })), 'c.json'));
    expect(clock).toEqual([{ file: 'c.json', field: 'clock.read.key', message: expect.stringContaining('needs a key') }]);
    // `"none"` or an object: the problem is told in the object the author evidently meant.
    const union = problemsOf(() => parseProfile(variant((p) => (p.binding.format = 'yaml')), 'u.json'));
    expect(union).toEqual([{ file: 'u.json', field: 'binding.format', message: expect.stringContaining('"yaml" is not one of') }]);
  });

  it('refuses a profile that could never be recognised', () => {
    const problems = problemsOf(() =>
      parseProfile(
        variant((p) => {
          p.recognise = { usb: [], markers: [] };
        }),
        'r.json',
      ),
    );
    expect(problems[0]).toMatchObject({ field: 'recognise', message: expect.stringContaining('never be recognised') });
  });

  it('strictly: validates every file in a folder and fails with all problems and file names', async () => {
    const dir = await freshDir();
    await writeFile(path.join(dir, `${base.id}.json`), JSON.stringify(baseJson));
    await writeFile(path.join(dir, 'broken.json'), '{ "id": "broken", ');
    await writeFile(path.join(dir, 'other-name.json'), JSON.stringify(variant((p) => (p.id = 'not-the-file-name'))));
    await writeFile(path.join(dir, 'kinds.json'), JSON.stringify(variant((p) => ((p.id = 'kinds'), (p.footage.extensions.mkv = 'film')))));
    await writeFile(path.join(dir, 'README.txt'), 'not a profile');
    const err = await loadProfiles(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProfileError);
    const problems = (err as ProfileError).problems;
    expect(problems.map((p) => [path.basename(p.file), p.field])).toEqual([
      ['broken.json', ''],
      ['kinds.json', 'footage.extensions.mkv'],
      ['other-name.json', 'id'],
    ]);
    expect((err as Error).message).toContain('broken.json: (file): 不是有效的 JSON / not valid JSON');
    expect((err as Error).message).toContain(`${path.join(dir, 'kinds.json')}: footage.extensions.mkv:`);
  });

  it('leniently: loads the good profile of a folder and reports the broken one by file, field and message', async () => {
    const dir = await freshDir();
    await writeFile(path.join(dir, `${base.id}.json`), JSON.stringify(baseJson));
    await writeFile(path.join(dir, 'typo.json'), JSON.stringify(variant((p) => ((p.id = 'typo'), (p.footage.foldres = p.footage.folders)))));
    await writeFile(path.join(dir, 'broken.json'), '{ "id": "broken", ');
    const set = await loadProfileSet(dir);
    expect(set.readable).toBe(true);
    expect(set.profiles.map((p) => p.id)).toEqual([base.id]);
    expect(set.files.map((f) => path.basename(f))).toEqual(['broken.json', `${base.id}.json`, 'typo.json']);
    expect(set.problems).toEqual([
      { file: path.join(dir, 'broken.json'), field: '', message: expect.stringMatching(/^不是有效的 JSON \/ not valid JSON: /) },
      { file: path.join(dir, 'typo.json'), field: 'footage.foldres', message: '不认识的字段（拼写错误？） / unknown field (a typo?)' },
    ]);
    // The good one works as it would alone.
    const name = renderClipName(set.profiles[0]!, 'video', { ...sampleValues(base), important: false });
    expect(parseClipName(set.profiles[0]!, `${base.footage.folders[0]}/${name}`).matched).toBe(true);
  });

  it('leniently: a bad regular expression is reported with the text around its position', async () => {
    const dir = await freshDir();
    await writeFile(path.join(dir, `${base.id}.json`), JSON.stringify(baseJson));
    const pattern = baseJson.footage.fileName.pattern.replace('(?<badge>', '(?<bad|ge>');
    expect(pattern).not.toBe(baseJson.footage.fileName.pattern);
    await writeFile(path.join(dir, 'regex.json'), JSON.stringify(variant((p) => ((p.id = 'regex'), (p.footage.fileName.pattern = pattern)))));
    const set = await loadProfileSet(dir);
    expect(set.profiles.map((p) => p.id)).toEqual([base.id]);
    const problem = set.problems.find((p) => p.field === 'footage.fileName.pattern');
    expect(problem, JSON.stringify(set.problems)).toMatchObject({ file: path.join(dir, 'regex.json') });
    // The place, as the JSON file spells the pattern (backslashes doubled), marked.
    expect(problem!.message).toContain(`(?<bad${REGEX_MARKER}|ge>`);
    expect(problem!.message).toMatch(/^正则表达式无效（第 \d+ 个字符处） \/ invalid regular expression \(at character \d+\): Invalid capture group name: "/);
    expect(problem!.message).toContain(JSON.stringify(pattern.slice(pattern.indexOf('|'), pattern.indexOf('|') + 10)).slice(1, -1));
  });

  it('accepts the complete example in docs/camera-profiles.md, so the documentation stays true', async () => {
    const doc = await readFile(path.resolve('docs/camera-profiles.md'), 'utf8');
    const example = /## A complete example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const acme = parseProfile(JSON.parse(example!), 'docs/camera-profiles.md');
    expect(parseClipName(acme, 'VIDEO/X1-012345-20240501-091500-00002-SOS.mp4')).toMatchObject({ badge: '012345', seq: 2, important: true, kind: 'video' });
    const root = await freshDir();
    const xml = /Its `CONFIG\/user.xml` would read:\s*```xml\n([\s\S]*?)```/.exec(doc)?.[1];
    await writeFiles(root, { 'CONFIG/user.xml': xml!, 'VIDEO/.keep': '' });
    expect(await readBinding(acme, root)).toMatchObject({ status: 'ok', values: { deviceSerial: 'X1A0001234', badge: '012345', name: '张伟', unitId: null }, missing: [] });
    expect((await identifyVolume({ root, usb: { vendorId: 0x2207, productId: 0x0010 } }, [...shipped, acme])).profile?.id).toBe('acme-x1');
  });

  it('fails clearly on a missing or empty folder, strictly; leniently says so as problems', async () => {
    await expect(loadProfiles(path.join(tmp, 'nope'))).rejects.toThrow(/cannot read the profile folder/);
    await expect(loadProfiles(await freshDir())).rejects.toThrow(/holds no camera profile/);
    const missing = await loadProfileSet(path.join(tmp, 'nope'));
    expect(missing).toMatchObject({ readable: false, profiles: [], files: [], problems: [{ file: path.join(tmp, 'nope'), field: '', message: expect.stringContaining('cannot read the profile folder') }] });
    expect(await loadProfileSet(await freshDir())).toMatchObject({ readable: true, profiles: [], problems: [], files: [] });
  });
});

describe('parseClipName', () => {
  it('reads serial, badge, start (as written, no zone), sequence and the important flag', () => {
    const values = { serial: 'DSJ0012345', badge: '012345', start: START, seq: 12, important: true };
    const name = renderClipName(base, 'video', values);
    const c = parseClipName(base, `${base.footage.folders[0]}/20240501/${name}`);
    expect(c).toMatchObject({ footageFolder: base.footage.folders[0], kind: 'video', matched: true, serial: 'DSJ0012345', badge: '012345', seq: 12, important: true, problems: [] });
    expect(c.start).toEqual(START);
    expect(c.startText).toBe(formatWallClock(START, base.compiled.startFormat!));
    expect(parseClipName(base, `${base.footage.folders[0]}/${renderClipName(base, 'video', { ...values, important: false })}`).important).toBe(false);
  });

  it('ignores case as FAT does, unless the profile says otherwise', () => {
    const p = shippedWith('case-insensitive names', (s) => !s.footage.fileName.caseSensitive && s.compiled.groups.has('important') && templateMarksImportant(s, 'video'));
    const rel = `${p.footage.folders[0]}/${renderClipName(p, 'video', { ...sampleValues(p), important: true })}`;
    const c = parseClipName(p, rel.toLowerCase());
    expect(c).toMatchObject({ footageFolder: p.footage.folders[0], matched: true, important: true, kind: 'video' });
    // Told otherwise, the same pattern reads only the case it was written in.
    const strict = parseProfile({ ...JSON.parse(readFileSync(p.source, 'utf8')), footage: { ...p.footage, fileName: { ...p.footage.fileName, caseSensitive: true } } }, 'strict.json');
    expect(parseClipName(strict, rel).matched).toBe(true);
    if (/[A-Z]/.test(rel.split('/').at(-1)!)) expect(parseClipName(strict, rel.toLowerCase()).matched).toBe(false);
  });

  it('reads flag-style important markers (a letter either way, such as I / N)', () => {
    const p = shippedWith('an important flag written both ways', (s) => (s.footage.fileName.important?.otherwise ?? '') !== '' && templateMarksImportant(s, 'video'));
    const name = (important: boolean) => `${folderOf(p, 'video')}/${renderClipName(p, 'video', { ...sampleValues(p), important })}`;
    expect(name(true)).not.toBe(name(false));
    expect(parseClipName(p, name(true))).toMatchObject({ matched: true, important: true });
    expect(parseClipName(p, name(false))).toMatchObject({ matched: true, important: false });
  });

  it('keeps every file: unknown names still get a kind, anything unmapped is other', () => {
    for (const p of shipped) {
      const folder = p.footage.folders[0]!;
      const video = Object.entries(p.footage.extensions).find(([, k]) => k === 'video')?.[0];
      if (video) expect(parseClipName(p, `${folder}/x/not a camera name.${video}`), p.id).toMatchObject({ matched: false, kind: 'video', start: null });
      expect(parseClipName(p, `${folder}/抓拍/notes.unmapped`), p.id).toMatchObject({ matched: false, kind: 'other', footageFolder: folder });
      expect(parseClipName(p, `${folder}/noextension`), p.id).toMatchObject({ kind: 'other', extension: '' });
      expect(parseClipName(p, 'NOT-FOOTAGE-FOLDER/DeviceInfo.ini'), p.id).toMatchObject({ footageFolder: null, kind: 'other' });
    }
  });

  it('reports an impossible start time instead of inventing one', () => {
    const p = shippedWith('a start with a month in its name', (s) => s.compiled.startFormat?.source.includes('MM') === true && templateOf(s, 'video') !== null);
    const values = sampleValues(p);
    const good = renderClipName(p, 'video', { ...values, important: false });
    const goodText = formatWallClock(values.start, p.compiled.startFormat!);
    const badText = formatWallClock({ ...values.start, month: 13 }, p.compiled.startFormat!);
    const c = parseClipName(p, `${folderOf(p, 'video')}/${good.replace(goodText, badText)}`);
    expect(c).toMatchObject({ matched: true, start: null, startText: badText });
    expect(c.problems[0]).toMatch(/month 13/);
  });

  it('refuses paths that leave the volume', () => {
    const p = shipped[0]!;
    const folder = p.footage.folders[0]!;
    expect(() => parseClipName(p, `../${folder}/a.MP4`)).toThrow(/without \. or \.\./);
    expect(() => parseClipName(p, `/${folder}/a.MP4`)).toThrow();
    expect(footageFolderOf(p, folder)).toBeNull(); // the folder itself is not a file in it
  });

  it('can match the path below the footage folder when the camera puts the date in folders', () => {
    const byPath = parseProfile(
      variant((p) => {
        p.footage.fileName = {
          pattern: '(?<start>\\d{8}/\\d{6})_(?<seq>\\d{3})\\.MP4',
          matchOn: 'path',
          startFormat: "yyyyMMdd'/'HHmmss",
          templates: { video: '{start}_{seq:3}.MP4' },
          examples: [{ name: '20240501/083000_001.MP4', start: '2024-05-01T08:30:00', seq: 1 }],
        };
      }),
      'path.json',
    );
    const folder = byPath.footage.folders[0]!;
    expect(parseClipName(byPath, `${folder}/20240501/083001_002.MP4`)).toMatchObject({ matched: true, seq: 2, start: { hour: 8, second: 1 } });
    expect(renderClipName(byPath, 'video', { serial: '', badge: '', start: parseWallClock('20240501/090000', byPath.compiled.startFormat!), seq: 7, important: false })).toBe('20240501/090000_007.MP4');
  });
});

/** A volume holding a profile's path markers (its plainest card), with `extra` files. */
async function markerVolume(p: CameraProfile, extra: Record<string, string | Buffer> = {}, spell = (s: string) => s): Promise<string> {
  const root = await freshDir();
  for (const m of p.recognise.markers) {
    if (typeof m !== 'string') continue;
    if (m.endsWith('/')) await mkdir(path.join(root, spell(m)), { recursive: true });
    else await writeFiles(root, { [spell(m)]: '' });
  }
  await writeFiles(root, extra);
  return root;
}

const pathMarkersOnly = (p: CameraProfile) => p.recognise.markers.length > 0 && p.recognise.markers.every((m) => typeof m === 'string');

describe('identifyVolume', () => {
  it('says why a profile matches: its label and each marker present', async () => {
    const p = shippedWith('a label pattern and path markers', (s) => s.recognise.volumeLabel?.typical !== undefined && pathMarkersOnly(s) && s.recognise.usb.length === 0);
    const found = await identifyVolume({ root: await markerVolume(p), label: p.recognise.volumeLabel!.typical! }, [p]);
    expect(found.profile?.id).toBe(p.id);
    const said = found.reasons.join('\n');
    expect(said).toContain(`label "${p.recognise.volumeLabel!.typical}" matches`);
    for (const m of p.recognise.markers) expect(said).toContain(`marker ${m as string} present`);
  });

  it('finds markers regardless of case, as FAT does', async () => {
    const p = shippedWith('a file marker', (s) => pathMarkersOnly(s) && s.recognise.usb.length === 0 && s.recognise.markers.some((m) => typeof m === 'string' && !m.endsWith('/') && /[a-z]/i.test(m)));
    const root = await markerVolume(p, {}, (m) => (/[A-Z]/.test(m) ? m.toLowerCase() : m.toUpperCase()));
    expect((await identifyVolume({ root }, [p])).profile?.id).toBe(p.id);
  });

  it('returns null with reasons for a plain USB stick', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'report.docx': 'x' });
    const found = await identifyVolume({ root, label: 'KINGSTON' }, shipped);
    expect(found.profile).toBeNull();
    expect(found.reasons[0]).toMatch(/no camera profile matches/);
    expect(found.verdicts.filter((v) => v.matched)).toEqual([]);
    const p = shippedWith('a folder marker', (s) => s.recognise.markers.some((m) => typeof m === 'string' && m.endsWith('/')));
    const marker = p.recognise.markers.find((m) => typeof m === 'string' && m.endsWith('/')) as string;
    const escaped = marker.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(found.verdicts.find((v) => v.profileId === p.id)!.reasons.join(' ')).toMatch(new RegExp(`${escaped} (不存在|is missing)|marker ${escaped} is missing`));
  });

  it('does not follow a symbolic link posing as a marker', async () => {
    const p = shippedWith('a folder marker', (s) => pathMarkersOnly(s) && s.recognise.markers.some((m) => typeof m === 'string' && m.endsWith('/') && !m.slice(0, -1).includes('/')));
    const marker = (p.recognise.markers as string[]).find((m) => m.endsWith('/') && !m.slice(0, -1).includes('/'))!;
    const root = await freshDir();
    const outside = await freshDir();
    // Everything the marker folder should hold, outside the volume, reached through a link.
    const inside = Object.fromEntries((p.recognise.markers as string[]).filter((m) => m.startsWith(marker) && m !== marker).map((m) => [m.slice(marker.length), '']));
    await writeFiles(outside, { ...inside, '.keep': '' });
    await symlink(outside, path.join(root, marker.slice(0, -1)));
    const found = await identifyVolume({ root }, [p]);
    expect(found.profile).toBeNull();
    expect(found.verdicts.find((v) => v.profileId === p.id)!.reasons.join(' ')).toMatch(/symbolic link/);
  });

  it('lets a USB id decide between models, and rejects a wrong one', async () => {
    const specific = parseProfile(
      variant((p) => {
        p.id = 'acme-x1';
        p.recognise.usb = [{ vendorId: '0x2207', productId: '0010' }];
      }),
      'acme-x1.json',
    );
    const root = await markerVolume(base);
    const profiles = [base, specific];
    expect((await identifyVolume({ root, usb: { vendorId: 0x2207, productId: 0x10 } }, profiles)).profile?.id).toBe('acme-x1');
    const other = await identifyVolume({ root, usb: { vendorId: '1234', productId: '5678' } }, profiles);
    expect(other.profile?.id).toBe(base.id);
    expect(other.verdicts.find((v) => v.profileId === 'acme-x1')).toMatchObject({ matched: false, reasons: expect.arrayContaining([expect.stringContaining('1234:5678 is not this model')]) });
  });

  it('refuses to guess between two profiles that match equally', async () => {
    const twin = parseProfile(variant((p) => (p.id = 'twin')), 'twin.json');
    const root = await markerVolume(base);
    const found = await identifyVolume({ root, label: base.recognise.volumeLabel?.typical ?? null }, [base, twin]);
    expect(found.profile).toBeNull();
    expect(found.reasons[0]).toMatch(new RegExp(`${base.id}, twin match equally`));
  });
});

/** A binding file for the profile with these values, in its format (keys from its own fields). */
function bindingFileOf(p: CameraProfile, values: Partial<Record<BindingField, string>>): { path: string; text: string } {
  if (p.binding === 'none' || p.binding.format === 'delimited') throw new Error(`${p.id}: no structured binding file`);
  const entries: Entry[] = [];
  for (const [field, key] of Object.entries(p.binding.fields) as Array<[BindingField, unknown]>) {
    const k = firstKey(key);
    const v = values[field];
    if (k && v !== undefined) entries.push([k, v]);
  }
  return { path: p.binding.path, text: serializeStructured(p.binding.format, entries) };
}

const declaredFields = (p: CameraProfile): BindingField[] =>
  p.binding === 'none' ? [] : (Object.entries(p.binding.fields) as Array<[BindingField, unknown]>).filter(([, k]) => firstKey(k) !== null).map(([f]) => f);

describe('reading the binding, clock and status', () => {
  const everyone = { deviceSerial: 'DSJ0012345', badge: '012345', name: '李娜', unitId: '110105', unitName: '示例市公安局' };

  it('reads a GBK-encoded INI binding (GA/T 947 style)', async () => {
    const p = shippedWith('an INI binding that may be GBK', (s) => s.binding !== 'none' && s.binding.format === 'ini' && s.binding.encoding !== 'utf-8' && declaredFields(s).includes('name'));
    const root = await freshDir();
    const f = bindingFileOf(p, everyone);
    await writeFiles(root, { [f.path]: encodeGb18030(f.text) });
    const expected = Object.fromEntries(declaredFields(p).map((k) => [k, everyone[k]]));
    expect(await readBinding(p, root)).toMatchObject({ status: 'ok', missing: [], values: expected });
  });

  it('says which binding keys are missing, and when the file is', async () => {
    const p = shippedWith('a binding of several fields', (s) => s.binding !== 'none' && s.binding.format !== 'delimited' && declaredFields(s).length >= 2 && declaredFields(s).includes('deviceSerial'));
    const root = await freshDir();
    const f = bindingFileOf(p, { deviceSerial: 'X1' });
    await writeFiles(root, { [f.path]: f.text });
    expect(await readBinding(p, root)).toMatchObject({ status: 'ok', values: { deviceSerial: 'X1', badge: null }, missing: declaredFields(p).filter((k) => k !== 'deviceSerial') });
    expect(await readBinding(p, await freshDir())).toMatchObject({ status: 'missing' });
    expect(await readBinding({ ...p, binding: 'none' }, root)).toEqual({ status: 'unsupported' });
  });

  it('reads JSON, XML and key=value bindings, and UTF-16 files with a BOM', async () => {
    const json = shippedWith('a JSON binding', (s) => s.binding !== 'none' && s.binding.format === 'json' && declaredFields(s).includes('badge'));
    const root = await freshDir();
    const f = bindingFileOf(json, { deviceSerial: 'BWC1', badge: '7', name: '王芳' });
    await writeFiles(root, { [f.path]: f.text });
    expect(await readBinding(json, root)).toMatchObject({ status: 'ok', values: { deviceSerial: 'BWC1', badge: '7' } });

    const xmlProfile = parseProfile(
      variant((p) => (p.binding = { path: 'dev.xml', format: 'xml', fields: { deviceSerial: 'Device/@sn', badge: 'Officer/Badge', name: 'Officer/Name' } })),
      'x.json',
    );
    await writeFiles(root, { 'dev.xml': '<?xml version="1.0"?><!-- c --><Info><Device sn="S&amp;1"/><Officer><Badge> 42 </Badge><Name><![CDATA[赵<强>]]></Name></Officer></Info>' });
    expect(await readBinding(xmlProfile, root)).toMatchObject({ status: 'ok', values: { deviceSerial: 'S&1', badge: '42', name: '赵<强>' } });

    const kv = parseProfile(variant((p) => (p.binding = { path: 'id.txt', format: 'keyValue', fields: { deviceSerial: 'SN', badge: '警号' } })), 'kv.json');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('SN = 0099\r\n警号：123456\r\n', 'utf16le')]);
    await writeFiles(root, { 'id.txt': utf16 });
    expect(await readBinding(kv, root)).toMatchObject({ status: 'ok', values: { deviceSerial: '0099', badge: '123456' } });
  });

  it('reports a binding file that is not what the profile says', async () => {
    const p = shippedWith('a UTF-8 JSON binding', (s) => s.binding !== 'none' && s.binding.format === 'json' && s.binding.encoding === 'utf-8');
    const at = (p.binding as Exclude<CameraProfile['binding'], 'none'>).path;
    const root = await freshDir();
    await writeFiles(root, { [at]: '{ not json' });
    expect(await readBinding(p, root)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('not valid JSON') });
    await writeFiles(root, { [at]: Buffer.from([0xd5, 0xc5, 0x22]) }); // GBK bytes where UTF-8 is declared
    expect(await readBinding(p, root)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('not valid UTF-8') });
  });

  it('reads the camera clock from a text file and from a structured file, and refuses an impossible time', async () => {
    const camera = { ...START, hour: 17, minute: 53, second: 7 };
    const text = shippedWith('a clock in a text file', (s) => s.clock.read !== 'none' && s.clock.read.format === 'text');
    const keyed = shippedWith('a clock under a key', (s) => s.clock.read !== 'none' && s.clock.read.format !== 'text' && s.clock.read.format !== 'ini');
    const root = await freshDir();
    const t = text.clock.read as Exclude<CameraProfile['clock']['read'], 'none'>;
    const k = keyed.clock.read as Exclude<CameraProfile['clock']['read'], 'none'>;
    const written = formatWallClock(camera, text.compiled.clockRead!);
    await writeFiles(root, {
      [t.path]: `${written}\r\n`,
      [k.path]: serializeStructured(k.format as 'keyValue' | 'json' | 'xml', [[k.key!, formatWallClock(camera, keyed.compiled.clockRead!)]]),
    });
    expect(await readCameraClock(text, root)).toMatchObject({ status: 'ok', text: written, wallClock: { year: 2024, hour: 17, minute: 53, second: 7 } });
    expect(await readCameraClock(keyed, root)).toMatchObject({ status: 'ok', wallClock: { hour: 17, minute: 53 } });
    await writeFiles(root, { [t.path]: formatWallClock({ ...camera, month: 2, day: 30 }, text.compiled.clockRead!) });
    expect(await readCameraClock(text, root)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('day 30') });
    expect(await readCameraClock({ ...text, clock: { read: 'none', set: 'none' } } as CameraProfile, root)).toEqual({ status: 'unsupported' });
  });

  it('reads battery and free space with units, and says what it could not read', async () => {
    const p = shippedWith('a status file with battery, free and total space', (s) => s.status !== 'none' && !!s.status.fields.batteryPercent && !!s.status.fields.freeSpace && !!s.status.fields.totalSpace);
    const s = p.status as Exclude<CameraProfile['status'], 'none'>;
    const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;
    const root = await freshDir();
    await writeFiles(root, { [s.path]: serializeStructured(s.format, [[s.fields.batteryPercent!, '87%'], [s.fields.freeSpace!.key, '1024MB'], [s.fields.totalSpace!.key, 30528]]) });
    expect(await readStatus(p, root)).toEqual({
      status: 'ok',
      path: path.join(root, s.path),
      batteryPercent: 87,
      freeBytes: 1024 * unit[s.fields.freeSpace!.unit],
      totalBytes: 30528 * unit[s.fields.totalSpace!.unit],
      problems: [],
    });
    await writeFiles(root, { [s.path]: serializeStructured(s.format, [[s.fields.batteryPercent!, 140], [s.fields.freeSpace!.key, 'x']]) });
    const odd = await readStatus(p, root);
    expect(odd).toMatchObject({ status: 'ok', batteryPercent: null, freeBytes: null, totalBytes: null });
    expect(odd.status === 'ok' && odd.problems.join(' ')).toMatch(new RegExp(`battery 140 is outside[\\s\\S]*not a number[\\s\\S]*${s.fields.totalSpace!.key.split('/').at(-1)} is missing`));
  });
});

describe('wall clock and camera text', () => {
  it('compiles formats and refuses unknown or repeated tokens', () => {
    expect(() => compileTimeFormat('yyyy-MM-dd HH:mm')).toThrow(/lacks ss/);
    expect(() => compileTimeFormat('yyyyMMddHHmmssZ')).toThrow(/unknown token "Z"/);
    expect(() => compileTimeFormat('yyyyMMddHHmmss yyyy')).toThrow(/appears twice/);
    const f = compileTimeFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
    const w = parseWallClock('2024-05-01T08:30:00.250', f);
    expect(formatWallClock(w, f)).toBe('2024-05-01T08:30:00.250');
    expect(wallClockToIso(w)).toBe('2024-05-01T08:30:00.250');
    expect(() => parseWallClock('2023-02-29T00:00:00.000', f)).toThrow(/day 29/);
  });

  it('converts a wall clock to UTC only when told the zone, including DST', () => {
    const w = parseWallClock('20240501083000', compileTimeFormat('yyyyMMddHHmmss'));
    expect(new Date(wallClockToUtc(w, 'Asia/Shanghai')).toISOString()).toBe('2024-05-01T00:30:00.000Z');
    expect(new Date(wallClockToUtc(w, 'America/New_York')).toISOString()).toBe('2024-05-01T12:30:00.000Z');
    expect(utcToWallClock(Date.UTC(2024, 0, 15, 17, 0, 0), 'America/New_York')).toMatchObject({ hour: 12 });
    const ms = Date.UTC(2024, 10, 3, 5, 30, 0); // 01:30 EDT, the first of two 01:30s in New York
    expect(wallClockToUtc(utcToWallClock(ms, 'America/New_York'), 'America/New_York')).toBe(ms);
  });

  it('decodes auto-encoded text as UTF-8 when valid, else GB18030', () => {
    expect(decodeCameraText(Buffer.from('警号=1', 'utf8'), 'auto')).toBe('警号=1');
    expect(decodeCameraText(encodeGb18030('警号=1'), 'auto')).toBe('警号=1');
    expect(decodeCameraText(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), 'gb18030')).toBe('A');
  });

  it('reads INI sections case-insensitively and keeps the first of duplicate keys', () => {
    const ini = parseStructured('; comment\nTop=1\n[User]\npoliceno = "012345"\nPoliceNo=999\n', 'ini');
    expect(ini('USER/PoliceNo')).toBe('012345');
    expect(ini('top')).toBe('1');
    expect(ini('User/Missing')).toBeUndefined();
  });

  it('refuses malformed XML and DTDs', () => {
    expect(() => parseStructured('<a><b></a>', 'xml')).toThrow(/not valid XML/);
    expect(() => parseStructured('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', 'xml')).toThrow(/DTDs are not accepted/);
    expect(() => parseStructured('<a/><b/>', 'xml')).toThrow(/second document element/);
  });
});
