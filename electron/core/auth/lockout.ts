/** Five wrong secrets in a row lock the account for fifteen minutes. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface FailureOutcome {
  failedAttempts: number;
  lockedUntil: number | null;
}

/** The account's state after one more failure. Pure, so the rule is tested alone. */
export function afterFailure(previousFailures: number, now: number): FailureOutcome {
  const failedAttempts = previousFailures + 1;
  return failedAttempts >= MAX_FAILED_ATTEMPTS
    ? { failedAttempts: 0, lockedUntil: now + LOCKOUT_MS }
    : { failedAttempts, lockedUntil: null };
}

export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}
