// One camera's files, one after another, with the read-back of file N
// overlapping the copy of file N+1.
//
// A camera is one USB device: reading two of its files at once only
// interleaves requests on one slow bus. But the fsync and the read-back of a copy touch the vault, not
// the camera, so file N+1 can start as soon as file N's camera file is read whole (its `syncing` phase). With a
// pool of two workers this keeps the camera busy and both cores hashing (SM3
// is CPU-bound: one core hashes the camera's bytes while the other hashes the
// copy's), which is where most of the verified ingest's speed comes from
// (docs/performance.md).
import { abortedError, CopyError } from './errors.js';
import type { CopyPool } from './pool.js';
import type { CopyProgress, CopyResult, CopyTask } from './types.js';

export interface CopyInOrderOptions {
  signal?: AbortSignal;
  onProgress?(index: number, progress: CopyProgress): void;
  /** Called as each file finishes (in completion order). */
  onSettled?(index: number, outcome: CopyResult | CopyError): void;
}

/**
 * Copies `tasks` through `pool`, starting each one once its predecessor has
 * finished reading the camera. A failed file does not stop the others (the
 * caller's state machine decides what a failure means); an abort does.
 * Resolves with one outcome per task, in task order.
 */
export async function copyInOrder(pool: CopyPool, tasks: readonly CopyTask[], options: CopyInOrderOptions = {}): Promise<Array<CopyResult | CopyError>> {
  const outcomes: Array<Promise<CopyResult | CopyError>> = [];
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index]!;
    if (options.signal?.aborted) {
      outcomes.push(Promise.resolve(abortedError(`not started: ${task.source}`)));
      continue;
    }
    let cameraDone!: () => void;
    const cameraFree = new Promise<void>((resolve) => (cameraDone = resolve));
    const outcome = pool
      .copy(task, {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => {
          if (progress.phase === 'syncing' || progress.phase === 'verifying') cameraDone();
          options.onProgress?.(index, progress);
        },
      })
      .then(
        (result: CopyResult) => result,
        (err: unknown) => (err instanceof CopyError ? err : new CopyError('internal', String(err))),
      )
      .then((settled) => {
        cameraDone();
        options.onSettled?.(index, settled);
        return settled;
      });
    outcomes.push(outcome);
    await cameraFree;
  }
  return Promise.all(outcomes);
}
