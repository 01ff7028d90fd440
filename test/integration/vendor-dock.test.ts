// A camera read through its vendor's USB library, docked end to end through
// the watched folder (issue 18, part 4): the station sees the profile's USB id,
// asks the library (in a process of its own) who the camera is, its battery
// and clock, sets its clock, switches it to disk mode, and ingests the card
// that then appears with the identity the library gave; at checkout it writes
// the officer onto the camera. A library that crashes costs that camera only.
// The library is the test suite's own C library (test/fixtures/vendor-sdk), built with gcc.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { osActor } from '../../electron/core/audit/actor.js';
import { ManualClock } from '../../electron/core/clock.js';
import { vendorSettingKeys } from '../../electron/core/docking/vendor/index.js';
import { writeSetting } from '../../electron/core/db/settings.js';
import { createStation } from '../../electron/core/station.js';
import { compileTimeFormat, formatWallClock, utcToWallClock } from '../../electron/core/docking/wall-clock.js';
import type { EventName } from '../../shared/contract.js';
import { makeCamera } from '../fixtures/camera/camera.js';
import { undoAfterEach } from '../support/cleanup.js';
import { ADMIN, Client, seededRandom, T0, tempDir } from '../support/station.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary } from '../support/vendor-sdk.js';
import { waitFor } from '../support/wait.js';
import { shanghai } from './custody-support.js';

const cleanup = undoAfterEach();
const savedDevice = process.env.ZFY_EMU_DEVICE;
afterEach(() => {
  if (savedDevice === undefined) delete process.env.ZFY_EMU_DEVICE;
  else process.env.ZFY_EMU_DEVICE = savedDevice;
});

const SERIAL = SDK_CAMERA_DEFAULTS.serial;
const BADGE = SDK_CAMERA_DEFAULTS.badge;

async function sdkStation(options: { configured?: boolean } = {}) {
  const library = vendorSdkLibrary();
  const dataDir = tempDir();
  const watched = tempDir('watched-');
  const station = createStation({ dataDir, watchedFolder: watched, clock: new ManualClock(T0), random: seededRandom(), scryptCost: 1024 });
  cleanup(() => station.close());
  const cli = new Client(station.connect({ kind: 'os', actor: osActor('tester') }));
  await cli.ok('station.setup', ADMIN);
  const officer = (await cli.ok('people.create', { badge: BADGE, name: '张三', roles: ['officer'] })).person;
  const other = (await cli.ok('people.create', { badge: '054321', name: '李四', roles: ['officer'] })).person;
  const device = await cli.ok('devices.register', { serial: SERIAL, model: 'novatek-movie', keeperId: officer.id });
  // What an administrator does with `station vendor-library set` (tested in cli-vendor-library.test.ts):
  // the site's library and the device password, in the station's settings, never in a profile.
  const keys = vendorSettingKeys('novatek-movie');
  if (options.configured !== false) {
    station.db.transaction(() => {
      writeSetting(station.db, keys.library, library);
      writeSetting(station.db, keys.password, SDK_CAMERA_DEFAULTS.password);
    })();
  }
  const events: Array<{ event: EventName; payload: unknown }> = [];
  cli.connection.onEvent((event, payload) => events.push({ event, payload }));
  await station.startDocking({ settleMs: 200, safetyRescanMs: 500 });
  return { station, cli, watched, officer, other, device, events };
}

/** A Novatek-layout camera whose card shows only once the library switched it to disk mode. */
async function sdkCamera(watched: string, name: string, spec: Parameters<typeof makeSdkCamera>[1] = {}) {
  const staging = path.join(tempDir('sdk-camera-'), name);
  // Its clock, frozen at the station's time plus 95 s, as the library reports it (local wall clock).
  const clock = formatWallClock(utcToWallClock(T0 + 95_000, 'Asia/Shanghai'), compileTimeFormat('yyyy-MM-dd HH:mm:ss'));
  const cam = makeSdkCamera(staging, { usb: '0603:8612', clock, ...spec });
  const manifest = await makeCamera({ out: path.join(staging, '.zfy', 'disk'), profile: 'novatek-movie', serial: SERIAL, badge: BADGE, now: T0, clockOffsetSeconds: 0, clips: 2, seconds: 1 });
  const root = path.join(watched, name);
  process.env.ZFY_EMU_DEVICE = root;
  fs.renameSync(staging, root);
  return { cam: { ...cam, read: () => readIni(path.join(root, '.zfy', 'device.ini')) }, manifest, root };
}

function readIni(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
  );
}

describe('a camera read through its vendor library', () => {
  it('is identified by the library, switched to disk mode, ingested with the identity it gave, and gets the officer written at checkout', async () => {
    const { station, cli, watched, other, device } = await sdkStation();
    const { cam, manifest, root } = await sdkCamera(watched, 'sdk-1');
    const dock = await waitFor(() => station.ingest.board().docks.find((d) => d.state === 'done'), 120_000);
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    expect(dock).toMatchObject({ serial: SERIAL, profileId: 'novatek-movie', filesCommitted: footage.length, filesFailed: 0, batteryPercent: SDK_CAMERA_DEFAULTS.battery });
    // The clock was read before it was set: the skew is the camera's own, 95 s ahead.
    expect(dock.clockSkewMs).toBe(95_000);
    // Disk mode: the card's files came out of the library's hiding place into the volume.
    expect(fs.existsSync(path.join(root, 'DCIM', 'Movie'))).toBe(true);
    expect(fs.readdirSync(path.join(root, '.zfy', 'disk'))).toEqual([]);
    expect(cam.read().clockSetAt, 'SyncDevTime set the camera clock').toBeTruthy();

    const session = station.db.prepare('SELECT * FROM dock_session WHERE id = ?').get(dock.id) as Record<string, unknown>;
    expect(session).toMatchObject({ serial: SERIAL, device_id: device.id, profile_id: 'novatek-movie' });
    expect(session.clock_set_at).not.toBeNull();
    expect(JSON.parse(session.binding_json as string)).toMatchObject({ deviceSerial: SERIAL, badge: BADGE, name: SDK_CAMERA_DEFAULTS.name, unitName: SDK_CAMERA_DEFAULTS.unitName });

    const audit = station.db.prepare("SELECT after_json FROM audit WHERE action = 'dock.vendor_library'").all() as Array<{ after_json: string }>;
    expect(audit).toHaveLength(1);
    const record = JSON.parse(audit[0]!.after_json) as { status: string; calls: Array<{ function: string; ok: boolean }>; identity: unknown };
    expect(record.status).toBe('ok');
    expect(record.calls.map((c) => c.function)).toEqual(['Init_Device', 'GetZFYInfo', 'ReadDeviceBatteryDumpEnergy', 'GetDevTime', 'SyncDevTime', 'SetMSDC', 'UnInit_Device']);
    expect(record.calls.every((c) => c.ok)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(SDK_CAMERA_DEFAULTS.password);
    const attached = JSON.parse((station.db.prepare("SELECT after_json FROM audit WHERE action = 'dock.attached'").get() as { after_json: string }).after_json);
    expect(attached.identityFrom).toMatchObject({ deviceSerial: 'vendor', badge: 'vendor' });

    // Every clip under the library's serial; the one the camera locked (RO/) is 重点.
    const clips = station.db.prepare('SELECT original_path, important, device_id FROM clip ORDER BY original_path').all() as Array<{ original_path: string; important: number; device_id: number }>;
    expect(clips).toHaveLength(footage.length);
    expect(clips.every((c) => c.device_id === device.id)).toBe(true);
    expect(clips.filter((c) => c.important === 1).map((c) => c.original_path)).toEqual(footage.filter((f) => f.expectedName?.important).map((f) => f.path));
    expect(clips.some((c) => c.original_path.startsWith('DCIM/Movie/RO/'))).toBe(true);

    // 第七条: the battery and the clock the library gave are what the pre-checkout checks read.
    const checks = await cli.ok('custody.checks', { deviceId: device.id });
    const check = (name: string) => checks.find((c) => c.check === name);
    expect(check('battery')).toMatchObject({ result: 'pass', value: SDK_CAMERA_DEFAULTS.battery, dockSessionId: dock.id });
    // 95 s off, then set by the library: the custodian confirms it on the camera's screen.
    expect(check('clock')).toMatchObject({ result: 'unknown', reason: 'clock_set', value: 95_000 });
    // Checkout to another officer while it is still docked: the library writes 警号 and 姓名 onto it.
    await cli.ok('custody.checkout', {
      officerId: other.id,
      deviceId: device.id,
      workType: 'routine_inspection',
      expectedEnd: shanghai(T0 + 8 * 3_600_000),
      // The library reports no free space; the clock was set since it was read.
      confirmed: ['free_space', 'clock'],
    });
    const outcome = "SELECT action, after_json FROM audit WHERE action IN ('device.officer_written', 'device.officer_write_failed')";
    const written = await waitFor(() => station.db.prepare(outcome).get() as { action: string; after_json: string } | undefined, 60_000);
    expect(written.action).toBe('device.officer_written');
    expect(cam.read()).toMatchObject({ badge: '054321', name: '李四', serial: SERIAL });
  }, 180_000);

  it('a library that crashes costs that camera only: it is not taken, says why, and the next camera docks', async () => {
    const { station, watched, events } = await sdkStation();
    const crashing = await sdkCamera(watched, 'sdk-crash', { fault: 'GetZFYInfo:crash' });
    const refused = await waitFor(() => events.find((e) => e.event === 'dock.unrecognized'), 120_000);
    const reasons = (refused.payload as { reasons: string[] }).reasons.join('\n');
    expect(reasons).toMatch(/novatek-movie/);
    expect(reasons).toMatch(/GetZFYInfo/);
    expect(station.ingest.board().docks).toEqual([]);
    // Nothing was switched to disk mode: the card stayed where the library keeps it.
    expect(fs.readdirSync(path.join(crashing.root, '.zfy', 'disk')).length).toBeGreaterThan(0);
    const audit = station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'dock.vendor_library'").get() as { n: number };
    expect(audit.n).toBe(0);

    fs.rmSync(crashing.root, { recursive: true, force: true });
    await sdkCamera(watched, 'sdk-2');
    const dock = await waitFor(() => station.ingest.board().docks.find((d) => d.state === 'done'), 120_000);
    expect(dock.serial).toBe(SERIAL);
  }, 240_000);

  it('on a station whose library is not set up, is not taken, and the board is told which profile needs it', async () => {
    const { station, watched, events } = await sdkStation({ configured: false });
    const { root } = await sdkCamera(watched, 'sdk-unset');
    const refused = await waitFor(() => events.find((e) => e.event === 'dock.unrecognized'), 120_000);
    expect((refused.payload as { cause: unknown }).cause).toEqual({ kind: 'vendor_not_configured', profile: 'novatek-movie' });
    expect((refused.payload as { reasons: string[] }).reasons.join('\n')).toMatch(/station vendor-library set --profile novatek-movie/);
    expect(station.ingest.board().docks).toEqual([]);
    // The library was never asked: the card is still hidden in it.
    expect(fs.readdirSync(path.join(root, '.zfy', 'disk')).length).toBeGreaterThan(0);
  }, 180_000);

  it('a library that crashes tells the board so', async () => {
    const { watched, events } = await sdkStation();
    await sdkCamera(watched, 'sdk-crash-2', { fault: 'Init_Device:crash' });
    const refused = await waitFor(() => events.find((e) => e.event === 'dock.unrecognized'), 120_000);
    expect((refused.payload as { cause: unknown }).cause).toEqual({ kind: 'vendor_failed', profile: 'novatek-movie' });
  }, 180_000);
});
