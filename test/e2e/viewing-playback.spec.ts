import fs from 'node:fs';
import type { LibraryPage } from '../../shared/library.js';
import type { OutsideRecording } from '../../shared/custody.js';
import type { SessionInfo } from '../../shared/domain.js';
import type { BadgeHolder } from './steps.js';
import { expect } from './fixtures.js';
import { call } from './page-calls.js';
import { CUSTODY_PEOPLE, dock, GENERAL, HOUR, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// Issue 20's story of a view, in Chromium against the real core through the harness: an officer
// asks to view a recording for 案情研判; the department head sees the request on logging in and
// approves it for two hours; the officer plays it (the picture carries their name, badge, the grant
// and the time) and seeks; the register (查阅登记) shows the view; once the harness clock passes the
// expiry, playback is refused. Then 综合处, under a standing grant, plays the 领用外录像 under review.

const START = Date.parse('2026-11-27T09:00:00+08:00');
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const HEAD: BadgeHolder = { badge: '700800', name: '钱负责', pin: '640317' };
const check = screenChecks('playback');

/** The video element's state, read in the page. */
async function videoState(page: import('@playwright/test').Page) {
  return page.locator('video').evaluate((v: HTMLVideoElement) => ({ readyState: v.readyState, currentTime: v.currentTime, duration: v.duration, error: v.error?.code ?? null, src: v.currentSrc }));
}

test('@viewing an officer asks to view, the head approves for two hours, the officer plays and seeks, the register shows it, and after the expiry it is refused', async ({ page, harness, watchDir }) => {
  test.setTimeout(300_000);
  await setUpStation(page, harness.url, [...CUSTODY_PEOPLE, { ...HEAD, role: 'department_head' }]);
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });

  // The officer finds their recording and asks to view it.
  await loginBadge(page, OFFICER);
  await expect.poll(async () => (await call<LibraryPage>(page, 'library.search', { kind: 'video' })).clips.filter((c) => !c.damaged).length, { timeout: 120_000 }).toBeGreaterThan(0);
  const clip = (await call<LibraryPage>(page, 'library.search', { kind: 'video' })).clips.find((c) => !c.damaged)!;
  await page.goto(`${harness.url}#/clips/${clip.id}`);
  await expect(page.getByRole('heading', { name: `音视频资料 ${clip.name}`, level: 1 })).toBeVisible();
  // Not yet: playing is refused, and says what to do.
  await page.getByRole('button', { name: '播放', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('查阅');
  await expect(page.locator('video')).toHaveCount(0);
  await page.getByRole('button', { name: '申请查阅此录像' }).click();
  const ask = page.getByRole('dialog', { name: '查阅申请' });
  await ask.getByRole('radio', { name: '案情研判' }).check();
  await ask.getByLabel('查阅事由').fill('核实 11 月 27 日上午现场检查中当事人的陈述');
  await check(page, '01-request');
  await ask.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText(/查阅申请 #\d+ 已提交/)).toBeVisible();
  await check(page, '02-requested');
  await page.keyboard.press('Escape');
  await logout(page);

  // The head sees it on logging in, and approves it for two hours.
  await loginBadge(page, HEAD);
  const card = page.getByRole('link', { name: /待审批的查阅申请：1 件/ });
  await expect(card).toBeVisible();
  await check(page, '03-head-home');
  await card.click();
  const pending = page.getByRole('region', { name: '待审批的查阅申请' });
  await expect(pending).toContainText('核实 11 月 27 日上午现场检查中当事人的陈述');
  await expect(pending).toContainText('案情研判');
  await pending.getByRole('button', { name: '批准' }).click();
  const approve = page.getByRole('dialog', { name: '批准查阅申请' });
  await expect(approve.getByLabel('批准期限')).toHaveValue('2');
  await approve.getByLabel('审批意见').fill('同意，限两小时');
  await check(page, '04-approve');
  await approve.getByRole('button', { name: '批准' }).click();
  await expect(page.getByText(/已批准张执法（300400）的查阅申请，授权号 \d+/)).toBeVisible();
  await logout(page);

  // The officer plays it: the overlay names them and the grant; a seek plays on.
  await loginBadge(page, OFFICER);
  await page.goto(`${harness.url}#/clips/${clip.id}`);
  await page.getByRole('button', { name: '播放', exact: true }).click();
  const video = page.locator('video');
  await expect(video).toHaveCount(1);
  await expect.poll(async () => (await videoState(page)).readyState, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  const overlay = page.getByTestId('view-overlay');
  await expect(overlay).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(overlay).toContainText(/查阅授权第 \d+ 号/);
  await expect(overlay).toContainText('2026');
  await expect(page.getByTestId('proxy-label')).toHaveCount(0); // H.264: the original itself
  // No download, no picture-in-picture, and the URL names a view, not a file.
  expect(await video.getAttribute('controlslist')).toContain('nodownload');
  expect(await video.evaluate((v: HTMLVideoElement) => v.disablePictureInPicture)).toBe(true);
  const state = await videoState(page);
  expect(state.src).toMatch(/\/media\/[0-9a-f]{32}\?/);
  expect(state.src).not.toContain(clip.name);
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(0);
  await check(page, '05-playing');
  const seeked = await video.evaluate(
    (v: HTMLVideoElement) =>
      new Promise<number>((resolve) => {
        v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
        v.currentTime = v.duration / 2;
      }),
  );
  expect(seeked).toBeGreaterThan(0);
  await expect.poll(async () => (await videoState(page)).error).toBeNull();
  await page.getByRole('button', { name: '结束查阅' }).click();
  await expect(video).toHaveCount(0);
  // Its key frames in one picture: a view like any other, under the same grant.
  await page.getByRole('button', { name: '查看关键帧缩略图' }).click();
  const sheet = page.getByRole('img', { name: `关键帧缩略图 ${clip.name}` });
  await expect.poll(() => sheet.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('view-overlay')).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await check(page, '05b-contact-sheet');
  await page.getByRole('button', { name: '结束查阅' }).click();
  await logout(page);

  // 综合处 reads the register: the officer's view, its reason, the approver, opened and closed.
  await loginBadge(page, GENERAL);
  await menu(page, '查阅登记').click();
  await expect(page.getByRole('heading', { name: '查阅登记', level: 1 })).toBeVisible();
  const register = page.getByRole('table');
  await expect(register).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(register).toContainText('核实 11 月 27 日上午现场检查中当事人的陈述');
  await expect(register).toContainText(HEAD.name);
  await expect(register).toContainText('查阅结束');
  await expect(register.getByRole('row')).toHaveCount(3); // the heading, the video, the key frames
  await check(page, '06-register');
  // It prints as a PDF (made by the core, downloaded here; Electron asks where to save it).
  const pdf = page.waitForEvent('download');
  await page.getByRole('button', { name: '打印（PDF）' }).click();
  const printed = await pdf;
  expect(printed.suggestedFilename()).toMatch(/\.pdf$/);
  expect(fs.readFileSync((await printed.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expect(page.getByRole('status').filter({ hasText: '已导出 2 条查阅登记' })).toBeVisible();
  await logout(page);

  // Two hours on (the harness clock): the grant has expired and playback is refused.
  await harness.advanceClock(2 * HOUR + 60_000);
  await loginBadge(page, OFFICER);
  await page.goto(`${harness.url}#/clips/${clip.id}`);
  await page.getByRole('button', { name: '播放', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('查阅');
  await expect(page.locator('video')).toHaveCount(0);
  await check(page, '07-expired');
});

test('@viewing 综合处 plays the 领用外录像 under review under a standing grant from the head', async ({ page, harness, watchDir }) => {
  test.setTimeout(300_000);
  await setUpStation(page, harness.url, [...CUSTODY_PEOPLE, { ...HEAD, role: 'department_head' }]);
  // The camera docks with no checkout: its recordings are stored and flagged for review (第三条).
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });

  await loginBadge(page, GENERAL);
  const general = (await call<SessionInfo>(page, 'auth.session', {})).person;
  await expect.poll(async () => (await call<OutsideRecording[]>(page, 'custody.outsideRecordings', { reviewed: false })).length, { timeout: 120_000 }).toBe(1);
  await logout(page);

  await loginBadge(page, HEAD);
  await call(page, 'viewing.grant', { granteeId: general.id, purpose: 'supervision', reason: '领用外录像核查（执法监督）', days: 30, scope: 'all' });
  await logout(page);

  await loginBadge(page, GENERAL);
  await menu(page, '领用外录像').click();
  await page.getByRole('button', { name: `核查 ${SERIAL}` }).click();
  const review = page.getByRole('dialog');
  await review.getByRole('button', { name: /^播放 .*\.MP4$/ }).first().click();
  await expect.poll(async () => (await videoState(page)).readyState, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await expect(review.getByTestId('view-overlay')).toContainText(`${GENERAL.name}（${GENERAL.badge}）`);
  await check(page, '08-outside-review');
  await review.getByLabel('核查意见').fill('测试录像，已查看');
  await review.getByRole('button', { name: '确认已核查' }).click();
  await expect(review).toHaveCount(0);
  // The view is in the register under the standing grant.
  const rows = await call<{ entries: Array<{ viewer: { badge: string }; grantId: number | null }> }>(page, 'viewing.register', {});
  expect(rows.entries.some((e) => e.viewer.badge === GENERAL.badge && e.grantId !== null)).toBe(true);
});
