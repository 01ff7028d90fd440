// Loading profiles: one parsed JSON (parseProfile), every file of the profiles
// folder with the bad ones set aside and reported (loadProfileSet, what the
// station runs on), or every file with any problem fatal (loadProfiles, for
// tools that must not work from half a folder, like the camera emulator).
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { crossCheck } from './cross-check.js';
import { describeIssues, ProfileError, type ProfileProblem } from './problems.js';
import { profileSchema, type CameraProfile } from './schema.js';

/** Validates one profile's parsed JSON. `file` names it in errors. */
export function parseProfile(json: unknown, file: string): CameraProfile {
  const result = profileSchema.safeParse(json);
  if (!result.success) {
    throw new ProfileError(describeIssues(result.error.issues, json).map((d) => ({ file, ...d })));
  }
  const { problems, compiled } = crossCheck(result.data);
  if (problems.length > 0 || !compiled) throw new ProfileError(problems.map((p) => ({ file, ...p })));
  return { ...result.data, source: file, compiled };
}

/** What a folder of profiles gave: the profiles that load, and every problem of the files that do not. */
export interface ProfileSet {
  /** The folder that was read. */
  dir: string;
  profiles: CameraProfile[];
  /** Grouped by file in the folder's order; a problem with `file` equal to `dir` is the folder's own. */
  problems: ProfileProblem[];
  /** Every `*.json` file found, loaded or not, so a caller can tell a file that went away from one that now loads. */
  files: string[];
  /** False when the folder itself could not be listed: nothing can be said about any file in it. */
  readable: boolean;
}

/**
 * Reads one profile file: its profile, or its problems. Each file's `id` must
 * equal its file name, so ids are unique by construction.
 */
export async function readProfileFile(file: string): Promise<{ profile: CameraProfile } | { problems: ProfileProblem[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message = e.code
      ? `读不了文件 / cannot read the file: ${e.message}`
      : `不是有效的 JSON / not valid JSON: ${e.message}`;
    return { problems: [{ file, field: '', message }] };
  }
  let profile: CameraProfile;
  try {
    profile = parseProfile(json, file);
  } catch (err) {
    if (err instanceof ProfileError) return { problems: err.problems };
    throw err;
  }
  const stem = path.basename(file).replace(/\.json$/i, '');
  if (profile.id !== stem) {
    return { problems: [{ file, field: 'id', message: `id "${profile.id}" 应与文件名 "${stem}" 相同 / id "${profile.id}" must equal the file name "${stem}"` }] };
  }
  return { profile };
}

/**
 * Loads every `*.json` in `dir`, each on its own: a file with problems is left
 * out and its problems reported (file, field, message), and the others load.
 * One typo in one model's file must not stop the station docking every other
 * camera; the caller tells someone about the problems (the station raises a
 * profile_invalid alarm per file). Never throws for a bad file or folder:
 * those are problems too.
 */
export async function loadProfileSet(dir: string): Promise<ProfileSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (err) {
    return {
      dir,
      profiles: [],
      problems: [{ file: dir, field: '', message: `读不了配置目录 / cannot read the profile folder: ${(err as Error).message}` }],
      files: [],
      readable: false,
    };
  }
  const problems: ProfileProblem[] = [];
  const profiles: CameraProfile[] = [];
  const files = names.map((n) => path.join(dir, n));
  for (const file of files) {
    const read = await readProfileFile(file);
    if ('profile' in read) profiles.push(read.profile);
    else problems.push(...read.problems);
  }
  return { dir, profiles, problems, files, readable: true };
}

/** The problem that a folder gave no profile at all, for a set that has none. */
export function noProfileProblem(set: ProfileSet): ProfileProblem {
  return set.files.length === 0
    ? { file: set.dir, field: '', message: '目录中没有相机配置文件 / the folder holds no camera profile (*.json)' }
    : {
        file: set.dir,
        field: '',
        message: `${set.files.length} 个相机配置文件都有错误，一个也没有加载，无法识别任何执法记录仪 / none of the ${set.files.length} camera profile file(s) loads, so no camera can be recognised`,
      };
}

/**
 * Loads every `*.json` in `dir`, failing on any problem, all of them listed at
 * once: for tools that must not work from half a folder (the emulator, tests).
 * The station itself uses loadProfileSet.
 */
export async function loadProfiles(dir: string): Promise<CameraProfile[]> {
  const set = await loadProfileSet(dir);
  if (set.problems.length > 0) throw new ProfileError(set.problems);
  if (set.profiles.length === 0) throw new ProfileError([noProfileProblem(set)]);
  return set.profiles;
}

/**
 * The shipped profiles with the site's over them: a site file with a shipped profile's id replaces
 * it (a site correcting a model for its cameras), any other is added. Problems of both are kept.
 */
export function mergeProfileSets(shipped: ProfileSet, site: ProfileSet): ProfileSet {
  const siteIds = new Set(site.profiles.map((p) => p.id));
  return {
    dir: shipped.dir,
    profiles: [...shipped.profiles.filter((p) => !siteIds.has(p.id)), ...site.profiles],
    problems: [...shipped.problems, ...site.problems],
    files: [...shipped.files, ...site.files],
    readable: shipped.readable,
  };
}

/**
 * The shipped folder and the site's (optional: one that is not there is no problem), each as read,
 * and what the station uses: the two merged.
 */
export async function loadShippedAndSite(dir: string, siteDir?: string): Promise<{ shipped: ProfileSet; site: ProfileSet | null; set: ProfileSet }> {
  const shipped = await loadProfileSet(dir);
  const site = siteDir !== undefined && existsSync(siteDir) ? await loadProfileSet(siteDir) : null;
  return { shipped, site, set: site ? mergeProfileSets(shipped, site) : shipped };
}
