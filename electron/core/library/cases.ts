// Cases (案件, 第四条 and 第二十一条): a record of its own (案件编号, unique; 案由; 承办人, a registered
// person or a name as written; a confidentiality level; a note), and the clips that belong to it
// (a clip to any number of cases). Every change is one transaction with its audit row
// (`case.created`, `case.updated`, `case.clips_added`, `case.clips_removed`, object = the case).
//
// A case's level raises the effective level of all its clips, so the rule of classify.ts holds
// here too: only a department head may lower a secret case's level, or take a clip out of a
// secret case (which lowers that clip's level as surely). Secret cases are listed only to those
// who may list secret clips (viewer.ts), and an officer sees only cases holding a clip of theirs.
import { StationError } from '../../../shared/errors.js';
import type { CaseDetail, CaseRecord, Confidentiality, LibraryCursor } from '../../../shared/library.js';
import { isSecret } from '../../../shared/library.js';
import type { Actor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import { requireMayLower } from './classify.js';
import type { LibrarySearch } from './library-search.js';
import type { Viewer } from './viewer.js';
import { mayListSecret } from './viewer.js';

export interface NewCase {
  caseNo: string;
  cause: string;
  handlerId?: number;
  handlerName?: string;
  confidentiality?: Confidentiality;
  note?: string | null;
}

export interface CaseChange {
  id: number;
  caseNo?: string;
  cause?: string;
  handlerId?: number;
  handlerName?: string;
  confidentiality?: Confidentiality;
  note?: string | null;
}

/** Clips named by id, or every clip recorded under a checkout. */
export interface ClipSelection {
  caseId: number;
  clipIds?: number[];
  checkoutId?: number;
}

interface CaseRow {
  id: number;
  case_no: string;
  cause: string;
  handler_id: number | null;
  handler_name: string;
  handler_badge: string | null;
  confidentiality: Confidentiality;
  note: string | null;
  created_at: number;
  created_by: string;
  updated_at: number;
  clip_count: number;
}

const CASE_SELECT = `SELECT lc.id, lc.case_no, lc.cause, lc.handler_id, lc.handler_name, p.badge AS handler_badge, lc.confidentiality,
  lc.note, lc.created_at, lc.created_by, lc.updated_at, (SELECT count(*) FROM case_clip x WHERE x.case_id = lc.id) AS clip_count
  FROM legal_case lc LEFT JOIN person p ON p.id = lc.handler_id`;

/** What an audit row records of a case. */
const audited = (c: CaseRecord) => ({
  caseNo: c.caseNo,
  cause: c.cause,
  handlerId: c.handler.id,
  handlerName: c.handler.name,
  confidentiality: c.confidentiality,
  note: c.note,
});

function toRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    caseNo: r.case_no,
    cause: r.cause,
    handler: { id: r.handler_id, name: r.handler_name, badge: r.handler_badge },
    confidentiality: r.confidentiality,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    clipCount: r.clip_count,
  };
}

const noCase = (id: number) => new StationError('not_found', `没有编号为 ${id} 的案件。 / There is no case with id ${id}.`, { field: 'id', id });

export class Cases {
  constructor(
    private readonly db: Db,
    private readonly writer: Writer,
    private readonly search: LibrarySearch,
  ) {}

  create(actor: Actor, input: NewCase): CaseRecord {
    return this.writer.run(actor, (tx) => {
      this.requireFreeNumber(input.caseNo, null);
      const handler = this.handler(input.handlerId, input.handlerName);
      const id = Number(
        prepared(
          this.db,
          `INSERT INTO legal_case (case_no, cause, handler_id, handler_name, confidentiality, note, created_at, created_by, updated_at)
           VALUES (@caseNo, @cause, @handlerId, @handlerName, @confidentiality, @note, @at, @by, @at)`,
        ).run({
          caseNo: input.caseNo,
          cause: input.cause,
          handlerId: handler.id,
          handlerName: handler.name,
          confidentiality: input.confidentiality ?? 'normal',
          note: input.note || null,
          at: tx.at,
          by: tx.actor.label,
        }).lastInsertRowid,
      );
      const record = this.row(id)!;
      tx.audit({ action: 'case.created', objectType: 'case', objectId: id, after: audited(record) });
      return record;
    });
  }

  update(actor: Actor, viewer: Viewer, input: CaseChange): CaseRecord {
    return this.writer.run(actor, (tx) => {
      const before = this.row(input.id);
      if (!before) throw noCase(input.id);
      if (input.caseNo !== undefined && input.caseNo !== before.caseNo) this.requireFreeNumber(input.caseNo, input.id);
      const level = input.confidentiality ?? before.confidentiality;
      requireMayLower(viewer, before.confidentiality, level, { zh: `案件 ${before.caseNo} `, en: `Case ${before.caseNo}` });
      const handler =
        input.handlerId !== undefined || input.handlerName !== undefined
          ? this.handler(input.handlerId, input.handlerName)
          : { id: before.handler.id, name: before.handler.name };
      prepared(
        this.db,
        `UPDATE legal_case SET case_no = @caseNo, cause = @cause, handler_id = @handlerId, handler_name = @handlerName,
           confidentiality = @confidentiality, note = @note, updated_at = @at WHERE id = @id`,
      ).run({
        id: input.id,
        caseNo: input.caseNo ?? before.caseNo,
        cause: input.cause ?? before.cause,
        handlerId: handler.id,
        handlerName: handler.name,
        confidentiality: level,
        note: input.note === undefined ? before.note : input.note || null,
        at: tx.at,
      });
      const after = this.row(input.id)!;
      if (JSON.stringify(audited(before)) !== JSON.stringify(audited(after))) {
        tx.audit({ action: 'case.updated', objectType: 'case', objectId: input.id, before: audited(before), after: audited(after) });
      }
      return after;
    });
  }

  /** Newest first; `query` matches part of the 案件编号 or 案由. */
  list(viewer: Viewer, options: { query?: string; beforeId?: number; limit?: number }): CaseRecord[] {
    const terms = ['lc.id < @beforeId'];
    const params: Record<string, string | number> = { beforeId: options.beforeId ?? Number.MAX_SAFE_INTEGER, take: options.limit ?? 50 };
    if (options.query) {
      terms.push("(lc.case_no LIKE @like ESCAPE '\\' OR lc.cause LIKE @like ESCAPE '\\')");
      params.like = `%${options.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (!mayListSecret(viewer)) terms.push("lc.confidentiality NOT IN ('commercial_secret', 'state_secret')");
    if (!viewer.allClips) {
      terms.push('EXISTS (SELECT 1 FROM case_clip o JOIN clip oc ON oc.id = o.clip_id WHERE o.case_id = lc.id AND oc.officer_id = @viewerId)');
      params.viewerId = viewer.personId ?? -1;
    }
    return prepared<[typeof params], CaseRow>(this.db, `${CASE_SELECT} WHERE ${terms.join(' AND ')} ORDER BY lc.id DESC LIMIT @take`)
      .all(params)
      .map(toRecord);
  }

  /** The case and a page of its clips (as library.search lists them for this viewer). */
  get(viewer: Viewer, input: { id: number; after?: LibraryCursor | null; limit?: number }): CaseDetail {
    const record = this.row(input.id);
    if (!record || !this.maySee(viewer, record)) throw noCase(input.id);
    return { ...record, clips: this.search.search(viewer, { filter: { caseId: input.id }, after: input.after ?? null, limit: input.limit }) };
  }

  addClips(actor: Actor, input: ClipSelection): { case: CaseRecord; added: number[] } {
    return this.writer.run(actor, (tx) => {
      const record = this.row(input.caseId);
      if (!record) throw noCase(input.caseId);
      const ids = this.selected(input);
      const insert = prepared(this.db, 'INSERT OR IGNORE INTO case_clip (case_id, clip_id, added_at, added_by) VALUES (?, ?, ?, ?)');
      const added = ids.filter((clipId) => insert.run(input.caseId, clipId, tx.at, tx.actor.label).changes === 1);
      if (added.length) {
        tx.audit({
          action: 'case.clips_added',
          objectType: 'case',
          objectId: input.caseId,
          after: { caseNo: record.caseNo, clipIds: added, ...(input.checkoutId !== undefined ? { checkoutId: input.checkoutId } : {}) },
        });
      }
      return { case: this.row(input.caseId)!, added };
    });
  }

  removeClips(actor: Actor, viewer: Viewer, input: ClipSelection): { case: CaseRecord; removed: number[] } {
    return this.writer.run(actor, (tx) => {
      const record = this.row(input.caseId);
      if (!record) throw noCase(input.caseId);
      if (isSecret(record.confidentiality) && !viewer.head) {
        throw new StationError(
          'forbidden',
          `案件 ${record.caseNo} 为涉密级别，移出其中的资料会降低资料的密级，只有部门负责人可以办理。 / Case ${record.caseNo} is at a secret level: taking clips out of it lowers their level, which only a department head may do.`,
          { field: 'caseId' },
        );
      }
      const ids = this.selected(input);
      const remove = prepared(this.db, 'DELETE FROM case_clip WHERE case_id = ? AND clip_id = ?');
      const removed = ids.filter((clipId) => remove.run(input.caseId, clipId).changes === 1);
      if (removed.length) {
        tx.audit({
          action: 'case.clips_removed',
          objectType: 'case',
          objectId: input.caseId,
          before: { caseNo: record.caseNo, clipIds: removed, ...(input.checkoutId !== undefined ? { checkoutId: input.checkoutId } : {}) },
        });
      }
      return { case: this.row(input.caseId)!, removed };
    });
  }

  private maySee(viewer: Viewer, record: CaseRecord): boolean {
    if (isSecret(record.confidentiality) && !mayListSecret(viewer)) return false;
    if (viewer.allClips) return true;
    return (
      prepared<[number, number], { one: number }>(
        this.db,
        'SELECT 1 AS one FROM case_clip o JOIN clip oc ON oc.id = o.clip_id WHERE o.case_id = ? AND oc.officer_id = ? LIMIT 1',
      ).get(record.id, viewer.personId ?? -1) !== undefined
    );
  }

  /** The clip ids of a selection, each checked to exist. */
  private selected(input: ClipSelection): number[] {
    if (input.checkoutId !== undefined) {
      const checkout = prepared<[number], { id: number }>(this.db, 'SELECT id FROM checkout WHERE id = ?').get(input.checkoutId);
      if (!checkout) {
        throw new StationError('not_found', `没有编号为 ${input.checkoutId} 的领用记录。 / No checkout with id ${input.checkoutId}.`, { field: 'checkoutId' });
      }
      return prepared<[number], { id: number }>(this.db, 'SELECT id FROM clip WHERE checkout_id = ? ORDER BY id')
        .all(input.checkoutId)
        .map((r) => r.id);
    }
    const ids = [...new Set(input.clipIds ?? [])];
    const exists = prepared<[number], { id: number }>(this.db, 'SELECT id FROM clip WHERE id = ?');
    const missing = ids.filter((id) => !exists.get(id));
    if (missing.length) {
      throw new StationError('not_found', `没有编号为 ${missing.slice(0, 10).join('、')} 的音视频资料。 / No clip with id ${missing.slice(0, 10).join(', ')}.`, {
        field: 'clipIds',
        missing: missing.slice(0, 50),
      });
    }
    return ids;
  }

  private handler(handlerId: number | undefined, handlerName: string | undefined): { id: number | null; name: string } {
    if (handlerId !== undefined) {
      const person = prepared<[number], { name: string }>(this.db, 'SELECT name FROM person WHERE id = ?').get(handlerId);
      if (!person) throw new StationError('not_found', `没有编号为 ${handlerId} 的人员。 / No person with id ${handlerId}.`, { field: 'handlerId' });
      return { id: handlerId, name: person.name };
    }
    if (!handlerName) {
      throw new StationError('invalid_input', '请填写承办人。 / Name the case handler (承办人).', { issues: [{ path: 'handlerName', message: 'required' }] });
    }
    return { id: null, name: handlerName };
  }

  private requireFreeNumber(caseNo: string, self: number | null): void {
    const taken = prepared<[string], { id: number }>(this.db, 'SELECT id FROM legal_case WHERE case_no = ?').get(caseNo);
    if (taken && taken.id !== self) {
      throw new StationError('conflict', `案件编号 ${caseNo} 已登记；请打开该案件，或核对编号。 / Case number ${caseNo} is already registered: open that case, or check the number.`, {
        field: 'caseNo',
      });
    }
  }

  private row(id: number): CaseRecord | null {
    const r = prepared<[number], CaseRow>(this.db, `${CASE_SELECT} WHERE lc.id = ?`).get(id);
    return r ? toRecord(r) : null;
  }
}
