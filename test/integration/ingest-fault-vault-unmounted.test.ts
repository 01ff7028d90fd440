// Issue 3, "faults that must lose nothing": the vault lives on its own disk (config vaultDir) and
// that disk is not mounted. The mount point is then an empty folder on the system disk; a station
// that took it for the vault would copy evidence there, and mounting the disk later would hide it.
// The vault's marker (ingest/vault-guard.ts) says which vault a folder is: without the right one
// nothing is copied, every file stays on its camera, and the board has an alarm until the disk is
// back. The first test mounts a real folder over the mount point (as root; skipped, saying why,
// when mounting is refused); the others need no mount.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { VAULT_MARKER, VAULT_MARKER_FORMAT } from '../../electron/core/ingest/vault-guard.js';
import { undoAfterEach } from '../support/cleanup.js';
import { runStation } from '../support/cli.js';
import { camera, identify, treeDigest } from '../support/ingest.js';
import {
  auditActions,
  BADGE,
  clipRows,
  expectAnnounced,
  expectFailed,
  expectVaultConsistent,
  fileRows,
  MiB,
  openStation,
  session,
  SERIAL,
  stationWithCamera,
  whenFirstFile,
  type FaultStation,
} from '../support/ingest-faults.js';
import { T0, tempDir } from '../support/station.js';

const cleanup = undoAfterEach();
const SECOND = 'DSJ-F2';

/** `mount --bind disk at`: `at` shows the disk's folder until unmounted, and is an empty folder after. */
function bindMount(disk: string, at: string): { unmount(): void } | { refused: string } {
  try {
    execFileSync('mount', ['--bind', disk, at], { stdio: 'pipe' });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    return { refused: `cannot bind-mount a folder here (${stderr || (e as Error).message}); run the tests as root for the unmounted-vault case` };
  }
  let mounted = true;
  // Lazily: a copy still holding a file open on the disk keeps it until it closes, as a disk
  // pulled or unmounted under a running station leaves it.
  const unmount = () => {
    if (!mounted) return;
    execFileSync('umount', ['-l', at], { stdio: 'pipe' });
    mounted = false;
  };
  cleanup(unmount);
  return { unmount };
}

function mountOrSkip(disk: string, at: string, skip: (note?: string) => never): { unmount(): void } {
  const m = bindMount(disk, at);
  if ('refused' in m) {
    console.warn(`SKIPPED: ${m.refused}`);
    skip(m.refused);
  }
  return m;
}

async function openAgain(options: Parameters<typeof openStation>[0]): Promise<FaultStation> {
  const t = openStation(options);
  cleanup(() => t.close());
  return t;
}

async function registerSecondCamera(t: FaultStation): Promise<void> {
  const people = await t.cli.ok('people.list', {});
  const officer = people.find((p) => p.badge === BADGE)!;
  await t.cli.ok('devices.register', { serial: SECOND, model: 'DSJ-V8', keeperId: officer.id });
}

const openAlarms = async (t: FaultStation) => (await t.cli.ok('dock.board', {})).alarms;
const marker = (vault: string) => JSON.parse(fs.readFileSync(path.join(vault, VAULT_MARKER), 'utf8')) as { format: string; id: string };

describe('the vault disk is not mounted', () => {
  it('nothing goes onto the empty mount point: every file fails vault_unavailable and stays on the camera; the alarm clears when the disk is back, and the next dock offloads', async (ctx) => {
    const disk = tempDir('vault-disk-');
    const mountPoint = tempDir('vault-mount-point-');
    const dataDir = tempDir('station-fault-');
    const mount = mountOrSkip(disk, mountPoint, ctx.skip);

    // First life: the vault is made on the disk, and a camera is offloaded into it.
    const first = await stationWithCamera({ dataDir, vaultDir: mountPoint, eraseAfterCommit: true });
    cleanup(() => first.close());
    await registerSecondCamera(first);
    expect(marker(disk)).toMatchObject({ format: VAULT_MARKER_FORMAT, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(fs.statSync(path.join(disk, VAULT_MARKER)).mode & 0o222, 'the marker is read-only').toBe(0);
    const cam1 = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    expect((await (await first.station.ingest.dock(await identify(cam1.root, first.clock), 'usb-volume')).done!).state).toBe('done');
    const clipsBefore = clipRows(first.station);
    expect(clipsBefore.length).toBeGreaterThan(0);
    await first.close();

    // The station starts with the disk not mounted: the alarm is up at once, and the stand-in folder stays empty.
    mount.unmount();
    expect(fs.readdirSync(mountPoint)).toEqual([]);
    const t = await openAgain({ dataDir, vaultDir: mountPoint, eraseAfterCommit: true });
    expect(await openAlarms(t)).toEqual([
      expect.objectContaining({ kind: 'vault_unavailable', resolvedAt: null, details: { vault: mountPoint, problem: 'not_this_vault' } }),
    ]);
    expect(fs.readdirSync(mountPoint), 'nothing made on the system disk').toEqual([]);
    // The public dock status says so too, before anyone docks (nothing else of the alarm: it is public).
    expect((await t.cli.ok('dock.lobby', {})).vaultAvailable).toBe(false);

    // A camera docks: nothing is copied, nothing erased (the erase policy is on), every file says why.
    const cam2 = await camera({ serial: SECOND, badge: BADGE, now: T0, clips: 2 });
    const footage = cam2.files.filter((f) => f.expected !== 'not-footage');
    const before = treeDigest(cam2.root);
    const docked = await t.station.ingest.dock(await identify(cam2.root, t.clock), 'usb-volume');
    const refused = await docked.done!;
    expect(refused).toMatchObject({ state: 'failed', committed: 0, duplicate: 0, failed: footage.length });
    const rows = fileRows(t.station, docked.dockSessionId);
    expect(rows).toHaveLength(footage.length);
    for (const r of rows) {
      expectFailed(r, 'vault_unavailable');
      expect(r.failure_message).toMatch(/证据库不可用.* \/ The vault is unavailable/su);
    }
    expect(session(t.station, docked.dockSessionId).state_reason).toMatch(/中没有本站的证据库.* \/ .*does not hold this station's vault.*Connect and mount the vault disk/su);
    expectAnnounced(t, docked.dockSessionId);
    expect(t.events.of('alarm.raised'), 'the alarm was raised once, at start-up').toEqual([]);
    expect(fs.readdirSync(mountPoint), 'still nothing on the system disk').toEqual([]);
    expect(treeDigest(cam2.root), 'the camera is untouched').toEqual(before);
    expect(clipRows(t.station)).toEqual(clipsBefore);
    // Verifying or rebuilding a folder that is not the vault would report every clip missing, or index nothing.
    await expect(t.station.verifyVault()).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringContaining("does not hold this station's vault") });
    await expect(t.station.rebuildIndex()).rejects.toMatchObject({ code: 'invalid_state' });

    // The disk is mounted again: the next dock finds the vault, the alarm is resolved, and the camera is offloaded.
    mountOrSkip(disk, mountPoint, ctx.skip);
    t.station.ingest.undock(`test:${cam2.root}`);
    const again = await (await t.station.ingest.dock(await identify(cam2.root, t.clock), 'usb-volume')).done!;
    expect(again).toMatchObject({ state: 'done', committed: footage.length, failed: 0 });
    expect(await openAlarms(t)).toEqual([]);
    expect((await t.cli.ok('dock.lobby', {})).vaultAvailable).toBe(true);
    const board = t.station.db.prepare("SELECT resolution, resolved_by FROM alarm WHERE kind = 'vault_unavailable'").all();
    expect(board).toEqual([{ resolution: '证据库已恢复 / The vault is available again', resolved_by: 'station' }]);
    expect(t.events.of('alarm.resolved')).toHaveLength(1);
    await expectVaultConsistent(t);
    expect(clipRows(t.station).length).toBe(clipsBefore.length + footage.length);
    expect(await t.station.verifyVault()).toMatchObject({ clips: clipsBefore.length + footage.length, ok: clipsBefore.length + footage.length, problems: [] });
  });

  // While a file is copied, its copy or its read-back fails on the missing disk. A file is
  // `verifying` from the moment its camera file is read whole (copy/engine.ts `syncing`: the next
  // file may then read the camera): pulled while its copy is fsynced or opened again for the
  // read-back, that fails on the missing disk; pulled once the read-back holds the copy open, it is
  // verified in full and stopped just before the move into the vault. Either way it fails.
  it.for([
    { phase: 'copying', pulledFails: ['vault_io', 'vault_unavailable'] },
    { phase: 'verifying', pulledFails: ['vault_io', 'vault_unavailable'] },
  ])('the disk goes away while a file is $phase: the rest of the dock stops with the reason, nothing reaches the stand-in folder, and once the disk is back the next dock sweeps the half-copy and offloads', async ({ phase, pulledFails }, ctx) => {
    const disk = tempDir('vault-disk-');
    const mountPoint = tempDir('vault-mount-point-');
    const dataDir = tempDir('station-fault-');
    const mount = mountOrSkip(disk, mountPoint, ctx.skip);
    const t = await stationWithCamera({ dataDir, vaultDir: mountPoint, eraseAfterCommit: true, copyWorkers: 1 });
    cleanup(() => t.close());
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3, clipBytes: 8 * MiB });
    const footage = cam.files.filter((f) => f.expected !== 'not-footage');
    const before = treeDigest(cam.root);
    const pulled = whenFirstFile(t, (r) => r.state === phase, () => mount.unmount());

    const docked = await t.station.ingest.dock(await identify(cam.root, t.clock), 'usb-volume');
    const summary = await docked.done!;
    expect(pulled.fileId()).not.toBeNull();
    expect(summary).toMatchObject({ state: 'failed', committed: 0, failed: footage.length });
    const rows = fileRows(t.station, docked.dockSessionId);
    // Besides the file caught, at most the one other file in flight (a camera has two) tries the
    // missing disk; every later one fails with the vault's reason without trying it.
    const others = rows.filter((r) => r.id !== pulled.fileId());
    expect(others).toHaveLength(footage.length - 1);
    const onTheDisk = others.filter((r) => r.failure_kind === 'vault_io');
    expect(onTheDisk.length).toBeLessThanOrEqual(1);
    for (const r of others.filter((r) => !onTheDisk.includes(r))) expectFailed(r, 'vault_unavailable');
    for (const r of onTheDisk) expectFailed(r, 'vault_io');
    expect(pulledFails).toContain(rows.find((r) => r.id === pulled.fileId())!.failure_kind);
    expect(session(t.station, docked.dockSessionId).state_reason).toMatch(/does not hold this station's vault/);
    expect(await openAlarms(t)).toEqual([expect.objectContaining({ kind: 'vault_unavailable', details: { vault: mountPoint, problem: 'not_this_vault' } })]);
    expect(t.events.of('alarm.raised')).toEqual([{ kind: 'vault_unavailable' }]);
    expect(fs.readdirSync(mountPoint), 'nothing on the system disk').toEqual([]);
    expect(clipRows(t.station)).toEqual([]);
    expect(treeDigest(cam.root), 'the camera is untouched').toEqual(before);
    // The copy cut off left its half-written file on the disk, in the incoming area.
    expect(fs.readdirSync(path.join(disk, '.incoming')).filter((f) => f.endsWith('.part')).length).toBeGreaterThan(0);

    // The disk is back, the station still running: the camera's next dock sweeps the half-copy
    // first, then offloads everything.
    mountOrSkip(disk, mountPoint, ctx.skip);
    t.station.ingest.undock(`test:${cam.root}`);
    const again = await (await t.station.ingest.dock(await identify(cam.root, t.clock), 'usb-volume')).done!;
    expect(again).toMatchObject({ state: 'done', committed: footage.length });
    expect(await openAlarms(t)).toEqual([]);
    await expectVaultConsistent(t);
  });
});

describe('which folder is the vault', () => {
  it('a vault folder that is gone is not made again; another station’s vault is not used; the right one clears the alarm', async () => {
    const root = tempDir('vault-home-');
    const vault = path.join(root, 'vault');
    const dataDir = tempDir('station-fault-');
    const a = await stationWithCamera({ dataDir, vaultDir: vault });
    const id = marker(vault).id;
    await a.close();

    // Gone (the disk's folder renamed, a mount point removed): reported, and not recreated.
    fs.renameSync(vault, path.join(root, 'away'));
    let t = await openAgain({ dataDir, vaultDir: vault });
    expect(await openAlarms(t)).toEqual([expect.objectContaining({ kind: 'vault_unavailable', details: { vault, problem: 'missing' } })]);
    expect(fs.existsSync(vault)).toBe(false);
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    const docked = await t.station.ingest.dock(await identify(cam.root, t.clock), 'usb-volume');
    expect((await docked.done!).state).toBe('failed');
    expect(session(t.station, docked.dockSessionId).state_reason).toMatch(/证据库文件夹 .* 不存在.* \/ The vault folder .* does not exist/su);
    expect(fs.existsSync(vault), 'the dock did not make it either').toBe(false);
    await t.close();

    // Another station's vault in its place.
    const other = openStation({ vaultDir: vault });
    const otherId = marker(vault).id;
    expect(otherId).not.toBe(id);
    await other.close();
    t = await openAgain({ dataDir, vaultDir: vault });
    // The alarm still open from before now says the current reason.
    expect(await openAlarms(t)).toEqual([expect.objectContaining({ kind: 'vault_unavailable', details: { vault, problem: 'other_vault' } })]);
    await expect(t.station.verifyVault()).rejects.toMatchObject({ message: expect.stringContaining('holds another vault') });
    expect(marker(vault).id, 'the other vault keeps its marker').toBe(otherId);
    await t.close();

    // The right vault back: the start-up check resolves the alarm.
    fs.rmSync(vault, { recursive: true, force: true });
    fs.renameSync(path.join(root, 'away'), vault);
    t = await openAgain({ dataDir, vaultDir: vault });
    expect(await openAlarms(t)).toEqual([]);
    expect(t.station.db.prepare("SELECT count(*) AS n FROM alarm WHERE kind = 'vault_unavailable' AND resolved_at IS NOT NULL").get()).toEqual({ n: 1 });
    expect(await t.station.verifyVault()).toMatchObject({ clips: 0, problems: [] });
  });

  it('a replaced vault disk is taken only when an administrator says so (station adopt-vault), audited; the clips lost with the old disk are then reported missing', async () => {
    const vault = path.join(tempDir('vault-home-'), 'vault');
    const dataDir = tempDir('station-fault-');
    const a = await stationWithCamera({ dataDir, vaultDir: vault });
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    expect((await (await a.station.ingest.dock(await identify(cam.root, a.clock), 'usb-volume')).done!).state).toBe('done');
    const oldId = marker(vault).id;
    const clips = clipRows(a.station).length;
    await a.close();

    // The disk died; a new, empty one is mounted in its place. The station does not take it by itself.
    fs.rmSync(vault, { recursive: true, force: true });
    fs.mkdirSync(vault);
    let t = await openAgain({ dataDir, vaultDir: vault });
    expect(await openAlarms(t)).toEqual([expect.objectContaining({ kind: 'vault_unavailable', details: { vault, problem: 'not_this_vault' } })]);
    await t.close();

    const run = await runStation(['adopt-vault', '--data', dataDir, '--vault', vault, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const adopted = JSON.parse(run.stdout) as { vault: string; id: string; previous: string; made: boolean; indexedClips: number };
    expect(adopted).toMatchObject({ vault, previous: oldId, made: true, indexedClips: clips });
    expect(adopted.id).not.toBe(oldId);
    expect(marker(vault).id).toBe(adopted.id);
    const again = await runStation(['adopt-vault', '--data', dataDir, '--vault', vault]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('本站已绑定该证据库，未做更改');

    t = await openAgain({ dataDir, vaultDir: vault });
    expect(await openAlarms(t)).toEqual([]);
    const bound = t.station.db.prepare("SELECT actor_kind, before_json FROM audit WHERE action = 'vault.bound' ORDER BY seq DESC LIMIT 1").get();
    expect(bound).toEqual({ actor_kind: 'os', before_json: JSON.stringify({ id: oldId }) });
    const report = await t.station.verifyVault();
    expect(report).toMatchObject({ clips, ok: 0 });
    expect(report.problems.map((p) => p.problem)).toEqual(Array(clips).fill('missing'));
  });

  it('a marker that cannot be read stops the ingest as well, and says so', async () => {
    const vault = path.join(tempDir('vault-home-'), 'vault');
    const dataDir = tempDir('station-fault-');
    await (await stationWithCamera({ dataDir, vaultDir: vault })).close();
    fs.chmodSync(path.join(vault, VAULT_MARKER), 0o644);
    fs.writeFileSync(path.join(vault, VAULT_MARKER), 'not json');
    const t = await openAgain({ dataDir, vaultDir: vault });
    expect(await openAlarms(t)).toEqual([expect.objectContaining({ kind: 'vault_unavailable', details: { vault, problem: 'unreadable' } })]);
    await expect(t.station.verifyVault()).rejects.toMatchObject({ message: expect.stringMatching(/无法读取证据库标识文件.*not a vault marker/su) });
  });

  it('a station from before vault markers binds to its vault only where its newest clip is', async () => {
    const vault = path.join(tempDir('vault-home-'), 'vault');
    const dataDir = tempDir('station-fault-');
    const a = await stationWithCamera({ dataDir, vaultDir: vault });
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 2 });
    expect((await (await a.station.ingest.dock(await identify(cam.root, a.clock), 'usb-volume')).done!).state).toBe('done');
    await a.close();
    // As such a station was: no marker in the vault, no vault id in the database.
    fs.rmSync(path.join(vault, VAULT_MARKER));
    const db = new Database(path.join(dataDir, 'station.sqlite'));
    db.prepare("DELETE FROM station_setting WHERE key = 'vault.id'").run();
    db.close();

    // Pointed at an empty folder (its disk not mounted at the upgrade): not taken, nothing written there.
    const empty = tempDir('vault-mount-point-');
    let t = await openAgain({ dataDir, vaultDir: empty });
    expect(await openAlarms(t)).toEqual([expect.objectContaining({ kind: 'vault_unavailable', details: { vault: empty, problem: 'not_this_vault' } })]);
    expect(fs.readdirSync(empty)).toEqual([]);
    await t.close();

    // Its own vault: given a marker and bound, and the alarm resolved.
    t = await openAgain({ dataDir, vaultDir: vault });
    expect(await openAlarms(t)).toEqual([]);
    expect(marker(vault)).toMatchObject({ format: VAULT_MARKER_FORMAT });
    const bound = auditActions(t.station, 'vault.bound').map((r) => JSON.parse(r.after_json!) as { id: string; made: boolean });
    expect(bound.at(-1)).toEqual(expect.objectContaining({ id: marker(vault).id, made: true }));
    await expectVaultConsistent(t);
  });
});
