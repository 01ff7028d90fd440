import type { CopyProgress, CopyResult, CopyTask } from './copy/types.js';

/**
 * What the ingest job needs from the copy engine: one verified copy of one
 * file. The production copier is the CopyPool (worker threads, a bounded
 * queue shared by every docked camera); the job does not care where the bytes
 * are moved.
 */
export interface Copier {
  copy(task: CopyTask, options: { signal: AbortSignal; onProgress?: (p: CopyProgress) => void }): Promise<CopyResult>;
  close(): Promise<void>;
}
