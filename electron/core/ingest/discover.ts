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

/** What discovery itself notices (the service adds clock_set_failed, the job vault_copy_restored and vault_copy_replaced). */
export type NoticeKind = Exclude<DockNoticeKind, 'clock_set_failed' | 'vault_copy_restored' | 'vault_copy_replaced'>;

export interface DiscoveryNotice {
  kind: NoticeKind;
  path: string;
  message: string;
}

const NOTICE_TEXT: Record<NoticeKind, string> = {
  symlink: '记录仪上有符号链接，采集站不跟随它（可能指向卷外）。 / A symbolic link on the camera was not followed (it may point outside the volume).',
  special_file: '记录仪上有非普通文件（设备、管道等），未复制。 / A special file (device, pipe…) on the camera was not copied.',
  unsafe_name: '记录仪上的名称含有 .. 或路径分隔符，未跟随。 / A name on the camera contains .. or a path separator and was not followed.',
  unreadable_folder: '记录仪上的目录无法读取。 / A folder on the camera could not be read.',
  missing_footage_folder: '相机配置的录像目录在记录仪上不存在。 / A footage folder of the camera profile is not on the camera.',
};

/** Finds a folder by the profile's spelling, ignoring case: FAT volumes may show names upper-cased. */
async function findFolder(root: string, relative: string): Promise<string | null> {
  let at = root;
  for (const segment of relative.split('/').filter((s) => s !== '')) {
    let entries;
    try {
      entries = await fs.readdir(at, { withFileTypes: true });
    } catch {
      return null;
    }
    const hit = entries.find((e) => e.isDirectory() && e.name.toLowerCase() === segment.toLowerCase());
    if (!hit) return null;
    at = path.join(at, hit.name);
  }
  return at;
}

/**
 * Every file under the profile's footage folders, found without following a
 * symbolic link or leaving the volume: links, special files and odd names
 * become notices instead. Nothing under the footage folders is dropped
 * silently: media by kind, anything else as `other`.
 */
export async function discoverFiles(profile: CameraProfile, root: string): Promise<{ files: DiscoveredFile[]; notices: DiscoveryNotice[] }> {
  const files: DiscoveredFile[] = [];
  const notices: DiscoveryNotice[] = [];
  const seen = new Set<string>();
  const notice = (kind: NoticeKind, rel: string) => notices.push({ kind, path: rel, message: NOTICE_TEXT[kind] });

  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      notice('unreadable_folder', rel);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.name === '.' || e.name === '..' || e.name.includes('/') || e.name.includes('\\')) {
        notice('unsafe_name', childRel);
        continue;
      }
      const abs = path.join(dir, e.name);
      if (e.isSymbolicLink()) notice('symlink', childRel);
      else if (e.isDirectory()) await walk(abs, childRel);
      else if (e.isFile()) {
        if (seen.has(childRel)) continue;
        seen.add(childRel);
        let st;
        try {
          st = await fs.lstat(abs);
        } catch {
          notice('unreadable_folder', childRel);
          continue;
        }
        files.push({ relativePath: childRel, absolutePath: abs, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), parsed: parseClipName(profile, childRel) });
      } else notice('special_file', childRel);
    }
  };

  const missing: string[] = [];
  for (const folder of profile.footage.folders) {
    const dir = await findFolder(root, folder);
    if (dir) await walk(dir, path.relative(root, dir).split(path.sep).join('/'));
    else missing.push(folder);
  }
  // A profile may list several places footage can be; only none at all is worth a notice.
  if (missing.length === profile.footage.folders.length) notice('missing_footage_folder', missing.join(', '));
  return { files, notices };
}
