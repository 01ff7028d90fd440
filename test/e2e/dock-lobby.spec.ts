import fs from 'node:fs';
import path from 'node:path';
import { expect } from './fixtures.js';
import { CUSTODIAN, dock, loginBadge, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// The public dock status (接入台 without logging in): an officer docks at the
// end of a shift with nobody at the station, and the login screen shows their
// camera's offload and then "可以取走"; the lock screen and an officer's home
// show the same. Nothing there names a person or a file: that is the board's,
// behind ingest.view.

const START = Date.parse('2026-11-27T18:00:00+08:00');
const STRANGER = 'DSJ-2026-0099';
/** The name the emulated camera's binding carries (test/fixtures/camera). */
const BINDING_NAME = '张伟';

test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: 10 * 60_000 }) });

const check = screenChecks('lobby');

function lobby(page: import('@playwright/test').Page) {
  return page.getByRole('region', { name: '接入台' });
}

test('an officer docks with nobody logged in: the login screen shows the offload and 可以取走, and names no one', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await expect(lobby(page)).toContainText('当前没有接入的执法记录仪');
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START }, { clipBytes: 24 * 1024 ** 2 });
  const card = lobby(page).getByRole('article', { name: SERIAL });
  await expect(card.getByTestId('safe-to-remove')).toHaveText(/可以取走.*已保存 \d+ 个文件/, { timeout: 120_000 });
  // A camera the registry lacks: not offloaded, and the officer is told whom to ask.
  await dock(watchDir, { serial: STRANGER, badge: OFFICER.badge, now: START });
  const stranger = lobby(page).getByRole('article', { name: STRANGER });
  await expect(stranger.getByRole('status')).toHaveText('未登记的设备，未导出', { timeout: 120_000 });
  await expect(stranger).toContainText('请联系保管人登记');
  for (const secret of [OFFICER.name, OFFICER.badge, BINDING_NAME, '.MP4']) await expect(lobby(page)).not.toContainText(secret);
  // The login form is still the first thing on the screen.
  await expect(page.getByLabel('刷警号')).toBeFocused();
  await check(page, '01-login');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('region', { name: 'Dock board' }).getByRole('article', { name: SERIAL })).toContainText('Safe to remove');
  await check(page, '02-login-english');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByLabel('刷警号').focus();

  // The officer's home (no board) shows the same status.
  await loginBadge(page, OFFICER);
  await expect(lobby(page).getByRole('article', { name: SERIAL }).getByTestId('safe-to-remove')).toBeVisible();
  await expect(lobby(page).getByRole('article', { name: STRANGER })).toBeVisible();
  await check(page, '03-officer-home');
});

test('a USB stick is ignored, and the person who plugged it in is told so', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  const stick = path.join(watchDir, 'KINGSTON');
  fs.mkdirSync(path.join(stick, '资料'), { recursive: true });
  fs.writeFileSync(path.join(stick, '资料', '会议纪要.docx'), 'not footage');
  const notice = lobby(page).getByRole('status', { name: '无法识别的设备' }).getByRole('listitem').filter({ hasText: 'KINGSTON' });
  await expect(notice).toHaveText(/接入的设备“KINGSTON”不是可识别的执法记录仪，已忽略，未复制任何文件/, { timeout: 120_000 });
  await expect(lobby(page).getByRole('article')).toHaveCount(0);
  await check(page, '05-unrecognized');
  await notice.getByRole('button', { name: '知道了' }).click();
  await expect(notice).toHaveCount(0);
});

test('a camera docked while the custodian\'s session is locked shows on the lock screen', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await harness.advanceClock(11 * 60_000);
  const lock = page.getByRole('dialog', { name: '屏幕已锁定' });
  await expect(lock).toBeVisible();
  const folder = await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START }, { clipBytes: 24 * 1024 ** 2 });
  await expect(lock.getByRole('region', { name: '接入台' }).getByRole('article', { name: SERIAL }).getByTestId('safe-to-remove')).toBeVisible({ timeout: 120_000 });
  await expect(lock).not.toContainText(BINDING_NAME);
  await check(page, '04-lock');
  // Taken off the dock: the card goes.
  fs.rmSync(folder, { recursive: true, force: true });
  await expect(lock.getByRole('article', { name: SERIAL })).toHaveCount(0, { timeout: 15_000 });
});
