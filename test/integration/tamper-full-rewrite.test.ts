// Issue 19's attack, end to end through the real CLI: a local account that holds the station's files
// rewrites one clip's bytes, its index row and its sidecar to match, and removes another clip (file,
// sidecar, index row and every row naming it). `station verify` used to check only what the edited
// index listed, and passed.
//
// What catches what:
// - An attacker who leaves the audit log alone: `station audit verify` is intact (nothing in it was
//   touched), and `station verify` names both clips, the rewritten one by its hash and size against
//   its clip.committed row, the removed one by the clip.committed row that still records it.
// - An attacker who also rewrites those audit rows and forges the chain and its anchor: the audit
//   log verifies intact and agrees with the index, so the cross-check has nothing to hold them to.
//   A clip removed from the middle of the index still leaves a gap in the clip ids, which verify
//   names (but not what the clip was); one removed from the end leaves nothing. That is the daily
//   seal's to catch: a seal made before the attack, read back from its printed QR code, names the
//   rewritten audit head and the clips that differ (test/integration/audit-seal.test.ts has more).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../shared/domain.js';
import type { SealVerification, SealView } from '../../shared/seal.js';
import type { IngestReport } from '../../electron/core/cli/ingest-command.js';
import type { VaultVerification } from '../../electron/core/ingest/verify-vault.js';
import { forgeAndReseal, sqlite3 } from '../support/audit-forgery.js';
import { removeAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { tempDir } from '../support/station.js';
import {
  removeClipFiles,
  removeClipRowSql,
  removeCommittedRowSql,
  rewriteClipFile,
  rewriteClipRowSql,
  rewriteCommittedRowSql,
} from '../support/vault-attack.js';

const PASSWORD = 'correct horse battery';
const removeLater = removeAfterEach();

let original = '';
let committed: IngestReport['files'] = [];
let sheet: SealView;

beforeAll(async () => {
  original = tempDir('station-attack-');
  for (const args of [
    ['init', '--data', original, '--admin-badge', '000001', '--admin-name', '张站长'],
    ['users', 'add', '--data', original, '--badge', '100001', '--name', '张执法', '--role', 'officer'],
    ['devices', 'add', '--data', original, '--serial', 'DSJ-A1', '--keeper', '100001'],
  ]) {
    const r = await runStation(args, { stdin: `${PASSWORD}\n${PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
  }
  const m = await camera({ serial: 'DSJ-A1', badge: '100001' });
  const r = await runStation(['ingest', m.root, '--data', original, '--json']);
  fs.rmSync(path.dirname(m.root), { recursive: true, force: true });
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as IngestReport;
  committed = report.files.filter((f) => f.state === 'committed').sort((a, b) => a.clipId! - b.clipId!);
  expect(committed.length).toBeGreaterThanOrEqual(5);
  // Before the attack, both checks pass.
  expect((await runStation(['verify', '--data', original])).code).toBe(0);
  expect((await runStation(['audit', 'verify', '--data', original])).code).toBe(0);
  // 综合处 seals the day so far and files the sheet: its QR text is what the attacker cannot reach.
  const sealed = await runStation(['audit', 'seal', '--data', original, '--json']);
  expect(sealed.code, sealed.stderr).toBe(0);
  sheet = (JSON.parse(sealed.stdout) as { seal: SealView }).seal;
});

afterAll(() => fs.rmSync(original, { recursive: true, force: true }));

/** A fresh copy of the station's data folder (database, anchor, vault) to attack. */
function copy(): { dataDir: string; db: string; vault: string } {
  const dataDir = removeLater(tempDir('station-attacked-'));
  fs.cpSync(original, dataDir, { recursive: true });
  return { dataDir, db: path.join(dataDir, 'station.sqlite'), vault: path.join(dataDir, 'vault') };
}

async function auditVerify(dataDir: string): Promise<{ code: number | null; result: AuditVerification }> {
  const r = await runStation(['audit', 'verify', '--data', dataDir, '--json']);
  return { code: r.code, result: JSON.parse(r.stdout) as AuditVerification };
}

async function vaultVerify(dataDir: string): Promise<{ code: number | null; result: VaultVerification }> {
  const r = await runStation(['verify', '--data', dataDir, '--json']);
  return { code: r.code, result: JSON.parse(r.stdout) as VaultVerification };
}

/** What a clip's bytes hash to in the untouched station. */
const storedHash = (vaultPath: string) => createHash('sha256').update(fs.readFileSync(path.join(original, 'vault', ...vaultPath.split('/')))).digest('hex');

/** The clip to rewrite: a recording that plays. */
const rewrittenClip = () => committed.find((f) => f.kind === 'video' && !f.damaged)!;

describe("issue 19's attack on the vault and the index", () => {
  it('the attacker leaves the audit log alone: the audit log is intact, and station verify names both clips against their clip.committed rows', async () => {
    const { dataDir, db, vault } = copy();
    const rewritten = rewrittenClip();
    const removed = committed.find((f) => f !== rewritten && f.kind === 'audio')!;
    const forged = rewriteClipFile(vault, rewritten.vaultPath!);
    removeClipFiles(vault, removed.vaultPath!);
    await sqlite3(db, `${rewriteClipRowSql(rewritten.clipId!, forged)}\n${removeClipRowSql(removed.clipId!)}`);

    // As the attacker meant: the audit log holds, every link and the anchor.
    const audit = await auditVerify(dataDir);
    expect(audit.code).toBe(0);
    expect(audit.result).toMatchObject({ intact: true });

    const { code, result } = await vaultVerify(dataDir);
    expect(code).toBe(1);
    expect(result.problems.map((p) => [p.problem, p.clipId, p.vaultPath])).toEqual([
      ['audit_mismatch', rewritten.clipId, rewritten.vaultPath],
      ['committed_not_indexed', removed.clipId, removed.vaultPath],
    ]);
    expect(result.problems[0]!.fields).toEqual([
      { field: 'hash', index: forged.hash, audit: storedHash(rewritten.vaultPath!) },
      { field: 'size', index: forged.size, audit: rewritten.size },
    ]);
    expect(result.problems[1]).toMatchObject({ expected: storedHash(removed.vaultPath!) });
    expect(result).toMatchObject({ clips: committed.length - 1, ok: committed.length - 2 });

    // The human report groups the findings by kind, each with both values, and says what to do; stderr has a line each.
    const human = await runStation(['verify', '--data', dataDir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Vault check FAILED: 2 problem(s)');
    expect(human.stdout).toContain(`与审计记录不符 audit_mismatch (1)\n  [与审计记录不符 audit_mismatch] ${rewritten.vaultPath}  (片段 clip #${rewritten.clipId}，审计记录 audit #`);
    expect(human.stdout).toMatch(new RegExp(`哈希 hash，索引 index\\s+${forged.hash}\\n\\s+哈希 hash，审计 audit\\s+${storedHash(rewritten.vaultPath!)}\\n`));
    expect(human.stdout).toMatch(new RegExp(`大小 size，索引 index\\s+${forged.size}\\n\\s+大小 size，审计 audit\\s+${rewritten.size}\\n`));
    expect(human.stdout).toContain(`索引中已无此片段 committed_not_indexed (1)\n  [索引中已无此片段 committed_not_indexed] ${removed.vaultPath}  (片段 clip #${removed.clipId}，审计记录 audit #`);
    expect(human.stdout).toContain('The index disagrees with the audit log: clip rows were changed or removed after the clips were stored.');
    expect(human.stderr.split('\n').filter((l) => l.startsWith('证据库问题 / Vault problem'))).toEqual([
      `证据库问题 / Vault problem: audit_mismatch ${vault}/${rewritten.vaultPath} (clip #${rewritten.clipId})`,
      `证据库问题 / Vault problem: committed_not_indexed ${vault}/${removed.vaultPath} (clip #${removed.clipId})`,
    ]);
  });

  it('the attacker forges the audit log too, removing the newest clip: both checks pass, and the seal printed before catches it', async () => {
    const { dataDir, vault } = copy();
    const rewritten = rewrittenClip();
    const removed = committed.at(-1)!;
    expect(removed).not.toBe(rewritten);
    const forged = rewriteClipFile(vault, rewritten.vaultPath!);
    removeClipFiles(vault, removed.vaultPath!);
    await forgeAndReseal(
      dataDir,
      [
        rewriteClipRowSql(rewritten.clipId!, forged),
        rewriteCommittedRowSql(rewritten.clipId!, forged),
        removeClipRowSql(removed.clipId!),
        removeCommittedRowSql(removed.clipId!),
      ].join('\n'),
    );

    const audit = await auditVerify(dataDir);
    expect(audit.code).toBe(0);
    expect(audit.result).toMatchObject({ intact: true });
    // The limit of what the station can see of itself: the index, the vault and the audit log all
    // agree, as the attacker made them. Nothing in them is left to compare with.
    const { code, result } = await vaultVerify(dataDir);
    expect(code).toBe(0);
    expect(result).toMatchObject({ clips: committed.length - 1, ok: committed.length - 1, problems: [] });

    // The seal printed before the attack, read back from its QR code, is what catches it: the
    // sealed audit head is no longer in the chain, and the day's clips are not the sealed ones.
    const bySeal = await runStation(['audit', 'verify', '--data', dataDir, '--seal', sheet.payload, '--json']);
    expect(bySeal.code).toBe(1);
    const v = JSON.parse(bySeal.stdout) as SealVerification;
    expect(v.ok).toBe(false);
    const kinds = v.findings.map((f) => f.kind);
    expect(kinds).toContain('audit_row_changed');
    expect(kinds).toContain('clips_differ');
    expect(v.now).toMatchObject({ clipCount: committed.length - 1 });
    // The seal's own file (not touched here) still lists the clips: the removed and the rewritten one are named.
    const named = v.findings.filter((f) => f.kind === 'clip_missing' || f.kind === 'clip_changed').map((f) => [f.kind, f.params.vaultPath]);
    expect(named).toEqual(expect.arrayContaining([['clip_missing', removed.vaultPath], ['clip_changed', rewritten.vaultPath]]));
  });

  it('the attacker forges the audit log too, removing a clip from the middle: station verify names only the gap its id left', async () => {
    const { dataDir, vault } = copy();
    const rewritten = rewrittenClip();
    const removed = committed.find((f) => f !== rewritten && f.clipId! > committed[0]!.clipId! && f.clipId! < committed.at(-1)!.clipId!)!;
    const forged = rewriteClipFile(vault, rewritten.vaultPath!);
    removeClipFiles(vault, removed.vaultPath!);
    await forgeAndReseal(
      dataDir,
      [
        rewriteClipRowSql(rewritten.clipId!, forged),
        rewriteCommittedRowSql(rewritten.clipId!, forged),
        removeClipRowSql(removed.clipId!),
        removeCommittedRowSql(removed.clipId!),
      ].join('\n'),
    );
    expect((await auditVerify(dataDir)).code).toBe(0);

    const { code, result } = await vaultVerify(dataDir);
    expect(code).toBe(1);
    // The rewritten clip agrees with everything the station keeps; the removed one is only a missing id.
    expect(result.problems).toEqual([expect.objectContaining({ problem: 'index_gap', clipId: removed.clipId, lastClipId: removed.clipId, vaultPath: '' })]);
    const human = await runStation(['verify', '--data', dataDir]);
    expect(human.stdout).toContain(`[片段编号缺失 index_gap] 片段 clips #${removed.clipId}\n`);
    expect(human.stderr).toContain(`证据库问题 / Vault problem: index_gap clips #${removed.clipId}\n`);
  });
});
