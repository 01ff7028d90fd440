// A copy worker: runs the engine off the core's event loop. Hashing a 4 MiB
// chunk takes 2–9 ms of CPU (SHA-256 / SM3); here that blocks only this
// thread, while the core keeps answering the UI.
//
// Started by CopyPool (see worker-entry.ts for how the file is found under
// tsx, vitest, tsc output and an esbuild bundle).
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { allocateRing } from './aligned.js';
import { copyFile, hashFile } from './engine.js';
import { CopyError } from './errors.js';
import type { PoolToWorker, WorkerConfig, WorkerToPool } from './protocol.js';
import type { CopyProgress } from './types.js';

if (!parentPort) throw new Error('worker.ts is a worker thread entry: start it through CopyPool');
const port = parentPort;
const config = workerData as WorkerConfig;
// Two workers hashing SM3 keep both cores of the target machines busy; the
// core's event loop (same process, nice 0) must still get the CPU at once when
// it wakes. On Linux, setpriority(PRIO_PROCESS, tid) applies to one thread, and
// /proc/thread-self names this one. Elsewhere the worker keeps the default.
function lowerThisThreadsPriority(niceness: number): void {
  if (process.platform !== 'linux' || niceness <= 0) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, niceness);
  } catch {
    // Not permitted or no procfs: run at normal priority.
  }
}
lowerThisThreadsPriority(config.niceness);

// One ring for every file this worker copies: no allocation per file or chunk.
const ring = allocateRing(config.tuning.chunkBytes, config.tuning.depth);
const running = new Map<number, AbortController>();

function send(message: WorkerToPool): void {
  port.postMessage(message);
}

/** Progress for one job, at most every `progressIntervalMs`, but never skipping a phase's start or end. */
function throttledProgress(id: number): (progress: CopyProgress) => void {
  let lastPhase: string | undefined;
  let lastSent = 0;
  return (progress) => {
    const now = performance.now();
    const edge = progress.phase !== lastPhase || progress.bytesDone === progress.bytesTotal;
    if (!edge && now - lastSent < config.progressIntervalMs) return;
    lastPhase = progress.phase;
    lastSent = now;
    send({ type: 'progress', id, progress });
  };
}

async function run(message: Extract<PoolToWorker, { type: 'copy' | 'hash' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.id, controller);
  const onProgress = throttledProgress(message.id);
  const options = { ring, tuning: config.tuning, onProgress };
  try {
    const result =
      message.type === 'copy'
        ? await copyFile(message.task, controller.signal, options)
        : await hashFile(message.file, message.algorithm, controller.signal, options);
    send({ type: 'done', id: message.id, result });
  } catch (err) {
    const error = err instanceof CopyError ? err : new CopyError('internal', err instanceof Error ? err.message : String(err));
    send({ type: 'failed', id: message.id, error: error.toWire() });
  } finally {
    running.delete(message.id);
  }
}

port.on('message', (message: PoolToWorker) => {
  if (message.type === 'ping') {
    send({ type: 'ready' });
    return;
  }
  if (message.type === 'abort') {
    running.get(message.id)?.abort();
    return;
  }
  if (running.size > 0) {
    // The ring is not shared between jobs; the pool must not do this.
    send({ type: 'failed', id: message.id, error: new CopyError('internal', 'a copy worker was given a second job while busy').toWire() });
    return;
  }
  void run(message);
});
