import fs from 'node:fs/promises';
import type { Db } from '../db/open.js';
import type { CopyPool } from './copy/pool.js';
import type { ClipRow, IngestRepository } from './repository.js';
import type { Vault } from './vault.js';
import { AuditCrossCheck } from './verify-audit-match.js';
import type { VaultProblem } from './verify-problems.js';
import { CLIP_ROW_KINDS, VAULT_PROBLEM_KINDS } from './verify-problems.js';
import { IndexedPaths, walkForOrphans } from './vault-orphans.js';

export type { AuditFieldDifference, VaultProblem, VaultProblemKind } from './verify-problems.js';
export { VAULT_PROBLEM_KINDS };

export interface VaultVerification {
  clips: number;
  bytes: number;
  /** Clips whose file hashes as their row says and whose row says what their entry's audit row recorded. */
  ok: number;
  problems: VaultProblem[];
  /** Files re-read whole (the others were missing or could not be read). */
  hashed: number;
  /** How many were re-read from the disk itself rather than from memory. */
  readFromMedium: number;
  /** Entries of the vault walked for files the index does not list. */
  walked: number;
  /** Copies an interrupted commit left in the vault, which the next dock of their camera adopts: not problems. */
  uncommitted: string[];
}

/** Clips held in memory at once: a vault of millions is walked a page at a time. */
const PAGE = 256;

/**
 * `station verify`: re-hashes every clip in the vault (from the medium where the filesystem
 * allows) and reports each one missing or no longer equal to the hash taken when it was read off
 * the camera; compares each clip row with the audit row written when it entered the index
 * (verify-audit-match.ts); and walks the vault for files the index does not list (vault-orphans.ts).
 */
export async function verifyVault(
  deps: { db: Db; repo: IngestRepository; vault: Vault; pool: CopyPool },
  onProgress?: (done: number, total: number) => void,
): Promise<VaultVerification> {
  const total = deps.repo.clipCount();
  const result: VaultVerification = { clips: 0, bytes: 0, ok: 0, problems: [], hashed: 0, readFromMedium: 0, walked: 0, uncommitted: [] };
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
      result.hashed++;
      if (h.readFrom === 'medium') result.readFromMedium++;
      if (h.hash !== c.hash || h.bytes !== c.size)
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
  const audit = new AuditCrossCheck(deps.db, (id) => deps.repo.clip(id));
  const indexed = new IndexedPaths(deps.db);
  /** The last clip counted in `clips`: one committed after it may be compared, but is not counted. */
  let counted = 0;
  try {
    // A page at a time; within it as many at once as the pool has workers (the pool queues the rest).
    // Clips committed during the walk (ingest goes on) are checked too when their ids come after.
    let lastId = 0;
    for (let page = deps.repo.clipsAfter(0, PAGE); page.length > 0; page = deps.repo.clipsAfter(lastId, PAGE)) {
      lastId = page.at(-1)!.id;
      result.clips += page.length;
      result.problems.push(...audit.page(page));
      indexed.add(page.map((c) => c.vault_path));
      await Promise.all(page.map(check));
    }
    counted = lastId;
    const walk = await walkForOrphans(deps.db, deps.vault.root, indexed, () => {
      for (let page = deps.repo.clipsAfter(lastId, PAGE); page.length > 0; page = deps.repo.clipsAfter(lastId, PAGE)) {
        lastId = page.at(-1)!.id;
        indexed.add(page.map((c) => c.vault_path));
      }
    });
    result.problems.push(...audit.finish(), ...walk.orphans, ...walk.unreadable);
    result.walked = walk.files;
    result.uncommitted = walk.uncommitted;
  } finally {
    indexed.close();
  }
  // In the order a person should act on them, then by clip and path: the check's own order
  // (pages hashed at once, findings settled at the end) says nothing.
  const rank = (p: VaultProblem) => VAULT_PROBLEM_KINDS.indexOf(p.problem);
  result.problems.sort((a, b) => rank(a) - rank(b) || (a.clipId ?? 0) - (b.clipId ?? 0) || (a.vaultPath < b.vaultPath ? -1 : a.vaultPath > b.vaultPath ? 1 : 0));
  const notOk = new Set(result.problems.flatMap((p) => (p.clipId !== null && p.clipId <= counted && CLIP_ROW_KINDS.has(p.problem) ? [p.clipId] : [])));
  result.ok = result.clips - notOk.size;
  return result;
}
