// The messages between the harness (parent) and its core host (child) over
// Node's IPC channel. The token travels here, not in argv or the environment,
// so it does not show in the process list.

export interface CoreHostConfig {
  dataDir: string;
  token: string;
  /** 0 on the first start; a restart asks for the port the open pages already know. */
  wsPort: number;
  /** Browser origins allowed to open the socket (the harness page); clients without an Origin need only the token. */
  allowedOrigins: string[];
  /** Present: the core runs on a ManualClock starting here (epoch ms). */
  clockStart?: number;
  idleLockMs?: number;
  scryptCost?: number;
  vaultReserveBytes?: number;
  /** The ffprobe to check recordings with (config.ts); a browser test names one that is not there. */
  ffprobePath?: string;
  /** Each sub-folder of this folder is a docked camera (the emulator drops cameras here). */
  watchedFolder?: string;
}

export type ClockChange = { advanceMs: number } | { set: number };

export type ParentMessage =
  | { type: 'start'; config: CoreHostConfig }
  | { type: 'clock'; id: number; change: ClockChange };

export type ChildMessage =
  | { type: 'ready'; wsPort: number; now: number }
  | { type: 'clock-done'; id: number; now: number }
  | { type: 'clock-failed'; id: number; message: string }
  | { type: 'fatal'; message: string; code?: string };
