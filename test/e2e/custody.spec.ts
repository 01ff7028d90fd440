import type { Page } from '@playwright/test';
import fs from 'node:fs';
import { expect } from './fixtures.js';
import { call } from './page-calls.js';
import {
  ADMIN,
  CUSTODIAN,
  dock,
  GENERAL,
  HOUR,
  IDLE_LOCK_OUT_OF_THE_WAY,
  loginBadge,
  logout,
  menu,
  OFFICER,
  screenChecks,
  SERIAL,
  setUpStation,
  test,
} from './steps.js';

// The custody workflow as a custodian and an officer live it, in Debian's
// Chromium against the real core through the harness, on a manual clock:
// a checkout with its pre-shift checks (第七条), the officer docking the
// camera (an emulated camera folder dropped into the watched folder), the
// board's progress and "可以取走", the receipt closing the checkout within its
// deadline (第十五条); a failed check overridden by 综合处; the 24-hour
// exception; an overdue checkout; an unregistered camera registered from its alarm.

const START = Date.parse('2026-11-27T09:00:00+08:00');

// The clock jumps hours and days here; the idle lock (the foundation spec's subject) stays out of the way.
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const check = screenChecks('custody');

/**
 * For a wait on the core's work (a camera made and offloaded, a volume seen gone): no time of its
 * own, only the test's. How long that work takes is this machine's business (minutes when it is
 * loaded); the test's timeout is the one backstop against a hang, and reports the wait it ended.
 */
const UNTIL_DONE = { timeout: 0 } as const;

/** A camera bound to the officer docked as `name`, each of its two clips padded to `clipBytes` (24 MiB unless told). */
function dockOfficerCamera(watchDir: string, serial: string, now: number, name = serial, clipBytes = 24 * 1024 ** 2): Promise<string> {
  return dock(watchDir, { serial, badge: OFFICER.badge, now }, { name, clipBytes });
}

async function loginAdmin(page: Page): Promise<void> {
  await page.getByRole('button', { name: '警号 + 密码登录' }).click();
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `您好，${ADMIN.name}` })).toBeVisible();
}

function dockCard(page: Page, serial: string) {
  return page.getByRole('article', { name: serial });
}

/**
 * The camera docks once before its first checkout so the station knows its
 * battery, free space and clock; then it is taken off the dock.
 */
async function firstDock(page: Page, watchDir: string): Promise<void> {
  const folder = await dockOfficerCamera(watchDir, SERIAL, START, 'first-dock');
  await expect(dockCard(page, SERIAL).getByTestId('safe-to-remove')).toBeVisible(UNTIL_DONE);
  fs.rmSync(folder, { recursive: true, force: true });
  await expect(dockCard(page, SERIAL)).toHaveCount(0, UNTIL_DONE);
}

/** 领用 through the wizard up to the work step, with the officer identified by a badge scan. */
async function scanOfficer(page: Page): Promise<void> {
  await page.getByRole('link', { name: '领用执法记录仪' }).click();
  await expect(page.getByRole('heading', { name: '领用执法记录仪', level: 1 })).toBeVisible();
  await expect(page.getByLabel('执法人员警号')).toBeFocused();
  await page.keyboard.type(OFFICER.badge);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`${OFFICER.name}（${OFFICER.badge}）`)).toBeVisible();
}

test('@custody check out with all checks passing, dock, safe to remove, receive within the deadline', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await expect(page.getByRole('heading', { name: '接入台' })).toBeVisible();
  await expect(page.getByText('当前没有接入的执法记录仪')).toBeVisible();
  await check(page, '01-board-empty');
  await firstDock(page, watchDir);

  // ---- 领用 ----
  await page.getByRole('link', { name: '领用执法记录仪' }).click();
  await check(page, '02-checkout-officer');
  // The badge box takes the focus, so a scanner can type at once; typing before it has lost the first digit under load.
  await expect(page.getByLabel('执法人员警号')).toBeFocused();
  await page.keyboard.type(OFFICER.badge);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`${OFFICER.name}（${OFFICER.badge}）`)).toBeVisible();
  await expect(page.getByText('此人定人保管的执法记录仪（定人管理）')).toBeVisible();
  const checks = page.getByRole('list', { name: '领用前检查（第七条）' });
  await expect(checks.getByRole('listitem')).toHaveCount(5);
  for (const item of await checks.getByRole('listitem').all()) await expect(item).toContainText('通过');
  await expect(checks.locator('[data-check="battery"]')).toContainText('64%（至少 60%）');
  await check(page, '03-checkout-checks');
  await page.getByRole('button', { name: '下一步：执法活动' }).click();
  await page.getByRole('radio', { name: '日常执法检查' }).check();
  await page.getByLabel('预计结束时间').fill('2026-11-27T17:30');
  await check(page, '04-checkout-work');
  await page.getByRole('button', { name: `确认领用 ${SERIAL}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${OFFICER.name}（${OFFICER.badge}） 已领用 ${SERIAL}` })).toBeVisible();
  await expect(page.getByText('为保护您的合法权益，监督我们的执法行为，本次执法全程录音录像')).toBeVisible();
  // Same day: the end of the work day (cut-off 23:59) of the expected end.
  await expect(page.getByTestId('deadline')).toContainText('2026-11-27 23:59');
  await expect(page.getByTestId('countdown')).toContainText(/剩余 1[45] 小时/);
  await check(page, '05-checkout-done');

  // ---- the officer's day, then the camera comes back and docks ----
  await harness.advanceClock(8 * HOUR);
  await page.getByRole('link', { name: '返回接入台' }).click();
  await dockOfficerCamera(watchDir, SERIAL, START + 8 * HOUR, 'return-dock');
  const card = dockCard(page, SERIAL);
  await expect(card).toBeVisible(UNTIL_DONE);
  await expect(card).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(card.getByTestId('safe-to-remove')).toHaveText(/可以取走/, UNTIL_DONE);
  await check(page, '06-board-safe-to-remove');

  // ---- 归还 ----
  await menu(page, '归还').click();
  const offloaded = page.getByRole('region', { name: '已导出，待确认收回' });
  await expect(offloaded.getByRole('row', { name: new RegExp(SERIAL) })).toContainText('已导出，待归还');
  await check(page, '07-receive-list');
  await offloaded.getByRole('button', { name: `确认收回 ${SERIAL}` }).click();
  const dialog = page.getByRole('dialog', { name: `收回 ${SERIAL}` });
  await expect(dialog.getByRole('radio', { name: '完好' })).toBeChecked();
  await check(page, '08-receive-dialog');
  await dialog.getByRole('button', { name: '确认收回' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已收回 ${SERIAL}，在导出期限（2026-11-27 23:59:00）内完成。` })).toBeVisible();
  await expect(page.getByText('没有待收回的执法记录仪。')).toBeVisible();

  // The camera status list: back at the station and available.
  await menu(page, '执法记录仪状态').click();
  const row = page.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(row).toContainText('可领用');
  await check(page, '09-cameras');
  await logout(page);

  // ---- the officer sees their own history ----
  await loginBadge(page, OFFICER);
  const mine = page.getByRole('region', { name: '我的领用记录' });
  await expect(mine.getByRole('row', { name: new RegExp(SERIAL) })).toContainText('已归还');
  await check(page, '10-officer-home');
});

test('@custody a failed battery check is refused to the custodian and let out by 综合处 with a reason', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginAdmin(page);
  await call(page, 'custody.updateSettings', { batteryMinPercent: 80 });
  await logout(page);
  await loginBadge(page, CUSTODIAN);
  await firstDock(page, watchDir);
  await scanOfficer(page);
  const battery = page.locator('[data-check="battery"]');
  await expect(battery).toContainText('64%（至少 80%）');
  await expect(battery).toContainText('未通过');
  await expect(battery).toContainText('只有综合处可以说明理由后放行');
  await expect(page.getByText('有检查项未通过。请综合处人员登录后说明理由放行')).toBeVisible();
  await expect(page.getByRole('button', { name: '下一步：执法活动' })).toBeDisabled();
  await check(page, '11-checkout-check-failed');
  await logout(page);

  await loginBadge(page, GENERAL);
  await scanOfficer(page);
  await expect(page.getByRole('button', { name: '下一步：执法活动' })).toBeDisabled();
  await page.getByLabel('综合处放行理由').fill('备用电池随机携带，已充满');
  await check(page, '12-checkout-override');
  await page.getByRole('button', { name: '下一步：执法活动' }).click();
  await page.getByRole('radio', { name: '处置投诉举报' }).check();
  await page.getByLabel('预计结束时间').fill('2026-11-27T16:00');
  await page.getByRole('button', { name: `确认领用 ${SERIAL}` }).click();
  await expect(page.getByTestId('deadline')).toBeVisible();
  await expect(page.locator('.facts')).toContainText('备用电池随机携带，已充满');
});

test('@custody an exception moves the deadline to 24 hours after the declared return; overdue after the clock passes it', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await firstDock(page, watchDir);
  await scanOfficer(page);
  await page.getByRole('button', { name: '下一步：执法活动' }).click();
  await page.getByRole('radio', { name: '调查取证、先行登记保存、文书送达' }).check();
  await page.getByLabel('预计结束时间').fill('2026-11-28T18:00');
  await page.getByRole('checkbox', { name: /返回单位后 24 小时内导出/ }).check();
  await page.getByRole('radio', { name: '异地执法' }).check();
  await page.getByLabel('无法及时移交资料的原因').fill('赴外县联合执法，次日晚返回');
  await page.getByLabel('预计返回单位时间').fill('2026-11-28T20:00');
  await check(page, '13-checkout-exception');
  await page.getByRole('button', { name: `确认领用 ${SERIAL}` }).click();
  await expect(page.getByTestId('deadline')).toHaveText('2026-11-29 20:00:00');
  await expect(page.getByText('异地执法：返回单位（2026-11-28 20:00:00）后 24 小时内导出保存。')).toBeVisible();
  await check(page, '14-checkout-exception-done');

  // Nothing is overdue yet; three days later the checkout is.
  await menu(page, '超期未导出').click();
  await expect(page.getByText('没有超期未导出的执法记录仪。')).toBeVisible();
  await harness.advanceClock(3 * 24 * HOUR);
  const row = page.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(row).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(row).toContainText('（24 小时例外）');
  await expect(row).toContainText('13 小时 0 分');
  await check(page, '15-overdue');
  // The board says it too.
  await page.getByRole('link', { name: '首页' }).click();
  await expect(page.getByRole('region', { name: '警报' })).toContainText('超期未导出');
  await check(page, '16-board-overdue-alarm');
});

test('@custody an unregistered camera is registered from its alarm and offloaded without unplugging', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  const stranger = 'DSJ-2026-0099';
  await dockOfficerCamera(watchDir, stranger, START);
  const alarms = page.getByRole('region', { name: '警报' });
  await expect(alarms).toContainText('未登记的设备', UNTIL_DONE);
  await expect(dockCard(page, stranger)).toContainText('未登记的设备，未导出');
  await check(page, '17-board-unregistered');
  await alarms.getByRole('button', { name: '现在登记' }).click();
  const dialog = page.getByRole('dialog', { name: '登记接入的执法记录仪' });
  await expect(dialog.getByLabel('产品序号')).toHaveValue(stranger);
  await dialog.getByLabel('型号').fill('DSJ-V8');
  // The custodian keeps it for now, though the camera is bound to the officer.
  await dialog.getByLabel('按警号或姓名查找人员').fill(CUSTODIAN.name);
  await dialog.getByRole('radio', { name: new RegExp(`${CUSTODIAN.name}.*${CUSTODIAN.badge}`) }).check();
  await check(page, '18-register-from-alarm');
  await dialog.getByRole('button', { name: '登记并导出' }).click();
  await expect(dockCard(page, stranger).getByTestId('safe-to-remove')).toBeVisible(UNTIL_DONE);
  // Registering settled the unregistered alarm; the binding names someone else than the keeper.
  await expect(alarms.getByText('未登记的设备')).toHaveCount(0);
  const mismatch = alarms.getByRole('listitem').filter({ hasText: '绑定人员与保管人不符' });
  await expect(mismatch).toContainText(`执法记录仪绑定警号 ${OFFICER.badge}`);
  await check(page, '19-board-binding-mismatch');
  await mismatch.getByRole('button', { name: '处理完毕' }).click();
  const resolve = page.getByRole('dialog', { name: /处理警报/ });
  await resolve.getByLabel('处理说明').fill('新配发设备，暂由保管人保管，下周改定人');
  await resolve.getByRole('button', { name: '处理完毕' }).click();
  await expect(page.getByRole('region', { name: '警报' })).toHaveCount(0);
  await check(page, '20-board-resolved');
});

test.describe('on the real clock', () => {
  // Copy speed and progress are measured against the core's clock: on a clock that stands still
  // there is no speed to show. Nothing here moves time by hand.
  test.use({ harnessOptions: async ({ watchDir }, use) => use({ watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

  test('@custody the board follows a long offload as it goes: copying n of m, its progress and speed, then safe to remove', async ({ harness, page, watchDir }) => {
    // Making the camera (~1.3 GB) and copying it take a while on a 2-core machine: three times the usual backstop.
    test.slow();
    await setUpStation(page, harness.url);
    await loginBadge(page, CUSTODIAN);
    // Two real clips, each padded to 640 MiB (still valid MP4s, committed as such): a copy of several seconds.
    const folder = await dockOfficerCamera(watchDir, SERIAL, Date.now(), 'long-offload', 640 * 1024 ** 2);
    try {
      const card = dockCard(page, SERIAL);
      await expect(card.getByRole('status')).toHaveText(/正在导出：\d+\/\d+ 个文件/, UNTIL_DONE);
      const bar = card.getByRole('progressbar', { name: `${SERIAL} 导出进度` });
      await expect(bar).toBeVisible();
      await expect(bar).toHaveAttribute('value', /^\d+$/);
      const rate = card.locator('.dock-rate');
      // The bar and the speed move while the files are copied (no exact numbers: the machine decides them).
      await expect.poll(async () => Number(await bar.getAttribute('value')), { ...UNTIL_DONE, intervals: [100] }).toBeGreaterThan(0);
      await expect
        .poll(async () => Number(/([\d.]+) MB\/s/.exec((await rate.textContent()) ?? '')?.[1] ?? 0), { ...UNTIL_DONE, intervals: [100] })
        .toBeGreaterThan(0);
      await expect(rate).toContainText(/\d+% · \d+\/\d+ MB · [\d.]+ MB\/s/);
      // The time left, on a line of its own below the speed, never broken.
      const eta = card.locator('.dock-eta');
      await expect(eta).toHaveText(/^约剩 \d/);
      const layout = await eta.evaluate((el) => {
        const lineTops = (range: Range) => new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
        const own = document.createRange();
        own.selectNodeContents(el);
        const speed = document.createRange();
        speed.selectNodeContents(el.parentElement!);
        speed.setEndBefore(el);
        const speedRects = speed.getClientRects();
        return { lines: lineTops(own), below: el.getBoundingClientRect().top >= speedRects[speedRects.length - 1]!.bottom - 1 };
      });
      expect(layout).toEqual({ lines: 1, below: true });
      await expect(card.getByRole('button', { name: '暂停' })).toBeVisible();
      await check(page, '23-board-copying');
      await expect(card.getByTestId('safe-to-remove')).toHaveText(/可以取走/, UNTIL_DONE);
      await expect(bar).toHaveCount(0);
      await check(page, '24-board-long-offload-done');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

test('@custody the board and the wizard speak English', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel('Scan your badge').focus();
  await page.keyboard.type(CUSTODIAN.badge);
  await page.keyboard.press('Enter');
  await page.keyboard.type(CUSTODIAN.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dock board' })).toBeVisible();
  await check(page, '21-board-english');
  await page.getByRole('link', { name: 'Check out a camera' }).click();
  await expect(page.getByLabel("Officer's badge number")).toBeFocused();
  await page.keyboard.type(OFFICER.badge);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Never docked here: value unknown').first()).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'I looked: the battery is charged' })).toBeVisible();
  await check(page, '22-checkout-english');
});
