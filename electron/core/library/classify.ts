// Classifying clips (第四条, 第二十一条): 重点, the work type, a note and the confidentiality level,
// for one clip or several at once, in one transaction with one audit row per clip changed
// (`clip.classified`, before and after). 重点 is the clip's own column (clip.important, kept in the
// covering partial index clip_important_start); the rest is clip_class (migration 0180).
//
// Levels: 综合处 may raise a clip's level, or set it on a clip that has none, but only a department
// head (the approver of secret views, 第二十一条) may lower a level from secret: otherwise the
// person a secret clip is hidden from could unhide it. The CLI (an OS user) acts as a head.
import type { WorkType } from '../../../shared/custody.js';
import { StationError } from '../../../shared/errors.js';
import type { Confidentiality } from '../../../shared/library.js';
import { confidentialityLevels, isSecret } from '../../../shared/library.js';
import type { Actor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { Viewer } from './viewer.js';

export interface ClassifyInput {
  clipIds: number[];
  important?: boolean;
  /** null returns the clip to its checkout's work type. */
  workType?: WorkType | null;
  /** null (or empty) clears it. */
  note?: string | null;
  confidentiality?: Confidentiality;
}

interface Classification {
  important: boolean;
  workType: WorkType | null;
  note: string | null;
  confidentiality: Confidentiality;
}

interface CurrentRow {
  id: number;
  important: number;
  work_type: WorkType | null;
  note: string | null;
  confidentiality: Confidentiality | null;
}

/** Refuses a lower level than a secret one unless the viewer is a head; the same rule for clips and cases. */
export function requireMayLower(viewer: Viewer, before: Confidentiality, after: Confidentiality, what: { zh: string; en: string }): void {
  if (!isSecret(before) || viewer.head) return;
  if (confidentialityLevels.indexOf(after) >= confidentialityLevels.indexOf(before)) return;
  throw new StationError(
    'forbidden',
    `${what.zh}为涉密级别，只有部门负责人可以降低其密级；请报部门负责人办理。 / ${what.en} is at a secret level: only a department head may lower it; ask the department head.`,
    { field: 'confidentiality', before, after },
  );
}

export class Classifier {
  constructor(
    private readonly db: Db,
    private readonly writer: Writer,
  ) {}

  /** Applies the fields given to every clip named; returns the ids whose classification changed. */
  classify(actor: Actor, viewer: Viewer, input: ClassifyInput): { changed: number[] } {
    const ids = [...new Set(input.clipIds)];
    return this.writer.run(actor, (tx) => {
      const changed: number[] = [];
      for (const id of ids) {
        const row = prepared<[number], CurrentRow>(
          this.db,
          `SELECT c.id, c.important, cl.work_type, cl.note, cl.confidentiality
             FROM clip c LEFT JOIN clip_class cl ON cl.clip_id = c.id WHERE c.id = ?`,
        ).get(id);
        if (!row) throw new StationError('not_found', `没有编号为 ${id} 的音视频资料。 / There is no clip with id ${id}.`, { field: 'clipIds', id });
        const before: Classification = {
          important: row.important === 1,
          workType: row.work_type,
          note: row.note,
          confidentiality: row.confidentiality ?? 'normal',
        };
        const after: Classification = {
          important: input.important ?? before.important,
          workType: input.workType === undefined ? before.workType : input.workType,
          note: input.note === undefined ? before.note : input.note === null || input.note === '' ? null : input.note,
          confidentiality: input.confidentiality ?? before.confidentiality,
        };
        requireMayLower(viewer, before.confidentiality, after.confidentiality, { zh: `资料 ${id} `, en: `Clip ${id}` });
        if (JSON.stringify(before) === JSON.stringify(after)) continue;
        if (after.important !== before.important) {
          prepared(this.db, 'UPDATE clip SET important = ? WHERE id = ?').run(after.important ? 1 : 0, id);
        }
        if (after.workType !== before.workType || after.note !== before.note || after.confidentiality !== before.confidentiality) {
          prepared(
            this.db,
            `INSERT INTO clip_class (clip_id, work_type, confidentiality, note, updated_at) VALUES (@id, @workType, @confidentiality, @note, @at)
             ON CONFLICT (clip_id) DO UPDATE SET work_type = excluded.work_type, confidentiality = excluded.confidentiality,
               note = excluded.note, updated_at = excluded.updated_at`,
          ).run({ id, workType: after.workType, confidentiality: after.confidentiality, note: after.note, at: tx.at });
        }
        tx.audit({ action: 'clip.classified', objectType: 'clip', objectId: id, before, after });
        changed.push(id);
      }
      return { changed };
    });
  }
}
