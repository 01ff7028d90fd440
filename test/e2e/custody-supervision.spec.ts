import type { Page } from '@playwright/test';
import type { CheckoutDetail, CheckoutProposal, OutsideRecording } from '../../shared/custody.js';
import { expect } from './fixtures.js';
import { call } from './page-calls.js';
import { CUSTODIAN, dock, GENERAL, HOUR, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// Supervision of custody in Debian's Chromium against the real core through
// the harness, on a manual clock: a 第十五条 exception declared after the
// camera went out (by a custodian before the deadline, by 综合处 once the
// checkout is overdue), and footage recorded with no checkout (第三条) found
// at docking and reviewed by 综合处.

const START = Date.parse('2026-11-27T09:00:00+08:00');
const OFFICER_REF = `${OFFICER.name}（${OFFICER.badge}）`;

// The clock jumps hours and days here; the idle lock stays out of the way.
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

/** As the station shows a time: `2026-11-27 08:16:56` in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghai(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
}

const check = screenChecks('supervision');

/**
 * 领用 through the core (the wizard is custody.spec's subject): the officer's
 * own camera, never docked, its unreadable checks confirmed by the custodian.
 */
async function checkOut(page: Page, expectedEnd: string): Promise<CheckoutDetail> {
  const proposal = await call<CheckoutProposal>(page, 'custody.propose', { badge: OFFICER.badge });
  return call<CheckoutDetail>(page, 'custody.checkout', {
    officerId: proposal.officer.id,
    deviceId: proposal.proposed!.device.id,
    workType: 'routine_inspection',
    expectedEnd,
    confirmed: ['battery', 'free_space', 'clock', 'footage'],
  });
}

test('@custody an overdue checkout: the custodian is told only 综合处 may excuse it; 综合处 declares the exception on the overdue board', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  const checkout = await checkOut(page, '2026-11-27T17:30');
  expect(checkout.deadlineAt).toBe(Date.parse('2026-11-27T23:59:00+08:00'));

  // The officer did not come back that day: at 01:00 the checkout is overdue.
  await harness.advanceClock(16 * HOUR);
  await menu(page, '超期未导出').click();
  const row = page.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(row).toContainText(OFFICER_REF);
  await expect(row).toContainText('1 小时 1 分');
  // Past the deadline the exception is 综合处's to weigh: the custodian gets no button, but is told whom to ask.
  await expect(page.getByRole('button', { name: `申报例外 ${SERIAL}` })).toHaveCount(0);
  await expect(page.getByText('以下领用已过导出期限，例外情况只能由综合处登记；请联系综合处。')).toBeVisible();
  await check(page, '01-overdue-custodian');
  await logout(page);

  await loginBadge(page, GENERAL);
  await menu(page, '超期未导出').click();
  await page.getByRole('button', { name: `申报例外 ${SERIAL}` }).click();
  const dialog = page.getByRole('dialog', { name: `申报例外：${SERIAL}` });
  await expect(dialog).toContainText(OFFICER_REF);
  await expect(dialog).toContainText('2026-11-27 23:59:00');
  await expect(dialog.getByText('导出期限已过。逾期后的例外由综合处登记，并记入审计日志。')).toBeVisible();
  // The officer is back now, as far as anyone knows: the return defaults to the core's clock.
  await expect(dialog.getByLabel('预计返回单位时间')).toHaveValue('2026-11-28T01:00');
  await expect(dialog.getByRole('button', { name: '申报例外' })).toBeDisabled();
  await dialog.getByRole('radio', { name: '连续工作' }).check();
  await dialog.getByLabel('无法及时移交资料的原因').fill('连夜处置演出场所投诉，凌晨返回单位');
  // A return before the camera even went out is refused by the core, and said so at the field.
  await dialog.getByLabel('预计返回单位时间').fill('2026-11-26T12:00');
  await dialog.getByRole('button', { name: '申报例外' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('有几项填写不正确，请按提示修改后重试。');
  await expect(dialog.getByText('返回单位时间须在领用之后，且不晚于 31 天后。')).toBeInViewport();
  await check(page, '02-declare-dialog-error');

  await dialog.getByLabel('预计返回单位时间').fill('2026-11-28T00:30');
  await dialog.getByRole('button', { name: '申报例外' }).click();
  await expect(dialog).toHaveCount(0);
  // Due 24 hours after the declared return, which is still ahead: the checkout leaves the overdue list.
  await expect(page.getByRole('status')).toHaveText(`已为 ${OFFICER_REF} 申报例外：${SERIAL} 的导出期限改为 2026-11-29 00:30:00。`);
  await expect(page.getByText('没有超期未导出的执法记录仪。')).toBeVisible();
  await check(page, '03-overdue-declared');
  const after = await call<CheckoutDetail>(page, 'custody.get', { id: checkout.id });
  expect(after.deadlineAt).toBe(Date.parse('2026-11-29T00:30:00+08:00'));
  expect(after.deadlineRule).toBe('exception');
  expect(after.exception).toMatchObject({ kind: 'continuous_work', reason: '连夜处置演出场所投诉，凌晨返回单位', declaredBy: expect.stringContaining(GENERAL.name) });
  expect(after.overdue).toBe(false);
});

test('@custody a custodian declares an exception before the deadline from the receive screen; once it has passed the core refuses them', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await checkOut(page, '2026-11-27T17:30');
  await menu(page, '归还').click();
  const open = page.getByRole('region', { name: '尚未导出' });
  const row = open.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(row).toContainText('2026-11-27 23:59:00');
  await row.getByRole('button', { name: `申报例外 ${SERIAL}` }).click();
  const dialog = page.getByRole('dialog', { name: `申报例外：${SERIAL}` });
  // The dialog starts on the first case, as a touch screen user would.
  await expect(dialog.getByRole('radio', { name: '连续工作' })).toBeFocused();
  await dialog.getByRole('radio', { name: '异地执法' }).check();
  await dialog.getByLabel('无法及时移交资料的原因').fill('赴外县联合执法，次日晚返回');
  await dialog.getByLabel('预计返回单位时间').fill('2026-11-28T20:00');
  await check(page, '04-declare-dialog');
  await dialog.getByRole('button', { name: '申报例外' }).click();
  await expect(page.getByRole('status')).toHaveText(`已为 ${OFFICER_REF} 申报例外：${SERIAL} 的导出期限改为 2026-11-29 20:00:00。`);
  await expect(row).toContainText('2026-11-29 20:00:00');
  await expect(row).toContainText('（24 小时例外）');
  await check(page, '05-receive-declared');

  // The officer's return slips again; while the dialog is open the deadline passes.
  await row.getByRole('button', { name: `申报例外 ${SERIAL}` }).click();
  await expect(dialog).toContainText('异地执法，返回单位 2026-11-28 20:00:00');
  await expect(dialog.getByText('再次申报将替换已申报的例外。')).toBeVisible();
  await dialog.getByRole('radio', { name: '异地执法' }).check();
  await dialog.getByLabel('无法及时移交资料的原因').fill('联合执法延长一天');
  await dialog.getByLabel('预计返回单位时间').fill('2026-11-29T20:00');
  await harness.advanceClock(3 * 24 * HOUR);
  await dialog.getByRole('button', { name: '申报例外' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('导出期限已过，逾期后的例外只能由综合处登记；请联系综合处。');
  // The dialog's body scrolls on this screen: the refusal is brought into view, not left above the fold.
  await expect(dialog.getByRole('alert')).toBeInViewport();
  await check(page, '06-declare-dialog-refused');
  await dialog.getByRole('button', { name: '取消' }).click();
  // Overdue now: the custodian's list no longer offers it, and the deadline stayed as it was.
  await expect(row.getByRole('button', { name: `申报例外 ${SERIAL}` })).toHaveCount(0);
  await expect(row).toContainText('2026-11-29 20:00:00');
  await expect(row).toContainText('已超期');
});

test('@custody footage docked with no checkout is listed for review; 综合处 reviews it, a custodian cannot', async ({ harness, page, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await menu(page, '领用外录像').click();
  await expect(page.getByRole('heading', { name: '领用外录像核查（第三条）', level: 1 })).toBeVisible();
  await expect(page.getByText('没有待核查的领用外录像。')).toBeVisible();

  // The officer's camera docks while nobody has it checked out; the list follows the core's event.
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  const table = page.getByRole('region', { name: '待核查的领用外录像' });
  const row = table.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(row).toBeVisible({ timeout: 120_000 });
  const [record] = await call<OutsideRecording[]>(page, 'custody.outsideRecordings', { reviewed: false });
  expect(record).toMatchObject({ kind: 'no_checkout', device: { serial: SERIAL }, checkoutId: null, reviewedAt: null });
  expect(record!.clips.length).toBeGreaterThanOrEqual(2);
  await expect(row).toContainText(OFFICER_REF);
  await expect(row).toContainText('未领用期间录制');
  await expect(row).toContainText(`${record!.clips.length} 个文件`);
  // When it was recorded: the earliest to the latest clip start the camera gave, in the station's zone.
  const starts = record!.clips.flatMap((c) => (c.startAt === null ? [] : [c.startAt]));
  await expect(row).toContainText(`${shanghai(Math.min(...starts))} 至 ${shanghai(Math.max(...starts))}`);
  await expect(row).toContainText('待核查');
  // Only 综合处 (custody.supervise) reviews: the custodian sees the list, no button.
  await expect(page.getByRole('button', { name: `核查 ${SERIAL}` })).toHaveCount(0);
  await expect(page.getByText('核查意见由综合处填写。')).toBeVisible();
  await check(page, '07-outside-custodian');
  await logout(page);

  await loginBadge(page, GENERAL);
  await menu(page, '领用外录像').click();
  await expect(page.getByText('核查意见由综合处填写。')).toHaveCount(0);
  await check(page, '08-outside-general-office');
  await page.getByRole('button', { name: `核查 ${SERIAL}` }).click();
  const dialog = page.getByRole('dialog', { name: `核查领用外录像：${SERIAL}` });
  await expect(dialog).toContainText(OFFICER_REF);
  await expect(dialog.getByRole('listitem')).toHaveCount(record!.clips.length);
  await expect(dialog.getByLabel('核查意见')).toBeFocused();
  await expect(dialog.getByRole('button', { name: '确认已核查' })).toBeDisabled();
  const note = '保管人开机测试录像，内容与执法无关，已提醒不得用于非执法工作';
  await dialog.getByLabel('核查意见').fill(note);
  await check(page, '09-outside-review-dialog');
  await dialog.getByRole('button', { name: '确认已核查' }).click();
  await expect(page.getByRole('status')).toHaveText(`已记录 ${SERIAL} 领用外录像的核查意见。`);
  await expect(page.getByText('没有待核查的领用外录像。')).toBeVisible();

  await page.getByRole('button', { name: '已核查', exact: true }).click();
  const reviewed = page.getByRole('region', { name: '已核查的领用外录像' }).getByRole('row', { name: new RegExp(SERIAL) });
  await expect(reviewed).toContainText(note);
  await expect(reviewed).toContainText(GENERAL.name);
  await check(page, '10-outside-reviewed');
  const [done] = await call<OutsideRecording[]>(page, 'custody.outsideRecordings', { reviewed: true });
  expect(done).toMatchObject({ id: record!.id, reviewNote: note });

  // The same screen in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Footage recorded outside a checkout (Article 3)', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reviewed', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status')).toHaveText(`Review of the footage from ${SERIAL} recorded.`);
  await expect(page.getByRole('region', { name: 'Reviewed outside-checkout footage' })).toContainText('Recorded while not checked out');
  await check(page, '11-outside-english');
});
