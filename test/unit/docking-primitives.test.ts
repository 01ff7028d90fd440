// The small pieces the docking sources stand on: scans that never overlap
// and coalesce, and an emitter whose failing listener stops nothing.
import { describe, expect, it } from 'vitest';
import { ScanQueue } from '../../electron/core/docking/sources/scan-queue.js';
import { sameVolume, TypedEmitter, type DockedVolume } from '../../electron/core/docking/sources/volume.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ScanQueue', () => {
  it('never runs two scans at once, and a burst of requests costs one more scan', async () => {
    let running = 0;
    let maxRunning = 0;
    let scans = 0;
    const queue = new ScanQueue(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await tick(20);
      scans += 1;
      running -= 1;
    }, () => {});
    const first = queue.request();
    const burst = [queue.request(), queue.request(), queue.request()];
    expect(burst[0]).toBe(burst[1]); // they share the next scan
    await Promise.all([first, ...burst]);
    expect(scans).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('answers a request only with a scan that began after it', async () => {
    const started: number[] = [];
    let n = 0;
    const queue = new ScanQueue(async () => {
      started.push(++n);
      await tick(15);
    }, () => {});
    void queue.request();
    await tick(5); // the first scan is running now
    const asked = n;
    await queue.request();
    expect(started.length).toBe(2);
    expect(started.at(-1)).toBeGreaterThan(asked);
  });

  it('reports a failing scan and keeps going', async () => {
    const errors: unknown[] = [];
    let fail = true;
    let ok = 0;
    const queue = new ScanQueue(async () => {
      if (fail) throw new Error('mount table unreadable');
      ok += 1;
    }, (e) => errors.push(e));
    await expect(queue.request()).resolves.toBeUndefined();
    fail = false;
    await queue.request();
    expect(errors).toHaveLength(1);
    expect(ok).toBe(1);
    await queue.idle();
  });
});

describe('TypedEmitter', () => {
  it('delivers to every listener even when one throws, and logs the throw', () => {
    const logged: string[] = [];
    const emitter = new TypedEmitter<{ attached: [id: string] }>((m) => logged.push(m));
    const got: string[] = [];
    emitter.on('attached', () => {
      throw new Error('listener bug');
    });
    const off = emitter.on('attached', (id) => got.push(id));
    emitter.emit('attached', 'a');
    off();
    emitter.emit('attached', 'b');
    expect(got).toEqual(['a']);
    expect(logged).toEqual(['a listener for "attached" threw', 'a listener for "attached" threw']);
  });
});

describe('sameVolume', () => {
  const v: DockedVolume = { id: 'usb-volume:sdb1@/m', root: '/m', label: 'DSJ', usb: { vendorId: '2207', productId: '0010', serial: 'A' }, removable: true, source: 'usb-volume' };
  it('tells a different camera at the same place apart, but not a label read that failed once', () => {
    expect(sameVolume(v, { ...v, label: null })).toBe(true);
    expect(sameVolume(v, { ...v, usb: { ...v.usb!, serial: 'B' } })).toBe(false);
    expect(sameVolume(v, { ...v, root: '/n' })).toBe(false);
  });
});
