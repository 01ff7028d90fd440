import type { LibraryPage } from '../../shared/library.js';
import type { OutsideRecording } from '../../shared/custody.js';
import { expect } from './fixtures.js';
import { call } from './page-calls.js';
import { CUSTODIAN, dock, GENERAL, headerLink, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// The evidence library's first screens (issue 20, "Find" and "Classify") in
// Chromium against the real core through the harness: 综合处 finds a docked
// camera's recordings, filters them, opens one, marks it 重点, links it to a
// new case and classifies it 商业秘密; from then on neither 综合处 nor a
// custodian finds it (only a department head, or someone a head cleared, may).

const START = Date.parse('2026-11-27T09:00:00+08:00');
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const check = screenChecks('library');
const CASE_NO = '文执罚〔2026〕118号';

test('@library 综合处 finds, opens and classifies a recording; once 商业秘密 a custodian no longer finds it', async ({ page, harness, watchDir }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, GENERAL);
  // The officer's camera docks with no checkout: its recordings are stored (and flagged for 第三条 review).
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await expect.poll(async () => (await call<OutsideRecording[]>(page, 'custody.outsideRecordings', { reviewed: false })).length, { timeout: 120_000 }).toBe(1);
  const all = await call<LibraryPage>(page, 'library.search', {});
  const videos = all.clips.filter((c) => c.kind === 'video');
  const target = videos.find((c) => !c.important && !c.damaged)!;
  expect(target).toBeDefined();
  expect(all.total).toEqual({ count: all.clips.length, capped: false });

  await menu(page, '音视频资料').click();
  await expect(page.getByRole('heading', { name: '音视频资料查询', level: 1 })).toBeVisible();
  const results = page.getByRole('region', { name: '查询结果' });
  await expect(page.getByRole('status').filter({ hasText: '共' })).toHaveText(`共 ${all.clips.length} 条，已显示 ${all.clips.length} 条`);
  await expect(results.getByRole('row')).toHaveCount(all.clips.length + 1);
  await expect(results.locator(`a[href="#/clips/${target.id}"]`).locator('xpath=ancestor::tr')).toContainText(SERIAL);
  await expect(results).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await check(page, '01-search');

  // Filters narrow the list and live in the URL.
  await page.getByLabel('类型', { exact: true }).selectOption({ label: '视频' });
  await expect(page).toHaveURL(/#\/library\?kind=video$/);
  await expect(results.getByRole('row')).toHaveCount(videos.length + 1);
  await page.getByLabel('重点', { exact: true }).selectOption({ label: '仅重点' });
  await expect(page).toHaveURL(/kind=video/);
  await expect(page).toHaveURL(/important=1/);
  const importantVideos = videos.filter((c) => c.important);
  if (importantVideos.length === 0) await expect(page.getByText('没有符合条件的音视频资料。')).toBeVisible();
  else await expect(results.getByRole('row')).toHaveCount(importantVideos.length + 1);
  await check(page, '02-filtered');
  // Away and back: the URL reopens the same search.
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '首页' }).click();
  await expect(page.getByRole('heading', { name: `您好，${GENERAL.name}` })).toBeVisible();
  await page.goBack();
  await expect(results.getByRole('row')).toHaveCount(importantVideos.length === 0 ? 0 : importantVideos.length + 1);
  await expect(page.getByLabel('重点', { exact: true })).toHaveValue('yes');
  await expect(page.getByLabel('类型', { exact: true })).toHaveValue('video');
  await page.getByRole('button', { name: '清除全部条件' }).click();
  await expect(page).toHaveURL(/#\/library$/);
  // Days are the station's (Asia/Shanghai): the camera recorded on the 27th; a range leaves out what has no time.
  const dated = all.clips.filter((c) => c.startAt !== null).length;
  await page.getByLabel('起始日期').fill('2026-11-27');
  await page.getByLabel('截止日期').fill('2026-11-27');
  await expect(page).toHaveURL(/from=2026-11-27&to=2026-11-27/);
  await expect(results.getByRole('row')).toHaveCount(dated + 1);
  await page.getByLabel('起始日期').fill('2026-11-28');
  await page.getByLabel('截止日期').fill('2026-11-28');
  await expect(page.getByText('没有符合条件的音视频资料。')).toBeVisible();
  await page.getByRole('button', { name: '清除全部条件' }).click();

  // The recording's own page.
  await page.goto(`${page.url().split('#')[0]}#/clips/${target.id}`);
  await expect(page.getByRole('heading', { name: `音视频资料 ${target.name}`, level: 1 })).toBeVisible();
  await expect(page.getByText(target.originalPath, { exact: true })).toBeVisible();
  await expect(page.getByText('不在任何领用期间内录制')).toBeVisible();
  await expect(page.getByRole('region', { name: '处理记录' })).toContainText('音视频资料入库（已校验）');
  await check(page, '03-clip');

  // 重点.
  await page.getByRole('button', { name: '标为重点' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已标为重点。' })).toBeVisible();
  await expect(page.getByRole('button', { name: '取消重点' })).toBeVisible();
  await expect(page.getByRole('region', { name: '处理记录' })).toContainText('重点：否 → 是');

  // A new case, the recording linked to it.
  await page.getByRole('button', { name: '新建案件并关联' }).click();
  const dialog = page.getByRole('dialog', { name: '新建案件并关联' });
  await dialog.getByLabel('案件编号').fill(CASE_NO);
  await dialog.getByLabel('案由').fill('某网吧接纳未成年人');
  await dialog.getByLabel('承办人').fill('张执法');
  await check(page, '04-new-case');
  await dialog.getByRole('button', { name: '新建并关联' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `已关联到案件 ${CASE_NO}。` })).toBeVisible();
  await expect(page.getByRole('link', { name: CASE_NO })).toBeVisible();
  await check(page, '05-classified');
  // The case's link is a search by case: the one recording.
  await page.getByRole('link', { name: CASE_NO }).click();
  await expect(page).toHaveURL(/#\/library\?case=\d+$/);
  await expect(page.getByLabel('案件', { exact: true })).toHaveValue(/\d+/);
  await expect(results.getByRole('row')).toHaveCount(2);
  await expect(results.locator(`a[href="#/clips/${target.id}"]`)).toHaveCount(1);
  await page.goBack();
  await expect(page.getByRole('heading', { name: `音视频资料 ${target.name}`, level: 1 })).toBeVisible();

  // 商业秘密: confirmed first, then hidden from 综合处 itself.
  await page.getByLabel('本资料密级').selectOption({ label: '商业秘密' });
  await page.getByRole('button', { name: '保存分类' }).click();
  const confirm = page.getByRole('dialog', { name: '定为商业秘密' });
  await expect(confirm).toContainText('综合处以后不能再降低密级');
  await check(page, '06-secret-confirm');
  await confirm.getByRole('button', { name: '确认定为商业秘密' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByText('这段资料已定为商业秘密')).toBeVisible();
  await check(page, '07-secret-hidden');
  const after = await call<LibraryPage>(page, 'library.search', {});
  expect(after.clips.map((c) => c.id)).not.toContain(target.id);
  await logout(page);

  // The custodian's search no longer lists it; the rest are still there.
  await loginBadge(page, CUSTODIAN);
  await menu(page, '音视频资料').click();
  await expect(page.getByRole('status').filter({ hasText: '共' })).toHaveText(`共 ${all.clips.length - 1} 条，已显示 ${all.clips.length - 1} 条`);
  await expect(results.getByRole('row')).toHaveCount(all.clips.length);
  await expect(results.locator(`a[href="#/clips/${target.id}"]`)).toHaveCount(0);
  await check(page, '08-custodian-search');
  // Its page answers as if it did not exist.
  await page.goto(`${page.url().split('#')[0]}#/clips/${target.id}`);
  await expect(page.getByRole('alert')).toHaveText('要找的记录不存在，可能已被他人修改；请返回列表刷新后重试。');

  await logout(page);

  // The officer has no menu: the library is a header link, and lists their own recordings (not the secret one).
  await loginBadge(page, OFFICER);
  await expect(page.getByRole('navigation', { name: '主菜单' })).toHaveCount(0);
  await headerLink(page, '音视频资料').click();
  await expect(page.getByRole('heading', { name: '音视频资料查询', level: 1 })).toBeVisible();
  await expect(results.getByRole('row')).toHaveCount(all.clips.length);
  await expect(results.locator(`a[href="#/clips/${target.id}"]`)).toHaveCount(0);
  await check(page, '09-officer');

  // The same search in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Evidence library', level: 1 })).toBeVisible();
  await check(page, '10-english');
});
