// The packaged icons in build/ (issue 19, part 5), read back with parsers of their own (not the
// writers of scripts/make-icons.mjs): each container holds the sizes the platforms look for, each
// entry is a PNG of the size its entry claims, and none is older than build/icon.svg.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const build = path.resolve(import.meta.dirname, '../../build');
const read = (name: string) => fs.readFileSync(path.join(build, name));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR, the chunk that must come first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG signature').toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface IcoEntry {
  width: number;
  height: number;
  bitCount: number;
  png: Buffer;
}

function parseIco(file: Buffer): IcoEntry[] {
  expect(file.readUInt16LE(0), 'ICO reserved word').toBe(0);
  expect(file.readUInt16LE(2), 'ICO type 1 (icon)').toBe(1);
  const count = file.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const at = 6 + 16 * i;
    const length = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    expect(offset + length).toBeLessThanOrEqual(file.length);
    return {
      width: file.readUInt8(at) || 256,
      height: file.readUInt8(at + 1) || 256,
      bitCount: file.readUInt16LE(at + 6),
      png: file.subarray(offset, offset + length),
    };
  });
}

function parseIcns(file: Buffer): Map<string, Buffer> {
  expect(file.toString('latin1', 0, 4)).toBe('icns');
  expect(file.readUInt32BE(4), 'the ICNS length is the file length').toBe(file.length);
  const entries = new Map<string, Buffer>();
  for (let at = 8; at < file.length; ) {
    const type = file.toString('latin1', at, at + 4);
    const length = file.readUInt32BE(at + 4);
    expect(length).toBeGreaterThan(8);
    expect(at + length).toBeLessThanOrEqual(file.length);
    entries.set(type, file.subarray(at + 8, at + length));
    at += length;
  }
  return entries;
}

describe('build/ icons', () => {
  it('icon.png is 512×512', () => {
    expect(pngSize(read('icon.png'))).toEqual({ width: 512, height: 512 });
  });

  it('icon.ico holds 16 to 256 px, each entry a 32-bit PNG of the size it claims', () => {
    const entries = parseIco(read('icon.ico'));
    expect(entries.map((e) => e.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const e of entries) {
      expect(e.height).toBe(e.width);
      expect(e.bitCount).toBe(32);
      expect(pngSize(e.png)).toEqual({ width: e.width, height: e.height });
    }
  });

  it('icon.icns holds ic07 to ic10 (128 to 1024 px), each a PNG of its size', () => {
    const entries = parseIcns(read('icon.icns'));
    const sizes = { ic07: 128, ic08: 256, ic09: 512, ic10: 1024 };
    expect([...entries.keys()]).toEqual(Object.keys(sizes));
    for (const [type, size] of Object.entries(sizes)) {
      expect(pngSize(entries.get(type)!), type).toEqual({ width: size, height: size });
    }
  });

  it('the icons were made from the icon.svg in the tree', () => {
    const digest = createHash('sha256').update(read('icon.svg')).digest('hex');
    const recorded = read('icons.sha256').toString('utf8').split(/\s+/)[0];
    expect(recorded, 'build/icon.svg changed after the icons were made: run npm run icons').toBe(digest);
  });
});
