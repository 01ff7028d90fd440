import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PRIVATE_FILE } from '../private-modes.js';
import type { AuditBreakReason, AuditEntry, AuditVerification } from '../../../shared/domain.js';
import type { Db } from '../db/open.js';
import type { Actor } from './actor.js';

export const GENESIS_HASH = '0'.repeat(64);

/** An audit row as the table holds it. */
export interface AuditRow {
  seq: number;
  at: number;
  actor_kind: AuditEntry['actorKind'];
  actor_id: number | null;
  actor_label: string;
  action: string;
  object_type: string;
  object_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** The hash covers every column but the hash itself, in a fixed order. */
export function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    r.seq,
    r.at,
    r.actor_kind,
    r.actor_id,
    r.actor_label,
    r.action,
    r.object_type,
    r.object_id,
    r.before_json,
    r.after_json,
    r.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const toJson = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/**
 * An audit row as the contract shows it. `view` may reshape the parsed before/after for a reader
 * (the library drops vault locations from a clip's history); the log itself shows them as stored.
 */
export function auditEntryOf(r: AuditRow, view: (value: unknown) => unknown = (v) => v): AuditEntry {
  const parse = (json: string | null) => (json === null ? null : view(JSON.parse(json)));
  return {
    seq: r.seq,
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    before: parse(r.before_json),
    after: parse(r.after_json),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

interface Anchor {
  seq: number;
  hash: string;
}

/**
 * The append-only, hash-chained audit log. Rows are appended inside the
 * caller's transaction (see Writer), so a change and its audit row commit or
 * roll back together.
 *
 * The chain alone cannot show that rows were cut off the end, so after each
 * commit the head (seq, hash) is also written to an anchor file outside the
 * database; verification reports a database whose head is behind the anchor.
 */
export class AuditLog {
  private readonly head;
  private readonly insert;
  private readonly page;
  private readonly count;

  constructor(
    private readonly db: Db,
    private readonly anchorFile: string,
  ) {
    this.head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      `INSERT INTO audit (seq, at, actor_kind, actor_id, actor_label, action, object_type, object_id,
                          before_json, after_json, prev_hash, hash)
       VALUES (@seq, @at, @actor_kind, @actor_id, @actor_label, @action, @object_type, @object_id,
               @before_json, @after_json, @prev_hash, @hash)`,
    );
    this.page = db.prepare<[number, string | null, string | null, number], AuditRow>(
      `SELECT * FROM audit WHERE seq < ? AND (? IS NULL OR object_type = ?) ORDER BY seq DESC LIMIT ?`,
    );
    this.count = db.prepare<[string | null, string | null], { n: number }>(
      'SELECT count(*) AS n FROM audit WHERE (? IS NULL OR object_type = ?)',
    );
  }

  /** Must run inside a write transaction. Returns the new row's seq. */
  append(actor: Actor, at: number, record: AuditRecord): { seq: number; hash: string } {
    const prev = this.head.get();
    const row: Omit<AuditRow, 'hash'> = {
      seq: (prev?.seq ?? 0) + 1,
      at,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_label: actor.label,
      action: record.action,
      object_type: record.objectType,
      object_id: record.objectId == null ? null : String(record.objectId),
      before_json: toJson(record.before),
      after_json: toJson(record.after),
      prev_hash: prev?.hash ?? GENESIS_HASH,
    };
    const hash = rowHash(row);
    this.insert.run({ ...row, hash });
    return { seq: row.seq, hash };
  }

  /** Called after a commit; written atomically (temp file + rename). */
  writeAnchor(head: Anchor): void {
    const tmp = `${this.anchorFile}.tmp`;
    // 0600 (private-modes.ts): the anchor is the station's to write; made anew each time, so set here.
    fs.writeFileSync(tmp, JSON.stringify(head), { mode: PRIVATE_FILE });
    fs.renameSync(tmp, this.anchorFile);
  }

  /** The anchor, or why there is none: absent, or present but not an anchor (garbled, unreadable). */
  private readAnchor(): Anchor | 'missing' | 'unreadable' {
    let text: string;
    try {
      text = fs.readFileSync(this.anchorFile, 'utf8');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
    }
    try {
      const a = JSON.parse(text) as Partial<Anchor>;
      return typeof a.seq === 'number' && typeof a.hash === 'string' ? { seq: a.seq, hash: a.hash } : 'unreadable';
    } catch {
      return 'unreadable';
    }
  }

  list(options: { beforeSeq?: number; limit?: number; objectType?: string }): {
    entries: AuditEntry[];
    total: number;
  } {
    const type = options.objectType ?? null;
    const rows = this.page.all(options.beforeSeq ?? Number.MAX_SAFE_INTEGER, type, type, options.limit ?? 100);
    return { entries: rows.map((r) => auditEntryOf(r)), total: this.count.get(type, type)!.n };
  }

  /** Walks the whole chain in order and names the first row that does not hold. */
  verify(): AuditVerification {
    let prevHash = GENESIS_HASH;
    let rows = 0;
    let last: { seq: number; hash: string } | null = null;
    const broken = (seq: number, reason: AuditBreakReason, message: string) =>
      ({ intact: false, rows, firstBrokenSeq: seq, reason, message }) as const;
    for (const r of this.db.prepare<[], AuditRow>('SELECT * FROM audit ORDER BY seq').iterate()) {
      rows++;
      if (r.prev_hash !== prevHash) {
        return broken(
          r.seq,
          'chain_mismatch',
          `审计记录 #${r.seq} 与前一条记录衔接不上：其前面的记录被删除或插入。 / Audit row #${r.seq} does not follow the row before it: a row before it was removed or inserted.`,
        );
      }
      const { hash, ...rest } = r;
      if (rowHash(rest) !== hash) {
        return broken(
          r.seq,
          'hash_mismatch',
          `审计记录 #${r.seq} 的内容与其哈希不符：该记录被修改。 / Audit row #${r.seq} no longer matches its hash: it was edited.`,
        );
      }
      prevHash = hash;
      last = { seq: r.seq, hash };
    }
    const read = this.readAnchor();
    // Every commit writes the anchor: a station with rows and no anchor lost it or had it removed,
    // and whoever rewrote the chain would remove it first. Not trusted as "nothing to compare".
    if (typeof read === 'string' && last !== null) {
      return broken(
        last.seq,
        'anchor_missing',
        read === 'missing'
          ? `审计锚点文件不存在，但已有 ${rows} 条记录：无法确认记录链未被整体改写。 / The audit anchor file is missing though there are ${rows} rows: nothing shows the chain was not rewritten whole.`
          : `审计锚点文件无法读取或内容无效：无法确认记录链未被整体改写。 / The audit anchor file cannot be read or is not an anchor: nothing shows the chain was not rewritten whole.`,
      );
    }
    const anchor = typeof read === 'string' ? null : read;
    if (anchor && (last === null || last.seq < anchor.seq)) {
      const seq = (last?.seq ?? 0) + 1;
      return broken(
        seq,
        'truncated',
        `审计记录自 #${seq} 起缺失（锚点记录到 #${anchor.seq}）。 / Audit rows from #${seq} are missing (the anchor saw up to #${anchor.seq}).`,
      );
    }
    if (anchor && last && last.seq >= anchor.seq) {
      // The anchored row must still carry the anchored hash, or the chain was rewritten from some row on.
      const at = anchor.seq === last.seq ? last : this.db.prepare<[number], { seq: number; hash: string }>('SELECT seq, hash FROM audit WHERE seq = ?').get(anchor.seq);
      if (!at || at.hash !== anchor.hash) {
        return broken(
          anchor.seq,
          'hash_mismatch',
          `审计记录 #${anchor.seq} 与锚点不符：记录链被改写。 / Audit row #${anchor.seq} differs from the anchor: the chain was rewritten.`,
        );
      }
    }
    return { intact: true, rows, headSeq: last?.seq ?? null, headHash: last?.hash ?? null };
  }
}
