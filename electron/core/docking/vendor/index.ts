// The vendor's USB library (the 公安部 interface) from the station's side:
// cameras that show no files until their library switches them to disk mode,
// and whose serial, badge, battery and clock come only through it. The library
// runs in a process of its own (child.ts), never in the core. See
// docs/vendor-library.md.
export {
  checkVendorLibrary,
  readVendorDock,
  writeVendorOfficer,
  type VendorDockFailure,
  type VendorDockOptions,
  type VendorDockReading,
  type VendorDockResult,
  type VendorIdentity,
  type VendorLibraryCheck,
  type VendorOfficer,
  type VendorOptionalDuty,
  type VendorWriteResult,
} from './dock.js';
export { IRET, iRetMeaning, VendorLibraryError, type VendorDuty, type VendorErrorCode, type VendorFailure } from './errors.js';
export { BUNDLED_CHILD_NAME, defaultChildEntry, type ChildEntry } from './child-entry.js';
export { forkLauncher, OUTPUT_TAIL, type VendorChild, type VendorChildExit, type VendorLauncher } from './launcher.js';
export type { VendorCall, VendorClockReading, VendorLibrarySettings, VendorSessionOptions } from './session.js';
export {
  changeVendorSettings,
  MAX_PASSWORD_LENGTH,
  readVendorSettings,
  vendorSettingKeys,
  vendorSettingProfiles,
  viewVendorSettings,
  type VendorSettingsCaller,
  type VendorSettingsChange,
  type VendorSettingsView,
} from './settings.js';
export { encodeVendorText, type VendorEncoding } from './text.js';
export { ZFY_FIELDS, ZFY_INFO_SIZE, encodeZfyInfo, parseZfyInfo, type ZfyValues } from './zfy-info.js';
