// `station verify` walks the vault for what the index does not list (issue 19): a clip's file and
// sidecar left behind when its row was removed, a file put there by hand, a sidecar on its own.
// Each is named and none is deleted. The station's own bookkeeping (the incoming area and what an
// interrupted copy leaves there, the altered files a dock set aside, the vault marker and its
// temporary, lost+found) is not evidence outside the index, and neither is a copy a crash left
// between the vault and the index, which the next dock of its camera adopts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { VAULT_MARKER } from '../../electron/core/ingest/vault-guard.js';
import { sqlite3 } from '../support/audit-forgery.js';
import { identify } from '../support/ingest.js';
import { clipRows } from '../support/ingest-faults.js';
import { ingestedCopies } from '../support/ingested-copies.js';
import { removeClipRowSql, removeCommittedRowSql } from '../support/vault-attack.js';

const station = ingestedCopies();
const dbOf = (dataDir: string) => path.join(dataDir, 'station.sqlite');
const vaultOf = (dataDir: string) => path.join(dataDir, 'vault');
const inVault = (dataDir: string, vaultPath: string) => path.join(vaultOf(dataDir), ...vaultPath.split('/'));

function put(dataDir: string, vaultPath: string, bytes: string | Buffer): void {
  fs.mkdirSync(path.dirname(inVault(dataDir, vaultPath)), { recursive: true });
  fs.writeFileSync(inVault(dataDir, vaultPath), bytes);
}

describe('station verify walks the vault for files the index does not list', () => {
  it('names a file put beside the clips, one in a folder of its own and a sidecar on its own, and deletes none of them', async () => {
    const dataDir = station.copy();
    const clip = station.clips()[0]!;
    const folder = path.posix.dirname(clip.vault_path);
    const planted = `${folder}/PLANTED.MP4`;
    const elsewhere = '2020/01/01/DSJ-X/OTHER.MP4';
    const loneSidecar = `${folder}/GONE.MP4${SIDECAR_SUFFIX}`;
    put(dataDir, planted, 'not a recording the station stored');
    put(dataDir, elsewhere, 'nor this');
    fs.copyFileSync(inVault(dataDir, clip.vault_path + SIDECAR_SUFFIX), inVault(dataDir, loneSidecar));

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems.map((p) => [p.problem, p.vaultPath, p.clipId]).sort()).toEqual(
      [
        ['orphan_file', planted, null],
        ['orphan_file', elsewhere, null],
        ['orphan_sidecar', loneSidecar, null],
      ].sort(),
    );
    expect(report.problems.find((p) => p.vaultPath === planted)!.message).toMatch(
      new RegExp(`^证据库中的文件 ${planted} 不在索引中.*未删除任何文件.* / ${planted} is in the vault but not in the index.*Nothing was deleted`, 'su'),
    );
    expect(report.problems.find((p) => p.vaultPath === loneSidecar)!.message).toMatch(/^证据库中的附属文件 .* \/ The sidecar .* describes no clip the index holds/su);
    // Every clip itself is as stored: the findings are about the vault, not the clips.
    expect(report).toMatchObject({ clips: station.clips().length, ok: station.clips().length, walked: 2 * station.clips().length + 3 });
    for (const p of [planted, elsewhere, loneSidecar]) expect(fs.existsSync(inVault(dataDir, p)), p).toBe(true);
  });

  it("names the file and sidecar a removed clip row left behind, beside the clip.committed row that still records it", async () => {
    const dataDir = station.copy();
    const clip = station.clips()[2]!;
    await sqlite3(dbOf(dataDir), removeClipRowSql(clip.id));

    const report = await station.open(dataDir).station.verifyVault();
    expect(report.problems.map((p) => [p.problem, p.vaultPath, p.clipId])).toEqual([
      ['committed_not_indexed', clip.vault_path, clip.id],
      ['orphan_file', clip.vault_path, null],
      ['orphan_sidecar', clip.vault_path + SIDECAR_SUFFIX, null],
    ]);
  });

  it("takes none of the station's own bookkeeping for evidence outside the index", async () => {
    const dataDir = station.copy();
    const vault = vaultOf(dataDir);
    // A copy an interrupted offload left in the incoming area, with its sidecar's temporary (swept at the next start).
    put(dataDir, '.incoming/f12-a.part', 'half a copy');
    put(dataDir, '.incoming/f12-a.part.sidecar', '{"format":');
    // An altered file a dock set aside (vault-repair.ts), the marker's temporary a crash left, fsck's folder.
    put(dataDir, '.altered/clip-1-20261127T010000Z/A.MP4', 'the altered bytes, kept as found');
    put(dataDir, `${VAULT_MARKER}.tmp-4242`, '{}');
    put(dataDir, 'lost+found/#1234', 'what fsck found');
    expect(fs.existsSync(path.join(vault, VAULT_MARKER))).toBe(true);

    const report = await station.open(dataDir).station.verifyVault();
    expect(report).toMatchObject({ problems: [], uncommitted: [], walked: 2 * station.clips().length });
  });

  it("tells apart a copy a crash left between the vault and the index, which the next dock adopts, and finds the vault whole after it", async () => {
    // As a kill between the rename into the vault and the transaction leaves the newest clip: its
    // file and sidecar in place, its file row with the vault path its commit chose and no clip, and
    // neither its clip row nor its clip.committed row (they are written in one transaction).
    const dataDir = station.copy();
    const newest = station.clips().at(-1)!;
    await sqlite3(
      dbOf(dataDir),
      `UPDATE ingest_file SET state = 'failed', failure_kind = 'interrupted', clip_id = NULL WHERE clip_id = ${newest.id};
       DELETE FROM outside_recording_clip WHERE clip_id = ${newest.id};
       DROP TRIGGER audit_no_delete; ${removeCommittedRowSql(newest.id)}
       DELETE FROM clip WHERE id = ${newest.id};`,
    );

    const t = station.open(dataDir);
    const report = await t.station.verifyVault();
    expect(report).toMatchObject({ problems: [], uncommitted: [newest.vault_path, newest.vault_path + SIDECAR_SUFFIX].sort() });

    // The next dock of the camera, which still holds the file, adopts that copy.
    const done = await (await t.station.ingest.dock(await identify(station.cameraRoot(), t.clock), 'cli')).done!;
    expect(done).toMatchObject({ state: 'done', committed: 1 });
    expect(clipRows(t.station).find((c) => c.original_path === newest.original_path)!.vault_path).toBe(newest.vault_path);
    expect(await t.station.verifyVault()).toMatchObject({ problems: [], uncommitted: [] });
  });
});
