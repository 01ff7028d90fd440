// The daily audit seal (issue 19): seals are made each day and on demand and
// chained, and `station audit verify --seal` catches what the station's own
// checks cannot: someone with write access rewrote a clip, removed another
// with its audit row, recomputed the whole chain and its anchor and removed
// the stored seal. `station audit verify` calls that station intact; the
// seal's QR text does not. The station is made through the core with
// emulated camera footage; the attack is made with the real sqlite3 tool and
// plain file writes; the verdicts come from the real CLI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../shared/domain.js';
import type { SealVerification, SealView } from '../../shared/seal.js';
import { groupSealCode } from '../../shared/seal.js';
import { removeAfterEach, undoAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { BADGE, clipRows, SERIAL, stationWithCamera, type FaultStation } from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';
import { forgeAndReseal } from '../support/audit-forgery.js';
import { removeClipFiles, removeClipRowSql, removeCommittedRowSql, rewriteClipFile, rewriteClipRowSql, rewriteCommittedRowSql } from '../support/vault-attack.js';

const cleanup = undoAfterEach();
const removeLater = removeAfterEach();
const HOUR = 3600_000;
/** 2026-11-28 00:00 in Shanghai: the end of T0's day. */
const MIDNIGHT = Date.UTC(2026, 10, 27, 16, 0, 0);

/** A station with an administrator, an officer and a camera whose footage was ingested at T0. */
async function stationWithFootage(): Promise<FaultStation & { clips: number }> {
  const t = await stationWithCamera();
  cleanup(t.close);
  const m = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
  removeLater(path.dirname(m.root));
  const r = await t.station.ingestFolder(m.root);
  expect(r.summary?.state).toBe('done');
  return { ...t, clips: clipRows(t.station).length };
}

async function cliVerifySeal(dir: string, seal: string): Promise<{ code: number | null; result: SealVerification; stdout: string; stderr: string }> {
  const json = await runStation(['audit', 'verify', '--data', dir, '--seal', seal, '--json']);
  const human = await runStation(['audit', 'verify', '--data', dir, '--seal', seal]);
  expect(human.code).toBe(json.code);
  return { code: json.code, result: JSON.parse(json.stdout) as SealVerification, stdout: human.stdout, stderr: human.stderr };
}

describe('the daily seal', () => {
  it('seals each ended day once and on demand, chained, and a seal of an untouched station verifies', async () => {
    const t = await stationWithFootage();
    // A new station seals nothing for the days before it existed.
    expect(await t.station.sealDue()).toEqual([]);

    const now = await t.cli.ok('audit.seal.make', {});
    expect(now).toMatchObject({ number: 1, day: '2026-11-27', complete: false, clipCount: t.clips, previous: '0'.repeat(64), madeAt: T0 });
    expect(now.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/);
    // Its file: beside the database, named by day and number, read-only, with the clips it holds.
    expect(now.file).toBe(path.join(t.dataDir, 'seals', '2026-11-27.seal-1.json'));
    expect(fs.statSync(now.file!).mode & 0o777).toBe(0o400);
    const file = JSON.parse(fs.readFileSync(now.file!, 'utf8')) as { digest: string; clips: Array<{ clipId: number }> };
    expect(file.digest).toBe(now.digest);
    expect(file.clips.map((c) => c.clipId).sort((a, b) => a - b)).toEqual(clipRows(t.station).map((c) => c.id));
    // Its audit row names the head before it.
    const row = (await t.cli.ok('audit.list', { limit: 1 })).entries[0]!;
    expect(row).toMatchObject({ seq: now.auditRow, action: 'audit.seal', objectType: 'seal', objectId: '1', after: { digest: now.digest, code: now.code } });
    expect(now.auditSeq).toBe(now.auditRow - 1);
    expect(now.auditHash).toBe(row.prevHash);

    // The day is sealed a minute after it ends (a commit begun before midnight has landed), once.
    t.clock.set(MIDNIGHT + 30_000);
    expect(await t.station.sealDue()).toEqual([]);
    t.clock.set(MIDNIGHT + 90_000);
    const daily = await t.station.sealDue();
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({ number: 2, day: '2026-11-27', complete: true, clipCount: t.clips, merkleRoot: now.merkleRoot, previous: now.digest });
    expect(await t.station.sealDue()).toEqual([]);

    // Off for two days: the last ended day is sealed, the day without clips between is not.
    t.clock.set(MIDNIGHT + 2 * 24 * HOUR + 9 * HOUR);
    const later = await t.station.sealDue();
    expect(later.map((s) => [s.number, s.day, s.clipCount, s.previous])).toEqual([[3, '2026-11-29', 0, daily[0]!.digest]]);

    const list = await t.cli.ok('audit.seals', {});
    expect(list.total).toBe(3);
    expect(list.seals.map((s) => s.number)).toEqual([3, 2, 1]);
    expect((await t.cli.ok('audit.seals', { beforeRow: list.seals[0]!.auditRow, limit: 1 })).seals.map((s) => s.number)).toEqual([2]);

    // Untouched: every seal verifies by its QR text and by its code (the audit log went on meanwhile).
    for (const s of [now, ...daily, ...later]) {
      for (const text of [s.payload, groupSealCode(s.code)]) {
        const v = await t.cli.ok('audit.seal.verify', { seal: text });
        expect({ text, ok: v.ok, findings: v.findings }).toEqual({ text, ok: true, findings: [] });
      }
    }
    const unreadable = await t.cli.call('audit.seal.verify', { seal: 'not a seal' });
    expect(unreadable).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('a full rewrite passes `audit verify` but not `audit verify --seal`, which names the row and the clips', async () => {
    const t = await stationWithFootage();
    t.clock.set(MIDNIGHT + 90_000);
    const [seal] = (await t.station.sealDue()) as [SealView];
    expect(seal).toMatchObject({ day: '2026-11-27', complete: true, clipCount: t.clips });
    // The station goes on working after the seal, so the rewritten chain still reaches the sealed head.
    await t.cli.ok('people.create', { badge: '100002', name: '李保管', roles: ['custodian'] });
    await t.cli.ok('devices.register', { serial: 'DSJ-F2', model: 'DSJ-V8' });
    const clips = clipRows(t.station);
    await t.close();

    const original = t.dataDir;
    const copy = () => {
      const dir = removeLater(tempDir('station-seal-attack-'));
      fs.cpSync(original, dir, { recursive: true });
      return dir;
    };

    // Untouched, the seal verifies from the CLI too.
    const clean = copy();
    expect((await cliVerifySeal(clean, seal.payload)).code).toBe(0);
    const byCode = await cliVerifySeal(clean, groupSealCode(seal.code));
    expect(byCode.code).toBe(0);
    expect(byCode.stdout).toContain(`封存核验通过：第 1 号封存（2026-11-27，封存码 ${groupSealCode(seal.code)}）`);

    // The attack, on a copy (test/support/vault-attack.ts, audit-forgery.ts): clip A's bytes,
    // row, sidecar and commit row rewritten; clip B's file, sidecar, rows and commit row removed;
    // the seal's own row removed; the chain recomputed whole and the anchor rewritten to match.
    const attack = async (options: { keepSealFile: boolean }) => {
      const dir = copy();
      const vault = path.join(dir, 'vault');
      const [a, b] = [clips.find((c) => c.kind === 'video' && c.damaged === 0)!, clips.find((c) => c.kind === 'audio')!];
      const forged = rewriteClipFile(vault, a.vault_path);
      removeClipFiles(vault, b.vault_path);
      await forgeAndReseal(
        dir,
        [
          rewriteClipRowSql(a.id, forged),
          rewriteCommittedRowSql(a.id, forged),
          removeClipRowSql(b.id),
          removeCommittedRowSql(b.id),
          "DELETE FROM audit WHERE action = 'audit.seal';",
        ].join('\n'),
      );
      if (!options.keepSealFile) fs.rmSync(path.join(dir, 'seals'), { recursive: true });
      return { dir, a, b };
    };

    const { dir } = await attack({ keepSealFile: false });
    // Without the seal, the station vouches for itself: the rewritten chain is intact.
    const plain = await runStation(['audit', 'verify', '--data', dir, '--json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout) as AuditVerification).toMatchObject({ intact: true });

    // With the seal's QR text, nothing stored on the station is needed to see it.
    const byPayload = await cliVerifySeal(dir, seal.payload);
    expect(byPayload.code).toBe(1);
    expect(byPayload.result.ok).toBe(false);
    expect(byPayload.result.findings.map((f) => f.kind)).toEqual(['audit_row_changed', 'seal_row_missing', 'seal_file_missing', 'clips_differ', 'clips_unnamed']);
    expect(byPayload.result.findings[0]!.params).toEqual({ seq: seal.auditSeq });
    expect(byPayload.result.findings[3]!.params).toEqual({ day: '2026-11-27', sealed: t.clips, now: t.clips - 1 });
    expect(byPayload.stdout).toContain('封存核验未通过！');
    expect(byPayload.stdout).toContain(`审计记录 #${seal.auditSeq} 已不是封存时的内容`);
    expect(byPayload.stdout).toContain(`封存时 ${t.clips} 个，现在 ${t.clips - 1} 个`);
    expect(byPayload.stderr).toContain(`Audit row #${seal.auditSeq} is not the row that was sealed`);

    // With the code alone, the station has no record left to check it against: said, and what to do.
    const byCode2 = await cliVerifySeal(dir, seal.code.toLowerCase());
    expect(byCode2.code).toBe(1);
    expect(byCode2.result).toMatchObject({ ok: false, given: 'code', seal: null });
    expect(byCode2.result.findings.map((f) => f.kind)).toEqual(['record_not_found']);
    expect(byCode2.stdout).toContain('请扫描封存单上的二维码');

    // Had the seal's file survived, the code finds it, and its list names each clip.
    const kept = await attack({ keepSealFile: true });
    const named = await cliVerifySeal(kept.dir, groupSealCode(seal.code));
    expect(named.code).toBe(1);
    expect(named.result.findings.map((f) => f.kind)).toEqual(['audit_row_changed', 'seal_row_missing', 'clips_differ', 'clip_missing', 'clip_changed']);
    expect(named.result.findings.find((f) => f.kind === 'clip_missing')!.params).toEqual({ clipId: kept.b.id, vaultPath: kept.b.vault_path });
    expect(named.result.findings.find((f) => f.kind === 'clip_changed')!.params).toMatchObject({ clipId: kept.a.id, vaultPath: kept.a.vault_path, sealedHash: kept.a.hash });
    expect(named.stdout).toContain(`封存的片段 #${kept.b.id}（${kept.b.vault_path}）已不在索引中`);
  });
});
