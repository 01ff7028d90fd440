// `station vendor-library show|set|clear|check`, run in a process of its own as
// the CLI runs (runCli, with a camera profiles folder of the test's own), on a
// real station: the settings land in station_setting, every change is audited
// as the OS user, the password is read from stdin or a file and never appears
// in an argument, an output, an error or an audit row; and what was set is
// what readVendorDock then uses against the emulated library.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { osUserName } from '../../electron/core/cli/run.js';
import { parseProfile } from '../../electron/core/docking/profile/index.js';
import { readVendorDock, readVendorSettings } from '../../electron/core/docking/vendor/index.js';
import { removeAfterEach } from '../support/cleanup.js';
import { repoRoot, runStation, type CliRun } from '../support/cli.js';
import { makeStation, tempDir } from '../support/station.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary } from '../support/vendor-sdk.js';

const ADMIN_PASSWORD = 'correct horse battery';
const DEVICE_PASSWORD = SDK_CAMERA_DEFAULTS.password;
const removeLater = removeAfterEach();

/** A profile that uses the vendor library (the emulator's function names), and variants. */
function profile(id: string, vendorLibrary: Record<string, unknown> | null) {
  return {
    id,
    name: { 'zh-CN': `测试型号 ${id}`, en: `Test model ${id}` },
    recognise: { usb: [{ vendorId: '2207', productId: '0011' }], markers: ['DCIM/'] },
    ...(vendorLibrary ? { vendorLibrary } : {}),
    footage: {
      folders: ['DCIM'],
      fileName: {
        pattern: 'VID_(?<start>\\d{8}_\\d{6})\\.[A-Za-z0-9]+',
        startFormat: 'yyyyMMdd_HHmmss',
        examples: [{ name: 'VID_20240501_083000.MP4', kind: 'video', start: '2024-05-01T08:30:00' }],
      },
      extensions: { mp4: 'video' },
    },
    binding: 'none',
    clock: { read: 'none', set: 'none' },
    status: 'none',
  };
}
const FUNCTIONS = { init: 'Init_Device', identity: 'GetZFYInfo', release: 'UnInit_Device', battery: 'ReadDeviceBatteryDumpEnergy' };

let profilesDir: string;
let library: string;

beforeAll(() => {
  library = vendorSdkLibrary();
  profilesDir = tempDir('vendor-cli-profiles-');
  const profiles = [
    profile('sdk-cam', { functions: FUNCTIONS }),
    profile('sdk-cam-ex', { functions: { ...FUNCTIONS, identity: 'GetZFYInfoEx' } }),
    profile('plain-cam', null),
  ];
  for (const p of profiles) {
    const file = path.join(profilesDir, `${p.id}.json`);
    fs.writeFileSync(file, JSON.stringify(p, null, 2));
    parseProfile(p, file); // the test's own profiles must load, or every test below would say so less clearly
  }
});

const RUN = pathToFileURL(path.join(repoRoot, 'electron/core/cli/run.ts')).href;
const SCRIPT = `const { runCli } = await import(${JSON.stringify(RUN)}); process.exitCode = await runCli(process.argv.slice(1), process.env, { profilesDir: process.env.VENDOR_TEST_PROFILES });`;

/** `station vendor-library <args>` with the test's profiles, stdin as given. */
function vendorCli(args: string[], stdin = ''): Promise<CliRun> {
  return runStation(['vendor-library', ...args], {
    stdin,
    command: [process.execPath, '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
    env: { VENDOR_TEST_PROFILES: profilesDir },
  });
}

async function initialized(): Promise<string> {
  const data = removeLater(tempDir('station-vendor-cli-'));
  const r = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: `${ADMIN_PASSWORD}\n${ADMIN_PASSWORD}\n` });
  expect(r.code, r.stderr).toBe(0);
  return data;
}

/** What the CLI left behind, read through the core. */
async function readBack<T>(data: string, f: (t: ReturnType<typeof makeStation>) => T): Promise<T> {
  const t = makeStation({ dataDir: data });
  try {
    return f(t);
  } finally {
    await t.station.close();
  }
}

const vendorAudit = (t: ReturnType<typeof makeStation>) =>
  t.station.db
    .prepare<[], { action: string; actor_label: string; object_id: string; before_json: string; after_json: string }>(
      "SELECT action, actor_label, object_id, before_json, after_json FROM audit WHERE action = 'vendor.settings_changed' ORDER BY seq",
    )
    .all();

describe('station vendor-library', () => {
  it('sets the library and the password (stdin), shows only "set", audits without the password, and readVendorDock uses them', async () => {
    const data = await initialized();
    const listed = await vendorCli(['show', '--data', data]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('sdk-cam: 测试型号 sdk-cam / Test model sdk-cam');
    expect(listed.stdout).not.toContain('plain-cam');
    expect(listed.stdout).toMatch(/设备密码 password\s+未设置 \/ not set/);

    const set = await vendorCli(['set', '--data', data, '--profile', 'sdk-cam', '--library', library, '--password-stdin'], `${DEVICE_PASSWORD}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('已保存');
    expect(set.stdout).toContain(library);
    expect(set.stdout).toMatch(/设备密码 password\s+已设置 \/ set/);

    const json = await vendorCli(['show', '--data', data, '--profile', 'sdk-cam', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      profileId: 'sdk-cam',
      libraryPath: library,
      passwordSet: true,
      profileName: { 'zh-CN': '测试型号 sdk-cam', en: 'Test model sdk-cam' },
      usesLibrary: true,
      libraryExists: true,
    });
    for (const r of [listed, set, json]) expect(r.stdout + r.stderr).not.toContain(DEVICE_PASSWORD);

    const { settings, rows } = await readBack(data, (t) => ({ settings: readVendorSettings(t.station.db, 'sdk-cam'), rows: vendorAudit(t) }));
    expect(settings).toEqual({ libraryPath: library, password: DEVICE_PASSWORD });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_label: `os:${osUserName()}`, object_id: 'vendor.sdk-cam' });
    expect(JSON.parse(rows[0]!.before_json)).toEqual({ libraryPath: null, passwordSet: false });
    expect(JSON.parse(rows[0]!.after_json)).toEqual({ libraryPath: library, passwordSet: true, passwordChanged: true });
    expect(JSON.stringify(rows)).not.toContain(DEVICE_PASSWORD);

    // What the administrator set is what the dock reads the camera with.
    const camera = makeSdkCamera(removeLater(tempDir('sdk-camera-')));
    process.env.ZFY_EMU_DEVICE = camera.root;
    const profileData = JSON.parse(fs.readFileSync(path.join(profilesDir, 'sdk-cam.json'), 'utf8'));
    const reading = await readVendorDock(parseProfile(profileData, 'sdk-cam.json').vendorLibrary!, settings!);
    expect(reading).toMatchObject({ ok: true, identity: { serial: SDK_CAMERA_DEFAULTS.serial, name: SDK_CAMERA_DEFAULTS.name }, batteryPercent: 87 });
  });

  it('takes the password from a file, clears it alone, then everything; each change is audited', async () => {
    const data = await initialized();
    const file = path.join(removeLater(tempDir('pw-')), 'device-password.txt');
    fs.writeFileSync(file, `\uFEFF${DEVICE_PASSWORD}\r\nnot part of it\n`);
    const set = await vendorCli(['set', '--data', data, '--profile', 'sdk-cam', '--library', library, '--password-file', file]);
    expect(set.code, set.stderr).toBe(0);
    expect(await readBack(data, (t) => readVendorSettings(t.station.db, 'sdk-cam'))).toEqual({ libraryPath: library, password: DEVICE_PASSWORD });

    const clearPassword = await vendorCli(['clear', '--data', data, '--profile', 'sdk-cam', '--password']);
    expect(clearPassword.code, clearPassword.stderr).toBe(0);
    expect(clearPassword.stdout).toMatch(/设备密码 password\s+未设置 \/ not set/);
    expect(await readBack(data, (t) => readVendorSettings(t.station.db, 'sdk-cam'))).toEqual({ libraryPath: library, password: '' });

    const clearAll = await vendorCli(['clear', '--data', data, '--profile', 'sdk-cam']);
    expect(clearAll.code, clearAll.stderr).toBe(0);
    const { settings, rows } = await readBack(data, (t) => ({ settings: readVendorSettings(t.station.db, 'sdk-cam'), rows: vendorAudit(t) }));
    expect(settings).toBeNull();
    expect(rows.map((r) => JSON.parse(r.after_json))).toEqual([
      { libraryPath: library, passwordSet: true, passwordChanged: true },
      { libraryPath: library, passwordSet: false, passwordChanged: true },
      { libraryPath: null, passwordSet: false, passwordChanged: false },
    ]);
  });

  it('checks the library: every function found, or the one missing named (exit 1)', async () => {
    const data = await initialized();
    expect((await vendorCli(['set', '--data', data, '--profile', 'sdk-cam', '--library', library, '--check'])).code).toBe(0);
    const good = await vendorCli(['check', '--data', data, '--profile', 'sdk-cam', '--json']);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).check).toMatchObject({ ok: true, error: null });

    expect((await vendorCli(['set', '--data', data, '--profile', 'sdk-cam-ex', '--library', library])).code).toBe(0);
    const bad = await vendorCli(['check', '--data', data, '--profile', 'sdk-cam-ex']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/identity\s+GetZFYInfoEx\s+缺少 \/ missing/);
    expect(bad.stdout).toMatch(/init\s+Init_Device\s+有 \/ found/);
  });

  it('refuses before first-run setup, like every other call of the core', async () => {
    const data = removeLater(tempDir('station-vendor-cli-'));
    await makeStation({ dataDir: data }).station.close(); // a database, nobody set up
    const r = await vendorCli(['set', '--data', data, '--profile', 'sdk-cam', '--library', library]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not_initialized');
    expect(await readBack(data, (t) => readVendorSettings(t.station.db, 'sdk-cam'))).toBeNull();
  });
});

describe('station vendor-library refuses what cannot be right, changing nothing', () => {
  // One station for all the refusals (each case a test of its own: each spawns the CLI, slow on a loaded machine).
  let data: string;
  beforeAll(async () => {
    data = tempDir('station-vendor-cli-refusals-');
    const r = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: `${ADMIN_PASSWORD}\n${ADMIN_PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
  });

  const cases: Array<[string, string[], string, number, RegExp]> = [
    ['an unknown profile', ['set', '--profile', 'no-such-model', '--library', '@lib'], '', 1, /not_found.*no camera profile no-such-model.*sdk-cam/s],
    ['a profile without vendorLibrary', ['set', '--profile', 'plain-cam', '--library', '@lib'], '', 1, /invalid_state.*no vendorLibrary section/s],
    ['a library file that does not exist', ['set', '--profile', 'sdk-cam', '--library', '/nonexistent/libzfy.so'], '', 1, /does not exist: \/nonexistent\/libzfy\.so/],
    ['an empty password', ['set', '--profile', 'sdk-cam', '--password-stdin'], '\n', 1, /invalid_input.*empty/s],
    ['no password on stdin', ['set', '--profile', 'sdk-cam', '--password-stdin'], '', 1, /missing_input/],
    ['two password sources', ['set', '--profile', 'sdk-cam', '--password-stdin', '--password-file', '/dev/null'], '', 2, /usage/],
    ['nothing to set', ['set', '--profile', 'sdk-cam'], '', 2, /--library, --password-stdin or --password-file/],
    // Never a password on the command line.
    ['a password as an argument', ['set', '--profile', 'sdk-cam', '--password', DEVICE_PASSWORD], '', 2, /usage/],
    ['a check with no library set', ['check', '--profile', 'sdk-cam'], '', 1, /No vendor library is set for sdk-cam/],
    ['no sub-command', [], '', 2, /needs a sub-command: vendor-library show, vendor-library set, vendor-library clear, vendor-library check/],
  ];
  it.each(cases)('%s', async (_what, args, stdin, code, words) => {
    const r = await vendorCli([...args.map((a) => (a === '@lib' ? library : a)), '--data', data], stdin);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(words);
    // The argument case echoes nothing of it back either.
    expect(r.stdout + r.stderr).not.toContain(DEVICE_PASSWORD);
  });

  it('left no setting and no audit row behind', async () => {
    const { settings, rows } = await readBack(data, (t) => ({ settings: readVendorSettings(t.station.db, 'sdk-cam'), rows: vendorAudit(t) }));
    expect(settings).toBeNull();
    expect(rows).toEqual([]);
  });
});
