// Issue 17, "nothing is left behind silently": a part of a camera's footage
// folders the station cannot read whole. Each case is real: a folder the
// station may not list (mode 000, the station run without root's
// read-anything capabilities), a worn card's I/O errors (EIO from a FUSE view,
// test/support/faulty-fs.py), a name that is not UTF-8 (the station cannot
// stat it by name), a FIFO. Each makes the dock end failed (never 可以取走),
// raises a footage_unreadable alarm that names the part and what to do, and
// makes `station ingest` exit 1; everything that could be read is still
// offloaded. A later dock that reads the whole tree resolves the alarm,
// audited as the station. And a name with a backslash, which Linux lets a
// camera volume hold, is stored: under a safe vault name, with its own name
// in the index, the sidecar and a rebuilt index.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IngestReport } from '../../electron/core/cli/ingest-command.js';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import type { CameraManifest } from '../fixtures/camera/camera.js';
import { removeAfterEach, undoAfterEach } from '../support/cleanup.js';
import { runStation, stationBin } from '../support/cli.js';
import { faultyFsRefused, mountFaulty } from '../support/faulty-fs.js';
import { camera, treeDigest } from '../support/ingest.js';
import { tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';
const BADGE = '100001';
// Registered in this order so that, after each test, the mounts and modes are undone before the folders go.
const removeLater = removeAfterEach();
const undo = undoAfterEach();

/** Root without the capabilities that let it read anything: a mode-000 folder is then as unreadable to it as to anyone. */
const WITHOUT_READ_ANYTHING = ['--bounding-set=-dac_override,-dac_read_search'];

function capabilityDropRefused(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('setpriv', [...WITHOUT_READ_ANYTHING, 'true'], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `setpriv cannot drop capabilities here: ${(e as Error).message}`;
  }
}

/** A set-up station (the CLI's own init) with the camera registered to officer 100001. */
async function station(serial: string): Promise<string> {
  const data = path.join(tempDir('station-unreadable-'), 'data');
  removeLater(path.dirname(data));
  for (const args of [
    ['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'],
    ['users', 'add', '--data', data, '--badge', BADGE, '--name', '张执法', '--role', 'officer'],
    ['devices', 'add', '--data', data, '--serial', serial, '--model', 'DSJ-V8', '--keeper', BADGE],
  ]) {
    const r = await runStation(args, { stdin: `${PASSWORD}\n${PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
  }
  return data;
}

async function emulated(serial: string): Promise<CameraManifest> {
  const m = await camera({ serial, badge: BADGE });
  removeLater(path.dirname(m.root));
  return m;
}

/** `station ingest --json`, its exit code and its summary line (and, as `command`, e.g. through setpriv). */
async function ingest(data: string, folder: string, command?: string[]): Promise<{ code: number | null; report: IngestReport; stderr: string }> {
  const r = await runStation(['ingest', folder, '--data', data, '--json'], command ? { command } : {});
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  let report: IngestReport;
  try {
    report = JSON.parse(last) as IngestReport;
  } catch {
    throw new Error(`no summary from station ingest (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

interface AlarmRow {
  id: number;
  kind: string;
  dock_session_id: number | null;
  serial: string | null;
  details_json: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
}

function read<T>(data: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const alarms = (data: string) => read<AlarmRow>(data, "SELECT * FROM alarm WHERE kind = 'footage_unreadable' ORDER BY id");
const clips = (data: string) => read<ClipRow>(data, 'SELECT * FROM clip ORDER BY id');
const footageOf = (m: CameraManifest) => m.files.filter((f) => f.expected !== 'not-footage');

/** The alarm's details: which dock, which parts (kind, path, code). */
function unreadOf(alarm: AlarmRow): { dockSessionId: number; unread: Array<{ kind: string; path: string; code: string | null }>; total: number } {
  return JSON.parse(alarm.details_json!) as never;
}

/** The alarm was resolved by the station, in the audit log, by the dock that read the whole tree. */
function expectResolvedByStation(data: string, alarm: AlarmRow, dockSessionId: number): void {
  expect(alarm).toMatchObject({ resolved_by: 'station' });
  expect(alarm.resolution).toMatch(new RegExp(`接入 #${dockSessionId} 已完整读取.* / Dock #${dockSessionId} read the camera's whole footage tree`, 'su'));
  const audit = read<{ actor_kind: string; after_json: string }>(data, "SELECT * FROM audit WHERE action = 'alarm.resolved' AND object_id = ?", String(alarm.id));
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ actor_kind: 'station' });
  expect(JSON.parse(audit[0]!.after_json)).toEqual({ resolution: 'footage tree read whole', dockSessionId });
}

describe('a part of the footage folders that cannot be read whole', () => {
  it('a folder the station may not list (EACCES): the dock fails with the alarm, station ingest exits 1, the rest is stored; listable again, the next dock stores it and resolves the alarm', async (ctx) => {
    const refused = capabilityDropRefused();
    if (refused) {
      console.warn(`SKIPPED: ${refused}`);
      ctx.skip(refused);
    }
    const data = await station('DSJ-U1');
    const m = await emulated('DSJ-U1');
    const footage = footageOf(m);
    const audio = footage.find((f) => f.role === 'audio')!;
    const lockedRel = path.posix.dirname(audio.path); // AUDIO/录音
    const locked = path.join(m.root, ...lockedRel.split('/'));
    fs.chmodSync(locked, 0o000);
    undo(() => fs.existsSync(locked) && fs.chmodSync(locked, 0o755));
    const before = treeDigest(m.root);

    // The station as root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH: the folder answers EACCES.
    const first = await ingest(data, m.root, ['setpriv', ...WITHOUT_READ_ANYTHING, process.execPath, stationBin]);
    expect(first.code, first.stderr).toBe(1);
    const r = first.report;
    expect(r).toMatchObject({ state: 'failed', failed: 0, committed: footage.length - 1 });
    expect(r.unread.map((n) => ({ kind: n.kind, path: n.path }))).toEqual([{ kind: 'unreadable_folder', path: lockedRel }]);
    expect(r.unread[0]!.message).toMatch(/目录无法完整读取.* \/ A folder on the camera could not be read whole.*\(EACCES\)/su);
    expect(r.stateReason).toMatch(new RegExp(`记录仪上有 1 处未能读取（${lockedRel}）.*请勿取走.* / 1 part\\(s\\) of the camera could not be read \\(${lockedRel}\\)`, 'su'));
    expect(r.files.map((f) => f.path)).not.toContain(audio.path);
    expect(first.stderr).toContain(`1 part(s) of the camera could not be read: ${lockedRel}`);
    // Everything readable is stored, whatever could not be read.
    const stored = clips(data);
    expect(stored.map((c) => c.original_path).sort()).toEqual(footage.filter((f) => f !== audio).map((f) => f.path).sort());

    const [alarm] = alarms(data);
    expect(alarm).toMatchObject({ serial: 'DSJ-U1', dock_session_id: r.dockSessionId, resolved_at: null });
    expect(unreadOf(alarm!)).toEqual({ dockSessionId: r.dockSessionId, unread: [{ kind: 'unreadable_folder', path: lockedRel, code: 'EACCES' }], total: 1 });
    expect(read(data, "SELECT state FROM dock_session WHERE id = ?", r.dockSessionId)).toEqual([{ state: 'failed' }]);
    expect(treeDigest(m.root), 'the camera is untouched').toEqual(before);
    expect(fs.statSync(locked).mode & 0o777).toBe(0);

    // Docked again, still unreadable: the same alarm follows the new dock (one alarm per camera).
    const second = await ingest(data, m.root, ['setpriv', ...WITHOUT_READ_ANYTHING, process.execPath, stationBin]);
    expect(second.code).toBe(1);
    expect(second.report).toMatchObject({ state: 'failed', committed: 0, duplicate: footage.length - 1 });
    expect(alarms(data)).toEqual([expect.objectContaining({ id: alarm!.id, dock_session_id: second.report.dockSessionId, resolved_at: null })]);

    // The card is readable again: the next dock reads the whole tree, stores what was left and resolves the alarm.
    fs.chmodSync(locked, 0o755);
    const third = await ingest(data, m.root, ['setpriv', ...WITHOUT_READ_ANYTHING, process.execPath, stationBin]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.report).toMatchObject({ state: 'done', committed: 1, failed: 0, unread: [] });
    expect(clips(data).find((c) => c.original_path === audio.path)?.hash).toBe(audio.sha256);
    const [resolved] = alarms(data);
    expectResolvedByStation(data, resolved!, third.report.dockSessionId);
  });

  it('I/O errors listing a worn card (EIO, part-way too) and examining an entry: the dock fails with the alarm naming each, station ingest exits 1, every entry that could be read is stored', async (ctx) => {
    const refused = faultyFsRefused();
    if (refused) {
      console.warn(`SKIPPED: ${refused}`);
      ctx.skip(refused);
    }
    const data = await station('DSJ-U2');
    const m = await emulated('DSJ-U2');
    const footage = footageOf(m);
    // A folder of the card, seen through FUSE: what it holds is real, some of it fails to read.
    const wornRel = 'RECORD/WORN';
    const worn = path.join(m.root, ...wornRel.split('/'));
    const source = path.join(tempDir('worn-card-'), 'WORN');
    removeLater(path.dirname(source));
    const put = (rel: string) => {
      const file = path.join(source, ...rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, randomBytes(16 * 1024));
      // Whole seconds: FUSE passes times as floating seconds, and a file's identity holds its time to the millisecond.
      fs.utimesSync(file, 1_790_000_000, 1_790_000_000);
      return rel;
    };
    const readable = [put('GOOD_0001.LOG'), put('SUB_OK/GOOD_0002.LOG')];
    const halfListed = ['A_0001.LOG', 'A_0002.LOG', 'A_0003.LOG', 'A_0004.LOG', 'A_0005.LOG'].map((n) => put(`HALF/${n}`));
    put('LOST/B_0001.LOG');
    put('STAT_EIO.LOG');
    const wornBytes = Object.fromEntries([...readable, ...halfListed].map((rel) => [rel, fs.readFileSync(path.join(source, ...rel.split('/')))]));
    fs.mkdirSync(worn);
    const mount = await mountFaulty(source, worn, { list: ['LOST'], listAfter: { HALF: 2 }, stat: ['STAT_EIO.LOG'] }, undo);

    const first = await ingest(data, m.root);
    expect(first.code, first.stderr).toBe(1);
    const r = first.report;
    const unreadParts = [
      { kind: 'unreadable_folder', path: `${wornRel}/HALF` },
      { kind: 'unreadable_folder', path: `${wornRel}/LOST` },
      { kind: 'unreadable_entry', path: `${wornRel}/STAT_EIO.LOG` },
    ];
    expect(r.unread.map((n) => ({ kind: n.kind, path: n.path }))).toEqual(unreadParts);
    for (const n of r.unread) expect(n.message).toMatch(/\(EIO\)$/);
    // The folder that broke off part-way gave its first two entries: they are stored like the rest.
    const fromWorn = [...readable, ...halfListed.slice(0, 2)].map((rel) => `${wornRel}/${rel}`);
    expect(r).toMatchObject({ state: 'failed', failed: 0, committed: footage.length + fromWorn.length });
    const stored = clips(data);
    expect(stored.map((c) => c.original_path).sort()).toEqual([...footage.map((f) => f.path), ...fromWorn].sort());
    for (const rel of [...readable, ...halfListed.slice(0, 2)]) {
      const clip = stored.find((c) => c.original_path === `${wornRel}/${rel}`)!;
      expect(fs.readFileSync(path.join(data, 'vault', ...clip.vault_path.split('/'))).equals(wornBytes[rel]!), rel).toBe(true);
    }
    const [alarm] = alarms(data);
    expect(unreadOf(alarm!)).toEqual({ dockSessionId: r.dockSessionId, unread: unreadParts.map((p) => ({ ...p, code: 'EIO' })), total: 3 });
    expect(r.stateReason).toMatch(/记录仪上有 3 处未能读取（RECORD\/WORN\/HALF, RECORD\/WORN\/LOST, RECORD\/WORN\/STAT_EIO\.LOG）/u);

    // The card is read on another reader (the folder without faults): the rest is stored, the alarm resolved.
    mount.unmount();
    fs.rmdirSync(worn);
    fs.renameSync(source, worn);
    const again = await ingest(data, m.root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.report).toMatchObject({ state: 'done', failed: 0, committed: 3 + 1 + 1, unread: [] });
    expectResolvedByStation(data, alarms(data)[0]!, again.report.dockSessionId);
  });

  it('a name that is not UTF-8 (the station cannot stat it by name) and a FIFO: the dock fails with the alarm naming both; a symbolic link beside them is a notice only; put right, the next dock is done', async () => {
    const data = await station('DSJ-U3');
    const m = await emulated('DSJ-U3');
    const footage = footageOf(m);
    const day = path.posix.dirname(footage.find((f) => f.role === 'clip')!.path);
    const dayDir = path.join(m.root, ...day.split('/'));
    // Bytes no UTF-8 reading gives back: the listing shows U+FFFD, and that name is not on the card.
    const latin1 = Buffer.concat([Buffer.from(`${dayDir}/`), Buffer.from([0x56, 0x49, 0x44, 0xe9, 0x4f, 0x2e, 0x4d, 0x50, 0x34])]); // "VID\xe9O.MP4"
    fs.writeFileSync(latin1, randomBytes(8 * 1024));
    undo(() => fs.rmSync(latin1, { force: true }));
    const fifo = `${day}/PIPE.MP4`;
    execFileSync('mkfifo', [path.join(m.root, ...fifo.split('/'))]);
    const link = `${day}/LINK.MP4`;
    fs.symlinkSync('/etc/passwd', path.join(m.root, ...link.split('/')));

    const first = await ingest(data, m.root);
    expect(first.code, first.stderr).toBe(1);
    const r = first.report;
    const shownName = `${day}/VID\ufffdO.MP4`;
    expect(r.unread.map((n) => ({ kind: n.kind, path: n.path }))).toEqual([
      { kind: 'special_file', path: fifo },
      { kind: 'unreadable_entry', path: shownName },
    ]);
    expect(r.notices.filter((n) => n.kind === 'symlink').map((n) => n.path)).toEqual([link]);
    expect(r).toMatchObject({ state: 'failed', failed: 0, committed: footage.length });
    const [alarm] = alarms(data);
    expect(unreadOf(alarm!).unread).toEqual([
      { kind: 'special_file', path: fifo, code: null },
      { kind: 'unreadable_entry', path: shownName, code: 'ENOENT' },
    ]);

    // Copied by hand under 综合处 supervision and removed from the card; the pipe taken away: the
    // next dock reads the whole tree (the link stays, a notice) and is done; the alarm is resolved.
    fs.rmSync(latin1);
    fs.rmSync(path.join(m.root, ...fifo.split('/')));
    const again = await ingest(data, m.root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.report).toMatchObject({ state: 'done', unread: [], duplicate: footage.length });
    expect(again.report.notices.map((n) => n.kind)).toEqual(['symlink']);
    expectResolvedByStation(data, alarms(data)[0]!, again.report.dockSessionId);
  });

  it('a name with a backslash, which a camera volume can hold on Linux, is stored: a safe vault name, its own name in the index, the sidecar and a rebuilt index', async () => {
    const data = await station('DSJ-U4');
    const m = await emulated('DSJ-U4');
    const footage = footageOf(m);
    const day = path.posix.dirname(footage.find((f) => f.role === 'clip')!.path);
    const odd = [`${day}/证据\\第1段.MP4`, `${day}/a\\b\\..\\c.LOG`, 'RECORD/备份\\二/D_0001.LOG'];
    for (const rel of odd) {
      const file = path.join(m.root, ...rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, randomBytes(24 * 1024));
    }
    const before = treeDigest(m.root);

    const first = await ingest(data, m.root);
    expect(first.code, first.stderr).toBe(0);
    expect(first.report).toMatchObject({ state: 'done', failed: 0, unread: [], committed: footage.length + odd.length });
    const stored = clips(data);
    for (const rel of odd) {
      const clip = stored.find((c) => c.original_path === rel);
      expect(clip, rel).toBeDefined();
      expect(clip!.hash).toBe(before[rel.split('/').join(path.sep)]);
      const name = path.posix.basename(clip!.vault_path);
      expect(name).not.toMatch(/\\/);
      const sidecar = JSON.parse(fs.readFileSync(path.join(data, 'vault', ...clip!.vault_path.split('/')) + SIDECAR_SUFFIX, 'utf8')) as { original: { path: string } };
      expect(sidecar.original.path).toBe(rel);
    }
    expect(path.posix.basename(stored.find((c) => c.original_path === odd[0])!.vault_path)).toBe('证据_第1段.MP4');
    expect(stored.find((c) => c.original_path === odd[0])!.kind).toBe('video');

    // The index rebuilt from the vault alone names them as the camera did.
    const b = path.join(tempDir('station-unreadable-b-'), 'data');
    removeLater(path.dirname(b));
    for (const args of [
      ['init', '--data', b, '--admin-badge', '000001', '--admin-name', '张站长'],
      ['users', 'add', '--data', b, '--badge', BADGE, '--name', '张执法', '--role', 'officer'],
    ]) {
      expect((await runStation(args, { stdin: `${PASSWORD}\n${PASSWORD}\n` })).code).toBe(0);
    }
    const vaultCopy = path.join(tempDir('station-unreadable-vault-'), 'vault');
    removeLater(path.dirname(vaultCopy));
    fs.cpSync(path.join(data, 'vault'), vaultCopy, { recursive: true, preserveTimestamps: true });
    const rebuilt = await runStation(['rebuild-index', '--data', b, '--vault', vaultCopy, '--json']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const again = clips(b);
    for (const rel of odd) {
      const original = stored.find((c) => c.original_path === rel)!;
      expect(again.find((c) => c.original_path === rel), rel).toMatchObject({ vault_path: original.vault_path, hash: original.hash, size: original.size });
    }
    expect(treeDigest(m.root)).toEqual(before);
  });
});
