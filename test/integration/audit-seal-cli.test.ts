// `station audit seal` and `station audit verify --seal`, run as a user runs
// them: the seal printed (code in groups, QR text), its sheet written as a PDF,
// and both forms verified; a font that is not there, and text that is no seal,
// each refused with what to do.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SealVerification, SealView } from '../../shared/seal.js';
import { groupSealCode } from '../../shared/seal.js';
import { removeAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';
const removeLater = removeAfterEach();

async function station(): Promise<string> {
  const data = path.join(removeLater(tempDir('station-seal-cli-')), 'data');
  const r = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: `${PASSWORD}\n${PASSWORD}\n` });
  expect(r.code, r.stderr).toBe(0);
  return data;
}

describe('station audit seal', () => {
  it('seals, writes the sheet, and each form of the seal verifies', async () => {
    const data = await station();
    const pdf = path.join(path.dirname(data), 'seal.pdf');
    const made = await runStation(['audit', 'seal', '--data', data, '--pdf', pdf]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('已封存：第 1 号封存。');
    expect(made.stdout).toMatch(/封存码 seal code\s+([0-9A-HJKMNP-TV-Z]{4} ){7}[0-9A-HJKMNP-TV-Z]{4}\n/);
    expect(made.stdout).toMatch(/二维码内容 QR payload\s+ES-SEAL1\/[0-9A-F]+\/\d{4}-\d{2}-\d{2}\//);
    expect(made.stdout).toContain('无（本站第一个封存） none (the first seal)');
    expect(made.stdout).toContain(`封存单 seal sheet`);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const json = await runStation(['audit', 'seal', '--data', data, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { seal, pdf: none } = JSON.parse(json.stdout) as { seal: SealView; pdf: string | null };
    expect(none).toBeNull();
    expect(seal).toMatchObject({ number: 2, complete: false, file: path.join(data, 'seals', `${seal.day}.seal-2.json`) });
    const first = made.stdout.match(/封存码 seal code\s+(.+)\n/)![1]!;
    expect(seal.previous).not.toBe('0'.repeat(64));

    for (const text of [first, groupSealCode(seal.code), seal.code.toLowerCase(), seal.payload]) {
      const v = await runStation(['audit', 'verify', '--data', data, '--seal', text]);
      expect(v.code, `${text}\n${v.stdout}${v.stderr}`).toBe(0);
      expect(v.stdout).toContain('封存核验通过');
    }
    const byPayload = await runStation(['audit', 'verify', '--data', data, '--seal', seal.payload]);
    expect(byPayload.stdout).toContain(`由二维码内容算出的封存码：${groupSealCode(seal.code)}，请与封存单上的核对。`);
    const asJson = JSON.parse((await runStation(['audit', 'verify', '--data', data, '--seal', seal.payload, '--json'])).stdout) as SealVerification;
    expect(asJson).toMatchObject({ ok: true, given: 'payload', findings: [], seal: { digest: seal.digest } });
  });

  it('refuses text that is no seal, and a sheet without a Chinese font, saying what to do', async () => {
    const data = await station();
    const garbage = await runStation(['audit', 'verify', '--data', data, '--seal', 'hello']);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('[invalid_input]');
    expect(garbage.stderr).toContain('请输入封存单上的 32 位封存码，或扫描其二维码');

    const missing = path.join(path.dirname(data), 'no-such-font.ttc');
    const r = await runStation(['audit', 'seal', '--data', data, '--pdf', path.join(path.dirname(data), 'x.pdf')], { env: { STATION_SEAL_FONT: missing } });
    expect(r.code).toBe(1);
    // The seal is made and shown all the same; only the sheet could not be.
    expect(r.stdout).toContain('已封存：第 1 号封存。');
    expect(r.stderr).toContain('[seal_font_missing]');
    expect(r.stderr).toContain(`封存单的字体文件 ${missing} 不存在`);
    expect(fs.existsSync(path.join(path.dirname(data), 'x.pdf'))).toBe(false);
  });

  it('is in the help', async () => {
    const group = await runStation(['help', 'audit']);
    expect(group.stdout).toContain('audit seal');
    expect(group.stdout).toContain('立即封存审计日志');
    const verify = await runStation(['audit', 'verify', '--help']);
    expect(verify.stdout).toContain('--seal <封存码或二维码内容 code or QR text>');
    const seal = await runStation(['audit', 'seal', '--help']);
    expect(seal.stdout).toContain('--pdf <文件 file>');
  });
});
