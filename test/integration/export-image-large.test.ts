// A clip of 4 GiB or more on an evidence disc (issue 21): ISO 9660 level 3 stores it as a
// multi-extent file, and the read-back must hash its extents in order, across the boundary where
// one extent ends and the next begins. The source is a 4.5 GiB sparse file with a few non-zero
// bytes placed around that boundary, so a byte read from the wrong extent changes the hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../electron/core/export/image.js';
import { readBack } from '../../electron/core/export/readback.js';
import { tempDir } from '../support/station.js';

const GiB = 1024 ** 3;
const SIZE = 4.5 * GiB;
// libisofs' extent limit: 4 GiB - 2048.
const EXTENT = 4 * GiB - 2048;
const MARKS = [0, 1_000_003, EXTENT - 1, EXTENT, EXTENT + 1, 4 * GiB - 1, 4 * GiB, SIZE - 1];

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('a 4.5 GiB clip on an evidence disc', () => {
  const dir = tempDir('large-image-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('becomes a multi-extent file that reads back with the source\'s SHA-256', { timeout: 600_000 }, async () => {
    const source = path.join(dir, 'clip.MP4');
    fs.writeFileSync(source, Buffer.alloc(0));
    fs.truncateSync(source, SIZE);
    const fd = fs.openSync(source, 'r+');
    MARKS.forEach((at, i) => fs.writeSync(fd, Buffer.from([0x41 + i]), 0, 1, at));
    fs.closeSync(fd);
    const sha256 = await sha256Of(source);

    const image = path.join(dir, 'disc.iso');
    let t = performance.now();
    const { bytes } = await buildImage({ output: image, volumeId: 'LARGE_1', entries: [{ source, discPath: 'data/CAM01/clip.MP4' }] });
    const buildSeconds = (performance.now() - t) / 1000;
    expect(bytes).toBeGreaterThan(SIZE);

    const sections = execFileSync('xorriso', ['-no_rc', '-indev', image, '-find', '/data/CAM01/clip.MP4', '-exec', 'report_sections', '--'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((line) => line.startsWith('File data lba:'));
    expect(sections.length).toBeGreaterThanOrEqual(2);
    expect(sections.map((line) => Number(line.split(',')[3]))).toEqual([EXTENT, SIZE - EXTENT]);

    t = performance.now();
    const result = await readBack({ image, expect: [{ discPath: 'data/CAM01/clip.MP4', size: SIZE, sha256 }] });
    const readSeconds = (performance.now() - t) / 1000;
    expect(result.md5).toEqual({ ok: true, report: 'ok' });
    expect(result.files).toEqual([{ discPath: 'data/CAM01/clip.MP4', size: SIZE, sha256, ok: true }]);
    expect(result.ok).toBe(true);
    expect(result.imageBytes).toBe(bytes);

    // A wrong hash for the same bytes is caught: the check can fail.
    const wrong = await readBack({ image, expect: [{ discPath: 'data/CAM01/clip.MP4', size: SIZE, sha256: sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) }] });
    expect(wrong.files[0]?.problem).toBe('hash');

    const mb = bytes / 1e6;
    console.log(
      `image build ${(mb / buildSeconds).toFixed(0)} MB/s (${buildSeconds.toFixed(1)} s), ` +
        `read-back ${(mb / readSeconds).toFixed(0)} MB/s (${readSeconds.toFixed(1)} s, from disk: ${result.fromDisk}), ${sections.length} extents`,
    );
    fs.rmSync(image);
  });
});
