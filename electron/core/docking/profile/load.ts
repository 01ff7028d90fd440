// Loading profiles: one parsed JSON (parseProfile) or every file of the
// profiles folder (loadProfiles), all problems listed at once.
import { readdir, readFile } from 'node:fs/promises';
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

/**
 * Loads and validates every `*.json` in `dir`. All files are checked before
 * failing, so one run lists every problem; any problem fails the whole load,
 * because a station must not dock cameras with half its profiles. Each file's
 * `id` must equal its file name, and ids are unique by construction.
 */
export async function loadProfiles(dir: string): Promise<CameraProfile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (err) {
    throw new ProfileError([{ file: dir, field: '', message: `读不了配置目录 / cannot read the profile folder: ${(err as Error).message}` }]);
  }
  const problems: ProfileProblem[] = [];
  const profiles: CameraProfile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      problems.push({ file, field: '', message: `不是有效的 JSON / not valid JSON: ${(err as Error).message}` });
      continue;
    }
    try {
      const profile = parseProfile(json, file);
      const stem = name.slice(0, -'.json'.length);
      if (profile.id !== stem) problems.push({ file, field: 'id', message: `id "${profile.id}" 应与文件名 "${stem}" 相同 / id "${profile.id}" must equal the file name "${stem}"` });
      else profiles.push(profile);
    } catch (err) {
      if (err instanceof ProfileError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ProfileError(problems);
  if (profiles.length === 0) throw new ProfileError([{ file: dir, field: '', message: '目录中没有相机配置文件 / the folder holds no camera profile (*.json)' }]);
  return profiles;
}
