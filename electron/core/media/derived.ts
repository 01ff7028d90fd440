// Derived media (posters, contact sheets, proxies): made from the evidence, never evidence
// themselves. They live in the data folder, never under the vault (a vault walk would find them
// as orphans, and nothing the station makes may be mistaken for a recording), and each is
// regenerable: a missing or deleted file is made again when next wanted.
//
// Keyed by the clip's content (hash algorithm + hash), not its id: rebuild-index may number the
// clips anew, and the same bytes always give the same pictures.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE } from '../private-modes.js';

/** What identifies a clip's derived media: its content. */
export interface ContentKey {
  hash_algorithm: string;
  hash: string;
}

export type DerivedName = 'poster.jpg' | 'contact.jpg' | 'failed.json';

const HASH = /^[0-9a-f]{32,128}$/;
const ALGORITHM = /^[a-z0-9]{2,16}$/;
/** Temporaries start with this, so a reader never takes a half-written file for a made one. */
export const TEMP_PREFIX = '.part-';

export class DerivedStore {
  readonly root: string;

  /** `<dataDir>/derived`; refused when that would be inside the vault (a vault configured as the data folder itself). */
  constructor(dataDir: string, vaultDir: string) {
    this.root = path.join(path.resolve(dataDir), 'derived');
    const vault = path.resolve(vaultDir);
    if (isInside(this.root, vault)) throw new Error(`derived media would be inside the vault (${vault}); give the vault a folder of its own`);
  }

  /** `derived/<algorithm>/<hh>/<hash>/`: two hex digits fan out so no folder holds millions of entries. */
  folderOf(key: ContentKey): string {
    // The hash comes from our own index, but a path is made of it: only hex ever.
    if (!HASH.test(key.hash) || !ALGORITHM.test(key.hash_algorithm)) throw new Error(`not a content hash: ${key.hash_algorithm}:${key.hash}`);
    return path.join(this.root, key.hash_algorithm, key.hash.slice(0, 2), key.hash);
  }

  fileOf(key: ContentKey, name: DerivedName): string {
    return path.join(this.folderOf(key), name);
  }

  /** The clip's folder, made private (0700 down from the root) if missing. */
  ensureFolder(key: ContentKey): string {
    const folder = this.folderOf(key);
    fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR });
    return folder;
  }

  has(key: ContentKey, name: DerivedName): boolean {
    return fs.existsSync(this.fileOf(key, name));
  }

  /** A temporary path beside `target`, to be renamed onto it once whole. */
  tempFor(target: string): string {
    return path.join(path.dirname(target), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${path.basename(target)}`);
  }

  /**
   * Makes `targets` at once: `produce` writes each to the temporary it is given, then every one is
   * renamed into place (a reader sees a whole file or none). On failure the temporaries go.
   */
  async writeAtomic<T extends string>(targets: Record<T, string>, produce: (temps: Record<T, string>) => Promise<void>): Promise<void> {
    const temps = Object.fromEntries(Object.entries<string>(targets).map(([k, t]) => [k, this.tempFor(t)])) as Record<T, string>;
    try {
      await produce(temps);
      for (const k of Object.keys(targets) as T[]) {
        await fs.promises.chmod(temps[k], PRIVATE_FILE);
        await fs.promises.rename(temps[k], targets[k]);
      }
    } finally {
      for (const t of Object.values<string>(temps)) await fs.promises.rm(t, { force: true });
    }
  }

  /** A small JSON file written atomically (the failure record). */
  async writeJson(key: ContentKey, name: DerivedName, value: unknown): Promise<void> {
    this.ensureFolder(key);
    const target = this.fileOf(key, name);
    await this.writeAtomic({ target }, async ({ target: temp }) => fs.promises.writeFile(temp, JSON.stringify(value), { mode: PRIVATE_FILE }));
  }

  readJson<T>(key: ContentKey, name: DerivedName): T | null {
    try {
      return JSON.parse(fs.readFileSync(this.fileOf(key, name), 'utf8')) as T;
    } catch {
      return null;
    }
  }

  remove(key: ContentKey, name: DerivedName): void {
    fs.rmSync(this.fileOf(key, name), { force: true });
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
