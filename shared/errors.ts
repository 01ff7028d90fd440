// The closed list of error codes a call can answer with. The renderer maps each
// code to a translated sentence that tells the user what to do next, so a new
// code needs a sentence in renderer/i18n/*.json (a test checks that).
export const errorCodes = [
  'invalid_input', // the payload failed the call's schema; details.issues name the fields
  'unknown_call', // no such call in the contract
  'not_initialized', // first-run setup has not been done yet
  'already_initialized', // setup was asked for twice
  'unauthenticated', // no session on this connection
  'session_locked', // the session went idle and must be unlocked
  'must_change_pin', // a one-time PIN was used; it must be replaced first
  'forbidden', // the person's roles do not allow this call
  'bad_credentials', // badge / password / PIN do not match
  'account_locked', // too many failures; details.until says when it opens again
  'account_inactive', // the person was deactivated
  'no_secret_set', // the person has no password (or no PIN) for this kind of login
  'weak_secret', // a new password or PIN does not meet the rules
  'not_found', // the object named in the input does not exist
  'conflict', // a unique value (badge, serial) is taken
  'invalid_state', // the object's state does not allow this (e.g. a retired camera)
  'database_newer', // the database was written by a newer version of the station
  'seal_font_missing', // no font with Chinese glyphs for the seal sheet; details.file names a configured one
  'view_not_granted', // no grant in force lets this person view this clip now; details.reason says why (shared/viewing.ts viewDenials)
  'core_unavailable', // the transport could not reach the core (restarting)
  'internal', // a bug; the message is logged and the change was rolled back
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface StationErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: StationErrorBody };

/** Thrown inside the core; the dispatcher turns it into `{ ok: false, error }`. */
export class StationError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'StationError';
    this.code = code;
    this.details = details;
  }
  toBody(): StationErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
