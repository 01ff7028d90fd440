// Runs the real `station` command in a child process, as a user would (the
// same launcher `npx station` runs), for the CLI and audit-tamper tests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const stationBin = path.join(repoRoot, 'bin', 'station.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `station <args>` to the end with `stdin` as its input. The test-only
 * STATION_SCRYPT_COST keeps password hashing fast; `command` replaces
 * `node bin/station.mjs` (e.g. to run it through npx or a pseudo-terminal).
 */
export function runStation(args: string[], options: { stdin?: string; command?: string[]; env?: Record<string, string> } = {}): Promise<CliRun> {
  const [cmd, ...pre] = options.command ?? [process.execPath, stationBin];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, ...args], {
      cwd: repoRoot,
      env: { ...process.env, STATION_SCRYPT_COST: '1024', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit without reading all of it
    child.stdin.end(options.stdin ?? '');
  });
}
