// Real card conventions through the real station: for each shipped profile a
// card the emulator writes as that model does (its folders, its names, its
// binding file or none) is identified by its own profile and offloaded, and
// every clip's identity (产品序号, 警号), what its name said (name_serial,
// name_badge, name_seq), its start, 重点 and kind are checked in the index and
// in the sidecar beside it in the vault. Then what goes wrong on real cards:
// a binding that disagrees with the names, a file carrying another camera's
// serial, and a camera known only through its vendor's library docked where
// none is configured.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyDock, type DockIdentified } from '../../electron/core/docking/dock-watcher.js';
import { loadProfiles, type CameraProfile } from '../../electron/core/docking/profile/index.js';
import type { ClipRow, DockSessionRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX, type Sidecar } from '../../electron/core/ingest/vault.js';
import { repoPath } from '../../electron/core/paths.js';
import { makeCamera, type CameraManifest, type MakeCameraOptions } from '../fixtures/camera/camera.js';
import { auditActions, clipRows, openStation, session, type FaultStation } from '../support/ingest-faults.js';
import { ADMIN, Client, T0, tempDir } from '../support/station.js';

/** The station's clock reads T0; the cards were "docked" then, their shift ending half an hour before. */
const NOW = T0;
const OFFSET_S = -420; // the emulator's default: the camera's clock 7 minutes slow

interface Card {
  profile: string;
  serial: string;
  /** The 警号 the emulator is given (written into names and binding where the model does). */
  badge: string;
  options?: Partial<MakeCameraOptions>;
  /** Who the station must take the camera to be; null when nothing on the card says (it is then not registered). */
  expect: { serial: string; badge: string | null; name: string | null; from: { deviceSerial: string; badge?: string } } | null;
  /** Register the officer of `badge` as the camera's keeper (not for cards whose badge is no person's). */
  keeper: boolean;
}

const CARDS: Record<string, Card> = {
  gat947: {
    profile: 'gat947-generic',
    serial: 'DSJ-G1',
    badge: '100001',
    keeper: true,
    expect: { serial: 'DSJ-G1', badge: '100001', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  dcim: {
    profile: 'dcim-generic',
    serial: 'BWC-D1',
    badge: '100002',
    keeper: true,
    expect: { serial: 'BWC-D1', badge: '100002', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  // Identity from the names alone: no binding file.
  dcam: {
    profile: 'dcam-names',
    serial: 'DCAM0001',
    badge: '100003',
    keeper: true,
    expect: { serial: 'DCAM0001', badge: '100003', name: null, from: { deviceSerial: 'name', badge: 'name' } },
  },
  // The serial from the folder's name; nothing on the card names the officer.
  serialFolder: {
    profile: 'serial-folder',
    serial: 'SF0000001',
    badge: '100004',
    keeper: true,
    expect: { serial: 'SF0000001', badge: null, name: null, from: { deviceSerial: 'folder' } },
  },
  // One delimited record, Info.dat, lying among the footage.
  mediaInfo: {
    profile: 'media-info-dat',
    serial: 'MID0001',
    badge: '100005',
    keeper: true,
    expect: { serial: 'MID0001', badge: '100005', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  zfy: {
    profile: 'zfy-param-ini',
    serial: 'ZFY00001',
    badge: '100006',
    keeper: true,
    expect: { serial: 'ZFY00001', badge: '100006', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  // The second alternative of every key: a [ZHY] section.
  zhy: {
    profile: 'zfy-param-ini',
    serial: 'ZHY00001',
    badge: '100007',
    options: { bindingVariant: 1 },
    keeper: true,
    expect: { serial: 'ZHY00001', badge: '100007', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  // No PolNo: the vendor's convention is DevNo for the badge.
  zfyNoPolNo: {
    profile: 'zfy-param-ini',
    serial: 'ZFN00001',
    badge: '100008',
    options: { bindingOmit: ['badge'] },
    // With a keeper: a badge that is only the serial names nobody, so it is no mismatch with the keeper.
    keeper: true,
    expect: { serial: 'ZFN00001', badge: 'ZFN00001', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  android: {
    profile: 'android-station-bind',
    serial: 'AND00001',
    badge: '100009',
    keeper: true,
    expect: { serial: 'AND00001', badge: '100009', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  // Names say DSJ-N1, the binding file DSJ-B1.
  mismatch: {
    profile: 'gat947-generic',
    serial: 'DSJ-N1',
    badge: '100010',
    options: { bindingOverride: { deviceSerial: 'DSJ-B1' } },
    keeper: true,
    expect: { serial: 'DSJ-B1', badge: '100010', name: '张伟', from: { deviceSerial: 'binding', badge: 'binding' } },
  },
  // Only its vendor's library says which camera it is.
  novatek: {
    profile: 'novatek-movie',
    serial: 'NVT00001',
    badge: '100011',
    keeper: false,
    expect: null,
  },
};

let t: FaultStation;
/** The administrator's session, to register people and cameras. */
let admin: Client;
let profiles: CameraProfile[];
const made = new Map<string, CameraManifest>();

beforeAll(async () => {
  profiles = await loadProfiles(repoPath('profiles'));
  const dir = tempDir('camera-conventions-');
  // Short cards (two 1-second clips), made one after another: ffmpeg takes both cores.
  for (const [key, card] of Object.entries(CARDS)) {
    made.set(key, await makeCamera({ out: path.join(dir, key), profile: card.profile, serial: card.serial, badge: card.badge, now: NOW, clips: 2, seconds: 1, ...card.options }));
  }
  t = openStation();
  admin = new Client(t.station.connect({ kind: 'ui' }));
  await admin.ok('station.setup', ADMIN);
  for (const card of Object.values(CARDS)) {
    if (!card.expect) continue;
    const officer = (await admin.ok('people.create', { badge: card.badge, name: '张执法', roles: ['officer'] })).person;
    await admin.ok('devices.register', { serial: card.expect.serial, model: card.profile, ...(card.keeper ? { keeperId: officer.id } : {}) });
  }
});

afterAll(async () => {
  await t?.close();
});

/** Reads the card as the station does when it is docked: its label (the model's typical one) and, when given, its USB id. */
async function identifyCard(m: CameraManifest, usb?: { vendorId: string; productId: string }): Promise<DockIdentified> {
  const r = await identifyDock({ id: `card:${m.root}`, root: m.root, label: m.label, ...(usb ? { usb } : {}), removable: false, source: 'watched-folder' }, profiles, t.clock);
  if (!('profile' in r)) throw new Error(`not identified: ${r.reasons.join('; ')}`);
  return r;
}

async function dockCard(key: string): Promise<{ m: CameraManifest; identified: DockIdentified; row: DockSessionRow; clips: ClipRow[] }> {
  const m = made.get(key)!;
  const identified = await identifyCard(m);
  const docked = await t.station.ingest.dock(identified, 'cli');
  expect(docked.done, `${key} is registered and offloaded`).not.toBeNull();
  const summary = await docked.done!;
  expect(summary.state).toBe('done');
  return { m, identified, row: session(t.station, docked.dockSessionId), clips: clipRows(t.station).filter((c) => c.dock_session_id === docked.dockSessionId) };
}

const sidecarOf = (c: ClipRow) => JSON.parse(fs.readFileSync(t.station.vault.absolute(c.vault_path) + SIDECAR_SUFFIX, 'utf8')) as Sidecar;

async function alarmsOf(dockSessionId: number) {
  return (await t.cli.ok('dock.board', {})).alarms.filter((a) => a.dockSessionId === dockSessionId);
}

/**
 * Every file of the footage folders is a clip of this camera, with the identity the station
 * resolved (device and 警号), what its own name said, its start, 重点 and kind, the same in the
 * index and in its sidecar.
 */
function expectEveryClip(key: string, m: CameraManifest, row: DockSessionRow, clips: ClipRow[]): void {
  const card = { ...CARDS[key]!, expect: CARDS[key]!.expect! };
  const device = t.station.db.prepare<[number], { serial: string }>('SELECT serial FROM device WHERE id = ?').get(row.device_id!)!;
  expect(device.serial).toBe(card.expect.serial);
  const footage = m.files.filter((f) => f.expected !== 'not-footage');
  expect(clips.map((c) => c.original_path).sort()).toEqual(footage.map((f) => f.path).sort());
  // The camera's clock is read where the model writes it; elsewhere the name's time is taken as written.
  const skew = row.clock_skew_ms;
  expect(skew).toBe(profiles.find((p) => p.id === card.profile)!.clock.read === 'none' ? null : OFFSET_S * 1000);
  for (const f of footage) {
    const c = clips.find((x) => x.original_path === f.path)!;
    const said = { serial: f.expectedName?.serial ?? null, badge: f.expectedName?.badge ?? null, seq: f.expectedName?.seq ?? null };
    const cameraStart = f.expectedName?.start ? f.realStartUtcMs! + OFFSET_S * 1000 : null;
    const startAt = cameraStart === null ? null : cameraStart - (skew ?? 0);
    expect(
      {
        kind: c.kind,
        damaged: c.damaged,
        important: c.important,
        badge: c.badge,
        name: { serial: c.name_serial, badge: c.name_badge, seq: c.name_seq },
        cameraStartAt: c.camera_start_at,
        startAt: c.start_at,
      },
      f.path,
    ).toEqual({
      kind: f.kind,
      damaged: f.expected === 'damaged' ? 1 : 0,
      important: f.expectedName?.important ? 1 : 0,
      badge: card.expect.badge,
      name: said,
      cameraStartAt: cameraStart,
      startAt,
    });
    expect(c.hash, f.path).toBe(f.sha256);
    const sidecar = sidecarOf(c);
    expect(
      {
        kind: sidecar.kind,
        device: sidecar.device.serial,
        badge: sidecar.officer.badge,
        officerName: sidecar.officer.name,
        fromName: sidecar.original.fromName ?? null,
        startAt: sidecar.original.startAt,
        important: sidecar.media.important,
        profile: sidecar.dock?.profileId,
      },
      `sidecar of ${f.path}`,
    ).toEqual({
      kind: f.kind,
      device: card.expect.serial,
      badge: card.expect.badge,
      officerName: card.expect.name,
      // Present only when the name (or its folder) said anything.
      fromName: said.serial !== null || said.badge !== null || said.seq !== null ? said : null,
      startAt,
      important: Boolean(f.expectedName?.important),
      profile: card.profile,
    });
  }
}

/** The identity the dock recorded, and which source gave each item. */
function identityOnRecord(dockSessionId: number) {
  const attached = auditActions(t.station, 'dock.attached').find((a) => a.object_id === String(dockSessionId))!;
  return JSON.parse(attached.after_json!) as { serial: string | null; profile: string; identityFrom: Record<string, string> };
}

describe('each card convention, through the station', () => {
  it.each([
    ['gat947', 'GA/T 947: SYSTEM/DeviceInfo.ini, serial and badge in every name'],
    ['dcim', 'DCIM with MISC/device.json'],
    ['dcam', 'DCAM names: serial and badge from the names alone'],
    ['serialFolder', 'serial-folder: the serial from the folder holding the files'],
    ['mediaInfo', 'DCIM/100MEDIA with a delimited Info.dat among the footage'],
    ['zfy', 'PARAM.INI with [ZFY]'],
    ['zhy', 'PARAM.INI with [ZHY]'],
    ['zfyNoPolNo', 'PARAM.INI without PolNo: the badge falls back to DevNo'],
    ['android', 'Android DCIM/Camera + Recordings with station_bind.ini, no 重点 in names'],
  ])('%s (%s) is identified by its own profile and every clip says whose it is', async (key) => {
    const card = { ...CARDS[key]!, expect: CARDS[key]!.expect! };
    const { m, identified, row, clips } = await dockCard(key);
    expect(identified.profile.id).toBe(card.profile);
    expect(row.profile_id).toBe(card.profile);
    expect(identified.identity.disagreements).toEqual([]);
    expect({ serial: identified.identity.values.deviceSerial, badge: identified.identity.values.badge, name: identified.identity.values.name }).toEqual({
      serial: card.expect.serial,
      badge: card.expect.badge,
      name: card.expect.name,
    });
    // The emulator's own account of who the card says the camera is agrees.
    expect(m.identity).toEqual({ serial: card.expect.serial, badge: card.expect.badge });
    expect(identityOnRecord(row.id)).toMatchObject({ serial: card.expect.serial, profile: card.profile, identityFrom: card.expect.from });
    expectEveryClip(key, m, row, clips);
    // A camera whose sources agree with each other and with its keeper raises nothing.
    expect(await alarmsOf(row.id)).toEqual([]);
    expect((await t.cli.ok('dock.get', { id: row.id })).notices.filter((n) => n.kind === 'name_other_camera')).toEqual([]);
  });

  it('the conventions really differ: 重点 only where the model marks it, Info.dat kept as footage, folders as the model makes them', () => {
    const important = (key: string) => made.get(key)!.files.filter((f) => f.expectedName?.important).map((f) => f.path);
    expect(important('android'), 'Android names carry no 重点').toEqual([]);
    expect(important('dcam')).toEqual([expect.stringMatching(/^DCIM\/DCAM_DCAM0001_100003_\d{8}_\d{6}_IMP\.MP4$/)]);
    expect(important('serialFolder')).toEqual([expect.stringMatching(/^VIDEO\/SF0000001\/\d{14}_0002_IMP\.MP4$/)]);
    expect(made.get('mediaInfo')!.files.find((f) => f.path === 'DCIM/100MEDIA/Info.dat')).toMatchObject({ role: 'device-file', kind: 'other', expected: 'committed' });
    expect(fs.readFileSync(path.join(made.get('mediaInfo')!.root, 'DCIM/100MEDIA/Info.dat'), 'latin1')).toMatch(/^MID0001;0;100005;[^;]+\r\n$/);
    const ini = (key: string) => fs.readFileSync(path.join(made.get(key)!.root, 'PARAM.INI'), 'latin1');
    expect(ini('zfy')).toMatch(/^\[ZFY\]\r\nDevNo=ZFY00001\r\nPolNo=100006\r\n/);
    expect(ini('zhy')).toMatch(/^\[ZHY\]\r\nDevNo=ZHY00001\r\nPolNo=100007\r\n/);
    expect(ini('zfyNoPolNo')).toMatch(/^\[ZFY\]\r\nDevNo=ZFN00001\r\nUserName=/);
    expect(made.get('android')!.files.filter((f) => f.role === 'audio').map((f) => f.path)).toEqual([expect.stringMatching(/^Recordings\/REC_\d{8}_\d{6}_5\.m4a$/)]);
  });
});

describe('what real cards get wrong', () => {
  it('a binding that names another serial than the names: binding_mismatch with both values, the footage still committed', async () => {
    const { m, identified, row, clips } = await dockCard('mismatch');
    // The binding file is trusted over the names; the footage is this (registered) camera's.
    expect(identified.identity.values.deviceSerial).toBe('DSJ-B1');
    expect(clips.length).toBe(m.files.filter((f) => f.expected !== 'not-footage').length);
    expect(clips.every((c) => c.name_serial === (m.files.find((f) => f.path === c.original_path)!.expectedName?.serial ?? null))).toBe(true);
    expect(clips.filter((c) => c.name_serial === 'DSJ-N1').length).toBeGreaterThan(0);
    expectEveryClip('mismatch', m, row, clips);
    const alarms = await alarmsOf(row.id);
    expect(alarms).toEqual([
      expect.objectContaining({
        kind: 'binding_mismatch',
        serial: 'DSJ-B1',
        details: {
          field: 'deviceSerial',
          said: [
            { source: 'binding', value: 'DSJ-B1' },
            { source: 'name', value: 'DSJ-N1' },
          ],
        },
      }),
    ]);
    // Each file carrying the names' serial is also told apart on the dock.
    const notices = (await t.cli.ok('dock.get', { id: row.id })).notices.filter((n) => n.kind === 'name_other_camera');
    expect(notices.map((n) => n.path).sort()).toEqual(clips.filter((c) => c.name_serial === 'DSJ-N1').map((c) => c.original_path).sort());
  });

  it('a file carrying another camera\'s serial: a name_other_camera notice, stored as this camera\'s, and it does not outvote the camera\'s own names', async () => {
    // A fresh gat947 card of DSJ-G2 with one recording of DSJ-X9 copied onto it.
    const m = await makeCamera({ out: path.join(tempDir('camera-conventions-foreign-'), 'volume'), serial: 'DSJ-G2', badge: '100001', now: NOW, clips: 2, seconds: 1 });
    await admin.ok('devices.register', { serial: 'DSJ-G2', model: 'gat947-generic' });
    const clip = m.files.find((f) => f.role === 'clip' && f.expected === 'committed')!;
    const foreign = `${path.posix.dirname(clip.path)}/DSJ-X9_100099_20261127083000_0042.MP4`;
    fs.copyFileSync(path.join(m.root, clip.path), path.join(m.root, foreign));
    // Saved during the shift (a copy made now would carry the machine's time, after the station's).
    fs.utimesSync(path.join(m.root, foreign), (NOW - 10 * 60_000) / 1000, (NOW - 10 * 60_000) / 1000);
    const identified = await identifyCard(m);
    expect(identified.identity.values.deviceSerial).toBe('DSJ-G2');
    expect(identified.identity.disagreements).toEqual([]);
    const docked = await t.station.ingest.dock(identified, 'cli');
    expect((await docked.done!).state).toBe('done');
    const clips = clipRows(t.station).filter((c) => c.dock_session_id === docked.dockSessionId);
    const stored = clips.find((c) => c.original_path === foreign)!;
    expect(stored).toMatchObject({ name_serial: 'DSJ-X9', name_badge: '100099', name_seq: 42, badge: '100001' });
    expect(sidecarOf(stored)).toMatchObject({ device: { serial: 'DSJ-G2' }, original: { fromName: { serial: 'DSJ-X9', badge: '100099', seq: 42 } } });
    const notices = (await t.cli.ok('dock.get', { id: docked.dockSessionId })).notices.filter((n) => n.kind === 'name_other_camera');
    expect(notices).toEqual([expect.objectContaining({ path: foreign })]);
    expect(notices[0]!.message).toMatch(/DSJ-X9.*DSJ-G2.* \/ The serial DSJ-X9 .*not this camera's \(DSJ-G2\)/su);
    expect(await alarmsOf(docked.dockSessionId)).toEqual([]);
  });

  it('a voice note whose name says _IMP is stored as 重点, although the model usually marks only video so', async () => {
    // media-info-dat writes _IMP on video (its audio template has no {important}); a name that says
    // 重点 is the camera's word all the same, and 重点 keeps a recording longer.
    const m = await makeCamera({ out: path.join(tempDir('camera-conventions-imp-'), 'volume'), profile: 'media-info-dat', serial: 'MID0002', badge: '100005', now: NOW, clips: 2, seconds: 1 });
    await admin.ok('devices.register', { serial: 'MID0002', model: 'media-info-dat' });
    const audio = m.files.find((f) => f.role === 'audio')!;
    const renamed = audio.path.replace(/\.WAV$/, '_IMP.WAV');
    fs.renameSync(path.join(m.root, audio.path), path.join(m.root, renamed));
    const docked = await t.station.ingest.dock(await identifyCard(m), 'cli');
    expect((await docked.done!).state).toBe('done');
    const clips = clipRows(t.station).filter((c) => c.dock_session_id === docked.dockSessionId);
    const stored = clips.find((c) => c.original_path === renamed)!;
    expect({ kind: stored.kind, important: stored.important, seq: stored.name_seq }).toEqual({ kind: 'audio', important: 1, seq: audio.expectedName!.seq });
    expect(sidecarOf(stored).media.important).toBe(true);
    expect(clips.filter((c) => c.important === 1).map((c) => c.original_path).sort()).toEqual(
      [...m.files.filter((f) => f.expectedName?.important).map((f) => f.path), renamed].sort(),
    );
  });

  it('a vendor-library camera (novatek-movie) where no library is configured is refused, naming the profile and the vendor library', async () => {
    const m = made.get('novatek')!;
    // What the card looks like once in disk mode: footage visible, nothing on it says which camera.
    expect(m.identity).toEqual({ serial: null, badge: null });
    expect(m.files.filter((f) => f.role === 'audio'), 'the model records no voice notes').toEqual([]);
    const before = clipRows(t.station).length;
    const r = await t.station.ingestFolder(m.root, { label: m.label, usb: { vendorId: '0603', productId: '8612' } });
    expect(r.summary).toBeNull();
    const row = session(t.station, r.dockSessionId);
    expect(row).toMatchObject({ profile_id: 'novatek-movie', state: 'unregistered', serial: null, device_id: null });
    expect(row.state_reason).toMatch(/novatek-movie/);
    expect(row.state_reason).toMatch(/厂商 USB 库/);
    expect(row.state_reason).toMatch(/vendor library/);
    // The status the camera keeps on its card (LOG/BATTERY.TXT, key=value) is still read.
    expect(row.battery_percent).toBe(64);
    expect(clipRows(t.station).length).toBe(before);
    expect((await alarmsOf(r.dockSessionId)).map((a) => a.kind)).toEqual(['unregistered_device']);
  });
});
