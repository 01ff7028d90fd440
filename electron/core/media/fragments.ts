// Watches a fragmented MP4 as ffmpeg writes it, top-level box by box, to tell when the first
// fragment (a `moof` and the `mdat` after it) is whole: from then on a player given the bytes so
// far can start, while the rest is still being made. Only box headers are looked at; the bodies
// pass by.

export class FragmentWatch {
  /** Bytes seen so far. */
  private total = 0;
  /** Where the next top-level box starts. */
  private nextBoxAt = 0;
  /** Bytes from `nextBoxAt` on, while its header is not whole yet. */
  private head = Buffer.alloc(0);
  private sawMoof = false;
  /** Where the first fragment's `mdat` ends, once its header is read. */
  private firstEnd: number | null = null;
  /** Byte count at which the first fragment is whole (a player may start with that many), or null. */
  firstFragmentEnd: number | null = null;

  /** Feeds the next bytes of the stream; returns true once the first fragment is whole. */
  push(chunk: Buffer): boolean {
    const chunkStart = this.total;
    this.total += chunk.length;
    while (this.firstEnd === null && this.nextBoxAt < this.total) {
      // The part of this chunk from the next box's start (or what is left of its header).
      const from = Math.max(0, this.nextBoxAt + this.head.length - chunkStart);
      this.head = Buffer.concat([this.head, chunk.subarray(from, from + 16 - this.head.length)]);
      if (this.head.length < 8) break;
      const size32 = this.head.readUInt32BE(0);
      if (size32 === 1 && this.head.length < 16) break;
      const type = this.head.toString('latin1', 4, 8);
      // Size 0 runs to the end of the stream: nothing after it can be told apart.
      const size = size32 === 1 ? Number(this.head.readBigUInt64BE(8)) : size32 === 0 ? Infinity : size32;
      if (size < 8) throw new Error(`not an MP4 stream: a ${type} box of ${size} bytes at ${this.nextBoxAt}`);
      if (type === 'moof') this.sawMoof = true;
      else if (type === 'mdat' && this.sawMoof) this.firstEnd = this.nextBoxAt + size;
      this.nextBoxAt += size;
      this.head = Buffer.alloc(0);
    }
    if (this.firstFragmentEnd === null && this.firstEnd !== null && this.total >= this.firstEnd) this.firstFragmentEnd = this.firstEnd;
    return this.firstFragmentEnd !== null;
  }
}
