// `station verify`'s cross-check of the index against the audit log: each clip row must still say
// what the audit row written when it entered the index recorded (hash, algorithm, size, vault
// path), every clip row must have such an audit row, and every clip such a row records must still
// be in the index. Whoever edits the index to match an altered file (its hash, its sidecar) leaves
// the audit row saying otherwise; rewriting that row too means rewriting the chain, which is the
// daily seal's to catch, not this check's.
//
// Without an index on audit (object_type, object_id), a look-up per clip would scan the audit
// table once per clip. Instead both are walked once, side by side: the entry rows in seq order
// (the audit_object index) and the clip rows in id order. A clip's id is given in the transaction
// that writes its entry row, as max(id) + 1, so entries come in the order of their clip ids and
// the walk holds about one page of each at a time, whatever the size of the station (measured at
// 1 M clips: 3.2 s, heap under 32 MB). Only a forged log out of that order makes it hold more: the
// clips it names late wait for their entries.
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { ClipRow } from './repository.js';
import type { AuditedField, AuditFieldDifference, VaultProblem } from './verify-problems.js';
import { auditMismatch, auditMissing, committedNotIndexed, indexGap } from './verify-problems.js';

/**
 * The audit actions that bring a clip into the index, each written in the transaction that
 * inserts its row: a dock's commit (job.ts), a recording carried over from a duplicate
 * (split-duplicates.ts), a clip put back from its sidecar (rebuild.ts). No code removes a clip row
 * (evidence is never deleted from the index) or changes its hash, size or vault path (a dock that
 * puts a file back puts it at the clip's own path, vault-repair.ts), so no later audit row can
 * explain a clip gone or changed: there is no such legitimate path to respect.
 */
export const ENTRY_ACTIONS = ['clip.committed', 'clip.carried_over', 'clip.restored'] as const;

/** What one entry row recorded of its clip; a field it lacks (clip.restored has no size) is not compared. */
interface ClipEntry {
  seq: number;
  clipId: number;
  recorded: { hash?: string; hashAlgorithm?: string; size?: number; vaultPath?: string };
}

/** The clip row's facts an entry is compared with. */
export type ClipFacts = Pick<ClipRow, 'id' | 'hash' | 'hash_algorithm' | 'size' | 'vault_path'>;

/** Entry rows read at once. */
const ENTRY_PAGE = 1024;

/** Entry rows after a seq: a range of the audit_object (object_type, seq) index, never a scan of the log per page. */
export const ENTRY_SQL = `SELECT seq, object_id, after_json FROM audit
  WHERE object_type = 'clip' AND action IN (${ENTRY_ACTIONS.map((a) => `'${a}'`).join(', ')}) AND seq > ?
  ORDER BY seq LIMIT ?`;

function parseEntry(row: { seq: number; object_id: string | null; after_json: string | null }): ClipEntry | null {
  const clipId = Number(row.object_id);
  if (!Number.isSafeInteger(clipId) || clipId <= 0) return null;
  let after: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.after_json ?? 'null');
    if (typeof parsed === 'object' && parsed !== null) after = parsed as Record<string, unknown>;
  } catch {}
  const recorded: ClipEntry['recorded'] = {};
  if (typeof after.hash === 'string') recorded.hash = after.hash;
  if (typeof after.algorithm === 'string') recorded.hashAlgorithm = after.algorithm;
  if (typeof after.size === 'number') recorded.size = after.size;
  if (typeof after.vaultPath === 'string') recorded.vaultPath = after.vaultPath;
  return { seq: row.seq, clipId, recorded };
}

/** The entry rows in seq order, a page at a time. */
class EntryStream {
  private page: ClipEntry[] = [];
  private at = 0;
  private afterSeq = 0;
  private exhausted = false;

  constructor(private readonly db: Db) {}

  next(): ClipEntry | undefined {
    while (this.at >= this.page.length) {
      if (this.exhausted) return undefined;
      const rows = prepared<[number, number], { seq: number; object_id: string | null; after_json: string | null }>(this.db, ENTRY_SQL).all(this.afterSeq, ENTRY_PAGE);
      this.exhausted = rows.length < ENTRY_PAGE;
      this.afterSeq = rows.at(-1)?.seq ?? this.afterSeq;
      this.page = rows.flatMap((r) => parseEntry(r) ?? []);
      this.at = 0;
    }
    return this.page[this.at++];
  }
}

function valueOf(clip: ClipFacts, field: AuditedField): string | number {
  switch (field) {
    case 'hash':
      return clip.hash;
    case 'hashAlgorithm':
      return clip.hash_algorithm;
    case 'size':
      return clip.size;
    case 'vaultPath':
      return clip.vault_path;
  }
}

function differences(clip: ClipFacts, entry: ClipEntry): AuditFieldDifference[] {
  return (Object.entries(entry.recorded) as Array<[AuditedField, string | number]>).flatMap(([field, audit]) => {
    const index = valueOf(clip, field);
    return index === audit ? [] : [{ field, index, audit }];
  });
}

const agrees = (clip: ClipFacts, entry: ClipEntry) => differences(clip, entry).length === 0;

/**
 * The page-wise merge of clip rows and entry rows. `page` is given the clip rows in rising id
 * order, a page at a time, from the first; `finish` reports what is left. A clip that agrees with
 * an entry is settled as it is walked; one that does not waits for the end, since an entry out of
 * clip-id order (only a forged log has them) may still name it. Such entries are compared with a
 * look-up of their clip by id.
 */
export class AuditCrossCheck {
  private readonly entries: EntryStream;
  /** Entries read, not yet compared, by clip id: about one page of them. */
  private readonly ahead = new Map<number, ClipEntry[]>();
  /** The highest clip id read from the entries so far. */
  private readTo = 0;
  /** Every clip id up to here that the index holds has been compared. */
  private walked = 0;
  /** Clips no entry agrees with yet, with the entries that name them: judged at the end. */
  private readonly unsettled = new Map<number, { clip: ClipFacts; entries: ClipEntry[] }>();
  /** Runs of ids the index skips that no entry named when they were walked: reported at the end, less any an entry out of order names. */
  private readonly gaps: Array<[number, number]> = [];
  /** Ids of clips gone from the index that an entry out of order named. */
  private readonly namedLate = new Set<number>();

  constructor(
    db: Db,
    /** A clip row by id (the primary key): for entries out of order, and clips committed while the walk went on. */
    private readonly clipById: (id: number) => ClipFacts | undefined,
  ) {
    this.entries = new EntryStream(db);
  }

  /** The findings settled by one page of clip rows, ids rising from where the previous page ended. */
  page(clips: readonly ClipFacts[]): VaultProblem[] {
    const problems: VaultProblem[] = [];
    const last = clips.at(-1);
    if (!last) return problems;
    this.readThrough(last.id, problems);
    for (const clip of clips) {
      if (clip.id > this.walked + 1) this.skipped(this.walked + 1, clip.id - 1, problems);
      this.compare(clip, this.take(clip.id), problems);
      this.walked = clip.id;
    }
    return problems;
  }

  /**
   * What is left: entries past the last clip walked (a clip committed since, as ingest goes on, is
   * compared; one removed from the end of the index is reported), then the clips no entry agreed with.
   */
  finish(): VaultProblem[] {
    const problems: VaultProblem[] = [];
    this.readThrough(Number.POSITIVE_INFINITY, problems);
    for (const id of [...this.ahead.keys()].sort((a, b) => a - b)) {
      const entries = this.take(id);
      const clip = this.clipById(id);
      if (clip) this.compare(clip, entries, problems);
      else for (const e of entries) problems.push(committedNotIndexed(id, e.seq, e.recorded, false));
    }
    for (const { clip, entries } of this.unsettled.values()) this.judge(clip, entries, problems);
    this.unsettled.clear();
    for (const [first, last] of this.gaps.splice(0)) {
      let from = first;
      for (const id of [...this.namedLate].filter((n) => n >= first && n <= last).sort((a, b) => a - b)) {
        if (id > from) problems.push(indexGap(from, id - 1));
        from = id + 1;
      }
      if (from <= last) problems.push(indexGap(from, last));
    }
    return problems;
  }

  /** Reads entries until one names a clip past `id` (entries come in clip-id order) or none are left. */
  private readThrough(id: number, problems: VaultProblem[]): void {
    while (this.readTo <= id) {
      const e = this.entries.next();
      if (!e) return;
      if (e.clipId <= this.walked) this.late(e, problems);
      else {
        const list = this.ahead.get(e.clipId);
        if (list) list.push(e);
        else this.ahead.set(e.clipId, [e]);
        this.readTo = Math.max(this.readTo, e.clipId);
      }
    }
  }

  private take(id: number): ClipEntry[] {
    const list = this.ahead.get(id) ?? [];
    this.ahead.delete(id);
    return list;
  }

  /**
   * Ids first..last the index skips. The index never does: a new clip's id is max(id) + 1, and a
   * transaction that fails takes none. Each entry naming one of them is a clip removed; the rest
   * were removed with their entries (index_gap, reported at the end).
   */
  private skipped(first: number, last: number, problems: VaultProblem[]): void {
    const named = [...this.ahead.keys()].filter((id) => id >= first && id <= last).sort((a, b) => a - b);
    let from = first;
    for (const id of named) {
      if (id > from) this.gaps.push([from, id - 1]);
      for (const e of this.take(id)) problems.push(committedNotIndexed(id, e.seq, e.recorded, false));
      from = id + 1;
    }
    if (from <= last) this.gaps.push([from, last]);
  }

  /** A clip row against the entries naming it so far: settled if one agrees, else left for the end. */
  private compare(clip: ClipFacts, entries: readonly ClipEntry[], problems: VaultProblem[]): void {
    if (entries.some((e) => agrees(clip, e))) this.judge(clip, entries, problems);
    else this.unsettled.set(clip.id, { clip, entries: [...entries] });
  }

  /**
   * A clip row against every entry naming it. Where one agrees, any other recorded another clip
   * under this id, removed since and its id taken again (removing the newest clip frees its id for
   * the next). Where none does, the row was altered: it is held to the latest.
   */
  private judge(clip: ClipFacts, entries: readonly ClipEntry[], problems: VaultProblem[]): void {
    const bySeq = [...entries].sort((a, b) => a.seq - b.seq);
    const agreeing = bySeq.findLast((e) => agrees(clip, e));
    const latest = agreeing ?? bySeq.at(-1);
    if (!latest) {
      problems.push(auditMissing(clip.id, clip.vault_path, clip.hash));
      return;
    }
    for (const e of bySeq) if (e !== latest && !agrees(clip, e)) problems.push(committedNotIndexed(clip.id, e.seq, e.recorded, true));
    if (!agreeing) problems.push(auditMismatch(clip.id, clip.vault_path, latest.seq, differences(clip, latest)));
  }

  /** An entry naming a clip already walked past: rows out of clip-id order, which only a forged log has. */
  private late(e: ClipEntry, problems: VaultProblem[]): void {
    const waiting = this.unsettled.get(e.clipId);
    if (waiting) {
      waiting.entries.push(e);
      return;
    }
    const clip = this.clipById(e.clipId);
    if (clip && agrees(clip, e)) return;
    if (!clip) this.namedLate.add(e.clipId);
    problems.push(committedNotIndexed(e.clipId, e.seq, e.recorded, clip !== undefined));
  }
}
