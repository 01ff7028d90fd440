// Page-aligned, reusable I/O buffers.
//
// O_DIRECT transfers DMA straight into the caller's memory, so the kernel asks
// for buffers (and offsets and lengths) aligned to the device's logical block.
// Node's Buffers carry no alignment guarantee; a WebAssembly.Memory is mmap'ed
// by V8 and therefore page aligned, and Buffer views over it are accepted by
// fs.read / fs.write like any other. One ring per worker, reused for every file,
// so no memory is allocated (or returned to the hypervisor) per chunk.

/** A WebAssembly page: the granularity in which the memory is sized. */
export const WASM_PAGE = 64 * 1024;

/**
 * Offsets and lengths of O_DIRECT transfers are kept multiples of this. Logical
 * blocks are 512 or 4096 bytes; 4096 satisfies both (and is the page size).
 */
export const DIRECT_ALIGNMENT = 4096;

export interface BufferRing {
  readonly chunkBytes: number;
  readonly buffers: readonly Buffer[];
}

export function allocateRing(chunkBytes: number, depth: number): BufferRing {
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0 || chunkBytes % WASM_PAGE !== 0) {
    throw new RangeError(`chunkBytes must be a positive multiple of ${WASM_PAGE}, got ${chunkBytes}`);
  }
  if (!Number.isSafeInteger(depth) || depth < 1 || depth > 64) throw new RangeError(`depth must be 1..64, got ${depth}`);
  const pages = (chunkBytes / WASM_PAGE) * depth;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const buffers = Array.from({ length: depth }, (_, i) => Buffer.from(memory.buffer, i * chunkBytes, chunkBytes));
  return { chunkBytes, buffers };
}

/** The length to transfer for `bytes` of data under O_DIRECT: rounded up to the block. */
export function paddedLength(bytes: number): number {
  return Math.ceil(bytes / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;
}
