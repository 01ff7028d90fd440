// 第七条 as rules: before a camera goes out it must have no fault, enough
// battery, enough free space on its card, a clock set to the current time, and
// (so one shift's footage never mixes with the next) nothing left on it that
// was not offloaded. Pure: the values come from the camera's last dock, read
// by the caller; these functions only judge them.
import type {
  ConfirmableCheck,
  CustodySettings,
  PreShiftCheck,
  PreShiftCheckKind,
  RecordedCheck,
} from '../../../shared/custody.js';
import { confirmableChecks } from '../../../shared/custody.js';
import type { DockState } from '../../../shared/ingest.js';

/** What the camera's last dock (the latest dock session of this device) read and how it ended. */
export interface LastDock {
  id: number;
  state: DockState;
  attachedAt: number;
  finishedAt: number | null;
  batteryPercent: number | null;
  freeBytes: number | null;
  /** Camera clock minus station clock when the camera was read. */
  clockSkewMs: number | null;
  filesFailed: number;
  /** When the station wrote the camera's time file at this dock, after reading its clock (absent or null: it did not). */
  clockSetAt?: number | null;
  /** When the station wrote it at the camera's dock before this one (absent or null: it did not). */
  previousClockSetAt?: number | null;
}

export interface CheckInput {
  settings: CustodySettings;
  lastDock: LastDock | null;
  /** The oldest open fault on the camera, if any. */
  openFault: { id: number } | null;
  /** An earlier checkout of this camera whose footage was never offloaded. */
  unoffloadedCheckoutId: number | null;
}

function check(
  kind: PreShiftCheckKind,
  fields: Pick<PreShiftCheck, 'result' | 'reason' | 'value' | 'limit'>,
  dock: LastDock | null,
): PreShiftCheck {
  return {
    check: kind,
    ...fields,
    dockSessionId: dock?.id ?? null,
    readAt: dock?.attachedAt ?? null,
    // An open fault is never waved through: the camera goes to maintenance (第六条).
    overridable: kind !== 'fault',
    confirmable: fields.result === 'unknown' && (confirmableChecks as readonly string[]).includes(kind),
  };
}

/** A reading against a minimum: unknown when the camera never docked or its model does not report it. */
function atLeast(kind: 'battery' | 'free_space', value: number | null, min: number, dock: LastDock | null): PreShiftCheck {
  if (!dock) return check(kind, { result: 'unknown', reason: 'never_docked', value: null, limit: min }, dock);
  if (value === null) return check(kind, { result: 'unknown', reason: 'no_reading', value: null, limit: min }, dock);
  return check(kind, value >= min ? { result: 'pass', reason: 'ok', value, limit: min } : { result: 'fail', reason: 'below_minimum', value, limit: min }, dock);
}

/**
 * The camera's clock as its last dock read it. Where the station then wrote
 * the camera's time file, a clock read off (or not readable) is no longer a
 * failure but something to confirm: the camera takes the time at its next
 * start, which the station cannot see, and the custodian can, on the
 * camera's screen. A camera read off again although the dock before had set
 * it evidently ignores the file: that fails as any clock too far off.
 */
function clockCheck(dock: LastDock | null, toleranceMs: number): PreShiftCheck {
  if (!dock) return check('clock', { result: 'unknown', reason: 'never_docked', value: null, limit: toleranceMs }, dock);
  const skew = dock.clockSkewMs;
  if (skew !== null && Math.abs(skew) <= toleranceMs) return check('clock', { result: 'pass', reason: 'ok', value: skew, limit: toleranceMs }, dock);
  if (skew !== null && (dock.previousClockSetAt ?? null) !== null) return check('clock', { result: 'fail', reason: 'skew_too_large', value: skew, limit: toleranceMs }, dock);
  if ((dock.clockSetAt ?? null) !== null) return check('clock', { result: 'unknown', reason: 'clock_set', value: skew, limit: toleranceMs }, dock);
  if (skew === null) return check('clock', { result: 'unknown', reason: 'no_reading', value: null, limit: toleranceMs }, dock);
  return check('clock', { result: 'fail', reason: 'skew_too_large', value: skew, limit: toleranceMs }, dock);
}

/**
 * Nothing of an earlier shift left on the card: the last dock finished with
 * every file in the vault, and no earlier checkout of the camera is still
 * waiting for its footage. The dock's own trouble is named first, since
 * docking again is what fixes it.
 */
function footageCheck(dock: LastDock | null, unoffloadedCheckoutId: number | null): PreShiftCheck {
  if (dock && dock.finishedAt === null) return check('footage', { result: 'fail', reason: 'ingesting', value: null, limit: null }, dock);
  if (dock && (dock.state !== 'done' || dock.filesFailed > 0)) {
    return check('footage', { result: 'fail', reason: 'dock_incomplete', value: dock.filesFailed, limit: null }, dock);
  }
  if (unoffloadedCheckoutId !== null) {
    return check('footage', { result: 'fail', reason: 'previous_not_offloaded', value: unoffloadedCheckoutId, limit: null }, dock);
  }
  if (!dock) return check('footage', { result: 'unknown', reason: 'never_docked', value: null, limit: null }, dock);
  return check('footage', { result: 'pass', reason: 'ok', value: 0, limit: null }, dock);
}

/** Every pre-shift check of 第七条, in the order the checkout screen lists them. */
export function evaluateChecks(input: CheckInput): PreShiftCheck[] {
  const { settings, lastDock } = input;
  return [
    atLeast('battery', lastDock?.batteryPercent ?? null, settings.batteryMinPercent, lastDock),
    atLeast('free_space', lastDock?.freeBytes ?? null, settings.freeSpaceMinBytes, lastDock),
    clockCheck(lastDock, settings.clockToleranceSeconds * 1000),
    footageCheck(lastDock, input.unoffloadedCheckoutId),
    input.openFault
      ? check('fault', { result: 'fail', reason: 'open_fault', value: input.openFault.id, limit: null }, null)
      : check('fault', { result: 'pass', reason: 'ok', value: null, limit: null }, null),
  ];
}

/**
 * How each check is settled at checkout: passed; confirmed by the custodian
 * (only a value the station could not read); overridden by 综合处 (a failed
 * or unconfirmed check, never an open fault); or blocking the checkout.
 */
export function settleChecks(
  checks: readonly PreShiftCheck[],
  confirmed: ReadonlySet<ConfirmableCheck>,
  override: boolean,
): { recorded: RecordedCheck[]; blocking: PreShiftCheck[] } {
  const recorded: RecordedCheck[] = [];
  const blocking: PreShiftCheck[] = [];
  for (const c of checks) {
    if (c.result === 'pass') recorded.push({ ...c, resolution: 'passed' });
    else if (c.confirmable && confirmed.has(c.check as ConfirmableCheck)) recorded.push({ ...c, resolution: 'confirmed' });
    else if (c.overridable && override) recorded.push({ ...c, resolution: 'overridden' });
    else blocking.push(c);
  }
  return { recorded, blocking };
}
