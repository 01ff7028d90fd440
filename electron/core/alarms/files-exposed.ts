// files_exposed: the station's files that other accounts on the machine may read or change
// (issue 19, files at rest). The modes of private-modes.ts are set when a file is made and
// tightened at start-up; where that cannot hold, a filesystem without modes (a FAT disk, some
// network shares) or a file owned by another account, nothing on the machine says so unless the
// station does: one open alarm, listing what is exposed and why, brought up to date at each start
// and resolved by the station, audited, once every file is the station's alone again.
//
// The vault's recordings are checked by a walk in the background: once, and again at every start
// while the last walk found something, so a vault of a million clips is walked once, not at every
// start. Windows keeps no POSIX modes (Node reports made-up ones): there the installer's ACL on the
// data folder is the defence (docs/deployment.md), and nothing here runs.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { stationActor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { readSetting, writeSetting } from '../db/settings.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import { PRIVATE_DIR, SEALED_FILE, tighten } from '../private-modes.js';
import type { AlarmRepository } from './repository.js';

/** Exposures an alarm lists at most; `total` counts all. */
export const FILES_LISTED = 20;

export interface ExposedFile {
  path: string;
  /** The mode it has (octal), after the station tried to tighten it. */
  mode: string;
  /** `mode`: others may read or write it and it cannot be changed; `owner`: another account owns it. */
  problem: 'mode' | 'owner';
}

export interface FilesExposedDetails {
  files: ExposedFile[];
  total: number;
  message: string;
}

const WALK_SETTING = 'files_at_rest.vault_walk';

/** Modes and owners are POSIX; Windows files carry ACLs the installer sets instead. */
export const checksModes = process.platform !== 'win32';

/**
 * Tightens `file` to `mode` and says whether it is still exposed: a group or other bit left (the
 * filesystem refused or ignored the change) or an owner other than the station's account.
 */
export function checkPrivate(file: string, mode: number, log: (m: string, e?: unknown) => void): ExposedFile | null {
  tighten(file, mode, log);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return null; // not there (a WAL after a clean close): nothing to expose
  }
  return exposure(file, st);
}

function exposure(file: string, st: fs.Stats): ExposedFile | null {
  const mode = st.mode & 0o777;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return { path: file, mode: mode.toString(8), problem: 'owner' };
  if ((mode & 0o077) !== 0) return { path: file, mode: mode.toString(8), problem: 'mode' };
  return null;
}

/**
 * Walks the vault, tightening folders to 0700 and stored files to 0400 (recordings stored before
 * the station set modes were 0644), and returns what stays exposed. The incoming area holds copies
 * being written, made private as they are made; it is left alone.
 */
export async function walkVault(root: string, skip: readonly string[], log: (m: string, e?: unknown) => void): Promise<{ files: number; exposed: ExposedFile[] }> {
  let files = 0;
  const exposed: ExposedFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      log(`could not list ${dir} while checking the vault's modes`, e);
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (dir === root && skip.includes(e.name)) continue;
      if (e.isDirectory()) {
        const found = checkPrivate(full, PRIVATE_DIR, log);
        if (found) exposed.push(found);
        await visit(full);
      } else if (e.isFile()) {
        files++;
        const found = checkPrivate(full, SEALED_FILE, log);
        if (found) exposed.push(found);
      }
    }
  };
  await visit(root);
  return { files, exposed };
}

/** Whether the vault should be walked at this start: never walked, or the last walk found something. */
export function vaultWalkDue(db: Db): boolean {
  const last = readSetting(db, WALK_SETTING);
  if (last === null) return true;
  try {
    return (JSON.parse(last) as { exposed?: number }).exposed !== 0;
  } catch {
    return true;
  }
}

function message(total: number): string {
  return `${total} 个采集站文件可被本机其他账户读取或更改，无法收紧权限（FAT 或网络盘不支持权限，或文件属于其他账户）。请把数据目录和证据库放在支持权限的磁盘上，归采集站运行账户所有（见 docs/deployment.md）。 / ${total} of the station's files can be read or changed by other accounts on this machine and their modes cannot be tightened (a FAT or network disk keeps no modes, or another account owns them). Keep the data folder and the vault on a disk with permissions, owned by the station's account (docs/deployment.md).`;
}

/**
 * Brings the files_exposed alarm in line with `found`, in one transaction: raised, updated, or
 * resolved by the station (audited). `walked` records a finished vault walk in the same change.
 */
export function settleFilesExposed(
  d: { db: Db; alarms: AlarmRepository; writer: Writer },
  found: readonly ExposedFile[],
  walked?: { at: number; files: number; exposed: number },
): 'raised' | 'updated' | 'resolved' | 'none' {
  return d.writer.run(stationActor, (tx) => {
    if (walked) writeSetting(d.db, WALK_SETTING, JSON.stringify(walked));
    const open = prepared<[], { id: number; details_json: string | null }>(
      d.db,
      "SELECT id, details_json FROM alarm WHERE resolved_at IS NULL AND kind = 'files_exposed' ORDER BY id LIMIT 1",
    ).get();
    if (found.length > 0) {
      const details: FilesExposedDetails = { files: found.slice(0, FILES_LISTED), total: found.length, message: message(found.length) };
      if (!open) {
        d.alarms.raise({ kind: 'files_exposed', details: details as unknown as Record<string, unknown>, at: tx.at });
        tx.emit('alarm.raised', { kind: 'files_exposed' });
        return 'raised';
      }
      if (open.details_json !== JSON.stringify(details)) {
        d.alarms.setDetails(open.id, details as unknown as Record<string, unknown>);
        return 'updated';
      }
      return 'none';
    }
    if (!open) return 'none';
    const why = '采集站的文件已只归其运行账户所有。 / The station\'s files are its own account\'s alone again.';
    d.alarms.resolve(open.id, stationActor.label, why, tx.at);
    tx.audit({ action: 'alarm.resolved', objectType: 'alarm', objectId: open.id, before: { kind: 'files_exposed' }, after: { resolution: 'files private' } });
    tx.emit('alarm.resolved', { id: open.id });
    return 'resolved';
  });
}
