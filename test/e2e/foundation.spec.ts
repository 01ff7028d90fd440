import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { logout, screenChecks } from './steps.js';

// The foundation, as people use it, in Debian's Chromium against the real core
// through the harness: first-run setup, an administrator adding a custodian,
// the custodian's badge login and forced PIN change, registering a camera, and
// the audit log showing all of it with an intact chain. Every screen is
// screenshotted and scanned by axe-core.

const ADMIN = { badge: '000001', name: '王管理', unit: '综合处', password: 'Xk7 harbour lantern' };
const CUSTODIAN = { badge: '100200', name: '李保管', ownPin: '802413' };
const CAMERA = { serial: 'DSJ-2026-0001', model: 'DSJ-V8' };

/** Both checks every screen gets. */
const check = screenChecks();

async function setUpStation(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: '首次设置：创建系统管理员' })).toBeVisible();
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('姓名').fill(ADMIN.name);
  await page.getByLabel('单位').fill(ADMIN.unit);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('再次输入密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.getByRole('heading', { name: `您好，${ADMIN.name}` })).toBeVisible();
}

test('setup, custodian, badge login, PIN change, camera registration and the audit log', async ({ harness, page }) => {
  // ---- first run ----
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: '首次设置：创建系统管理员' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await check(page, '01-setup');
  // The rule is shown, and a short password is refused before it travels.
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('再次输入密码').fill('short');
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.getByText('密码至少 10 个字符。')).toBeVisible();
  await setUpStation(page, harness.url);
  await expect(page.getByRole('banner')).toContainText(ADMIN.name);
  await expect(page.getByRole('banner')).toContainText('系统管理员');
  await check(page, '02-home-admin');

  // ---- the administrator adds a custodian ----
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '人员管理' }).click();
  await expect(page.getByRole('heading', { name: '人员管理', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: ADMIN.badge })).toBeVisible();
  await check(page, '03-people');
  await page.getByRole('button', { name: '新增人员' }).click();
  const form = page.getByRole('dialog', { name: '新增人员' });
  await expect(form.getByLabel('警号')).toBeFocused();
  await form.getByLabel('警号').fill(CUSTODIAN.badge);
  await form.getByLabel('姓名').fill(CUSTODIAN.name);
  await form.getByLabel('单位').fill('第一执法大队');
  await form.getByRole('checkbox', { name: /^执法人员/ }).uncheck();
  await form.getByRole('checkbox', { name: /^保管人/ }).check();
  await check(page, '04-person-form');
  await form.getByRole('button', { name: '新增并生成一次性 PIN' }).click();
  const pinDialog = page.getByRole('dialog', { name: '人员已新增' });
  await expect(pinDialog).toContainText('只显示这一次');
  // The PIN is for the person's eyes: hidden until they, handed the screen, ask to see it.
  await expect(pinDialog.getByTestId('one-time-pin')).toHaveCount(0);
  await expect(pinDialog).toContainText('办理人请勿查看');
  await check(page, '05-person-created-pin-hidden');
  await pinDialog.getByRole('button', { name: `我是${CUSTODIAN.name}，显示 PIN` }).click();
  const oneTimePin = (await pinDialog.getByTestId('one-time-pin').textContent())?.trim() ?? '';
  expect(oneTimePin).toMatch(/^\d{6}$/);
  await check(page, '05-person-created-pin');
  await pinDialog.getByRole('button', { name: '本人已记下，关闭' }).click();
  const row = page.getByRole('row', { name: new RegExp(CUSTODIAN.badge) });
  await expect(row).toContainText('保管人');
  await expect(row).toContainText('待本人设置 PIN');
  await logout(page);

  // ---- the custodian logs in with badge + one-time PIN ----
  const badgeField = page.getByLabel('刷警号');
  await expect(badgeField).toBeFocused();
  await check(page, '06-login-badge');
  // A keyboard-wedge reader types the badge number, then Enter.
  await page.keyboard.type(CUSTODIAN.badge);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('PIN', { exact: true })).toBeFocused();
  // A wrong PIN first: the error says what to do, and the PIN field is ready again.
  await page.keyboard.type('999999');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('警号或密码/PIN 不正确');
  // On the touch screen the PIN is typed on the keypad.
  const keypad = page.getByRole('group', { name: '数字键盘' });
  for (const digit of oneTimePin) await keypad.getByRole('button', { name: digit, exact: true }).click();
  await expect(page.getByLabel('PIN', { exact: true })).toHaveValue(oneTimePin);
  await check(page, '07-login-pin');
  await page.keyboard.press('Enter'); // focus stayed in the PIN field while tapping

  // ---- forced PIN change ----
  await expect(page.getByRole('heading', { name: '请设置您自己的 PIN' })).toBeVisible();
  await check(page, '08-pin-change');
  await page.getByLabel('一次性 PIN').fill(oneTimePin);
  await page.getByLabel('新 PIN', { exact: true }).fill(CUSTODIAN.ownPin);
  await page.getByLabel('再次输入新 PIN').fill(CUSTODIAN.ownPin);
  await page.getByRole('button', { name: '保存新 PIN' }).click();
  await expect(page.getByRole('heading', { name: `您好，${CUSTODIAN.name}` })).toBeVisible();
  // A custodian may see people and cameras but not the audit log.
  const nav = page.getByRole('navigation', { name: '主菜单' });
  await expect(nav.getByRole('link', { name: '执法记录仪登记' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '审计日志' })).toHaveCount(0);
  await check(page, '09-home-custodian');

  // ---- the custodian registers a camera with a fixed keeper ----
  await nav.getByRole('link', { name: '执法记录仪登记' }).click();
  await expect(page.getByRole('heading', { name: '执法记录仪登记', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: '登记执法记录仪' }).click();
  const register = page.getByRole('dialog', { name: '登记执法记录仪' });
  await register.getByLabel('产品序号').fill(CAMERA.serial);
  await register.getByLabel('型号').fill(CAMERA.model);
  await register.getByLabel('按警号或姓名查找人员').fill(CUSTODIAN.name);
  await register.getByRole('radio', { name: new RegExp(`${CUSTODIAN.name}.*${CUSTODIAN.badge}`) }).check();
  await check(page, '10-device-register');
  await register.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByRole('heading', { name: `执法记录仪 ${CAMERA.serial}` })).toBeVisible();
  await expect(page.locator('.facts')).toContainText(`${CUSTODIAN.name}（${CUSTODIAN.badge}）`);
  await expect(page.getByRole('region', { name: '保管历史' })).toContainText('至今');
  await check(page, '11-device-detail');
  await page.getByRole('link', { name: '返回执法记录仪列表' }).click();
  const deviceRow = page.getByRole('row', { name: new RegExp(CAMERA.serial) });
  await expect(deviceRow).toContainText(CAMERA.model);
  await expect(deviceRow).toContainText('在用');
  await check(page, '12-devices');
  await logout(page);

  // ---- the administrator reads the audit log ----
  await page.getByRole('button', { name: '警号 + 密码登录' }).click();
  await expect(page.getByLabel('警号')).toBeFocused();
  await check(page, '13-login-password');
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `您好，${ADMIN.name}` })).toBeVisible();
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '审计日志' }).click();
  await expect(page.getByTestId('chain-status')).toContainText(/审计链完整（共 \d+ 条记录）/);
  const log = page.getByRole('region', { name: '审计日志' });
  for (const action of ['完成首次设置（创建管理员）', '新增人员', '登录', '登录失败', '修改 PIN', '登记执法记录仪']) {
    await expect(log.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  }
  // Newest first: the administrator's own login is on top.
  await expect(log.getByRole('row').nth(1)).toContainText('登录');
  // A row's details show its before/after content.
  const registered = log.getByRole('row', { name: /登记执法记录仪/ });
  await registered.getByRole('button', { name: '展开' }).click();
  await expect(log.getByRole('rowheader', { name: '产品序号' })).toBeVisible();
  await expect(log).toContainText(CAMERA.serial);
  await check(page, '14-audit');
});

test('the English switch changes the words, and is remembered', async ({ harness, page }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: '首次设置：创建系统管理员' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'First run: create the administrator' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByLabel('Badge number')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create administrator and log in' })).toBeVisible();
  await expect(page).toHaveTitle('Body-worn camera evidence station');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'First run: create the administrator' })).toBeVisible();
  await page.getByLabel('Badge number').fill(ADMIN.badge);
  await page.getByLabel('Name').fill(ADMIN.name);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Password again').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `Hello, ${ADMIN.name}` })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main menu' })).toContainText('Cameras');
  await expect(page.getByRole('banner')).toContainText('Administrator');
  await check(page, '20-home-english');
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Audit log' }).click();
  // The vault made and bound at the first start, the setup, the login.
  await expect(page.getByTestId('chain-status')).toContainText('Audit chain intact (entries checked: 3)');
  await expect(page.getByRole('cell', { name: 'Vault bound to the station' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'First-run setup (administrator created)' })).toBeVisible();
  await check(page, '21-audit-english');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByTestId('chain-status')).toContainText('审计链完整（共 3 条记录）');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test.describe('idle lock', () => {
  test.use({ harnessOptions: { clock: '2026-11-27T09:00:00+08:00', idleLockMs: 60_000 } });

  test('an idle session locks, shows who is logged in and unlocks with the password', async ({ harness, page }) => {
    await setUpStation(page, harness.url);
    await page.getByRole('link', { name: '人员管理' }).first().click();
    await page.getByLabel('按警号或姓名查找').fill('王');
    await harness.advanceClock(61_000);
    const lock = page.getByRole('dialog', { name: '屏幕已锁定' });
    await expect(lock).toBeVisible();
    await expect(lock).toContainText(`${ADMIN.name}（警号 ${ADMIN.badge}）已登录`);
    await expect(lock.getByLabel('密码或 PIN')).toBeFocused();
    await check(page, '15-lock');
    await page.keyboard.type('wrong password');
    await page.keyboard.press('Enter');
    await expect(lock.getByRole('alert')).toContainText('不正确');
    await lock.getByLabel('密码或 PIN').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await expect(lock).toHaveCount(0);
    // The screen under the lock kept its state.
    await expect(page.getByLabel('按警号或姓名查找')).toHaveValue('王');
  });
});

test('a core restart sends everyone back to the login screen with a notice', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  const pid = harness.corePid();
  expect(pid).not.toBeNull();
  process.kill(pid!, 'SIGKILL');
  await expect(page.getByRole('status').filter({ hasText: '采集站核心已重新启动，请重新登录。' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('刷警号')).toBeVisible();
  await check(page, '16-core-restarted');
  await page.getByRole('button', { name: '警号 + 密码登录' }).click();
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `您好，${ADMIN.name}` })).toBeVisible();
});

/** As the logged-in administrator: adds a person and returns their one-time PIN. */
async function addPerson(page: Page, person: { badge: string; name: string; role?: RegExp }): Promise<string> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '人员管理' }).click();
  await page.getByRole('button', { name: '新增人员' }).click();
  const form = page.getByRole('dialog', { name: '新增人员' });
  await form.getByLabel('警号').fill(person.badge);
  await form.getByLabel('姓名').fill(person.name);
  if (person.role) {
    await form.getByRole('checkbox', { name: /^执法人员/ }).uncheck();
    await form.getByRole('checkbox', { name: person.role }).check();
  }
  await form.getByRole('button', { name: '新增并生成一次性 PIN' }).click();
  await page.getByRole('button', { name: `我是${person.name}，显示 PIN` }).click();
  const pin = (await page.getByTestId('one-time-pin').textContent())?.trim() ?? '';
  await page.getByRole('button', { name: '本人已记下，关闭' }).click();
  return pin;
}

async function badgeLogin(page: Page, badge: string, pin: string): Promise<void> {
  await expect(page.getByLabel('刷警号')).toBeFocused();
  await page.keyboard.type(badge);
  await page.keyboard.press('Enter');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

test('people admin: edit, reset PIN, deactivate and reactivate; an officer sees what the station is for', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  // Editing oneself shows in the header at once.
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '人员管理' }).click();
  await page.getByRole('row', { name: new RegExp(ADMIN.badge) }).getByRole('button', { name: '修改' }).click();
  await page.getByRole('dialog').getByLabel('姓名').fill('王管理员');
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('banner')).toContainText('王管理员');
  const firstPin = await addPerson(page, { badge: '200300', name: '赵执法' });
  const row = () => page.getByRole('row', { name: /200300/ });

  // Edit the name and unit; the badge number stays.
  await row().getByRole('button', { name: '修改' }).click();
  const edit = page.getByRole('dialog', { name: '修改人员信息：赵执法' });
  await edit.getByLabel('姓名').fill('赵一执');
  await edit.getByLabel('单位').fill('第二执法大队');
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(row()).toContainText('赵一执');
  await expect(row()).toContainText('第二执法大队');

  // A reset issues a new one-time PIN, shown once.
  await row().getByRole('button', { name: '重置 PIN' }).click();
  await page.getByRole('dialog', { name: '重置 PIN' }).getByRole('button', { name: '重置 PIN' }).click();
  const resetDialog = page.getByRole('dialog', { name: 'PIN 已重置' });
  await expect(resetDialog).toContainText('只给 赵一执（警号 200300）本人看');
  await resetDialog.getByRole('button', { name: '我是赵一执，显示 PIN' }).click();
  const pin = (await resetDialog.getByTestId('one-time-pin').textContent())?.trim() ?? '';
  expect(pin).toMatch(/^\d{6}$/);
  await resetDialog.getByRole('button', { name: '本人已记下，关闭' }).click();

  // Deactivation asks first, then hides the person unless asked for.
  await row().getByRole('button', { name: '停用' }).click();
  const confirm = page.getByRole('dialog', { name: '停用人员' });
  // A dialog that cannot be undone easily starts on "cancel", not on the action.
  await expect(confirm.getByRole('button', { name: '取消' })).toBeFocused();
  await expect(confirm).toContainText('将无法登录');
  await check(page, '30-person-deactivate');
  await confirm.getByRole('button', { name: '停用' }).click();
  await expect(row()).toHaveCount(0);
  await page.getByLabel('包括已停用人员').check();
  await expect(row()).toContainText('已停用');
  await logout(page);

  // A deactivated person cannot log in, and is told so.
  await badgeLogin(page, '200300', pin);
  await expect(page.getByRole('alert')).toContainText('此账户已停用');
  await page.getByRole('button', { name: '重新刷卡' }).click();

  // The old one-time PIN stopped working at the reset.
  await page.getByRole('button', { name: '警号 + 密码登录' }).click();
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '人员管理' }).click();
  await page.getByLabel('包括已停用人员').check();
  await row().getByRole('button', { name: '启用' }).click();
  await page.getByRole('dialog', { name: '重新启用人员' }).getByRole('button', { name: '启用' }).click();
  await expect(row()).toContainText('在用');
  await logout(page);
  if (firstPin !== pin) {
    await badgeLogin(page, '200300', firstPin);
    await expect(page.getByRole('alert')).toContainText('不正确');
    await page.getByRole('button', { name: '重新刷卡' }).click();
  }

  // The officer logs in, sets a PIN, and sees the officer's page: no management screens.
  await badgeLogin(page, '200300', pin);
  await page.getByLabel('一次性 PIN').fill(pin);
  await page.getByLabel('新 PIN', { exact: true }).fill('1357924');
  await page.getByLabel('再次输入新 PIN').fill('1357942');
  await page.getByRole('button', { name: '保存新 PIN' }).click();
  await expect(page.getByText('两次输入的新 PIN 不一致')).toBeVisible();
  await page.getByLabel('一次性 PIN').fill(pin);
  await page.getByLabel('新 PIN', { exact: true }).fill('1357924');
  await page.getByLabel('再次输入新 PIN').fill('1357924');
  await page.getByRole('button', { name: '保存新 PIN' }).click();
  await expect(page.getByRole('heading', { name: '您好，赵一执' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主菜单' })).toHaveCount(0);
  await expect(page.getByText('第一时间将执法记录仪接入本站导出保存')).toBeVisible();
  await check(page, '31-home-officer');
  // A screen the officer may not use falls back to the home page.
  await page.goto(`${harness.url}#/audit`);
  await expect(page.getByRole('heading', { name: '您好，赵一执' })).toBeVisible();
});

test('camera lifecycle: keeper change with history, out of service, retirement', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  await addPerson(page, { badge: '100201', name: '张保管', role: /^保管人/ });
  await addPerson(page, { badge: '100202', name: '陈保管', role: /^保管人/ });
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '执法记录仪登记' }).click();
  await page.getByRole('button', { name: '登记执法记录仪' }).click();
  let register = page.getByRole('dialog', { name: '登记执法记录仪' });
  await register.getByLabel('产品序号').fill('DSJ-7');
  await register.getByLabel('按警号或姓名查找人员').fill('100201');
  await register.getByRole('radio', { name: /张保管/ }).check();
  await register.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByRole('heading', { name: '执法记录仪 DSJ-7' })).toBeVisible();

  // 定人管理: one keeper at a time, the change kept in the history.
  await page.getByRole('button', { name: '变更保管人' }).click();
  const keeper = page.getByRole('dialog', { name: '变更保管人：DSJ-7' });
  await keeper.getByLabel('按警号或姓名查找人员').fill('陈');
  await keeper.getByRole('radio', { name: /陈保管/ }).check();
  await check(page, '32-device-keeper');
  await keeper.getByRole('button', { name: '保存' }).click();
  const history = page.getByRole('region', { name: '保管历史' });
  await expect(history.getByRole('row')).toHaveCount(3);
  // The current keeper first.
  await expect(history.getByRole('row').nth(1)).toContainText('陈保管（100202）');
  await expect(history.getByRole('row').nth(1)).toContainText('至今');
  await expect(history.getByRole('row').nth(2)).toContainText('张保管（100201）');
  await expect(history.getByRole('row').nth(2)).not.toContainText('至今');

  // Out of service needs a reason; then back in service.
  await page.getByRole('button', { name: '停止使用' }).click();
  let dialog = page.getByRole('dialog', { name: '停止使用：DSJ-7' });
  await dialog.getByRole('button', { name: '停止使用' }).click();
  await expect(dialog.getByText('请填写原因。')).toBeVisible();
  await dialog.getByLabel('原因').fill('电池鼓包，送厂维修');
  await dialog.getByRole('button', { name: '停止使用' }).click();
  await expect(page.locator('.facts')).toContainText('电池鼓包，送厂维修');
  await page.getByRole('button', { name: '恢复使用' }).click();
  dialog = page.getByRole('dialog', { name: '恢复使用：DSJ-7' });
  await dialog.getByLabel('原因').fill('维修完毕，检查无故障');
  await dialog.getByRole('button', { name: '恢复使用' }).click();
  await expect(page.getByRole('button', { name: '停止使用' })).toBeVisible();

  // Retirement warns that it is final, and then nothing can be changed.
  await page.getByRole('button', { name: '报废' }).click();
  dialog = page.getByRole('dialog', { name: '报废：DSJ-7' });
  await expect(dialog.getByLabel('原因')).toBeFocused();
  await expect(dialog).toContainText('报废不可撤销');
  await dialog.getByLabel('原因').fill('摔坏，无法修复');
  await check(page, '33-device-retire');
  await dialog.getByRole('button', { name: '报废' }).click();
  await expect(page.getByText('此执法记录仪已报废，信息不能再修改')).toBeVisible();
  await expect(page.getByRole('button', { name: '变更保管人' })).toHaveCount(0);

  // A serial can be registered once.
  await page.getByRole('link', { name: '返回执法记录仪列表' }).click();
  await page.getByLabel('状态').selectOption('retired');
  await expect(page.getByRole('row', { name: /DSJ-7/ })).toContainText('已报废');
  await page.getByRole('button', { name: '登记执法记录仪' }).click();
  register = page.getByRole('dialog', { name: '登记执法记录仪' });
  await register.getByLabel('产品序号').fill('DSJ-7');
  await register.getByRole('button', { name: '登记', exact: true }).click();
  await expect(register.getByText('此产品序号已登记')).toBeVisible();
  await register.getByLabel('产品序号').fill('DSJ 8!');
  await register.getByRole('button', { name: '登记', exact: true }).click();
  await expect(register.getByText('产品序号应为 1–64 位字母、数字或 . _ -。')).toBeVisible();
  await check(page, '34-device-register-errors');
});

test.describe('lockout', () => {
  test.use({ harnessOptions: { clock: '2026-11-27T09:00:00+08:00' } });

  test('five wrong passwords lock the account until a time shown in station time, told to the right password only', async ({ harness, page }) => {
    await setUpStation(page, harness.url);
    await logout(page);
    await page.getByRole('button', { name: '警号 + 密码登录' }).click();
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('警号').fill(ADMIN.badge);
      await page.getByLabel('密码').fill(`wrong password ${i}`);
      await page.keyboard.press('Enter');
      // The screen clears the password when the answer arrives: only then is this attempt counted,
      // and the next one may be typed (the alert alone still shows the previous attempt's answer).
      await expect(page.getByLabel('密码')).toHaveValue('');
      // A wrong password never tells of a lock: that would say the badge exists.
      await expect(page.getByRole('alert')).toContainText('不正确');
    }
    await page.getByLabel('警号').fill(ADMIN.badge);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('账户已锁定至 2026-11-27 09:15:00');
    await check(page, '35-login-locked');
  });
});

test('my account: a person changes their own password', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  await page.getByRole('button', { name: '我的账户' }).click();
  const account = page.getByRole('dialog', { name: '我的账户' });
  // The administrator made at setup has a password but no PIN yet.
  await expect(account).toContainText('您还没有 PIN');
  await account.getByLabel('当前密码').fill('not my password');
  await account.getByLabel('新密码', { exact: true }).fill('Pq9 river lanterns');
  await account.getByLabel('再次输入新密码').fill('Pq9 river lanterns');
  await account.getByRole('button', { name: '保存新密码' }).click();
  await expect(account.getByRole('alert')).toContainText('警号或密码/PIN 不正确');
  await account.getByLabel('当前密码').fill(ADMIN.password);
  await account.getByLabel('新密码', { exact: true }).fill('Pq9 river lanterns');
  await account.getByLabel('再次输入新密码').fill('Pq9 river lanterns');
  await account.getByRole('button', { name: '保存新密码' }).click();
  await expect(account.getByRole('status')).toContainText('新密码已保存');
  await check(page, '36-account');
  await account.getByRole('button', { name: '关闭' }).click();
  await logout(page);
  await page.getByRole('button', { name: '警号 + 密码登录' }).click();
  await page.getByLabel('警号').fill(ADMIN.badge);
  await page.getByLabel('密码').fill('Pq9 river lanterns');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `您好，${ADMIN.name}` })).toBeVisible();
});
