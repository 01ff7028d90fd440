// A clip's effective confidentiality (第二十一条): the highest of its own level (clip_class) and the
// levels of every case it belongs to. Searching, viewing and export all ask here, so a clip set
// 商业秘密 through its case is as hidden as one set so itself.
import type { Confidentiality } from '../../../shared/library.js';
import { higherLevel } from '../../../shared/library.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

/** Ids a statement takes at once: SQLite's default limit on bound parameters is far above it. */
const CHUNK = 500;

/** The effective level of each clip asked for; a clip with no classification and no case is 'normal'. */
export function clipConfidentiality(db: Db, clipIds: readonly number[]): Map<number, Confidentiality> {
  const out = new Map<number, Confidentiality>();
  for (const id of clipIds) out.set(id, 'normal');
  for (let i = 0; i < clipIds.length; i += CHUNK) {
    const ids = clipIds.slice(i, i + CHUNK);
    const marks = ids.map(() => '?').join(', ');
    const rows = prepared<number[], { clip_id: number; level: Confidentiality }>(
      db,
      `SELECT clip_id, confidentiality AS level FROM clip_class WHERE clip_id IN (${marks}) AND confidentiality != 'normal'
       UNION ALL
       SELECT cc.clip_id, c.confidentiality AS level FROM case_clip cc JOIN legal_case c ON c.id = cc.case_id
        WHERE cc.clip_id IN (${marks}) AND c.confidentiality != 'normal'`,
    ).all(...ids, ...ids);
    for (const r of rows) out.set(r.clip_id, higherLevel(out.get(r.clip_id) ?? 'normal', r.level));
  }
  return out;
}

/**
 * SQL that is true for a clip (`alias`.id) whose effective level is secret: for a search's WHERE,
 * read from the two partial indexes of the secret rows (migration 0180), so a search that hides
 * secrets pays for the secret clips, not for every clip.
 */
export function secretClipSql(alias: string): string {
  return `(${alias}.id IN (SELECT clip_id FROM clip_class WHERE confidentiality IN ('commercial_secret', 'state_secret'))
    OR ${alias}.id IN (SELECT cc.clip_id FROM case_clip cc WHERE cc.case_id IN
         (SELECT id FROM legal_case WHERE confidentiality IN ('commercial_secret', 'state_secret'))))`;
}
