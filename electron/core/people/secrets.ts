import { scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { StationError } from '../../../shared/errors.js';
import type { Random } from '../clock.js';
import { randomDigits } from '../clock.js';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const KEY_LENGTH = 32;
const R = 8;
const P = 1;

/**
 * `scrypt$N$r$p$salt$key` (base64). The parameters travel with the hash so the
 * cost can be raised later without invalidating existing secrets. Async, so a
 * login never blocks the core's event loop.
 */
export async function hashSecret(secret: string, cost: number, random: Random): Promise<string> {
  const salt = random.bytes(16);
  const key = await scrypt(secret, salt, KEY_LENGTH, { N: cost, r: R, p: P, maxmem: 256 * cost * R });
  return ['scrypt', cost, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of nothing at the station's own cost, to spend the same time on an unknown badge (or a
 * person without that kind of secret) as on a real check: at another cost than the configured one,
 * an unknown badge answered in half the time, and badges could be listed by timing.
 */
export function dummyHash(cost: number): string {
  return ['scrypt', cost, R, P, 'AAAAAAAAAAAAAAAAAAAAAA==', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='].join('$');
}

export function oneTimePin(random: Random): string {
  for (;;) {
    const pin = randomDigits(random, 6);
    if (!isGuessablePin(pin)) return pin;
  }
}

/** 000000, 123456, 654321 and the like are the first a thief tries. */
export function isGuessablePin(pin: string): boolean {
  if (/^(\d)\1+$/.test(pin)) return true;
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => d - digits[i]!);
  return steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

export function checkNewPin(pin: string, badge: string): void {
  if (isGuessablePin(pin) || pin === badge) {
    throw new StationError(
      'weak_secret',
      '新 PIN 太容易被猜到（重复、连续或与警号相同），请换一个。 / The new PIN is too easy to guess (repeated, sequential or equal to the badge number); choose another.',
    );
  }
}

export function checkNewPassword(password: string, badge: string): void {
  const lower = password.toLowerCase();
  if (lower.includes(badge.toLowerCase()) || new Set(password).size < 4) {
    throw new StationError(
      'weak_secret',
      '新密码太容易被猜到（含警号或字符太少），请换一个。 / The new password is too easy to guess (contains the badge number or too few different characters); choose another.',
    );
  }
}
