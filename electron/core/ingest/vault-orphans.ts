// `station verify`'s walk of the vault for what the index does not list: a clip file or sidecar
// left behind when its row was removed, or put there by hand. Reported, never deleted: it may be
// the only copy of evidence whose row is gone.
//
// The clip table has no index on vault_path (migration 0060 dropped it for the insert rate), and
// a million paths held in a JS Set take about 83 MB of heap. So the paths the verify walk reads
// anyway, a page of clip rows at a time, go into a scratch database attached to the connection
// (SQLite's private temporary database: in its own page cache up to 16 MB, then an unlinked file,
// gone when detached), keyed by path; each file the vault walk finds is one look-up there.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { ALTERED_FOLDER, SIDECAR_SUFFIX } from './vault.js';
import { VAULT_MARKER } from './vault-guard.js';
import type { VaultProblem } from './verify-problems.js';
import { folderUnreadable, orphan } from './verify-problems.js';

/** The vault paths of the clip rows read so far, in a scratch database detached by `close`. */
export class IndexedPaths {
  /** Each check its own scratch database, so two checks on one connection never share one. */
  private static made = 0;
  private readonly schema: string;
  private readonly insert;
  private readonly lookup;

  constructor(private readonly db: Db) {
    this.schema = `verify_paths_${++IndexedPaths.made}`;
    // '' is a private temporary database: nothing of it is left once it is detached.
    db.prepare('ATTACH DATABASE ? AS ' + this.schema).run('');
    // Scratch: nothing in it outlives the check, so no journal and no fsync.
    db.pragma(`${this.schema}.journal_mode = OFF`);
    db.pragma(`${this.schema}.synchronous = OFF`);
    db.exec(`CREATE TABLE ${this.schema}.indexed (vault_path TEXT PRIMARY KEY) WITHOUT ROWID`);
    // Prepared here, not through `prepared`: the statements die with the scratch database.
    this.insert = db.prepare<[string]>(`INSERT OR IGNORE INTO ${this.schema}.indexed (vault_path) VALUES (?)`);
    this.lookup = db.prepare<[string], { one: 1 }>(`SELECT 1 AS one FROM ${this.schema}.indexed WHERE vault_path = ?`);
  }

  add(vaultPaths: readonly string[]): void {
    this.db.transaction(() => {
      for (const p of vaultPaths) this.insert.run(p);
    })();
  }

  has(vaultPath: string): boolean {
    return this.lookup.get(vaultPath) !== undefined;
  }

  close(): void {
    this.db.exec(`DETACH DATABASE ${this.schema}`);
  }
}

/**
 * What the station keeps at the vault's root besides its clips, never listed in the index:
 * `.incoming/` (copies not yet verified; the leftovers of an interrupted copy stay there until the
 * start-up sweep removes them, Vault.sweepIncoming), `.altered/` (files a dock set aside, as found,
 * each named by a clip.vault_replaced audit row), the vault marker and a temporary of it a crash left
 * (writeFileDurableSync), and `lost+found`, which the filesystem makes on a vault with its own disk.
 */
function bookkeeping(name: string): boolean {
  return name === '.incoming' || name === ALTERED_FOLDER || name === VAULT_MARKER || name.startsWith(`${VAULT_MARKER}.tmp-`) || name === 'lost+found';
}

/** Every entry of the vault but its folders and bookkeeping, as vault paths; a folder that cannot be listed is reported. */
async function* vaultFiles(root: string, unreadable: VaultProblem[]): AsyncGenerator<string> {
  const folders: string[] = [''];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries;
    try {
      entries = await fs.readdir(folder === '' ? root : path.join(root, ...folder.split('/')), { withFileTypes: true });
    } catch (e) {
      unreadable.push(folderUnreadable(folder, e));
      continue;
    }
    for (const e of entries) {
      if (folder === '' && bookkeeping(e.name)) continue;
      const vaultPath = folder === '' ? e.name : `${folder}/${e.name}`;
      // A symbolic link is not followed: it is an entry of the vault like a file, and no clip is one.
      if (e.isDirectory()) folders.push(vaultPath);
      else yield vaultPath;
    }
  }
}

/** What the walk found that the index does not list. */
export interface VaultWalk {
  /** Entries looked at (clips, sidecars and anything else). */
  files: number;
  orphans: VaultProblem[];
  /**
   * Copies a commit left in the vault before a crash kept it from the index (its file row names
   * the path, and no clip): the next dock of that camera adopts them (Vault.commit). Not problems.
   */
  uncommitted: string[];
  /** Folders that could not be listed. */
  unreadable: VaultProblem[];
}

/**
 * Walks the vault and names each entry that is neither a clip the index lists nor such a clip's
 * sidecar. `topUp` is called before the verdict, to add the clips committed since their rows were
 * read (ingest goes on while a check runs), so a clip stored during the walk is not taken for an orphan.
 */
export async function walkForOrphans(db: Db, root: string, indexed: IndexedPaths, topUp: () => void): Promise<VaultWalk> {
  const unreadable: VaultProblem[] = [];
  const unlisted: string[] = [];
  let files = 0;
  const listed = (p: string) => indexed.has(p) || (p.endsWith(SIDECAR_SUFFIX) && indexed.has(p.slice(0, -SIDECAR_SUFFIX.length)));
  for await (const vaultPath of vaultFiles(root, unreadable)) {
    files++;
    if (!listed(vaultPath)) unlisted.push(vaultPath);
  }
  if (unlisted.length === 0) return { files, orphans: [], uncommitted: [], unreadable };
  topUp();
  const candidates = unlisted.filter((p) => !listed(p)).sort();
  const pending = candidates.length > 0 ? uncommittedPaths(db) : new Set<string>();
  const isPending = (p: string) => pending.has(p) || (p.endsWith(SIDECAR_SUFFIX) && pending.has(p.slice(0, -SIDECAR_SUFFIX.length)));
  return {
    files,
    orphans: candidates.filter((p) => !isPending(p)).map((p) => orphan(p, p.endsWith(SIDECAR_SUFFIX))),
    uncommitted: candidates.filter(isPending),
    unreadable,
  };
}

/** Ingest file rows read at once by id range when looking for uncommitted copies. */
const FILE_ROW_RANGE = 50_000;

/**
 * The vault paths commits chose and never indexed (migration 0080: recorded before the rename,
 * given a clip by the transaction after it). Few, but ingest_file has no index to find them by,
 * so its rows are read by id range, a slice at a time; asked only when the walk found something.
 */
function uncommittedPaths(db: Db): Set<string> {
  const found = new Set<string>();
  const last = prepared<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM ingest_file').get()!.id ?? 0;
  const slice = prepared<[number, number], { vault_path: string }>(
    db,
    'SELECT vault_path FROM ingest_file WHERE id > ? AND id <= ? AND clip_id IS NULL AND vault_path IS NOT NULL',
  );
  for (let from = 0; from < last; from += FILE_ROW_RANGE) {
    for (const r of slice.all(from, from + FILE_ROW_RANGE)) found.add(r.vault_path);
  }
  return found;
}
