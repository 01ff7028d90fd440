// The export register (光盘导出登记, 第二十条) printed and as an Excel workbook, like the view
// register, from real exports on a real station: one case disc made by real xorriso and read
// back, one waiting for a department head. The PDF read back by poppler (pdftotext, pdffonts) and
// its page 1 drawn to test-results/screenshots/export-register-pdf.png to be looked at; the
// workbook opened with unzip and its sheet's XML read. Every form (CSV, PDF, XLSX) is audited with
// its format; an auditor may export it, an officer may not.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../shared/export.js';
import type { StationError } from '../../shared/errors.js';
import { HEADERS, type RegisterRow } from '../../electron/core/export/register-csv.js';
import { EXPORT_PDF_MAX_ROWS, renderExportRegisterPdf } from '../../electron/core/export/register-pdf.js';
import { repoRoot } from '../support/cli.js';
import { tempDir } from '../support/station.js';
import type { CustodyStation } from './custody-support.js';
import { code, custodyStations } from './custody-support.js';

const { station } = custodyStations();
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const outside = { name: '孙检察', unit: '某某区人民检察院', idNo: '110105198001010011' };

/** Two exports: a case disc made and read back, and one without a case waiting for approval. */
async function twoExports(t: CustodyStation): Promise<{ made: ExportRecord; waiting: ExportRecord }> {
  await t.admin.ok('devices.register', { serial: 'DSJ-R1', keeperId: t.officer.person.id });
  await t.admin.ok('devices.register', { serial: 'DSJ-R2', keeperId: t.officer2.person.id });
  expect((await t.dock({ serial: 'DSJ-R1', badge: '100001' })).summary.state).toBe('done');
  expect((await t.dock({ serial: 'DSJ-R2', badge: '100002' })).summary.state).toBe('done');
  const clips = t.station.db.prepare<[], { id: number; device: string }>('SELECT c.id, d.serial AS device FROM clip c JOIN device d ON d.id = c.device_id ORDER BY c.id').all();
  const first = clips.filter((c) => c.device === 'DSJ-R1').map((c) => c.id);
  const other = clips.filter((c) => c.device === 'DSJ-R2').map((c) => c.id);
  const legalCase = await t.office.client.ok('cases.create', { caseNo: '京公(刑)字〔2026〕第118号', cause: '故意伤害', handlerName: '刘承办' });
  await t.office.client.ok('cases.addClips', { caseId: legalCase.id, clipIds: first });
  const created = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'dvd', recipient: outside });
  await t.station.exports.builder.settled(created.id);
  const made = await t.office.client.ok('exports.get', { id: created.id });
  expect(made.state).toBe('ready');
  t.clock.set(t.clock.now() + 3_600_000);
  const waiting = await t.office.client.ok('exports.create', { clipIds: other, purpose: 'evidence', medium: 'cd', recipient: { personId: t.officer2.person.id } });
  expect(waiting.state).toBe('pending_approval');
  return { made, waiting };
}

const write = (name: string, base64: string): string => {
  const file = path.join(tempDir('export-register-'), name);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
};
const flat = (s: string) => s.replace(/\s+/g, '');

/** The cells of each row of a sheet's XML, by column letter: [attributes, inner XML]. */
function sheetRows(xml: string): Array<Map<string, { attrs: string; inner: string }>> {
  return [...xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/gs)].map((row) => {
    const cells = new Map<string, { attrs: string; inner: string }>();
    for (const c of row[2]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(.*?)<\/c>/gs)) cells.set(c[1]!, { attrs: c[2]!, inner: c[3]! });
    return cells;
  });
}
const text = (cell: { attrs: string; inner: string } | undefined): string => {
  expect(cell?.attrs).toContain('t="inlineStr"');
  return /<t[^>]*>(.*)<\/t>/s.exec(cell!.inner)![1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
};
const numberIn = (cell: { attrs: string; inner: string } | undefined) => Number(/^<v>([^<]+)<\/v>$/.exec(cell!.inner)![1]);

describe('the export register printed and as a workbook', () => {
  it('prints every export with its case, 提取人 and each disc image SHA-256; fonts embedded; page 1 drawn; audited', async () => {
    const t = await station();
    const { made, waiting } = await twoExports(t);
    const sha = made.discs[0]!.imageSha256!;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);

    const auditor = await t.person('500001', '钱审计', ['auditor']);
    const { fileName, base64, rows } = await auditor.client.ok('exports.registerPdf', {});
    expect(fileName).toMatch(/^export-register-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(rows).toBe(2);
    const file = write(fileName, base64);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(fonts.length).toBeGreaterThan(1); // the Chinese face and the monospace one for the hashes
    for (const f of fonts) expect(f).toMatch(/\byes\s+yes\s+yes\b/); // emb, sub, uni

    const layout = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const s of ['光盘导出登记', 'Export register', '全部日期', 'all dates', '钱审计 (500001)', '导出编号', '提取人', 'Taken by', '映像 SHA-256']) expect(layout).toContain(s);
    expect(layout.replace(/ +/g, ' ')).toMatch(/第 1 页 共 1 页 \/ Page 1 of 1/);
    // In drawn order the hash's two halves follow each other: whole once the line break is gone.
    const drawn = flat(execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }));
    for (const s of [made.exportNo, waiting.exportNo, '孙检察', '某某区人民检察院', '陈执法', '京公(刑)字〔2026〕第118号', '故意伤害', '已制作', '待审批', '王综合', sha]) expect(drawn).toContain(flat(s));
    // Oldest first, as a paper register is read.
    expect(drawn.indexOf(made.exportNo)).toBeLessThan(drawn.indexOf(waiting.exportNo));

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const png = path.join(SCREENSHOTS, 'export-register-pdf.png');
    execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', '-f', '1', '-l', '1', file, png.replace(/\.png$/, '')]);
    expect(fs.statSync(png).size).toBeGreaterThan(20_000);

    // A range that holds neither: said, and no rows.
    const none = await auditor.client.ok('exports.registerPdf', { to: made.createdAt });
    expect(none.rows).toBe(0);
    expect(execFileSync('pdftotext', ['-layout', write('none.pdf', none.base64), '-'], { encoding: 'utf8' })).toContain('此范围内没有光盘导出');

    // The CSV too; each form audited with its format and range.
    await t.office.client.ok('exports.registerCsv', { from: made.createdAt });
    const audit = t.station.db.prepare<[], { actor_label: string; after_json: string }>("SELECT actor_label, after_json FROM audit WHERE action = 'export.register_exported' ORDER BY seq").all();
    expect(audit.map((a) => [a.actor_label, JSON.parse(a.after_json)])).toEqual([
      ['钱审计 (500001)', { rows: 2, format: 'pdf' }],
      ['钱审计 (500001)', { rows: 0, to: made.createdAt, format: 'pdf' }],
      ['王综合 (300001)', { rows: 2, from: made.createdAt, format: 'csv' }],
    ]);
  }, 180_000);

  it('exports the same columns as an .xlsx: one row per export, counts as numbers, times as dates; audited', async () => {
    const t = await station();
    const { made, waiting } = await twoExports(t);
    const { fileName, base64, rows } = await t.office.client.ok('exports.registerXlsx', {});
    expect(fileName).toMatch(/^export-register-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(rows).toBe(2);
    const file = write(fileName, base64);
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const part = (name: string) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
    expect(part('xl/workbook.xml')).toContain('<sheet name="光盘导出登记" sheetId="1" r:id="rId1"/>');
    expect(part('xl/styles.xml')).toContain('<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/>');

    const sheet = part('xl/worksheets/sheet1.xml');
    expect(sheet).not.toContain('<f>');
    expect(sheet).toContain('state="frozen"');
    const [heading, ...data] = sheetRows(sheet);
    expect([...heading!.values()].map(text)).toEqual(HEADERS);
    expect(data).toHaveLength(2);
    // Newest first, as the CSV and the screen list them.
    const [second, first] = data;
    expect(text(second!.get('A'))).toBe(waiting.exportNo);
    expect(text(second!.get('B'))).toBe('待审批');
    expect(second!.has('C')).toBe(false); // no case
    expect(text(second!.get('I'))).toContain('陈执法');
    expect(second!.has('J')).toBe(false); // not extracted yet

    expect(text(first!.get('A'))).toBe(made.exportNo);
    expect(text(first!.get('B'))).toBe('已制作');
    expect(text(first!.get('C'))).toBe('京公(刑)字〔2026〕第118号');
    expect(numberIn(first!.get('E'))).toBe(made.clips);
    expect(numberIn(first!.get('G'))).toBe(made.bytes);
    expect(text(first!.get('H'))).toContain('王综合');
    expect(text(first!.get('I'))).toContain('孙检察');
    // 提取时间 and 创建时间 as the station's clock showed them: date cells in the time style.
    for (const col of ['J', 'O']) expect(first!.get(col)!.attrs).toContain('s="2"');
    const serial = (ms: number) => {
      const wall = new Date(ms + 8 * 3_600_000); // Asia/Shanghai, the test station's zone
      return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()) / 86_400_000 + 25_569;
    };
    expect(numberIn(first!.get('J'))).toBeCloseTo(serial(made.extractedAt!), 8);
    expect(numberIn(first!.get('O'))).toBeCloseTo(serial(made.createdAt), 8);
    expect(text(first!.get('N'))).toContain(made.discs[0]!.imageSha256!);

    const audit = t.station.db.prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'export.register_exported'").all();
    expect(audit.map((a) => JSON.parse(a.after_json))).toEqual([{ rows: 2, format: 'xlsx' }]);

    // An officer does not read the register, in any form, and nothing is audited for the try.
    for (const call of ['exports.registerPdf', 'exports.registerXlsx', 'exports.registerCsv'] as const) {
      expect(code(await t.officer.client.call(call, {}))).toBe('forbidden');
    }
    expect(t.station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'export.register_exported'").get()).toEqual({ n: 1 });
  }, 180_000);

  it('refuses a printout longer than it holds, saying to narrow the range', async () => {
    const row: RegisterRow = {
      exportNo: 'GP-000001',
      state: 'ready',
      caseNo: null,
      caseCause: null,
      clips: 1,
      clipIds: [1],
      bytes: 1,
      maker: 'm',
      recipient: 'r',
      extractedAt: 0,
      handedOverAt: null,
      approvedBy: null,
      approvedAt: null,
      discs: [],
      createdAt: 0,
    };
    const many = Array.from({ length: EXPORT_PDF_MAX_ROWS + 1 }, () => row);
    const o = { timeZone: 'Asia/Shanghai', stationName: 'S', range: {}, printedAt: 0, printedBy: 'p', font: {} };
    const err = await renderExportRegisterPdf(many, o).catch((e: StationError) => e);
    expect(err).toMatchObject({ code: 'invalid_state', details: { max: EXPORT_PDF_MAX_ROWS } });
    expect((err as Error).message).toContain('请缩小日期范围');
  });
});
