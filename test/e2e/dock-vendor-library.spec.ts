import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeCamera } from '../fixtures/camera/camera.js';
import { runStation } from '../support/cli.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary } from '../support/vendor-sdk.js';
import { expect } from './fixtures.js';
import { seedStation } from './page-calls.js';
import { ADMIN, CUSTODIAN, CUSTODY_PEOPLE, GENERAL, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, test } from './steps.js';

// A camera read through its vendor's USB library (docs/vendor-library.md), docked end to end
// through the browser harness. The camera shows no files when attached: its folder in the watched
// folder holds only `.usb-device` (0603:8612, the novatek-movie profile's USB id) and the emulated
// library's `.zfy/`. The station sees the USB id, loads the library (the test suite's C library,
// test/fixtures/vendor-sdk/zfy-emu.c, built with gcc) in a process of its own and asks it who the
// camera is, its battery and clock, sets its clock and switches it to disk mode; the card's files
// then appear in the folder, the volume is identified as novatek-movie and ingested under the
// serial the library gave (the card itself says nothing of whose camera it is). The library finds
// "the camera" through ZFY_EMU_DEVICE, which the core process (and the library's process under it)
// inherits from this worker.

const START = Date.parse('2026-11-27T18:00:00+08:00');
/** The library's serial: ZFY_INFO.cSerial is char[8], so at most 7 characters. */
const SDK_SERIAL = '1234567';
/** The camera's folder in the watched folder: what ZFY_EMU_DEVICE names. */
const CAMERA_FOLDER = 'zfy-novatek';
/** The camera's clock, frozen 95 s ahead of the station's (Asia/Shanghai wall clock, as the library answers). */
const CAMERA_CLOCK = '2026-11-27 18:01:35';

test.use({
  harnessOptions: async ({ watchDir }, use) => {
    // Set before the harness starts its core: the core is spawned with this worker's environment,
    // and forks the library's process with its own.
    const saved = process.env.ZFY_EMU_DEVICE;
    process.env.ZFY_EMU_DEVICE = path.join(watchDir, CAMERA_FOLDER);
    try {
      await use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY });
    } finally {
      if (saved === undefined) delete process.env.ZFY_EMU_DEVICE;
      else process.env.ZFY_EMU_DEVICE = saved;
    }
  },
});

const check = screenChecks('dock-vendor-library');

function card(page: Page) {
  return page.getByRole('article', { name: SDK_SERIAL });
}

/** The emulated library, or why it cannot be had (no gcc: the test is skipped, saying so). */
function buildLibrary(): { library: string } | { missing: string } {
  try {
    return { library: vendorSdkLibrary() };
  } catch (err) {
    if ((err as Error & { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') return { missing: (err as Error).message };
    throw err;
  }
}

test('a camera read through its vendor USB library: identified by the library, switched to disk mode, ingested under the serial it gave; 详情 and the audit log say so', async ({
  harness,
  page,
  watchDir,
}) => {
  const built = buildLibrary();
  test.skip('missing' in built, 'missing' in built ? built.missing : '');
  if (!('library' in built)) return;
  // A station, a library process, ffmpeg making clips and ffprobe checking them on a loaded 2-core machine.
  test.setTimeout(420_000);

  // The station as its administrator leaves it, with the library's camera registered to the officer.
  await seedStation(page, harness.url, ADMIN, CUSTODY_PEOPLE, {
    serial: SDK_SERIAL,
    keeperIndex: CUSTODY_PEOPLE.findIndex((p) => p.badge === OFFICER.badge),
  });
  await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();

  // The administrator tells the station where the model's library is and the device password
  // (docs/vendor-library.md §3), as the OS account owning the data folder, beside the running core.
  const dataDir = test.info().outputPath('station');
  const set = await runStation(
    ['vendor-library', 'set', '--data', dataDir, '--profile', 'novatek-movie', '--library', built.library, '--password-stdin', '--check'],
    { stdin: `${SDK_CAMERA_DEFAULTS.password}\n` },
  );
  expect(set.code, `${set.stdout}\n${set.stderr}`).toBe(0);
  expect(set.stdout).toContain('已保存（已记入审计）');
  expect(set.stdout).toContain('厂商库已加载，型号配置中的函数都找到了');
  expect(set.stdout + set.stderr).not.toContain(SDK_CAMERA_DEFAULTS.password);

  await loginBadge(page, CUSTODIAN);

  // The camera, made beside the watched folder: the library's device.ini (serial, the officer's
  // 警号 and 姓名, battery 87 %, its clock), and the card as the novatek-movie model writes it,
  // hidden in .zfy/disk until SetMSDC moves it into the folder.
  const staging = fs.mkdtempSync(path.join(path.dirname(watchDir), 'station-camera-'));
  try {
    const root = path.join(staging, 'camera');
    makeSdkCamera(root, { serial: SDK_SERIAL, badge: OFFICER.badge, name: OFFICER.name, usb: '0603:8612', clock: CAMERA_CLOCK });
    const manifest = await makeCamera({
      out: path.join(root, '.zfy', 'disk'),
      profile: 'novatek-movie',
      serial: SDK_SERIAL,
      badge: OFFICER.badge,
      now: START,
      clockOffsetSeconds: 0,
      clips: 2,
      seconds: 1,
    });
    // Nothing on the card says whose camera it is: only the library can.
    expect(manifest.identity).toEqual({ serial: null, badge: null });
    // What the station must store: two whole clips (one locked, RO/ = 重点), one cut short, one
    // empty, a photo and a stray log among the footage; LOG/BATTERY.TXT lies outside it.
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const damaged = footage.filter((f) => f.expected === 'damaged');
    const important = footage.filter((f) => f.expectedName?.important);
    expect(footage).toHaveLength(6);
    expect(damaged).toHaveLength(2);
    expect(important.map((f) => f.path)).toEqual([expect.stringMatching(/^DCIM\/Movie\/RO\/\d{4}_\d{4}_\d{6}_\d{3}\.MP4$/)]);
    const photo = footage.find((f) => f.role === 'photo')!;
    const stray = footage.find((f) => f.role === 'stray')!;
    const battery = manifest.files.find((f) => f.path === 'LOG/BATTERY.TXT');
    expect(battery?.expected).toBe('not-footage');
    // Attached, the camera shows no files: only its USB id and the library's folder.
    expect(fs.readdirSync(root).sort()).toEqual(['.usb-device', '.zfy']);

    // Docked: moved into the watched folder whole, where ZFY_EMU_DEVICE points.
    const volume = path.join(watchDir, CAMERA_FOLDER);
    fs.renameSync(root, volume);

    // The board: done, 可以取走, under the library's serial, every footage file stored; the keeper
    // and the officer the library reported (警号 and 姓名 from GetZFYInfo) are the same person.
    await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 300_000 });
    await expect(card(page).getByRole('status')).toHaveText('导出保存完成');
    await expect(card(page).getByTestId('safe-to-remove')).toContainText(`可以取走已保存 ${footage.length} 个文件（0 个此前已保存）`);
    await expect(card(page)).toHaveClass(/dock-card-done/);
    await expect(card(page)).toContainText(`定人保管人${OFFICER.name}（${OFFICER.badge}）`);
    await expect(card(page)).toContainText(`绑定警员${OFFICER.name}（${OFFICER.badge}）`);
    const alarms = page.getByRole('region', { name: '警报' }).getByRole('listitem');
    await expect(alarms.filter({ hasText: SDK_SERIAL })).toHaveCount(0);
    // Disk mode happened: the card's files came out of the library's hiding place into the volume.
    expect(fs.existsSync(path.join(volume, 'DCIM', 'Movie'))).toBe(true);
    expect(fs.readdirSync(path.join(volume, '.zfy', 'disk'))).toEqual([]);
    await check(page, '01-board');

    // 详情: the clock and the battery are the library's (the card's LOG/BATTERY.TXT says 64 %, the
    // novatek card keeps no clock file), and every file with its state.
    await card(page).getByRole('button', { name: '详情' }).click();
    const dialog = page.getByRole('dialog', { name: `接入详情：${SDK_SERIAL}` });
    await expect(dialog.getByRole('button', { name: '关闭' })).toBeFocused();
    await expect(dialog).toContainText(`共 ${footage.length} 个：已存入 ${footage.length} 个，此前已保存 0 个，失败 0 个`);
    await expect(dialog).toContainText('比采集站快 1 分 35 秒；片段时间已据此校正');
    await expect(dialog).toContainText(`电量${SDK_CAMERA_DEFAULTS.battery}%`);
    const damagedList = dialog.getByRole('region', { name: `已存入但无法正常播放的文件（${damaged.length} 个）` });
    await expect(damagedList.getByRole('listitem')).toHaveCount(damaged.length);
    await expect(damagedList.getByRole('listitem').filter({ hasText: damaged.find((f) => f.damage === 'truncated')!.path })).toContainText('录像不完整');
    await expect(damagedList.getByRole('listitem').filter({ hasText: damaged.find((f) => f.damage === 'zero-length')!.path })).toContainText('文件为空（0 字节）');
    const files = dialog.getByRole('region', { name: '全部文件' }).last();
    await expect(files.getByRole('row').filter({ hasText: /已存入/ })).toHaveCount(footage.length);
    await expect(files.getByRole('row').filter({ hasText: important[0]!.path })).toContainText('已存入');
    await expect(files.getByRole('row').filter({ hasText: photo.path })).toContainText('已存入');
    await expect(files.getByRole('row').filter({ hasText: stray.path })).toContainText('已存入');
    await expect(files.getByRole('row').filter({ hasText: 'LOG/BATTERY.TXT' })).toHaveCount(0);
    await expect(dialog.getByRole('region', { name: /未能存入的文件/ })).toHaveCount(0);
    await check(page, '02-detail');
    await files.getByRole('row').filter({ hasText: important[0]!.path }).scrollIntoViewIfNeeded();
    await check(page, '03-detail-files');
    await dialog.getByRole('button', { name: '关闭' }).click();
    await expect(dialog).toHaveCount(0);

    // 综合处 reads the audit log: the library's settings changed by the OS account (never the
    // password), and the dock read through the library, with every call it made.
    await logout(page);
    await loginBadge(page, GENERAL);
    await menu(page, '审计日志').click();
    await expect(page.getByTestId('chain-status')).toContainText(/审计链完整（共 \d+ 条记录）/);
    const log = page.getByRole('region', { name: '审计日志' });
    const settings = log.getByRole('row').filter({ hasText: '修改记录仪型号的厂商库或设备密码设置' });
    await expect(settings).toHaveCount(1);
    await expect(settings).toContainText('（命令行）');
    const read = log.getByRole('row').filter({ hasText: '经厂商 USB 库读取执法记录仪（身份、电量、时钟、校时、磁盘模式）' });
    await expect(read).toHaveCount(1);
    await read.getByRole('button', { name: '展开' }).click();
    const details = log.locator('tr.details-row');
    await expect(details).toHaveCount(1);
    const field = (name: string) => details.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await expect(field('状态')).toContainText('ok');
    await expect(field('USB 标识')).toContainText('0603:8612');
    await expect(field('型号配置')).toContainText('novatek-movie');
    // Every duty the profile maps, in the order the station calls them, each answered.
    await expect(field('厂商库调用')).toContainText(
      /"function":"Init_Device".*"function":"GetZFYInfo".*"function":"ReadDeviceBatteryDumpEnergy".*"function":"GetDevTime".*"function":"SyncDevTime".*"function":"SetMSDC".*"function":"UnInit_Device"/,
    );
    await expect(field('厂商库调用')).not.toContainText('"ok":false');
    // Who the library said the camera is, whole: its serial, 警号 and name.
    await expect(field('记录仪身份')).toContainText(`"serial":"${SDK_SERIAL}"`);
    await expect(field('记录仪身份')).toContainText(OFFICER.badge);
    await expect(field('记录仪身份')).toContainText(OFFICER.name);
    await expect(field('电量（%）')).toContainText(String(SDK_CAMERA_DEFAULTS.battery));
    await expect(field('记录仪时间')).toContainText(CAMERA_CLOCK);
    await expect(field('已校时')).toContainText('是');
    await expect(field('已切换磁盘模式')).toContainText('是');
    await details.scrollIntoViewIfNeeded();
    await check(page, '04-audit');
    // The settings' row names the library file; the password is nowhere on the screen.
    await settings.getByRole('button', { name: '展开' }).click();
    await expect(details).toHaveCount(2);
    await expect(details.filter({ hasText: built.library })).toHaveCount(1);
    await expect(page.locator('body')).not.toContainText(SDK_CAMERA_DEFAULTS.password);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
});
