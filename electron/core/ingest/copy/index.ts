// The verified copy engine: the byte-moving core of ingest.
//   copyFile / hashFile   the engine itself (blocks its thread while hashing: use it in a worker)
//   CopyPool              bounded worker threads, queue, abort, progress
//   copyInOrder           one camera's files in order, read-back overlapping the next copy
//   CopyError             why a copy failed: kind + errno code + zh-CN / en message
// docs/performance.md explains the design and its measurements.
export { copyFile, hashFile, type CopyHooks, type CopyOptions } from './engine.js';
export { CopyError, copyErrorKinds, isCopyError, type CopyErrorKind, type CopyErrorMessages, type CopyErrorWire } from './errors.js';
export { CopyPool, type CopyPoolOptions, type JobOptions } from './pool.js';
export { copyInOrder, type CopyInOrderOptions } from './sequence.js';
export { DEFAULT_THREADPOOL_SIZE, ensureThreadpoolSize } from './threadpool.js';
export { BUNDLED_WORKER_NAME, defaultWorkerEntry, type WorkerEntry } from './worker-entry.js';
export * from './types.js';
