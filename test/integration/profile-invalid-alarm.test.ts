// A camera profile file that does not load is skipped, not fatal: the station docks with the
// profiles that load and raises one profile_invalid alarm per bad file (file, field, problem),
// never twice for the same file while it is open, kept up to date while the file stays bad, and
// resolved by the station, audited, once a later start finds it loading (or gone). A folder with
// no profile that loads is still an error, reported as such and on the board.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock.js';
import { ProfileError } from '../../electron/core/docking/profile/index.js';
import { createStation, type Station } from '../../electron/core/station.js';
import { removeAfterEach } from '../support/cleanup.js';
import { camera } from '../support/ingest.js';
import { seededRandom, T0, tempDir } from '../support/station.js';

const removeLater = removeAfterEach();
const SHIPPED = path.resolve('profiles');
/** The emulator's default model, so a card of it identifies through the folder the test builds. */
const GOOD = 'gat947-generic';

interface AlarmRow {
  id: number;
  kind: string;
  serial: string | null;
  details_json: string;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
}

function station(dataDir: string, profilesDir: string): Station {
  return createStation({ dataDir, profilesDir, clock: new ManualClock(T0), random: seededRandom(), scryptCost: 1024, vaultReserveBytes: 0 }, { log: () => {} });
}

/** A station started once on `profilesDir`, the way the desktop app starts: what docking start-up did, then closed. */
async function startOnce(dataDir: string, profilesDir: string): Promise<unknown> {
  const s = station(dataDir, profilesDir);
  try {
    await s.startDocking({ settleMs: 50, safetyRescanMs: 60_000 });
    return null;
  } catch (e) {
    return e;
  } finally {
    await s.close();
  }
}

/** What the station recorded, read from its database file as it is on disk. */
function read<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, 'station.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const alarms = (dataDir: string, where = '') => read<AlarmRow>(dataDir, `SELECT * FROM alarm WHERE kind = 'profile_invalid' ${where} ORDER BY id`);
const audited = (dataDir: string, id: number) =>
  read<{ actor_kind: string; after_json: string }>(dataDir, "SELECT actor_kind, after_json FROM audit WHERE action = 'alarm.resolved' AND object_id = ?", String(id));

/** A profiles folder holding the good shipped profile and the given files. */
function profilesFolder(files: Record<string, string>): string {
  const dir = removeLater(tempDir('profiles-'));
  fs.copyFileSync(path.join(SHIPPED, `${GOOD}.json`), path.join(dir, `${GOOD}.json`));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const goodJson = () => JSON.parse(fs.readFileSync(path.join(SHIPPED, `${GOOD}.json`), 'utf8')) as Record<string, unknown> & { footage: Record<string, unknown> };
const details = (a: AlarmRow) => JSON.parse(a.details_json) as Record<string, unknown>;

describe('profile_invalid', () => {
  it('skips a bad file at start-up, docks with the rest, and raises one alarm per bad file naming file, field and problem', async () => {
    const data = removeLater(tempDir('station-'));
    const typo = { ...goodJson(), id: 'typo', footage: { ...goodJson().footage, foldres: ['X'] } };
    const dir = profilesFolder({ 'broken.json': '{ "id": "broken", ', 'typo.json': JSON.stringify(typo) });
    expect(await startOnce(data, dir)).toBeNull();

    const open = alarms(data);
    expect(open.map((a) => [details(a).file, a.resolved_at])).toEqual([
      [path.join(dir, 'broken.json'), null],
      [path.join(dir, 'typo.json'), null],
    ]);
    expect(details(open[0]!)).toEqual({
      scope: 'file',
      file: path.join(dir, 'broken.json'),
      field: '',
      message: expect.stringMatching(/^不是有效的 JSON \/ not valid JSON: /),
      problems: [{ field: '', message: expect.stringMatching(/not valid JSON/) }],
      total: 1,
    });
    expect(details(open[1]!)).toMatchObject({ field: 'footage.foldres', message: '不认识的字段（拼写错误？） / unknown field (a typo?)', total: 1 });
    // Not a camera's alarm: no serial on the board.
    expect(open.every((a) => a.serial === null)).toBe(true);
  });

  it('does not raise it twice while open, brings it up to date, and resolves it (audited) once the file loads or is gone', async () => {
    const data = removeLater(tempDir('station-'));
    const typo = { ...goodJson(), id: 'typo', footage: { ...goodJson().footage, foldres: ['X'] } };
    const dir = profilesFolder({ 'broken.json': '{ "id": "broken", ', 'typo.json': JSON.stringify(typo) });
    expect(await startOnce(data, dir)).toBeNull();
    const [broken, typoAlarm] = alarms(data);

    // Started again, nothing fixed: the same two alarms.
    expect(await startOnce(data, dir)).toBeNull();
    expect(alarms(data).map((a) => a.id)).toEqual([broken!.id, typoAlarm!.id]);

    // A half fix: the typo is gone, another mistake made. The same alarm says what is wrong now.
    fs.writeFileSync(path.join(dir, 'typo.json'), JSON.stringify({ ...goodJson(), id: 'typo', name: { 'zh-CN': '型号' } }));
    expect(await startOnce(data, dir)).toBeNull();
    const updated = alarms(data);
    expect(updated.map((a) => a.id)).toEqual([broken!.id, typoAlarm!.id]);
    expect(details(updated[1]!)).toMatchObject({ field: 'name.en', message: expect.stringContaining('required field is missing') });

    // Fixed, and the broken file taken away: both resolved by the station at the next start.
    fs.writeFileSync(path.join(dir, 'typo.json'), JSON.stringify({ ...goodJson(), id: 'typo' }));
    fs.rmSync(path.join(dir, 'broken.json'));
    expect(await startOnce(data, dir)).toBeNull();
    const after = alarms(data);
    expect(after.map((a) => [a.id, a.resolved_by])).toEqual([
      [broken!.id, 'station'],
      [typoAlarm!.id, 'station'],
    ]);
    expect(after[0]!.resolution).toMatch(/已不在配置目录中。 \/ .*is no longer in the profile folder\.$/);
    expect(after[1]!.resolution).toBe(`相机配置文件 ${path.join(dir, 'typo.json')} 已能正常加载。 / The camera profile ${path.join(dir, 'typo.json')} now loads.`);
    expect(audited(data, typoAlarm!.id)).toEqual([{ actor_kind: 'station', after_json: JSON.stringify({ resolution: 'profile loads', file: path.join(dir, 'typo.json') }) }]);
    expect(JSON.parse(audited(data, broken!.id)[0]!.after_json)).toMatchObject({ resolution: 'profile file removed' });

    // The same file bad again later: a new alarm, the old one stays resolved on record.
    fs.writeFileSync(path.join(dir, 'typo.json'), '[]');
    expect(await startOnce(data, dir)).toBeNull();
    const again = alarms(data, 'AND resolved_at IS NULL');
    expect(again).toHaveLength(1);
    expect(again[0]!.id).toBeGreaterThan(typoAlarm!.id);
  });

  it('is still an error when no profile loads: docking does not start, and the folder has an alarm of its own', async () => {
    const data = removeLater(tempDir('station-'));
    const dir = removeLater(tempDir('profiles-'));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{');
    const err = await startOnce(data, dir);
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).problems.map((p) => [p.file, p.field])).toEqual([
      [path.join(dir, 'broken.json'), ''],
      [dir, ''],
    ]);
    expect((err as Error).message).toMatch(/none of the 1 camera profile file\(s\) loads, so no camera can be recognised/);
    const open = alarms(data);
    expect(open.map((a) => details(a).scope)).toEqual(['file', 'folder']);
    expect(details(open[1]!)).toMatchObject({ file: dir, message: expect.stringContaining('no camera can be recognised') });

    // A good profile added: docking starts, the folder's alarm is resolved, the broken file's stays.
    fs.copyFileSync(path.join(SHIPPED, `${GOOD}.json`), path.join(dir, `${GOOD}.json`));
    expect(await startOnce(data, dir)).toBeNull();
    expect(alarms(data).map((a) => [details(a).scope, a.resolved_by])).toEqual([
      ['file', null],
      ['folder', 'station'],
    ]);
  });

  it('says so when the folder cannot be read, and leaves the alarms of its files as they were', async () => {
    const data = removeLater(tempDir('station-'));
    const dir = profilesFolder({ 'broken.json': '{' });
    expect(await startOnce(data, dir)).toBeNull();
    fs.renameSync(dir, `${dir}-away`);
    removeLater(`${dir}-away`);
    const err = await startOnce(data, dir);
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as Error).message).toContain('cannot read the profile folder');
    expect(alarms(data).map((a) => [details(a).scope, details(a).file, a.resolved_at])).toEqual([
      ['file', path.join(dir, 'broken.json'), null],
      ['folder', dir, null],
    ]);
  });

  it('`station ingest` of a folder uses the profiles that load, tells which were skipped, and raises the alarm once', async () => {
    const data = removeLater(tempDir('station-'));
    const dir = profilesFolder({ 'broken.json': '{' });
    const m = await camera({ serial: 'DSJ-P1', badge: '100001' });
    removeLater(path.dirname(m.root));
    for (let run = 0; run < 2; run++) {
      const s = station(data, dir);
      try {
        const r = await s.ingestFolder(m.root);
        // Identified through the good profile (the camera is not registered, so nothing is stored).
        expect(s.db.prepare('SELECT profile_id, state FROM dock_session WHERE id = ?').get(r.dockSessionId)).toEqual({ profile_id: GOOD, state: 'unregistered' });
        expect(r.profileProblems).toEqual([{ file: path.join(dir, 'broken.json'), field: '', message: expect.stringContaining('not valid JSON') }]);
      } finally {
        await s.close();
      }
    }
    expect(alarms(data)).toHaveLength(1);
  });
});
