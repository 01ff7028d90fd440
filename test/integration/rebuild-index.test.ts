// Issue 3 item 6: `station rebuild-index` recreates the clip index from the
// vault alone, and it equals the original. Station A ingests an emulated
// camera; station B is a fresh data folder that knows nothing but a copy of
// A's vault folder; B's rebuilt clip rows are compared with A's, column by column.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { RebuildReport } from '../../electron/core/ingest/rebuild.js';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { removeAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';
const removeLater = removeAfterEach();

async function cli(args: string[], expectedCode = 0): Promise<string> {
  const r = await runStation(args, { stdin: `${PASSWORD}\n${PASSWORD}\n` });
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(expectedCode);
  return r.stdout;
}

/** A set-up station with officer 100001 registered, as every station that knows its people would have. */
async function station(name: string): Promise<string> {
  const data = path.join(tempDir(`station-rebuild-${name}-`), 'data');
  removeLater(path.dirname(data));
  await cli(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长']);
  await cli(['users', 'add', '--data', data, '--badge', '100001', '--name', '张执法', '--role', 'officer']);
  return data;
}

/**
 * Every clip row, keyed by vault path, without what belongs to one database
 * rather than to the evidence: the row id, the dock session (a rebuilt row
 * has none), and the registry's ids, replaced by the device's serial and the
 * officer's badge they stand for.
 */
function clipIndex(data: string): Map<string, Record<string, unknown>> {
  const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare<[], ClipRow & { device_serial: string; officer_badge: string | null }>(
        `SELECT clip.*, device.serial AS device_serial, person.badge AS officer_badge
           FROM clip JOIN device ON device.id = clip.device_id LEFT JOIN person ON person.id = clip.officer_id`,
      )
      .all();
    return new Map(
      rows.map(({ id: _id, dock_session_id: _session, device_id: _device, officer_id: _officer, ...evidence }) => [evidence.vault_path, evidence]),
    );
  } finally {
    db.close();
  }
}

describe('station rebuild-index', () => {
  it('recreates the clip index from the vault alone, equal to the original', async () => {
    const a = await station('a');
    await cli(['devices', 'add', '--data', a, '--serial', 'DSJ-R1', '--model', 'DSJ-V8', '--keeper', '100001']);
    const m = await camera({ serial: 'DSJ-R1', badge: '100001' });
    removeLater(path.dirname(m.root));
    await cli(['ingest', m.root, '--data', a]);
    const original = clipIndex(a);
    const footage = m.files.filter((f) => f.expected !== 'not-footage');
    expect(original.size).toBe(footage.length);
    expect([...original.values()].filter((r) => r.damaged === 1)).toHaveLength(2);
    expect([...original.values()].every((r) => r.officer_badge === '100001' && r.device_serial === 'DSJ-R1')).toBe(true);

    // On A itself: everything is already there.
    const onA = JSON.parse(await cli(['rebuild-index', '--data', a, '--json'])) as RebuildReport;
    expect(onA).toMatchObject({ scanned: footage.length, restored: 0, present: footage.length, devicesCreated: [], conflicts: [] });
    expect(clipIndex(a)).toEqual(original);

    // B: a fresh data folder and a copy of A's vault folder, nothing else.
    const vaultCopy = path.join(tempDir('station-rebuild-vault-'), 'vault');
    removeLater(path.dirname(vaultCopy));
    fs.cpSync(path.join(a, 'vault'), vaultCopy, { recursive: true, preserveTimestamps: true });
    const b = await station('b');
    expect(clipIndex(b).size).toBe(0);
    const human = await cli(['rebuild-index', '--data', b, '--vault', vaultCopy]);
    expect(human).toContain(`Index rebuilt from the vault: ${footage.length} sidecar file(s) read.`);
    expect(human).toMatch(new RegExp(`恢复 restored\\s+${footage.length}\\n`));
    expect(human).toMatch(/新登记的记录仪 devices created\s+1: DSJ-R1/);
    expect(human).toMatch(/冲突 conflicts\s+0/);

    const rebuilt = clipIndex(b);
    expect(rebuilt.size).toBe(original.size);
    for (const [vaultPath, row] of original) expect({ vaultPath, row: rebuilt.get(vaultPath) }).toEqual({ vaultPath, row });
    const dbB = new Database(path.join(b, 'station.sqlite'), { readonly: true });
    expect(dbB.prepare('SELECT count(*) AS n FROM clip WHERE dock_session_id IS NOT NULL').get()).toEqual({ n: 0 });
    dbB.close();

    // The rebuilt index and the copied vault agree byte for byte; a second rebuild adds nothing.
    await cli(['verify', '--data', b, '--vault', vaultCopy]);
    const again = JSON.parse(await cli(['rebuild-index', '--data', b, '--vault', vaultCopy, '--json'])) as RebuildReport;
    expect(again).toMatchObject({ restored: 0, present: footage.length, devicesCreated: [], conflicts: [] });

    // A sidecar that no longer agrees with the index is a conflict: reported, exit 1, the index untouched.
    const victim = [...original.keys()][0]!;
    const sidecarFile = path.join(vaultCopy, ...victim.split('/')) + SIDECAR_SUFFIX;
    const sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8')) as { hash: { value: string } };
    const indexHash = sidecar.hash.value;
    sidecar.hash.value = 'f'.repeat(64);
    fs.chmodSync(sidecarFile, 0o644);
    fs.writeFileSync(sidecarFile, JSON.stringify(sidecar));
    const r = await runStation(['rebuild-index', '--data', b, '--vault', vaultCopy, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as RebuildReport).conflicts).toEqual([{ vaultPath: victim, indexHash, sidecarHash: 'f'.repeat(64) }]);
    expect(r.stderr).toContain('1 conflict(s) between the index and the vault');
    expect(clipIndex(b)).toEqual(original);
  });
});
