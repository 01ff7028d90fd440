// 第七条 "clock set to station time": for a model whose profile declares a
// time file (`clock.set`), the station writes the current station time into
// it for the camera to pick up. This is the one write the station ever makes
// on a camera, so it is narrow on purpose:
//
// - exactly one file, at the path the profile names, never inside a footage
//   folder and never through a symbolic link (a link on a camera could point
//   anywhere on the station), and only into a folder the camera already has;
// - atomic: the bytes go to a temporary name in the same folder, are flushed,
//   then renamed over the file, so the camera never finds half a time;
// - bounded: a volume that hangs (a wedged FUSE mount) is given up on after a
//   timeout, and a write that completes later is not renamed into place.
//
// It never throws: a refusal or a failure is an answer with a reason, which
// the caller records as a dock notice; the offload is never held up by it.
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { clockSetFile, footageFolderOf, type CameraProfile } from './profile/index.js';
import { formatWallClock, type WallClock } from './wall-clock.js';

export type ClockSetResult =
  /** The model takes no time file. */
  | { status: 'unsupported' }
  /** `path` is where it was written, relative to the volume root as the camera spells it; `text` the time as written. */
  | { status: 'written'; path: string; text: string }
  /** Nothing was written (or a temporary file was removed again); `reason` is bilingual. */
  | { status: 'failed'; path: string; reason: string; code: string | null };

export const CLOCK_SET_TIMEOUT_MS = 15_000;

class Refused extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** A failed system call in words a custodian can act on. */
function describeError(err: unknown): { reason: string; code: string | null } {
  if (err instanceof Refused) return { reason: err.message, code: err.code };
  const code = (err as NodeJS.ErrnoException | null)?.code ?? null;
  const words: Record<string, string> = {
    EROFS: '记录仪的卷是只读的 / the camera volume is read-only',
    EACCES: '没有写入权限 / no permission to write',
    EPERM: '没有写入权限 / no permission to write',
    ENOSPC: '记录仪存储已满 / the camera storage is full',
    EIO: '读写错误（记录仪可能已拔出） / I/O error (the camera may have been unplugged)',
    ENOENT: '记录仪上的目录已不在（可能已拔出） / the folder is gone from the camera (unplugged?)',
    ENOTCONN: '卷已断开 / the volume is disconnected',
  };
  const base = (code && words[code]) ?? `${(err as Error | null)?.message ?? String(err)}`;
  return { reason: code ? `${base} (${code})` : base, code };
}

/**
 * Finds the folder that holds the time file, segment by segment as FAT does
 * (ignoring case), refusing symbolic links and anything that is not a folder.
 * The folder must already exist: the station creates nothing on a camera.
 */
async function folderOnVolume(root: string, segments: readonly string[]): Promise<{ dir: string; spelled: string[] }> {
  let dir = root;
  const spelled: string[] = [];
  for (const segment of segments) {
    const entries = await readdir(dir);
    const name = entries.includes(segment) ? segment : entries.find((e) => e.toLowerCase() === segment.toLowerCase());
    if (!name) throw new Refused(`记录仪上没有目录 ${[...spelled, segment].join('/')}（采集站不在记录仪上新建目录） / the camera has no folder ${[...spelled, segment].join('/')} (the station creates none)`, 'no_folder');
    const next = path.join(dir, name);
    const st = await lstat(next);
    if (st.isSymbolicLink()) throw new Refused(`${[...spelled, name].join('/')} 是符号链接，不跟随 / ${[...spelled, name].join('/')} is a symbolic link (not followed)`, 'symlink');
    if (!st.isDirectory()) throw new Refused(`${[...spelled, name].join('/')} 不是目录 / ${[...spelled, name].join('/')} is not a folder`, 'not_folder');
    dir = next;
    spelled.push(name);
  }
  return { dir, spelled };
}

const within = (parent: string, child: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/**
 * Writes the profile's time file on the volume at `volumeRoot`, holding
 * `wallClock` (the station's time in its zone). See the module comment for
 * what it refuses.
 */
export async function writeCameraClock(
  profile: CameraProfile,
  volumeRoot: string,
  wallClock: WallClock,
  options: { timeoutMs?: number } = {},
): Promise<ClockSetResult> {
  const file = clockSetFile(profile, wallClock);
  if (!file || !profile.compiled.clockSet) return { status: 'unsupported' };
  const text = formatWallClock(wallClock, profile.compiled.clockSet);
  let abandoned = false;
  let temp: string | null = null;

  const write = async (): Promise<ClockSetResult> => {
    // The loader refuses these too; checked again here because this is a write.
    const segments = file.path.split('/').filter(Boolean);
    if (path.isAbsolute(file.path) || segments.some((s) => s === '.' || s === '..' || s.includes('\\'))) {
      throw new Refused(`校时文件路径必须在卷内 / the time file path must stay inside the volume: ${file.path}`, 'outside_volume');
    }
    if (footageFolderOf(profile, file.path)) {
      throw new Refused(`校时文件路径位于录像目录内，不写入 / the time file path is inside a footage folder; not written: ${file.path}`, 'in_footage');
    }
    const name = segments.pop()!;
    const root = await realpath(volumeRoot);
    const { dir, spelled } = await folderOnVolume(root, segments);
    // Belt and braces: whatever the path walked through, the folder is on this volume.
    if (!within(root, await realpath(dir))) throw new Refused(`校时文件会写到卷外 / the time file would land outside the volume: ${file.path}`, 'outside_volume');

    // The camera's own spelling of an existing file is kept, so a FAT card shown
    // upper-case (TIME.TXT) gets its file replaced rather than a second one.
    const entries = await readdir(dir);
    const existing = entries.includes(name) ? name : entries.find((e) => e.toLowerCase() === name.toLowerCase());
    const finalName = existing ?? name;
    const target = path.join(dir, finalName);
    if (existing) {
      const st = await lstat(target);
      if (!st.isFile() && !st.isSymbolicLink()) throw new Refused(`${[...spelled, finalName].join('/')} 不是普通文件 / ${[...spelled, finalName].join('/')} is not a regular file`, 'not_file');
      // A link in the way is replaced by the rename itself (rename never follows it), so nothing outside is touched.
    }

    temp = path.join(dir, `.${finalName}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(file.contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (abandoned) throw new Refused('timed out');
    await rename(temp, target);
    temp = null;
    // The rename is durable once the folder is flushed; FAT and some FUSE file systems cannot flush a folder, and the file itself already is.
    try {
      const d = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      // best effort, see above
    }
    return { status: 'written', path: [...spelled, finalName].join('/'), text };
  };

  const timeoutMs = options.timeoutMs ?? CLOCK_SET_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ClockSetResult>((resolve) => {
    timer = setTimeout(() => {
      abandoned = true;
      resolve({
        status: 'failed',
        path: file.path,
        reason: `写入超时（${Math.round(timeoutMs / 1000)} 秒），卷可能无响应 / timed out after ${Math.round(timeoutMs / 1000)} s: the volume may be hung`,
        code: 'timeout',
      });
    }, timeoutMs);
    timer.unref?.();
  });
  const attempt = write().catch(async (err: unknown): Promise<ClockSetResult> => {
    if (temp) await rm(temp, { force: true }).catch(() => undefined);
    return { status: 'failed', path: file.path, ...describeError(err) };
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
