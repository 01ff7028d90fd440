// Where seals are kept on the station: each as an `audit.seal` row of the
// chain, and as a file of its own in the seals folder (for the upload to a
// central store to ship, and with the list of clips the seal holds, so a
// failed verification can name them). Neither copy is trusted for what it
// says about itself: a seal's digest is always computed again from its
// fields, and a file's list of clips only counts if it adds up to the root.
import fs from 'node:fs';
import path from 'node:path';
import type { Seal, SealFields } from '../../../shared/seal.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { makeDirDurable, writeFileDurable } from '../ingest/fsync.js';
import { SEALED_FILE } from '../private-modes.js';
import { rootOf, type SealedClip } from './seal-day.js';
import { fieldsOf, fieldsOnly, sealOf } from './seal-format.js';

export const SEAL_ACTION = 'audit.seal';
export const SEAL_OBJECT = 'seal';
const FILE_FORMAT = 'evidence-station.seal/1';

/** A seal as one of its stored copies holds it. */
export interface StoredSeal {
  seal: Seal;
  /** The seal's audit row, when it came from the chain. */
  auditRow: number | null;
}

/** A seal's file: its fields (digest and human form beside them for a reader) and the clips it holds. */
interface SealFile {
  format: typeof FILE_FORMAT;
  seal: SealFields;
  digest: string;
  code: string;
  payload: string;
  clips: SealedClip[];
}

export class SealStore {
  constructor(
    private readonly db: Db,
    /** The seals folder; see config.ts `sealsDir`. */
    readonly dir: string,
  ) {}

  /** The seals in the chain, newest first, from `beforeRow` down (`audit_object` serves it). */
  *rows(beforeRow = Number.MAX_SAFE_INTEGER): Generator<StoredSeal> {
    const stmt = prepared<[string, string, number], { seq: number; after_json: string | null }>(
      this.db,
      'SELECT seq, after_json FROM audit WHERE object_type = ? AND action = ? AND seq < ? ORDER BY seq DESC',
    );
    for (const r of stmt.iterate(SEAL_OBJECT, SEAL_ACTION, beforeRow)) {
      const seal = parseStored(r.after_json);
      if (seal) yield { seal, auditRow: r.seq };
    }
  }

  count(): number {
    return prepared<[string, string], { n: number }>(this.db, 'SELECT count(*) AS n FROM audit WHERE object_type = ? AND action = ?').get(SEAL_OBJECT, SEAL_ACTION)!.n;
  }

  latest(): StoredSeal | null {
    for (const s of this.rows()) return s;
    return null;
  }

  /** The newest seal made after its day ended: the daily seals resume after its day. */
  latestComplete(): StoredSeal | null {
    for (const s of this.rows()) if (s.seal.complete) return s;
    return null;
  }

  byNumber(n: number): StoredSeal | null {
    const r = prepared<[string, string, string], { seq: number; after_json: string | null }>(
      this.db,
      'SELECT seq, after_json FROM audit WHERE object_type = ? AND action = ? AND object_id = ? ORDER BY seq DESC LIMIT 1',
    ).get(SEAL_OBJECT, SEAL_ACTION, String(n));
    const seal = r ? parseStored(r.after_json) : null;
    return seal && r ? { seal, auditRow: r.seq } : null;
  }

  /** The seal of this human form, from the chain or else from the files; null when neither holds it. */
  findByCode(code: string): StoredSeal | null {
    for (const s of this.rows()) if (s.seal.code === code) return s;
    for (const f of this.files()) if (f.seal.code === code) return { seal: f.seal, auditRow: null };
    return null;
  }

  /** The seal's audit row, if the chain still holds one with this digest. */
  rowOf(digest: string): number | null {
    for (const s of this.rows()) if (s.seal.digest === digest) return s.auditRow;
    return null;
  }

  fileName(seal: SealFields): string {
    return path.join(this.dir, `${seal.day}.seal-${seal.number}.json`);
  }

  /**
   * Writes the seal's file: one file per seal, named by its day and number, never rewritten (a
   * day sealed twice has two), so no writer can lose another's seal and the upload ships each
   * once. Durable (temp file, fsync, rename, fsync the folder) and read-only, as sidecars are.
   */
  async write(seal: Seal, clips: readonly SealedClip[]): Promise<string> {
    await makeDirDurable(this.dir);
    const file = this.fileName(seal);
    const body: SealFile = { format: FILE_FORMAT, seal: fieldsOnly(seal), digest: seal.digest, code: seal.code, payload: seal.payload, clips: [...clips] };
    await writeFileDurable(file, `${JSON.stringify(body, null, 1)}\n`, SEALED_FILE);
    return file;
  }

  /**
   * The seal's file, if it is there and holds this seal; with `clips`, also the clips it lists
   * when they add up to the sealed root (hashing every leaf: asked only by a verification).
   */
  fileOf(seal: Seal, options: { clips?: boolean } = {}): { file: string; clips: SealedClip[] | null } | null {
    const file = this.fileName(seal);
    const read = readSealFile(file, options.clips ?? false);
    if (!read || read.seal.digest !== seal.digest) return null;
    return { file, clips: read.clips };
  }

  /** Every seal file that reads as one (a file that does not is skipped: it vouches for nothing). */
  private *files(): Generator<{ seal: Seal; clips: SealedClip[] | null }> {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => /\.seal-[0-9]+\.json$/.test(n)).sort().reverse()) {
      const read = readSealFile(path.join(this.dir, name), false);
      if (read) yield read;
    }
  }
}

function parseStored(json: string | null): Seal | null {
  if (json === null) return null;
  try {
    const fields = fieldsOf(JSON.parse(json));
    return fields ? sealOf(fields) : null;
  } catch {
    return null;
  }
}

/** A seal file's seal, and (if asked) its clips only if they add up to the sealed root (else null: not to be named from). */
function readSealFile(file: string, withClips: boolean): { seal: Seal; clips: SealedClip[] | null } | null {
  let body: Partial<SealFile>;
  try {
    body = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SealFile>;
  } catch {
    return null;
  }
  const fields = fieldsOf(body.seal);
  if (!fields) return null;
  const seal = sealOf(fields);
  if (!withClips) return { seal, clips: null };
  const clips = Array.isArray(body.clips) && body.clips.every(isSealedClip) ? body.clips : null;
  const usable = clips !== null && clips.length === seal.clipCount && rootOf(clips) === seal.merkleRoot;
  return { seal, clips: usable ? clips : null };
}

function isSealedClip(c: unknown): c is SealedClip {
  const o = c as Partial<SealedClip> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.clipId === 'number' &&
    typeof o.vaultPath === 'string' &&
    typeof o.hashAlgorithm === 'string' &&
    typeof o.hash === 'string' &&
    typeof o.size === 'number'
  );
}
