// Messages between CopyPool (the core's thread) and a copy worker. A worker
// runs one job at a time with its own buffer ring; the pool never sends a
// second job before the first has answered `done` or `failed`.
import type { CopyErrorWire } from './errors.js';
import type { CopyProgress, CopyResult, CopyTask, HashAlgorithm, HashResult, IoTuning } from './types.js';

/** Passed as `workerData` when a worker starts. */
export interface WorkerConfig {
  tuning: IoTuning;
  /** Minimum time between two progress messages of a job (phase changes and the end of a phase are always sent). */
  progressIntervalMs: number;
  /** Nice value for the worker's thread (Linux), so hashing yields the CPU to the core's event loop. */
  niceness: number;
}

export type PoolToWorker =
  | { type: 'copy'; id: number; task: CopyTask }
  | { type: 'hash'; id: number; file: string; algorithm: HashAlgorithm }
  | { type: 'abort'; id: number }
  /** Answered with `ready` once the worker's code is loaded and its ring allocated. */
  | { type: 'ping' };

export type WorkerToPool =
  | { type: 'progress'; id: number; progress: CopyProgress }
  | { type: 'done'; id: number; result: CopyResult | HashResult }
  | { type: 'failed'; id: number; error: CopyErrorWire }
  | { type: 'ready' };
