// What the station asks a camera through its vendor's library: when it is
// docked (readVendorDock) and when it is checked out to an officer
// (writeVendorOfficer). Both run the library in a process of their own
// (session.ts), end it before they resolve, and return every call made for the
// audit. They never throw for what the library does; they throw only for a
// profile that validation would have refused and for the station's own bugs.
import { StationError } from '../../../../shared/errors.js';
import type { VendorLibraryData } from '../profile/schema.js';
import { compileTimeFormat, type TimeFormat } from '../wall-clock.js';
import { VendorLibraryError, type VendorDuty, type VendorFailure } from './errors.js';
import { VendorSession, type VendorCall, type VendorClockReading, type VendorLibrarySettings, type VendorSessionOptions } from './session.js';
import { encodeZfyInfo, type ZfyValues } from './zfy-info.js';

/** Who the camera says it is. */
export interface VendorIdentity {
  /** 产品序号 (never empty: a reading without one fails). */
  serial: string;
  /** 警号 of the officer the camera is bound to, or null when it holds none. */
  badge: string | null;
  /** 姓名. */
  name: string | null;
  /** 单位编号. */
  unitId: string | null;
  /** 单位名称. */
  unitName: string | null;
  /** What Init_Device answered as the camera's id code, or null when empty. */
  idCode: string | null;
}

/** The duties whose failure is recorded while the reading goes on. */
export type VendorOptionalDuty = 'battery' | 'readClock' | 'setClock' | 'diskMode' | 'release';

export interface VendorDockReading {
  ok: true;
  identity: VendorIdentity;
  /** null when the profile maps no battery function or it failed (see errors.battery). */
  batteryPercent: number | null;
  /** The camera's clock before it was set, with the station's time of the reading; null when not read. */
  clock: VendorClockReading | null;
  /** Whether setClock succeeded, and the station's time when it did. */
  clockSet: boolean;
  clockSetAt: number | null;
  /** Whether the camera was switched to disk mode (its card should now appear as a volume). */
  diskMode: boolean;
  /** How long the card may take to appear after disk mode (the profile's diskModeSeconds), ms. */
  diskModeWaitMs: number;
  /** Why each optional duty that was asked failed; a duty not mapped is absent here and null above. */
  errors: Partial<Record<VendorOptionalDuty, VendorFailure>>;
  /** Every call made, in order, for the audit. */
  calls: VendorCall[];
}

export interface VendorDockFailure {
  ok: false;
  /** Why the camera could not be read: init or identity failed, the library could not be loaded, or it was cancelled. */
  error: VendorFailure;
  calls: VendorCall[];
}

export type VendorDockResult = VendorDockReading | VendorDockFailure;

export type VendorDockOptions = VendorSessionOptions;

/**
 * The interface has no way to say *which* camera: Init_Device opens "the" connected one. Two
 * readings through the same library at once would be two processes on one USB device, so they
 * take turns, per library file (the wait does not count against any call's timeout).
 */
const turns = new Map<string, Promise<void>>();

async function oneAtATime<T>(libraryPath: string, run: () => Promise<T>): Promise<T> {
  const before = turns.get(libraryPath) ?? Promise.resolve();
  let done!: () => void;
  const gate = new Promise<void>((resolve) => (done = resolve));
  const mine = before.then(() => gate);
  turns.set(libraryPath, mine);
  await before;
  try {
    return await run();
  } finally {
    done();
    if (turns.get(libraryPath) === mine) turns.delete(libraryPath);
  }
}

function failureOf(err: unknown): VendorFailure {
  if (err instanceof VendorLibraryError) return err.toFailure();
  throw err;
}

/** The profile's clock format, compiled; a profile that passed validation always has one with readClock. */
function clockFormatOf(spec: VendorLibraryData): TimeFormat | null {
  if (!spec.functions.readClock) return null;
  if (!spec.clockFormat) throw new Error('vendorLibrary.functions.readClock needs vendorLibrary.clockFormat (the profile should not have passed validation)');
  return compileTimeFormat(spec.clockFormat);
}

/**
 * Reads a docked camera through its vendor's library, in this order: init → identity →
 * battery → readClock → setClock → diskMode → release (each optional duty only when the profile
 * maps it). init or identity failing fails the reading; the others are recorded in `errors` and
 * the reading goes on (a fresh process when one was lost). The clock is read before it is set,
 * so the skew the station records is the camera's own.
 */
export async function readVendorDock(spec: VendorLibraryData, settings: VendorLibrarySettings, options: VendorDockOptions = {}): Promise<VendorDockResult> {
  const clockFormat = clockFormatOf(spec);
  return oneAtATime(settings.libraryPath, () => readWith(spec, clockFormat, settings, options));
}

async function readWith(spec: VendorLibraryData, clockFormat: TimeFormat | null, settings: VendorLibrarySettings, options: VendorDockOptions): Promise<VendorDockResult> {
  const session = new VendorSession(spec, settings, options);
  const errors: VendorDockReading['errors'] = {};
  let released = false;
  try {
    let identity: VendorIdentity;
    try {
      const idCode = await session.open();
      const values = await session.identity();
      identity = { serial: values.serial, badge: values.badge, name: values.name, unitId: values.unitId, unitName: values.unitName, idCode };
    } catch (err) {
      return { ok: false, error: failureOf(err), calls: session.calls };
    }

    /** Runs a mapped optional duty; its failure is recorded, except a cancellation, which ends the reading. */
    const optional = async <T>(duty: Exclude<VendorOptionalDuty, 'release'>, run: () => Promise<T>): Promise<T | null> => {
      if (!spec.functions[duty]) return null;
      try {
        return await run();
      } catch (err) {
        const failure = failureOf(err);
        if (failure.code === 'aborted') throw err;
        errors[duty] = failure;
        return null;
      }
    };
    try {
      const batteryPercent = await optional('battery', () => session.battery());
      const clock = clockFormat ? await optional('readClock', () => session.readClock(clockFormat)) : null;
      const clockSetAt = await optional('setClock', () => session.setClock());
      const diskMode = (await optional('diskMode', () => session.diskMode().then(() => true))) === true;
      released = true;
      const releaseFailure = await session.close();
      if (releaseFailure) errors.release = releaseFailure.toFailure();
      return {
        ok: true,
        identity,
        batteryPercent,
        clock,
        clockSet: clockSetAt !== null,
        clockSetAt,
        diskMode,
        diskModeWaitMs: spec.diskModeSeconds * 1000,
        errors,
        calls: session.calls,
      };
    } catch (err) {
      return { ok: false, error: failureOf(err), calls: session.calls };
    }
  } finally {
    if (!released) await session.close();
  }
}

/** The officer a camera is checked out to, as WriteZFYInfo stores it. */
export interface VendorOfficer {
  badge: string;
  name: string;
  /** undefined keeps what the camera holds; null clears it. */
  unitId?: string | null;
  unitName?: string | null;
}

export type VendorWriteResult =
  | {
      ok: true;
      /** Who the camera said it was before the write (its serial is written back unchanged). */
      before: VendorIdentity;
      /** The record written. */
      written: ZfyValues & { serial: string };
      calls: VendorCall[];
    }
  | { ok: false; error: VendorFailure; calls: VendorCall[] };

/**
 * Writes the officer's 警号 and 姓名 (and unit) to the camera at checkout: init → identity (the
 * record is written whole, so the serial read is written back) → writeOfficer → release. Values
 * that do not fit their field in the library's encoding are refused (StationError invalid_input)
 * before the camera is touched.
 */
export async function writeVendorOfficer(
  spec: VendorLibraryData,
  settings: VendorLibrarySettings,
  officer: VendorOfficer,
  options: VendorDockOptions = {},
): Promise<VendorWriteResult> {
  if (!spec.functions.writeOfficer) {
    return {
      ok: false,
      calls: [],
      error: {
        code: 'unloadable',
        duty: 'writeOfficer',
        function: null,
        message: '该型号的配置没有写入警号的函数（vendorLibrary.functions.writeOfficer） / this model\'s profile names no function to write the officer (vendorLibrary.functions.writeOfficer)',
      },
    };
  }
  const record = (serial: string, current: Partial<ZfyValues>): ZfyValues & { serial: string } => ({
    serial,
    badge: officer.badge,
    name: officer.name,
    unitId: officer.unitId === undefined ? (current.unitId ?? null) : officer.unitId,
    unitName: officer.unitName === undefined ? (current.unitName ?? null) : officer.unitName,
  });
  // Every field the officer gives is checked before the camera is touched (the serial is the camera's own).
  try {
    encodeZfyInfo(record('0', {}), spec.encoding);
  } catch (err) {
    throw new StationError('invalid_input', (err as Error).message);
  }

  return oneAtATime(settings.libraryPath, () => writeWith(spec, settings, record, options));
}

async function writeWith(
  spec: VendorLibraryData,
  settings: VendorLibrarySettings,
  record: (serial: string, current: Partial<ZfyValues>) => ZfyValues & { serial: string },
  options: VendorDockOptions,
): Promise<VendorWriteResult> {
  const session = new VendorSession(spec, settings, options);
  let result: VendorWriteResult;
  try {
    const idCode = await session.open();
    const values = await session.identity();
    const before: VendorIdentity = { serial: values.serial, badge: values.badge, name: values.name, unitId: values.unitId, unitName: values.unitName, idCode };
    const written = record(values.serial, values);
    let bytes: Buffer;
    try {
      bytes = encodeZfyInfo(written, spec.encoding);
    } catch (err) {
      // The camera's own unit, kept, does not fit back: the library gave more than its field holds.
      throw new VendorLibraryError({ code: 'garbage', duty: 'identity', function: spec.functions.identity, message: (err as Error).message });
    }
    await session.writeOfficer(bytes);
    // session.calls is filled on by close(): the release appears in it too.
    result = { ok: true, before, written, calls: session.calls };
  } catch (err) {
    result = { ok: false, error: failureOf(err), calls: session.calls };
  } finally {
    // A failed release is recorded in the calls; the write is done (the next init opens the camera anew).
    await session.close();
  }
  return result;
}

export interface VendorLibraryCheck {
  /** True when the library loads and has every function the profile names. */
  ok: boolean;
  /** The library as a whole could not be loaded (then `functions` is empty). */
  error: VendorFailure | null;
  functions: Array<{ duty: VendorDuty; function: string; found: boolean; error: VendorFailure | null }>;
}

/**
 * Loads the library in its own process and looks up every function the profile names, calling
 * none (`station vendor-library --check`): no camera needs to be attached.
 */
export async function checkVendorLibrary(spec: VendorLibraryData, libraryPath: string, options: VendorDockOptions = {}): Promise<VendorLibraryCheck> {
  const session = new VendorSession(spec, { libraryPath, password: '' }, options);
  try {
    const found = await session.lookupAll();
    const functions = found.map((f) => ({ duty: f.duty, function: f.function, found: f.error === null, error: f.error?.toFailure() ?? null }));
    return { ok: functions.every((f) => f.found), error: null, functions };
  } catch (err) {
    return { ok: false, error: failureOf(err), functions: [] };
  } finally {
    await session.close();
  }
}
