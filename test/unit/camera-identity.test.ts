// Who a docked camera is, and which profile reads it: the identity sources in
// order of trust and their disagreements, the binding readers real cards need
// (a delimited record, INI with alternative sections and a vendor's
// fallback), and identification's new evidence (markers that must be absent,
// files named as the model names them, a label that contradicts the model,
// the most specific profile among equal scores, a tie said as one).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  identifyVolume,
  labelIdentity,
  namesIdentity,
  parseClipName,
  parseProfile,
  ProfileError,
  readBinding,
  resolveIdentity,
  serialSearchText,
  type CameraProfile,
} from '../../electron/core/docking/profile/index.js';
import { encodeGb18030 } from '../fixtures/camera/gb18030.js';

const PROFILES = path.resolve('profiles');
let tmp: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON, edited as an author would
type Raw = any;
const raw: Record<string, Raw> = {};
const loaded: Record<string, CameraProfile> = {};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'camera-identity-'));
  for (const id of ['gat947-generic', 'dcim-generic', 'zfy-param-ini', 'media-info-dat', 'serial-folder', 'dcam-names']) {
    raw[id] = JSON.parse(await readFile(path.join(PROFILES, `${id}.json`), 'utf8'));
    loaded[id] = parseProfile(raw[id], `${id}.json`);
  }
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let n = 0;
/** A volume folder with the given files (path → content; a path ending in / is a folder). */
async function volume(files: Record<string, string | Buffer>): Promise<string> {
  const root = path.join(tmp, `v${++n}`);
  await mkdir(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    if (rel.endsWith('/')) await mkdir(p, { recursive: true });
    else {
      await mkdir(path.dirname(p), { recursive: true });
      await writeFile(p, content);
    }
  }
  return root;
}

function problems(json: Raw): string[] {
  try {
    parseProfile(json, 'x.json');
  } catch (err) {
    if (err instanceof ProfileError) return err.problems.map((p) => `${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('the identity sources', () => {
  it('take each item from the most trusted source that gives it, and report every disagreement', () => {
    const r = resolveIdentity([
      { source: 'name', values: { deviceSerial: 'ZF0001', badge: '012345' } },
      { source: 'binding', values: { deviceSerial: 'ZF0002', badge: '012345', name: '张伟' } },
      { source: 'folder', values: { deviceSerial: 'zf0002' } },
    ]);
    expect(r.values).toEqual({ deviceSerial: 'ZF0002', badge: '012345', name: '张伟', unitId: null, unitName: null });
    expect(r.from).toEqual({ deviceSerial: 'binding', badge: 'binding', name: 'binding' });
    // The folder's "zf0002" is the binding's serial (compared ignoring case, as FAT names are); the names' is not.
    expect(r.disagreements).toEqual([
      {
        field: 'deviceSerial',
        said: [
          { source: 'binding', value: 'ZF0002' },
          { source: 'folder', value: 'zf0002' },
          { source: 'name', value: 'ZF0001' },
        ],
      },
    ]);
  });

  it('trust the vendor library above the binding file', () => {
    const r = resolveIdentity([
      { source: 'binding', values: { deviceSerial: 'B1', badge: '000002' } },
      { source: 'vendor', values: { deviceSerial: 'V1', badge: '000002' } },
    ]);
    expect(r.values.deviceSerial).toBe('V1');
    expect(r.from.deviceSerial).toBe('vendor');
    expect(r.disagreements.map((d) => d.field)).toEqual(['deviceSerial']);
  });

  it('read a serial from the volume label when the profile says how', () => {
    const p = parseProfile({ ...structuredClone(raw['dcim-generic']), identity: { volumeLabel: { pattern: 'BWC(?<serial>\\d{7})' } } }, 'x.json');
    expect(labelIdentity(p, 'BWC1234567')).toEqual({ deviceSerial: '1234567', badge: null });
    expect(labelIdentity(p, 'BODYCAM')).toBeNull();
    expect(labelIdentity(loaded['dcim-generic']!, 'BWC1234567')).toBeNull();
  });

  it('read the serial most names carry, and from a folder named by the serial', async () => {
    const dcam = loaded['dcam-names']!;
    const root = await volume({
      'DCIM/DCAM_ZF2024001_012345_20240501_083000.MP4': 'a',
      'DCIM/DCAM_ZF2024001_012345_20240501_090000_IMP.MP4': 'b',
      'DCIM/DCAM_ZF9999999_054321_20240501_100000.MP4': 'c',
      'DCIM/notes.txt': 'd',
    });
    expect(await namesIdentity(dcam, root)).toEqual({ folder: null, name: { deviceSerial: 'ZF2024001', badge: '012345' } });
    const sf = loaded['serial-folder']!;
    const root2 = await volume({ 'VIDEO/SN20240077/20240501083000_0001.MP4': 'a', 'AUDIO/SN20240077/20240501090000_0002.WAV': 'b' });
    expect(await namesIdentity(sf, root2)).toEqual({ folder: { deviceSerial: 'SN20240077', badge: null }, name: null });
    expect(parseClipName(sf, 'VIDEO/SN20240077/20240501083000_0001.MP4')).toMatchObject({ serial: 'SN20240077', identityFrom: 'folder', seq: 1 });
    // A date folder is not a serial.
    expect(parseClipName(sf, 'VIDEO/20240501/20240501083000_0001.MP4')).toMatchObject({ serial: null, identityFrom: null });
  });

  it('say, when no source gives a serial, where the profile looked', () => {
    const lines = serialSearchText(loaded['zfy-param-ini']!, { vendor: null, binding: { status: 'missing', path: '/x/PARAM.INI' }, label: 'NO NAME' });
    expect(lines.join('\n')).toMatch(/PARAM\.INI.*missing/);
  });
});

describe('the binding readers', () => {
  it('read a delimited record by position (Info.dat: devNo;x;polNo;name), in GBK', async () => {
    const root = await volume({ 'DCIM/100MEDIA/Info.dat': encodeGb18030('ZF0012345;0;012345;张伟\r\n') });
    expect(await readBinding(loaded['media-info-dat']!, root)).toMatchObject({
      status: 'ok',
      values: { deviceSerial: 'ZF0012345', badge: '012345', name: '张伟', unitId: null, unitName: null },
      missing: [],
    });
  });

  it('read INI alternatives in order: [ZFY] or [ZHY], and PolNo falling back to DevNo', async () => {
    const p = loaded['zfy-param-ini']!;
    const zfy = await volume({ 'PARAM.INI': '[ZFY]\r\nDevNo=1234567\r\nPolNo=012345\r\nUserName=李娜\r\nCorpName=示例市公安局\r\n' });
    expect(await readBinding(p, zfy)).toMatchObject({ status: 'ok', values: { deviceSerial: '1234567', badge: '012345', name: '李娜', unitName: '示例市公安局' } });
    const zhy = await volume({ 'param.ini': encodeGb18030('[ZHY]\r\nDevNo=7654321\r\nUserName=王强\r\n') });
    expect(await readBinding(p, zhy)).toMatchObject({ status: 'ok', values: { deviceSerial: '7654321', badge: '7654321', name: '王强', unitName: null }, missing: ['unitName'] });
  });

  it('refuse a profile whose fields do not suit its format', () => {
    const delimitedWithKeys = { ...structuredClone(raw['media-info-dat']), binding: { path: 'DCIM/100MEDIA/Info.dat', format: 'delimited', fields: { deviceSerial: 'DevNo' } } };
    expect(problems(delimitedWithKeys)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^binding\.separator: /), expect.stringMatching(/^binding\.fields\.deviceSerial: .*position/)]),
    );
    const iniWithPosition = structuredClone(raw['zfy-param-ini']);
    iniWithPosition.binding.fields.deviceSerial = 1;
    expect(problems(iniWithPosition)).toEqual([expect.stringMatching(/^binding\.fields\.deviceSerial: .*not a position/)]);
    const nothing = structuredClone(raw['zfy-param-ini']);
    nothing.binding.fields = { name: 'ZFY/UserName' };
    expect(problems(nothing)).toEqual([expect.stringMatching(/^binding\.fields: .*deviceSerial or badge/)]);
  });
});

describe('identification', () => {
  it('rejects a profile whose "absent" marker is there, and prefers the profile that explains more of the card', async () => {
    // A DCAM card: DCIM/ alone fits the generic profile too, the DCAM names only dcam-names.
    const root = await volume({ 'DCIM/DCAM_ZF2024001_012345_20240501_083000.MP4': 'a' });
    const profiles = [loaded['dcim-generic']!, loaded['dcam-names']!];
    const id = await identifyVolume({ root, label: null }, profiles);
    expect(id.profile?.id).toBe('dcam-names');
    expect(id.verdicts.find((v) => v.profileId === 'dcim-generic')).toMatchObject({ matched: true, score: 5 });
    expect(id.verdicts.find((v) => v.profileId === 'dcam-names')).toMatchObject({ matched: true, score: 17 });
    // The same card with the generic model's MISC/ folder is no DCAM camera.
    const misc = await volume({ 'DCIM/DCAM_ZF2024001_012345_20240501_083000.MP4': 'a', 'MISC/': '' });
    const id2 = await identifyVolume({ root: misc, label: null }, profiles);
    expect(id2.profile?.id).toBe('dcim-generic');
    expect(id2.verdicts.find((v) => v.profileId === 'dcam-names')!.reasons.join()).toMatch(/MISC\/ is present/);
  });

  it('lowers the score of a profile whose label the volume contradicts, without rejecting it', async () => {
    const root = await volume({ 'SYSTEM/DeviceInfo.ini': '[Device]\r\nProductSN=A\r\n' });
    const gat = loaded['gat947-generic']!;
    const right = await identifyVolume({ root, label: 'DSJ' }, [gat]);
    const renamed = await identifyVolume({ root, label: 'MYCARD' }, [gat]);
    expect(right.verdicts[0]).toMatchObject({ matched: true, score: 35 });
    expect(renamed.verdicts[0]).toMatchObject({ matched: true, score: 0 });
    expect(renamed.profile?.id).toBe('gat947-generic');
  });

  it('among equal scores takes the more specific profile, and calls a true tie a tie', async () => {
    const root = await volume({ 'DCIM/x.mp4': 'a' });
    const loose = parseProfile({ ...structuredClone(raw['dcim-generic']), id: 'loose', recognise: { markers: ['DCIM/'] } }, 'loose.json');
    const strict = parseProfile({ ...structuredClone(raw['dcim-generic']), id: 'strict', recognise: { markers: ['DCIM/'], absent: ['SYSTEM/'] } }, 'strict.json');
    const more = await identifyVolume({ root, label: null }, [loose, strict]);
    expect(more.profile?.id).toBe('strict');
    const twin = parseProfile({ ...structuredClone(raw['dcim-generic']), id: 'twin', recognise: { markers: ['DCIM/'] } }, 'twin.json');
    const tie = await identifyVolume({ root, label: null }, [loose, twin]);
    expect(tie.profile).toBeNull();
    expect(tie.tie).toBe(true);
    expect(tie.reasons[0]).toMatch(/平局.*a tie/);
  });

  it('treats a pattern marker that is not required as evidence only', async () => {
    const p = parseProfile(
      { ...structuredClone(raw['dcim-generic']), id: 'opt', recognise: { markers: ['DCIM/', { in: 'DCIM', file: 'VID_.*', required: false }] } },
      'opt.json',
    );
    const empty = await volume({ 'DCIM/': '' });
    const full = await volume({ 'dcim/vid_1.mp4': 'a' });
    expect((await identifyVolume({ root: empty, label: null }, [p])).verdicts[0]).toMatchObject({ matched: true, score: 5 });
    expect((await identifyVolume({ root: full, label: null }, [p])).verdicts[0]).toMatchObject({ matched: true, score: 17 });
    expect(problems({ ...structuredClone(raw['dcim-generic']), recognise: { markers: ['DCIM/'], absent: ['DCIM'] } })).toEqual([
      expect.stringMatching(/^recognise\.absent\[0\]: .*could never match/),
    ]);
  });

  it('refuses identity patterns that read nothing or read what is not identity', () => {
    expect(problems({ ...structuredClone(raw['dcim-generic']), identity: { folderName: { pattern: '(?<start>\\d+)' } } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^identity\.folderName\.pattern: .*start/), expect.stringMatching(/^identity\.folderName\.pattern: .*serial or badge/)]),
    );
  });

  it('refuses a vendor library without a USB id to ask it by', () => {
    const novatek = JSON.parse(JSON.stringify(raw['dcim-generic']));
    novatek.vendorLibrary = { functions: { init: 'Init_Device', identity: 'GetZFYInfo', readClock: 'GetDevTime' } };
    expect(problems(novatek)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^vendorLibrary: .*USB id/), expect.stringMatching(/^vendorLibrary\.clockFormat: /)]),
    );
  });
});
