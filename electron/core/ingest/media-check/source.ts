// The bytes a checker reads, behind one small interface: positioned reads of a file (the station)
// or of a buffer (the unit tests, which craft hostile files byte by byte). A checker asks only for
// the bytes it needs: a video is gigabytes, and its structure is a few box headers.
import type { FileHandle } from 'node:fs/promises';

export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /**
   * Up to `length` bytes from `offset`; fewer only where the file ends (a file that is shorter than
   * `size` says reads short, and a checker takes that as the end). Throws on an I/O error.
   */
  read(offset: number, length: number): Promise<Buffer>;
}

/** An abort is not a verdict: the checker stops and the caller reports the probe as stopped. */
export class CheckAborted extends Error {
  constructor() {
    super('check aborted');
    this.name = 'CheckAborted';
  }
}

/** Positioned reads of an open file; an aborted signal stops the next read. */
export function fileSource(handle: FileHandle, size: number, signal?: AbortSignal): ByteSource {
  return {
    size,
    async read(offset, length) {
      if (signal?.aborted) throw new CheckAborted();
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.alloc(want);
      let got = 0;
      // A read may return fewer bytes than asked (a network file system, a signal): go on until
      // the bytes are there or the file ends.
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === want ? buffer : buffer.subarray(0, got);
    },
  };
}

/** A buffer as a source, counting the reads and bytes asked for (tests show a checker reads little). */
export function bufferSource(bytes: Uint8Array): ByteSource & { reads: number; bytesRead: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const source = {
    size: buffer.length,
    reads: 0,
    bytesRead: 0,
    read(offset: number, length: number): Promise<Buffer> {
      source.reads++;
      const part = buffer.subarray(Math.max(0, offset), Math.max(0, Math.min(buffer.length, offset + length)));
      source.bytesRead += part.length;
      return Promise.resolve(Buffer.from(part));
    },
  };
  return source;
}

/** The first bytes of a file as hex ("74 65 78 74"), for a message that says what was found instead. */
export function hexStart(bytes: Uint8Array, count = 8): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Reads forward through a source a window at a time: JPEG and PNG are walked from start to end in
 * small steps (segment and chunk headers), which as single positioned reads would be one system
 * call per few bytes. Still reads no byte twice unless a step falls across two windows.
 */
export class Cursor {
  private start = 0;
  private window: Buffer = Buffer.alloc(0);

  constructor(
    readonly source: ByteSource,
    private readonly windowSize = 64 * 1024,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** `length` bytes from `offset`, fewer where the file ends. */
  async bytes(offset: number, length: number): Promise<Buffer> {
    const from = offset - this.start;
    if (from >= 0 && from + length <= this.window.length) return this.window.subarray(from, from + length);
    this.window = await this.source.read(offset, Math.max(length, this.windowSize));
    this.start = offset;
    return this.window.subarray(0, length);
  }

  /** The byte at `offset`, or null past the end. */
  async byte(offset: number): Promise<number | null> {
    const b = await this.bytes(offset, 1);
    return b.length === 1 ? b[0]! : null;
  }
}
