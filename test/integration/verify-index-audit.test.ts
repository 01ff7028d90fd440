// `station verify` holds the index to the audit log (issue 19): each clip row against the audit row
// written when it was stored, every clip row with such a row, every clip such a row records still
// in the index. A real station with an emulated camera's clips, altered with the sqlite3 tool and
// by hand as someone holding its files would, then verified; one finding of each kind, named with
// what it was compared with, and nothing else.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { sqlite3, sqlValue } from '../support/audit-forgery.js';
import { ingestedCopies } from '../support/ingested-copies.js';
import { removeClipFiles, removeClipRowSql, removeCommittedRowSql, rewriteClipFile, rewriteClipRowSql } from '../support/vault-attack.js';

const station = ingestedCopies();
const dbOf = (dataDir: string) => path.join(dataDir, 'station.sqlite');
const vaultOf = (dataDir: string) => path.join(dataDir, 'vault');

/** The seq of the clip.committed row of a clip, read from the untouched copy. */
async function committedSeq(dataDir: string, clipId: number): Promise<number> {
  return Number((await sqlite3(dbOf(dataDir), `SELECT seq FROM audit WHERE action = 'clip.committed' AND object_id = '${clipId}';`)).trim());
}

/** A clip of the ingested camera that is neither the first nor the newest: removing it leaves ids on both sides. */
const middleClip = () => station.clips()[Math.floor(station.clips().length / 2)]!;

describe('station verify against the audit log', () => {
  it('finds nothing on an untouched station: every clip hashed, every row as its audit row recorded, the vault walked', async () => {
    const t = station.open(station.copy());
    const report = await t.station.verifyVault();
    const clips = station.clips().length;
    expect(report).toMatchObject({ clips, ok: clips, hashed: clips, problems: [], uncommitted: [] });
    // Every clip and its sidecar, beside the vault's marker and .incoming, which are the station's own.
    expect(report.walked).toBe(2 * clips);
  });

  it("names a clip whose bytes, row and sidecar were rewritten alike: its hash and size against its clip.committed row's", async () => {
    const dataDir = station.copy();
    const clip = station.clips().find((c) => c.kind === 'video' && c.damaged === 0)!;
    const seq = await committedSeq(dataDir, clip.id);
    const forged = rewriteClipFile(vaultOf(dataDir), clip.vault_path);
    await sqlite3(dbOf(dataDir), rewriteClipRowSql(clip.id, forged));

    const t = station.open(dataDir);
    const report = await t.station.verifyVault();
    // The file hashes as its row now says: only the audit row still knows what was stored.
    expect(report.problems).toEqual([
      {
        clipId: clip.id,
        vaultPath: clip.vault_path,
        problem: 'audit_mismatch',
        expected: null,
        actual: null,
        auditSeq: seq,
        fields: [
          { field: 'hash', index: forged.hash, audit: clip.hash },
          { field: 'size', index: forged.size, audit: clip.size },
        ],
        message: expect.stringMatching(new RegExp(`^片段 #${clip.id} 的索引记录与其入库时的审计记录 #${seq} 不符（哈希：索引为 ${forged.hash}，审计记录为 ${clip.hash}；大小.*/ Clip #${clip.id}'s row in the index differs from audit row #${seq}`, 'su')),
      },
    ]);
    expect(report.ok).toBe(station.clips().length - 1);

    // The vault check's alarm for 综合处 says what was found, and the check's audit row too.
    const db = new Database(dbOf(dataDir), { readonly: true });
    try {
      const alarm = db.prepare<[], { details_json: string }>("SELECT details_json FROM alarm WHERE kind = 'verify_failure' AND resolved_at IS NULL").get()!;
      const details = JSON.parse(alarm.details_json) as { found: Record<string, number>; problems: unknown[] };
      expect(details.found).toMatchObject({ audit_mismatch: 1, mismatch: 0, missing: 0, committed_not_indexed: 0, orphan_file: 0 });
      expect(details.problems).toEqual([{ vaultPath: clip.vault_path, problem: 'audit_mismatch', clipId: clip.id, auditSeq: seq, fields: report.problems[0]!.fields }]);
      const verified = db.prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'vault.verified' ORDER BY seq DESC LIMIT 1").get()!;
      expect(JSON.parse(verified.after_json)).toMatchObject({ problems: [{ clipId: clip.id, problem: 'audit_mismatch', auditSeq: seq }] });
      // Only an altered file is kept for the docks to put back; here the file is as its row says.
      expect(db.prepare('SELECT count(*) AS n FROM vault_altered').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('names a clip moved within the vault with its row: its vault path against the one recorded', async () => {
    const dataDir = station.copy();
    const clip = middleClip();
    const moved = `${path.posix.dirname(clip.vault_path)}/moved-${path.posix.basename(clip.vault_path)}`;
    for (const suffix of ['', SIDECAR_SUFFIX]) {
      fs.renameSync(path.join(vaultOf(dataDir), clip.vault_path + suffix), path.join(vaultOf(dataDir), moved + suffix));
    }
    await sqlite3(dbOf(dataDir), `UPDATE clip SET vault_path = ${sqlValue(moved)} WHERE id = ${clip.id};`);

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems).toEqual([
      expect.objectContaining({ clipId: clip.id, vaultPath: moved, problem: 'audit_mismatch', fields: [{ field: 'vaultPath', index: moved, audit: clip.vault_path }] }),
    ]);
  });

  it('names a clip whose clip.committed row is gone (audit_missing)', async () => {
    const dataDir = station.copy();
    const clip = middleClip();
    await sqlite3(dbOf(dataDir), `DROP TRIGGER audit_no_delete; ${removeCommittedRowSql(clip.id)}`);

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems).toEqual([
      {
        clipId: clip.id,
        vaultPath: clip.vault_path,
        problem: 'audit_missing',
        expected: clip.hash,
        actual: null,
        message: expect.stringMatching(/^索引中的片段 #\d+ 没有入库审计记录（clip\.committed）.* \/ Clip #\d+ has no audit row recording how it entered the index/su),
      },
    ]);
    expect(report.ok).toBe(station.clips().length - 1);
  });

  it('names a clip removed from the index, file and sidecar too, that its clip.committed row still records (committed_not_indexed)', async () => {
    const dataDir = station.copy();
    const clip = middleClip();
    const seq = await committedSeq(dataDir, clip.id);
    removeClipFiles(vaultOf(dataDir), clip.vault_path);
    await sqlite3(dbOf(dataDir), removeClipRowSql(clip.id));

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems).toEqual([
      {
        clipId: clip.id,
        vaultPath: clip.vault_path,
        problem: 'committed_not_indexed',
        expected: clip.hash,
        actual: null,
        auditSeq: seq,
        message: expect.stringMatching(new RegExp(`^审计记录 #${seq} 记载片段 #${clip.id}（${clip.vault_path}）已入库，但索引中没有该片段.* / Audit row #${seq} records clip #${clip.id} \\(${clip.vault_path}\\) as stored, but the index no longer holds it`, 'su')),
      },
    ]);
    // Every clip the index holds is as it should be.
    expect(report).toMatchObject({ clips: station.clips().length - 1, ok: station.clips().length - 1 });
  });

  it('names the newest clip removed from the index when its clip.committed row is left, though no id after it shows the gap', async () => {
    const dataDir = station.copy();
    const newest = station.clips().at(-1)!;
    removeClipFiles(vaultOf(dataDir), newest.vault_path);
    await sqlite3(dbOf(dataDir), removeClipRowSql(newest.id));

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems.map((p) => [p.problem, p.clipId])).toEqual([['committed_not_indexed', newest.id]]);
  });

  it('names the ids of clips removed with their clip.committed rows from the middle of the index (index_gap), as it cannot say what they were', async () => {
    const dataDir = station.copy();
    const [a, b] = station.clips().slice(1, 3);
    for (const clip of [a!, b!]) removeClipFiles(vaultOf(dataDir), clip.vault_path);
    await sqlite3(dbOf(dataDir), `DROP TRIGGER audit_no_delete; ${[a!, b!].map((c) => removeClipRowSql(c.id) + removeCommittedRowSql(c.id)).join('\n')}`);

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems).toEqual([
      {
        clipId: a!.id,
        lastClipId: b!.id,
        vaultPath: '',
        problem: 'index_gap',
        expected: null,
        actual: null,
        message: expect.stringMatching(new RegExp(`^索引中没有片段 #${a!.id}–#${b!.id}，而片段编号从不跳号.* / The index has no clip #${a!.id}–#${b!.id}, though clip ids are never skipped`, 'su')),
      },
    ]);
  });
});
