// Someone with the sqlite3 command-line tool and write access to the data
// folder edits or removes audit rows; `station audit verify` must name the
// first broken row and exit 1. The database is made through the core, closed,
// copied fresh for each case, tampered with by the real sqlite3 binary, and
// checked by the real CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../shared/domain.js';
import { rowHash } from '../../electron/core/audit/log.js';
import { auditRows as rows, sqlite3, sqlValue as quote, type StoredAuditRow as StoredRow } from '../support/audit-forgery.js';
import { runStation } from '../support/cli.js';
import { tempDir, withAdmin } from '../support/station.js';

let original: string;
const copies: string[] = [];
/** A fresh copy of the untouched data folder (database and audit anchor). */
function copy(): { dir: string; db: string } {
  const dir = tempDir('station-tamper-');
  copies.push(dir);
  fs.cpSync(original, dir, { recursive: true });
  return { dir, db: path.join(dir, 'station.sqlite') };
}

async function verify(dir: string): Promise<{ code: number | null; result: AuditVerification }> {
  const r = await runStation(['audit', 'verify', '--data', dir, '--json']);
  return { code: r.code, result: JSON.parse(r.stdout) as AuditVerification };
}

/** Row 5 edited, and it and every row after it re-hashed and re-linked: a chain whose every link holds. */
async function rewriteChainFrom5(db: string): Promise<void> {
  let prev: string | null = null;
  const updates: string[] = [];
  for (const r of await rows(db)) {
    if (r.seq < 5) continue;
    const forged: StoredRow = { ...r, prev_hash: prev ?? r.prev_hash, after_json: r.seq === 5 ? r.after_json!.replace('王审计', '赵某人') : r.after_json };
    forged.hash = rowHash(forged);
    prev = forged.hash;
    updates.push(`UPDATE audit SET after_json = ${quote(forged.after_json)}, prev_hash = ${quote(forged.prev_hash)}, hash = ${quote(forged.hash)} WHERE seq = ${r.seq};`);
  }
  await sqlite3(db, `${DROP_TRIGGERS} ${updates.join('\n')}`);
}

// The triggers are defence in depth: they stop the station's own code, not
// someone holding the file. Tampering starts by dropping them, as an attacker would.
const DROP_TRIGGERS = 'DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;';

beforeAll(async () => {
  const t = await withAdmin();
  original = t.dataDir;
  const custodian = await t.admin.ok('people.create', { badge: '100200', name: '李保管', roles: ['custodian'] });
  const auditor = await t.admin.ok('people.create', { badge: '100300', name: '王审计', roles: ['auditor'] });
  const camera = await t.admin.ok('devices.register', { serial: 'DSJ-0001', model: 'X1' });
  await t.admin.ok('devices.update', { id: camera.id, keeperId: custodian.person.id });
  await t.admin.ok('devices.setStatus', { id: camera.id, status: 'out_of_service', reason: '镜头损坏 / lens broken' });
  expect(auditor.person.badge).toBe('100300');
  // The seqs the cases below name: 王审计's row is #5, the last row #8 (#1 is the vault made and bound at the first start).
  const actions = (await t.admin.ok('audit.list', {})).entries.map((e) => `${e.seq} ${e.action}`).reverse();
  expect(actions).toEqual([
    '1 vault.bound',
    '2 station.setup',
    '3 auth.login',
    '4 person.created',
    '5 person.created',
    '6 device.registered',
    '7 device.keeper_changed',
    '8 device.status_changed',
  ]);
  expect(await t.admin.ok('audit.verify', {})).toMatchObject({ intact: true, rows: 8, headSeq: 8 });
  t.close();
});

afterAll(() => {
  for (const d of [...copies, original]) fs.rmSync(d, { recursive: true, force: true });
});

describe('audit tampering with the sqlite3 tool', () => {
  it('an untouched database verifies intact (exit 0)', async () => {
    const { dir } = copy();
    const { code, result } = await verify(dir);
    expect(code).toBe(0);
    expect(result).toMatchObject({ intact: true, rows: 8, headSeq: 8 });
    const human = await runStation(['audit', 'verify', '--data', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('审计链完整：共 8 条记录，最新为 #8');
  });

  it('an edited row is named by its own seq (hash_mismatch)', async () => {
    const { dir, db } = copy();
    // The update trigger would refuse the edit; it guards the station's own code, not the file.
    await sqlite3(db, `DROP TRIGGER audit_no_update;
      UPDATE audit SET after_json = replace(after_json, '王审计', '赵某人') WHERE seq = 5;`);
    expect((await rows(db))[4]!.after_json).toContain('赵某人'); // the edit really happened

    const { code, result } = await verify(dir);
    expect(code).toBe(1);
    expect(result).toMatchObject({ intact: false, firstBrokenSeq: 5, reason: 'hash_mismatch' });

    const human = await runStation(['audit', 'verify', '--data', dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('第一条出问题的记录：#5');
    expect(human.stdout).toContain('First broken row: #5 (row edited, hash_mismatch)');
    expect(human.stdout).toContain('person.created'); // the row as it is stored now
    expect(human.stderr).toContain('审计记录 #5 的内容与其哈希不符');
  });

  it('a deleted middle row is named by the row after it (chain_mismatch)', async () => {
    const { dir, db } = copy();
    await sqlite3(db, `${DROP_TRIGGERS} DELETE FROM audit WHERE seq = 5;`);
    expect((await rows(db)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 6, 7, 8]);

    const { code, result } = await verify(dir);
    expect(code).toBe(1);
    expect(result).toMatchObject({ intact: false, firstBrokenSeq: 6, reason: 'chain_mismatch' });
  });

  it('a deleted last row is caught through the anchor file (truncated)', async () => {
    const { dir, db } = copy();
    await sqlite3(db, `${DROP_TRIGGERS} DELETE FROM audit WHERE seq = 8;`);
    expect((await rows(db)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const { code, result } = await verify(dir);
    expect(code).toBe(1);
    // The chain that is left is self-consistent; only the anchor outside the database knows row 8 existed.
    expect(result).toMatchObject({ intact: false, firstBrokenSeq: 8, reason: 'truncated' });
  });

  it('an edited row whose hash was recomputed breaks the link to the next row', async () => {
    const { dir, db } = copy();
    const row5 = (await rows(db))[4]!;
    const forged = { ...row5, after_json: row5.after_json!.replace('王审计', '赵某人') };
    await sqlite3(db, `${DROP_TRIGGERS}
      UPDATE audit SET after_json = ${quote(forged.after_json)}, hash = ${quote(rowHash(forged))} WHERE seq = 5;`);

    const { code, result } = await verify(dir);
    expect(code).toBe(1);
    expect(result).toMatchObject({ intact: false, firstBrokenSeq: 6, reason: 'chain_mismatch' });
  });

  it('a chain rewritten from an edited row to the end is caught by the anchor', async () => {
    const { dir, db } = copy();
    await rewriteChainFrom5(db);

    const { code, result } = await verify(dir);
    expect(code).toBe(1);
    // Every link holds now; the head no longer carries the hash the anchor recorded.
    expect(result).toMatchObject({ intact: false, firstBrokenSeq: 8, reason: 'hash_mismatch' });
  });

  it('a chain rewritten whole with the anchor removed is not taken as intact (anchor_missing)', async () => {
    // Whoever rewrote the chain would delete the anchor first: "no anchor" once meant "nothing to
    // compare" and the rewritten chain verified intact.
    const { dir, db } = copy();
    await rewriteChainFrom5(db);
    fs.rmSync(path.join(dir, 'audit-anchor.json'));
    const gone = await verify(dir);
    expect(gone.code).toBe(1);
    expect(gone.result).toMatchObject({ intact: false, firstBrokenSeq: 8, reason: 'anchor_missing' });
    // A garbled anchor is no anchor either.
    fs.writeFileSync(path.join(dir, 'audit-anchor.json'), '{"seq": "eight"}');
    expect((await verify(dir)).result).toMatchObject({ intact: false, reason: 'anchor_missing', message: expect.stringMatching(/cannot be read or is not an anchor/) });
  });
});
