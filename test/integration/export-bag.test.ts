// The disc layout of issue 21 (electron/core/export/bag.ts): a BagIt bag whose payload manifest is
// also what `sha256sum -c` reads. Checked with the real GNU coreutils on a folder laid out as a
// disc, with Chinese and 70-character names and an empty file.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PayloadFile } from '../../electron/core/export/bag.js';
import { bagInfoText, bagitText, checkDiscPath, manifestText, payloadEntries, payloadOxum } from '../../electron/core/export/bag.js';
import { tempDir } from '../support/station.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A disc's folder: the payload under data/, the manifests and bag files at the root. */
function disc(contents: Record<string, Buffer>): { root: string; files: PayloadFile[] } {
  const root = tempDir('disc-');
  const files: PayloadFile[] = [];
  for (const [name, bytes] of Object.entries(contents)) {
    const file = path.join(root, 'data', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    files.push({ path: name, size: bytes.length, sha256: sha256(bytes) });
  }
  fs.writeFileSync(path.join(root, 'manifest-sha256.txt'), manifestText(payloadEntries(files)));
  fs.writeFileSync(path.join(root, 'bagit.txt'), bagitText());
  fs.writeFileSync(
    path.join(root, 'bag-info.txt'),
    bagInfoText({ caseNo: '文执罚〔2026〕118号', groupId: 'EXPORT-7', disc: 2, discs: 3, organization: '某支队采集站', baggingDate: '2026-12-07', description: '证据光盘 / Evidence disc' }, files),
  );
  const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'].map((name) => ({ path: name, sha256: sha256(fs.readFileSync(path.join(root, name))) }));
  fs.writeFileSync(path.join(root, 'tagmanifest-sha256.txt'), manifestText(tags));
  return { root, files };
}

const check = (root: string, manifest: string) => spawnSync('sha256sum', ['-c', '--strict', manifest], { cwd: root, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });

describe('an evidence disc as a BagIt bag', () => {
  const long = `DSJ-2026-0001_300400_20261127081656_0001_${'现场执法记录'.repeat(4)}_IMP.MP4`;
  const contents = {
    'DSJ-2026-0001/执法记录_0001.MP4': Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff)),
    [`DSJ-2026-0001/${long}`]: Buffer.from('a long name'),
    'DSJ-2026-0001/空文件.WAV': Buffer.alloc(0),
  };

  it('is checked by sha256sum -c at the disc\'s root, payload and tag files both, and a changed byte is named', () => {
    expect(long.length).toBeGreaterThanOrEqual(60);
    const { root } = disc(contents);
    const payload = check(root, 'manifest-sha256.txt');
    expect(payload.status).toBe(0);
    expect(payload.stdout.trim().split('\n')).toEqual(Object.keys(contents).sort().map((name) => `data/${name}: OK`));
    expect(check(root, 'tagmanifest-sha256.txt').status).toBe(0);

    const flipped = path.join(root, 'data', 'DSJ-2026-0001/执法记录_0001.MP4');
    const bytes = fs.readFileSync(flipped);
    bytes[35_000] = bytes[35_000]! ^ 0x01;
    fs.writeFileSync(flipped, bytes);
    const after = check(root, 'manifest-sha256.txt');
    expect(after.status).not.toBe(0);
    expect(after.stdout).toContain('data/DSJ-2026-0001/执法记录_0001.MP4: FAILED');
  });

  it('says what RFC 8493 asks: the version, the set (Bag-Count), the case and the payload\'s size', () => {
    const { root, files } = disc(contents);
    expect(fs.readFileSync(path.join(root, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const info = fs.readFileSync(path.join(root, 'bag-info.txt'), 'utf8');
    expect(info).toContain('External-Identifier: 文执罚〔2026〕118号\n');
    expect(info).toContain('Bag-Group-Identifier: EXPORT-7\n');
    expect(info).toContain('Bag-Count: 2 of 3\n');
    // Payload-Oxum is the payload's octets and files, as find counts them on the disc.
    const sizes = execFileSync('find', ['data', '-type', 'f', '-printf', '%s\n'], { cwd: root, encoding: 'utf8' }).trim().split('\n').map(Number);
    expect(payloadOxum(files)).toBe(`${sizes.reduce((a, b) => a + b, 0)}.${sizes.length}`);
    expect(payloadOxum(files)).toBe(`${70_000 + 'a long name'.length}.3`);
    expect(info).toContain(`Payload-Oxum: ${payloadOxum(files)}\n`);
    // A manifest is the same bytes for the same set, whatever order the files came in.
    expect(manifestText(payloadEntries([...files].reverse()))).toBe(fs.readFileSync(path.join(root, 'manifest-sha256.txt'), 'utf8'));
  });

  it('refuses a name the two readers would read differently, and a disc outside its set', () => {
    for (const bad of ['a%20b.MP4', 'a\nb.MP4', 'a\\b.MP4', '../x.MP4', '/abs.MP4', 'a//b.MP4', './a.MP4', '']) {
      expect(() => checkDiscPath(bad), bad).toThrow(/disc manifest/);
    }
    expect(() => checkDiscPath('目录/执法记录 0001.MP4')).not.toThrow();
    expect(() => manifestText([{ path: 'a.MP4', sha256: 'xyz' }])).toThrow(/SHA-256/);
    const info = { caseNo: null, groupId: 'G', disc: 4, discs: 3, organization: 'o', baggingDate: '2026-12-07', description: 'd' };
    expect(() => bagInfoText(info, [])).toThrow(/disc 4 of 3/);
    expect(bagInfoText({ ...info, disc: 1, description: '两行\n说明' }, [])).toContain('External-Description: 两行 说明\n');
  });
});
