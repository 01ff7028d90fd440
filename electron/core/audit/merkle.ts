// The Merkle root of a day's clips, as RFC 6962 (Certificate Transparency)
// defines the Merkle Tree Hash: leaves and inner nodes hashed with different
// prefixes (0x00, 0x01), so no inner node can pass for a leaf, and an odd
// tree split at the largest power of two below its size, so no leaf is ever
// duplicated (the Bitcoin-style tree that pairs the last leaf with itself
// gives the same root for [a, b, c] and [a, b, c, c]). A published,
// well-tested definition: the unit tests hold it to RFC 6962's own vectors.
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** The leaf hash of one entry's bytes. */
export function leafHash(data: Buffer): Buffer {
  return sha256(LEAF, data);
}

/** MTH over leaf hashes already made; the empty tree's root is SHA-256 of nothing. */
export function merkleRootOfLeaves(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  // Bottom-up, level by level, carrying an odd last node up unchanged: the same tree as RFC 6962's
  // recursive split (the left subtree is always the largest power of two), without recursion.
  let level = [...leaves];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(sha256(NODE, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** What a clip is for the seal: where the vault keeps it and what its bytes are. */
export interface ClipLeafSource {
  vaultPath: string;
  hashAlgorithm: string;
  hash: string;
  size: number;
}

/**
 * A clip's leaf: a canonical JSON array of its vault path, hash algorithm, hash and size. Not
 * its id: rebuild-index gives every clip a new id, and a seal must still hold for a rebuilt
 * index, which names the same files with the same bytes.
 */
export function clipLeaf(c: ClipLeafSource): Buffer {
  return leafHash(Buffer.from(JSON.stringify([c.vaultPath, c.hashAlgorithm, c.hash, c.size]), 'utf8'));
}

/** The leaves' order: by vault path, compared as UTF-8 bytes (a path never repeats in the vault). */
export function orderByVaultPath<T extends { vaultPath: string }>(items: readonly T[]): T[] {
  const keyed = items.map((item) => ({ item, key: Buffer.from(item.vaultPath, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map((k) => k.item);
}
