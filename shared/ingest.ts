// Docking and ingest types that cross the contract.
import type { Permission } from './roles.js';
import type { PersonRef } from './domain.js';

export const dockStates = ['identifying', 'unregistered', 'ingesting', 'paused', 'done', 'failed', 'cancelled'] as const;
export type DockState = (typeof dockStates)[number];
export type IngestFileState = 'discovered' | 'copying' | 'verifying' | 'committed' | 'failed' | 'duplicate';
export type ClipKind = 'video' | 'audio' | 'photo' | 'other';

export interface IngestProgress {
  dockSessionId: number;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Over the last few seconds; 0 before the first bytes move. */
  bytesPerSecond: number;
  etaSeconds: number | null;
  /** The file being copied now, relative to the camera's root. */
  current: string | null;
}

export interface DockSessionView {
  id: number;
  label: string | null;
  source: 'usb-volume' | 'watched-folder' | 'cli';
  profileId: string | null;
  /** 产品序号 as the camera reports it. */
  serial: string | null;
  device: { id: number; serial: string; model: string | null; keeper: PersonRef | null } | null;
  /** Who the camera's binding names (警号, 姓名). */
  binding: { badge: string | null; name: string | null; unitName: string | null } | null;
  state: DockState;
  stateReason: string | null;
  clockSkewMs: number | null;
  batteryPercent: number | null;
  freeBytes: number | null;
  filesTotal: number;
  filesCommitted: number;
  filesFailed: number;
  filesDuplicate: number;
  bytesTotal: number;
  attachedAt: number;
  finishedAt: number | null;
  detachedAt: number | null;
  /** Present while the files are being copied. */
  progress: IngestProgress | null;
}

/** An offload's progress without the name of the file being copied: what the public dock status may show. */
export type PublicProgress = Omit<IngestProgress, 'current'>;

/**
 * A docked camera for the public dock status (`dock.lobby`): its serial, its state and how far the
 * offload has got. Deliberately without the keeper, the binding, file names and failure reasons,
 * which only `ingest.view` may see (`dock.board`).
 */
export interface DockLobbyView {
  id: number;
  /** The registered serial, else as the camera reports it; null while it is being identified. */
  serial: string | null;
  state: DockState;
  filesTotal: number;
  filesCommitted: number;
  filesDuplicate: number;
  /** Present while the files are being copied; no file name. */
  progress: PublicProgress | null;
}

/**
 * The public dock status: the docked cameras, and whether the vault takes footage now (an officer
 * about to dock at an unattended station is told before, not only by a failed offload).
 */
export interface DockLobby {
  docks: DockLobbyView[];
  /** False while a vault_unavailable alarm is open: nothing docked now is offloaded. */
  vaultAvailable: boolean;
}

/**
 * Why a file was not stored: the copy engine's kinds (electron/core/ingest/copy/errors.ts) and the
 * job's own stops. A closed list, so each has a sentence in the renderer's languages (i18n test).
 */
export const ingestFailureKinds = [
  'source_vanished',
  'source_unreadable',
  'source_changed',
  'vault_full',
  'vault_io',
  'vault_unavailable', // the vault's disk is not there, or holds another vault (ingest/vault-guard.ts)
  'verify_mismatch',
  'aborted',
  'internal',
  'cancelled', // the offload was cancelled
  'interrupted', // the station stopped during the copy
] as const;
export type IngestFailureKind = (typeof ingestFailureKinds)[number];

/**
 * A dock's notices: what discovery passed over on the camera (electron/core/ingest/discover.ts),
 * a camera clock the station could not set (第七条, ingest/service.ts), and a clip the vault had
 * lost that this dock put back from the camera (ingest/job.ts, Vault.restore).
 */
export const dockNoticeKinds = [
  'symlink',
  'special_file',
  'unsafe_name',
  'unreadable_folder',
  'unreadable_entry', // listed, but its stat failed: it may be footage (ingest/discover.ts)
  'missing_footage_folder',
  'clock_set_failed',
  'vault_copy_restored',
  'vault_copy_replaced',
  'camera_clock_wrong',
  'name_other_camera', // the file's name (or folder's) carries another camera's serial (docking/profile/identity.ts)
] as const;
export type DockNoticeKind = (typeof dockNoticeKinds)[number];

/**
 * Why a committed recording does not play, in words a custodian can act on.
 * The clip keeps the probe's message exactly (guarantee 3): ffprobe's, with the file's own name
 * where ffprobe printed the station's path, or that of the probe's own checks
 * (electron/core/ingest/media-check). This only sorts it so each screen can say it in the
 * reader's language, with the message beside.
 */
export const damageKinds = ['empty', 'incomplete', 'unrecognised', 'probe_failed', 'other'] as const;
export type DamageKind = (typeof damageKinds)[number];

/** What the probe records for a file of no bytes (ffprobe is not run on it). */
export const ZERO_LENGTH_MESSAGE = 'zero-length file';

export function damageKind(message: string | null): DamageKind {
  if (message === null) return 'other';
  if (message === ZERO_LENGTH_MESSAGE) return 'empty';
  // A camera that lost power or was switched off mid-recording leaves an MP4 without the
  // index (moov) it writes last; the probe's own box check (electron/core/ingest/media-check)
  // says so in ffmpeg's words, or "moov atom cut short" / "file cut short after its moov atom".
  if (/moov atom not found|partial file/i.test(message) || /^(moov atom cut short|file cut short after its moov atom): /.test(message)) return 'incomplete';
  // Bytes ffmpeg cannot read as any container, or a container with no stream that plays; and the
  // probe's own checks: bytes that are not the format their name claims ("not a JPEG image: …",
  // "not an MP4 file: …") or do not go on as it ("broken JPEG structure: …"). Those are anchored
  // at the start: a message may name the file (ffprobe's "IMG_1.MP4: End of file"), and a file
  // name is never read as the message.
  if (
    /invalid data found when processing input/i.test(message) ||
    /^no (media streams|video stream|audio stream|duration)$/.test(message) ||
    /^not an? \S+ (file|image): /.test(message) ||
    /^broken \S+ structure: /.test(message)
  ) {
    return 'unrecognised';
  }
  // Our own messages when no verdict could be given: ffprobe not started, stopped on its timeout or
  // its output unreadable; the in-process check stopped or unable to read the file.
  if (/^ffprobe(: | stopped \(\w+\)$| exit -?\d+$| output unreadable$)/.test(message) || /^media check (stopped \(\w+\)$|failed: )/.test(message)) return 'probe_failed';
  return 'other';
}

export interface IngestFileView {
  id: number;
  originalPath: string;
  size: number;
  kind: ClipKind;
  state: IngestFileState;
  failureKind: IngestFailureKind | null;
  failureMessage: string | null;
  attempts: number;
  clipId: number | null;
  /** Committed bit-exact but does not play as a whole media file (guarantee 3), with ffprobe's message. */
  damaged: boolean;
  damageReason: string | null;
  /** A time the camera gave for it cannot be true (camera clock wrong): filed by another time, or under undated/. */
  clockWrong: boolean;
}

export interface DockNoticeView {
  kind: DockNoticeKind;
  path: string;
  message: string;
  at: number;
}

export interface DockSessionDetail extends DockSessionView {
  files: IngestFileView[];
  notices: DockNoticeView[];
}

export const alarmKinds = [
  'unregistered_device',
  'binding_mismatch',
  'verify_failure',
  'vault_low_space',
  'vault_unavailable',
  'probe_unavailable',
  'footage_unreadable', // part of a camera's footage tree could not be read: its dock is not done (ingest/discover.ts)
  'profile_invalid', // a camera profile file does not load and is skipped; details name file, field, problem (alarms/profile-invalid.ts)
  'files_exposed', // station files other accounts may read or change: a disk without modes, another owner (alarms/files-exposed.ts)
] as const;
export type AlarmKind = (typeof alarmKinds)[number];

/**
 * Who may resolve an alarm by hand, by kind (the core checks it; the board offers the button by
 * it). Most are the dock's own business, for whoever runs the dock. Those that say evidence may be
 * altered or left unread are 综合处's (custody.supervise): a custodian must not close the alarm
 * about files that changed under them, nor decide footage left on a camera is of no account.
 */
export const alarmResolvePermission: Readonly<Record<AlarmKind, Permission>> = {
  unregistered_device: 'ingest.control',
  binding_mismatch: 'ingest.control',
  verify_failure: 'custody.supervise',
  vault_low_space: 'ingest.control',
  vault_unavailable: 'ingest.control',
  probe_unavailable: 'ingest.control',
  footage_unreadable: 'custody.supervise',
  profile_invalid: 'ingest.control',
  // Evidence readable by other accounts: 综合处 decides whether the site accepts it (say, a FAT disk for now).
  files_exposed: 'custody.supervise',
};

/**
 * Why the vault cannot take evidence (a vault_unavailable alarm's `details.problem`): its folder is
 * gone, it has no vault marker (an unmounted disk's empty mount point), its marker names another
 * vault, or the marker cannot be read. See electron/core/ingest/vault-guard.ts.
 */
export const vaultProblemKinds = ['missing', 'not_this_vault', 'other_vault', 'unreadable'] as const;
export type VaultProblemKind = (typeof vaultProblemKinds)[number];

export interface Alarm {
  id: number;
  kind: AlarmKind;
  dockSessionId: number | null;
  deviceId: number | null;
  serial: string | null;
  details: Record<string, unknown> | null;
  raisedAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface IngestSummary {
  dockSessionId: number;
  state: DockState;
  committed: number;
  duplicate: number;
  failed: number;
  damaged: number;
  bytes: number;
  durationMs: number;
}
