import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildMessage, ClockChange, CoreHostConfig, ParentMessage } from './ipc.js';

// Starts the core host as a child process and keeps it running, as Electron
// main does with its utility process: a core that dies is started again, on
// the same socket port (the open pages' CSP and bridge know only that one) and,
// in --clock mode, at the time its clock had reached.

const coreHostFile = fileURLToPath(new URL('./core-host.ts', import.meta.url));
// Resolved to a file URL so the child finds tsx whatever its working directory.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 5000;
/** A core that ran this long before dying is not crash-looping: restart it promptly. */
const STABLE_RUN_MS = 10_000;
const STOP_GRACE_MS = 5000;

export interface CoreSupervisorOptions {
  config: Omit<CoreHostConfig, 'wsPort' | 'clockStart'>;
  /** Present: the core runs on a manual clock starting here (epoch ms). */
  clockStart?: number;
  cwd: string;
  log: (line: string) => void;
}

interface ClockWaiter {
  resolve(now: number): void;
  reject(error: Error): void;
}

export class CoreSupervisor {
  private child: ChildProcess | null = null;
  private wsPort = 0;
  private clockNow: number | undefined;
  private running = false;
  private stopping = false;
  private crashesInARow = 0;
  private lastStart = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private nextClockId = 1;
  private readonly clockWaiters = new Map<number, ClockWaiter>();

  constructor(private readonly options: CoreSupervisorOptions) {
    this.clockNow = options.clockStart;
  }

  /** The socket port; fixed once the first core has started. */
  get port(): number {
    return this.wsPort;
  }

  /** The running core's process id (null while it restarts): tests kill it to prove the restart. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get hasManualClock(): boolean {
    return this.clockNow !== undefined;
  }

  /** Starts the first core; rejects (no retry) when it cannot start, e.g. a database from a newer version. */
  async start(): Promise<number> {
    await this.spawnCore();
    this.running = true;
    return this.wsPort;
  }

  /** Moves the core's manual clock and locks the sessions that went idle; answers the clock's new time. */
  moveClock(change: ClockChange): Promise<number> {
    if (this.clockNow === undefined) {
      return Promise.reject(new Error('the harness was started without --clock'));
    }
    const child = this.child;
    if (!child?.connected) return Promise.reject(new Error('the core is restarting; try again'));
    const id = this.nextClockId++;
    return new Promise<number>((resolve, reject) => {
      this.clockWaiters.set(id, { resolve, reject });
      child.send({ type: 'clock', id, change } satisfies ParentMessage);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private spawnCore(): Promise<void> {
    this.lastStart = Date.now();
    const child = spawn(process.execPath, ['--import', tsxLoader, coreHostFile], {
      cwd: this.options.cwd,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    const config: CoreHostConfig = {
      ...this.options.config,
      wsPort: this.wsPort,
      ...(this.clockNow !== undefined ? { clockStart: this.clockNow } : {}),
    };
    child.send({ type: 'start', config } satisfies ParentMessage);

    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let fatal: string | undefined;
      child.on('message', (message: ChildMessage) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            this.wsPort = message.wsPort;
            if (this.clockNow !== undefined) this.clockNow = message.now;
            resolve();
            break;
          case 'fatal':
            fatal = message.message;
            break;
          case 'clock-done':
            this.clockNow = message.now;
            this.settleClock(message.id, (w) => w.resolve(message.now));
            break;
          case 'clock-failed':
            this.settleClock(message.id, (w) => w.reject(new Error(message.message)));
            break;
        }
      });
      // Spawn itself failed (no node?): 'exit' may never come, so answer here too.
      child.on('error', (error) => {
        fatal ??= error.message;
        if (!ready) reject(new Error(`the core did not start: ${fatal}`));
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        for (const [id] of this.clockWaiters) this.settleClock(id, (w) => w.reject(new Error('the core stopped')));
        const why = fatal ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
        if (!ready) reject(new Error(`the core did not start: ${why}`));
        if (this.running && !this.stopping) {
          this.options.log(`Station harness: the core stopped (${why}); restarting it.`);
          this.scheduleRestart();
        }
      });
    });
  }

  private scheduleRestart(): void {
    this.crashesInARow = Date.now() - this.lastStart > STABLE_RUN_MS ? 0 : this.crashesInARow + 1;
    const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** this.crashesInARow, MAX_RESTART_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      // A failed restart exits, and the exit handler schedules the next attempt.
      this.spawnCore().catch(() => {});
    }, delay);
  }

  private settleClock(id: number, settle: (waiter: ClockWaiter) => void): void {
    const waiter = this.clockWaiters.get(id);
    if (!waiter) return;
    this.clockWaiters.delete(id);
    settle(waiter);
  }
}
