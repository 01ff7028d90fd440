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
  parseClipName,
  parseProfile,
  ProfileError,
  readBinding,
  readCameraClock,
  readStatus,
  renderClipName,
  type CameraProfile,
} from '../../electron/core/docking/profile/index.js';
import { compileTimeFormat, formatWallClock, parseWallClock, utcToWallClock, wallClockToIso, wallClockToUtc } from '../../electron/core/docking/wall-clock.js';
import { encodeGb18030 } from '../fixtures/camera/gb18030.js';

const PROFILES = path.resolve('profiles');
let tmp: string;
let shipped: CameraProfile[];
let gat: CameraProfile;
let dcim: CameraProfile;
let gatJson: Record<string, unknown>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'camera-profile-'));
  shipped = await loadProfiles(PROFILES);
  gat = shipped.find((p) => p.id === 'gat947-generic')!;
  dcim = shipped.find((p) => p.id === 'dcim-generic')!;
  gatJson = JSON.parse(await readFile(path.join(PROFILES, 'gat947-generic.json'), 'utf8'));
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

/** A copy of the shipped GA/T 947 profile with one change, for bad-file tests. */
// Raw JSON on purpose: these tests write what a careless author might, which no type allows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawProfile = any;
function variant(change: (p: RawProfile) => void): RawProfile {
  const copy = structuredClone(gatJson);
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

describe('loading profiles', () => {
  it('loads every shipped profile, with patterns compiled', () => {
    expect(shipped.map((p) => p.id).sort()).toEqual(['dcim-generic', 'gat947-generic']);
    expect([...gat.compiled.groups].sort()).toEqual(['badge', 'important', 'seq', 'serial', 'start']);
    expect(gat.source).toBe(path.join(PROFILES, 'gat947-generic.json'));
    expect(gat.name['zh-CN']).toContain('执法记录仪');
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
    const problems = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.examples[0].badge = '999999')), 'e.json'));
    expect(problems).toEqual([{ file: 'e.json', field: 'footage.fileName.examples[0].badge', message: expect.stringContaining('the pattern reads "012345"') }]);
    const unmatched = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.examples[0].name = 'MOVIE0001.MP4')), 'e.json'));
    expect(unmatched[0]).toMatchObject({ field: 'footage.fileName.examples[0]', message: expect.stringContaining('does not match the example') });
  });

  it('checks templates render names the pattern reads back', () => {
    const problems = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.templates.audio = '{serial}-{badge}-{start}.WAV')), 'tpl.json'));
    expect(problems[0]).toMatchObject({ field: 'footage.fileName.templates.audio', message: expect.stringContaining('does not match') });
    const wrongKind = problemsOf(() => parseProfile(variant((p) => (p.footage.fileName.templates.photo = '{serial}_{badge}_{start}_{seq:4}{important}.MP4')), 'tpl.json'));
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
    const union = problemsOf(() => parseProfile(variant((p) => delete p.binding.fields.badge), 'u.json'));
    expect(union).toEqual([{ file: 'u.json', field: 'binding.fields.badge', message: expect.stringContaining('required field is missing') }]);
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

  it('validates every file in a folder and reports all problems with file names', async () => {
    const dir = await freshDir();
    await writeFile(path.join(dir, 'gat947-generic.json'), JSON.stringify(gatJson));
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

  it('fails clearly on a missing or empty folder', async () => {
    await expect(loadProfiles(path.join(tmp, 'nope'))).rejects.toThrow(/cannot read the profile folder/);
    await expect(loadProfiles(await freshDir())).rejects.toThrow(/holds no camera profile/);
  });
});

describe('parseClipName', () => {
  it('reads serial, badge, start (as written, no zone), sequence and the important flag', () => {
    const c = parseClipName(gat, 'RECORD/20240501/DSJ0012345_012345_20240501083000_0012_IMP.MP4');
    expect(c).toMatchObject({ footageFolder: 'RECORD', kind: 'video', matched: true, serial: 'DSJ0012345', badge: '012345', startText: '20240501083000', seq: 12, important: true, problems: [] });
    expect(c.start).toEqual({ year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0, millisecond: 0 });
    expect(parseClipName(gat, 'RECORD/DSJ0012345_012345_20240501083000_0013.mp4').important).toBe(false);
  });

  it('ignores case as FAT does, unless the profile says otherwise', () => {
    const c = parseClipName(gat, 'record/dsj0012345_012345_20240501083000_0001_imp.mp4');
    expect(c).toMatchObject({ footageFolder: 'RECORD', matched: true, important: true, kind: 'video' });
  });

  it('reads flag-style important markers (I / N)', () => {
    expect(parseClipName(dcim, 'DCIM/100/VID_20240501_083000_0001_I.mp4')).toMatchObject({ important: true, serial: null, badge: null, seq: 1 });
    expect(parseClipName(dcim, 'DCIM/100/VID_20240501_083000_0002_N.mp4').important).toBe(false);
  });

  it('keeps every file: unknown names still get a kind, anything unmapped is other', () => {
    expect(parseClipName(gat, 'RECORD/x/movie.mov')).toMatchObject({ matched: false, kind: 'video', serial: null, start: null });
    expect(parseClipName(gat, 'PHOTO/抓拍/notes.txt')).toMatchObject({ matched: false, kind: 'other', footageFolder: 'PHOTO' });
    expect(parseClipName(gat, 'RECORD/noextension')).toMatchObject({ kind: 'other', extension: '' });
    expect(parseClipName(gat, 'SYSTEM/DeviceInfo.ini')).toMatchObject({ footageFolder: null, kind: 'other' });
  });

  it('reports an impossible start time instead of inventing one', () => {
    const c = parseClipName(gat, 'RECORD/DSJ1_1_20241301083000_0001.MP4');
    expect(c).toMatchObject({ matched: true, start: null, startText: '20241301083000' });
    expect(c.problems[0]).toMatch(/month 13/);
  });

  it('refuses paths that leave the volume', () => {
    expect(() => parseClipName(gat, '../RECORD/a.MP4')).toThrow(/without \. or \.\./);
    expect(() => parseClipName(gat, '/RECORD/a.MP4')).toThrow();
    expect(footageFolderOf(gat, 'RECORD')).toBeNull(); // the folder itself is not a file in it
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
    expect(parseClipName(byPath, 'RECORD/20240501/083001_002.MP4')).toMatchObject({ matched: true, seq: 2, start: { hour: 8, second: 1 } });
    expect(renderClipName(byPath, 'video', { serial: '', badge: '', start: parseWallClock('20240501/090000', byPath.compiled.startFormat!), seq: 7, important: false })).toBe('20240501/090000_007.MP4');
  });

  it('renders names the way the camera writes them', () => {
    const start = { year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0, millisecond: 0 };
    expect(renderClipName(gat, 'video', { serial: 'SN9', badge: '1234', start, seq: 7, important: true })).toBe('SN9_1234_20240501083000_0007_IMP.MP4');
    expect(renderClipName(dcim, 'photo', { serial: 'x', badge: 'y', start, seq: 12, important: false })).toBe('IMG_20240501_083000_0012_N.jpg');
  });
});

describe('identifyVolume', () => {
  const gatVolume = { 'SYSTEM/DeviceInfo.ini': '[Device]\r\nProductSN=1\r\n', 'RECORD/a.MP4': '' };

  it('recognises each shipped layout by its markers, and says why', async () => {
    const root = await freshDir();
    await writeFiles(root, gatVolume);
    const found = await identifyVolume({ root, label: 'DSJ-A8' }, shipped);
    expect(found.profile?.id).toBe('gat947-generic');
    expect(found.reasons.join('\n')).toMatch(/label "DSJ-A8" matches[\s\S]*marker SYSTEM\/DeviceInfo\.ini present/);
    const dcimRoot = await freshDir();
    await writeFiles(dcimRoot, { 'DCIM/100/VID_20240501_083000_0001_N.mp4': '' });
    expect((await identifyVolume({ root: dcimRoot, label: null }, shipped)).profile?.id).toBe('dcim-generic');
  });

  it('finds markers regardless of case, as FAT does', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'system/deviceinfo.INI': '' });
    expect((await identifyVolume({ root }, shipped)).profile?.id).toBe('gat947-generic');
  });

  it('returns null with reasons for a plain USB stick', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'report.docx': 'x' });
    const found = await identifyVolume({ root, label: 'KINGSTON' }, shipped);
    expect(found.profile).toBeNull();
    expect(found.reasons[0]).toMatch(/no camera profile matches/);
    expect(found.verdicts.find((v) => v.profileId === 'gat947-generic')!.reasons.join(' ')).toMatch(/marker SYSTEM\/ is missing|SYSTEM\/ 不存在/);
  });

  it('does not follow a symbolic link posing as a marker', async () => {
    const root = await freshDir();
    const outside = await freshDir();
    await writeFiles(outside, { 'DeviceInfo.ini': '' });
    await symlink(outside, path.join(root, 'SYSTEM'));
    const found = await identifyVolume({ root }, shipped);
    expect(found.profile).toBeNull();
    expect(found.verdicts.find((v) => v.profileId === 'gat947-generic')!.reasons.join(' ')).toMatch(/symbolic link/);
  });

  it('lets a USB id decide between models, and rejects a wrong one', async () => {
    const specific = parseProfile(
      variant((p) => {
        p.id = 'acme-x1';
        p.recognise.usb = [{ vendorId: '0x2207', productId: '0010' }];
      }),
      'acme-x1.json',
    );
    const root = await freshDir();
    await writeFiles(root, gatVolume);
    const profiles = [...shipped, specific];
    expect((await identifyVolume({ root, usb: { vendorId: 0x2207, productId: 0x10 } }, profiles)).profile?.id).toBe('acme-x1');
    const other = await identifyVolume({ root, usb: { vendorId: '1234', productId: '5678' } }, profiles);
    expect(other.profile?.id).toBe('gat947-generic');
    expect(other.verdicts.find((v) => v.profileId === 'acme-x1')).toMatchObject({ matched: false, reasons: expect.arrayContaining([expect.stringContaining('1234:5678 is not this model')]) });
  });

  it('refuses to guess between two profiles that match equally', async () => {
    const twin = parseProfile(variant((p) => (p.id = 'twin')), 'twin.json');
    const root = await freshDir();
    await writeFiles(root, gatVolume);
    const found = await identifyVolume({ root, label: 'DSJ' }, [gat, twin]);
    expect(found.profile).toBeNull();
    expect(found.reasons[0]).toMatch(/gat947-generic, twin match equally/);
  });
});

describe('reading the binding, clock and status', () => {
  it('reads a GBK-encoded INI binding (GA/T 947 style)', async () => {
    const root = await freshDir();
    const ini = '[Device]\r\nProductSN=DSJ0012345\r\n\r\n[User]\r\nPoliceNo=012345\r\nPoliceName=李娜\r\nUnitNo=110105\r\nUnitName=示例市公安局\r\n';
    await writeFiles(root, { 'SYSTEM/DeviceInfo.ini': encodeGb18030(ini) });
    const b = await readBinding(gat, root);
    expect(b).toMatchObject({ status: 'ok', missing: [], values: { deviceSerial: 'DSJ0012345', badge: '012345', name: '李娜', unitId: '110105', unitName: '示例市公安局' } });
  });

  it('says which binding keys are missing, and when the file is', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'SYSTEM/DeviceInfo.ini': '[Device]\nProductSN=X1\n[User]\nPoliceNo=\n' });
    expect(await readBinding(gat, root)).toMatchObject({ status: 'ok', values: { deviceSerial: 'X1', badge: null }, missing: ['badge', 'name', 'unitId', 'unitName'] });
    expect(await readBinding(gat, await freshDir())).toMatchObject({ status: 'missing' });
    expect(await readBinding({ ...gat, binding: 'none' }, root)).toEqual({ status: 'unsupported' });
  });

  it('reads JSON, XML and key=value bindings, and UTF-16 files with a BOM', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'MISC/device.json': JSON.stringify({ device: { serial: 'BWC1' }, officer: { badge: '7', name: '王芳' } }) });
    expect(await readBinding(dcim, root)).toMatchObject({ status: 'ok', values: { deviceSerial: 'BWC1', badge: '7', name: '王芳', unitId: null } });

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
    const root = await freshDir();
    await writeFiles(root, { 'MISC/device.json': '{ not json' });
    expect(await readBinding(dcim, root)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('not valid JSON') });
    await writeFiles(root, { 'MISC/device.json': Buffer.from([0xd5, 0xc5, 0x22]) }); // GBK bytes where UTF-8 is declared
    expect(await readBinding(dcim, root)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('not valid UTF-8') });
  });

  it('reads the camera clock from a text file and from a JSON key', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'SYSTEM/DeviceTime.txt': '2024-05-01 17:53:07\r\n', 'MISC/status.json': '{"clock":"2024-05-01T17:53:00","battery":"87%","freeKiB":1024,"totalKiB":2048}' });
    expect(await readCameraClock(gat, root)).toMatchObject({ status: 'ok', text: '2024-05-01 17:53:07', wallClock: { year: 2024, hour: 17, minute: 53, second: 7 } });
    expect(await readCameraClock(dcim, root)).toMatchObject({ status: 'ok', wallClock: { minute: 53, second: 0 } });
    await writeFiles(root, { 'SYSTEM/DeviceTime.txt': '2024-02-30 10:00:00' });
    expect(await readCameraClock(gat, root)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('day 30') });
    expect(await readCameraClock({ ...gat, clock: { read: 'none', set: 'none' } } as CameraProfile, root)).toEqual({ status: 'unsupported' });
  });

  it('writes the clock-setting file the model expects, or says it cannot', () => {
    const w = { year: 2024, month: 5, day: 1, hour: 8, minute: 5, second: 9, millisecond: 0 };
    expect(clockSetFile(gat, w)).toEqual({ path: 'time.txt', contents: '2024-05-01 08:05:09\r\n' });
    expect(clockSetFile(dcim, w)).toBeNull();
  });

  it('reads battery and free space with units', async () => {
    const root = await freshDir();
    await writeFiles(root, { 'SYSTEM/Status.ini': '[Status]\nBattery=87%\nFreeSpaceMB=1024MB\nTotalSpaceMB=30528\n', 'MISC/status.json': '{"battery":140,"freeKiB":"x"}' });
    expect(await readStatus(gat, root)).toEqual({ status: 'ok', path: path.join(root, 'SYSTEM/Status.ini'), batteryPercent: 87, freeBytes: 1024 ** 3, totalBytes: 30528 * 1024 ** 2, problems: [] });
    const odd = await readStatus(dcim, root);
    expect(odd).toMatchObject({ status: 'ok', batteryPercent: null, freeBytes: null, totalBytes: null });
    expect(odd.status === 'ok' && odd.problems.join(' ')).toMatch(/battery 140 is outside[\s\S]*not a number[\s\S]*totalKiB is missing/);
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
