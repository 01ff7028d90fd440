// The copy engine's vocabulary, shared by the engine, its worker and the pool.
// Plain data only: every value here crosses the worker boundary by structured clone.
import type { HashAlgorithm } from '../../config.js';

export type { HashAlgorithm };

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sm3'];

/** One file to copy off a camera into the vault's incoming area. */
export interface CopyTask {
  /** The file on the camera. Opened read-only, never followed if it is a symlink. */
  source: string;
  /**
   * Where the copy is written: a temporary name in the vault's incoming area,
   * chosen by the caller, which must not exist yet. The caller renames it into
   * place after a successful result; on failure the engine removes it.
   */
  destination: string;
  algorithm: HashAlgorithm;
  /** Re-read the copy after fsync and compare hashes (the station's verified ingest). */
  readBack: boolean;
}

/**
 * `direct`: O_DIRECT, bytes move between the device and our aligned buffers
 * without the page cache. `buffered`: the filesystem refused O_DIRECT (or the
 * platform has none), so the page cache was used.
 */
export type IoMode = 'direct' | 'buffered';

/**
 * How the copy was verified, to be recorded with the clip:
 * - `direct-readback`: the copy was re-read with O_DIRECT after fsync, from the medium.
 * - `evicted-readback`: O_DIRECT was not available; after fsync the copy's pages
 *   were dropped from the page cache (posix_fadvise DONTNEED, through `dd
 *   iflag=nocache`) and `fincore` confirmed none were left before the re-read,
 *   so the re-read came from the medium too.
 * - `cache-readback`: the re-read may have been served from memory (no O_DIRECT,
 *   eviction not possible or not confirmed, or the vault is a memory filesystem).
 *   It proves the bytes the kernel holds, not the bytes on the disk.
 * - `none`: no read-back was asked for; only the hash computed in flight.
 */
export type Verification = 'direct-readback' | 'evicted-readback' | 'cache-readback' | 'none';

/** What the source looked like when the copy started (and, since it did not change, ended). */
export interface SourceIdentity {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

export interface CopyResult {
  /** Bytes copied: the source's size. */
  bytes: number;
  /**
   * Hex digest, with `algorithm`, of the bytes read from the source: computed
   * in flight; for a verified SM3 copy, computed from the copy re-read from the
   * medium, which `sourceSha256` proved byte-equal to the source (engine.ts).
   */
  hash: string;
  algorithm: HashAlgorithm;
  /** Hex digest of the copy as re-read, with `algorithm`; present when a read-back was done (and then equal to `hash`). */
  readBackHash?: string;
  /**
   * A verified SM3 copy only: the SHA-256 of the bytes read from the source,
   * computed in flight, which the SHA-256 of the re-read copy equalled.
   */
  sourceSha256?: string;
  /** `direct` only when both the source and the copy used O_DIRECT. */
  ioMode: IoMode;
  sourceIo: IoMode;
  destinationIo: IoMode;
  verification: Verification;
  source: SourceIdentity;
  durationMs: number;
  /** Time for the one pass over the source (read, hash, write, fsync). */
  copyMs: number;
  /** Time for the read-back; 0 without one. */
  verifyMs: number;
}

export interface HashResult {
  bytes: number;
  hash: string;
  algorithm: HashAlgorithm;
  ioMode: IoMode;
  /** `medium` when the bytes hashed were read from the disk (O_DIRECT or confirmed eviction), not from memory. */
  readFrom: 'medium' | 'page-cache';
  durationMs: number;
}

/**
 * `copying`: the camera's file is read, hashed and written; `syncing`: it was read whole and found
 * unchanged, the camera is no longer read, and the copy is being made durable (fsync); `verifying`:
 * the copy is read back; `hashing`: a file re-hashed on its own.
 */
export type CopyPhase = 'copying' | 'syncing' | 'verifying' | 'hashing';

export interface CopyProgress {
  phase: CopyPhase;
  /** Bytes done in this phase. */
  bytesDone: number;
  bytesTotal: number;
}

/**
 * How the bytes are moved. The defaults were chosen by `npm run bench:ingest`
 * (see docs/performance.md): large reused buffers and several requests in flight.
 */
export interface IoTuning {
  /** Size of each buffer in the ring; a multiple of 64 KiB (a WebAssembly page). */
  chunkBytes: number;
  /** Buffers in the ring: how far reading may run ahead of hashing and writing. */
  depth: number;
  /** Reads outstanding at once on one file (issued in file order). */
  readsInFlight: number;
  /** Writes outstanding at once on the copy (issued in file order). */
  writesInFlight: number;
  /** Try O_DIRECT (falls back to buffered I/O where refused). False forces buffered I/O. */
  direct: boolean;
}

// 16 MiB × 8 with 4 writes in flight: 128 MiB a worker. Twice the bytes in flight of
// the first default (16 MiB × 4, 2 + 2) took the verified SHA-256 copy from 573–629 to
// 698–708 MB/s in paired runs (docs/performance.md, run G); 32 MiB × 4 did as well.
export const DEFAULT_TUNING: IoTuning = { chunkBytes: 16 * 1024 * 1024, depth: 8, readsInFlight: 2, writesInFlight: 4, direct: true };
