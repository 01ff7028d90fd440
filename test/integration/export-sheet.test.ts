// The 文字说明材料 of an evidence disc (第十七条, electron/core/export/sheet*.ts and custody-record.ts):
// 说明.pdf rendered by real pdfkit and read back by real poppler (pdftotext, pdfinfo, pdffonts; page 1
// drawn to test-results/screenshots/export-sheet-page1.png to be looked at), 说明.txt and 校验方法.txt
// as Windows Notepad wants them, and the chain of custody (处理记录) as CSV and PDF.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain.js';
import type { CustodyMeta } from '../../electron/core/export/custody-record.js';
import { custodyCsv, renderCustodyPdf } from '../../electron/core/export/custody-record.js';
import type { SheetFile, SheetInput } from '../../electron/core/export/sheet.js';
import { checkMethodText, sheetText } from '../../electron/core/export/sheet.js';
import { renderSheetPdf } from '../../electron/core/export/sheet-pdf.js';
import { undoAfterEach } from '../support/cleanup.js';
import { repoRoot } from '../support/cli.js';
import { tempDir } from '../support/station.js';

const cleanup = undoAfterEach();
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
/** The station's configured font, else the first Chinese font found (Debian's fonts-noto-cjk). */
const FONT = { font: {} };
const TZ = 'Asia/Shanghai';
/** 2026-12-07 10:15:00 in Shanghai. */
const T0 = Date.UTC(2026, 11, 7, 2, 15, 0);

function scratch(): string {
  const dir = tempDir('export-sheet-');
  cleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A distinct 64-hex value per seed, like a real hash. */
const hex = (seed: number) => createHash('sha256').update(String(seed)).digest('hex');
const LONG_NAME = `DCIM/100MEDIA/${'现场执法记录仪录像'.repeat(6)}_20261207_0001.MP4`;

function file(i: number, over: Partial<SheetFile> = {}): SheetFile {
  return {
    discPath: `data/CAM0001/20261207_1015${String(i % 60).padStart(2, '0')}_${String(i).padStart(4, '0')}.MP4`,
    originalPath: `DCIM/100MEDIA/执法记录_${String(i).padStart(4, '0')}.MP4`,
    cameraSerial: 'DSJ-2026-0001',
    officer: '张三（010001）',
    startAt: T0 + i * 60_000,
    endAt: T0 + i * 60_000 + 45_000,
    size: 123_456_789 + i,
    sha256: hex(i + 1),
    sm3: null,
    verification: 'direct-readback',
    damaged: false,
    damageReason: null,
    ...over,
  };
}

const THREE: SheetFile[] = [
  file(1),
  file(2, { originalPath: LONG_NAME, officer: null, damaged: true, damageReason: '录像尾部不完整（记录仪断电）', verification: 'evicted-readback' }),
  file(3, { sm3: hex(99), startAt: null, endAt: null, verification: 'cache-readback', cameraSerial: '执法仪-甲-0003' }),
];

function input(over: Partial<SheetInput> = {}): SheetInput {
  return {
    stationName: '某某支队执法记录仪采集站',
    timeZone: TZ,
    exportNo: 'DC-000012',
    caseNo: '某公（刑）立字〔2026〕118号',
    caseCause: '涉嫌寻衅滋事',
    purpose: '移送检察院审查起诉 / Sent to the procuratorate for prosecution review',
    maker: '李四（020002）· 综合处',
    recipient: '王五 · 某某区人民检察院 · 身份证 110101199001011234',
    extractedAt: T0 + 3_600_000,
    approvedBy: '赵六（030003）',
    approvedAt: T0 + 1_800_000,
    disc: 1,
    discs: 3,
    volumeId: 'DC000012_1',
    groupId: 'DC-000012-7f3a',
    files: THREE,
    reprint: null,
    ...over,
  };
}

const pdfText = (file: string, page?: number) =>
  execFileSync('pdftotext', ['-layout', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' });
/** In the order it was drawn: a value wrapped beside its two-line label reads whole. */
const drawnText = (file: string) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const flat = (s: string) => s.replace(/\s+/g, '');

function write(dir: string, name: string, bytes: Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

/** Every font embedded, subset and with a Unicode map: the Chinese is drawn from the file, and copies out as text. */
function expectFontsEmbedded(file: string): void {
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(f).toMatch(/\byes\s+yes\s+yes\b/);
}

describe('说明.pdf, the description sheet', () => {
  it('names the maker, recipient and time, every file with its full hashes, the disc; fonts embedded; page 1 drawn', async () => {
    const pdf = await renderSheetPdf(input(), FONT);
    const dir = scratch();
    const f = write(dir, '说明.pdf', pdf);
    const info = execFileSync('pdfinfo', [f], { encoding: 'utf8' });
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expectFontsEmbedded(f);

    const text = pdfText(f);
    const all = flat(drawnText(f));
    for (const s of ['电子数据提取说明', 'Description of extracted electronic data', '制作人', '提取人', '提取时间', '批准人', '卷标', '文件数']) expect(text).toContain(s);
    for (const s of ['李四（020002）· 综合处', '王五 · 某某区人民检察院 · 身份证 110101199001011234', '2026-12-07 11:15:00 (Asia/Shanghai)', '赵六（030003）', 'DC000012_1', 'DC-000012-7f3a']) {
      expect(all).toContain(flat(s));
    }
    // pdftotext drops the spaces between Chinese and digits on some lines: compared without them.
    expect(all).toContain(flat('第 1 张 共 3 张'));
    expect(all).toContain(flat('某公（刑）立字〔2026〕118号'));
    expect(all).toContain('涉嫌寻衅滋事');
    // Each hash whole, however the line wrapped it.
    for (const file of THREE) expect(all).toContain(file.sha256);
    expect(all).toContain(hex(99));
    expect(all).toContain(flat(LONG_NAME));
    expect(LONG_NAME.length).toBeGreaterThanOrEqual(70);
    for (const file of THREE) expect(all).toContain(file.discPath);
    expect(all).toContain('执法仪-甲-0003');
    expect(all).toContain(flat('受损'));
    expect(all).toContain('录像尾部不完整（记录仪断电）');
    expect(all).toContain('入库时写入后绕过缓存从存储介质读回比对');
    expect(all).toContain(flat('re-read from the medium bypassing the cache and compared at ingest'));
    expect(all).toContain('清除系统缓存');
    expect(all).toContain(flat('2026-12-07 10:16:00 – 2026-12-07 10:16:45'));
    expect(all).toContain(flat('123,456,790 字节'));
    // Three files, 370,370,373 bytes in all.
    expect(all).toContain(flat('3 个，共 370,370,373 字节'));
    expect(all).toContain('校验方法.txt');
    expect(all).toContain(flat('sha256sum -c manifest-sha256.txt'));
    // The signature lines, and the footer.
    expect(text).toContain('制作人（签名）');
    expect(text).toContain('提取人（签名）');
    expect(text).toContain('日期');
    expect(text).not.toContain('补打');
    const pages = pageCount(f);
    expect(all).toContain(flat(`第 1 页 共 ${pages} 页`));
    expect(text).toContain('DC-000012');

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const png = path.join(SCREENSHOTS, 'export-sheet-page1.png');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', f, png.replace(/\.png$/, '')]);
    expect(fs.statSync(png).size).toBeGreaterThan(20_000);
    if (pages > 1) {
      const png2 = path.join(SCREENSHOTS, 'export-sheet-page2.png');
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '2', '-l', '2', '-singlefile', f, png2.replace(/\.png$/, '')]);
    }
  });

  it('gives the same bytes for the same input, and other bytes for another', async () => {
    const a = await renderSheetPdf(input(), FONT);
    const b = await renderSheetPdf(input(), FONT);
    expect(a.equals(b)).toBe(true);
    const c = await renderSheetPdf(input({ recipient: '王五 · 某某区人民法院' }), FONT);
    expect(c.equals(a)).toBe(false);
  });

  it('says 补打 with the time and who on every page of a reprint, dated the reprint', async () => {
    const reprint = { at: Date.UTC(2027, 0, 5, 1, 0, 0), by: '孙七（040004）' };
    const files = Array.from({ length: 40 }, (_, i) => file(i + 1));
    const f = write(scratch(), 'reprint.pdf', await renderSheetPdf(input({ reprint, files }), FONT));
    const pages = pageCount(f);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const text = flat(pdfText(f, p));
      expect(text).toContain('补打');
      expect(text).toContain('REPRINT');
      expect(text).toContain(flat('2027-01-05 09:00:00'));
      expect(text).toContain('孙七（040004）');
    }
    expect(execFileSync('pdfinfo', [f], { encoding: 'utf8' })).toMatch(/^CreationDate:.*2027/m);
    const png = path.join(SCREENSHOTS, 'export-sheet-reprint-page2.png');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '2', '-l', '2', '-singlefile', f, png.replace(/\.png$/, '')]);
  });

  it('pages 300 files: every file once, none cut at a page break, the footer counting right', async () => {
    const files = Array.from({ length: 300 }, (_, i) => file(i + 1, i % 7 === 0 ? { sm3: hex(i + 500) } : {}));
    const f = write(scratch(), 'many.pdf', await renderSheetPdf(input({ files }), FONT));
    const pages = pageCount(f);
    expect(pages).toBeGreaterThan(10);
    let seen = 0;
    for (let p = 1; p <= pages; p++) {
      const text = pdfText(f, p);
      expect(flat(text)).toContain(flat(`第 ${p} 页 共 ${pages} 页`));
      expect(text).toContain(`Page ${p} of ${pages}`);
      expect(flat(text)).toContain('第1张光盘');
      const hashes = flat(text);
      // A file's block is whole on its page: its disc path and its hash on the same page.
      for (const x of files) if (hashes.includes(x.discPath)) expect(hashes).toContain(x.sha256);
      seen += files.filter((x) => hashes.includes(x.sha256)).length;
      if (p > 1) expect(text).toContain('电子数据提取说明');
    }
    expect(seen).toBe(300);
    expect(flat(pdfText(f, pages))).toContain('提取人（签名）');
  }, 60_000);

  it('says which font to install when none writes Chinese', async () => {
    const missing = path.join(scratch(), 'no-such-font.ttc');
    const err = await renderSheetPdf(input(), { font: { file: missing } }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'seal_font_missing', details: { file: missing } });
    expect((err as Error).message).toContain(`提取说明的字体文件 ${missing} 不存在`);
  });
});

describe('说明.txt and 校验方法.txt', () => {
  it('说明.txt: BOM, CRLF only, every heading in both languages and every value', () => {
    const i = input({ reprint: { at: T0 + 86_400_000, by: '孙七（040004）' } });
    const text = sheetText(i);
    expect(text.startsWith('\uFEFF电子数据提取说明\r\nDescription of extracted electronic data\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const s of [
      '工作站 / Station: 某某支队执法记录仪采集站',
      '导出编号 / Export no.: DC-000012',
      '案件编号 / Case no.: 某公（刑）立字〔2026〕118号',
      '案由 / Cause of the case: 涉嫌寻衅滋事',
      `用途 / Purpose: ${i.purpose}`,
      '制作人 / Made by: 李四（020002）· 综合处',
      `提取人 / Received by: ${i.recipient}`,
      '提取时间 / Extracted at: 2026-12-07 11:15:00 (Asia/Shanghai)',
      '批准人 / Approved by: 赵六（030003）  2026-12-07 10:45:00 (Asia/Shanghai)',
      '光盘 / Disc: 第 1 张 共 3 张',
      'disc 1 of 3',
      '卷标 / Volume label: DC000012_1',
      '套标识 / Set id: DC-000012-7f3a',
      '文件数 / Files: 3 个，共 370,370,373 字节',
      '补打：2026-12-08 10:15:00 (Asia/Shanghai)，补打人 孙七（040004）',
      'REPRINT: 2026-12-08 10:15:00 (Asia/Shanghai), by 孙七（040004）',
      '文件清单 / Files on this disc (3)',
      `原文件名 / Original name: ${LONG_NAME}`,
      '执法人员 / Officer: 不详',
      '受损 / Damaged: 是：录像尾部不完整（记录仪断电）',
      `   SM3: ${hex(99)}`,
      '录制时间 / Recorded: 2026-12-07 10:16:00 – 2026-12-07 10:16:45',
      '核验方式 / Verified: 入库时写入后读回比对（读回可能来自系统缓存）',
      '制作人（签名） / Made by (signature): ',
      '提取人（签名） / Received by (signature): ',
    ]) {
      expect(text).toContain(s);
    }
    for (const f of THREE) {
      expect(text).toContain(f.discPath);
      expect(text).toContain(`   SHA-256: ${f.sha256}\r\n`);
    }
    // Without an approval, no 批准人 line; with no case, said as unknown.
    const plain = sheetText(input({ approvedBy: null, approvedAt: null, caseNo: null, reprint: null }));
    expect(plain).not.toContain('批准人');
    expect(plain).not.toContain('补打');
    expect(plain).toContain('案件编号 / Case no.: 不详');
    expect(plain).toContain('unknown');
  });

  it('校验方法.txt: BOM, CRLF; sha256sum, certutil, PowerShell, bagit; SM3 and the 4 GiB note only when they apply', () => {
    const plain = checkMethodText({ hasSm3: false, hasLargeFiles: false, volumeId: 'DC000012_1' });
    expect(plain.startsWith('\uFEFF')).toBe(true);
    expect(plain.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const s of [
      'sha256sum -c manifest-sha256.txt',
      'certutil -hashfile',
      'Get-FileHash -Algorithm SHA256',
      'ForEach-Object',
      'bagit.py --validate .',
      'DC000012_1',
      '光盘核验方法',
      'How to check this disc',
    ]) {
      expect(plain).toContain(s);
    }
    expect(plain.indexOf('光盘核验方法')).toBeLessThan(plain.indexOf('How to check this disc'));
    expect(plain).not.toContain('gmssl');
    expect(plain).not.toContain('manifest-sm3.txt');
    expect(plain).not.toContain('4 GiB');
    const full = checkMethodText({ hasSm3: true, hasLargeFiles: true, volumeId: 'V' });
    expect(full).toContain('gmssl sm3');
    expect(full).toContain('manifest-sm3.txt');
    expect(full).toContain('4 GiB');
    expect(full).toContain('ISO 9660');
    expect(full).toContain('7-Zip');
    expect(full).toContain('multi-extent');
  });

  it('the PowerShell line reads the manifest as sha256sum writes it', () => {
    // What PowerShell's -split '  ', 2 does, in JavaScript: hash, then the path with any spaces it has.
    const line = checkMethodText({ hasSm3: false, hasLargeFiles: false, volumeId: 'V' })
      .split('\r\n')
      .find((l) => l.includes('ForEach-Object'))!;
    expect(line).toContain("-split '  ', 2");
    expect(line).toContain('-LiteralPath $p');
    expect(line).toContain('Get-Content -Encoding UTF8 manifest-sha256.txt');
  });
});

function row(seq: number, action: string, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: T0 + seq * 1000,
    actorKind: 'person',
    actorId: 1,
    actorLabel: '张三 (010001)',
    action,
    objectType: 'clip',
    objectId: '17',
    before: null,
    after: { serial: 'DSJ-2026-0001', hash: hex(seq), size: 1234 },
    prevHash: hex(seq - 1),
    hash: hex(seq + 1000),
    ...over,
  };
}

const META: CustodyMeta = { stationName: '某某支队执法记录仪采集站', timeZone: TZ, exportNo: 'DC-000012', caseNo: '案-118', disc: 1, discs: 2, madeAt: T0 + 3_600_000 };

describe('处理记录, the chain of custody', () => {
  const rows = [
    row(30, 'view.opened', { objectType: 'view_register', objectId: '5', after: { clipId: 17 } }),
    row(12, 'clip.committed'),
    row(25, 'clip.classified', { actorLabel: '=HYPERLINK("http://x","点我")', after: { note: '+1 重点' } }),
    row(40, 'export.something_new', { after: null }),
    row(41, 'export.approved', { objectType: 'export', objectId: '12', after: { state: 'approved' } }),
  ];

  it('CSV: BOM, both-language header, rows by seq, actions in words, hashes cut to 16, formula cells defused', () => {
    const csv = custodyCsv(rows, META);
    expect(csv.startsWith('\uFEFF序号 / Seq,时间（Asia/Shanghai） / Time,操作人 / Actor,操作代码 / Action code,操作 / Action,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(rows.length + 2);
    expect(lines.slice(1, -1).map((l) => Number(l.split(',')[0]))).toEqual([12, 25, 30, 40, 41]);
    expect(lines[1]).toContain('2026-12-07 10:15:12');
    expect(lines[1]).toContain('音视频资料入库（已校验） / Recording stored in the vault (verified)');
    expect(lines[1]).toContain('音视频资料 17 / Recording 17');
    expect(lines[1]).toContain(`hash: ${hex(12).slice(0, 16)}…`);
    expect(lines[1]!.endsWith(`,${hex(1012).slice(0, 16)}`)).toBe(true);
    expect(lines[1]).not.toContain(hex(1012));
    // The actor's label began with =: an apostrophe before it, the quotes doubled.
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(lines[2]).toContain('note: +1 重点');
    expect(lines[3]).toContain('开始查阅录像（已登记）');
    // An action without words is kept by its code.
    expect(lines[4]).toContain('export.something_new,export.something_new');
    // The export's own rows, the disc's history too.
    expect(lines[5]).toContain('批准证据导出 / Evidence export approved,证据导出 12 / Evidence export 12,state: approved');
  });

  it('PDF: the actions in words and codes, by seq, fonts embedded, dated madeAt', async () => {
    const f = write(scratch(), '处理记录.pdf', await renderCustodyPdf(rows, META, FONT));
    expectFontsEmbedded(f);
    const text = pdfText(f);
    const all = flat(text);
    for (const s of ['处理记录', 'Chain of custody', '音视频资料入库（已校验）', 'clip.committed', '音视频资料分类', '开始查阅录像（已登记）', 'export.something_new', '批准证据导出', 'DC-000012', '第 1 张 共 2 张']) {
      expect(all).toContain(flat(s));
    }
    expect(all).toContain(hex(1012).slice(0, 16));
    expect(all.indexOf('clip.committed')).toBeLessThan(all.indexOf('clip.classified'));
    expect(all.indexOf('clip.classified')).toBeLessThan(all.indexOf('view.opened'));
    expect(all).toContain(flat('第 1 页 共 1 页'));
    const again = await renderCustodyPdf([...rows].reverse(), META, FONT);
    expect(again.equals(fs.readFileSync(f))).toBe(true);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', f, path.join(SCREENSHOTS, 'export-custody-page1')]);
  });

  it('PDF: pages a long record with the headings on every page, every row once', async () => {
    const many = Array.from({ length: 150 }, (_, i) => row(i + 1, i % 2 ? 'view.opened' : 'clip.committed'));
    const f = write(scratch(), 'long.pdf', await renderCustodyPdf(many, META, FONT));
    const pages = pageCount(f);
    expect(pages).toBeGreaterThan(2);
    let seen = 0;
    for (let p = 1; p <= pages; p++) {
      const text = pdfText(f, p);
      expect(text).toContain('操作人');
      expect(text).toContain('Row hash');
      expect(flat(text)).toContain(flat(`第 ${p} 页 共 ${pages} 页`));
      seen += many.filter((e) => text.includes(e.hash.slice(0, 16))).length;
    }
    expect(seen).toBe(150);
  });
});
