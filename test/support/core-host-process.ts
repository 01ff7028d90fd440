// Starts the bundled core host (the file Electron's utilityProcess runs) as a
// plain Node child for tests, and adapts it to the supervisor's CoreProcess.
import { execFileSync, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CoreProcess } from '../../electron/host/supervisor.js';
import { tempDir } from './station.js';

const repo = path.resolve(import.meta.dirname, '../..');
export const MIGRATIONS_DIR = path.join(repo, 'migrations');

/** Builds the shell bundles into a temporary folder with the real build script. */
export function buildShellBundles(): string {
  const outdir = tempDir('station-bundle-');
  execFileSync(process.execPath, [path.join(repo, 'scripts/build-electron.mjs'), '--outdir', outdir], { stdio: 'pipe' });
  return outdir;
}

export interface HostChild extends CoreProcess {
  readonly child: ChildProcess;
  /** What the host wrote to stderr (its log), for failure messages. */
  stderr(): string;
}

export function forkBundledHost(bundleDir: string): HostChild {
  let stderr = '';
  const child = fork(path.join(repo, 'test/support/parent-port-shim.mjs'), [], {
    env: {
      ...process.env,
      STATION_TEST_HOST_BUNDLE: path.join(bundleDir, 'utility-host.cjs'),
      // The bundle lives in a temp folder; better-sqlite3 (external) is found in the repo.
      NODE_PATH: path.join(repo, 'node_modules'),
    },
    // Structured clone, as Electron's parentPort uses.
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  // Sending to a child that just died reports here; the exit event tells the supervisor.
  child.on('error', () => {});
  return {
    child,
    stderr: () => stderr,
    postMessage: (message) => {
      if (!child.connected) throw new Error('the core host channel is closed');
      child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

/** Resolves with the exit code once the child has ended. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
