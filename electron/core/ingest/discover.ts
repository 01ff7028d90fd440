// Discovery: every file under a camera profile's footage folders, and an
// account of everything there that is not one. Nothing on the camera may be
// left behind silently (issue 17): what discovery passes over is either safe
// to pass over (the list in docs/architecture.md, "What discovery may pass
// over") or makes the dock not-done, with a footage_unreadable alarm.
import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DockNoticeKind } from '../../../shared/ingest.js';
import type { CameraProfile, ParsedClip } from '../docking/profile/index.js';
import { parseClipName } from '../docking/profile/index.js';

export interface DiscoveredFile {
  /** Relative to the volume root, '/'-separated, as the camera spells it. */
  relativePath: string;
  absolutePath: string;
  size: number;
  mtimeMs: number;
  parsed: ParsedClip;
}

/** What discovery itself notices (the service and the job add notices of their own). */
export const discoveryNoticeKinds = [
  'symlink',
  'special_file',
  'unsafe_name',
  'unreadable_folder',
  'unreadable_entry',
  'missing_footage_folder',
] as const satisfies readonly DockNoticeKind[];
export type NoticeKind = (typeof discoveryNoticeKinds)[number];

/**
 * The notices behind which footage may be left on the camera unseen: a folder
 * not listed whole, an entry that could not be examined, a special file, a
 * name the station cannot open by. Each makes the dock not-done (never
 * 可以取走) and raises a footage_unreadable alarm. The others (a symbolic
 * link, a footage folder the card does not have) hide nothing: see
 * docs/architecture.md for why.
 */
export const footageLeftBehind: ReadonlySet<NoticeKind> = new Set(['special_file', 'unsafe_name', 'unreadable_folder', 'unreadable_entry']);

export interface DiscoveryNotice {
  kind: NoticeKind;
  /** Relative to the volume root, '/'-separated; '/' for the root itself. */
  path: string;
  message: string;
  /** The system's error code where reading failed (EACCES, EIO…), for the alarm and the administrator. */
  code?: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Everything passed over, for the dock's 详情. */
  notices: DiscoveryNotice[];
  /** The notices of `footageLeftBehind`: while any is there, the dock cannot be done. */
  unread: DiscoveryNotice[];
}

const NOTICE_TEXT: Record<NoticeKind, string> = {
  symlink: '记录仪上有符号链接，采集站不跟随它（可能指向卷外）。 / A symbolic link on the camera was not followed (it may point outside the volume).',
  special_file:
    '记录仪的录像目录中有非普通文件（设备、管道、套接字），采集站不能读取它，本次导出未完成。 / A special file (device, pipe, socket) is in the camera\'s footage folders; the station cannot read it, so this offload is not complete.',
  unsafe_name:
    '记录仪上的名称为 . 或 .. 或含有路径分隔符，采集站无法按名读取，本次导出未完成。 / A name on the camera is . or .. or holds a path separator, so the station cannot read it by name; this offload is not complete.',
  unreadable_folder:
    '记录仪上的目录无法完整读取，其中的文件可能未导出，本次导出未完成。 / A folder on the camera could not be read whole; files in it may not have been offloaded, so this offload is not complete.',
  unreadable_entry:
    '记录仪上的这一项无法读取（查看其属性失败），未导出，本次导出未完成。 / This entry on the camera could not be examined, so it was not offloaded; this offload is not complete.',
  missing_footage_folder: '相机配置的录像目录在记录仪上不存在。 / A footage folder of the camera profile is not on the camera.',
};

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException | null)?.code ?? 'EIO';

/**
 * A folder's entries, and the error if it could not be listed whole. A listing
 * that failed part-way (a worn card: one cluster of the folder unreadable)
 * still gave the entries before the failure, so the folder is read again one
 * entry at a time and those are kept: readable footage is never held back
 * because a neighbour could not be read. One at a time, because libuv drops a
 * whole batch when a read in it fails. A second reading that goes through
 * whole was a passing fault, and the folder counts as read.
 */
async function listFolder(dir: string): Promise<{ entries: Dirent[]; error: unknown }> {
  try {
    return { entries: await fs.readdir(dir, { withFileTypes: true }), error: null };
  } catch (first) {
    const entries: Dirent[] = [];
    try {
      for await (const e of await fs.opendir(dir, { bufferSize: 1 })) entries.push(e);
      return { entries, error: null };
    } catch {
      return { entries, error: first };
    }
  }
}

/**
 * A name the station cannot open the file by. Linux's readdir gives none of
 * these (a name never holds '/' or NUL, and '.' and '..' are not listed); the
 * test stays so a platform that did could never make discovery leave the
 * folder. A backslash is an ordinary character on the camera's side and is
 * kept: the vault stores such a file under a safe name (vault.ts vaultFileName),
 * its sidecar and the index under its own.
 */
const unsafeName = (name: string): boolean => name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0');

/**
 * The profile's clip-name reader splits on backslashes too (profile names are
 * written with either separator); a backslash inside a camera's file name is
 * part of the name, so the reader gets '_' in its place. Only what the name
 * says is read from it (kind, start, flags); the file keeps its own name.
 */
const forNameReading = (relative: string): string => relative.replace(/\\/g, '_');

type Found = { dir: string } | { missing: true } | { unreadable: string; error: unknown };

/** Finds a folder by the profile's spelling, ignoring case: FAT volumes may show names upper-cased. */
async function findFolder(root: string, relative: string): Promise<Found> {
  let at = root;
  let rel = '';
  for (const segment of relative.split('/').filter((s) => s !== '')) {
    const { entries, error } = await listFolder(at);
    let hit: string | undefined;
    for (const e of entries) {
      if (e.name.toLowerCase() !== segment.toLowerCase()) continue;
      // The entry's own kind, never through a link: a footage folder that is a link is not followed.
      const st = await fs.lstat(path.join(at, e.name)).catch(() => null);
      if (st?.isDirectory()) {
        hit = e.name;
        break;
      }
    }
    // Not in a listing that broke off: it may be in the part that could not be read.
    if (!hit) return error ? { unreadable: rel === '' ? '/' : rel, error } : { missing: true };
    at = path.join(at, hit);
    rel = rel === '' ? hit : `${rel}/${hit}`;
  }
  return { dir: at };
}

/**
 * Every file under the profile's footage folders, found without following a
 * symbolic link or leaving the volume. Every regular file is a file to offload,
 * media by kind and anything else as `other`; all else is a notice, and the
 * notices that may hide footage (`footageLeftBehind`) are also `unread`.
 */
export async function discoverFiles(profile: CameraProfile, root: string): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  const notices: DiscoveryNotice[] = [];
  const seen = new Set<string>();
  const walked = new Set<string>();
  const notice = (kind: NoticeKind, rel: string, error?: unknown) => {
    const code = error === undefined ? undefined : codeOf(error);
    notices.push({ kind, path: rel, message: code ? `${NOTICE_TEXT[kind]} (${code})` : NOTICE_TEXT[kind], ...(code ? { code } : {}) });
  };

  const walk = async (dir: string, rel: string): Promise<void> => {
    // Two footage folders of a profile may be the same folder (spelled in two cases).
    if (walked.has(dir)) return;
    walked.add(dir);
    const { entries, error } = await listFolder(dir);
    if (error) notice('unreadable_folder', rel === '' ? '/' : rel, error);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (unsafeName(e.name)) {
        notice('unsafe_name', childRel);
        continue;
      }
      const abs = path.join(dir, e.name);
      // Every entry's kind from lstat, not the listing's: a listing may not say (DT_UNKNOWN), and
      // the size and time a file is identified by come from the same call.
      let st: Stats;
      try {
        st = await fs.lstat(abs);
      } catch (err) {
        notice('unreadable_entry', childRel, err);
        continue;
      }
      if (st.isSymbolicLink()) notice('symlink', childRel);
      else if (st.isDirectory()) await walk(abs, childRel);
      else if (st.isFile()) {
        if (seen.has(childRel)) continue;
        seen.add(childRel);
        files.push({ relativePath: childRel, absolutePath: abs, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), parsed: parseClipName(profile, forNameReading(childRel)) });
      } else notice('special_file', childRel);
    }
  };

  const missing: string[] = [];
  for (const folder of profile.footage.folders) {
    const found = await findFolder(root, folder);
    if ('dir' in found) await walk(found.dir, path.relative(root, found.dir).split(path.sep).join('/'));
    else if ('missing' in found) missing.push(folder);
    else if (!notices.some((n) => n.kind === 'unreadable_folder' && n.path === found.unreadable)) notice('unreadable_folder', found.unreadable, found.error);
  }
  // A profile may list several places footage can be; only none at all is worth a notice (and
  // not when one could not be looked for: that is said as unreadable).
  if (missing.length === profile.footage.folders.length) notice('missing_footage_folder', missing.join(', '));
  return { files, notices, unread: notices.filter((n) => footageLeftBehind.has(n.kind)) };
}
