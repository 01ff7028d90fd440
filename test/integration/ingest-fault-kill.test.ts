// Issue 3, "faults that must lose nothing": the core is killed with SIGKILL in
// the middle of an ingest (one clip committed, another half-copied) and
// started again. The next dock must finish the job: the half-copy swept from
// the incoming area, the interrupted files copied again, every file committed
// exactly once, no orphan in the vault, the audit chain intact.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../support/cleanup.js';
import { repoRoot } from '../support/cli.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { auditActions, BADGE, expectVaultConsistent, fileRows, MiB, openStation, session, SERIAL, stationWithCamera } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();

const RUNNER = path.join(repoRoot, 'test/support/ingest-runner.ts');
const CLIP = 64 * MiB;

describe('the core is killed mid-ingest', () => {
  it('SIGKILL with a clip committed and another half-copied: the next dock sweeps the half-copy and commits every file exactly once', async () => {
    // Set up the station (administrator, officer, camera) and close it: the ingest runs in a child.
    const setup = await stationWithCamera();
    const { dataDir } = setup;
    const vaultDir = setup.station.vault.root;
    const incoming = setup.station.vault.incoming;
    await setup.close();
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3, clipBytes: CLIP });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const before = treeDigest(manifest.root);

    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, dataDir, manifest.root], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup(() => child.kill('SIGKILL'));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const last = new Map<string, string>(); // camera path → latest state the child announced
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, nl)) as { file?: string; state?: string };
        buffered = buffered.slice(nl + 1);
        if (line.file) last.set(line.file, line.state!);
      }
    });

    // Kill once a clip is committed and a large clip is part-way through its copy: its
    // half-copy in the incoming area is under half its size, so it surely is not
    // committed in the moment between seeing it and the kill landing.
    const halfCopied = () => {
      try {
        return fs
          .readdirSync(incoming)
          .filter((n) => /^s\d+-f\d+\.part$/.test(n))
          .filter((n) => {
            const size = fs.statSync(path.join(incoming, n)).size;
            return size > 0 && size < CLIP / 2;
          });
      } catch {
        return []; // a copy was renamed or removed between the listing and the stat
      }
    };
    let killedWith: { committed: string[]; partFileIds: number[] } | null = null;
    const deadline = Date.now() + 60_000;
    while (!killedWith) {
      const outcome = await Promise.race([exited, new Promise((r) => setTimeout(r, 2, null))]);
      if (outcome) throw new Error(`the ingest ended before it could be killed: ${JSON.stringify(outcome)}\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`never saw a committed clip and a copy in flight: ${JSON.stringify([...last])}\n${stderr}`);
      const committed = [...last].filter(([, s]) => s === 'committed').map(([p]) => p);
      const parts = committed.length > 0 ? halfCopied() : [];
      if (parts.length > 0) {
        child.kill('SIGKILL');
        killedWith = { committed, partFileIds: parts.map((n) => Number(/-f(\d+)\./.exec(n)![1])) };
      }
    }
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    // What the kill left: a half-copy in the incoming area, and the lock naming a dead process.
    expect(fs.readdirSync(incoming).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(dataDir, 'ingest.lock'), 'utf8').trim()).toBe(String(child.pid));

    // Started again; the camera is docked again.
    const t = openStation({ dataDir });
    cleanup(() => t.close());
    expect(t.station.vault.root).toBe(vaultDir);
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock, 'usb:camera-1'), 'usb-volume');
    const summary = await docked.done!;
    expect(fs.readFileSync(path.join(dataDir, 'ingest.lock'), 'utf8').trim(), 'the lock of the dead process was taken over').toBe(String(process.pid));

    // The killed session: closed by recovery, its unfinished files marked interrupted, its commits kept.
    const killed = session(t.station, 1);
    expect(killed).toMatchObject({ state: 'failed' });
    expect(killed.state_reason).toMatch(/重启.* \/ .*restarted/su);
    expect(killed.detached_at).not.toBeNull();
    const killedRows = fileRows(t.station, 1);
    // A file the child announced committed stays committed; the half-copied one is
    // interrupted; anything else is one or the other (the kill may land between a
    // commit and its announcement), never stuck mid-way.
    for (const row of killedRows) {
      if (killedWith.committed.includes(row.original_path)) expect(row.state).toBe('committed');
      else if (row.state !== 'committed') expect({ path: row.original_path, state: row.state, kind: row.failure_kind }).toEqual({ path: row.original_path, state: 'failed', kind: 'interrupted' });
    }
    for (const id of killedWith.partFileIds) expect(killedRows.find((r) => r.id === id)).toMatchObject({ state: 'failed', failure_kind: 'interrupted', clip_id: null });
    const recovered = auditActions(t.station, 'ingest.recovered');
    expect(recovered).toHaveLength(1);
    const recovery = JSON.parse(recovered[0]!.after_json!) as { files: number; sessions: number; swept: number };
    expect(recovery.swept).toBeGreaterThanOrEqual(killedWith.partFileIds.length);
    expect(recovery.files).toBe(killedRows.filter((r) => r.state === 'failed').length);

    // The new dock: the committed clips are recognised, everything else copied now.
    const committedBefore = killedRows.filter((r) => r.state === 'committed').length;
    expect(summary).toMatchObject({ state: 'done', failed: 0, duplicate: committedBefore, committed: footage.length - committedBefore });
    for (const row of fileRows(t.station, docked.dockSessionId)) expect(['committed', 'duplicate']).toContain(row.state);
    const clips = await expectVaultConsistent(t);
    expect(clips).toHaveLength(footage.length);
    for (const f of footage) expect(clips.find((c) => c.original_path === f.path)?.hash, f.path).toBe(f.sha256);
    expect(treeDigest(manifest.root), 'nothing on the camera changed').toEqual(before);
  });
});
