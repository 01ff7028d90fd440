// The emulator's `shift` option: the recordings made between two given
// times (the demo dates each camera's footage inside its checkout), in order,
// each keeping its length, the pauses scaled to fit; refused when they cannot.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCamera } from '../fixtures/camera/camera.js';
import { T0, tempDir } from '../support/station.js';

const out = () => path.join(tempDir('camera-shift-'), 'volume');

describe('camera emulator: a shift between given times', () => {
  it('starts the first recording at the start (next whole second) and ends the last by the end, in order, lengths kept', async () => {
    const start = T0 + 400; // not on a whole second
    const end = T0 + 20_000;
    const m = await makeCamera({ out: out(), serial: 'DSJ-S1', badge: '100001', now: T0 + 25_000, clips: 2, seconds: 1, clockOffsetSeconds: 0, shift: { start, end } });
    const recorded = m.files.filter((f) => f.realStartUtcMs !== null).sort((a, b) => a.realStartUtcMs! - b.realStartUtcMs!);
    expect(recorded.map((f) => f.role)).toEqual(['clip', 'clip', 'clip', 'clip', 'audio', 'photo']);
    expect(recorded[0]!.realStartUtcMs).toBe(T0 + 1000);
    for (const f of recorded) {
      expect(f.realStartUtcMs! % 1000, f.path).toBe(0);
      expect(f.realStartUtcMs! + (f.durationSeconds ?? 0) * 1000, f.path).toBeLessThanOrEqual(end);
    }
    // Never overlapping: each starts after the one before has ended (a 1 s clip, or a zero-length one).
    for (let i = 1; i < recorded.length; i++) expect(recorded[i]!.realStartUtcMs! - recorded[i - 1]!.realStartUtcMs!).toBeGreaterThanOrEqual(recorded[i - 1]!.damage === 'zero-length' ? 0 : 1000);
    // The gap shrank with the rest: minutes no more.
    expect(m.gap.minutes).toBeLessThan(1);
    expect(m.gap.minutes).toBeGreaterThan(0);
    // The stray log was last written when the shift ended, on the camera's clock.
    expect(m.files.find((f) => f.role === 'stray')!.mtimeMs).toBe(recorded.at(-1)!.realStartUtcMs);
  });

  it('refuses a shift too short for its recordings, or one ending after the dock', async () => {
    await expect(makeCamera({ out: out(), serial: 'DSJ-S2', badge: '100001', now: T0 + 60_000, clips: 2, seconds: 2, shift: { start: T0, end: T0 + 5_000 } })).rejects.toThrow(
      /shorter than its 8 s of recordings/,
    );
    await expect(makeCamera({ out: out(), serial: 'DSJ-S3', badge: '100001', now: T0, clips: 2, seconds: 1, shift: { start: T0 - 60_000, end: T0 + 1_000 } })).rejects.toThrow(
      /must end by the time the camera is docked/,
    );
  });

  it('without a shift, keeps the default: 9 minutes of gap, ending half an hour before the dock', async () => {
    const m = await makeCamera({ out: out(), serial: 'DSJ-S4', badge: '100001', now: T0, clips: 2, seconds: 1 });
    expect(m.gap.minutes).toBe(9);
    const last = Math.max(...m.files.map((f) => f.realStartUtcMs ?? 0));
    expect(last).toBe(T0 - 30 * 60_000);
  });
});
