// How the copy engine names a failure: errno → kind, on each side of the copy,
// and the trip through a worker's message port.
import { describe, expect, it } from 'vitest';
import { allocateRing, paddedLength } from '../../electron/core/ingest/copy/aligned.js';
import { CopyError, copyErrorKinds, isCopyErrorWire, sourceError, vaultError } from '../../electron/core/ingest/copy/errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('error classification', () => {
  it.each([
    ['ENOENT', 'source_vanished'],
    ['EIO', 'source_vanished'],
    ['ENODEV', 'source_vanished'],
    ['ENXIO', 'source_vanished'],
    ['ENOTCONN', 'source_vanished'],
    ['ECONNABORTED', 'source_vanished'],
    ['ESTALE', 'source_vanished'],
    ['EACCES', 'source_unreadable'],
    ['EPERM', 'source_unreadable'],
    ['ELOOP', 'source_unreadable'],
    ['EISDIR', 'source_unreadable'],
    ['EINVAL', 'source_unreadable'],
  ])('on the camera, %s is %s', (code, kind) => {
    const error = sourceError(errno(code), 'read', '/media/cam/DCIM/0001.MP4');
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.detail).toContain('/media/cam/DCIM/0001.MP4');
  });

  it.each([
    ['ENOSPC', 'vault_full'],
    ['EDQUOT', 'vault_full'],
    ['EIO', 'vault_io'],
    ['EROFS', 'vault_io'],
    ['EEXIST', 'vault_io'],
    ['ENOENT', 'vault_io'],
  ])('in the vault, %s is %s', (code, kind) => {
    expect(vaultError(errno(code), 'write', '/vault/incoming/x.part').kind).toBe(kind);
  });

  it('keeps an error that is already classified', () => {
    const changed = new CopyError('source_changed', 'grew');
    expect(sourceError(changed, 'read', 'x')).toBe(changed);
    expect(vaultError(changed, 'write', 'y')).toBe(changed);
  });

  it('every kind has a Chinese and an English message that says what to do', () => {
    for (const kind of copyErrorKinds) {
      const error = new CopyError(kind, 'detail');
      expect(error.messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(error.messages.en).toMatch(/^[A-Z]/);
      expect(error.message).toContain(error.messages.en);
    }
  });

  it('survives the trip through a worker (structured clone of the wire form)', () => {
    const error = sourceError(errno('ENOTCONN'), 'read', '/media/cam/0001.MP4');
    error.leftover = '/vault/incoming/0001.part';
    const wire = structuredClone(error.toWire());
    expect(isCopyErrorWire(wire)).toBe(true);
    const back = CopyError.fromWire(wire);
    expect(back).toBeInstanceOf(CopyError);
    expect(back).toMatchObject({ kind: 'source_vanished', code: 'ENOTCONN', detail: error.detail, leftover: error.leftover });
    expect(isCopyErrorWire({ name: 'CopyError', kind: 'nonsense' })).toBe(false);
  });
});

describe('aligned buffer ring', () => {
  it('gives equal, non-overlapping views of one page-aligned memory', () => {
    const ring = allocateRing(128 * 1024, 3);
    expect(ring.buffers).toHaveLength(3);
    ring.buffers.forEach((b, i) => {
      expect(b.length).toBe(128 * 1024);
      expect(b.byteOffset).toBe(i * 128 * 1024);
      expect(b.buffer).toBe(ring.buffers[0]!.buffer);
    });
    ring.buffers[1]!.fill(7);
    expect(ring.buffers[0]!.every((x) => x === 0)).toBe(true);
    expect(ring.buffers[2]!.every((x) => x === 0)).toBe(true);
  });

  it('refuses sizes that are not whole WebAssembly pages', () => {
    expect(() => allocateRing(4096, 2)).toThrow(RangeError);
    expect(() => allocateRing(65536, 0)).toThrow(RangeError);
  });

  it('pads the last O_DIRECT transfer to whole 4 KiB blocks', () => {
    expect(paddedLength(0)).toBe(0);
    expect(paddedLength(1)).toBe(4096);
    expect(paddedLength(4096)).toBe(4096);
    expect(paddedLength(4097)).toBe(8192);
  });
});
