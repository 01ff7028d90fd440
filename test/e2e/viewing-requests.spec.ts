import fs from 'node:fs';
import type { OutsideRecording } from '../../shared/custody.js';
import type { LibraryPage } from '../../shared/library.js';
import type { ViewGrant, ViewRequest } from '../../shared/viewing.js';
import { expect } from './fixtures.js';
import type { SeedPerson } from './page-calls.js';
import { call } from './page-calls.js';
import type { BadgeHolder } from './steps.js';
import { CUSTODIAN, dock, GENERAL, headerLink, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// Viewing under approval (issue 20; 第十八、十九条) in Chromium against the real
// core through the harness: an officer asks to view a recording for 案情研判; the
// department head sees the request on the home screen at login and approves it
// for two hours; the officer sees it approved with its grant; the head gives 综合处
// a standing grant for a month; 综合处 reads the view register and takes it away
// as CSV.

const START = Date.parse('2026-11-27T09:00:00+08:00');
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const HEAD: BadgeHolder = { badge: '700800', name: '陈部长', pin: '613927' };
const PEOPLE: readonly SeedPerson[] = [
  { ...CUSTODIAN, role: 'custodian' },
  { ...OFFICER, role: 'officer' },
  { ...GENERAL, role: 'general_office' },
  { ...HEAD, role: 'department_head' },
];
const REASON = '核实 11 月 27 日人民路网吧检查时的现场情况，撰写案情分析报告。';
const NOTE = '仅限本案研判使用。';

const check = screenChecks('viewing');

test('@viewing an officer asks to view, the head approves from the home screen, 综合处 gets a standing grant and exports the register', async ({ page, harness, watchDir }) => {
  await setUpStation(page, harness.url, PEOPLE);

  // The officer's camera docks (no checkout): its recordings are stored, and 综合处 is told (第三条).
  await loginBadge(page, GENERAL);
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await expect.poll(async () => (await call<OutsideRecording[]>(page, 'custody.outsideRecordings', { reviewed: false })).length, { timeout: 120_000 }).toBe(1);
  const target = (await call<LibraryPage>(page, 'library.search', { kind: 'video' })).clips.find((c) => !c.damaged)!;
  expect(target).toBeDefined();
  await logout(page);

  // ---- the officer asks on the recording's page (查阅事由, 第十九条's purpose, two hours) ----
  await loginBadge(page, OFFICER);
  await page.goto(`${page.url().split('#')[0]}#/clips/${target.id}`);
  await page.getByRole('button', { name: '申请查阅此录像' }).click();
  const ask = page.getByRole('dialog', { name: '查阅申请' });
  await expect(ask).toContainText(`申请查阅 1 段录像：#${target.id}`);
  await expect(ask.getByLabel('申请期限')).toHaveValue('2');
  // Nothing is sent without a purpose and a reason.
  await ask.getByRole('button', { name: '提交申请' }).click();
  await expect(ask.getByText('请选择查阅目的。')).toBeVisible();
  await expect(ask.getByText('请填写查阅事由。')).toBeVisible();
  await ask.getByRole('radio', { name: '案情研判', exact: true }).check();
  await ask.getByLabel('查阅事由').fill(REASON);
  await expect(ask.getByText('请填写查阅事由。')).toHaveCount(0);
  await check(page, '01-ask-dialog');
  await ask.getByRole('button', { name: '提交申请' }).click();
  await expect(ask.getByRole('status')).toContainText('查阅申请 #');
  const asked = (await call<{ requests: ViewRequest[] }>(page, 'viewing.requests', { mine: true })).requests[0]!;
  expect(asked).toMatchObject({ state: 'pending', purpose: 'case_analysis', reason: REASON, hours: 2, clipIds: [target.id] });
  await ask.getByRole('link', { name: '查看我的查阅申请' }).click();
  await expect(ask).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '查阅申请', level: 1 })).toBeVisible();
  const mine = page.getByRole('region', { name: '我的查阅申请' });
  const myRow = mine.locator(`tr[data-request="${asked.id}"]`);
  await expect(myRow).toContainText('待审批');
  await expect(myRow).toContainText('案情研判');
  await expect(myRow.getByRole('link', { name: `录像 #${target.id}` })).toHaveAttribute('href', `#/clips/${target.id}`);
  await expect(myRow.getByRole('button', { name: '撤回' })).toBeVisible();
  // An officer does not decide requests.
  await expect(page.getByRole('heading', { name: /待审批/ })).toHaveCount(0);
  await check(page, '02-officer-pending');
  await logout(page);

  // ---- the head: the request waits on the home screen at login ----
  await loginBadge(page, HEAD);
  const card = page.getByRole('link', { name: /待审批的查阅申请：1 件/ });
  await expect(card).toBeVisible();
  await check(page, '03-head-home');
  await card.click();
  await expect(page).toHaveURL(/#\/viewing\/requests$/);
  await expect(page.getByRole('heading', { name: '待审批（1 件）', level: 2 })).toBeVisible();
  const pending = page.getByRole('region', { name: '待审批的查阅申请' });
  const row = pending.locator(`tr[data-request="${asked.id}"]`);
  await expect(row).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(row).toContainText('案情研判');
  await expect(row).toContainText(REASON);
  await expect(row).toContainText('2 小时');
  await expect(row.getByRole('link', { name: `录像 #${target.id}` })).toHaveAttribute('href', `#/clips/${target.id}`);
  await check(page, '04-head-pending');

  await row.getByRole('button', { name: '批准' }).click();
  const approve = page.getByRole('dialog', { name: '批准查阅申请' });
  // The time asked is the default; the head may change it.
  await expect(approve.getByLabel('批准期限')).toHaveValue('2');
  await approve.getByLabel('审批意见').fill(NOTE);
  await check(page, '05-approve-dialog');
  await approve.getByRole('button', { name: '批准' }).click();
  await expect(approve).toHaveCount(0);
  const approvedNotice = page.getByRole('status').filter({ hasText: `已批准${OFFICER.name}（${OFFICER.badge}）的查阅申请` });
  await expect(approvedNotice).toContainText('有效至 2026-11-27 11:00:00');
  await expect(page.getByRole('heading', { name: '待审批（0 件）', level: 2 })).toBeVisible();
  await expect(page.getByText('没有待审批的查阅申请。')).toBeVisible();

  // ---- the head gives 综合处 a standing grant for supervision, a month ----
  await menu(page, '查阅授权').click();
  await expect(page.getByRole('heading', { name: '查阅授权', level: 1 })).toBeVisible();
  const grants = page.getByRole('region', { name: '授权列表' });
  // The approval just made is a grant in force.
  const approvedGrant = grants.locator('tr', { hasText: `申请 #${asked.id}` });
  await expect(approvedGrant).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(approvedGrant).toContainText('2026-11-27 11:00:00');
  await page.getByRole('button', { name: '给予长期授权' }).click();
  const form = page.getByRole('form', { name: '长期授权' });
  // Nothing is sent until the grant says who, for what and why.
  await form.getByRole('button', { name: '给予授权' }).click();
  await expect(form.getByText('请选择被授权人。')).toBeVisible();
  await expect(form.getByText('请填写查阅事由。')).toBeVisible();
  await form.getByLabel('按警号或姓名查找人员').fill(GENERAL.badge);
  await form.getByRole('radio', { name: new RegExp(GENERAL.name) }).check();
  await form.getByRole('radio', { name: '执法监督', exact: true }).check();
  await form.getByLabel('查阅事由').fill('网上执法监督：抽查 12 月的现场执法记录。');
  await form.getByLabel('期限', { exact: true }).selectOption({ label: '30 天' });
  // Each field's complaint goes once it is filled.
  await expect(form.getByText('请选择被授权人。')).toHaveCount(0);
  await expect(form.getByText('请填写查阅事由。')).toHaveCount(0);
  await expect(form.getByRole('radio', { name: /全部非涉密录像/ })).toBeChecked();
  await check(page, '06-standing-form');
  await form.getByRole('button', { name: '给予授权' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `已给予${GENERAL.name}（${GENERAL.badge}）长期授权` })).toContainText('有效至 2026-12-27 09:00:00');
  const standing = grants.locator('tr', { hasText: '长期授权' });
  await expect(standing).toHaveCount(1);
  await expect(standing).toContainText(`${GENERAL.name}（${GENERAL.badge}）`);
  await expect(standing).toContainText('全部非涉密录像');
  await expect(standing).toContainText('执法监督');
  await expect(standing).toContainText('有效');
  await expect(standing.getByRole('button', { name: '撤销' })).toBeVisible();
  await check(page, '07-grants');
  await logout(page);

  // ---- the officer: approved, with the grant and until when ----
  await loginBadge(page, OFFICER);
  // No menu for an officer: the requests are a header link.
  await headerLink(page, '查阅申请').click();
  await expect(myRow).toContainText('已批准');
  await expect(myRow).toContainText(`审批意见：${NOTE}`);
  await expect(myRow).toContainText('有效至 2026-11-27 11:00:00');
  await expect(myRow.getByRole('button', { name: '撤回' })).toHaveCount(0);
  await check(page, '08-officer-approved');
  // A view under the grant, opened and closed through the calls the player makes (the player is its own spec's subject).
  const view = await call<{ viewId: string; grantId: number | null }>(page, 'viewing.open', { clipId: target.id });
  const granted = (await call<{ grants: ViewGrant[] }>(page, 'viewing.grants', {})).grants.find((g) => g.requestId === asked.id)!;
  expect(view.grantId).toBe(granted.id);
  await call(page, 'viewing.close', { viewId: view.viewId });
  await logout(page);

  // ---- 综合处: the view register, and its CSV ----
  await loginBadge(page, GENERAL);
  await menu(page, '查阅登记').click();
  await expect(page.getByRole('heading', { name: '查阅登记', level: 1 })).toBeVisible();
  // The officer's view, as the station wrote it.
  const register = page.getByRole('region', { name: '查阅登记' });
  const entry = register.getByRole('row').nth(1);
  await expect(register.getByRole('row')).toHaveCount(2);
  await expect(entry).toContainText(`${OFFICER.name}（${OFFICER.badge}）`);
  await expect(entry).toContainText(REASON);
  await expect(entry).toContainText('案情研判');
  await expect(entry.getByRole('link', { name: `录像 #${target.id}` })).toHaveAttribute('href', `#/clips/${target.id}`);
  await expect(entry).toContainText(HEAD.name);
  await expect(entry).toContainText(`授权号 ${view.grantId}`);
  await expect(entry).toContainText('查阅结束');
  await page.getByLabel('起始日期').fill('2026-11-01');
  await page.getByLabel('截止日期').fill('2026-11-30');
  await expect(register.getByRole('row')).toHaveCount(2);
  await check(page, '09-register');
  // A range without views.
  await page.getByLabel('起始日期').fill('2026-11-28');
  await expect(page.getByText('这段时间没有查阅登记。')).toBeVisible();
  await page.getByLabel('起始日期').fill('2026-11-01');
  await expect(register.getByRole('row')).toHaveCount(2);
  const downloading = page.waitForEvent('download');
  await page.getByRole('group', { name: '导出查阅登记' }).getByRole('button', { name: '导出 CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('view-register-2026-11-27.csv');
  const bytes = fs.readFileSync(await download.path());
  // UTF-8 with BOM, so Excel reads the Chinese headers right.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('查阅人');
  expect(bytes.toString('utf8')).toContain(REASON);
  await expect(page.getByRole('status').filter({ hasText: '已导出 1 条查阅登记' })).toBeVisible();
  // 综合处 reads the grants too, its own standing grant among them.
  await menu(page, '查阅授权').click();
  await expect(page.getByRole('region', { name: '授权列表' }).locator('tr', { hasText: '长期授权' })).toContainText(`${GENERAL.name}（${GENERAL.badge}）`);
  await expect(page.getByRole('button', { name: '给予长期授权' })).toHaveCount(0);

  // The same screen in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Viewing grants', level: 1 })).toBeVisible();
  await check(page, '10-grants-english');
});

test('@viewing a request for a whole case is refused with a reason, another withdrawn, and a standing grant revoked', async ({ page, harness }) => {
  await setUpStation(page, harness.url, PEOPLE);
  const CASE_NO = '文执罚〔2026〕121号';

  // The head registers the case and gives 综合处 a standing grant (both another screen's subject).
  await loginBadge(page, HEAD);
  const legalCase = await call<{ id: number }>(page, 'cases.create', { caseNo: CASE_NO, cause: '某歌舞厅超时营业', handlerName: '张执法' });
  const people = await call<{ id: number; badge: string }[]>(page, 'people.list', {});
  const general = people.find((p) => p.badge === GENERAL.badge)!;
  const standing = await call<ViewGrant>(page, 'viewing.grant', { granteeId: general.id, purpose: 'supervision', reason: '网上执法监督', days: 30, scope: 'all' });
  await logout(page);

  // ---- the officer asks twice for the whole case, then takes the second back ----
  await loginBadge(page, OFFICER);
  const ask = (reason: string) => call<ViewRequest>(page, 'viewing.request', { scope: 'case', caseId: legalCase.id, purpose: 'litigation', reason, hours: 24 });
  const first = await ask('行政复议答复需要核对现场录像。');
  const second = await ask('重复提交，待撤回。');
  await headerLink(page, '查阅申请').click();
  const mine = page.getByRole('region', { name: '我的查阅申请' });
  const firstRow = mine.locator(`tr[data-request="${first.id}"]`);
  const secondRow = mine.locator(`tr[data-request="${second.id}"]`);
  await expect(firstRow.getByRole('link', { name: `案件 ${CASE_NO}` })).toHaveAttribute('href', `#/library?case=${legalCase.id}`);
  await expect(firstRow).toContainText('涉法涉诉');
  await expect(firstRow).toContainText('24 小时');
  await secondRow.getByRole('button', { name: '撤回' }).click();
  const withdraw = page.getByRole('dialog', { name: '撤回查阅申请' });
  await expect(withdraw).toContainText(`撤回申请 #${second.id} 后`);
  await withdraw.getByRole('button', { name: '撤回' }).click();
  await expect(withdraw).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `查阅申请 #${second.id} 已撤回。` })).toBeVisible();
  await expect(secondRow).toContainText('已撤回');
  await expect(secondRow.getByRole('button', { name: '撤回' })).toHaveCount(0);
  await logout(page);

  // ---- the head refuses the first, with the reason the officer reads ----
  await loginBadge(page, HEAD);
  await page.getByRole('link', { name: /待审批的查阅申请：1 件/ }).click();
  const pending = page.getByRole('region', { name: '待审批的查阅申请' });
  await expect(pending.locator('tbody tr')).toHaveCount(1);
  await pending.locator(`tr[data-request="${first.id}"]`).getByRole('button', { name: '拒绝' }).click();
  const refuse = page.getByRole('dialog', { name: '拒绝查阅申请' });
  await expect(refuse).toContainText(`案件 ${CASE_NO}`);
  await refuse.getByRole('button', { name: '拒绝' }).click();
  await expect(refuse.getByText('请填写原因。')).toBeVisible();
  await refuse.getByLabel('拒绝理由').fill('复议材料已由法制科调取，无需另行查阅。');
  await check(page, '11-refuse-dialog');
  await refuse.getByRole('button', { name: '拒绝' }).click();
  await expect(refuse).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `已拒绝${OFFICER.name}（${OFFICER.badge}）的查阅申请。` })).toBeVisible();
  await expect(page.getByText('没有待审批的查阅申请。')).toBeVisible();

  // ---- and revokes 综合处's standing grant: it leaves the grants in force ----
  await menu(page, '查阅授权').click();
  const grants = page.getByRole('region', { name: '授权列表' });
  const row = grants.locator(`tr[data-grant="${standing.id}"]`);
  await row.getByRole('button', { name: '撤销' }).click();
  const revoke = page.getByRole('dialog', { name: '撤销查阅授权' });
  await expect(revoke).toContainText(`${GENERAL.name}（${GENERAL.badge}）`);
  await revoke.getByLabel('撤销原因').fill('监督任务已结束。');
  await revoke.getByRole('button', { name: '撤销' }).click();
  await expect(revoke).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `授权号 ${standing.id}` })).toContainText('已撤销');
  await expect(page.getByText('没有查阅授权。')).toBeVisible();
  await page.getByRole('button', { name: '全部', exact: true }).click();
  await expect(row).toContainText('已撤销');
  await expect(row).toContainText('监督任务已结束。');
  await expect(row.getByRole('button', { name: '撤销' })).toHaveCount(0);
  await check(page, '12-revoked');
  await logout(page);

  // ---- the officer reads the refusal ----
  await loginBadge(page, OFFICER);
  await headerLink(page, '查阅申请').click();
  await expect(firstRow).toContainText('已拒绝');
  await expect(firstRow).toContainText('拒绝理由：复议材料已由法制科调取，无需另行查阅。');
  await check(page, '13-officer-refused');
});
