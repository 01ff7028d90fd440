// The seal sheet 综合处 signs and files: one A4 page, rendered by poppler
// (pdftoppm) to test-results/screenshots/audit-seal-pdf.png to be looked at,
// its text read back (pdftotext) for the Chinese title, the 32-character code
// in groups and the signature lines, and its QR code decoded from the picture
// (zbarimg) to the seal's own payload: what a scanner at the station reads.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupSealCode } from '../../shared/seal.js';
import { osActor } from '../../electron/core/audit/actor.js';
import { ManualClock } from '../../electron/core/clock.js';
import { createStation } from '../../electron/core/station.js';
import { undoAfterEach } from '../support/cleanup.js';
import { repoRoot } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { BADGE, SERIAL, stationWithCamera } from '../support/ingest-faults.js';
import { makeStation, T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');

describe('the seal sheet', () => {
  it('is one A4 page in Chinese with the code in groups, signature lines and a QR code of the payload', async () => {
    const t = await stationWithCamera();
    cleanup(t.close);
    const m = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
    cleanup(() => fs.rmSync(path.dirname(m.root), { recursive: true, force: true }));
    expect((await t.station.ingestFolder(m.root)).summary?.state).toBe('done');
    const first = await t.cli.ok('audit.seal.make', {});
    t.clock.set(Date.UTC(2026, 10, 27, 16, 5));
    const [seal] = await t.station.sealDue();
    expect(seal).toMatchObject({ number: 2, complete: true });

    const { fileName, pdfBase64 } = await t.cli.ok('audit.seal.pdf', { number: seal!.number });
    expect(fileName).toBe('audit-seal-2026-11-27-2.pdf');
    const pdf = Buffer.from(pdfBase64, 'base64');
    // The same seal gives the same document, byte for byte: its dates are the seal's.
    expect(Buffer.from((await t.cli.ok('audit.seal.pdf', { number: seal!.number })).pdfBase64, 'base64').equals(pdf)).toBe(true);

    const dir = tempDir('seal-pdf-');
    cleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('审计封存单');
    expect(text).toContain('Audit seal');
    expect(text.replace(/ /g, '')).toContain('第2号');
    expect(text).toContain('综合处签字');
    expect(text).toContain('经办人');
    expect(text).toContain('负责人');
    expect(text).toContain('station audit verify --seal');
    expect(text).toContain('2026-11-27');
    // The code as two lines of four groups; the previous seal's code, to compare with the last sheet filed.
    const inLines = (code: string) => {
      const groups = groupSealCode(code).split(' ');
      return [groups.slice(0, 4), groups.slice(4)].map((line) => new RegExp(line.join(' +')));
    };
    for (const line of [...inLines(seal!.code), ...inLines(first.code)]) expect(text).toMatch(line);
    expect(text.replace(/\s+/g, '')).toContain(seal!.merkleRoot);

    // Page 1 as the clerk will see it printed.
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const png = path.join(SCREENSHOTS, 'audit-seal-pdf.png');
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', '-f', '1', file, png.replace(/\.png$/, '')]);
    expect(fs.statSync(png).size).toBeGreaterThan(10_000);
    // A scanner reads back exactly the seal's payload.
    const scanned = execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' }).trim();
    expect(scanned).toBe(seal!.payload);
  });

  it('says what to do when no font can write Chinese, and the seal itself stands', async () => {
    const t = makeStation();
    cleanup(t.close);
    await t.ui().ok('station.setup', { badge: '000001', name: '管理员', password: 'correct horse battery' });
    await t.station.close();
    const missing = path.join(tempDir('seal-font-'), 'no-such-font.ttc');
    const station = createStation({ dataDir: t.dataDir, clock: new ManualClock(T0), sealFontFile: missing }, { log: () => undefined });
    cleanup(() => station.close());
    const c = station.connect({ kind: 'os', actor: osActor('tester') });
    const made = await c.invoke('audit.seal.make', {});
    expect(made.ok).toBe(true);
    const r = await c.invoke('audit.seal.pdf', { number: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'seal_font_missing', details: { file: missing } } });
    expect(!r.ok && r.error.message).toContain(`封存单的字体文件 ${missing} 不存在`);
  });
});
