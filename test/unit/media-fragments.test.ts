// FragmentWatch (media/fragments.ts): tells when the first moof + mdat of a fragmented MP4 is
// whole, however the stream is cut into chunks.
import { describe, expect, it } from 'vitest';
import { FragmentWatch } from '../../electron/core/media/fragments.js';

function box(type: string, bodyBytes: number, large = false): Buffer {
  if (large) {
    const b = Buffer.alloc(16 + bodyBytes, 0x2a);
    b.writeUInt32BE(1, 0);
    b.write(type, 4, 'latin1');
    b.writeBigUInt64BE(BigInt(16 + bodyBytes), 8);
    return b;
  }
  const b = Buffer.alloc(8 + bodyBytes, 0x2a);
  b.writeUInt32BE(8 + bodyBytes, 0);
  b.write(type, 4, 'latin1');
  return b;
}

/** ftyp, moov (empty_moov), then two fragments. */
function stream(largeMdat = false): { bytes: Buffer; firstEnd: number } {
  const head = Buffer.concat([box('ftyp', 20), box('moov', 700), box('moof', 90), box('mdat', 5000, largeMdat)]);
  return { bytes: Buffer.concat([head, box('moof', 90), box('mdat', 4000)]), firstEnd: head.length };
}

function feed(bytes: Buffer, sizes: number[]): { watch: FragmentWatch; readyAt: number | null } {
  const watch = new FragmentWatch();
  let at = 0;
  let readyAt: number | null = null;
  let i = 0;
  while (at < bytes.length) {
    const n = sizes[i++ % sizes.length]!;
    const chunk = bytes.subarray(at, at + n);
    at += chunk.length;
    if (watch.push(chunk) && readyAt === null) readyAt = at;
  }
  return { watch, readyAt };
}

describe('FragmentWatch', () => {
  it('is ready exactly when the first fragment ends, for any chunking (headers split across chunks too)', () => {
    for (const large of [false, true]) {
      const { bytes, firstEnd } = stream(large);
      for (const sizes of [[bytes.length], [1], [3, 7], [5], [64], [1000, 2]]) {
        const { watch, readyAt } = feed(bytes, sizes);
        expect(watch.firstFragmentEnd).toBe(firstEnd);
        // The chunk that completed it is the first that reaches past its end.
        expect(readyAt).toBeGreaterThanOrEqual(firstEnd);
        expect(readyAt! - Math.max(...sizes)).toBeLessThan(firstEnd);
      }
    }
  });

  it('is not ready on a moov and a partial fragment, nor on an mdat without a moof before it', () => {
    const { bytes, firstEnd } = stream();
    expect(feed(bytes.subarray(0, firstEnd - 1), [100]).watch.firstFragmentEnd).toBeNull();
    const plain = Buffer.concat([box('ftyp', 20), box('mdat', 300), box('moov', 50)]);
    expect(feed(plain, [64]).watch.firstFragmentEnd).toBeNull();
  });

  it('refuses a box smaller than its own header rather than looping on it', () => {
    const bad = Buffer.concat([box('ftyp', 20), Buffer.from([0, 0, 0, 3]), Buffer.from('moof')]);
    expect(() => new FragmentWatch().push(bad)).toThrow(/not an MP4/);
  });
});
