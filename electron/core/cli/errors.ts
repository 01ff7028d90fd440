import type { StationErrorBody } from '../../../shared/errors.js';
import { StationError } from '../../../shared/errors.js';

/**
 * Exit codes, kept few so scripts can branch on them:
 * 1 is "the station answered no" (including a broken audit chain), 2 is "the
 * command line itself is wrong", 3 is "there was no station to ask".
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unavailable: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Failures that belong to the command line, not to the core (whose errors are StationErrors). */
export type CliErrorCode =
  | 'usage' // unknown command or option, missing or unknown flag value
  | 'secret_mismatch' // the two entries of a new password or PIN differ
  | 'missing_input' // stdin ended before the expected lines
  | 'cancelled' // Ctrl-C / Ctrl-D at a prompt
  | 'no_station' // the data folder holds no station database
  | 'cannot_open' // the database exists but could not be opened
  | 'no_vault'; // --vault names a folder that does not exist

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode: ExitCode,
    /** For usage errors: the command whose help to point at. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string, command?: string): CliError {
  return new CliError('usage', message, EXIT.usage, command);
}

/** A failed call's body back into the error the core threw, so one reporter handles both. */
export function fromBody(body: StationErrorBody): StationError {
  return new StationError(body.code, body.message, body.details);
}

/** The exit code for a core error: "no station to ask" when its database is from the future. */
export function exitCodeOf(e: StationError): ExitCode {
  return e.code === 'database_newer' ? EXIT.unavailable : EXIT.failed;
}
