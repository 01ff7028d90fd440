import { expect } from './fixtures.js';
import { call } from './page-calls.js';
import { CUSTODIAN, dock, GENERAL, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// The custody rules' settings and routine care, in Debian's Chromium against
// the real core through the harness: 综合处 changes the cut-off (第十五条) and
// the battery minimum (第七条), which are still there after a reload, and an
// out-of-range value is refused with a sentence saying what to enter; with the
// alarm tone on, an unregistered camera docked into the watched folder raises
// an alarm and the board beeps (the browser's own AudioContext, wrapped by the
// spec to count the oscillators it starts); a custodian logs routine care
// (第六条 保管和养护) and finds it in the list.

const START = Date.parse('2026-11-27T09:00:00+08:00');

test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const check = screenChecks('settings');

test('@custody 综合处 changes the cut-off and the battery minimum, kept after a reload; a value out of range is refused', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  // A custodian has no such menu item, and the address alone does not open the screen.
  await loginBadge(page, CUSTODIAN);
  await expect(menu(page, '保管规则设置')).toHaveCount(0);
  await page.evaluate(() => {
    window.location.hash = '#/settings';
  });
  await expect(page.getByRole('heading', { name: `您好，${CUSTODIAN.name}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: '保管规则设置' })).toHaveCount(0);
  await page.getByRole('button', { name: '退出', exact: true }).click();

  await loginBadge(page, GENERAL);
  await menu(page, '保管规则设置').click();
  await expect(page.getByRole('heading', { name: '保管规则设置', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: '保管规则设置' });
  const battery = form.getByLabel('电池电量最低值（%）');
  const cutoff = form.getByLabel('当天导出截止时间');
  await expect(battery).toHaveValue('60');
  await expect(form.getByLabel('内存卡剩余空间最低值（GiB）')).toHaveValue('4');
  await expect(form.getByLabel('设备时间允许误差（秒）')).toHaveValue('60');
  await expect(cutoff).toHaveValue('23:59');
  await expect(form.getByRole('checkbox', { name: /同时领用两台/ })).not.toBeChecked();
  await expect(form.getByRole('checkbox', { name: /发出提示音/ })).not.toBeChecked();
  // Each limit says what it does, in the regulation's words.
  await expect(battery).toHaveAccessibleDescription(/电池电量充足.*0–100/);
  await expect(page.getByText('确保执法记录仪无故障，电池电量充足', { exact: false })).toBeVisible();
  await check(page, '01-screen');

  await battery.fill('75');
  await cutoff.fill('18:30');
  await form.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存保管规则设置，之后的领用按新设置执行。');
  await check(page, '02-saved');
  // The core holds them, and wrote the change to the audit log.
  expect(await call(page, 'custody.settings', {})).toMatchObject({ batteryMinPercent: 75, offloadCutoff: '18:30', freeSpaceMinBytes: 4 * 1024 ** 3 });
  const audit = await call<{ entries: Array<{ action: string; after: unknown }> }>(page, 'audit.list', { objectType: 'settings' });
  expect(audit.entries.map((e) => e.action)).toEqual(['custody.settings_changed']);
  expect(audit.entries[0]!.after).toMatchObject({ batteryMinPercent: 75, offloadCutoff: '18:30' });

  // A reload is a new connection: log in again (the station starts each session on its home screen), and the values are still there.
  await page.reload();
  await loginBadge(page, GENERAL);
  await menu(page, '保管规则设置').click();
  await expect(battery).toHaveValue('75');
  await expect(cutoff).toHaveValue('18:30');

  // Out of range: refused before it is sent, each field saying what to enter.
  await battery.fill('150');
  await form.getByLabel('设备时间允许误差（秒）').fill('0');
  await cutoff.fill('25:00');
  await form.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('alert')).toHaveText('有 3 项填写不正确，请按提示修改后再保存。');
  await expect(battery).toHaveAttribute('aria-invalid', 'true');
  // The Save button is far below: focus goes back to the first field to put right.
  await expect(battery).toBeFocused();
  await expect(cutoff).toHaveAccessibleDescription(/请填写 00:00–23:59 之间的时刻，例如 18:30。/);
  await expect(battery).toHaveAccessibleDescription(/电池电量最低值应为 0–100 的整数。/);
  await expect(form.getByLabel('设备时间允许误差（秒）')).toHaveAccessibleDescription(/应为 1–86400 的整数（秒）/);
  await expect(page.getByRole('status')).toHaveCount(0);
  await check(page, '03-invalid');
  expect(await call(page, 'custody.settings', {})).toMatchObject({ batteryMinPercent: 75, clockToleranceSeconds: 60 });

  // Put right, it saves.
  await battery.fill('70');
  await form.getByLabel('设备时间允许误差（秒）').fill('120');
  await cutoff.fill('18:30');
  await form.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toContainText('已保存');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await call(page, 'custody.settings', {})).toMatchObject({ batteryMinPercent: 70, clockToleranceSeconds: 120, offloadCutoff: '18:30' });
});

test('@custody with the alarm tone on, an unregistered camera docked raises an alarm and the board beeps twice', async ({ harness, page, watchDir }) => {
  // Observes the browser's real WebAudio: every oscillator the page starts is counted.
  await page.addInitScript(() => {
    const counts = { contexts: 0, oscillatorStarts: 0 };
    (window as unknown as { __tone: typeof counts }).__tone = counts;
    const Real = window.AudioContext;
    window.AudioContext = class extends Real {
      constructor(options?: AudioContextOptions) {
        super(options);
        counts.contexts++;
      }
      override createOscillator(): OscillatorNode {
        const oscillator = super.createOscillator();
        const start = oscillator.start.bind(oscillator);
        oscillator.start = (when?: number) => {
          counts.oscillatorStarts++;
          start(when);
        };
        return oscillator;
      }
    };
  });
  const tone = () => page.evaluate(() => (window as unknown as { __tone: { contexts: number; oscillatorStarts: number } }).__tone);

  await setUpStation(page, harness.url);
  await loginBadge(page, GENERAL);
  const alarms = page.getByRole('region', { name: '警报' });

  // Off (the default): the alarm shows, and nothing sounds.
  await dock(watchDir, { serial: 'DSJ-2026-0098', badge: OFFICER.badge, now: START });
  await expect(alarms.getByRole('listitem').filter({ hasText: 'DSJ-2026-0098' })).toContainText('未登记的设备', { timeout: 20_000 });
  await page.waitForTimeout(1_000);
  expect(await tone()).toEqual({ contexts: 0, oscillatorStarts: 0 });

  await menu(page, '保管规则设置').click();
  const form = page.getByRole('form', { name: '保管规则设置' });
  await form.getByRole('checkbox', { name: /发出提示音/ }).check();
  await expect(form.getByText('警报总会显示在接入台上', { exact: false })).toBeVisible();
  await check(page, '04-alarm-sound-on');
  await form.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toContainText('已保存');

  // Back on the board: the alarm already there does not ring again; a new one does, twice.
  await menu(page, '首页').click();
  await expect(alarms).toContainText('DSJ-2026-0098');
  await page.waitForTimeout(500);
  expect((await tone()).oscillatorStarts).toBe(0);
  await dock(watchDir, { serial: 'DSJ-2026-0099', badge: OFFICER.badge, now: START });
  await expect(alarms.getByRole('listitem').filter({ hasText: 'DSJ-2026-0099' })).toContainText('未登记的设备', { timeout: 20_000 });
  await expect.poll(async () => (await tone()).oscillatorStarts).toBe(2);
  // One context, made once the page had been touched, reused for every alarm.
  expect((await tone()).contexts).toBe(1);
  await check(page, '05-board-alarm-tone');
});

test('@custody a custodian logs routine care of a camera and finds it in the list', async ({ harness, page }) => {
  await setUpStation(page, harness.url);
  await loginBadge(page, CUSTODIAN);
  await menu(page, '故障与维修').click();
  await page.getByRole('group', { name: '查看' }).getByRole('button', { name: '日常养护' }).click();
  const care = page.getByRole('region', { name: '日常养护（第六条 保管和养护）' });
  await expect(care.getByText('还没有日常养护记录。')).toBeVisible();
  await check(page, '06-routine-empty');

  await care.getByRole('button', { name: '记录养护' }).click();
  const dialog = page.getByRole('dialog', { name: '记录日常养护' });
  await dialog.getByLabel('执法记录仪').selectOption({ label: `${SERIAL} · ${OFFICER.name}（${OFFICER.badge}）` });
  await dialog.getByLabel('做了哪些养护').fill('清洁镜头和充电触点，检查腕带');
  await check(page, '07-routine-dialog');
  await dialog.getByRole('button', { name: '记录养护' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText(`已记录 ${SERIAL} 的日常养护。`);
  const row = care.getByRole('row', { name: new RegExp(SERIAL) });
  await expect(row).toContainText('清洁镜头和充电触点，检查腕带');
  await expect(row).toContainText(CUSTODIAN.name);
  await expect(row).toContainText('2026-11-27 09:00');
  await check(page, '08-routine-list');

  // Routine care is not a fault's repair: the faults view stays empty.
  await page.getByRole('group', { name: '查看' }).getByRole('button', { name: '故障与维修' }).click();
  await expect(page.getByText('没有未关闭的故障。')).toBeVisible();
});
