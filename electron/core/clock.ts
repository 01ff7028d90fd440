import { randomBytes } from 'node:crypto';

// Time and randomness are injected so tests can move the clock (idle lock,
// lockout expiry) and make tokens and PINs reproducible.
export interface Clock {
  /** UTC epoch milliseconds. */
  now(): number;
}

export interface Random {
  bytes(n: number): Buffer;
}

export const systemClock: Clock = { now: () => Date.now() };
export const systemRandom: Random = { bytes: (n) => randomBytes(n) };

/** A clock that stands still until told to move: for tests and the harness. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: number) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A uniformly drawn decimal string (rejection sampling, so no digit is favoured). */
export function randomDigits(random: Random, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random.bytes(length * 2)) {
      if (byte < 250 && out.length < length) out += String(byte % 10);
    }
  }
  return out;
}
