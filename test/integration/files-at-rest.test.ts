// Files at rest are the station's account's alone (electron/core/private-modes.ts): a fresh station
// and its first dock leave the data and vault folders 0700, the database, its WAL and shared memory
// and the audit anchor 0600, and every stored recording and sidecar 0400; a data folder made before
// (0755, 0644) is tightened at the next start. With the modes a umask leaves, any account on the
// machine could read every recording and copy the PIN hashes.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { undoAfterEach } from '../support/cleanup.js';
import { camera } from '../support/ingest.js';
import { openStation, stationWithCamera, SERIAL, BADGE } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();
const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Every folder and file under `root`, with its mode. */
function walk(root: string): Array<{ path: string; dir: boolean; mode: number }> {
  const out: Array<{ path: string; dir: boolean; mode: number }> = [];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, e.name);
    out.push({ path: p, dir: e.isDirectory(), mode: mode(p) });
    if (e.isDirectory()) out.push(...walk(p));
  }
  return out;
}

describe('files at rest', () => {
  it('a fresh station and its first dock leave nothing readable by another account', async () => {
    const t = await stationWithCamera();
    cleanup(t.close);
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
    const r = await t.station.ingestFolder(manifest.root);
    expect(r.summary?.state).toBe('done');

    const db = path.join(t.dataDir, 'station.sqlite');
    expect(mode(t.dataDir)).toBe(0o700);
    for (const f of [db, `${db}-wal`, `${db}-shm`, path.join(t.dataDir, 'audit-anchor.json')]) expect([f, mode(f)]).toEqual([f, 0o600]);
    const vault = t.station.vault.root;
    expect(mode(vault)).toBe(0o700);
    const entries = walk(vault);
    const clips = entries.filter((e) => !e.dir && !e.path.endsWith(SIDECAR_SUFFIX) && !e.path.includes(`${path.sep}.`) && path.basename(e.path) !== 'evidence-vault.json');
    expect(clips.length).toBeGreaterThan(0);
    for (const e of entries) expect([e.path, e.mode]).toEqual([e.path, e.dir ? 0o700 : 0o400]);
  });

  it('a data folder made before is tightened at the next start', async () => {
    const first = openStation();
    await first.cli.ok('station.setup', { badge: '000001', name: '王管理', password: 'Xk7 harbour lantern' });
    await first.close();
    const db = path.join(first.dataDir, 'station.sqlite');
    const anchor = path.join(first.dataDir, 'audit-anchor.json');
    // As an older station left them.
    fs.chmodSync(first.dataDir, 0o755);
    fs.chmodSync(db, 0o644);
    fs.chmodSync(anchor, 0o644);
    const again = openStation({ dataDir: first.dataDir });
    cleanup(again.close);
    expect([mode(first.dataDir), mode(db), mode(anchor)]).toEqual([0o700, 0o600, 0o600]);
  });
});
