import { spawnSync } from 'node:child_process';
import { repoPath } from '../../electron/core/paths.js';

/**
 * Runs `calls` over one of the core's modules (imported as `m`) in a Node process of its own, as
 * the CLI would, and answers how long that process took to exit: work that has ended must not
 * hold a process open (a timer left behind keeps `station ingest` waiting after its summary).
 * The run is killed after 14 s.
 */
export function secondsToExit(
  module: string,
  calls: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; seconds: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(repoPath(module))}).then(async (m) => { ${calls} })`], {
    cwd: repoPath(),
    env,
    encoding: 'utf8',
    timeout: 14_000,
  });
  return { status: r.status, stdout: r.stdout, seconds: (Date.now() - started) / 1000 };
}
