// The view register (查阅登记) printed as a PDF and exported as an Excel workbook, from real views
// on a real station: the PDF rendered by poppler (pdftoppm, to test-results/screenshots/
// view-register-pdf.png to be looked at) and read back (pdftotext, pdfinfo, pdffonts); the
// workbook opened with unzip (its CRCs tested) and its sheet's XML read: headings, one row per
// view, a formula-looking 查阅事由 kept as text, times as dates in the station's zone. Both
// exports are audited, and refused to a role without viewing.register.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationError } from '../../shared/errors.js';
import type { ViewRegisterEntry } from '../../shared/viewing.js';
import { HEADERS } from '../../electron/core/viewing/register-csv.js';
import { duration, PDF_MAX_ROWS, renderRegisterPdf } from '../../electron/core/viewing/register-pdf.js';
import { cellText, excelTime } from '../../electron/core/viewing/register-xlsx.js';
import { undoAfterEach } from '../support/cleanup.js';
import { repoRoot } from '../support/cli.js';
import { tempDir } from '../support/station.js';
import { zip } from '../../electron/core/files/zip.js';
import { approvedClips, code, H, viewingStations } from './viewing-support.js';
import type { ViewingStation } from './viewing-support.js';

const { open } = viewingStations();
const cleanup = undoAfterEach();
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
/** A 查阅事由 a spreadsheet would run as a command, with XML's own special characters. */
const HOSTILE = `=cmd|' /C calc'!A0 <b>&"引号"`;

function scratch(): string {
  const dir = tempDir('view-register-');
  cleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Two views: the officer's under the hostile reason, closed after 90 s; 陈执法's still open. */
async function twoViews(t: ViewingStation) {
  const [a, b] = t.clips;
  const request = await t.officer.client.ok('viewing.request', { reason: HOSTILE, purpose: 'litigation', scope: 'clips', clipIds: [a!.id], hours: 2 });
  await t.head.client.ok('viewing.approve', { id: request.id, hours: 2 });
  const sessions = t.station.viewing.sessions;
  const opened = t.clock.now();
  const s1 = sessions.openView(t.officer.person.id, a!.id);
  await sessions.readRange(s1, 0, 99);
  t.clock.set(opened + 90_000);
  sessions.closeView(s1);
  t.clock.set(opened + H);
  await approvedClips(t, t.officer2.client, [b!.id]);
  sessions.openView(t.officer2.person.id, b!.id);
  return { opened, a: a!, b: b! };
}

const pdfText = (file: string, page?: number) =>
  execFileSync('pdftotext', ['-layout', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' });

describe('the view register printed (PDF)', () => {
  it('is A4 landscape in Chinese with English second: title, station, range, printer, the rows; the print is audited', async () => {
    const t = await open();
    const { opened, a, b } = await twoViews(t);
    t.clock.set(Date.UTC(2026, 10, 27, 17, 0, 0)); // 01:00 on the 28th in Shanghai
    const { fileName, base64, rows } = await t.custodian.client.ok('viewing.registerPdf', {});
    expect(fileName).toBe('view-register-2026-11-28.pdf');
    expect(rows).toBe(2);
    const file = path.join(scratch(), fileName);
    fs.writeFileSync(file, Buffer.from(base64, 'base64'));

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
    // Every font in the file is embedded: the Chinese is drawn from the font, not left to the reader's.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/\byes\s+yes\s+yes\b/); // emb, sub, uni

    const text = pdfText(file);
    for (const s of ['查阅登记', 'View register', '执法记录仪证据采集站', '全部日期', 'all dates', '李保管 (200001)', '2026-11-28 01:00:00（Asia/Shanghai）']) {
      expect(text).toContain(s);
    }
    for (const s of ['查阅人（警号）', '查阅事由', '目的', '录像编号', '批准人', '授权号', '打开时间', '关闭时间', '时长', '结束原因', 'Ended because']) expect(text).toContain(s);
    expect(text).toContain('张执法');
    expect(text).toContain('陈执法');
    expect(text).toContain('（100001）');
    expect(text).toContain(HOSTILE); // printed as typed: a PDF runs nothing
    expect(text).toContain('涉法涉诉');
    expect(text).toContain('赵负责 (400001)');
    expect(text).toContain('0:01:30');
    expect(text).toContain('未结束');
    expect(text).toContain('查阅结束');
    expect(text.replace(/ +/g, ' ')).toMatch(/第 1 页 共 1 页 \/ Page 1 of 1/);
    // The station's clock: 17:00 in Shanghai when it was 09:00 UTC; oldest first.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('2026-11-27');
    expect(flat).toContain('17:00:00');
    expect(flat).toContain('17:01:30');
    expect(flat.indexOf('张执法')).toBeLessThan(flat.indexOf('陈执法'));
    expect(flat.indexOf(String(a.id))).toBeGreaterThan(-1);
    expect(flat.indexOf(String(b.id))).toBeGreaterThan(-1);
    expect(opened).toBe(Date.UTC(2026, 10, 27, 9, 0, 0));

    // Page 1 as it prints: at 60 dpi for the check, and legibly for people to look at.
    const dir = path.dirname(file);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const small = fs.readdirSync(dir).filter((f) => /^page-0*1\.png$/.test(f));
    expect(small).toHaveLength(1);
    expect(fs.statSync(path.join(dir, small[0]!)).size).toBeGreaterThan(5_000);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const png = path.join(SCREENSHOTS, 'view-register-pdf.png');
    execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', '-f', '1', '-l', '1', file, png.replace(/\.png$/, '')]);
    expect(fs.statSync(png).size).toBeGreaterThan(20_000);

    const audit = t.station.db.prepare<[], { actor_label: string; after_json: string }>("SELECT actor_label, after_json FROM audit WHERE action = 'view.register_exported'").all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_label).toBe('李保管 (200001)');
    expect(JSON.parse(audit[0]!.after_json)).toEqual({ filter: {}, rows: 2, format: 'pdf' });
  });

  it('pages a long register with the headings on every page and 第 i 页 共 n 页; a date range is said and applied', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    await approvedClips(t, t.officer.client, [clip.id], 24);
    const sessions = t.station.viewing.sessions;
    const first = t.clock.now();
    for (let i = 0; i < 45; i++) {
      t.clock.set(first + i * 5 * 60_000);
      const s = sessions.openView(t.officer.person.id, clip.id);
      t.clock.set(first + i * 5 * 60_000 + 61_000);
      sessions.closeView(s);
    }
    const { base64, rows } = await t.office.client.ok('viewing.registerPdf', {});
    expect(rows).toBe(45);
    const file = path.join(scratch(), 'long.pdf');
    fs.writeFileSync(file, Buffer.from(base64, 'base64'));
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    let seen = 0;
    for (let p = 1; p <= pages; p++) {
      const text = pdfText(file, p);
      expect(text).toContain('查阅事由');
      expect(text).toContain('Reason');
      expect(text).toContain('查阅登记');
      expect(text.replace(/ +/g, ' ')).toContain(`第 ${p} 页 共 ${pages} 页 / Page ${p} of ${pages}`);
      seen += text.match(/(?<![\d:])0:01:01/g)?.length ?? 0;
    }
    expect(seen).toBe(45); // every row printed once, none lost at a page break
    // Oldest first: the first view's time on page 1, the last's on the last page.
    const at = (ms: number) => new Date(ms + 8 * H).toISOString().slice(11, 19);
    expect(pdfText(file, 1)).toContain(at(first));
    expect(pdfText(file, pages)).toContain(at(first + 44 * 5 * 60_000));

    const from = first + 10 * 5 * 60_000;
    const to = first + 20 * 5 * 60_000;
    const ranged = await t.office.client.ok('viewing.registerPdf', { from, to });
    expect(ranged.rows).toBe(10);
    const rangedFile = path.join(path.dirname(file), 'ranged.pdf');
    fs.writeFileSync(rangedFile, Buffer.from(ranged.base64, 'base64'));
    const text = pdfText(rangedFile).replace(/\s+/g, ' ');
    expect(text).toContain('打开时间自 2026-11-27 17:50:00 起，至 2026-11-27 18:40:00 前');
    expect(text).toContain('opened from 2026-11-27 17:50:00 to before 2026-11-27 18:40:00');
    expect(text).toContain('共 10 条');
    // Any bound the contract takes prints, even one past what a calendar can show.
    expect((await t.office.client.ok('viewing.registerPdf', { from: 0, to: Number.MAX_SAFE_INTEGER })).rows).toBe(45);
  });

  it('says which font to install when none writes Chinese, and refuses a printout past its size', async () => {
    const entry: ViewRegisterEntry = {
      id: 1,
      viewer: { id: 1, badge: '100001', name: '张执法' },
      clipId: 1,
      grantId: 1,
      reason: '事由',
      purpose: 'other',
      approver: null,
      openedAt: 0,
      closedAt: null,
      closedBecause: null,
      bytesServed: 0,
    };
    const options = { timeZone: 'Asia/Shanghai', stationName: '站', filter: {}, printedAt: 0, printedBy: 'x' };
    const missing = path.join(scratch(), 'no-such-font.ttc');
    const err = await renderRegisterPdf([entry], { ...options, font: { file: missing } }).catch((e: StationError) => e);
    expect(err).toMatchObject({ code: 'seal_font_missing', details: { file: missing } });
    expect((err as StationError).message).toContain(`查阅登记的字体文件 ${missing} 不存在`);
    expect((err as StationError).message).toContain("The view register's font file");
    const many = Array.from({ length: PDF_MAX_ROWS + 1 }, (_, i) => ({ ...entry, id: i + 1 }));
    await expect(renderRegisterPdf(many, { ...options, font: {} })).rejects.toMatchObject({ code: 'invalid_state', details: { rows: PDF_MAX_ROWS + 1 } });
    expect([0, 59_499, 90_000, 3_600_000 + 61_000].map(duration)).toEqual(['0:00:00', '0:00:59', '0:01:30', '1:01:01']);
  });
});

/** The cells of each row of a sheet's XML, by column letter: [attributes, inner XML]. */
function sheetRows(xml: string): Array<Map<string, { attrs: string; inner: string }>> {
  return [...xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/gs)].map((row) => {
    const cells = new Map<string, { attrs: string; inner: string }>();
    for (const c of row[2]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(.*?)<\/c>/gs)) cells.set(c[1]!, { attrs: c[2]!, inner: c[3]! });
    return cells;
  });
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const inlineText = (cell: { attrs: string; inner: string } | undefined) => {
  expect(cell?.attrs).toContain('t="inlineStr"');
  return unescape(/<t[^>]*>(.*)<\/t>/s.exec(cell!.inner)![1]!);
};
const numberIn = (cell: { attrs: string; inner: string } | undefined) => Number(/^<v>([^<]+)<\/v>$/.exec(cell!.inner)![1]);

describe('the view register as an Excel workbook (XLSX)', () => {
  it('is a real .xlsx: headings, one row per view, a formula-looking reason stored as text, times as dates; audited', async () => {
    const t = await open();
    const { a, b } = await twoViews(t);
    t.clock.set(Date.UTC(2026, 10, 27, 17, 0, 0));
    const { fileName, base64, rows } = await t.auditor.client.ok('viewing.registerXlsx', {});
    expect(fileName).toBe('view-register-2026-11-28.xlsx');
    expect(rows).toBe(2);
    const file = path.join(scratch(), fileName);
    fs.writeFileSync(file, Buffer.from(base64, 'base64'));

    // unzip reads every entry and checks its CRC.
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual(
      ['[Content_Types].xml', '_rels/.rels', 'docProps/core.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'].sort(),
    );
    // unzip takes a name as a pattern: [Content_Types] would be a character class.
    const part = (name: string) => execFileSync('unzip', ['-p', file, name.replace(/[[\]*?]/g, '\\$&')], { encoding: 'utf8' });
    expect(part('[Content_Types].xml')).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml');
    expect(part('xl/workbook.xml')).toContain('<sheet name="查阅登记" sheetId="1" r:id="rId1"/>');
    expect(part('xl/styles.xml')).toContain('<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/>');

    const sheet = part('xl/worksheets/sheet1.xml');
    expect(sheet).not.toContain('<f>'); // no formulas anywhere
    const [heading, ...data] = sheetRows(sheet);
    expect([...heading!.keys()]).toEqual('ABCDEFGHIJKLM'.split(''));
    expect([...heading!.values()].map((c) => inlineText(c))).toEqual(HEADERS);
    expect(data).toHaveLength(2);
    // Newest first, as the CSV and the screen: 陈执法's open view, then 张执法's.
    const [open2, closed] = data;
    expect(inlineText(open2!.get('B'))).toBe('陈执法');
    expect(numberIn(open2!.get('D'))).toBe(b.id);
    expect(open2!.has('J')).toBe(false); // not closed: no closing time, no duration
    expect(open2!.has('K')).toBe(false);

    expect(inlineText(closed!.get('B'))).toBe('张执法');
    expect(inlineText(closed!.get('C'))).toBe('100001');
    expect(numberIn(closed!.get('D'))).toBe(a.id);
    // The reason exactly as typed, an inline string: shown as text, never run, no apostrophe added.
    expect(inlineText(closed!.get('F'))).toBe(HOSTILE);
    expect(closed!.get('F')!.inner).toContain('&lt;b&gt;&amp;&quot;引号&quot;');
    expect(inlineText(closed!.get('G'))).toBe('涉法涉诉 / Litigation');
    expect(inlineText(closed!.get('H'))).toContain('赵负责');
    // 2026-11-27 17:00:00 in Shanghai: serial day 46353 (2026-01-01 is 46023, plus 330 days), 17/24 of a day.
    expect(closed!.get('I')!.attrs).toContain('s="2"');
    expect(numberIn(closed!.get('I'))).toBeCloseTo(46353 + 17 / 24, 8);
    expect(numberIn(closed!.get('J'))).toBeCloseTo(46353 + (17 * 3600 + 90) / 86400, 8);
    expect(numberIn(closed!.get('K'))).toBe(90);
    expect(inlineText(closed!.get('L'))).toBe('查阅结束 / Closed');
    expect(numberIn(closed!.get('M'))).toBe(100);

    const audit = t.station.db.prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'view.register_exported'").all();
    expect(audit.map((r) => JSON.parse(r.after_json))).toEqual([{ filter: {}, rows: 2, format: 'xlsx' }]);

    // A filter narrows it as it does the CSV.
    const one = await t.auditor.client.ok('viewing.registerXlsx', { personId: t.officer.person.id });
    expect(one.rows).toBe(1);
  });

  it('keeps any text a cell can hold: control characters and a literal _xHHHH_ escaped as the format says; times in the station zone', () => {
    expect(cellText('a\u0001b\u001fc\td\ne')).toBe('a_x0001_b_x001F_c\td\ne');
    expect(cellText('_x0041_')).toBe('_x005F_x0041_');
    expect(cellText('<&>"')).toBe('&lt;&amp;&gt;&quot;');
    expect(cellText('\uD800x')).toBe('\uFFFDx');
    expect(cellText('😀')).toBe('😀');
    // Midnight in Shanghai is 16:00 UTC the day before: the serial is the station's midnight.
    expect(excelTime(Date.UTC(2026, 0, 1, 16, 0, 0), 'Asia/Shanghai')).toBe(46024);
  });
});

describe('who may print or export the register', () => {
  it('is refused to a role without viewing.register, and no audit row is left', async () => {
    const t = await open();
    for (const c of [t.officer.client, t.head.client, t.admin]) {
      expect(code(await c.call('viewing.registerPdf', {}))).toBe('forbidden');
      expect(code(await c.call('viewing.registerXlsx', {}))).toBe('forbidden');
    }
    expect(t.station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'view.register_exported'").get()).toEqual({ n: 0 });
    for (const c of [t.custodian.client, t.office.client, t.auditor.client]) {
      expect((await c.ok('viewing.registerXlsx', {})).rows).toBe(0);
    }
  });
});

describe('the ZIP writer under the workbook', () => {
  it('writes what unzip reads back byte for byte: deflated text, stored noise, an empty file, a Chinese name', () => {
    const noise = crypto.randomBytes(70_000); // does not deflate: stored as it is
    const text = '查阅登记\n'.repeat(2_000);
    const file = path.join(scratch(), 'a.zip');
    fs.writeFileSync(
      file,
      zip(
        [
          { name: 'dir/文本.txt', data: text },
          { name: 'noise.bin', data: noise },
          { name: 'empty', data: Buffer.alloc(0) },
        ],
        { year: 2026, month: 11, day: 28, hour: 1, minute: 2, second: 4 },
      ),
    );
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const listing = execFileSync('unzip', ['-Zl', file], { encoding: 'utf8' });
    expect(listing).toMatch(/defN.*dir\/文本\.txt/);
    expect(listing).toMatch(/stor.*noise\.bin/);
    expect(listing).toMatch(/26-Nov-28 01:02.*noise\.bin/);
    expect(execFileSync('unzip', ['-p', file, 'dir/文本.txt'], { encoding: 'utf8' })).toBe(text);
    expect(execFileSync('unzip', ['-p', file, 'noise.bin']).equals(noise)).toBe(true);
    expect(execFileSync('unzip', ['-p', file, 'empty']).length).toBe(0);
    expect(() => zip([{ name: 'x', data: '' }, { name: 'x', data: '' }], { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 })).toThrow(/already has an entry x/);
  });
});
