// The steps of the attack issue 19's security review found, for the tests that show what
// `station verify` catches of it: a local account rewrites a clip's bytes and makes its index row
// and sidecar agree, and removes another clip (file, sidecar, row and every row naming it). The
// audit log is the attacker's to forge or not (audit-forgery.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sidecar } from '../../electron/core/ingest/vault.js';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { sqlValue } from './audit-forgery.js';

/** What a rewritten clip now is. */
export interface Rewritten {
  hash: string;
  size: number;
}

/**
 * Rewrites a clip's file in the vault (made writable first: the station keeps it 0400, and puts
 * the mode back after) with other bytes of another length, and its sidecar to match. Returns the
 * new hash and size, which the caller writes into the index.
 */
export function rewriteClipFile(vaultRoot: string, vaultPath: string): Rewritten {
  const file = path.join(vaultRoot, ...vaultPath.split('/'));
  const original = fs.readFileSync(file);
  const forged = Buffer.concat([Buffer.from('forged recording '), original.subarray(0, Math.max(0, original.length - 4096))]);
  fs.chmodSync(file, 0o600);
  fs.writeFileSync(file, forged);
  fs.chmodSync(file, 0o400);
  const rewritten = { hash: createHash('sha256').update(forged).digest('hex'), size: forged.length };
  const sidecarFile = file + SIDECAR_SUFFIX;
  const sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8')) as Sidecar;
  fs.chmodSync(sidecarFile, 0o600);
  fs.writeFileSync(sidecarFile, `${JSON.stringify({ ...sidecar, hash: { ...sidecar.hash, value: rewritten.hash }, original: { ...sidecar.original, size: rewritten.size } }, null, 2)}\n`);
  fs.chmodSync(sidecarFile, 0o400);
  return rewritten;
}

/** SQL that makes a clip's index row say what `rewriteClipFile` left. */
export function rewriteClipRowSql(clipId: number, r: Rewritten): string {
  return `UPDATE clip SET hash = ${sqlValue(r.hash)}, size = ${r.size} WHERE id = ${clipId};`;
}

/** Removes a clip's file and its sidecar from the vault. */
export function removeClipFiles(vaultRoot: string, vaultPath: string): void {
  const file = path.join(vaultRoot, ...vaultPath.split('/'));
  fs.rmSync(file);
  fs.rmSync(file + SIDECAR_SUFFIX);
}

/**
 * SQL that removes a clip's row and every row naming it (the sqlite3 tool does not enforce
 * foreign keys, but a careful attacker leaves no row pointing at nothing), and takes it off its
 * dock's counts.
 */
export function removeClipRowSql(clipId: number): string {
  return `
    UPDATE dock_session SET files_total = files_total - 1, files_committed = files_committed - 1,
      bytes_total = bytes_total - (SELECT size FROM clip WHERE id = ${clipId})
      WHERE id = (SELECT dock_session_id FROM clip WHERE id = ${clipId});
    DELETE FROM outside_recording_clip WHERE clip_id = ${clipId};
    DELETE FROM clip_moved WHERE clip_id = ${clipId};
    DELETE FROM vault_altered WHERE clip_id = ${clipId};
    DELETE FROM ingest_file WHERE clip_id = ${clipId};
    DELETE FROM clip WHERE id = ${clipId};`;
}

/** SQL that removes the audit row recording a clip's commit. */
export function removeCommittedRowSql(clipId: number): string {
  return `DELETE FROM audit WHERE action = 'clip.committed' AND object_id = '${clipId}';`;
}

/** SQL that makes the audit row recording a clip's commit say what `rewriteClipFile` left. */
export function rewriteCommittedRowSql(clipId: number, r: Rewritten): string {
  return `UPDATE audit SET after_json = json_set(after_json, '$.hash', ${sqlValue(r.hash)}, '$.size', ${r.size})
    WHERE action = 'clip.committed' AND object_id = '${clipId}';`;
}
