// Where a site keeps, per camera profile, the path of its vendor's library and
// the device password the library's calls take: station_setting rows
// `vendor.<profileId>.library` and `vendor.<profileId>.password`. They are the
// site's, not the profile's: the same model's library sits in different
// places, and units set their own passwords.
//
// The password is stored as the library needs it, in clear (it is handed to
// the vendor's function as it is; hashing it would make it useless). It is
// protected as the database is (the data folder's permissions), and it never
// leaves this module in a view, an audit row, a log line or a message: what is
// shown is only whether one is set.
//
// Changing either is an administrator's setting (a library is native code the
// station will run): an `os` caller (the CLI, run by the account that owns the
// data folder) or a person holding the administrator role. Audited as
// `vendor.settings_changed`, with the library path and "password set" only.
import path from 'node:path';
import { StationError } from '../../../../shared/errors.js';
import type { Role } from '../../../../shared/roles.js';
import type { Actor } from '../../audit/actor.js';
import type { Db } from '../../db/open.js';
import { deleteSetting, readSetting, writeSetting } from '../../db/settings.js';
import { prepared } from '../../db/statements.js';
import type { Writer } from '../../db/writer.js';
import type { VendorLibrarySettings } from './session.js';

export const vendorSettingKeys = (profileId: string) => ({ library: `vendor.${profileId}.library`, password: `vendor.${profileId}.password` }) as const;

/** What may be shown about a profile's settings: never the password itself. */
export interface VendorSettingsView {
  profileId: string;
  libraryPath: string | null;
  passwordSet: boolean;
}

/** undefined leaves a setting as it is; null clears it. */
export interface VendorSettingsChange {
  libraryPath?: string | null;
  password?: string | null;
}

/** Who asks for a change: the CLI (`os`) or a person with their roles. */
export interface VendorSettingsCaller {
  actor: Actor;
  roles?: readonly Role[];
}

/** Longest password accepted: vendors' passwords are short digit strings. */
export const MAX_PASSWORD_LENGTH = 64;

/** The settings readVendorDock takes, or null while no library is set for the profile. Never logged. */
export function readVendorSettings(db: Db, profileId: string): VendorLibrarySettings | null {
  const keys = vendorSettingKeys(profileId);
  const libraryPath = readSetting(db, keys.library);
  if (!libraryPath) return null;
  return { libraryPath, password: readSetting(db, keys.password) ?? '' };
}

export function viewVendorSettings(db: Db, profileId: string): VendorSettingsView {
  const keys = vendorSettingKeys(profileId);
  return { profileId, libraryPath: readSetting(db, keys.library), passwordSet: readSetting(db, keys.password) !== null };
}

/** Every profile id with a setting stored (including profiles no longer installed). */
export function vendorSettingProfiles(db: Db): string[] {
  const rows = prepared<[], { key: string }>(db, "SELECT key FROM station_setting WHERE key LIKE 'vendor.%' ORDER BY key").all();
  const ids = new Set<string>();
  for (const { key } of rows) {
    const m = /^vendor\.(.+)\.(library|password)$/.exec(key);
    if (m) ids.add(m[1]!);
  }
  return [...ids];
}

function assertAdministrator(caller: VendorSettingsCaller): void {
  if (caller.actor.kind === 'os') return;
  if (caller.actor.kind === 'person' && caller.roles?.includes('administrator')) return;
  throw new StationError(
    'forbidden',
    '只有系统管理员可以设置厂商库与设备密码。 / Only an administrator may set the vendor library and device password.',
    { permission: 'administrator' },
  );
}

function checkChange(change: VendorSettingsChange): void {
  const lib = change.libraryPath;
  if (typeof lib === 'string' && (!path.isAbsolute(lib) || lib.includes('\0'))) {
    throw new StationError('invalid_input', `厂商库文件须为绝对路径：${lib} / the vendor library must be an absolute path: ${lib}`, {
      issues: [{ path: 'libraryPath', message: 'absolute path required' }],
    });
  }
  const pw = change.password;
  // The message never repeats the password.
  // eslint-disable-next-line no-control-regex
  if (typeof pw === 'string' && (pw.length > MAX_PASSWORD_LENGTH || /[\u0000-\u001f\u007f]/.test(pw))) {
    throw new StationError(
      'invalid_input',
      `设备密码须为一行、最多 ${MAX_PASSWORD_LENGTH} 个字符，且不含控制字符。 / The device password must be one line of at most ${MAX_PASSWORD_LENGTH} characters without control characters.`,
      { issues: [{ path: 'password', message: 'bad password' }] },
    );
  }
}

/** Changes a profile's settings in one audited transaction; resolves with what may be shown afterwards. */
export function changeVendorSettings(deps: { db: Db; writer: Writer }, caller: VendorSettingsCaller, profileId: string, change: VendorSettingsChange): VendorSettingsView {
  assertAdministrator(caller);
  checkChange(change);
  const keys = vendorSettingKeys(profileId);
  return deps.writer.run(caller.actor, (tx) => {
    const before = viewVendorSettings(deps.db, profileId);
    const beforePassword = readSetting(deps.db, keys.password);
    if (change.libraryPath === null) deleteSetting(deps.db, keys.library);
    else if (change.libraryPath !== undefined) writeSetting(deps.db, keys.library, change.libraryPath);
    if (change.password === null) deleteSetting(deps.db, keys.password);
    else if (change.password !== undefined) writeSetting(deps.db, keys.password, change.password);
    const after = viewVendorSettings(deps.db, profileId);
    const passwordChanged = change.password !== undefined && beforePassword !== (change.password ?? null);
    if (before.libraryPath !== after.libraryPath || passwordChanged) {
      tx.audit({
        action: 'vendor.settings_changed',
        objectType: 'settings',
        objectId: `vendor.${profileId}`,
        before: { libraryPath: before.libraryPath, passwordSet: before.passwordSet },
        // Whether the password changed, never what it is.
        after: { libraryPath: after.libraryPath, passwordSet: after.passwordSet, passwordChanged },
      });
    }
    return after;
  });
}
