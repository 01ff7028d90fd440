import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { OutsideRecording } from '../../shared/custody.js';
import type { ExportRecord } from '../../shared/export.js';
import type { LibraryPage } from '../../shared/library.js';
import { expect } from './fixtures.js';
import type { SeedPerson } from './page-calls.js';
import { call } from './page-calls.js';
import type { BadgeHolder } from './steps.js';
import { CUSTODIAN, dock, GENERAL, IDLE_LOCK_OUT_OF_THE_WAY, loginBadge, logout, menu, OFFICER, screenChecks, SERIAL, setUpStation, test } from './steps.js';

// Evidence discs (issue 21; 第十七、二十条) in Chromium against the real core through the
// harness: 综合处 searches the library for one case, exports it to DVD for a 提取人 from another
// unit; the discs are made at once (evidence of a case needs no approval); the image is saved
// and checked with sha256sum as a court clerk would, the 文字说明材料 printed as PDF, the discs
// handed over. Then a department head approves a case-less export from the home screen.

const START = Date.parse('2026-11-27T09:00:00+08:00');
test.use({ harnessOptions: async ({ watchDir }, use) => use({ clock: START, watch: watchDir, idleLockMs: IDLE_LOCK_OUT_OF_THE_WAY }) });

const HEAD: BadgeHolder = { badge: '700800', name: '陈部长', pin: '613927' };
const PEOPLE: readonly SeedPerson[] = [
  { ...CUSTODIAN, role: 'custodian' },
  { ...OFFICER, role: 'officer' },
  { ...GENERAL, role: 'general_office' },
  { ...HEAD, role: 'department_head' },
];
const CASE_NO = '文执罚〔2026〕131号';
const CAUSE = '某网吧接纳未成年人';
const OUTSIDE = { name: '刘书记员', unit: '某区人民法院', idNo: '110101199003071234' };
/** Making the discs waits on the core's work, however long a loaded machine takes (never a fixed time). */
const UNTIL_MADE = { timeout: 240_000 };

const check = screenChecks('export');

/** The officer's camera docks (no checkout); returns its stored, undamaged recordings. */
async function dockCamera(page: import('@playwright/test').Page, watchDir: string) {
  await dock(watchDir, { serial: SERIAL, badge: OFFICER.badge, now: START });
  await expect.poll(async () => (await call<OutsideRecording[]>(page, 'custody.outsideRecordings', { reviewed: false })).length, { timeout: 120_000 }).toBe(1);
  const clips = (await call<LibraryPage>(page, 'library.search', {})).clips.filter((c) => !c.damaged);
  expect(clips.length).toBeGreaterThan(0);
  return clips;
}

test('@export 综合处 exports a case to DVD for a 提取人 from outside, saves and checks the image, prints the statement and hands the discs over', async ({ page, harness, watchDir }, testInfo) => {
  await setUpStation(page, harness.url, PEOPLE);
  await loginBadge(page, GENERAL);
  const clips = await dockCamera(page, watchDir);
  // The case and its recordings (the library spec's subject).
  const legalCase = await call<{ id: number }>(page, 'cases.create', { caseNo: CASE_NO, cause: CAUSE, handlerName: OFFICER.name });
  await call(page, 'cases.addClips', { caseId: legalCase.id, clipIds: clips.map((c) => c.id) });

  // ---- the library, searched for the case: 导出光盘 next to the request to view it all ----
  await menu(page, '音视频资料').click();
  await page.getByLabel('案件', { exact: true }).selectOption({ value: String(legalCase.id) });
  await expect(page).toHaveURL(new RegExp(`case=${legalCase.id}`));
  await expect(page.getByText(CAUSE, { exact: true })).toBeVisible();
  await check(page, '00-library-case');
  await page.getByRole('button', { name: '导出光盘' }).click();
  const dialog = page.getByRole('dialog', { name: '导出光盘' });
  await expect(dialog).toContainText(`导出案件 ${CASE_NO} 的全部录像`);
  // Evidence of a case: made at once.
  await expect(dialog.getByTestId('approval-line')).toContainText('无需审批');
  await expect(dialog.getByLabel('光盘类型')).toHaveValue('dvd');
  // Nothing is sent without the 提取人's name, unit and ID number.
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(dialog.getByText('请填写提取人的单位')).toBeVisible();
  await expect(dialog.getByText('证件号码应为 4–40 位')).toBeVisible();
  await dialog.getByLabel('提取人姓名').fill(OUTSIDE.name);
  await dialog.getByLabel('单位', { exact: true }).fill(OUTSIDE.unit);
  await dialog.getByLabel('证件号码').fill(OUTSIDE.idNo);
  await dialog.getByLabel('光盘类型').selectOption({ label: 'DVD（4.7 GB）' });
  // Another purpose would need a head: the dialog says so before sending.
  await dialog.getByRole('radio', { name: /对外提供/ }).check();
  await expect(dialog.getByTestId('approval-line')).toContainText('须经部门负责人批准（用途不是作为证据）');
  await dialog.getByRole('radio', { name: /作为证据/ }).check();
  await expect(dialog.getByTestId('approval-line')).toContainText('无需审批');
  await check(page, '01-new-dialog');
  // The rest of the form, below the dialog's fold.
  await dialog.getByLabel('光盘类型').scrollIntoViewIfNeeded();
  await check(page, '01-new-dialog-bottom');
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(dialog.getByRole('status')).toContainText('正在制作光盘');
  const made = (await call<{ exports: ExportRecord[] }>(page, 'exports.list', {})).exports[0]!;
  expect(made).toMatchObject({ caseId: legalCase.id, purpose: 'evidence', medium: 'dvd', needsApproval: [], recipient: { kind: 'outside', ...OUTSIDE } });
  await dialog.getByRole('link', { name: `打开 ${made.exportNo}` }).click();
  await expect(dialog).toHaveCount(0);

  // ---- the export's page: progress, then 已制作 ----
  await expect(page.getByRole('heading', { name: `光盘导出 ${made.exportNo}`, level: 1 })).toBeVisible();
  const state = page.getByTestId('export-state');
  // A small case may be made before the page is read: the progress is shown while it lasts.
  if ((await state.textContent()) === '制作中') {
    await check(page, '02-building');
  }
  await expect(state).toHaveText('已制作', UNTIL_MADE);
  await expect(page.getByTestId('build-progress')).toHaveCount(0);
  await expect(page.getByText(`${OUTSIDE.name}`, { exact: true })).toBeVisible();
  await expect(page.getByText(`单位：${OUTSIDE.unit}`)).toBeVisible();
  await expect(page.getByText(`证件号码：${OUTSIDE.idNo}`)).toBeVisible();
  // 制作人: the clerk logged in (the core's label for them).
  expect(made.maker.label).toContain(GENERAL.name);
  await expect(page.getByText(made.maker.label, { exact: true })).toBeVisible();
  // No burner in this container: the page says to save the image and burn it elsewhere.
  await expect(page.getByText('本站没有找到刻录机')).toBeVisible();
  const disc = page.locator('article[data-disc="1"]');
  const record = await call<ExportRecord>(page, 'exports.get', { id: made.id });
  expect(record.discs).toHaveLength(1);
  expect(record.extractedAt).not.toBeNull();
  await expect(disc).toContainText(record.discs[0]!.imageSha256!);
  await expect(disc).toContainText(record.discs[0]!.volumeId);
  await check(page, '03-ready');

  // ---- 保存映像文件: the disc image, extracted and checked as its reader would ----
  const work = testInfo.outputPath('disc');
  fs.mkdirSync(work, { recursive: true });
  const imageDownload = page.waitForEvent('download');
  await disc.getByRole('button', { name: '保存映像文件' }).click();
  const image = await imageDownload;
  expect(image.suggestedFilename()).toBe(`${made.exportNo}-1of1.iso`);
  const iso = path.join(work, image.suggestedFilename());
  await image.saveAs(iso);
  expect(execFileSync('sha256sum', [iso], { encoding: 'utf8' }).split(' ')[0]).toBe(record.discs[0]!.imageSha256);
  const root = path.join(work, 'root');
  execFileSync('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', root], { stdio: 'pipe' });
  execFileSync('chmod', ['-R', 'u+w', root]);
  const manifest = fs.readFileSync(path.join(root, 'manifest-sha256.txt'), 'utf8').trim().split('\n');
  expect(manifest).toHaveLength(clips.length);
  // Exits 0 (execFileSync throws otherwise) and says OK for every file.
  const checked = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
  expect(checked).toHaveLength(manifest.length);
  for (const line of checked) expect(line).toMatch(/: OK$/);

  // ---- 打印文字说明: the PDF, its first page looked at ----
  const sheetDownload = page.waitForEvent('download');
  await disc.getByRole('button', { name: '打印文字说明' }).click();
  const sheet = await sheetDownload;
  expect(sheet.suggestedFilename()).toBe(`${made.exportNo}-1-说明.pdf`);
  const pdf = path.join(work, 'sheet.pdf');
  await sheet.saveAs(pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, path.join(work, 'sheet')]);
  const page1 = fs.readdirSync(work).find((f) => /^sheet-0*1\.png$/.test(f))!;
  expect(page1).toBeDefined();
  await testInfo.attach('export-sheet-page1', { path: path.join(work, page1), contentType: 'image/png' });
  fs.mkdirSync(path.join('test-results', 'screenshots'), { recursive: true });
  fs.copyFileSync(path.join(work, page1), path.join('test-results', 'screenshots', 'export-sheet-page1.png'));
  await expect(page.getByRole('status').filter({ hasText: '已生成文字说明材料' })).toBeVisible();

  // ---- 交付提取人: confirmed; the images leave the station ----
  await page.getByRole('button', { name: '交付提取人' }).click();
  const handOver = page.getByRole('dialog', { name: '交付提取人' });
  await expect(handOver).toContainText(`${OUTSIDE.name}（${OUTSIDE.unit}）`);
  await handOver.getByRole('button', { name: '确认已交付' }).click();
  await expect(handOver).toHaveCount(0);
  await expect(state).toHaveText('已交付');
  await expect(page.getByRole('status').filter({ hasText: '已交付' })).toBeVisible();
  await expect(disc.getByRole('button', { name: '保存映像文件' })).toHaveCount(0);
  // The statement can still be printed again: marked 补打.
  const reprint = page.waitForEvent('download');
  await disc.getByRole('button', { name: '打印文字说明' }).click();
  expect((await reprint).suggestedFilename()).toBe(`${made.exportNo}-1-说明-补打.pdf`);
  await check(page, '04-handed-over');

  // ---- the register: the export with 制作人, 提取人 and 提取时间 ----
  await menu(page, '光盘导出').click();
  await expect(page.getByRole('heading', { name: '光盘导出', level: 1 })).toBeVisible();
  const register = page.getByRole('region', { name: '光盘导出登记' });
  const row = register.locator(`tr[data-export="${made.id}"]`);
  await expect(row).toContainText('已交付');
  await expect(row).toContainText(CASE_NO);
  await expect(row).toContainText(`${OUTSIDE.name}（${OUTSIDE.unit}）`);
  await expect(row).toContainText(GENERAL.name);
  await page.getByLabel('按状态筛选').selectOption({ label: '待审批' });
  await expect(page.getByText('没有这种状态的光盘导出。')).toBeVisible();
  await page.getByLabel('按状态筛选').selectOption({ label: '全部状态' });
  await expect(row).toBeVisible();
  await check(page, '05-register');
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const csv = fs.readFileSync(await (await csvDownload).path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8')).toContain(made.exportNo);
  expect(csv.toString('utf8')).toContain(OUTSIDE.name);
  // Printed like the view register: A4 PDF, made and audited by the core.
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '打印（PDF）' }).click();
  const registerPdf = await (await pdfDownload).path();
  expect(execFileSync('pdftotext', ['-raw', registerPdf, '-'], { encoding: 'utf8' })).toContain(made.exportNo);

  // The recording's page lists the export.
  await page.goto(`${page.url().split('#')[0]}#/clips/${clips[0]!.id}`);
  const onClip = page.getByRole('region', { name: '光盘导出' });
  await expect(onClip.locator(`tr[data-export="${made.id}"]`)).toContainText('已交付');
  await onClip.scrollIntoViewIfNeeded();
  await check(page, '10-clip-exports');

  // The export's page in English.
  await page.goto(`${page.url().split('#')[0]}#/exports/${made.id}`);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: `Evidence disc export ${made.exportNo}`, level: 1 })).toBeVisible();
  await expect(page.getByTestId('export-state')).toHaveText('Handed over');
  await check(page, '11-english');
});

test('@export a department head approves a case-less export from the home screen', async ({ page, harness, watchDir }) => {
  await setUpStation(page, harness.url, PEOPLE);
  await loginBadge(page, GENERAL);
  const clips = await dockCamera(page, watchDir);
  const people = await call<Array<{ id: number; badge: string }>>(page, 'people.list', {});
  const custodian = people.find((p) => p.badge === CUSTODIAN.badge)!;
  // A recording's page offers its own export too ...
  await page.goto(`${page.url().split('#')[0]}#/clips/${clips[0]!.id}`);
  await expect(page.getByRole('button', { name: '单独导出此录像' })).toBeVisible();
  // ... and the library's results are chosen, here two of them, with no case.
  await page.goto(`${page.url().split('#')[0]}#/library`);
  const results = page.getByRole('region', { name: '查询结果' });
  const boxes = results.getByRole('checkbox');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const bar = page.getByRole('group', { name: '已选择的录像' });
  await expect(bar).toContainText('已选择 2 段录像');
  await check(page, '12-library-chosen');
  await bar.getByRole('button', { name: '导出所选录像' }).click();
  const dialog = page.getByRole('dialog', { name: '导出光盘' });
  await expect(dialog).toContainText('导出 2 段录像（不按案件）');
  await expect(dialog.getByTestId('approval-line')).toContainText('不按案件导出');
  await dialog.getByRole('radio', { name: '本站登记的人员' }).check();
  await dialog.getByLabel('按警号或姓名查找人员').fill(CUSTODIAN.badge);
  await dialog.getByRole('radio', { name: new RegExp(CUSTODIAN.name) }).check();
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(dialog.getByRole('status')).toContainText('等待部门负责人审批（不按案件导出）');
  const pending = (await call<{ exports: ExportRecord[] }>(page, 'exports.list', { state: 'pending_approval' })).exports[0]!;
  expect(pending.recipient).toMatchObject({ kind: 'person', personId: custodian.id });
  await dialog.getByRole('button', { name: '关闭' }).click();
  await logout(page);

  // ---- the head: the export waits on the home screen at login ----
  await loginBadge(page, HEAD);
  const card = page.getByRole('link', { name: /待审批的光盘导出：1 件/ });
  await expect(card).toBeVisible();
  await check(page, '06-head-home');
  await card.click();
  await expect(page.getByRole('heading', { name: '待审批（1 件）', level: 2 })).toBeVisible();
  const row = page.getByRole('region', { name: '待审批的光盘导出' }).locator(`tr[data-export="${pending.id}"]`);
  await expect(row).toContainText(`${CUSTODIAN.name}（${CUSTODIAN.badge}）`);
  await expect(row).toContainText('不按案件');
  await check(page, '07-head-pending');
  await row.getByRole('button', { name: '批准', exact: true }).click();
  const approve = page.getByRole('dialog', { name: '批准光盘导出' });
  await expect(approve).toContainText('不按案件导出');
  await approve.getByLabel('审批意见').fill('同意提供给保管人核对。');
  await check(page, '08-approve-dialog');
  await approve.getByRole('button', { name: '批准', exact: true }).click();
  await expect(approve).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `已批准 ${pending.exportNo}` })).toBeVisible();
  await expect(page.getByText('没有待您审批的光盘导出。')).toBeVisible();
  const decided = await call<ExportRecord>(page, 'exports.get', { id: pending.id });
  expect(decided).toMatchObject({ state: 'approved', approvedBy: expect.stringContaining(HEAD.name), decisionNote: '同意提供给保管人核对。' });
  await logout(page);

  // ---- 综合处 makes the approved discs ----
  await loginBadge(page, GENERAL);
  await page.goto(`${page.url().split('#')[0]}#/exports/${pending.id}`);
  await expect(page.getByTestId('export-state')).toHaveText('已批准');
  await page.getByRole('button', { name: '开始制作' }).click();
  await expect(page.getByTestId('export-state')).toHaveText('已制作', UNTIL_MADE);
  await expect(page.getByText('本站没有找到刻录机')).toBeVisible();
  await check(page, '09-approved-ready');
});
