// Issue 3, "faults that must lose nothing": a file the station may not read.
// Two ways a camera file can refuse to be read by a station running as root:
// - the station runs without the capabilities that let root read anything
//   (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH dropped with setpriv, in a child
//   process), and the file's mode is 000: open() fails with EACCES;
// - between discovery and its copy, the file is replaced by a FIFO, a folder,
//   or a link out of the volume: the copy engine refuses anything that is not
//   a regular file, and never follows a link.
// Either way the file fails `source_unreadable`, the others are committed,
// and the next dock (once the file is readable) commits it.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../support/cleanup.js';
import { repoRoot } from '../support/cli.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import { BADGE, expectAnnounced, expectFailed, expectVaultConsistent, fileRows, MiB, openStation, session, SERIAL, stationWithCamera, trackFileStates, whenFirstFile } from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();

const RUNNER = path.join(repoRoot, 'test/support/ingest-runner.ts');
const WITHOUT_READ_ANYTHING = ['--bounding-set=-dac_override,-dac_read_search'];

/** Why the capability drop cannot be tried here, or null. */
function capabilityDropRefused(): string | null {
  if (process.getuid?.() !== 0) return 'not root: a mode-000 file is unreadable anyway, but the data folder setup assumes root';
  try {
    execFileSync('setpriv', [...WITHOUT_READ_ANYTHING, 'true'], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `setpriv cannot drop capabilities here: ${(e as Error).message}`;
  }
}

describe('a file the station may not read', () => {
  it('permission denied (EACCES) fails that file source_unreadable; the others are committed; readable again, it is committed', async (ctx) => {
    const refused = capabilityDropRefused();
    if (refused) {
      console.warn(`SKIPPED: ${refused}`);
      ctx.skip(refused);
    }
    const setup = await stationWithCamera();
    const { dataDir } = setup;
    await setup.close();
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const locked = footage.find((f) => f.role === 'audio')!;
    const lockedFile = path.join(manifest.root, locked.path);
    fs.chmodSync(lockedFile, 0o000);
    const before = treeDigest(manifest.root);

    // The station, in a child process that root's "read anything" capabilities were taken from.
    const child = spawn('setpriv', [...WITHOUT_READ_ANYTHING, process.execPath, '--import', 'tsx', RUNNER, dataDir, manifest.root], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { file?: string; state?: string; failure?: string; summary?: { state: string; committed: number; failed: number } });
    const summary = lines.at(-1)!.summary!;
    expect(summary).toMatchObject({ state: 'failed', failed: 1, committed: footage.length - 1 });
    // The event stream: the file was announced failed, never copying.
    expect(lines.filter((l) => l.file === locked.path).map((l) => [l.state, l.failure])).toEqual([['failed', 'source_unreadable']]);

    const t = openStation({ dataDir });
    cleanup(() => t.close());
    const rows = fileRows(t.station, 1);
    const row = rows.find((r) => r.original_path === locked.path)!;
    expectFailed(row, 'source_unreadable');
    expect(row.failure_message).toMatch(/采集站无权读取该文件.* \/ The station may not read this file.*EACCES/su);
    for (const r of rows.filter((r) => r.id !== row.id)) expect({ path: r.original_path, state: r.state }).toEqual({ path: r.original_path, state: 'committed' });
    const s = session(t.station, 1);
    expect(s).toMatchObject({ state: 'failed', files_failed: 1 });
    expect(s.state_reason).toMatch(/1 个文件未能导出.* \/ 1 file\(s\) could not be offloaded/su);
    await expectVaultConsistent(t);
    expect(treeDigest(manifest.root)).toEqual(before);
    expect(fs.statSync(lockedFile).mode & 0o777, 'the station did not touch its permissions').toBe(0);

    // An administrator makes it readable; the next dock commits it (and nothing twice).
    fs.chmodSync(lockedFile, 0o644);
    const again = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    expect(await again.done).toMatchObject({ state: 'done', committed: 1, duplicate: footage.length - 1, failed: 0 });
    const clips = await expectVaultConsistent(t);
    expect(clips.find((c) => c.original_path === locked.path)?.hash).toBe(locked.sha256);
  });

  it('a file replaced by a FIFO, a folder or a link out of the volume just before its copy fails source_unreadable; a FIFO there at dock is a notice and fails the dock with an alarm', async () => {
    const t = await stationWithCamera({ copyWorkers: 1 });
    cleanup(() => t.close());
    // A large first clip: the swaps happen while it is copied, before the other files are opened.
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2, clipBytes: 32 * MiB });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    const day = path.posix.dirname(footage[0]!.path);
    const pipeAtDock = `${day}/PIPE_AT_DOCK.MP4`;
    execFileSync('mkfifo', [path.join(manifest.root, ...pipeAtDock.split('/'))]);
    const outside = path.join(tempDir('outside-'), 'secret.log');
    fs.writeFileSync(outside, randomBytes(4096));
    const outsideBytes = fs.readFileSync(outside);

    const swaps: Record<string, (file: string) => void> = {
      [footage.find((f) => f.role === 'photo')!.path]: (file) => execFileSync('mkfifo', [file]),
      [footage.find((f) => f.role === 'audio')!.path]: (file) => fs.mkdirSync(file),
      [footage.find((f) => f.role === 'stray')!.path]: (file) => fs.symlinkSync(outside, file),
    };
    const saved = new Map<string, Buffer>();
    const states = trackFileStates(t);
    whenFirstFile(
      t,
      (row) => row.state === 'copying',
      () => {
        for (const [rel, swap] of Object.entries(swaps)) {
          const file = path.join(manifest.root, ...rel.split('/'));
          saved.set(rel, fs.readFileSync(file));
          fs.rmSync(file);
          swap(file);
        }
      },
    );
    const docked = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    const summary = await docked.done!;
    expect(saved.size).toBe(3);
    expect(summary).toMatchObject({ state: 'failed', failed: 3, committed: footage.length - 3 });
    const rows = fileRows(t.station, docked.dockSessionId);
    expect(rows.map((r) => r.original_path)).not.toContain(pipeAtDock);
    for (const r of rows) {
      if (r.original_path in swaps) {
        expectFailed(r, 'source_unreadable');
        expect(states.get(r.id)).toEqual(['failed']);
      } else expect({ path: r.original_path, state: r.state }).toEqual({ path: r.original_path, state: 'committed' });
    }
    expect(rows.find((r) => r.original_path.endsWith('recorder.log'))!.failure_message).toMatch(/symbolic link/);
    expectAnnounced(t, docked.dockSessionId);
    const detail = await t.cli.ok('dock.get', { id: docked.dockSessionId });
    expect(detail.notices).toEqual([expect.objectContaining({ kind: 'special_file', path: pipeAtDock })]);
    // A special file may hide nothing, or stand where a recording should be: the dock cannot be
    // done while it is there (issue 17), and the custodian is told where it is.
    expect(detail.stateReason).toContain(pipeAtDock);
    expect(t.station.db.prepare("SELECT kind, resolved_at FROM alarm WHERE kind = 'footage_unreadable'").all()).toEqual([{ kind: 'footage_unreadable', resolved_at: null }]);
    const clips = await expectVaultConsistent(t);
    expect(clips.some((c) => c.size === outsideBytes.length && fs.readFileSync(t.station.vault.absolute(c.vault_path)).equals(outsideBytes))).toBe(false);
    expect(fs.readFileSync(outside).equals(outsideBytes)).toBe(true);

    // The files are put back as they were and the pipe taken away; the next dock commits them.
    fs.rmSync(path.join(manifest.root, ...pipeAtDock.split('/')));
    for (const [rel, bytes] of saved) {
      const file = path.join(manifest.root, ...rel.split('/'));
      fs.rmSync(file, { recursive: true });
      fs.writeFileSync(file, bytes);
    }
    const again = await t.station.ingest.dock(await identify(manifest.root, t.clock), 'usb-volume');
    expect(await again.done).toMatchObject({ state: 'done', committed: 3, failed: 0 });
    expect(t.station.db.prepare("SELECT resolved_by FROM alarm WHERE kind = 'footage_unreadable'").all()).toEqual([{ resolved_by: 'station' }]);
    const all = await expectVaultConsistent(t);
    expect(all).toHaveLength(footage.length);
    for (const f of footage) expect(all.find((c) => c.original_path === f.path)?.hash, f.path).toBe(f.sha256);
  });
});
