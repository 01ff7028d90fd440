// A bounded pool of copy workers with a queue. The core hands it files; each
// runs in a worker thread (engine.ts), so the core's event loop only passes
// messages. Per job: an AbortSignal (the worker stops at its next chunk and
// removes the partial copy) and throttled progress.
//
// Every fs request of every worker runs on the process's one libuv thread
// pool. It has 4 threads unless UV_THREADPOOL_SIZE is set before the
// process's first fs call, which is too few for several workers with several
// requests in flight each: see threadpool.ts.
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { resolveTuning } from './engine.js';
import { abortedError, CopyError, isCopyErrorWire } from './errors.js';
import type { PoolToWorker, WorkerConfig, WorkerToPool } from './protocol.js';
import { HASH_ALGORITHMS, type CopyProgress, type CopyResult, type CopyTask, type HashAlgorithm, type HashResult, type IoTuning } from './types.js';
import { defaultWorkerEntry, type WorkerEntry } from './worker-entry.js';

export interface CopyPoolOptions {
  /** Workers, i.e. files copied at once. Default 2 (one per core on the target machines). */
  size?: number;
  tuning?: Partial<IoTuning>;
  /** Minimum time between two progress callbacks of a job. Default 100 ms. */
  progressIntervalMs?: number;
  /** The worker script; found automatically (worker-entry.ts) unless given. */
  worker?: WorkerEntry;
  /**
   * Nice value of the worker threads (Linux; 0 = normal). Default 10 (below
   * normal): the copy yields the CPU to the core's event loop and the UI.
   */
  workerNiceness?: number;
  /**
   * A worker idle this long is ended, and with it its buffer ring (128 MiB
   * with the default tuning): a station docks a few times a day and should
   * not hold that memory in between. The next job starts a worker again (tens
   * of milliseconds). Default 60 s; Infinity keeps workers for the pool's life.
   */
  idleWorkerMs?: number;
}

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?(progress: CopyProgress): void;
}

type Request = { type: 'copy'; task: CopyTask } | { type: 'hash'; file: string; algorithm: HashAlgorithm };

interface Job {
  id: number;
  request: Request;
  options: JobOptions;
  resolve(value: CopyResult | HashResult): void;
  reject(error: CopyError): void;
  /** Set once the worker reported the copy's first progress: from then on a copy of ours may exist. */
  destinationCreated: boolean;
  detach(): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** Set when the worker has exited (or is being terminated); the slot is then dropped. */
  gone: boolean;
  /** Ends the worker once it has been idle for `idleWorkerMs`. */
  idleTimer?: NodeJS.Timeout;
}

const CLOSE_GRACE_MS = 10_000;
const IDLE_WORKER_MS = 60_000;

export class CopyPool {
  readonly size: number;
  readonly #config: WorkerConfig;
  readonly #entry: WorkerEntry;
  readonly #idleWorkerMs: number;
  readonly #slots: Slot[] = [];
  #queue: Job[] = [];
  #nextId = 1;
  #closing: Promise<void> | undefined;

  constructor(options: CopyPoolOptions = {}) {
    const size = options.size ?? 2;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`CopyPool size must be a whole number ≥ 1, got ${size}`);
    this.size = size;
    this.#config = {
      tuning: resolveTuning(options.tuning),
      progressIntervalMs: options.progressIntervalMs ?? 100,
      niceness: options.workerNiceness ?? os.constants.priority.PRIORITY_BELOW_NORMAL,
    };
    this.#entry = options.worker ?? defaultWorkerEntry();
    this.#idleWorkerMs = options.idleWorkerMs ?? IDLE_WORKER_MS;
    if (!(this.#idleWorkerMs > 0)) throw new RangeError(`idleWorkerMs must be > 0, got ${this.#idleWorkerMs}`);
  }

  /** Jobs being worked on now. */
  get running(): number {
    return this.#slots.filter((s) => s.job).length;
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Worker threads alive and not being ended (each holds a buffer ring). */
  get workers(): number {
    return this.#slots.filter((s) => !s.gone).length;
  }

  /**
   * Starts every worker now and resolves once each has loaded its code and
   * allocated its buffers. Optional: workers otherwise start with the first
   * jobs. Benchmarks use it so start-up is not timed.
   */
  async ready(): Promise<void> {
    if (this.#closing) throw abortedError('the copy pool is closed');
    while (this.#slots.length < this.size) this.#startWorker();
    await Promise.all(
      this.#slots.map(
        (slot) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (message: WorkerToPool) => {
              if (message.type !== 'ready') return;
              slot.worker.off('message', onMessage);
              slot.worker.off('exit', onExit);
              if (!slot.job) this.#idle(slot);
              resolve();
            };
            const onExit = (code: number) => reject(new CopyError('internal', `a copy worker exited while starting (code ${code})`));
            slot.worker.on('message', onMessage);
            slot.worker.once('exit', onExit);
            slot.worker.postMessage({ type: 'ping' } satisfies PoolToWorker);
          }),
      ),
    );
  }

  /** Copies one file (see engine.ts copyFile); rejects with a CopyError. */
  copy(task: CopyTask, options: JobOptions = {}): Promise<CopyResult> {
    if (!HASH_ALGORITHMS.includes(task.algorithm)) return Promise.reject(new CopyError('internal', `unknown hash algorithm ${String(task.algorithm)}`));
    return this.#submit({ type: 'copy', task: { source: task.source, destination: task.destination, algorithm: task.algorithm, readBack: task.readBack } }, options) as Promise<CopyResult>;
  }

  /** Re-hashes a file from the medium where possible (see engine.ts hashFile). */
  hash(file: string, algorithm: HashAlgorithm, options: JobOptions = {}): Promise<HashResult> {
    if (!HASH_ALGORITHMS.includes(algorithm)) return Promise.reject(new CopyError('internal', `unknown hash algorithm ${String(algorithm)}`));
    return this.#submit({ type: 'hash', file, algorithm }, options) as Promise<HashResult>;
  }

  #submit(request: Request, options: JobOptions): Promise<CopyResult | HashResult> {
    if (this.#closing) return Promise.reject(abortedError('the copy pool is closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortedError('aborted before it started'));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        request,
        options,
        resolve,
        reject,
        destinationCreated: false,
        detach: () => undefined,
      };
      if (signal) {
        const onAbort = () => this.#abort(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  #abort(job: Job): void {
    const queuedAt = this.#queue.indexOf(job);
    if (queuedAt >= 0) {
      this.#queue.splice(queuedAt, 1);
      this.#settle(job, abortedError('aborted while waiting for a copy worker'));
      return;
    }
    const slot = this.#slots.find((s) => s.job === job);
    // The worker stops at its next chunk, removes the partial copy and answers `failed(aborted)`.
    if (slot) slot.worker.postMessage({ type: 'abort', id: job.id } satisfies PoolToWorker);
  }

  #settle(job: Job, outcome: CopyError | CopyResult | HashResult): void {
    job.detach();
    if (outcome instanceof CopyError) job.reject(outcome);
    else job.resolve(outcome);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.job && !s.gone);
      if (!slot) {
        if (this.#slots.length >= this.size) return;
        slot = this.#startWorker();
      }
      const job = this.#queue.shift()!;
      slot.job = job;
      clearTimeout(slot.idleTimer);
      slot.worker.ref();
      const message: PoolToWorker =
        job.request.type === 'copy'
          ? { type: 'copy', id: job.id, task: job.request.task }
          : { type: 'hash', id: job.id, file: job.request.file, algorithm: job.request.algorithm };
      slot.worker.postMessage(message);
    }
  }

  #startWorker(): Slot {
    const worker = new Worker(this.#entry.url, { workerData: this.#config, execArgv: this.#entry.execArgv });
    const slot: Slot = { worker, gone: false };
    this.#slots.push(slot);
    worker.on('message', (message: WorkerToPool) => this.#onMessage(slot, message));
    // An uncaught error in a worker ends it; 'exit' follows and fails its job.
    let crash: Error | undefined;
    worker.on('error', (err) => (crash = err));
    worker.on('exit', (code) => void this.#onExit(slot, code, crash));
    return slot;
  }

  #onMessage(slot: Slot, message: WorkerToPool): void {
    const job = slot.job;
    if (message.type === 'ready' || !job || job.id !== message.id) return;
    if (message.type === 'progress') {
      if (message.progress.phase === 'copying') job.destinationCreated = true;
      try {
        job.options.onProgress?.(message.progress);
      } catch {
        // A failing progress listener must not stop the copy.
      }
      return;
    }
    slot.job = undefined;
    if (message.type === 'done') this.#settle(job, message.result);
    else this.#settle(job, isCopyErrorWire(message.error) ? CopyError.fromWire(message.error) : new CopyError('internal', 'malformed failure from a copy worker'));
    this.#dispatch();
    if (!slot.job) this.#idle(slot);
  }

  /** An idle worker does not keep the process alive, and is ended after `idleWorkerMs`. */
  #idle(slot: Slot): void {
    slot.worker.unref();
    if (!Number.isFinite(this.#idleWorkerMs)) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.job || slot.gone || this.#closing) return;
      // Gone from now on: #dispatch starts a new worker rather than wait for this one, once its exit frees the slot.
      slot.gone = true;
      void slot.worker.terminate();
    }, Math.min(this.#idleWorkerMs, 2 ** 31 - 1));
    slot.idleTimer.unref();
  }

  async #onExit(slot: Slot, code: number, crash: Error | undefined): Promise<void> {
    slot.gone = true;
    clearTimeout(slot.idleTimer);
    this.#slots.splice(this.#slots.indexOf(slot), 1);
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      const error = new CopyError('internal', `the copy worker exited (code ${code})${crash ? `: ${crash.message}` : ''}`, crash ? { cause: crash } : {});
      // The worker could not clean up after itself: remove the partial copy here.
      if (job.request.type === 'copy' && job.destinationCreated) {
        await rm(job.request.task.destination, { force: true }).catch(() => (error.leftover = (job.request as { task: CopyTask }).task.destination));
      }
      this.#settle(job, error);
    }
    if (!this.#closing) this.#dispatch();
  }

  /**
   * Stops the pool: no new jobs; queued jobs fail `aborted`; running jobs are
   * aborted (their partial copies removed) and awaited; then the workers end.
   * A worker stuck in a system call on a dead device is terminated after a grace period.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const queued = this.#queue;
    this.#queue = [];
    for (const job of queued) this.#settle(job, abortedError('the copy pool was closed'));
    const running = this.#slots.filter((s) => s.job).map((s) => s.job!);
    const settled = running.map(
      (job) =>
        new Promise<void>((resolve) => {
          const { resolve: ok, reject: fail } = job;
          job.resolve = (value) => (ok(value), resolve());
          job.reject = (error) => (fail(error), resolve());
        }),
    );
    for (const job of running) this.#abort(job);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(settled), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
