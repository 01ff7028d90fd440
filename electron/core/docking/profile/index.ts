// Camera profiles: how the station recognises a body-worn camera model and
// reads what it carries. A profile is data (`profiles/<id>.json`), not code,
// so a site adds a new model by adding a file; these modules validate those
// files with clear, bilingual errors that name the file and the field, and
// offer the functions docking and ingest need: identify a volume, read a
// clip's file name, read the binding (产品序号, 警号, 姓名, 单位), the camera's
// clock and its status. See docs/camera-profiles.md for the field reference.
//
// This file is the public API; each concern lives in its own module:
//   schema.ts       the zod schema, ProfileData, CameraProfile, ClipKind
//   problems.ts     ProfileError and the bilingual description of zod issues
//   cross-check.ts  what the schema cannot check; compiles the patterns
//   load.ts         parseProfile, loadProfileSet (bad files skipped), loadProfiles (strict)
//   regex-error.ts  a pattern's error with the text around its position
//   volume-path.ts  paths on a camera volume (case-insensitive, no symlinks)
//   identify.ts     identifyVolume (scores, specificity, ties)
//   identity.ts     who the camera is: sources in order of trust, disagreements
//   clip-name.ts    parseClipName, renderClipName, kindOfExtension
//   device-file.ts  reading the files a camera keeps about itself
//   binding.ts, clock.ts, status.ts: the readers of those files
export { delimitedRecord, emptyBinding, readBinding, type BindingReading, type BindingValues } from './binding.js';
export { kindOfExtension, parseClipName, renderClipName, templateMarksImportant, templateOf, type ClipNameValues, type ParsedClip } from './clip-name.js';
export { clockSetFile, readCameraClock, type ClockReading } from './clock.js';
export { identifyVolume, usbIdText, usbMatches, type Identification, type ProfileVerdict, type VolumeInfo } from './identify.js';
export {
  bindingIdentity,
  IDENTITY_SOURCE_TEXT,
  IDENTITY_SOURCES,
  labelIdentity,
  namesIdentity,
  resolveIdentity,
  sameIdentity,
  serialSearchText,
  type Disagreement,
  type IdentityField,
  type IdentityReading,
  type IdentitySource,
  type ResolvedIdentity,
} from './identity.js';
export { loadProfiles, loadProfileSet, loadShippedAndSite, mergeProfileSets, noProfileProblem, parseProfile, readProfileFile, type ProfileSet } from './load.js';
export { formatProblem, ProfileError, problemsByFile, type ProfileProblem } from './problems.js';
export { regexProblem } from './regex-error.js';
export {
  IDENTITY_GROUPS,
  NAME_GROUPS,
  profileSchema,
  type BindingField,
  type CameraProfile,
  type ClipKind,
  type NameGroup,
  type ProfileData,
  type TemplateData,
  type VendorLibraryData,
} from './schema.js';
export { readStatus, type StatusReading } from './status.js';
export { footageFolderOf } from './volume-path.js';
