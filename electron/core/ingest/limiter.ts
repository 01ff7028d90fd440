/**
 * At most `slots` steps at once, the rest waiting in order. The station's probes share one: each
 * may start ffprobe, and many cameras' small files would otherwise start dozens of processes on a
 * two-core station, slowing the copies they were moved off the path of.
 */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly slots: number) {}

  async run<T>(step: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await step();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer never jumps the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
