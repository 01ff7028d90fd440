import { expect, test } from './fixtures.js';
import type { SeedPerson } from './page-calls.js';
import type { BadgeHolder } from './steps.js';
import { ADMIN, GENERAL, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, setUpStation } from './steps.js';

// Four eyes on the powerful roles (issue 19), in Debian's Chromium against the real core: the
// administrator adds a head (in effect at once: the station has no second person yet), then a
// 综合处 clerk, whose role now waits; the head sees it on the home screen right after login and
// confirms it, and only then does the clerk get 综合处's screens.

const START = Date.parse('2026-12-07T09:00:00+08:00');
const HEAD: BadgeHolder = { badge: '700800', name: '陈部长', pin: '613927' };

test.use({ harnessOptions: { clock: START, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY } });

const PEOPLE: readonly SeedPerson[] = [
  { ...OFFICER, role: 'officer' },
  { ...HEAD, role: 'department_head' },
  { ...GENERAL, role: 'general_office' },
];

const check = screenChecks('grants');

test('a grant of 综合处 waits for the department head, who confirms it after login', async ({ harness, page }) => {
  await setUpStation(page, harness.url, PEOPLE);

  // ---- the clerk: 综合处 is not theirs yet ----
  await loginBadge(page, GENERAL);
  await expect(menu(page, '领用外录像')).toHaveCount(0);
  await logout(page);

  // ---- the administrator sees both grants, neither theirs to decide ----
  await page.getByRole('button', { name: '警号 + 密码登录' }).click();
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `您好，${ADMIN.name}` })).toBeVisible();
  await expect(page.getByRole('region', { name: /待您确认的角色授权/ })).toHaveCount(0);
  await menu(page, '人员管理').click();
  const panel = page.getByRole('region', { name: '角色授权（2 项待处理）' });
  await expect(panel).toContainText(`${GENERAL.name}（警号 ${GENERAL.badge}）：综合处`);
  await expect(panel).toContainText('待确认');
  await expect(panel).toContainText(`${HEAD.name}（警号 ${HEAD.badge}）：部门负责人`);
  await expect(panel).toContainText('已生效，待复核');
  await expect(panel.getByRole('button', { name: '确认授权' })).toHaveCount(0);
  await expect(page.getByRole('row', { name: new RegExp(GENERAL.badge) })).toContainText('待确认：综合处');
  await check(page, '01-people-open-grants');
  await logout(page);

  // ---- the head: the grant is on the home screen at login ----
  await loginBadge(page, HEAD);
  const mine = page.getByRole('region', { name: '待您确认的角色授权（1 项）' });
  await expect(mine).toContainText(`${GENERAL.name}（警号 ${GENERAL.badge}）：综合处`);
  await check(page, '02-head-home');
  await mine.getByRole('button', { name: '确认授权' }).click();
  const dialog = page.getByRole('dialog', { name: '确认角色授权' });
  await expect(dialog).toContainText(`申请授予 ${GENERAL.name}（警号 ${GENERAL.badge}）综合处 角色`);
  await check(page, '03-confirm-dialog');
  await dialog.getByRole('button', { name: '确认授权' }).click();
  await expect(mine).toHaveCount(0);
  await logout(page);

  // ---- the clerk now has 综合处's screens ----
  await loginBadge(page, GENERAL);
  await expect(menu(page, '领用外录像')).toBeVisible();
});
