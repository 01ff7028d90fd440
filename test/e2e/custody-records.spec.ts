import { expect, test } from './fixtures.js';
import type { SeedPerson } from './page-calls.js';
import { call } from './page-calls.js';
import type { BadgeHolder } from './steps.js';
import { CUSTODIAN, headerLink, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, OFFICER, screenChecks, SERIAL, setUpStation } from './steps.js';

// The two records kept beside the checkouts, in Debian's Chromium against the
// real core through the harness: an officer files a no-recording record
// (第五条) to a department head, who acknowledges it; a custodian reports a
// camera fault, logs its repair, closes it and returns the camera to service
// (第六条).

const START = Date.parse('2026-11-27T15:00:00+08:00');

const HEAD: BadgeHolder = { badge: '700800', name: '陈部长', pin: '613927' };

test.use({ harnessOptions: { clock: START, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY } });

const check = screenChecks('records');

/** A custodian, an officer (the camera's keeper) and a department head, all of 执法一队. */
const PEOPLE: readonly SeedPerson[] = [
  { ...CUSTODIAN, role: 'custodian', unit: '执法一队' },
  { ...OFFICER, role: 'officer', unit: '执法一队' },
  { ...HEAD, role: 'department_head', unit: '执法一队' },
];

test('@custody an officer files a no-recording record to a department head, who acknowledges it', async ({ harness, page }) => {
  await setUpStation(page, harness.url, PEOPLE);

  // ---- the officer, after an activity that went unrecorded ----
  await loginBadge(page, OFFICER);
  // An officer has no main menu, only the header's link to this errand.
  await expect(page.getByRole('navigation', { name: '主菜单' })).toHaveCount(0);
  await headerLink(page, '不记录工作记录').click();
  await expect(page.getByRole('heading', { name: '不记录工作记录（第五条）', level: 1 })).toBeVisible();
  await expect(page.getByText('没有工作记录。')).toBeVisible();
  await page.getByRole('button', { name: '填写工作记录' }).click();
  const form = page.getByRole('form', { name: '填写不记录工作记录' });
  // The time defaults to the core's clock; the officer is the one logged in.
  await expect(form.getByLabel('发生时间')).toHaveValue('2026-11-27T15:00');
  await expect(form.getByRole('button', { name: '提交并报送' })).toBeDisabled();
  await form.getByRole('radio', { name: /情况紧急，不能进行执法记录/ }).check();
  await form.getByLabel('情况说明').fill('群众围堵现场，情况紧急，来不及开启执法记录仪。');
  await form.getByLabel('发生时间').fill('2026-11-27T14:10');
  await form.getByLabel('地点').fill('人民路 18 号网吧');
  await form.getByRole('radio', { name: new RegExp(HEAD.name) }).check();
  await check(page, '01-norecord-form');
  await form.getByRole('button', { name: '提交并报送' }).click();
  await expect(page.getByRole('status').filter({ hasText: `工作记录已报送给${HEAD.name}（${HEAD.badge}）。` })).toBeVisible();
  const mine = page.getByRole('region', { name: '我的工作记录' });
  const row = mine.getByRole('row', { name: /人民路 18 号网吧/ });
  await expect(row).toContainText('情况紧急，不能进行执法记录');
  await expect(row).toContainText('待确认');
  await check(page, '02-norecord-mine');
  await logout(page);

  // ---- the department head ----
  await loginBadge(page, HEAD);
  await headerLink(page, '不记录工作记录').click();
  // A head receives the records; writing one is for officers, custodians and 综合处.
  await expect(page.getByRole('button', { name: '填写工作记录' })).toHaveCount(0);
  const inbox = page.getByRole('region', { name: '报送给我、待确认的记录' });
  const sent = inbox.getByRole('row', { name: new RegExp(OFFICER.name) });
  await expect(sent).toContainText('2026-11-27 14:10');
  await expect(sent).toContainText('人民路 18 号网吧');
  await check(page, '03-norecord-inbox');
  await sent.getByRole('button', { name: '确认已阅' }).click();
  const dialog = page.getByRole('dialog', { name: '确认不记录工作记录' });
  await expect(dialog).toContainText('群众围堵现场');
  await dialog.getByLabel('确认意见').fill('情况属实。');
  await check(page, '04-norecord-acknowledge');
  await dialog.getByRole('button', { name: '确认已阅' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已确认${OFFICER.name}（${OFFICER.badge}）的工作记录。` })).toBeVisible();
  await expect(inbox.getByText('没有待您确认的记录。')).toBeVisible();
  // Gone from the waiting list, there among the acknowledged ones with the note.
  const all = page.getByRole('region', { name: '全部工作记录' });
  await expect(all.getByText('没有工作记录。')).toBeVisible();
  await page.getByRole('group', { name: '显示哪些记录' }).getByRole('button', { name: '已确认' }).click();
  const done = all.getByRole('row', { name: /人民路 18 号网吧/ });
  await expect(done).toContainText('已确认');
  await expect(done).toContainText('情况属实。');
  await check(page, '05-norecord-acknowledged');
  await logout(page);

  // The officer sees it acknowledged.
  await loginBadge(page, OFFICER);
  await headerLink(page, '不记录工作记录').click();
  await expect(page.getByRole('region', { name: '我的工作记录' }).getByRole('row', { name: /人民路 18 号网吧/ })).toContainText('已确认');
});

test('@custody a custodian reports a fault, logs the repair, closes it and returns the camera to service', async ({ harness, page }) => {
  await setUpStation(page, harness.url, PEOPLE);
  await loginBadge(page, CUSTODIAN);
  await headerLink(page, '故障与维修').click();
  await expect(page.getByRole('heading', { name: '故障与维修（第六条）', level: 1 })).toBeVisible();
  await expect(page.getByText('没有未关闭的故障。')).toBeVisible();

  // ---- report ----
  await page.getByRole('button', { name: '报告故障' }).click();
  const report = page.getByRole('dialog', { name: '报告执法记录仪故障' });
  await report.getByLabel('执法记录仪', { exact: true }).selectOption({ label: `${SERIAL} · ${OFFICER.name}（${OFFICER.badge}）` });
  await report.getByLabel('故障情况').fill('电池无法充电，开机后两分钟自动关机。');
  await expect(report.getByRole('checkbox', { name: /同时停用这台执法记录仪/ })).toBeChecked();
  await check(page, '06-fault-report');
  await report.getByRole('button', { name: '报告故障' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已记录 ${SERIAL} 的故障。` })).toBeVisible();
  const card = page.getByRole('article', { name: new RegExp(SERIAL) });
  await expect(card).toContainText('电池无法充电');
  await expect(card).toContainText('未关闭');
  await expect(card).toContainText('还没有维修记录。');
  // Out of service: the camera cannot go out.
  const cameras = await call<{ cameras: Array<{ device: { serial: string; status: string }; available: boolean }> }>(page, 'custody.cameras', {});
  expect(cameras.cameras.find((c) => c.device.serial === SERIAL)).toMatchObject({ device: { status: 'out_of_service' }, available: false });
  await check(page, '07-fault-open');

  // ---- a repair ----
  await card.getByRole('button', { name: `记录维修 ${SERIAL}` }).click();
  const repair = page.getByRole('dialog', { name: `记录维修：${SERIAL}` });
  await repair.getByLabel('做了哪些维修').fill('更换电池，充放电测试两次正常。');
  await check(page, '08-fault-maintenance');
  await repair.getByRole('button', { name: '记录维修' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已记录 ${SERIAL} 的维修。` })).toBeVisible();
  await expect(card.getByRole('listitem')).toContainText(['更换电池，充放电测试两次正常。']);
  await expect(card).toContainText(`${CUSTODIAN.name}`);

  // ---- close and return to service ----
  await card.getByRole('button', { name: `关闭故障 ${SERIAL}` }).click();
  const close = page.getByRole('dialog', { name: `关闭故障：${SERIAL}` });
  await close.getByLabel('处理结果').fill('已修复，恢复使用。');
  await expect(close.getByRole('checkbox', { name: '恢复使用这台执法记录仪' })).toBeChecked();
  await check(page, '09-fault-close');
  await close.getByRole('button', { name: '关闭故障' }).click();
  await expect(page.getByRole('status').filter({ hasText: `已关闭 ${SERIAL} 的故障，执法记录仪已恢复使用。` })).toBeVisible();
  await expect(page.getByText('没有未关闭的故障。')).toBeVisible();
  await page.getByRole('group', { name: '显示哪些故障' }).getByRole('button', { name: '全部' }).click();
  await expect(card).toContainText('已关闭');
  await expect(card).toContainText('已修复，恢复使用。');
  await expect(card.getByRole('button')).toHaveCount(0);
  await check(page, '10-fault-closed');

  // The camera status list: back in service and available.
  await headerLink(page, '执法记录仪状态').click();
  const cameraRow = page.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(cameraRow).toContainText('在用');
  await expect(cameraRow).toContainText('可领用');
});
