// profile_invalid: a camera profile file (profiles/<id>.json) that does not load. The station
// skips it and docks every other model (one typo must not stop every camera), so the file's
// problems go where someone will see them: one open alarm per file on the board, naming the file,
// the field and the problem and saying what to do. Settled at every load of the profiles (the
// station's start, each `station ingest`), by the process that owns the ingest: raised for a file
// that newly fails, brought up to date while it still fails (a fix that left another mistake),
// and resolved by the station, audited, once the file loads (or is no longer in the folder). A
// folder with no profile that loads at all gets an alarm of its own, on the folder: then no camera
// can be recognised.
import path from 'node:path';
import { stationActor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import {
  formatProblem,
  loadShippedAndSite,
  noProfileProblem,
  ProfileError,
  problemsByFile,
  type ProfileProblem,
  type ProfileSet,
} from '../docking/profile/index.js';
import type { AlarmRepository } from './repository.js';

/** Problems an alarm lists at most: a file that is not a profile at all must not make a huge row. */
export const PROBLEMS_LISTED = 20;

/** The alarm's details. `field` and `message` are the first problem's, what a one-line view shows. */
export type ProfileInvalidDetails = {
  /** A profile file that is skipped, or the folder itself (it cannot be read, or nothing in it loads). */
  scope: 'file' | 'folder';
  /** The profile file, or the profiles folder. */
  file: string;
  /** Dotted path of the field; empty for the whole file. */
  field: string;
  message: string;
  /** The first PROBLEMS_LISTED problems of the file, and how many in all. */
  problems: Array<{ field: string; message: string }>;
  total: number;
};

export interface ProfileAlarmDeps {
  /** Read only, for the open alarms of this kind: each names its file in its details, not in a column. */
  db: Db;
  alarms: AlarmRepository;
  writer: Writer;
  log(message: string, error?: unknown): void;
}

function detailsOf(scope: ProfileInvalidDetails['scope'], file: string, problems: readonly ProfileProblem[]): ProfileInvalidDetails {
  const listed = problems.slice(0, PROBLEMS_LISTED).map((p) => ({ field: p.field, message: p.message }));
  return { scope, file, field: listed[0]?.field ?? '', message: listed[0]?.message ?? '', problems: listed, total: problems.length };
}

/** Each open profile_invalid alarm with the file it names. */
function openAlarms(db: Db): Array<{ id: number; file: string | null; details: unknown }> {
  const rows = prepared<[], { id: number; details_json: string | null }>(
    db,
    "SELECT id, details_json FROM alarm WHERE resolved_at IS NULL AND kind = 'profile_invalid' ORDER BY id",
  ).all();
  return rows.map((r) => {
    let details: unknown = null;
    try {
      details = r.details_json === null ? null : JSON.parse(r.details_json);
    } catch {
      // A row no station wrote this way: it names no file, so only a person resolves it.
    }
    const file = (details as { file?: unknown } | null)?.file;
    return { id: r.id, file: typeof file === 'string' ? file : null, details };
  });
}

/** What each file (and the folder) should have open after this load: its details, or nothing. */
function wanted(set: ProfileSet, mayBeEmpty: boolean): Map<string, ProfileInvalidDetails> {
  const out = new Map<string, ProfileInvalidDetails>();
  for (const [file, problems] of problemsByFile(set.problems)) out.set(file, detailsOf(file === set.dir ? 'folder' : 'file', file, problems));
  // A readable folder with nothing that loads: the folder's own alarm says no camera can be recognised.
  if (set.readable && set.profiles.length === 0 && !mayBeEmpty) out.set(set.dir, detailsOf('folder', set.dir, [noProfileProblem(set)]));
  return out;
}

/**
 * Brings the profile_invalid alarms in line with what this load of the profiles folder found, in
 * one transaction (so the same file is never raised twice, whoever loads). Alarms of files in
 * another folder are left alone: this load says nothing about them.
 */
export function settleProfileProblems(
  d: Pick<ProfileAlarmDeps, 'db' | 'alarms' | 'writer'>,
  set: ProfileSet,
  /** The site's folder: empty, or holding nothing that loads, is no alarm of its own (the shipped profiles serve). */
  mayBeEmpty = false,
): { raised: number; updated: number; resolved: number } {
  const dir = path.resolve(set.dir);
  const want = wanted(set, mayBeEmpty);
  const loaded = new Set(set.profiles.map((p) => path.resolve(p.source)));
  const counts = { raised: 0, updated: 0, resolved: 0 };
  d.writer.run(stationActor, (tx) => {
    const open = openAlarms(d.db);
    const byFile = new Map<string, (typeof open)[number]>();
    for (const a of open) if (a.file !== null && !byFile.has(path.resolve(a.file))) byFile.set(path.resolve(a.file), a);
    for (const [file, details] of want) {
      const existing = byFile.get(path.resolve(file));
      if (!existing) {
        d.alarms.raise({ kind: 'profile_invalid', details, at: tx.at });
        tx.emit('alarm.raised', { kind: 'profile_invalid' });
        counts.raised++;
      } else if (JSON.stringify(existing.details) !== JSON.stringify(details)) {
        d.alarms.setDetails(existing.id, details);
        counts.updated++;
      }
    }
    // A folder that could not be listed says nothing about its files: their alarms stay as they are.
    if (!set.readable) return;
    const wantedFiles = new Set([...want.keys()].map((f) => path.resolve(f)));
    for (const a of open) {
      if (a.file === null) continue;
      const file = path.resolve(a.file);
      if (wantedFiles.has(file) || (file !== dir && path.dirname(file) !== dir)) continue;
      const why =
        file === dir
          ? { zh: `配置目录 ${file} 中已有可加载的相机配置。`, en: `The profile folder ${file} now has profiles that load.`, audited: 'profile folder loads' }
          : loaded.has(file)
            ? { zh: `相机配置文件 ${file} 已能正常加载。`, en: `The camera profile ${file} now loads.`, audited: 'profile loads' }
            : { zh: `相机配置文件 ${file} 已不在配置目录中。`, en: `The camera profile ${file} is no longer in the profile folder.`, audited: 'profile file removed' };
      d.alarms.resolve(a.id, stationActor.label, `${why.zh} / ${why.en}`, tx.at);
      tx.audit({ action: 'alarm.resolved', objectType: 'alarm', objectId: a.id, before: { kind: 'profile_invalid' }, after: { resolution: why.audited, file } });
      tx.emit('alarm.resolved', { id: a.id });
      counts.resolved++;
    }
  });
  return counts;
}

/**
 * The station's way to load its camera profiles: every file that loads is used, every file that
 * does not is skipped and reported (the log and a profile_invalid alarm). Throws a ProfileError,
 * listing every problem, only when no profile at all loads: a station that can recognise no
 * camera must say so rather than watch for cameras it will never know.
 */
export async function loadStationProfiles(d: ProfileAlarmDeps, dir: string, siteDir?: string): Promise<ProfileSet> {
  const { shipped, site, set } = await loadShippedAndSite(dir, siteDir);
  // One line a load for the log: the alarm (and `station ingest`) say what is wrong in each file.
  const skipped = [...problemsByFile(set.problems).keys()];
  if (skipped.length > 0) d.log(`camera profiles skipped (profile_invalid alarms): ${skipped.join(', ')}; first problem: ${formatProblem(set.problems[0]!)}`);
  try {
    settleProfileProblems(d, shipped, site !== null && site.profiles.length > 0);
    if (site) settleProfileProblems(d, site, true);
  } catch (e) {
    // The alarm could not be recorded (the database busy or closing): the profiles that load still
    // serve, and the next load settles the alarms again.
    d.log('recording camera profile problems failed', e);
  }
  if (set.profiles.length === 0) throw new ProfileError(shipped.readable ? [...set.problems, noProfileProblem(shipped)] : set.problems);
  return set;
}
