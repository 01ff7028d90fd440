// What someone holding the station's files can do to its database with the sqlite3 tool: run any
// SQL, and then make the audit chain whole again, every row re-hashed and re-linked and the anchor
// rewritten to match, so that `station audit verify` finds it intact. The attack tests use it to
// show what each check catches when the chain itself is forged (tamper-full-rewrite.test.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GENESIS_HASH, rowHash, type AuditRow } from '../../electron/core/audit/log.js';

/** Runs SQL through the sqlite3 binary; resolves to its stdout, rejects on any error (-bail). */
export function sqlite3(dbFile: string, sql: string, mode: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sqlite3', ['-bail', ...mode, dbFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && err === '' ? resolve(out) : reject(new Error(`sqlite3 exited ${code}: ${err}`))));
    child.stdin.end(sql);
  });
}

/** A value as an SQL literal. */
export const sqlValue = (v: unknown): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

/** An audit row as the table holds it (the sqlite3 tool's -json output). */
export type StoredAuditRow = AuditRow;

export async function auditRows(dbFile: string): Promise<StoredAuditRow[]> {
  return JSON.parse((await sqlite3(dbFile, 'SELECT * FROM audit ORDER BY seq;', ['-json'])) || '[]') as StoredAuditRow[];
}

const AUDIT_COLUMNS = ['seq', 'at', 'actor_kind', 'actor_id', 'actor_label', 'action', 'object_type', 'object_id', 'before_json', 'after_json', 'prev_hash', 'hash'] as const;

/**
 * Runs `sql` on the closed station's database (its triggers that refuse audit edits dropped first,
 * as an attacker would, and put back after), then forges the chain: from the first row that no
 * longer holds, every row is renumbered so no seq is skipped, re-linked and re-hashed, and the
 * anchor file is written for the new head. `station audit verify` then says intact.
 */
export async function forgeAndReseal(dataDir: string, sql: string): Promise<void> {
  const db = path.join(dataDir, 'station.sqlite');
  const triggers = (await sqlite3(db, "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit';")).trim();
  const drop = (await sqlite3(db, "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit';")).trim();
  await sqlite3(db, `${drop}\n${sql}`);
  const rows = await auditRows(db);
  let prev = GENESIS_HASH;
  let from = rows.length;
  const forged: StoredAuditRow[] = rows.map((r, i) => {
    const { hash: _old, ...rest } = { ...r, seq: i + 1, prev_hash: prev };
    const hash = rowHash(rest);
    if (hash !== r.hash || r.seq !== i + 1) from = Math.min(from, i);
    prev = hash;
    return { ...rest, hash };
  });
  const rewritten = forged.slice(from);
  const inserts = rewritten.map((r) => `INSERT INTO audit (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map((c) => sqlValue(r[c])).join(', ')});`);
  const firstOld = rows[from]?.seq;
  await sqlite3(db, `BEGIN;\n${firstOld === undefined ? '' : `DELETE FROM audit WHERE seq >= ${firstOld};`}\n${inserts.join('\n')}\nCOMMIT;\n${triggers}`);
  const head = forged.at(-1);
  if (head) fs.writeFileSync(path.join(dataDir, 'audit-anchor.json'), JSON.stringify({ seq: head.seq, hash: head.hash }), { mode: 0o600 });
}
