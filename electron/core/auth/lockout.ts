/** Five wrong secrets in a row lock the account for fifteen minutes. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

// The rule itself (count to five, lock for fifteen minutes, never clear a lock in force) is one SQL
// update, so attempts in flight at once cannot undo each other: people/repository.ts recordFailure.

export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}
