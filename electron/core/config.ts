import path from 'node:path';
import type { Clock, Random } from './clock.js';
import { systemClock, systemRandom } from './clock.js';
import { repoPath } from './paths.js';

export type HashAlgorithm = 'sha256' | 'sm3';

export interface StationConfig {
  /** The station's data folder: database, audit anchor, default vault. */
  dataDir: string;
  /** The evidence vault; `<dataDir>/vault` unless set (e.g. a separate disk). */
  vaultDir?: string;
  /** Shown times use this zone; stored times are always UTC. */
  timeZone?: string;
  hashAlgorithm?: HashAlgorithm;
  /** Where the numbered .sql migrations live (the packaged app passes its resources path). */
  migrationsDir?: string;
  stationName?: string;
  /** An idle session locks after this long. */
  idleLockMs?: number;
  /** scrypt cost; lowered only in tests to keep them fast. */
  scryptCost?: number;
  /** Camera profile files (`profiles/*.json`); the packaged app passes its resources path. */
  profilesDir?: string;
  /**
   * The site's own camera profiles, beside the shipped ones: a model the site adds, or a shipped
   * profile it corrects (same id: the site's replaces it). `<dataDir>/profiles` unless set; it
   * need not exist. The shipped folder is inside the installed app, which a site cannot edit.
   */
  siteProfilesDir?: string;
  /** Each sub-folder of this folder is a docked camera volume (emulator, demo, OS-mounted cameras). */
  watchedFolder?: string;
  /** Watch for removable volumes (USB cameras). On in the desktop app, off in tests. */
  removableVolumes?: boolean;
  /** Remove a file from the camera once its clip is committed. Off unless a site's policy says so. */
  eraseAfterCommit?: boolean;
  /** Files copied at once across all docked cameras (copy worker threads). */
  copyWorkers?: number;
  /**
   * Burn targets besides the optical drives xorriso finds: file-backed pseudo drives
   * ('stdio:/path'), for tests and the harness (there is no drive here). Never from the window.
   */
  burnAddresses?: string[];
  /**
   * The ffprobe that checks each stored recording: a path or a name on PATH. Unset: the
   * environment's STATION_FFPROBE (a site whose ffmpeg is not on PATH sets it for the app and the
   * CLI alike), else `ffprobe` on PATH.
   */
  ffprobePath?: string;
  /**
   * The ffmpeg that makes posters, contact sheets and proxies (media/): a path or a name on PATH.
   * Unset: STATION_FFMPEG, else `ffmpeg` on PATH.
   */
  ffmpegPath?: string;
  /**
   * Posters and contact sheets made in the background after each commit (media/thumbnails.ts).
   * On unless a site turns it off; without them the library shows no pictures until asked.
   */
  thumbnails?: boolean;
  /**
   * Free space the vault should keep: a dock that would leave less raises a `vault_low_space`
   * alarm before the disk fills (the footage is still copied while it fits). The default of the
   * custody setting of the same name, which 综合处 or an administrator may change.
   */
  vaultReserveBytes?: number;
  /**
   * The daily seals' files (audit/seal-store.ts): `<dataDir>/seals` unless set. Beside the
   * database rather than the vault: the CLI is told the vault only for the commands that read
   * it, and a vault on its own disk may be a mount point whose parent is not the station's.
   */
  sealsDir?: string;
  /**
   * A font with Chinese glyphs for the seal sheet (a .ttf, .otf or .ttc) and, for a collection,
   * the face's PostScript name. Unset: STATION_SEAL_FONT / STATION_SEAL_FONT_FACE, else the first
   * installed of Noto Sans CJK SC, 微软雅黑, 黑体, 宋体 (audit/seal-pdf.ts).
   */
  sealFontFile?: string;
  sealFontFace?: string;
  clock?: Clock;
  random?: Random;
}

export interface ResolvedConfig {
  dataDir: string;
  vaultDir: string;
  databaseFile: string;
  auditAnchorFile: string;
  timeZone: string;
  hashAlgorithm: HashAlgorithm;
  migrationsDir: string;
  stationName: string;
  idleLockMs: number;
  scryptCost: number;
  profilesDir: string;
  siteProfilesDir: string;
  watchedFolder: string | null;
  removableVolumes: boolean;
  eraseAfterCommit: boolean;
  copyWorkers: number;
  burnAddresses?: string[];
  ffprobePath: string;
  ffmpegPath: string;
  thumbnails: boolean;
  vaultReserveBytes: number;
  sealsDir: string;
  sealFont: { file?: string; face?: string };
  clock: Clock;
  random: Random;
}

export const DEFAULT_IDLE_LOCK_MS = 10 * 60 * 1000;
export const DEFAULT_SCRYPT_COST = 2 ** 15;
/** About a day's footage of a small unit's cameras: warning enough to add storage before a shift's docks fail. */
export const DEFAULT_VAULT_RESERVE_BYTES = 20 * 1024 ** 3;

export function resolveConfig(config: StationConfig): ResolvedConfig {
  const dataDir = path.resolve(config.dataDir);
  const timeZone = config.timeZone ?? 'Asia/Shanghai';
  // Fail at start-up, not at the first time shown, on a zone name that does not exist.
  new Intl.DateTimeFormat('en', { timeZone });
  return {
    dataDir,
    vaultDir: path.resolve(config.vaultDir ?? path.join(dataDir, 'vault')),
    databaseFile: path.join(dataDir, 'station.sqlite'),
    auditAnchorFile: path.join(dataDir, 'audit-anchor.json'),
    timeZone,
    hashAlgorithm: config.hashAlgorithm ?? 'sha256',
    migrationsDir: config.migrationsDir ?? repoPath('migrations'),
    stationName: config.stationName ?? '执法记录仪证据采集站',
    idleLockMs: config.idleLockMs ?? DEFAULT_IDLE_LOCK_MS,
    scryptCost: config.scryptCost ?? DEFAULT_SCRYPT_COST,
    profilesDir: config.profilesDir ?? repoPath('profiles'),
    siteProfilesDir: config.siteProfilesDir ?? path.join(dataDir, 'profiles'),
    watchedFolder: config.watchedFolder ? path.resolve(config.watchedFolder) : null,
    removableVolumes: config.removableVolumes ?? false,
    eraseAfterCommit: config.eraseAfterCommit ?? false,
    copyWorkers: config.copyWorkers ?? 2,
    ...(config.burnAddresses ? { burnAddresses: config.burnAddresses } : {}),
    ffprobePath: config.ffprobePath ?? (process.env.STATION_FFPROBE || 'ffprobe'),
    ffmpegPath: config.ffmpegPath ?? (process.env.STATION_FFMPEG || 'ffmpeg'),
    thumbnails: config.thumbnails ?? true,
    vaultReserveBytes: config.vaultReserveBytes ?? DEFAULT_VAULT_RESERVE_BYTES,
    sealsDir: path.resolve(config.sealsDir ?? path.join(dataDir, 'seals')),
    sealFont: { ...(config.sealFontFile ? { file: config.sealFontFile } : {}), ...(config.sealFontFace ? { face: config.sealFontFace } : {}) },
    clock: config.clock ?? systemClock,
    random: config.random ?? systemRandom,
  };
}
