// Main's side of the core: starts the host process, relays calls to it and
// events from it, and restarts it when it dies. Written against a small
// process interface instead of Electron's utilityProcess so the restart rules
// are tested with a real Node child running the real core.
//
// No `electron` import here.
import type { EventName } from '../../shared/contract.js';
import { eventNames } from '../../shared/events.js';
import type { Result, StationErrorBody } from '../../shared/errors.js';
import type { CoreHostStart, MainToHost } from './host-protocol.js';
import { parseHostToMain } from './host-protocol.js';

/** The host process as the supervisor sees it. */
export interface CoreProcess {
  postMessage(message: MainToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has ended (code null: killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface RestartPolicy {
  /** Wait before the first restart; doubled for each further crash in a row. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Crashes in a row after which the supervisor gives up and says so. */
  maxRestarts: number;
  /** A core that ran this long after being ready starts a fresh count. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 500,
  maxDelayMs: 15_000,
  maxRestarts: 5,
  stableAfterMs: 60_000,
};

export type CoreFailure =
  /** The host could not open the station (e.g. the database is newer): a restart would fail the same way. */
  | { kind: 'fatal'; error: StationErrorBody }
  /** The host kept crashing. */
  | { kind: 'gave_up'; crashes: number; lastExitCode: number | null };

export type SupervisorState = 'idle' | 'starting' | 'ready' | 'waiting' | 'failed' | 'stopping' | 'stopped';

export interface SupervisorOptions {
  spawn(): CoreProcess;
  start: CoreHostStart;
  log(message: string, error?: unknown): void;
  /** A core event addressed to one window connection (broadcasts arrive once per connection). */
  onEvent(connection: number, event: EventName, payload: unknown): void;
  /** The core is back after an unexpected exit or a retry: windows must be told, their sessions are gone. */
  onRestarted(at: number): void;
  onFailed(failure: CoreFailure): void;
  policy?: Partial<RestartPolicy>;
  now?: () => number;
}

/** The head of a media answer from the core, with the way to its body. */
export interface MediaAnswerHead {
  status: number;
  headers: Record<string, string>;
  text: string | null;
  hasBody: boolean;
  /** The next chunk; null at the end; rejects when the stream was cut short. */
  pull(): Promise<Uint8Array | null>;
  /** The player hung up. */
  cancel(): void;
}

const noBody = () => Promise.resolve(null);

export const CORE_UNAVAILABLE: StationErrorBody = {
  code: 'core_unavailable',
  message:
    '站点核心暂时不可用（正在重新启动或已停止），操作未执行；请稍候重试。 / The station core is unavailable (restarting or stopped); nothing was done. Try again in a moment.',
};

const unavailable = (state: SupervisorState): Result<unknown> => ({
  ok: false,
  error: { ...CORE_UNAVAILABLE, details: { state } },
});

const knownEvents = new Set<string>(eventNames);

export class CoreSupervisor {
  private readonly policy: RestartPolicy;
  private readonly now: () => number;
  private child: CoreProcess | null = null;
  /** Bumped per spawn: messages and exits of an abandoned child are ignored. */
  private generation = 0;
  private currentState: SupervisorState = 'idle';
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  /** Media answers in flight (openMedia), by main's id. */
  private readonly media = new Map<number, { head(h: Omit<MediaAnswerHead, 'pull' | 'cancel'>): void; chunk(bytes: Uint8Array | null, failed: boolean): void }>();
  private nextRequestId = 1;
  private crashesInARow = 0;
  private readyAt: number | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private stopWaiters: Array<() => void> = [];

  constructor(private readonly options: SupervisorOptions) {
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.policy };
    this.now = options.now ?? Date.now;
  }

  get state(): SupervisorState {
    return this.currentState;
  }

  /** Calls in flight, for tests and the shell's own reports. */
  get inFlight(): number {
    return this.pending.size;
  }

  start(): void {
    if (this.currentState !== 'idle') return;
    this.spawnChild(false);
  }

  /** After a failure, the person asked to try again. */
  retry(): void {
    if (this.currentState !== 'failed') return;
    this.crashesInARow = 0;
    this.spawnChild(true);
  }

  invoke(connection: number, name: string, input: unknown): Promise<Result<unknown>> {
    const child = this.child;
    // While starting, the host queues what it gets until the station is open.
    if (!child || (this.currentState !== 'ready' && this.currentState !== 'starting')) {
      return Promise.resolve(unavailable(this.currentState));
    }
    const id = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        child.postMessage({ kind: 'request', connection, request: { kind: 'invoke', id, name, input } });
      } catch (e) {
        // The channel closed under us; the exit handler will follow.
        this.pending.delete(id);
        this.options.log(`could not send ${name} to the core`, e);
        resolve(unavailable(this.currentState));
      }
    });
  }

  /**
   * app://station/media/<viewId>: the core's answer head, and a pull for each chunk of the body
   * (null at its end; a rejection when it was cut short: the grant ended, the core went away).
   */
  openMedia(viewId: string, method: string, range: string | null): Promise<MediaAnswerHead> {
    const child = this.child;
    if (!child || this.currentState !== 'ready') return Promise.resolve({ status: 503, headers: {}, text: 'the station core is not running', hasBody: false, pull: noBody, cancel: () => undefined });
    const id = this.nextRequestId++;
    return new Promise((resolve) => {
      const cancel = () => {
        this.media.delete(id);
        try {
          this.child?.postMessage({ kind: 'media.cancel', id });
        } catch {
          // gone already
        }
      };
      const pull = () =>
        new Promise<Uint8Array | null>((resolveChunk, rejectChunk) => {
          this.media.set(id, { head: () => undefined, chunk: (bytes, failed) => (failed ? rejectChunk(new Error('media stream cut short')) : resolveChunk(bytes)) });
          try {
            this.child?.postMessage({ kind: 'media.pull', id });
          } catch {
            rejectChunk(new Error('the core is gone'));
          }
        });
      this.media.set(id, {
        head: (h) => resolve({ ...h, pull, cancel }),
        chunk: () => undefined,
      });
      try {
        child.postMessage({ kind: 'media.open', id, viewId, method, range });
      } catch {
        this.media.delete(id);
        resolve({ status: 503, headers: {}, text: 'the station core is not running', hasBody: false, pull: noBody, cancel: () => undefined });
      }
    });
  }

  /** A window closed, crashed or reloaded: the core ends its session. */
  disconnect(connection: number): void {
    if (!this.child || this.currentState === 'stopping') return;
    try {
      this.child.postMessage({ kind: 'disconnect', connection });
    } catch (e) {
      this.options.log('could not tell the core a window went away', e);
    }
  }

  /** Asks the core to close its database and exit; kills it after `timeoutMs`. */
  stop(timeoutMs = 3000): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.currentState === 'stopped') return Promise.resolve();
    const child = this.child;
    this.currentState = 'stopping';
    this.failPending();
    if (!child) {
      this.currentState = 'stopped';
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const killTimer = setTimeout(() => {
        this.options.log(`the core did not exit within ${timeoutMs} ms; killing it`);
        child.kill();
      }, timeoutMs);
      this.stopWaiters.push(() => {
        clearTimeout(killTimer);
        resolve();
      });
      if (this.stopWaiters.length > 1) return; // a shutdown is already on its way
      try {
        child.postMessage({ kind: 'shutdown' });
      } catch {
        child.kill();
      }
    });
  }

  private spawnChild(isRestart: boolean): void {
    const generation = ++this.generation;
    this.currentState = 'starting';
    this.readyAt = null;
    let child: CoreProcess;
    try {
      child = this.options.spawn();
    } catch (e) {
      this.options.log('could not start the core process', e);
      this.child = null;
      this.onChildExit(null);
      return;
    }
    this.child = child;
    child.onMessage((raw) => {
      if (generation === this.generation) this.onChildMessage(raw, isRestart);
    });
    child.onExit((code) => {
      if (generation === this.generation) this.onChildExit(code);
    });
    child.postMessage({ kind: 'start', start: this.options.start });
  }

  private onChildMessage(raw: unknown, isRestart: boolean): void {
    const message = parseHostToMain(raw);
    if (message === null) {
      this.options.log('dropped a malformed message from the core');
      return;
    }
    switch (message.kind) {
      case 'ready':
        this.currentState = 'ready';
        this.readyAt = this.now();
        this.options.log(`core ready (pid ${message.pid})`);
        if (isRestart) this.options.onRestarted(this.readyAt);
        return;
      case 'fatal': {
        this.options.log(`core could not open the station: ${message.error.code}: ${message.error.message}`);
        const child = this.child;
        // Abandon the idle host: its exit is expected and must not count as a crash.
        this.generation++;
        this.child = null;
        child?.kill();
        this.currentState = 'failed';
        this.failPending();
        this.options.onFailed({ kind: 'fatal', error: message.error });
        return;
      }
      case 'media.head': {
        const waiter = this.media.get(message.id);
        if (!message.hasBody) this.media.delete(message.id);
        waiter?.head({ status: message.status, headers: message.headers, text: message.text, hasBody: message.hasBody });
        return;
      }
      case 'media.chunk': {
        const waiter = this.media.get(message.id);
        if (message.bytes === null) this.media.delete(message.id);
        waiter?.chunk(message.bytes, message.failed);
        return;
      }
      case 'message': {
        const m = message.message;
        if (m.kind === 'result') {
          const resolve = this.pending.get(m.id);
          if (!resolve) return; // answered already (e.g. failed at a restart)
          this.pending.delete(m.id);
          resolve(m.result);
        } else if (knownEvents.has(m.event)) {
          this.options.onEvent(message.connection, m.event, m.payload);
        }
        return;
      }
    }
  }

  private onChildExit(code: number | null): void {
    this.child = null;
    if (this.currentState === 'stopping') {
      this.currentState = 'stopped';
      this.failPending();
      const waiters = this.stopWaiters;
      this.stopWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const ranFor = this.readyAt === null ? 0 : this.now() - this.readyAt;
    if (ranFor >= this.policy.stableAfterMs) this.crashesInARow = 0;
    this.crashesInARow++;
    this.options.log(`core exited unexpectedly (code ${code ?? 'signal'}) after ${ranFor} ms; crash ${this.crashesInARow} in a row`);
    if (this.crashesInARow > this.policy.maxRestarts) {
      this.currentState = 'failed';
      this.failPending();
      this.options.log(`giving up after ${this.crashesInARow} crashes in a row`);
      this.options.onFailed({ kind: 'gave_up', crashes: this.crashesInARow, lastExitCode: code });
      return;
    }
    const delay = Math.min(this.policy.firstDelayMs * 2 ** (this.crashesInARow - 1), this.policy.maxDelayMs);
    this.currentState = 'waiting';
    this.failPending();
    this.options.log(`restarting the core in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.spawnChild(true);
    }, delay);
  }

  /** Every call still waiting is answered now: the process that had it is gone. */
  private failPending(): void {
    const media = [...this.media.values()];
    this.media.clear();
    for (const m of media) {
      m.head({ status: 503, headers: {}, text: 'the station core is not running', hasBody: false });
      m.chunk(null, true);
    }
    const waiting = [...this.pending.values()];
    this.pending.clear();
    const result = unavailable(this.currentState);
    for (const resolve of waiting) resolve(result);
  }
}
