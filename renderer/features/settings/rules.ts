// The bounds of each custody setting, checked in the form before saving so the
// person reads at once what is wrong. They mirror custodySettingsSchema in
// shared/contract.ts (importing it would pull zod into the renderer; a test in
// test/integration/custody-settings.test.ts holds the two together); the core
// checks again, and it alone decides.
import type { CustodySettings } from '../../../shared/custody.js';
import { CUTOFF } from '../../../shared/custody.js';

export const GIB = 1024 ** 3;

export const LIMITS = {
  batteryMinPercent: { min: 0, max: 100 },
  /** The schema's 2^44 bytes, shown in GiB. */
  freeSpaceMinGiB: { min: 0, max: 2 ** 44 / GIB },
  /** The schema's 2^44 bytes, shown in GiB. */
  vaultReserveGiB: { min: 0, max: 2 ** 44 / GIB },
  clockToleranceSeconds: { min: 1, max: 24 * 3600 },
} as const;

/** What the form holds: numbers as typed, free space in GiB. */
export interface SettingsForm {
  batteryMinPercent: string;
  freeSpaceMinGiB: string;
  clockToleranceSeconds: string;
  offloadCutoff: string;
  officerMayHoldTwo: boolean;
  alarmSound: boolean;
  vaultReserveGiB: string;
}

/** The contract's field names: a field the core refuses is named the same way. */
export type SettingField = keyof CustodySettings;

/** Bytes as GiB with at most two decimals (4 GiB → "4", 2.5 GiB → "2.5"). */
export function toGiB(bytes: number): string {
  return String(Number((bytes / GIB).toFixed(2)));
}

export function toForm(s: CustodySettings): SettingsForm {
  return {
    batteryMinPercent: String(s.batteryMinPercent),
    freeSpaceMinGiB: toGiB(s.freeSpaceMinBytes),
    clockToleranceSeconds: String(s.clockToleranceSeconds),
    offloadCutoff: s.offloadCutoff,
    officerMayHoldTwo: s.officerMayHoldTwo,
    alarmSound: s.alarmSound,
    vaultReserveGiB: toGiB(s.vaultReserveBytes),
  };
}

function wholeNumber(text: string, limits: { min: number; max: number }): number | null {
  if (!/^\d{1,9}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= limits.min && n <= limits.max ? n : null;
}

function gibibytes(text: string, limits: { min: number; max: number }): number | null {
  if (!/^\d{1,5}(\.\d{1,2})?$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= limits.min && n <= limits.max ? Math.round(n * GIB) : null;
}

/** A 24-hour time as typed ("7:30", "07:30", "7：30" from a Chinese keyboard) in the core's "HH:mm", or null. */
export function cutoff(text: string): string | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hhmm = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return CUTOFF.test(hhmm) ? hhmm : null;
}

/** Each number in the form: the contract's field it sets, and how the typed text becomes its value (null: out of bounds). */
const NUMBERS: readonly [
  keyof typeof LIMITS,
  'batteryMinPercent' | 'freeSpaceMinBytes' | 'clockToleranceSeconds' | 'vaultReserveBytes',
  (text: string) => number | null,
][] = [
  ['batteryMinPercent', 'batteryMinPercent', (text) => wholeNumber(text, LIMITS.batteryMinPercent)],
  ['freeSpaceMinGiB', 'freeSpaceMinBytes', (text) => gibibytes(text, LIMITS.freeSpaceMinGiB)],
  ['clockToleranceSeconds', 'clockToleranceSeconds', (text) => wholeNumber(text, LIMITS.clockToleranceSeconds)],
  ['vaultReserveGiB', 'vaultReserveBytes', (text) => gibibytes(text, LIMITS.vaultReserveGiB)],
];

/**
 * The changes to send (only the fields that differ from what was loaded, so
 * two people changing different fields do not undo each other) and the fields
 * that are out of bounds.
 */
export function changesOf(form: SettingsForm, loaded: SettingsForm): { changes: Partial<CustodySettings>; invalid: SettingField[] } {
  const changes: Partial<CustodySettings> = {};
  const invalid: SettingField[] = [];
  for (const [key, field, parse] of NUMBERS) {
    if (form[key] === loaded[key]) continue;
    const v = parse(form[key]);
    if (v === null) invalid.push(field);
    else changes[field] = v;
  }
  if (form.offloadCutoff !== loaded.offloadCutoff) {
    const v = cutoff(form.offloadCutoff);
    if (v === null) invalid.push('offloadCutoff');
    else if (v !== loaded.offloadCutoff) changes.offloadCutoff = v;
  }
  if (form.officerMayHoldTwo !== loaded.officerMayHoldTwo) changes.officerMayHoldTwo = form.officerMayHoldTwo;
  if (form.alarmSound !== loaded.alarmSound) changes.alarmSound = form.alarmSound;
  return { changes, invalid };
}
