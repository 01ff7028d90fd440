// The daily seal's pure parts: the Merkle tree (held to RFC 6962's published
// tree heads), a clip's leaf and the leaves' order, the payload as the one
// canonical serialisation, the 32-character human form and how typed or
// scanned text is read, and the day's bounds in the station's zone.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clipLeaf, leafHash, merkleRootOfLeaves, orderByVaultPath } from '../../electron/core/audit/merkle.js';
import { addDays, dayBounds, dayOf, rootOf } from '../../electron/core/audit/seal-day.js';
import { GENESIS_SEAL, readSealInput, sealCode, sealOf, sealPayload } from '../../electron/core/audit/seal-format.js';
import type { SealFields } from '../../shared/seal.js';
import { groupSealCode } from '../../shared/seal.js';

// RFC 6962's reference leaves and the tree head of each prefix (certificate-transparency's
// merkle_tree_test, the same vectors Trillian's rfc6962 package is tested with).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle root (RFC 6962)', () => {
  const leaves = CT_LEAVES.map((h) => leafHash(Buffer.from(h, 'hex')));

  it.each(CT_ROOTS.map((root, n) => [n, root] as const))('the tree of the first %i reference leaves has the published head', (n, root) => {
    expect(merkleRootOfLeaves(leaves.slice(0, n)).toString('hex')).toBe(root);
  });

  it('does not give a duplicated last leaf the same root (the flaw of trees that pair it with itself)', () => {
    expect(merkleRootOfLeaves(leaves.slice(0, 3)).equals(merkleRootOfLeaves([...leaves.slice(0, 3), leaves[2]!]))).toBe(false);
  });
});

describe("a day's clips as leaves", () => {
  const a = { vaultPath: '2026/11/27/DSJ-1/A.MP4', hashAlgorithm: 'sha256', hash: 'aa'.repeat(32), size: 10 };
  const b = { vaultPath: '2026/11/27/DSJ-1/B.MP4', hashAlgorithm: 'sha256', hash: 'bb'.repeat(32), size: 20 };
  // Upper-case and CJK names: the order is the UTF-8 bytes', not the locale's.
  const c = { vaultPath: '2026/11/27/DSJ-1/录音.WAV', hashAlgorithm: 'sm3', hash: 'cc'.repeat(32), size: 30 };

  it('is a canonical JSON of path, algorithm, hash and size, behind the leaf prefix', () => {
    const data = Buffer.from(JSON.stringify([a.vaultPath, 'sha256', a.hash, 10]), 'utf8');
    expect(clipLeaf(a).toString('hex')).toBe(createHash('sha256').update(Buffer.from([0])).update(data).digest('hex'));
  });

  it('gives one root whatever order the clips were read in, and another for any change', () => {
    expect(orderByVaultPath([c, b, a]).map((x) => x.vaultPath)).toEqual([a.vaultPath, b.vaultPath, c.vaultPath]);
    const root = rootOf(orderByVaultPath([a, b, c]));
    expect(rootOf(orderByVaultPath([c, a, b]))).toBe(root);
    expect(rootOf(orderByVaultPath([a, b]))).not.toBe(root);
    expect(rootOf(orderByVaultPath([a, { ...b, hash: 'bd'.repeat(32) }, c]))).not.toBe(root);
    expect(rootOf(orderByVaultPath([a, { ...b, size: 21 }, c]))).not.toBe(root);
  });

  it('has a defined root for a day without clips: SHA-256 of nothing', () => {
    expect(rootOf([])).toBe(CT_ROOTS[0]);
  });
});

const FIELDS: SealFields = {
  station: '城关派出所采集站',
  day: '2026-11-27',
  dayStartAt: Date.UTC(2026, 10, 26, 16),
  dayEndAt: Date.UTC(2026, 10, 27, 16),
  number: 7,
  madeAt: Date.UTC(2026, 10, 27, 16, 1),
  clipsThrough: 1234,
  auditSeq: 5678,
  auditHash: 'ab'.repeat(32),
  clipCount: 12,
  merkleRoot: 'cd'.repeat(32),
  previous: 'ef'.repeat(32),
};

describe('the seal written down', () => {
  const seal = sealOf(FIELDS);

  it('carries every field in its payload, in QR alphanumeric characters only, and hashes that text', () => {
    expect(seal.payload).toMatch(/^ES-SEAL1\/[0-9A-Z/-]+$/);
    expect(seal.payload.split('/')).toHaveLength(13);
    expect(seal.digest).toBe(createHash('sha256').update(seal.payload).digest('hex'));
    expect(seal.complete).toBe(true);
    expect(sealOf({ ...FIELDS, madeAt: FIELDS.dayEndAt - 1 }).complete).toBe(false);
  });

  it('changes its digest for a change of any field', () => {
    const changed: Array<Partial<SealFields>> = [
      { station: '另一站' },
      { day: '2026-11-28' },
      { dayStartAt: FIELDS.dayStartAt + 1 },
      { dayEndAt: FIELDS.dayEndAt + 1 },
      { number: 8 },
      { madeAt: FIELDS.madeAt + 1 },
      { clipsThrough: 1235 },
      { auditSeq: 5679 },
      { auditHash: 'ac'.repeat(32) },
      { clipCount: 11 },
      { merkleRoot: 'ce'.repeat(32) },
      { previous: GENESIS_SEAL },
    ];
    const digests = new Set([seal.digest, ...changed.map((c) => sealOf({ ...FIELDS, ...c }).digest)]);
    expect(digests.size).toBe(changed.length + 1);
  });

  it('reads its payload back as scanned, typed in lower case (Caps Lock) or with the Enter a scanner adds', () => {
    for (const text of [seal.payload, seal.payload.toLowerCase(), `  ${seal.payload}\r\n`]) {
      expect(readSealInput(text)).toEqual({ kind: 'payload', fields: FIELDS });
    }
    expect(sealPayload(FIELDS)).toBe(seal.payload);
  });

  it('refuses a payload that is not canonical, incomplete or of another format', () => {
    const parts = seal.payload.split('/');
    const withLeadingZero = [...parts.slice(0, 6), `0${parts[6]}`, ...parts.slice(7)].join('/');
    expect(readSealInput(withLeadingZero)).toMatchObject({ kind: 'unreadable' });
    expect(readSealInput(parts.slice(0, 12).join('/'))).toMatchObject({ kind: 'unreadable', why: expect.stringMatching(/incomplete/) });
    expect(readSealInput(`ES-SEAL9/${parts.slice(1).join('/')}`)).toMatchObject({ kind: 'unreadable', why: expect.stringMatching(/unknown seal format/) });
    expect(readSealInput(seal.payload.replace(parts[9]!, 'XYZ'))).toMatchObject({ kind: 'unreadable' });
  });

  it('has a 32-character human form: Crockford base32 of the first 20 bytes of the digest', () => {
    expect(seal.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/);
    expect(sealCode('00'.repeat(32))).toBe('0'.repeat(32));
    expect(sealCode('ff'.repeat(32))).toBe('Z'.repeat(32));
    // 0x08 0x42 … = 00001 00001 00001 …: every group of five bits is 1.
    expect(sealCode('0842108421084210842108421084210842108421' + '00'.repeat(12))).toBe('1'.repeat(32));
    expect(groupSealCode(seal.code).split(' ')).toEqual(seal.code.match(/.{4}/g));
  });

  it('reads the human form however it is typed: groups, dashes, lower case, and O, I, L for 0, 1, 1', () => {
    const grouped = groupSealCode(seal.code);
    for (const text of [seal.code, grouped, grouped.replace(/ /g, '-'), grouped.toLowerCase()]) {
      expect(readSealInput(text)).toEqual({ kind: 'code', code: seal.code });
    }
    expect(readSealInput('0I1L '.repeat(8))).toEqual({ kind: 'code', code: '0111'.repeat(8) });
    expect(readSealInput('O'.repeat(32))).toEqual({ kind: 'code', code: '0'.repeat(32) });
    expect(readSealInput(seal.code.slice(0, 31))).toMatchObject({ kind: 'unreadable' });
    expect(readSealInput(`${seal.code.slice(0, 31)}U`)).toMatchObject({ kind: 'unreadable' });
  });
});

describe("the sealed day's bounds", () => {
  it('is the day of the station zone, whatever the machine says', () => {
    // 23:30 UTC on the 26th is already the 27th in Shanghai.
    expect(dayOf(Date.UTC(2026, 10, 26, 23, 30), 'Asia/Shanghai')).toBe('2026-11-27');
    expect(dayOf(Date.UTC(2026, 10, 26, 23, 30), 'UTC')).toBe('2026-11-26');
    expect(dayBounds('2026-11-27', 'Asia/Shanghai')).toEqual({ startAt: Date.UTC(2026, 10, 26, 16), endAt: Date.UTC(2026, 10, 27, 16) });
  });

  it('rolls over month and year ends, and a day of a daylight-saving change is 23 or 25 hours', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    const spring = dayBounds('2026-03-29', 'Europe/Berlin');
    expect(spring.endAt - spring.startAt).toBe(23 * 3600_000);
    const autumn = dayBounds('2026-10-25', 'Europe/Berlin');
    expect(autumn.endAt - autumn.startAt).toBe(25 * 3600_000);
  });
});
