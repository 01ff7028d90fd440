// Shared by the pipeline-level fault tests (test/integration/ingest-fault-*.test.ts):
// a station with the options a fault needs (vault on another filesystem, erase
// policy, copy workers), the event stream it sends, and the checks every fault
// ends with: nothing half-written in the vault or the index, the audit chain
// intact.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { EventMap, EventName } from '../../shared/contract.js';
import { osActor } from '../../electron/core/audit/actor.js';
import { ManualClock } from '../../electron/core/clock.js';
import type { ClipRow, DockSessionRow, IngestFileRow } from '../../electron/core/ingest/repository.js';
import { SIDECAR_SUFFIX } from '../../electron/core/ingest/vault.js';
import { VAULT_MARKER } from '../../electron/core/ingest/vault-guard.js';
import type { HashAlgorithm } from '../../electron/core/config.js';
import type { Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import { ADMIN, Client, seededRandom, T0, tempDir } from './station.js';

export const SERIAL = 'DSJ-F1';
export const BADGE = '100001';
export const MiB = 1024 * 1024;

export interface StationOptions {
  dataDir?: string;
  vaultDir?: string;
  eraseAfterCommit?: boolean;
  copyWorkers?: number;
  hashAlgorithm?: HashAlgorithm;
  ffprobePath?: string;
  /** Posters and contact sheets after each commit: off unless a test is about them (an ffmpeg a clip otherwise). */
  thumbnails?: boolean;
}

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
}

/** Every event the station sends to one connection, with a way to wait for one. */
export class EventLog {
  readonly all: RecordedEvent[] = [];
  private readonly waiters: Array<{ test: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }> = [];
  /** Listeners that act on an event synchronously, as it is emitted (to cause a fault at an exact moment). */
  private readonly reactions: Array<(e: RecordedEvent) => void> = [];

  push(e: RecordedEvent): void {
    this.all.push(e);
    for (const r of [...this.reactions]) r(e);
    for (const w of [...this.waiters]) {
      if (w.test(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }

  of<E extends EventName>(name: E): Array<EventMap[E]> {
    return this.all.filter((e) => e.name === name).map((e) => e.payload as EventMap[E]);
  }

  /** Runs `act` synchronously on each event until it returns true (then it is removed). */
  react(act: (e: RecordedEvent) => boolean): void {
    const r = (e: RecordedEvent) => {
      if (act(e)) this.reactions.splice(this.reactions.indexOf(r), 1);
    };
    this.reactions.push(r);
  }

  waitFor(test: (e: RecordedEvent) => boolean, timeoutMs = 30_000): Promise<RecordedEvent> {
    const seen = this.all.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
      this.waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

export interface FaultStation {
  station: Station;
  clock: ManualClock;
  dataDir: string;
  /** A CLI-style caller: every permission, no login; used for reads and audit.verify. */
  cli: Client;
  events: EventLog;
  close(): Promise<void>;
}

/**
 * Opens a station on `dataDir` (new or existing) and records its events. No free-space reserve
 * (as makeStation): a vault too small for a dock is warned about before its copies, and one that
 * fills during them by the copies themselves; the two vault-full tests take one path each.
 */
export function openStation(options: StationOptions = {}): FaultStation {
  const dataDir = options.dataDir ?? tempDir('station-fault-');
  const clock = new ManualClock(T0);
  const station = createStation(
    {
      dataDir,
      vaultDir: options.vaultDir,
      eraseAfterCommit: options.eraseAfterCommit,
      copyWorkers: options.copyWorkers,
      hashAlgorithm: options.hashAlgorithm,
      ffprobePath: options.ffprobePath,
      thumbnails: options.thumbnails ?? false,
      vaultReserveBytes: 0,
      clock,
      random: seededRandom(),
      scryptCost: 1024,
    },
    // The station logs every failed file; the tests assert on them instead of printing them.
    { log: () => undefined },
  );
  const connection = station.connect({ kind: 'os', actor: osActor('fault-test') });
  const events = new EventLog();
  connection.onEvent((name, payload) => events.push({ name, payload }));
  return { station, clock, dataDir, cli: new Client(connection), events, close: () => station.close() };
}

/** A new station with an administrator, the camera's officer and the camera registered. */
export async function stationWithCamera(options: StationOptions & { serial?: string; badge?: string } = {}): Promise<FaultStation> {
  const t = openStation(options);
  const ui = new Client(t.station.connect({ kind: 'ui' }));
  await ui.ok('station.setup', ADMIN);
  const officer = (await ui.ok('people.create', { badge: options.badge ?? BADGE, name: '张执法', roles: ['officer'] })).person;
  await ui.ok('devices.register', { serial: options.serial ?? SERIAL, model: 'DSJ-V8', keeperId: officer.id });
  return t;
}

export const sha256File = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

export function fileRows(station: Station, dockSessionId: number): IngestFileRow[] {
  return station.db.prepare<[number], IngestFileRow>('SELECT * FROM ingest_file WHERE dock_session_id = ? ORDER BY id').all(dockSessionId);
}

export function fileRow(station: Station, id: number): IngestFileRow {
  return station.db.prepare<[number], IngestFileRow>('SELECT * FROM ingest_file WHERE id = ?').get(id)!;
}

export function session(station: Station, id: number): DockSessionRow {
  return station.db.prepare<[number], DockSessionRow>('SELECT * FROM dock_session WHERE id = ?').get(id)!;
}

export function clipRows(station: Station): ClipRow[] {
  return station.db.prepare<[], ClipRow>('SELECT * FROM clip ORDER BY id').all();
}

export function auditActions(station: Station, action: string): Array<{ seq: number; object_id: string | null; after_json: string | null }> {
  return station.db
    .prepare<[string], { seq: number; object_id: string | null; after_json: string | null }>('SELECT seq, object_id, after_json FROM audit WHERE action = ? ORDER BY seq')
    .all(action);
}

/** Every file under the vault, relative, '/'-separated (the incoming area listed too). */
export function vaultFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The latest state of a file as the `ingest.fileChanged` events announced it, read when each arrived. */
export function trackFileStates(t: FaultStation): Map<number, string[]> {
  const states = new Map<number, string[]>();
  t.events.react((e) => {
    if (e.name === 'ingest.fileChanged') {
      const { fileId } = e.payload as EventMap['ingest.fileChanged'];
      const list = states.get(fileId) ?? [];
      list.push(fileRow(t.station, fileId).state);
      states.set(fileId, list);
    }
    return false;
  });
  return states;
}

/**
 * Causes a fault at an exact moment: `act` runs synchronously, once, as the
 * first file announced (`ingest.fileChanged`) whose row then `matches` is
 * announced, before the pipeline moves on. `fileId()` names that file, or
 * null while none has matched.
 */
export function whenFirstFile(t: FaultStation, matches: (row: IngestFileRow) => boolean, act: (row: IngestFileRow) => void): { fileId: () => number | null } {
  let fileId: number | null = null;
  t.events.react((e) => {
    if (e.name !== 'ingest.fileChanged') return false;
    const row = fileRow(t.station, (e.payload as EventMap['ingest.fileChanged']).fileId);
    if (!matches(row)) return false;
    fileId = row.id;
    act(row);
    return true;
  });
  return { fileId: () => fileId };
}

/**
 * Guarantee 2 and what every fault must leave behind: the incoming area is
 * empty; the vault holds exactly one file and one sidecar per clip row,
 * nothing else (no partial copy, no temp sidecar); each clip is read-only and
 * hashes as its row says; no two rows share a camera file.
 */
export async function expectVaultConsistent(t: FaultStation): Promise<ClipRow[]> {
  const { station } = t;
  expect(fs.readdirSync(station.vault.incoming), 'the incoming area is empty').toEqual([]);
  const rows = clipRows(station);
  const expected = [...rows.flatMap((r) => [r.vault_path, r.vault_path + SIDECAR_SUFFIX]), VAULT_MARKER].sort();
  expect(vaultFiles(station.vault.root), 'the vault holds its marker, each clip and its sidecar, nothing else').toEqual(expected);
  for (const r of rows) {
    const file = station.vault.absolute(r.vault_path);
    expect(fs.statSync(file).mode & 0o222, `${r.vault_path} is read-only`).toBe(0);
    expect(fs.statSync(file).size).toBe(r.size);
    expect(sha256File(file), `${r.vault_path} hashes as indexed`).toBe(r.hash);
    const sidecar = JSON.parse(fs.readFileSync(file + SIDECAR_SUFFIX, 'utf8')) as { vaultPath: string; hash: { value: string }; original: { path: string } };
    expect(sidecar).toMatchObject({ vaultPath: r.vault_path, hash: { value: r.hash }, original: { path: r.original_path } });
  }
  const perPath = new Map<string, number>();
  for (const r of rows) perPath.set(`${r.device_id}:${r.original_path}`, (perPath.get(`${r.device_id}:${r.original_path}`) ?? 0) + 1);
  expect([...perPath].filter(([, n]) => n !== 1), 'one clip per camera file').toEqual([]);
  const audit = await t.cli.ok('audit.verify', {});
  expect(audit, 'the audit chain is intact').toMatchObject({ intact: true });
  return rows;
}

/** Asserts a failure carries its kind and a message in both languages. */
export function expectFailed(row: IngestFileRow, kind: string): void {
  expect({ path: row.original_path, state: row.state, kind: row.failure_kind }).toEqual({ path: row.original_path, state: 'failed', kind });
  expect(row.failure_message, row.original_path).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/su);
  expect(row.clip_id).toBeNull();
}

/**
 * A size-limited tmpfs (a small disk that fills up), mounted on a new temp
 * folder. Needs root (or CAP_SYS_ADMIN); returns why not where it is refused.
 */
export function mountSmallDisk(sizeMiB: number): { dir: string; unmount(): void } | { refused: string } {
  const dir = tempDir('small-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    return { refused: `cannot mount a ${sizeMiB} MiB tmpfs here (${stderr || (e as Error).message}); run the tests as root for the vault-full case` };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `file` until the disk it is on has no byte left (a full disk, exactly). */
export function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const chunk of [MiB, 4096, 1]) {
      const buffer = Buffer.alloc(chunk, 0x5a);
      for (;;) {
        try {
          const n = fs.writeSync(fd, buffer);
          written += n;
          if (n < chunk) break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/**
 * The event stream told the whole story of a dock session: every file that
 * was copied or failed was announced (`ingest.fileChanged`), the board was
 * told the session changed (`dock.changed`), and the last progress reads
 * "all files dealt with", with nothing current.
 */
export function expectAnnounced(t: FaultStation, dockSessionId: number): void {
  const changed = t.events.of('ingest.fileChanged').filter((e) => e.dockSessionId === dockSessionId).map((e) => e.fileId);
  for (const row of fileRows(t.station, dockSessionId)) {
    if (row.state === 'committed' || row.state === 'failed') expect(changed, `${row.original_path} (${row.state}) was announced`).toContain(row.id);
  }
  expect(t.events.of('dock.changed')).toContainEqual({ dockSessionId });
  const last = t.events.of('ingest.progress').filter((p) => p.dockSessionId === dockSessionId).at(-1);
  expect(last, 'a last progress event').toBeDefined();
  expect(last!.filesDone).toBe(last!.filesTotal);
  expect(last!.bytesDone).toBe(last!.bytesTotal);
  expect(last!.current).toBeNull();
}

/**
 * Puts a slow `ffprobe` first on PATH: the first probe announces itself in
 * `marker` (with the file it probes) and takes a second, as on a slow disk,
 * so the test can act while a verified copy is being probed.
 */
export function slowFirstProbe(): { marker: string; restore(): void } {
  const dir = tempDir('slow-ffprobe-');
  const marker = path.join(dir, 'probing');
  const real = execFileSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).trim();
  const script = path.join(dir, 'ffprobe');
  // The station's own check that ffprobe runs (`ffprobe -version`, probe-guard.ts) goes straight through.
  fs.writeFileSync(
    script,
    `#!/bin/sh\nif [ "$1" != '-version' ] && [ ! -e '${marker}' ]; then for last; do :; done; echo "$last" > '${marker}.tmp'; mv '${marker}.tmp' '${marker}'; sleep 1; fi\nexec '${real}' "$@"\n`,
    { mode: 0o755 },
  );
  const saved = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
  return { marker, restore: () => (process.env.PATH = saved) };
}
