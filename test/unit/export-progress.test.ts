// The build's progress meter on an injected clock: updates at most every PROGRESS_EVERY_MS, a new
// step or disc at once, a beat re-sending the value when a step reports nothing for a while, and
// the rate and time left from the recent window.
import { describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../shared/export.js';
import { PROGRESS_EVERY_MS, ProgressMeter } from '../../electron/core/export/progress.js';

function meter(total = 1000) {
  let now = 0;
  const sent: ExportProgress[] = [];
  const m = new ProgressMeter(total, 2, (p) => sent.push(p), () => now);
  return { m, sent, at: (ms: number) => (now = ms) };
}

describe('ProgressMeter', () => {
  it('sends a new step at once and bytes at most every PROGRESS_EVERY_MS', () => {
    const { m, sent, at } = meter();
    m.update('image', 1, 0);
    at(100);
    m.update('image', 1, 50);
    expect(sent.map((p) => p.done)).toEqual([0]);
    at(PROGRESS_EVERY_MS + 1);
    m.update('image', 1, 100);
    at(PROGRESS_EVERY_MS + 2);
    m.update('readback', 1, 101);
    expect(sent.map((p) => [p.step, p.done])).toEqual([
      ['image', 0],
      ['image', 100],
      ['readback', 101],
    ]);
  });

  it('beats while a step reports nothing, and not more often than it would send', () => {
    const { m, sent, at } = meter();
    m.update('tags', 1, 0);
    at(200);
    m.beat();
    expect(sent).toHaveLength(1);
    at(PROGRESS_EVERY_MS);
    m.beat();
    at(PROGRESS_EVERY_MS * 2);
    m.beat();
    expect(sent.map((p) => p.step)).toEqual(['tags', 'tags', 'tags']);
  });

  it('gives the rate over the recent window and the time left', () => {
    const { m, sent, at } = meter(10_000);
    m.update('image', 1, 0);
    at(1000);
    m.update('image', 1, 1000);
    const last = sent.at(-1)!;
    expect(last.bytesPerSecond).toBe(1000);
    expect(last.etaSeconds).toBe(9);
  });
});
