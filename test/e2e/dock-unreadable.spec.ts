import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeCamera } from '../fixtures/camera/camera.js';
import { faultyFsRefused, mountFaulty, type FaultyMount } from '../support/faulty-fs.js';
import { expect } from './fixtures.js';
import { CUSTODIAN, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// Issue 17, "nothing is left behind silently", as the people at the station
// see it: a camera whose card has a folder that cannot be read (a worn card:
// EIO, through a FUSE view, test/support/faulty-fs.py) and a named pipe among
// its recordings. Everything readable is offloaded, but the board never says
// 可以取走: the card is red, the alarm names the folder and the pipe and says
// what to do, 详情 lists them, and the public dock status says not to take
// the camera. Read whole at the next dock, the alarm clears itself.

const START = Date.parse('2026-11-27T18:00:00+08:00');
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const check = screenChecks('dock-unreadable');

function card(page: Page) {
  return page.getByRole('article', { name: SERIAL });
}

function alarmItem(page: Page, region: string, kind: string) {
  return page.getByRole('region', { name: region }).getByRole('listitem').filter({ hasText: kind });
}

test('a camera with a folder that cannot be read: never 可以取走, the alarm says which and what to do, 详情 lists it; read whole at the next dock, the alarm clears', async ({ harness, page, watchDir }) => {
  const refused = faultyFsRefused();
  test.skip(refused !== null, refused ?? '');
  test.setTimeout(120_000);
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);

  // The camera, written beside the watched folder: two good clips in RECORD/<day>, and a folder
  // RECORD/WORN seen through FUSE, whose sub-folder 20261127_2 answers EIO when listed.
  const staging = fs.mkdtempSync(path.join(path.dirname(watchDir), 'station-camera-'));
  let mount: FaultyMount | null = null;
  try {
    const out = path.join(staging, 'volume');
    await makeCamera({ out, serial: SERIAL, badge: OFFICER.badge, now: START, clockOffsetSeconds: 0, clips: 2, seconds: 1 });
    const source = path.join(staging, 'worn-source');
    for (const rel of ['20261127_1/GOOD_0001.LOG', '20261127_2/LOST_0001.LOG']) {
      fs.mkdirSync(path.dirname(path.join(source, rel)), { recursive: true });
      fs.writeFileSync(path.join(source, rel), randomBytes(8192));
      // Written during the shift, by the station's (manual) clock: not a camera clock gone wrong.
      fs.utimesSync(path.join(source, rel), (START - 600_000) / 1000, (START - 600_000) / 1000);
    }
    const wornRel = 'RECORD/WORN';
    fs.mkdirSync(path.join(out, 'RECORD', 'WORN'));
    mount = await mountFaulty(source, path.join(out, 'RECORD', 'WORN'), { list: ['20261127_2'] }, () => undefined);
    execFileSync('mkfifo', [path.join(out, 'RECORD', 'PIPE.MP4')]);
    const volume = path.join(watchDir, SERIAL);
    fs.renameSync(out, volume); // the mount moves with its folder
    mount.movedTo(path.join(volume, 'RECORD', 'WORN'));

    // The board: red, never 可以取走, and the reason in the custodian's words.
    await expect(card(page).getByRole('status')).toHaveText('导出未完成：记录仪上有部分内容无法读取，其中的资料可能仍在记录仪上。见上方警报。', { timeout: 120_000 });
    await expect(card(page).getByTestId('safe-to-remove')).toHaveCount(0);
    await expect(card(page)).toHaveClass(/dock-card-bad/);
    await expect(card(page)).toContainText('请不要取走');
    const alarm = alarmItem(page, '警报', '录像目录无法读取');
    await expect(alarm).toContainText(SERIAL);
    await expect(alarm).toContainText('未能读取 2 处，其中的资料可能仍在执法记录仪上，本次导出未完成：');
    await expect(alarm).toContainText(`${wornRel}/20261127_2（目录无法列出，EIO）`);
    await expect(alarm).toContainText('RECORD/PIPE.MP4（非普通文件）');
    await expect(alarm).toContainText('请在综合处监督下手工复制其中的资料');
    await check(page, '01-board');

    // 详情: what was stored (the readable file of the worn folder too) and, as notices, what was not read.
    await card(page).getByRole('button', { name: '详情' }).click();
    const dialog = page.getByRole('dialog', { name: `接入详情：${SERIAL}` });
    await expect(dialog).toContainText(/失败 0 个/);
    const files = dialog.getByRole('region', { name: '全部文件' }).last();
    await expect(files.getByRole('row').filter({ hasText: `${wornRel}/20261127_1/GOOD_0001.LOG` })).toContainText('已存入');
    const notices = dialog.getByRole('region', { name: /提示（2 条）/ });
    await expect(notices.getByRole('listitem').filter({ hasText: `${wornRel}/20261127_2` })).toContainText('目录无法完整读取，其中的文件可能未复制，本次导出未完成。');
    await expect(notices.getByRole('listitem').filter({ hasText: 'RECORD/PIPE.MP4' })).toContainText('非普通文件（设备、管道、套接字），不能复制，本次导出未完成。');
    await notices.scrollIntoViewIfNeeded();
    await check(page, '02-detail');
    await dialog.getByRole('button', { name: '关闭' }).click();

    // The same in English, as 综合处 may read it.
    await page.getByRole('button', { name: 'English' }).click();
    const english = alarmItem(page, 'Alarms', 'Footage folder unreadable');
    await expect(english).toContainText(`${wornRel}/20261127_2 (folder cannot be listed, EIO)`);
    await expect(english).toContainText('copied by hand under the general office');
    await expect(card(page).getByRole('status')).toHaveText('Offload incomplete: part of the camera could not be read, and footage may still be on it. See the alarm above.');
    await check(page, '03-board-english');
    await page.getByRole('button', { name: '中文' }).click();

    // The officer at the login screen: not done, do not take it.
    await logout(page);
    const lobbyCard = page.getByRole('region', { name: '接入台' }).getByRole('article', { name: SERIAL });
    await expect(lobbyCard.getByRole('status')).toHaveText('导出失败');
    await expect(lobbyCard).toContainText('请不要取走：资料可能仍在执法记录仪上，请联系综合处。');
    await expect(lobbyCard.getByTestId('safe-to-remove')).toHaveCount(0);
    await check(page, '04-lobby');
    await loginBadge(page, CUSTODIAN);

    // The camera is taken off; its card is read on another reader (no faults) and the pipe taken
    // away. Docked again: the rest is stored, 可以取走, and the alarm has cleared itself.
    mount.unmount();
    mount = null;
    fs.renameSync(volume, out);
    await expect(card(page)).toHaveCount(0, { timeout: 120_000 });
    fs.rmdirSync(path.join(out, 'RECORD', 'WORN'));
    fs.renameSync(source, path.join(out, 'RECORD', 'WORN'));
    fs.rmSync(path.join(out, 'RECORD', 'PIPE.MP4'));
    fs.renameSync(out, volume);
    await expect(card(page).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
    await expect(alarmItem(page, '警报', '录像目录无法读取')).toHaveCount(0);
    await check(page, '05-read-whole');
  } finally {
    mount?.unmount();
    fs.rmSync(staging, { recursive: true, force: true });
  }
});
