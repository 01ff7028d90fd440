// Starting ffmpeg for derived media: never through a shell (names with Chinese characters or
// spaces pass intact), with a timeout, and for background work at the lowest priority the OS has,
// so making posters never takes CPU or disk time from a dock's copy and read-back.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAfter } from '../ingest/kill-after.js';

export type Priority = 'background' | 'normal';

/** Where a program of that name is on PATH, or null (looked up once per name). */
const found = new Map<string, string | null>();
function onPath(name: string): string | null {
  if (!found.has(name)) {
    const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    found.set(name, dirs.map((d) => path.join(d, name)).find((f) => isExecutable(f)) ?? null);
  }
  return found.get(name)!;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The command line for `ffmpeg args` at `priority`. In the background on Linux: `nice -n 19`
 * (the CPU) and `ionice -c 3` (the idle I/O class: served only when no one else waits for the
 * disk, where the scheduler honours classes) in front of it, each only if installed.
 */
export function commandFor(ffmpeg: string, args: readonly string[], priority: Priority): { command: string; args: string[] } {
  if (priority === 'background' && process.platform !== 'win32') {
    const prefix: string[] = [];
    const nice = onPath('nice');
    const ionice = process.platform === 'linux' ? onPath('ionice') : null;
    if (nice) prefix.push(nice, '-n', '19');
    if (ionice) prefix.push(ionice, '-c', '3');
    if (prefix.length) return { command: prefix[0]!, args: [...prefix.slice(1), ffmpeg, ...args] };
  }
  return { command: ffmpeg, args: [...args] };
}

export function spawnFfmpeg(ffmpeg: string, args: readonly string[], priority: Priority, stdout: 'pipe' | 'ignore'): ChildProcess {
  const cmd = commandFor(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], priority);
  const child = spawn(cmd.command, cmd.args, { stdio: ['ignore', stdout, 'pipe'], windowsHide: true });
  // Windows has no nice: below-normal priority on the child once it exists.
  if (priority === 'background' && process.platform === 'win32' && child.pid) {
    try {
      os.setPriority(child.pid, os.constants.priority.PRIORITY_BELOW_NORMAL);
    } catch {
      // The child may already have ended; a priority not set costs speed, never correctness.
    }
  }
  return child;
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

function abortError(): Error {
  const e = new Error('ffmpeg was stopped: the station is closing');
  e.name = 'AbortError';
  return e;
}

const KEEP_STDERR = 8 * 1024; // the tail is where ffmpeg says what went wrong

/** Collects the tail of a child's stderr. */
export function stderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    tail = (tail + s).slice(-KEEP_STDERR);
  });
  return () => tail.trim();
}

/**
 * Runs ffmpeg to its end; rejects with its stderr on a non-zero exit, a failure to start, or the
 * timeout (SIGKILL). `signal` kills it at once (the station closing): rejects with an AbortError.
 */
export function runFfmpeg(ffmpeg: string, args: readonly string[], options: { priority: Priority; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const child = spawnFfmpeg(ffmpeg, args, options.priority, 'ignore');
    const abort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', abort, { once: true });
    const stderr = stderrTail(child);
    let timedOut = false;
    const clear = killAfter(child, options.timeoutMs);
    const timer = setTimeout(() => (timedOut = true), options.timeoutMs);
    const settle = (error: Error | null) => {
      clear();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      if (options.signal?.aborted) error = abortError();
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (e) => settle(new FfmpegError(`ffmpeg could not be started: ${e.message}`, '')));
    child.once('close', (code, signal) => {
      if (code === 0) settle(null);
      else if (timedOut) settle(new FfmpegError(`ffmpeg took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped`, stderr()));
      else settle(new FfmpegError(`ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr().split('\n').at(-1) ?? ''}`, stderr()));
    });
  });
}
