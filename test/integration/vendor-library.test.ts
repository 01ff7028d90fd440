// The vendor's USB library (the 公安部 interface) through the real path: the
// emulated library (test/fixtures/vendor-sdk/zfy-emu.c, built with gcc) loaded
// by koffi in the station's child process, talking to an emulated camera
// folder. Besides the readings, the library's failures: a wrong password, a
// missing file or function, and a function that crashes the process, hangs or
// returns garbage. After each, this process (the core) is still here, the
// library's process is gone, and the next reading works on a fresh one.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StationError } from '../../shared/errors.js';
import { profileSchema } from '../../electron/core/docking/profile/index.js';
import {
  checkVendorLibrary,
  readVendorDock,
  writeVendorOfficer,
} from '../../electron/core/docking/vendor/index.js';
import type { VendorLibraryData } from '../../electron/core/docking/profile/schema.js';
import { BUNDLED_CHILD_NAME } from '../../electron/core/docking/vendor/index.js';
import { buildShellBundles } from '../support/core-host-process.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary, okReading as ok, processExists, type SdkCamera, type SdkCameraSpec } from '../support/vendor-sdk.js';

const PASSWORD = SDK_CAMERA_DEFAULTS.password;
const ALL_FUNCTIONS = {
  init: 'Init_Device',
  identity: 'GetZFYInfo',
  release: 'UnInit_Device',
  battery: 'ReadDeviceBatteryDumpEnergy',
  readClock: 'GetDevTime',
  setClock: 'SyncDevTime',
  diskMode: 'SetMSDC',
  writeOfficer: 'WriteZFYInfo',
};

/** A profile's vendorLibrary section, through the profile schema (defaults filled, unknown fields refused). */
function spec(overrides: { functions?: Partial<Record<keyof typeof ALL_FUNCTIONS, string | undefined>>; timeoutSeconds?: number } = {}): VendorLibraryData {
  const functions = Object.fromEntries(Object.entries({ ...ALL_FUNCTIONS, ...overrides.functions }).filter(([, v]) => v !== undefined));
  return profileSchema.shape.vendorLibrary.unwrap().parse({
    functions,
    clockFormat: functions.readClock ? 'yyyy-MM-dd HH:mm:ss' : undefined,
    ...(overrides.timeoutSeconds !== undefined ? { timeoutSeconds: overrides.timeoutSeconds } : {}),
  });
}

let library: string;
let base: string;
let n = 0;

beforeAll(() => {
  library = vendorSdkLibrary();
  base = mkdtempSync(path.join(tmpdir(), 'vendor-library-'));
});

let camera: SdkCamera;
/** A fresh emulated camera for a test; the library's process finds it through the environment it inherits. */
function useCamera(cameraSpec: SdkCameraSpec = {}): SdkCamera {
  camera = makeSdkCamera(path.join(base, `cam-${++n}`), cameraSpec);
  process.env.ZFY_EMU_DEVICE = camera.root;
  return camera;
}
beforeEach(() => {
  useCamera();
});

const settings = (password: string = PASSWORD) => ({ libraryPath: library, password });



/** The next reading on the same camera, fault removed, works (on a fresh process: the last is gone). */
async function nextReadingWorks(): Promise<void> {
  camera.set({ fault: undefined });
  const again = ok(await readVendorDock(spec(), settings()));
  expect(again.identity.serial).toBe(SDK_CAMERA_DEFAULTS.serial);
  expect(again.errors).toEqual({});
}

describe('readVendorDock on a working camera', () => {
  it('reads identity (Chinese through GBK), battery and clock, sets the clock, enters disk mode, releases, and records every call', async () => {
    useCamera({ clock: '2024-05-01 08:30:00', disk: { 'DCIM/100MEDIA/VID_0001.MP4': 'footage', 'time.txt': 'x' } });
    expect(readdirSync(camera.root)).toEqual(['.zfy']);
    const before = Date.now();
    const r = ok(await readVendorDock(spec(), settings()));
    const after = Date.now();

    expect(r.identity).toEqual({
      serial: '1234567',
      badge: '012345',
      name: '张三',
      unitId: '110100000000',
      unitName: '北京市公安局东城分局',
      idCode: 'ZFYEMU-1234567',
    });
    expect(r.batteryPercent).toBe(87);
    expect(r.clock?.text).toBe('2024-05-01 08:30:00');
    expect(r.clock?.wallClock).toMatchObject({ year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0 });
    expect(r.clock!.stationAt).toBeGreaterThanOrEqual(before);
    expect(r.clock!.stationAt).toBeLessThanOrEqual(after);
    // Set after it was read: the frozen clock is gone and the library recorded when it was set.
    expect(r.clockSet).toBe(true);
    expect(r.clockSetAt).toBeGreaterThanOrEqual(r.clock!.stationAt);
    expect(camera.read().clock).toBeUndefined();
    expect(camera.read().clockSetAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // Disk mode: the card's files appear.
    expect(r.diskMode).toBe(true);
    expect(r.diskModeWaitMs).toBe(30_000);
    expect(readFileSync(path.join(camera.root, 'DCIM/100MEDIA/VID_0001.MP4'), 'utf8')).toBe('footage');
    expect(existsSync(path.join(camera.root, 'time.txt'))).toBe(true);
    expect(r.errors).toEqual({});

    expect(r.calls.map((c) => [c.duty, c.function, c.ok])).toEqual([
      ['init', 'Init_Device', true],
      ['identity', 'GetZFYInfo', true],
      ['battery', 'ReadDeviceBatteryDumpEnergy', true],
      ['readClock', 'GetDevTime', true],
      ['setClock', 'SyncDevTime', true],
      ['diskMode', 'SetMSDC', true],
      ['release', 'UnInit_Device', true],
    ]);
    expect(r.calls.find((c) => c.duty === 'setClock')?.iRet).toBe(5);
    for (const c of r.calls) expect(c.ms).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('asks only what the profile maps, by the names the vendor gave', async () => {
    useCamera({ name: '欧阳娜娜', unitName: '' });
    const r = ok(await readVendorDock(spec({ functions: { identity: 'BWC_ReadDeviceInfo', release: undefined, battery: undefined, readClock: undefined, setClock: undefined, diskMode: undefined } }), settings()));
    expect(r.identity).toMatchObject({ serial: '1234567', name: '欧阳娜娜', unitName: null });
    expect(r).toMatchObject({ batteryPercent: null, clock: null, clockSet: false, clockSetAt: null, diskMode: false, errors: {} });
    expect(r.calls.map((c) => c.function)).toEqual(['Init_Device', 'BWC_ReadDeviceInfo']);
  });

  it('reads a running clock (no frozen time) as a time near the station’s', async () => {
    useCamera({ clockOffset: -3600 });
    const r = ok(await readVendorDock(spec({ functions: { setClock: undefined, diskMode: undefined } }), settings()));
    const wc = r.clock!.wallClock;
    const cameraLocal = Date.UTC(wc.year, wc.month - 1, wc.day, wc.hour, wc.minute, wc.second);
    const stationLocal = r.clock!.stationAt - new Date(r.clock!.stationAt).getTimezoneOffset() * 60_000;
    expect(Math.abs(cameraLocal - (stationLocal - 3_600_000))).toBeLessThan(5_000);
  });
});

describe('one camera at a time', () => {
  it('readings through the same library take turns: never two processes with the camera open', async () => {
    // Slow calls, so that readings not taking turns would have the camera open at the same time.
    useCamera({ delayMs: 150 });
    const few = spec({ functions: { battery: undefined, readClock: undefined, setClock: undefined, diskMode: undefined } });
    const readings = await Promise.all([readVendorDock(few, settings()), readVendorDock(few, settings()), writeVendorOfficer(few, settings(), { badge: '054321', name: '李四' })]);
    for (const r of readings) expect(r.ok).toBe(true);
    const log = readFileSync(path.join(camera.root, '.zfy', 'sessions.log'), 'utf8').trim().split('\n');
    expect(log).toHaveLength(6);
    for (let i = 0; i < log.length; i += 2) {
      const pid = log[i]!.split(' ')[1];
      expect([log[i], log[i + 1]]).toEqual([`open ${pid}`, `close ${pid}`]);
    }
    expect(new Set(log.map((l) => l.split(' ')[1])).size).toBe(3);
  });
});

describe('the bundled child', () => {
  it('reads the camera from dist-electron/vendor-child.cjs, as the Electron utility host forks it (koffi external)', async () => {
    // The real build script, into a folder of the test's own.
    const bundles = buildShellBundles();
    const modulePath = path.join(bundles, `${BUNDLED_CHILD_NAME}.cjs`);
    expect(existsSync(modulePath)).toBe(true);
    // koffi is not in the bundle: the child requires it at run time from node_modules, as the utility
    // host finds better-sqlite3 (here through NODE_PATH, the bundle being outside the repository).
    const bundled = readFileSync(modulePath, 'utf8');
    expect(bundled).toContain('"koffi"');
    expect(bundled.length).toBeLessThan(50_000);
    const entry = { modulePath, execArgv: [], env: { NODE_PATH: path.resolve('node_modules') } };
    const r = ok(await readVendorDock(spec(), settings(), { entry }));
    expect(r.identity).toMatchObject({ serial: '1234567', name: '张三' });
    expect(r.diskMode).toBe(true);
    // A crash in the bundled child is a crash like any other.
    camera.set({ fault: 'GetZFYInfo:crash' });
    expect(await readVendorDock(spec(), settings(), { entry })).toMatchObject({ ok: false, error: { code: 'crashed', signal: 'SIGSEGV' } });
  });
});

describe('writeVendorOfficer', () => {
  it('writes the badge and name (GBK) at checkout, keeping the serial and the unit, and the next reading shows them', async () => {
    const w = await writeVendorOfficer(spec(), settings(), { badge: '054321', name: '李四' });
    expect(w.ok).toBe(true);
    if (!w.ok) return;
    expect(w.before).toMatchObject({ serial: '1234567', badge: '012345', name: '张三' });
    expect(w.written).toEqual({ serial: '1234567', badge: '054321', name: '李四', unitId: '110100000000', unitName: '北京市公安局东城分局' });
    expect(w.calls.map((c) => c.duty)).toEqual(['init', 'identity', 'writeOfficer', 'release']);
    expect(camera.read()).toMatchObject({ serial: '1234567', badge: '054321', name: '李四', unitName: '北京市公安局东城分局' });

    const r = ok(await readVendorDock(spec({ functions: { setClock: undefined, diskMode: undefined } }), settings()));
    expect(r.identity).toMatchObject({ serial: '1234567', badge: '054321', name: '李四' });
  });

  it('writes and clears the unit when told', async () => {
    const w = await writeVendorOfficer(spec(), settings(), { badge: '054321', name: '李四', unitId: '320500000000', unitName: null });
    expect(w.ok).toBe(true);
    expect(camera.read()).toMatchObject({ unitId: '320500000000', unitName: '' });
  });

  it('refuses values that do not fit their field or the encoding, before the camera is touched', async () => {
    const ini = readFileSync(camera.ini, 'utf8');
    const refused = async (officer: Parameters<typeof writeVendorOfficer>[2], words: RegExp) => {
      const e = await writeVendorOfficer(spec(), settings(), officer).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(StationError);
      expect((e as StationError).code).toBe('invalid_input');
      expect((e as StationError).message).toMatch(words);
      expect((e as StationError).message).toMatch(/ \/ /); // Chinese / English
    };
    await refused({ badge: '0123456', name: '李四' }, /警号.*太长.*badge number "0123456" is too long.*at most 6/);
    await refused({ badge: '054321', name: '李'.repeat(17) }, /姓名.*34 字节.*at most 32/);
    await refused({ badge: '054321', name: '李😀' }, /GBK/);
    await refused({ badge: '05\n4321', name: '李四' }, /control characters/);
    expect(readFileSync(camera.ini, 'utf8')).toBe(ini);
  });

  it('says so when the profile maps no writeOfficer function', async () => {
    const w = await writeVendorOfficer(spec({ functions: { writeOfficer: undefined } }), settings(), { badge: '054321', name: '李四' });
    expect(w).toMatchObject({ ok: false, calls: [], error: { code: 'unloadable', duty: 'writeOfficer' } });
  });
});

describe('the library says no', () => {
  it('a wrong password fails the reading with what it means and where the password is kept, never the password', async () => {
    const wrong = 'Secret-123';
    const r = await readVendorDock(spec(), settings(wrong));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'failed', duty: 'identity', function: 'GetZFYInfo', iRet: 4 });
    expect(r.error.message).toMatch(/设备密码错误.*station vendor-library.*wrong device password.*station's settings/);
    expect(JSON.stringify(r)).not.toContain(wrong);
    expect(r.calls.map((c) => [c.duty, c.ok, c.code])).toEqual([
      ['init', true, undefined],
      ['identity', false, 'failed'],
      ['release', true, undefined],
    ]);
  });

  it('a password the library’s encoding cannot hold fails before any call, without quoting it', async () => {
    const r = await readVendorDock(spec(), settings('pw😀x'));
    expect(r).toMatchObject({ ok: false, calls: [], error: { code: 'failed', function: null } });
    if (!r.ok) expect(r.error.message).toMatch(/设备密码.*gb18030.*station vendor-library set/);
    expect(JSON.stringify(r)).not.toContain('😀');
  });

  it('a camera that is not connected fails init with CONNECT_FAILED', async () => {
    process.env.ZFY_EMU_DEVICE = path.join(base, 'no-such-camera');
    const r = await readVendorDock(spec(), settings());
    expect(r).toMatchObject({ ok: false, error: { code: 'failed', duty: 'init', function: 'Init_Device', iRet: 2 } });
    if (!r.ok) expect(r.error.message).toContain('CONNECT_FAILED');
  });

  it('a failed optional duty is recorded and the rest goes on', async () => {
    useCamera({ disk: { 'DCIM/a.mp4': 'a' } });
    // The emulator's SetMSDC fails when a name is taken in the folder already.
    writeFileSync(path.join(camera.root, 'DCIM'), 'in the way');
    const r = ok(await readVendorDock(spec(), settings()));
    expect(r.diskMode).toBe(false);
    expect(r.errors.diskMode).toMatchObject({ code: 'failed', function: 'SetMSDC', iRet: 8 });
    expect(r.errors.diskMode!.message).toContain('MSDC_FAILED');
    expect(r.calls.at(-1)).toMatchObject({ duty: 'release', ok: true });
  });
});

describe('a library that cannot be used', () => {
  it('a missing library file is unloadable, naming the file, and no process is started', async () => {
    const missing = path.join(base, 'lib', 'libnone.so');
    const r = await readVendorDock(spec(), { libraryPath: missing, password: PASSWORD });
    expect(r).toMatchObject({ ok: false, calls: [], error: { code: 'unloadable', function: null } });
    if (!r.ok) expect(r.error.message).toContain(missing);
  });

  it('no library set is unloadable, pointing at the command that sets it', async () => {
    const r = await readVendorDock(spec(), { libraryPath: '', password: PASSWORD });
    expect(r).toMatchObject({ ok: false, error: { code: 'unloadable' } });
    if (!r.ok) expect(r.error.message).toContain('station vendor-library');
  });

  it('a file that is not a library is unloadable with the loader’s reason', async () => {
    const notLib = path.join(base, 'not-a-library.so');
    writeFileSync(notLib, 'this is text\n');
    const r = await readVendorDock(spec(), { libraryPath: notLib, password: PASSWORD });
    expect(r).toMatchObject({ ok: false, calls: [], error: { code: 'unloadable' } });
    if (!r.ok) expect(r.error.message).toMatch(/无法加载厂商库.*cannot be loaded/);
  });

  it('a required function the library lacks fails the reading, naming it', async () => {
    const r = await readVendorDock(spec({ functions: { identity: 'GetZFYInfoEx' } }), settings());
    expect(r).toMatchObject({ ok: false, error: { code: 'unloadable', duty: 'identity', function: 'GetZFYInfoEx' } });
    if (!r.ok) {
      expect(r.error.message).toContain('GetZFYInfoEx');
      expect(r.calls.map((c) => [c.function, c.ok, c.code])).toEqual([
        ['Init_Device', true, undefined],
        ['GetZFYInfoEx', false, 'unloadable'],
        ['UnInit_Device', true, undefined],
      ]);
    }
  });

  it('an optional function the library lacks is recorded, and the reading goes on', async () => {
    const r = ok(await readVendorDock(spec({ functions: { battery: 'GetBattery' } }), settings()));
    expect(r.batteryPercent).toBeNull();
    expect(r.errors.battery).toMatchObject({ code: 'unloadable', function: 'GetBattery' });
    expect(r.clock).not.toBeNull();
    expect(r.diskMode).toBe(true);
  });

  it('checkVendorLibrary looks every mapped function up without calling any', async () => {
    const good = await checkVendorLibrary(spec(), library);
    expect(good.ok).toBe(true);
    expect(good.functions.map((f) => [f.duty, f.found])).toEqual(Object.keys(ALL_FUNCTIONS).map((d) => [d, true]));
    const bad = await checkVendorLibrary(spec({ functions: { diskMode: 'SetUDisk' } }), library);
    expect(bad.ok).toBe(false);
    expect(bad.functions.find((f) => f.duty === 'diskMode')).toMatchObject({ function: 'SetUDisk', found: false, error: { code: 'unloadable' } });
    expect(camera.read().clockSetAt).toBeUndefined(); // nothing was called
    const missing = await checkVendorLibrary(spec(), path.join(base, 'nope.so'));
    expect(missing).toMatchObject({ ok: false, functions: [], error: { code: 'unloadable' } });
  });
});

describe('a library that crashes, hangs or answers garbage', () => {
  it('a crash in identity fails the reading as crashed (SIGSEGV); the process is gone and the next reading works', async () => {
    camera.set({ fault: 'GetZFYInfo:crash' });
    const r = await readVendorDock(spec(), settings());
    expect(r).toMatchObject({ ok: false, error: { code: 'crashed', duty: 'identity', function: 'GetZFYInfo', signal: 'SIGSEGV' } });
    if (r.ok) return;
    expect(r.error.message).toMatch(/崩溃.*SIGSEGV.*crashed in the vendor library's GetZFYInfo/);
    expect(processExists(r.error.pid!)).toBe(false);
    expect(r.calls.map((c) => [c.duty, c.code])).toEqual([
      ['init', undefined],
      ['identity', 'crashed'],
    ]);
    await nextReadingWorks();
  });

  it('a crash in an optional duty costs that duty: a fresh process opens the camera again and the rest goes on', async () => {
    useCamera({ disk: { 'DCIM/a.mp4': 'a' }, fault: 'ReadDeviceBatteryDumpEnergy:crash' });
    const r = ok(await readVendorDock(spec(), settings()));
    expect(r.batteryPercent).toBeNull();
    expect(r.errors.battery).toMatchObject({ code: 'crashed', signal: 'SIGSEGV' });
    expect(r.clock).not.toBeNull();
    expect(r.clockSet).toBe(true);
    expect(r.diskMode).toBe(true);
    expect(existsSync(path.join(camera.root, 'DCIM/a.mp4'))).toBe(true);
    expect(r.calls.map((c) => [c.duty, c.ok, c.reopen ?? false])).toEqual([
      ['init', true, false],
      ['identity', true, false],
      ['battery', false, false],
      ['init', true, true],
      ['readClock', true, false],
      ['setClock', true, false],
      ['diskMode', true, false],
      ['release', true, false],
    ]);
    await nextReadingWorks();
  });

  it('a hang is killed after the profile’s timeout and fails as timeout; the process is gone and the next reading works', async () => {
    camera.set({ fault: 'GetDevTime:hang' });
    const started = performance.now();
    const r = ok(await readVendorDock(spec({ timeoutSeconds: 3 }), settings()));
    const elapsed = performance.now() - started;
    expect(r.errors.readClock).toMatchObject({ code: 'timeout', duty: 'readClock', function: 'GetDevTime' });
    expect(r.errors.readClock!.message).toMatch(/3 秒内没有返回.*did not return within 3 s/);
    expect(processExists(r.errors.readClock!.pid!)).toBe(false);
    const call = r.calls.find((c) => c.duty === 'readClock')!;
    expect(call).toMatchObject({ ok: false, code: 'timeout' });
    expect(call.ms).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    // The rest went on, on a fresh process.
    expect(r.clockSet).toBe(true);
    expect(r.diskMode).toBe(true);
    await nextReadingWorks();
  });

  it('a hang in init fails the reading as timeout', async () => {
    camera.set({ fault: 'Init_Device:hang' });
    const r = await readVendorDock(spec({ timeoutSeconds: 3 }), settings());
    expect(r).toMatchObject({ ok: false, error: { code: 'timeout', duty: 'init', function: 'Init_Device' } });
    if (!r.ok) expect(processExists(r.error.pid!)).toBe(false);
    await nextReadingWorks();
  });

  it('a caller that gives up (the camera was unplugged) kills the hung process: aborted', async () => {
    camera.set({ fault: 'GetZFYInfo:hang' });
    const controller = new AbortController();
    const reading = readVendorDock(spec({ timeoutSeconds: 120 }), settings(), { signal: controller.signal });
    // Gives up once the library is stuck in GetZFYInfo (the emulator says so in .zfy/hanging), whatever the machine's speed.
    const poll = setInterval(() => {
      if (existsSync(path.join(camera.root, '.zfy', 'hanging'))) controller.abort();
    }, 20);
    const r = await reading;
    clearInterval(poll);
    expect(r).toMatchObject({ ok: false, error: { code: 'aborted', duty: 'identity', function: 'GetZFYInfo' } });
    expect(readFileSync(path.join(camera.root, '.zfy', 'hanging'), 'utf8')).toBe('GetZFYInfo\n');
    await nextReadingWorks();
  });

  it.each([
    ['Init_Device', 'init', /识别码.*NUL.*id code is not NUL-terminated within its 64 bytes/],
    ['GetZFYInfo', 'identity', /产品序号（cSerial）.*the serial \(cSerial\) is (holds control characters|not NUL-terminated|not valid)/],
  ] as const)('garbage from %s fails the reading as garbage', async (fn, duty, words) => {
    camera.set({ fault: `${fn}:garbage` });
    const r = await readVendorDock(spec(), settings());
    expect(r).toMatchObject({ ok: false, error: { code: 'garbage', duty, function: fn } });
    if (!r.ok) expect(r.error.message).toMatch(words);
    await nextReadingWorks();
  });

  it.each([
    ['ReadDeviceBatteryDumpEnergy', 'battery', /电量 250 不在 0–100 之间.*battery 250 is not within 0–100/],
    ['GetDevTime', 'readClock', /不符合时间格式.*does not fit time format yyyy-MM-dd HH:mm:ss/],
    ['SyncDevTime', 'setClock', /返回值 7.*returned 7, neither 1 \(success\) nor 0 \(failure\)/],
    ['SetMSDC', 'diskMode', /returned 7/],
  ] as const)('garbage from %s is recorded as garbage and the reading goes on', async (fn, duty, words) => {
    camera.set({ fault: `${fn}:garbage` });
    const r = ok(await readVendorDock(spec(), settings()));
    expect(r.errors[duty]).toMatchObject({ code: 'garbage', duty, function: fn });
    expect(r.errors[duty]!.message).toMatch(words);
    expect(Object.keys(r.errors)).toEqual([duty]);
    expect(r.identity.serial).toBe('1234567');
    await nextReadingWorks();
  });
});
