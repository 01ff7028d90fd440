import type { HashAlgorithm } from '../config.js';
import type { CopyProgress, CopyResult, CopyTask, HashResult } from './copy/types.js';

/**
 * What the ingest job needs from the copy engine: one verified copy of one
 * file. The production copier is the CopyPool (worker threads, a bounded
 * queue shared by every docked camera); the job does not care where the bytes
 * are moved.
 */
export interface Copier {
  copy(task: CopyTask, options: { signal: AbortSignal; onProgress?: (p: CopyProgress) => void }): Promise<CopyResult>;
  /** The hash of a file read from the medium; for a copy to be compared in another algorithm than its own. */
  hash(file: string, algorithm: HashAlgorithm): Promise<HashResult>;
  close(): Promise<void>;
}
