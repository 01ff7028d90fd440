// The vault is this station's vault, on the disk it was made on (issue 3, "nothing lost").
//
// A vault on its own disk (config vaultDir, e.g. /mnt/evidence) has a failure a folder check
// cannot see: the disk is not mounted, the mount point is an empty folder on the system disk, and
// without this guard the station would create the vault there and copy the evidence onto the wrong
// disk, where mounting the right one later hides it. So the vault carries a marker file
// (evidence-vault.json, with a random id) written when the vault is made, the database records that
// id, and nothing is copied, verified or rebuilt unless the folder's marker names it. Until it does,
// a vault_unavailable alarm is open and every file stays on its camera; when the disk is back, the
// alarm is resolved by the next check (each dock, each verify, and a timer in station.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR } from '../private-modes.js';
import type { VaultProblemKind } from '../../../shared/ingest.js';
import { settleCondition } from '../alarms/condition.js';
import type { AlarmRepository } from '../alarms/repository.js';
import { StationError } from '../../../shared/errors.js';
import type { Actor } from '../audit/actor.js';
import { stationActor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { readSetting, writeSetting } from '../db/settings.js';
import type { Writer } from '../db/writer.js';
import { writeFileDurableSync } from './fsync.js';
import type { Vault } from './vault.js';

export const VAULT_MARKER = 'evidence-vault.json';
export const VAULT_MARKER_FORMAT = 'evidence-station.vault/1';
/** station_setting key of the id of the vault this database indexes. */
const VAULT_ID_KEY = 'vault.id';

export interface VaultMarker {
  format: typeof VAULT_MARKER_FORMAT;
  id: string;
  createdAt: string;
}

export interface VaultUnavailable {
  kind: VaultProblemKind;
  /** 中文 / English, with what to do: a dock's reason, the CLI's error. */
  message: string;
}

interface GuardDeps {
  vault: Vault;
  db: Db;
  alarms: AlarmRepository;
  writer: Writer;
}

type MarkerRead = { status: 'none' } | { status: 'ok'; marker: VaultMarker } | { status: 'bad'; reason: string };

/** The reason in both languages, "中文 / English" as every message of the core, with what to do. */
function problem(kind: VaultProblemKind, root: string, extra = ''): VaultUnavailable {
  const marker = path.join(root, VAULT_MARKER);
  const why: Record<VaultProblemKind, [string, string]> = {
    missing: [`证据库文件夹 ${root} 不存在，证据库磁盘可能未连接或未挂载。`, `The vault folder ${root} does not exist: its disk may be disconnected or not mounted.`],
    not_this_vault: [
      `${root} 中没有本站的证据库（缺少标识文件 ${VAULT_MARKER}），证据库磁盘可能未挂载。`,
      `${root} does not hold this station's vault (no ${VAULT_MARKER}): its disk may not be mounted.`,
    ],
    other_vault: [`${root} 中是另一个证据库，不是本站的。`, `${root} holds another vault, not this station's.`],
    unreadable: [`无法读取证据库标识文件 ${marker}。`, `The vault marker ${marker} cannot be read.`],
  };
  const [zh, en] = why[kind];
  const detail = extra ? `（${extra}）` : '';
  return {
    kind,
    message:
      `${zh}${detail}请连接并挂载证据库磁盘，或联系管理员；在此之前不导出任何文件，资料保留在执法记录仪上。 / ` +
      `${en}${extra ? ` (${extra})` : ''} Connect and mount the vault disk, or call an administrator; until then nothing is offloaded and the footage stays on the cameras.`,
  };
}

function readMarker(root: string): MarkerRead {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, VAULT_MARKER), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { status: 'none' } : { status: 'bad', reason: code ?? String(e) };
  }
  try {
    const m = JSON.parse(text) as Partial<VaultMarker>;
    if (m.format === VAULT_MARKER_FORMAT && typeof m.id === 'string' && m.id !== '') return { status: 'ok', marker: m as VaultMarker };
  } catch {
    // falls through: not JSON
  }
  return { status: 'bad', reason: 'not a vault marker' };
}

function isFolder(p: string): boolean | 'missing' {
  try {
    return fs.statSync(p).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
}

/**
 * Checks synchronously (a stat and a read of a small file on a local disk): it runs in
 * createStation, which is synchronous, and before each dock, where the answer is needed at once.
 */
export class VaultGuard {
  constructor(private readonly d: GuardDeps) {}

  private boundId(): string | null {
    return readSetting(this.d.db, VAULT_ID_KEY);
  }

  /** The vault path of the newest clip in the index, or null for an empty index. */
  private newestClip(): string | null {
    const row = prepared<[], { vault_path: string }>(this.d.db, 'SELECT vault_path FROM clip ORDER BY id DESC LIMIT 1').get();
    return row?.vault_path ?? null;
  }

  /**
   * The vault as it is now: null when it is this station's and ready (its incoming area made
   * if missing), else the problem. Raises vault_unavailable on a problem (one open at a time)
   * and resolves it once the vault is back.
   */
  check(): VaultUnavailable | null {
    let found: VaultUnavailable | null;
    try {
      const bound = this.boundId();
      found = bound === null ? this.bind() : this.inspect(bound);
      if (!found) fs.mkdirSync(this.d.vault.incoming, { recursive: true, mode: PRIVATE_DIR });
    } catch (e) {
      found = problem('unreadable', this.d.vault.root, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
    this.settle(found);
    return found;
  }

  /** The vault's folder is there and is a folder; it is never made here. */
  private folderProblem(): VaultUnavailable | null {
    const root = this.d.vault.root;
    const folder = isFolder(root);
    if (folder === 'missing') return problem('missing', root);
    return folder ? null : problem('unreadable', root, 'not a folder');
  }

  /** A bound vault: its folder must be there with the marker this database recorded. */
  private inspect(bound: string): VaultUnavailable | null {
    const root = this.d.vault.root;
    const folder = this.folderProblem();
    if (folder) return folder;
    const read = readMarker(root);
    if (read.status === 'none') return problem('not_this_vault', root);
    if (read.status === 'bad') return problem('unreadable', root, read.reason);
    return read.marker.id === bound ? null : problem('other_vault', root, `${read.marker.id} ≠ ${bound}`);
  }

  /**
   * The first check of a database with no vault recorded: a new station makes its vault; a new
   * database over an existing vault (rebuild-index after the database was lost) takes that vault's
   * marker; a station from before markers gives its vault one. A database that already indexes
   * clips binds only to a folder that holds its newest clip, so an empty mount point is never
   * taken for the vault.
   */
  private bind(): VaultUnavailable | null {
    const root = this.d.vault.root;
    const newest = this.newestClip();
    const holdsNewest = newest === null || fs.existsSync(this.d.vault.absolute(newest));
    const folder = isFolder(root);
    if (folder === 'missing') {
      if (newest !== null) return problem('missing', root);
      fs.mkdirSync(root, { recursive: true, mode: PRIVATE_DIR });
    } else if (!folder) return problem('unreadable', root, 'not a folder');
    const read = readMarker(root);
    if (read.status === 'bad') return problem('unreadable', root, read.reason);
    if (!holdsNewest) return problem(read.status === 'ok' ? 'other_vault' : 'not_this_vault', root, `${newest} is not there`);
    this.adopt(read, null, stationActor);
    return null;
  }

  /**
   * rebuild-index into an empty index: the vault folder named is the one to index, whatever this
   * database was bound to before (a station set up again after its database was lost, pointed at
   * the vault disk only afterwards). With clips in the index it is checked like any other use:
   * their vault is the one they were copied into.
   */
  checkForRebuild(): VaultUnavailable | null {
    const found = this.check();
    if (!found || found.kind === 'missing' || found.kind === 'unreadable' || this.newestClip() !== null) return found;
    const read = readMarker(this.d.vault.root);
    if (read.status === 'bad') return found;
    this.adopt(read, this.boundId(), stationActor);
    return this.check();
  }

  /**
   * `station adopt-vault`: an administrator binds the database to the vault folder as it is now:
   * a replacement disk after the old one failed, or a vault moved to another folder. With clips in
   * the index it is the only way past `other_vault` and `not_this_vault`, so it is never done by
   * the station itself; the audit row names who did it and the vault it replaces.
   */
  adoptFolder(actor: Actor): { id: string; previous: string | null; made: boolean } {
    const root = this.d.vault.root;
    const folder = this.folderProblem();
    if (folder) throw new StationError('invalid_state', folder.message);
    const read = readMarker(root);
    if (read.status === 'bad') throw new StationError('invalid_state', problem('unreadable', root, read.reason).message);
    const previous = this.boundId();
    const id = read.status === 'ok' && read.marker.id === previous ? previous : this.adopt(read, previous, actor);
    this.check();
    return { id, previous, made: read.status === 'none' };
  }

  /** Binds the database to the folder's vault: its marker's id, or a new marker for a folder without one. */
  private adopt(read: Exclude<MarkerRead, { status: 'bad' }>, previous: string | null, actor: Actor): string {
    const root = this.d.vault.root;
    const marker = read.status === 'ok' ? read.marker : ({ format: VAULT_MARKER_FORMAT, id: randomUUID(), createdAt: new Date().toISOString() } as const);
    if (read.status === 'none') writeFileDurableSync(path.join(root, VAULT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    this.d.writer.run(actor, (tx) => {
      writeSetting(this.d.db, VAULT_ID_KEY, marker.id);
      tx.audit({ action: 'vault.bound', objectType: 'station', objectId: null, before: previous ? { id: previous } : undefined, after: { root, id: marker.id, made: read.status === 'none' } });
    });
    return marker.id;
  }

  private settle(found: VaultUnavailable | null): void {
    // Another reason while it stays unavailable (the folder came back holding another vault): the
    // one alarm says the current reason.
    settleCondition(this.d, 'vault_unavailable', found && { vault: this.d.vault.root, problem: found.kind }, {
      resolution: '证据库已恢复 / The vault is available again',
      audited: 'vault available',
    });
  }
}
