import fs from 'node:fs/promises';
import type { CopyPool } from './copy/pool.js';
import type { ClipRow, IngestRepository } from './repository.js';
import type { Vault } from './vault.js';

export interface VaultProblem {
  clipId: number;
  vaultPath: string;
  problem: 'missing' | 'mismatch' | 'unreadable';
  expected: string;
  actual: string | null;
  message: string;
}

export interface VaultVerification {
  clips: number;
  bytes: number;
  ok: number;
  problems: VaultProblem[];
  /** How many were re-read from the disk itself rather than from memory. */
  readFromMedium: number;
}

/** Clips held in memory at once: a vault of millions is walked a page at a time. */
const PAGE = 256;

/**
 * `station verify`: re-hashes every clip in the vault (from the medium where
 * the filesystem allows) and reports each one missing or no longer equal to
 * the hash taken when it was read off the camera.
 */
export async function verifyVault(
  deps: { repo: IngestRepository; vault: Vault; pool: CopyPool },
  onProgress?: (done: number, total: number) => void,
): Promise<VaultVerification> {
  const total = deps.repo.clipCount();
  const result: VaultVerification = { clips: 0, bytes: 0, ok: 0, problems: [], readFromMedium: 0 };
  let done = 0;
  const check = async (c: ClipRow) => {
    const file = deps.vault.absolute(c.vault_path);
    try {
      await fs.lstat(file);
    } catch {
      result.problems.push({ clipId: c.id, vaultPath: c.vault_path, problem: 'missing', expected: c.hash, actual: null, message: '证据库中找不到该文件。 / The file is missing from the vault.' });
      return;
    }
    try {
      const h = await deps.pool.hash(file, c.hash_algorithm);
      result.bytes += h.bytes;
      if (h.readFrom === 'medium') result.readFromMedium++;
      if (h.hash === c.hash && h.bytes === c.size) result.ok++;
      else
        result.problems.push({
          clipId: c.id,
          vaultPath: c.vault_path,
          problem: 'mismatch',
          expected: c.hash,
          actual: h.hash,
          message: '文件内容与入库时的哈希不符：文件被改动或损坏。 / The file no longer matches the hash taken when it was stored: it was altered or damaged.',
        });
    } catch (e) {
      result.problems.push({ clipId: c.id, vaultPath: c.vault_path, problem: 'unreadable', expected: c.hash, actual: null, message: `无法读取 / cannot be read: ${(e as Error).message}` });
    } finally {
      onProgress?.(++done, Math.max(total, done));
    }
  };
  // A page at a time; within it as many at once as the pool has workers (the pool queues the rest).
  // Clips committed during the walk (ingest goes on) are checked too when their ids come after.
  for (let page = deps.repo.clipsAfter(0, PAGE); page.length > 0; page = deps.repo.clipsAfter(page.at(-1)!.id, PAGE)) {
    result.clips += page.length;
    await Promise.all(page.map(check));
  }
  return result;
}
