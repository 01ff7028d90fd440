import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runStation } from '../support/cli.js';
import { expect } from './fixtures.js';
import { CUSTODIAN, dock, GENERAL, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// A dock's details on the board (详情): when an offload ends the custodian
// sees every file and its state, which files were stored damaged and why,
// which were not stored and why (in their language), and what on the camera
// was not followed. The emulated camera carries a truncated and an empty
// recording; here it also carries a symbolic link (a named pipe, which fails
// the dock, is in dock-unreadable.spec.ts).

const START = Date.parse('2026-11-27T18:00:00+08:00');
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const check = screenChecks('dock-detail');

function card(page: Page) {
  return page.getByRole('article', { name: SERIAL });
}

test('the details of a finished offload: damaged recordings with the probe\'s message, and what was not followed', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START }, {
    clockOffsetSeconds: -300,
    prepare: (volume) => {
      fs.symlinkSync('/etc/passwd', path.join(volume, 'RECORD', 'passwd-link.MP4'));
    },
  });
  await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  await card(page).getByRole('button', { name: '详情' }).click();
  const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
  await expect(dialog.getByRole('button', { name: '关闭' })).toBeFocused();
  await expect(dialog).toContainText(/共 \d+ 个：已存入 \d+ 个，此前已保存 0 个，失败 0 个/);
  // 第七条: the camera's clock ran five minutes slow.
  await expect(dialog).toContainText('比采集站慢 5 分 0 秒；片段时间已据此校正');
  await expect(dialog).toContainText('内存卡剩余空间32.0 GB');

  const damaged = dialog.getByRole('region', { name: /已存入但无法正常播放的文件（2 个）/ });
  await expect(damaged.getByRole('listitem')).toHaveCount(2);
  // Said in the reader's words, each with the checker's message as the clip keeps it.
  const truncated = damaged.getByRole('listitem').filter({ hasText: '_0003.MP4' });
  await expect(truncated).toContainText('录像不完整：文件缺少结尾的索引（moov）');
  await expect(truncated).toContainText('检测信息：moov atom not found');
  const empty = damaged.getByRole('listitem').filter({ hasText: '_0004.MP4' });
  await expect(empty).toContainText('文件为空（0 字节）');
  await expect(empty).toContainText('检测信息：zero-length file');

  const notices = dialog.getByRole('region', { name: /提示（1 条）/ });
  await expect(notices.getByRole('listitem').filter({ hasText: 'RECORD/passwd-link.MP4' })).toContainText('符号链接，采集站不跟随');

  const files = dialog.getByRole('region', { name: '全部文件' }).last();
  await expect(files.getByRole('row').filter({ hasText: '已存入（损坏）' })).toHaveCount(2);
  await expect(files.getByRole('row').filter({ hasText: /\.MP4.*视频.*已存入$/ }).first()).toBeVisible();
  await expect(dialog.getByRole('region', { name: /未能存入的文件/ })).toHaveCount(0);
  await check(page, '01-done');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('a file whose camera time cannot be true is stored and flagged: 记录仪时钟有误 in the details, beside its state and as a notice', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START }, {
    prepare: (volume) => {
      // A photo saved again by a camera whose clock reset to 1980: no time in its name either.
      const photos = path.join(volume, 'PHOTO', '抓拍');
      const photo = fs.readdirSync(photos).find((n) => n.endsWith('.JPG'))!;
      const old = path.join(photos, 'RESET.JPG');
      fs.copyFileSync(path.join(photos, photo), old);
      fs.utimesSync(old, Date.UTC(1980, 0, 1) / 1000, Date.UTC(1980, 0, 1) / 1000);
    },
  });
  await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  await card(page).getByRole('button', { name: '详情' }).click();
  const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
  const notice = dialog.getByRole('region', { name: /提示（1 条）/ }).getByRole('listitem');
  await expect(notice).toContainText('PHOTO/抓拍/RESET.JPG');
  await expect(notice).toContainText('记录仪时钟有误：此文件的时间早于 2000 年或晚于本站时间一天以上');
  const files = dialog.getByRole('region', { name: '全部文件' }).last();
  const row = files.getByRole('row').filter({ hasText: 'RESET.JPG' });
  await expect(row).toContainText('已存入');
  await expect(row).toContainText('记录仪时钟有误');
  // Only that file: the camera's own files keep their times.
  await expect(files.getByRole('row').filter({ hasText: '记录仪时钟有误' })).toHaveCount(1);
  await row.scrollIntoViewIfNeeded();
  await check(page, '15-camera-clock-wrong');
});

test('a cancelled offload: the details list the files not stored and why, in the reader\'s language, and the camera\'s page keeps the dock', async ({ harness, page, watchDir }) => {
  test.setTimeout(120_000);
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  // Two clips padded to 512 MiB: a second or more to pause it while the first is copied, on a fast disk too.
  const folder = await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START }, { clipBytes: 512 * 1024 ** 2 });
  await card(page).getByRole('button', { name: '暂停' }).click({ timeout: 60_000 });
  await expect(card(page).getByRole('status')).toHaveText('已暂停');
  await card(page).getByRole('button', { name: '取消导出' }).click();
  await page.getByRole('dialog', { name: /取消 .* 的导出/ }).getByRole('button', { name: '取消导出' }).click();
  await expect(card(page).getByRole('status')).toHaveText('导出已取消', { timeout: 120_000 });

  await card(page).getByRole('button', { name: '详情' }).click();
  const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
  const failed = dialog.getByRole('region', { name: /未能存入的文件（\d+ 个）/ });
  await expect(failed).toContainText('仍在执法记录仪上，未做任何改动');
  await expect(failed.getByRole('listitem').first()).toContainText('导出已取消；下次接入时重新复制。');
  await expect(dialog.getByRole('region', { name: '全部文件' }).last().getByRole('row').filter({ hasText: '失败' }).first()).toBeVisible();
  await check(page, '02-cancelled');
  await dialog.getByRole('button', { name: '关闭' }).click();

  // Taken off the dock, it leaves the board; the camera's page keeps the dock, with its details.
  fs.rmSync(folder, { recursive: true, force: true });
  await expect(card(page)).toHaveCount(0, { timeout: 15_000 });
  await menu(page, '执法记录仪登记').click();
  await page.getByRole('link', { name: SERIAL }).click();
  const history = page.getByRole('region', { name: '接入记录' });
  const row = history.getByRole('row').filter({ hasText: '导出已取消' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('2026-11-27 18:00:00');
  await check(page, '03-camera-history');
  await row.getByRole('button', { name: /详情/ }).click();
  const again = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
  await expect(again.getByRole('region', { name: /未能存入的文件/ })).toContainText('导出已取消；下次接入时重新复制。');

  await again.getByRole('button', { name: '关闭' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('region', { name: 'Docks' }).getByRole('button', { name: /Details/ }).click();
  const english = page.getByRole('dialog', { name: `Dock details: ${SERIAL}` });
  await expect(english.getByRole('region', { name: /Files not stored/ }).getByRole('listitem').first()).toContainText('The offload was cancelled; the file is copied at the next dock.');
  await check(page, '04-cancelled-english');
});

test('综合处 sets the vault reserve; a dock that leaves less raises the board\'s alarm with what is left, and the footage is still stored', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, GENERAL);
  await menu(page, '保管规则设置').click();
  const form = page.getByRole('form', { name: '保管规则设置' });
  const reserve = form.getByLabel('证据库保留空间（GiB）');
  // The browser tests' stations start with no reserve (the app's default is 20 GiB).
  await expect(reserve).toHaveValue('0');
  await expect(reserve).toHaveAccessibleDescription(/存储空间不足.*0–16384/);
  // The schema's largest, 16 TiB: more than any disk here, so every dock leaves the vault below it.
  await reserve.fill('16384');
  await form.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toContainText('已保存');
  await page.getByRole('link', { name: '首页' }).click();

  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  const alarm = page.getByRole('region', { name: '警报' }).getByRole('listitem').filter({ hasText: '存储空间不足' });
  await expect(alarm).toContainText(/证据库剩余 [\d.]+ (GB|TB)，低于保留空间 16\.0 TB/);
  await check(page, '05-vault-low');
});

test('the vault\'s disk is not mounted: nothing is copied, the board says why and what to do, and the next dock after it is back offloads', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  // The station's vault is <data>/vault; it is taken away and an empty folder stands in its
  // place, as a disk's mount point does when the disk is not mounted.
  const vault = path.join(test.info().outputPath('station'), 'vault');
  const disk = `${vault}-disk`;
  fs.renameSync(vault, disk);
  fs.mkdirSync(vault);

  const volume = await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  const alarm = page.getByRole('region', { name: '警报' }).getByRole('listitem').filter({ hasText: '证据库不可用' });
  await expect(alarm).toContainText(`${vault} 中没有本站的证据库：证据库磁盘可能未挂载。请挂载证据库磁盘后，本警报自动解除`, { timeout: 120_000 });
  await expect(card(page)).toContainText(/导出失败：\d+ 个文件未能存入，仍在执法记录仪上/, { timeout: 120_000 });
  await expect(card(page)).toContainText('请不要取走');
  expect(fs.readdirSync(vault), 'nothing was written in the stand-in folder').toEqual([]);
  await check(page, '06-vault-unavailable');
  await card(page).getByRole('button', { name: '详情' }).click();
  const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
  await expect(dialog.getByRole('region', { name: /未能存入/ }).getByRole('listitem').first()).toContainText('证据库不可用（磁盘未挂载或不是本站的证据库），未复制，资料仍在执法记录仪上');
  await check(page, '07-vault-unavailable-detail');
  await dialog.getByRole('button', { name: '关闭' }).click();
  // The officer at the login screen's public status: not offloaded, do not take it, whom to ask.
  await logout(page);
  await expect(page.getByRole('region', { name: '接入台' }).getByRole('status').filter({ hasText: '证据库暂不可用' })).toHaveText(
    '证据库暂不可用：现在接入的执法记录仪不会导出，资料保留在记录仪上。请联系综合处。',
  );
  const lobbyCard = page.getByRole('region', { name: '接入台' }).getByRole('article', { name: SERIAL });
  await expect(lobbyCard.getByRole('status')).toHaveText('导出失败');
  await expect(lobbyCard).toContainText('请不要取走：资料可能仍在执法记录仪上，请联系综合处。');
  await check(page, '08-vault-unavailable-lobby');
  await loginBadge(page, CUSTODIAN);

  // The disk is back; the camera is taken off and docked again.
  fs.rmdirSync(vault);
  fs.renameSync(disk, vault);
  fs.rmSync(volume, { recursive: true, force: true });
  await expect(card(page)).toHaveCount(0, { timeout: 120_000 });
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  await expect(alarm).toHaveCount(0);
  await logout(page);
  await expect(page.getByRole('region', { name: '接入台' })).not.toContainText('证据库暂不可用');
});

test('a clip the vault has lost is put back, and an altered one replaced by its original, when the camera that still holds them is docked again; the alarm and the details say which', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  const volume = await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  // The camera is taken off (its volume moved out of the watched folder, as it was).
  const offDock = path.join(test.info().outputPath('off-dock'), 'volume');
  fs.mkdirSync(path.dirname(offDock), { recursive: true });
  fs.renameSync(volume, offDock);
  await expect(card(page)).toHaveCount(0, { timeout: 120_000 });

  // One recording's file is removed from the vault (its sidecar stays), another's altered.
  const vault = path.join(test.info().outputPath('station'), 'vault');
  const recordings = (fs.readdirSync(vault, { recursive: true }) as string[]).filter((f) => f.endsWith('.MP4') && !f.startsWith('.incoming'));
  const [lost, altered] = recordings.sort() as [string, string];
  const bytes = fs.readFileSync(path.join(vault, lost));
  fs.rmSync(path.join(vault, lost));
  const original = fs.readFileSync(path.join(vault, altered));
  const changed = Buffer.from(original);
  changed.writeUInt8(changed.readUInt8(changed.length >> 1) ^ 0xff, changed.length >> 1);
  fs.chmodSync(path.join(vault, altered), 0o644);
  fs.writeFileSync(path.join(vault, altered), changed);
  // 综合处 runs `station verify` beside the running station: it finds one file missing and one
  // altered, and the board's alarm says what to do about each.
  const verify = await runStation(['verify', '--data', path.dirname(vault)]);
  expect(verify.code, verify.stderr).toBe(1);

  fs.renameSync(offDock, volume);
  await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  const alarm = page.getByRole('region', { name: '警报' }).getByRole('listitem').filter({ hasText: '校验失败' });
  await expect(alarm).toContainText('证据库复核发现问题。');
  await expect(alarm).toContainText('缺失 1 个：仍存有这些文件的执法记录仪再次接入时，采集站会校验后放回原位置。');
  await expect(alarm).toContainText('与入库时的哈希不符 1 个（被改动或损坏）：请立即联系综合处');
  await expect(alarm).toContainText('此后已由再次接入的执法记录仪放回 2 个（已校验）');
  await check(page, '10-vault-check-alarm');
  expect(fs.readFileSync(path.join(vault, lost)).equals(bytes), 'the same bytes are back at the same place').toBe(true);
  expect(fs.readFileSync(path.join(vault, altered)).equals(original), 'the original is back in place of the altered file').toBe(true);
  const kept = (fs.readdirSync(path.join(vault, '.altered'), { recursive: true }) as string[]).filter((f) => f.endsWith('.MP4'));
  expect(kept).toHaveLength(1);
  expect(fs.readFileSync(path.join(vault, '.altered', kept[0]!)).equals(changed), 'the altered file is kept as it was').toBe(true);
  await card(page).getByRole('button', { name: '详情' }).click();
  const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
  await expect(dialog).toContainText(/共 (\d+) 个：已存入 2 个，此前已保存 \d+ 个，失败 0 个/);
  const notices = dialog.getByRole('region', { name: /提示（2 条）/ });
  await expect(notices.getByRole('listitem').filter({ hasText: '证据库中此文件的副本已丢失，已从记录仪重新复制，校验一致后放回原位置。' })).toHaveCount(1);
  await expect(
    notices.getByRole('listitem').filter({ hasText: '证据库中此文件的副本与入库时的哈希不符（被改动或损坏），已原样移至证据库的 .altered 目录保存' }),
  ).toHaveCount(1);
  await check(page, '09-vault-copy-restored');

  // The alarm in English, as 综合处 may read it.
  await dialog.getByRole('button', { name: '关闭' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  const englishAlarm = page.getByRole('region', { name: 'Alarms' }).getByRole('listitem').filter({ hasText: 'The vault check found problems.' });
  await expect(englishAlarm).toContainText('No longer matching the hash taken when stored: 1 (altered or damaged).');
  await expect(englishAlarm).toContainText('Missing: 1. Docking a camera that still holds them puts them back, verified.');
  await expect(englishAlarm).toContainText('Put right since by a camera docked again: 2 (verified).');
  await check(page, '11-vault-check-alarm-english');
});

test.describe('a station whose ffprobe does not run', () => {
  // Named before the station starts and created by the test: ffprobe "installed" while it runs.
  const ffprobe = path.join(os.tmpdir(), `station-no-ffprobe-${process.pid}`, 'ffprobe');
  test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY, ffprobe }) });
  test.afterEach(() => fs.rmSync(path.dirname(ffprobe), { recursive: true, force: true }));

  test('the board says so before any dock; footage is still stored, marked not checked; once ffprobe is installed the next dock clears the alarm', async ({ harness, page, watchDir }) => {
    await setUpStation(page, harness.url);
    await loginBadge(page, CUSTODIAN);
    const alarm = page.getByRole('region', { name: '警报' }).getByRole('listitem').filter({ hasText: '无法检查录像能否播放' });
    await expect(alarm).toContainText(`检测程序 ffprobe 无法运行（${ffprobe}: spawn ${ffprobe} ENOENT）。资料照常导出，经哈希校验后完整保存`);
    await expect(alarm).toContainText('请管理员安装或修复 ffmpeg（含 ffprobe）；修复后本警报在半分钟内自动解除，这些文件随后自动补查。');
    await check(page, '12-probe-unavailable');

    const volume = await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
    await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
    await card(page).getByRole('button', { name: '详情' }).click();
    const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
    await expect(dialog).toContainText('失败 0 个');
    // The whole recordings (the important one among them) and the audio: what only ffprobe reads
    // (duration, codecs), listed apart from the damaged, since none is known to be.
    const unchecked = dialog.getByRole('region', { name: '已存入但未能检查能否播放的文件（3 个）' });
    await expect(unchecked).toContainText('哈希校验一致，但检测程序未能检查它们能否正常播放，不一定损坏；检测程序恢复运行后会自动补查。');
    await expect(unchecked.getByRole('listitem')).toHaveCount(3);
    await expect(unchecked.getByRole('listitem').first()).toContainText('未能检查此文件能否播放（检测程序未能运行、出错或超时）；文件已完整保存。');
    await expect(unchecked.getByRole('listitem').first()).toContainText(`检测信息：ffprobe: spawn ${ffprobe} ENOENT`);
    // The empty file needs no checker to be known empty, nor the recording cut short (its MP4 boxes
    // are read in process: no moov); the photo is read whole in process and is not listed.
    const damaged = dialog.getByRole('region', { name: '已存入但无法正常播放的文件（2 个）' });
    await expect(damaged.getByRole('listitem')).toHaveCount(2);
    await expect(damaged).toContainText('文件为空（0 字节）');
    await expect(damaged).toContainText('检测信息：moov atom not found');
    const files = dialog.getByRole('region', { name: '全部文件' }).last();
    await expect(files.getByRole('row').filter({ hasText: '已存入（未能检查）' })).toHaveCount(3);
    await check(page, '13-probe-unavailable-detail');
    await dialog.getByRole('button', { name: '关闭' }).click();

    // ffprobe installed; the camera is taken off and docked again with new footage.
    fs.mkdirSync(path.dirname(ffprobe), { recursive: true });
    fs.symlinkSync(execFileSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).trim(), ffprobe);
    fs.rmSync(volume, { recursive: true, force: true });
    await expect(card(page)).toHaveCount(0, { timeout: 120_000 });
    await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START + 3_600_000 });
    await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
    await expect(alarm).toHaveCount(0);

    // The first dock's files, checked since from their vault copies: on the camera's page, its
    // 详情 lists none as not checked, and the recording cut short as damaged beside the empty file.
    const database = path.join(test.info().outputPath('station'), 'station.sqlite');
    await expect
      .poll(() => {
        const db = new Database(database, { readonly: true });
        try {
          return db.prepare("SELECT count(*) AS n FROM clip WHERE damage_reason LIKE 'ffprobe: spawn %'").get();
        } finally {
          db.close();
        }
      }, { timeout: 120_000 })
      .toEqual({ n: 0 });
    await menu(page, '执法记录仪登记').click();
    await page.getByRole('link', { name: SERIAL }).click();
    const docks = page.getByRole('region', { name: '接入记录' }).getByRole('row').filter({ has: page.getByRole('button', { name: /详情/ }) });
    await expect(docks).toHaveCount(2);
    await docks.last().getByRole('button', { name: /详情/ }).click();
    const first = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
    await expect(first.getByRole('region', { name: '已存入但无法正常播放的文件（2 个）' })).toContainText('录像不完整：文件缺少结尾的索引（moov）');
    await expect(first.getByRole('region', { name: /未能检查能否播放/ })).toHaveCount(0);
    await expect(first.getByRole('region', { name: '全部文件' }).last().getByRole('row').filter({ hasText: '已存入（未能检查）' })).toHaveCount(0);
    await check(page, '14-probe-rechecked');
  });
});
