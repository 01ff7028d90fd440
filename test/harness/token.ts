import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The harness token is what stands between the core's loopback socket and any
// other local program or web page. It is random per harness run.

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares in constant time. Both sides are hashed first so the comparison
 * takes the same time whatever length the caller presented.
 */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}
