// Evidence disc images (issue 21) built, checked and burned with the real xorriso: the image's
// names as Joliet and Rock Ridge readers see them, the disc checked by GNU sha256sum after
// xorriso's own extraction, a changed byte caught by both the station's read-back and xorriso's
// recorded MD5s, and a burn onto a file-backed pseudo drive (this machine has no optical drive).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestText, payloadEntries, type PayloadFile } from '../../electron/core/export/bag.js';
import { burnImage, listDrives, mediaSpace } from '../../electron/core/export/burn.js';
import { buildImage, discName, MAX_DISC_NAME, volumeIdFor, type ImageEntry } from '../../electron/core/export/image.js';
import { FileTooLargeError, fileFootprint, imageOverhead, MEDIA, planDiscs } from '../../electron/core/export/media.js';
import { readBack, type ExpectedFile } from '../../electron/core/export/readback.js';
import { unquoteWord } from '../../electron/core/export/xorriso.js';
import { tempDir } from '../support/station.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const xorriso = (...args: string[]) =>
  execFileSync('xorriso', ['-no_rc', '-local_charset', 'UTF-8', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' } });
/** The file paths of a tree as xorriso lists them: `-read_fs norock` loads the Joliet tree instead of Rock Ridge. */
const listed = (image: string, tree: 'rockridge' | 'joliet') =>
  xorriso(...(tree === 'joliet' ? ['-read_fs', 'norock'] : []), '-indev', image, '-find', '/', '-type', 'f')
    .trim()
    .split('\n')
    .map((line) => unquoteWord(line).word.replace(/^\//, ''))
    .sort();

const dirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

// The clips' time on the camera: the disc keeps the source's mtime.
const RECORDED = new Date('2026-11-27T08:16:56Z');
const longName = `DSJ-2026-0001_300400_20261127081656_0001_${'现场执法记录'.repeat(3)}执法记_IMP.MP4`;

/** Source files in a vault-like folder, their disc paths (through discName) and the manifest as a disc file. */
function evidence() {
  const vault = scratch('vault-');
  const contents: Record<string, Buffer> = {
    '执法记录_0001.MP4': Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) & 0xff)),
    [longName]: Buffer.from('a long name'),
    '空文件.WAV': Buffer.alloc(0),
    "photo 'Bob' 2.JPG": Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff)),
  };
  const entries: ImageEntry[] = [];
  const payload: PayloadFile[] = [];
  Object.entries(contents).forEach(([name, bytes], i) => {
    // Quote marks in both names: the file list reaches xorriso as quoted input (-options_from_file).
    const source = path.join(vault, `clip-${i} 'it''s' "x".bin`);
    fs.writeFileSync(source, bytes);
    fs.utimesSync(source, RECORDED, RECORDED);
    const discPath = `CAM01/${discName(name)}`;
    entries.push({ source, discPath: `data/${discPath}` });
    payload.push({ path: discPath, size: bytes.length, sha256: sha256(bytes) });
  });
  const manifest = path.join(vault, 'manifest');
  fs.writeFileSync(manifest, manifestText(payloadEntries(payload)));
  entries.push({ source: manifest, discPath: 'manifest-sha256.txt' });
  const expect: ExpectedFile[] = entries.map((e) => {
    const bytes = fs.readFileSync(e.source);
    return { discPath: e.discPath, size: bytes.length, sha256: sha256(bytes) };
  });
  return { vault, entries, expect, contents };
}

async function built() {
  const set = evidence();
  const image = path.join(scratch('image-'), 'disc.iso');
  const progress: number[] = [];
  const { bytes } = await buildImage({ output: image, volumeId: 'CASE_118_7', entries: set.entries, onProgress: (n) => progress.push(n) });
  return { ...set, image, bytes, progress };
}

describe('an evidence disc image built by xorriso', () => {
  it('holds the set under names every reader keeps, reads back ok, and sha256sum -c passes on its extraction', async () => {
    const { image, bytes, entries, expect: expected, progress } = await built();
    expect(fs.statSync(image).size).toBe(bytes);
    expect(fs.existsSync(image + '.part')).toBe(false);
    expect(progress.at(-1)).toBe(bytes);
    // The footprint estimate the disc plan relies on is not smaller than the real image.
    const estimate = entries.reduce((n, e) => n + fileFootprint(fs.statSync(e.source).size, path.basename(e.discPath).length), imageOverhead(0));
    expect(estimate).toBeGreaterThanOrEqual(bytes);

    // The long name went through discName: shortened, stable, within Joliet's 64, extension kept,
    // and xorriso wrote it unchanged to both trees.
    const short = discName(longName);
    expect(longName.length).toBe(70);
    expect(short).not.toBe(longName);
    expect(short).toBe(discName(longName));
    expect(short.length).toBeLessThanOrEqual(MAX_DISC_NAME);
    expect(short).toMatch(/~[0-9a-f]{6}\.MP4$/);
    const onDisc = entries.map((e) => e.discPath).sort();
    expect(listed(image, 'rockridge')).toEqual(onDisc);
    expect(listed(image, 'joliet')).toEqual(onDisc);
    expect(onDisc).toContain(`data/CAM01/${short}`);

    // Read-only, owned by root, on the disc (Rock Ridge).
    const lsl = xorriso('-indev', image, '-lsl', '/data/CAM01', '/data');
    expect(lsl).toMatch(/^-r--r--r-- +1 0 +0 +300000 .* '执法记录_0001\.MP4'$/m);
    expect(lsl).toMatch(/^dr-xr-xr-x +\d+ 0 +0 .* 'CAM01'$/m);
    expect(xorriso('-indev', image, '-pvd_info')).toMatch(/Volume Id\s*: CASE_118_7/);

    const result = await readBack({ image, expect: expected });
    expect(result.md5).toEqual({ ok: true, report: 'ok' });
    expect(result.files.every((f) => f.ok && !f.problem)).toBe(true);
    expect(result.files.map((f) => f.discPath).sort()).toEqual(onDisc);
    expect(result.ok).toBe(true);
    expect(result.imageBytes).toBe(bytes);
    expect(result.imageSha256).toBe(sha256(fs.readFileSync(image)));

    const out = scratch('extracted-');
    xorriso('-osirrox', 'on', '-indev', image, '-extract', '/', out);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: out, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    expect(check.status).toBe(0);
    expect(check.stdout.trim().split('\n')).toHaveLength(4);
    expect(check.stdout).toContain(`data/CAM01/${short}: OK`);
    expect(check.stdout).toContain('data/CAM01/空文件.WAV: OK');
    // The recording's time survived: the disc's Rock Ridge mtime is the source's, and osirrox restores it.
    expect(fs.statSync(path.join(out, 'data/CAM01/执法记录_0001.MP4')).mtime).toEqual(RECORDED);
  });

  it('catches a flipped byte inside a file: the station\'s hash and xorriso\'s recorded MD5 both', async () => {
    const { image, expect: expected } = await built();
    const lba = /File data lba:\s*0\s*,\s*(\d+)\s*,/.exec(xorriso('-indev', image, '-find', '/data/CAM01/执法记录_0001.MP4', '-exec', 'report_lba', '--'));
    expect(lba).not.toBeNull();
    const at = Number(lba![1]) * 2048 + 150_000;
    const fd = fs.openSync(image, 'r+');
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    fs.writeSync(fd, Buffer.from([byte[0]! ^ 0x01]), 0, 1, at);
    fs.closeSync(fd);

    const result = await readBack({ image, expect: expected });
    expect(result.ok).toBe(false);
    const bad = result.files.filter((f) => !f.ok);
    expect(bad).toEqual([expect.objectContaining({ discPath: 'data/CAM01/执法记录_0001.MP4', problem: 'hash', size: 300_000 })]);
    expect(result.md5.ok).toBe(false);
    expect(result.md5.report).toContain("MD5 MISMATCH: '/data/CAM01/执法记录_0001.MP4'");
  });

  it('names a file that is missing from the disc and a file on it that was not expected', async () => {
    const { image, entries, expect: expected } = await built();
    const [dropped, ...rest] = expected;
    const result = await readBack({ image, expect: [...rest, { discPath: 'data/CAM01/not-burned.MP4', size: 3, sha256: sha256(Buffer.from('abc')) }] });
    expect(result.ok).toBe(false);
    expect(result.md5.ok).toBe(true);
    expect(result.files.filter((f) => !f.ok)).toEqual([
      { discPath: 'data/CAM01/not-burned.MP4', size: 0, sha256: '', ok: false, problem: 'missing' },
      { discPath: dropped!.discPath, size: dropped!.size, sha256: dropped!.sha256, ok: false, problem: 'unexpected' },
    ]);
    // SM3 is checked when the station hashes with it: right, then wrong.
    const sm3 = (e: ExpectedFile) => createHash('sm3').update(fs.readFileSync(entries.find((x) => x.discPath === e.discPath)!.source)).digest('hex');
    const withSm3 = expected.map((e) => ({ ...e, sm3: sm3(e) }));
    const good = await readBack({ image, expect: withSm3 });
    expect(good.ok).toBe(true);
    expect(good.files.map((f) => f.sm3)).toEqual(withSm3.map((e) => e.sm3));
    const badSm3 = await readBack({ image, expect: withSm3.map((e, i) => (i === 1 ? { ...e, sm3: sm3(withSm3[0]!) } : e)) });
    expect(badSm3.files.filter((f) => !f.ok)).toEqual([expect.objectContaining({ discPath: withSm3[1]!.discPath, problem: 'hash', sha256: withSm3[1]!.sha256 })]);
    // A size that differs is named as such, before any hash.
    const sized = await readBack({ image, expect: expected.map((e, i) => (i === 0 ? { ...e, size: e.size + 1 } : e)) });
    expect(sized.files.find((f) => !f.ok)?.problem).toBe('size');
  });

  it('burns onto a file-backed pseudo drive, which reads back ok with the image\'s own SHA-256', async () => {
    const { image, expect: expected } = await built();
    expect(await listDrives()).toEqual([]);
    const drive = `stdio:${path.join(scratch('drive-'), 'blank.disc')}`;
    expect(await mediaSpace(drive)).toBeGreaterThan(MEDIA.cd.bytes);
    const seen: number[] = [];
    await burnImage({ address: drive, image, onProgress: (n) => seen.push(n) });
    expect(seen.at(-1)).toBe(fs.statSync(image).size);
    await expect(mediaSpace(drive)).rejects.toThrow(/not blank/);
    const result = await readBack({ image: drive, expect: expected });
    expect(result.ok).toBe(true);
    expect(result.imageSha256).toBe(sha256(fs.readFileSync(image)));
  });

  it('removes the part file when the build is aborted, and refuses a bad volume id or disc name', async () => {
    const dir = scratch('abort-');
    const source = path.join(dir, 'big.bin');
    fs.writeFileSync(source, Buffer.alloc(1));
    fs.truncateSync(source, 1024 ** 3); // sparse: xorriso reads zeros fast, the write takes seconds
    const output = path.join(dir, 'disc.iso');
    const controller = new AbortController();
    let sawPart = false;
    const building = buildImage({
      output,
      volumeId: 'ABORT_1',
      entries: [{ source, discPath: 'data/big.bin' }],
      signal: controller.signal,
      onProgress: (n) => {
        if (n > 0) sawPart = true;
        controller.abort(new Error('stopped by the operator'));
      },
    });
    await expect(building).rejects.toThrow('stopped by the operator');
    expect(sawPart).toBe(true);
    expect(fs.existsSync(output + '.part')).toBe(false);
    expect(fs.existsSync(output)).toBe(false);

    for (const volumeId of ['', 'lower', 'A'.repeat(33), 'CASE-1']) {
      await expect(buildImage({ output, volumeId, entries: [] })).rejects.toThrow(/volume id/);
    }
    await expect(buildImage({ output, volumeId: 'X', entries: [{ source, discPath: `data/${longName}` }] })).rejects.toThrow(/discName/);
    await expect(buildImage({ output, volumeId: 'X', entries: [{ source, discPath: 'data/a:b.MP4' }] })).rejects.toThrow(/discName/);
  });
});

describe('disc names and volume ids', () => {
  it('keeps names that fit, replaces what Windows or the manifest refuse, shortens the rest apart', () => {
    expect(discName('执法记录_0001.MP4')).toBe('执法记录_0001.MP4');
    expect(discName('a:b*c?"d"<e>|f\\g/h%i\r\nj\u0001.MP4')).toBe('a_b_c__d__e__f_g_h_i__j_.MP4');
    const a = discName(`${'x'.repeat(80)}_A.MP4`);
    const b = discName(`${'x'.repeat(80)}_B.MP4`);
    expect(a).not.toBe(b);
    expect([a.length, b.length]).toEqual([MAX_DISC_NAME, MAX_DISC_NAME]);
    expect(a.startsWith('x'.repeat(50))).toBe(true);
    // Never a lone half of a surrogate pair at the cut.
    const emoji = discName('😀'.repeat(40) + '.MP4');
    expect(emoji.length).toBeLessThanOrEqual(MAX_DISC_NAME);
    expect(Buffer.from(emoji, 'utf8').toString('utf8')).toBe(emoji);
    expect(emoji).not.toContain('\ufffd');
  });

  it('makes a volume id from the case number and the export, or EXPORT_<n>', () => {
    expect(volumeIdFor('2026-118', 7)).toBe('2026_118_7');
    expect(volumeIdFor('文执罚〔2026〕118号', 7)).toBe('2026_118_7');
    expect(volumeIdFor('jx-2026/abc', 12)).toBe('JX_2026_ABC_12');
    expect(volumeIdFor('执法', 3)).toBe('EXPORT_3');
    expect(volumeIdFor(null, 41)).toBe('EXPORT_41');
    const long = volumeIdFor('A'.repeat(40), 123);
    expect(long).toBe(`${'A'.repeat(28)}_123`);
    expect(long.length).toBe(32);
    expect(volumeIdFor('A'.repeat(40), 123)).toBe(long);
  });
});

describe('splitting an export into discs', () => {
  const noTags = () => 0;

  it('fills discs in order with whole files, a new disc when the next file does not fit', () => {
    // A fake capacity in small numbers: each file's footprint plus the fixed overhead.
    const unit = fileFootprint(10_000, 10);
    const capacity = imageOverhead(0) + 2 * unit + 100;
    const files = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, size: 10_000, nameLength: 10 }));
    expect(planDiscs(files, capacity, noTags).map((d) => d.map((f) => f.id))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    // One byte less and only one file fits a disc.
    expect(planDiscs(files.slice(0, 2), imageOverhead(0) + 2 * unit - 1, noTags)).toHaveLength(2);
    // The tag files' budget counts: with it, two no longer fit.
    expect(planDiscs(files.slice(0, 2), capacity, () => 4096)).toHaveLength(2);
    expect(planDiscs([], capacity, noTags)).toEqual([]);
  });

  it('needs three CDs for clips of 300, 300, 300, 300, 200 MB, in that order (first fit keeping order)', () => {
    const mb = 1_000_000;
    const clips = [300, 300, 300, 300, 200].map((n, i) => ({ i, size: n * mb, nameLength: 40 }));
    const discs = planDiscs(clips, MEDIA.cd.bytes, (count) => 4096 + count * 100);
    expect(discs.map((d) => d.map((c) => c.i))).toEqual([[0, 1], [2, 3], [4]]);
    // Order is kept even where a later file would fill a gap: 500, 300, 200 is [500] [300 200], never [500 200] [300].
    const gap = [500, 300, 200].map((n, i) => ({ i, size: n * mb, nameLength: 40 }));
    expect(planDiscs(gap, MEDIA.cd.bytes, noTags).map((d) => d.map((c) => c.i))).toEqual([[0], [1, 2]]);
    const bigger = [400, 400, 400].map((n, i) => ({ i, size: n * mb, nameLength: 40 }));
    expect(planDiscs(bigger, MEDIA.cd.bytes, noTags).map((d) => d.map((c) => c.i))).toEqual([[0], [1], [2]]);
    for (const disc of planDiscs(bigger, MEDIA.cd.bytes, noTags)) {
      expect(disc.reduce((n, c) => n + fileFootprint(c.size, c.nameLength), imageOverhead(0))).toBeLessThanOrEqual(MEDIA.cd.bytes);
    }
  });

  it('refuses a file no disc of the kind holds, naming the medium that would', () => {
    const file = { size: 5_000_000_000, nameLength: 30 };
    let error: unknown;
    try {
      planDiscs([file], MEDIA.dvd.bytes, noTags);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error).toMatchObject({ size: 5_000_000_000, capacity: MEDIA.dvd.bytes, fits: 'dvd_dl' });
    expect(() => planDiscs([{ size: 800_000_000, nameLength: 30 }], MEDIA.cd.bytes, noTags)).toThrow(expect.objectContaining({ fits: 'dvd' }));
    expect(() => planDiscs([{ size: 51_000_000_000, nameLength: 30 }], MEDIA.bd50.bytes, noTags)).toThrow(expect.objectContaining({ fits: null }));
  });
});
