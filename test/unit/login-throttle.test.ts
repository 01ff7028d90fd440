// The delay failed logins put on the next attempt (electron/core/auth/throttle.ts): free slips,
// then doubling per window, a growing delay across the station, never more than the cap, and
// nothing once the window has passed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE, LoginThrottle } from '../../electron/core/auth/throttle.js';
import type { ConnectionId } from '../../electron/core/events.js';

const c = (n: number) => `conn-${n}` as unknown as ConnectionId;

describe('login throttle', () => {
  it('lets three slips of a window pass, then doubles the wait, up to the cap', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      waits.push(t.delayFor(c(1)));
      t.failed(c(1));
    }
    expect(waits).toEqual([0, 0, 0, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    // Another window is not slowed by this one's slips (the station-wide count is below its free 20).
    expect(t.delayFor(c(2))).toBe(0);
    // A right secret forgives its own window.
    t.succeeded(c(1));
    expect(t.delayFor(c(1))).toBe(0);
    // After the window, nothing is remembered.
    for (let i = 0; i < 5; i++) t.failed(c(3));
    now += DEFAULT_THROTTLE.windowMs;
    expect(t.delayFor(c(3))).toBe(0);
  });

  it('slows every window when guesses are spread over many, without locking anyone', () => {
    const t = new LoginThrottle(() => 0);
    // Twenty windows, one wrong guess each: free.
    for (let i = 0; i < 20; i++) {
      expect(t.delayFor(c(100 + i))).toBe(0);
      t.failed(c(100 + i));
    }
    // Then each further guess, from anywhere, waits a little longer.
    expect(t.delayFor(c(500))).toBe(250);
    t.failed(c(500));
    expect(t.delayFor(c(501))).toBe(500);
    for (let i = 0; i < 100; i++) t.failed(c(600 + i));
    expect(t.delayFor(c(999))).toBe(DEFAULT_THROTTLE.maxMs);
  });
});
