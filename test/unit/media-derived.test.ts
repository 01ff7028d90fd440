// The derived/ folder (media/derived.ts): a clip's place by its content hash alone, never inside
// the vault, never a path made of anything but hex, and files that appear whole or not at all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DerivedStore } from '../../electron/core/media/derived.js';

const dirs: string[] = [];
const temp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'media-derived-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const key = { hash_algorithm: 'sha256', hash: 'ab'.repeat(32) };

describe('DerivedStore', () => {
  it('places a clip by algorithm and hash under <data>/derived, fanned out by the first two hex digits', () => {
    const data = temp();
    const store = new DerivedStore(data, path.join(data, 'vault'));
    expect(store.fileOf(key, 'poster.jpg')).toBe(path.join(data, 'derived', 'sha256', 'ab', key.hash, 'poster.jpg'));
    expect(store.fileOf({ hash_algorithm: 'sm3', hash: key.hash }, 'poster.jpg')).toBe(path.join(data, 'derived', 'sm3', 'ab', key.hash, 'poster.jpg'));
  });

  it('refuses a hash or algorithm that is not plain hex / a plain name, so no path can be walked out of', () => {
    const data = temp();
    const store = new DerivedStore(data, path.join(data, 'vault'));
    expect(() => store.folderOf({ hash_algorithm: 'sha256', hash: '../../etc' })).toThrow(/not a content hash/);
    expect(() => store.folderOf({ hash_algorithm: '../x', hash: key.hash })).toThrow(/not a content hash/);
  });

  it('refuses to live inside the vault', () => {
    const data = temp();
    expect(() => new DerivedStore(data, data)).toThrow(/inside the vault/);
    expect(() => new DerivedStore(path.join(data, 'vault', 'inner'), path.join(data, 'vault'))).toThrow(/inside the vault/);
  });

  it('writes atomically: nothing at the target while produced, no temporary left after success or failure, folders 0700 and files 0600', async () => {
    const data = temp();
    const store = new DerivedStore(data, path.join(data, 'vault'));
    const folder = store.ensureFolder(key);
    const target = store.fileOf(key, 'poster.jpg');
    await store.writeAtomic({ target }, async ({ target: t }) => {
      fs.writeFileSync(t, 'half');
      expect(fs.existsSync(target)).toBe(false);
      fs.appendFileSync(t, ' and whole');
    });
    expect(fs.readFileSync(target, 'utf8')).toBe('half and whole');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(data, 'derived')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    await expect(
      store.writeAtomic({ contact: store.fileOf(key, 'contact.jpg') }, async ({ contact }) => {
        fs.writeFileSync(contact, 'partial');
        throw new Error('ffmpeg died');
      }),
    ).rejects.toThrow('ffmpeg died');
    expect(fs.readdirSync(folder)).toEqual(['poster.jpg']);
  });
});
