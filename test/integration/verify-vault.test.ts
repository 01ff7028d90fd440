// `station verify`: the vault re-hashed against the index, by the real CLI.
// One clip altered by a single byte and another deleted must be named, and
// nothing else.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IngestReport } from '../../electron/core/cli/ingest-command.js';
import { VAULT_PROBLEM_KINDS, type VaultVerification } from '../../electron/core/ingest/verify-vault.js';
import { removeAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';
const removeLater = removeAfterEach();

/** A station that has offloaded one emulated camera through `station ingest`; returns its summary. */
async function ingested(): Promise<{ data: string; report: IngestReport; cameraRoot: string }> {
  const data = tempDir('station-verify-');
  removeLater(data);
  for (const args of [
    ['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'],
    ['users', 'add', '--data', data, '--badge', '100001', '--name', '张执法', '--role', 'officer'],
    ['devices', 'add', '--data', data, '--serial', 'DSJ-V1', '--keeper', '100001'],
  ]) {
    const r = await runStation(args, { stdin: `${PASSWORD}\n${PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
  }
  const m = await camera({ serial: 'DSJ-V1', badge: '100001' });
  removeLater(path.dirname(m.root));
  const r = await runStation(['ingest', m.root, '--data', data, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return { data, report: JSON.parse(r.stdout.trim().split('\n').at(-1)!) as IngestReport, cameraRoot: m.root };
}

describe('station verify', () => {
  it('passes on an intact vault, then names exactly the altered and the missing file', async () => {
    const { data, report, cameraRoot } = await ingested();
    const vault = path.join(data, 'vault');
    const committed = report.files.filter((f) => f.state === 'committed');
    expect(committed.length).toBeGreaterThanOrEqual(5);

    const clean = await runStation(['verify', '--data', data]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(`Vault verified: all ${committed.length} file(s)`);
    const cleanJson = JSON.parse((await runStation(['verify', '--data', data, '--json'])).stdout) as VaultVerification & { vault: string };
    expect(cleanJson).toMatchObject({ vault, clips: committed.length, ok: committed.length, problems: [] });
    expect(cleanJson.bytes).toBe(report.bytes);

    // One byte changed in one clip (made writable first: the vault keeps them read-only),
    const altered = committed.find((f) => f.kind === 'video' && !f.damaged)!;
    const alteredFile = path.join(vault, altered.vaultPath!);
    expect(fs.statSync(alteredFile).mode & 0o222).toBe(0);
    fs.chmodSync(alteredFile, 0o644);
    const fd = fs.openSync(alteredFile, 'r+');
    const at = Math.floor(altered.size / 2);
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    fs.writeSync(fd, byte, 0, 1, at);
    fs.closeSync(fd);
    expect(fs.statSync(alteredFile).size).toBe(altered.size);
    // and another deleted.
    const deleted = committed.find((f) => f !== altered && f.kind === 'audio')!;
    fs.rmSync(path.join(vault, deleted.vaultPath!));

    const broken = await runStation(['verify', '--data', data, '--json']);
    expect(broken.code).toBe(1);
    const v = JSON.parse(broken.stdout) as VaultVerification;
    expect(v.problems.map((p) => [p.vaultPath, p.problem]).sort()).toEqual(
      [
        [altered.vaultPath, 'mismatch'],
        [deleted.vaultPath, 'missing'],
      ].sort(),
    );
    const mismatch = v.problems.find((p) => p.problem === 'mismatch')!;
    expect(mismatch.clipId).toBe(altered.clipId);
    expect(mismatch.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(mismatch.actual).not.toBe(mismatch.expected);
    expect(v.problems.find((p) => p.problem === 'missing')).toMatchObject({ clipId: deleted.clipId, actual: null });
    expect(v.ok).toBe(committed.length - 2);

    // The human report: each problem with its vault path, clip id and both hashes; an alarm line on stderr.
    const human = await runStation(['verify', '--data', data]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Vault check FAILED: 2 problem(s)');
    expect(human.stdout).toContain(`[内容不符 mismatch] ${altered.vaultPath}  (片段 clip #${altered.clipId})`);
    expect(human.stdout).toContain(`[文件缺失 missing] ${deleted.vaultPath}  (片段 clip #${deleted.clipId})`);
    expect(human.stdout).toMatch(new RegExp(`应为 expected\\s+${mismatch.expected}\\n\\s+实际 actual\\s+${mismatch.actual}`));
    expect(human.stdout).toMatch(/读取自 read from\s+磁盘介质 the medium \d+，内存缓存 memory \(page cache\) \d+/);
    const [medium, memory] = /the medium (\d+)，内存缓存 memory \(page cache\) (\d+)/.exec(human.stdout)!.slice(1).map(Number);
    expect(medium! + memory!).toBe(committed.length - 1); // every file that was there was read
    expect(human.stderr.split('\n').filter((l) => l.startsWith('证据库问题 / Vault problem'))).toHaveLength(2);
    // And what to do about the missing one (ingest-vault-lost.test.ts shows it done).
    expect(human.stdout).toContain('Missing files: if the camera still holds the file, docking it again');
    expect(human.stdout).toContain("Altered files: report them to the general office at once; delete or overwrite nothing. If the camera still holds the original, docking it again moves the altered file, as it is, to the vault's .altered folder");

    // On the board: one alarm for the vault check, though it ran twice, saying how many clips it
    // found in each state (the board's sentence for each: test/unit/alarm-text.test.ts).
    const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
    try {
      const alarms = db
        .prepare<[], { serial: string | null; details_json: string }>("SELECT serial, details_json FROM alarm WHERE kind = 'verify_failure' AND resolved_at IS NULL")
        .all();
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.serial).toBeNull();
      expect(JSON.parse(alarms[0]!.details_json)).toEqual({
        found: { ...Object.fromEntries(VAULT_PROBLEM_KINDS.map((k) => [k, 0])), missing: 1, mismatch: 1 },
        problems: expect.arrayContaining([
          { vaultPath: altered.vaultPath, problem: 'mismatch', clipId: altered.clipId },
          { vaultPath: deleted.vaultPath, problem: 'missing', clipId: deleted.clipId },
        ]),
      });
      // For the docks, only the altered clip is kept (a missing one a dock finds by itself).
      expect(db.prepare('SELECT clip_id, actual_hash FROM vault_altered').all()).toEqual([{ clip_id: altered.clipId, actual_hash: mismatch.actual }]);
    } finally {
      db.close();
    }

    // The camera still holds both originals: `station ingest` puts the missing one back and the
    // altered one in place of the altered file, which it keeps under .altered/; the vault checks out.
    const again = await runStation(['ingest', cameraRoot, '--data', data]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Put back in the vault (the vault had lost its copy):\n  ${deleted.path}\n`);
    expect(again.stdout).toContain(`Original put back (the vault's copy had been altered; it is kept in .altered):\n  ${altered.path}\n`);
    const kept = fs.readdirSync(path.join(vault, '.altered'), { recursive: true }) as string[];
    expect(kept.filter((f) => f.endsWith(path.basename(altered.vaultPath!)))).toHaveLength(1);
    const healed = await runStation(['verify', '--data', data]);
    expect(healed.code, healed.stdout + healed.stderr).toBe(0);
  });
});
