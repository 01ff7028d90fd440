import { describe, expect, it } from 'vitest';
import { Limiter } from '../../electron/core/ingest/limiter.js';

describe('Limiter', () => {
  it('runs at most its slots at once, the rest in order, and passes on failures', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    // Node 20 has no Promise.withResolvers.
    const gates = Array.from({ length: 5 }, () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await g.promise;
        running--;
        if (i === 1) throw new Error('boom');
        return i;
      }),
    );
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    gates[1]!.resolve();
    await expect(runs[1]).rejects.toThrow('boom');
    for (const g of gates) g.resolve();
    expect(await Promise.all([runs[0], runs[2], runs[3], runs[4]])).toEqual([0, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
