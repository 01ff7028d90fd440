import fs from 'node:fs';
import { expect, screenshot } from './fixtures.js';
import { call } from './page-calls.js';
import { dock, GENERAL, HOUR, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';
import type { SealView } from '../../shared/seal.js';
import { groupSealCode } from '../../shared/seal.js';

// The daily audit seal in Debian's Chromium against the real core through the
// harness, on a manual clock: 综合处 seals the day so far after a camera's
// footage came in, opens the seal sheet (shown, printed by the print
// stylesheet alone, saved as the core's PDF), and verifies the seal by its
// code typed in groups and by its QR text as a keyboard-wedge scanner types
// it; a seal whose text was altered fails, naming what differs; the day is
// sealed by the station itself once it has ended.

const START = Date.parse('2026-11-27T09:00:00+08:00');

test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const check = screenChecks('audit-seal');

test('综合处 seals, prints the sheet, and verifies the seal by its code and its scanned QR text', async ({ harness, page, watchDir }, testInfo) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, GENERAL);
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await menu(page, '审计日志').click();
  // The log follows the station: the dock's end arrives by event.
  const log = page.getByRole('region', { name: '审计日志' });
  await expect(log.getByRole('cell', { name: '导出保存结束', exact: true })).toBeVisible({ timeout: 120_000 });

  const panel = page.getByRole('region', { name: '每日封存' });
  await expect(panel).toContainText('尚无封存');
  await panel.getByRole('button', { name: '立即封存' }).click();
  await expect(panel.getByRole('status')).toContainText('已封存：第 1 号');
  const [seal] = (await call<{ seals: SealView[] }>(page, 'audit.seals', {})).seals;
  expect(seal).toMatchObject({ number: 1, day: '2026-11-27', complete: false });
  expect(seal!.clipCount).toBeGreaterThanOrEqual(2);
  const row = panel.getByRole('row', { name: new RegExp(groupSealCode(seal!.code)) });
  await expect(row).toContainText('截至 09:00:00');
  await check(page, '01-sealed');

  // ---- the sheet: shown, printed alone, saved as PDF ----
  await row.getByRole('button', { name: '打印封存单' }).click();
  const sheet = page.getByRole('dialog', { name: '打印封存单' });
  await expect(sheet.getByRole('heading', { name: '审计封存单' })).toBeVisible();
  await expect(sheet).toContainText(groupSealCode(seal!.code).split(' ').slice(0, 4).join('  '));
  await expect(sheet.getByRole('img', { name: /封存的二维码/ })).toBeVisible();
  await expect(sheet).toContainText('经办人');
  await expect(sheet).toContainText('负责人');
  await expect(sheet.getByRole('button', { name: '打印', exact: true })).toBeFocused();
  await check(page, '02-sheet');
  // What the printer gets: the sheet, nothing of the app around it.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { name: '审计日志', level: 1 })).toBeHidden();
  await expect(page.locator('.seal-print').getByRole('heading', { name: '审计封存单' })).toBeVisible();
  await screenshot(page, 'audit-seal-03-print');
  await page.emulateMedia({ media: 'screen' });
  const downloading = page.waitForEvent('download');
  await sheet.getByRole('button', { name: '保存 PDF' }).click();
  const pdf = await downloading;
  expect(pdf.suggestedFilename()).toBe('audit-seal-2026-11-27-1.pdf');
  const saved = testInfo.outputPath('seal.pdf');
  await pdf.saveAs(saved);
  expect(fs.readFileSync(saved).subarray(0, 5).toString()).toBe('%PDF-');
  await sheet.getByRole('button', { name: '关闭' }).click();
  await expect(sheet).toBeHidden();

  // ---- verify: the code as typed from paper, then the QR text as a scanner types it ----
  const field = panel.getByLabel('封存码或二维码内容');
  await field.fill(groupSealCode(seal!.code).toLowerCase());
  await field.press('Enter');
  const result = panel.getByTestId('seal-result');
  await expect(result).toContainText('封存核验通过：第 1 号封存（2026-11-27）');
  await check(page, '04-verified-code');
  await field.fill('');
  await field.focus();
  await page.keyboard.type(seal!.payload);
  await page.keyboard.press('Enter');
  await expect(result).toContainText(`由二维码内容算出的封存码：${groupSealCode(seal!.code)}`);

  // A seal text altered (one clip fewer claimed): the station says what differs.
  const parts = seal!.payload.split('/');
  parts[10] = String(Number(parts[10]) - 1);
  await field.fill(parts.join('/'));
  await field.press('Enter');
  await expect(result).toContainText('封存核验未通过');
  await expect(result).toContainText(`2026-11-27 的入库片段与封存时不符：封存时 ${seal!.clipCount - 1} 个，现在 ${seal!.clipCount} 个。`);
  await expect(result).toContainText('审计日志中已没有第 1 号封存本身的记录');
  await check(page, '05-verify-failed');
  // Neither a code nor a seal's text: said at the field.
  await field.fill('hello');
  await field.press('Enter');
  await expect(panel.getByText('这既不是 32 位封存码，也不是封存单二维码的内容。')).toBeVisible();

  // ---- the station seals the day itself once it has ended ----
  await harness.advanceClock(15 * HOUR + 5 * 60_000);
  await expect(panel.getByRole('row', { name: /全天/ })).toBeVisible();
  const daily = (await call<{ seals: SealView[] }>(page, 'audit.seals', {})).seals[0]!;
  expect(daily).toMatchObject({ number: 2, day: '2026-11-27', complete: true, clipCount: seal!.clipCount, previous: seal!.digest });

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('region', { name: 'Daily seals' })).toContainText('whole day');
  await check(page, '06-english');
});
