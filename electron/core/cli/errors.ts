import type { StationErrorBody } from '../../../shared/errors.js';
import { StationError } from '../../../shared/errors.js';
import { formatProblem, ProfileError, type ProfileProblem } from '../docking/profile/index.js';

/**
 * Exit codes, kept few so scripts can branch on them:
 * 1 is "the station answered no" (including a broken audit chain, and camera
 * profiles none of which loads: the station cannot do what was asked), 2 is
 * "the command line itself is wrong", 3 is "there was no station to ask".
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
  | 'no_vault' // --vault names a folder that does not exist
  | 'profile_invalid'; // the camera profiles do not load (a ProfileError); details.problems name file, field, problem

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

/**
 * A ProfileError as the CLI answers it: its own code, not `internal` (nothing is wrong with the
 * program: a profile file is), each problem in details as `{ file, field, message }`, and the
 * exit code of a refusal.
 */
export function profileErrorBody(e: ProfileError): { code: 'profile_invalid'; message: string; details: { problems: ProfileProblem[] } } {
  return {
    code: 'profile_invalid',
    message: `相机配置有误（${e.problems.length} 处问题，见下），采集站无法据此识别执法记录仪。 / The camera profiles have errors (${e.problems.length} problem(s), listed below); the station cannot recognise cameras by them.`,
    details: { problems: e.problems },
  };
}

/** The lines that list a ProfileError's problems: `file: field: message`, one a line. */
export const profileProblemLines = (problems: readonly ProfileProblem[]): string[] => problems.map((p) => `  - ${formatProblem(p)}`);

/** The exit code for a core error: "no station to ask" when its database is from the future. */
export function exitCodeOf(e: StationError): ExitCode {
  return e.code === 'database_newer' ? EXIT.unavailable : EXIT.failed;
}
