// library.clip: one clip's whole record (issue 20's clip page): what the index holds, how it was
// verified, its dock, checkout and work type, its classification and cases, and its history (the
// audit rows about it, newest first, paged). Under the search's scope: a clip the viewer could not
// find in a search is answered as not found, so its existence is not told either.
//
// The vault path never leaves the core: the clip row's is not read, and audit rows that carry one
// (clip.committed records where the copy went) have it taken out of the history shown.
import { StationError } from '../../../shared/errors.js';
import type { ClipDetail, Confidentiality } from '../../../shared/library.js';
import { isSecret } from '../../../shared/library.js';
import type { WorkType } from '../../../shared/custody.js';
import { auditEntryOf, type AuditRow } from '../audit/log.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { clipConfidentiality } from './confidentiality.js';
import type { SummaryRow } from './library-search.js';
import { SUMMARY_BY_ID_SQL, toSummary } from './library-search.js';
import type { Viewer } from './viewer.js';
import { maySeeClip } from './viewer.js';

interface DetailRow {
  hash_algorithm: 'sha256' | 'sm3';
  hash: string;
  verification: string;
  mtime_ms: number;
  embedded_created_at: number | null;
  clock_wrong: number;
  name_serial: string | null;
  name_badge: string | null;
  name_seq: number | null;
  dock_session_id: number | null;
  own_level: Confidentiality | null;
  note: string | null;
}


/** Keys of audit payloads that name a place in the vault. */
const VAULT_KEY = /vault.*path|altered.*path|vault_?dir/i;

/** A payload with every vault location taken out, however deep. */
export function withoutVaultPaths(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVaultPaths);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!VAULT_KEY.test(k)) out[k] = withoutVaultPaths(v);
  return out;
}


/** A clip's audit rows, newest first, from migration 0200's audit_object_id (the tests hold the plan to it). */
export const CLIP_HISTORY_SQL = "SELECT * FROM audit WHERE object_type = 'clip' AND object_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?";

const notFound = (id: number) =>
  new StationError('not_found', `没有编号为 ${id} 的音视频资料，或您无权查看。 / There is no clip ${id}, or it is not yours to see.`, { field: 'id', id });

export function clipDetail(db: Db, viewer: Viewer, input: { id: number; historyBefore?: number; historyLimit?: number }): ClipDetail {
  const summaryRow = prepared<[number], SummaryRow>(db, SUMMARY_BY_ID_SQL).get(input.id);
  if (!summaryRow) throw notFound(input.id);
  const level = clipConfidentiality(db, [input.id]).get(input.id) ?? 'normal';
  if (!maySeeClip(viewer, input.id, summaryRow.officer_id, isSecret(level))) throw notFound(input.id);

  const d = prepared<[number], DetailRow>(
    db,
    `SELECT c.hash_algorithm, c.hash, c.verification, c.mtime_ms, c.embedded_created_at, c.clock_wrong, c.name_serial, c.name_badge,
            c.name_seq, c.dock_session_id, cl.confidentiality AS own_level, cl.note
       FROM clip c LEFT JOIN clip_class cl ON cl.clip_id = c.id WHERE c.id = ?`,
  ).get(input.id)!;
  const dock =
    d.dock_session_id === null
      ? undefined
      : prepared<[number], { id: number; attached_at: number; finished_at: number | null; clock_skew_ms: number | null; camera_clock_text: string | null }>(
          db,
          'SELECT id, attached_at, finished_at, clock_skew_ms, camera_clock_text FROM dock_session WHERE id = ?',
        ).get(d.dock_session_id);
  const checkout =
    summaryRow.checkout_id === null
      ? undefined
      : prepared<[number], { id: number; work_type: WorkType; checked_out_at: number; status: string; officer_id: number; badge: string | null; name: string | null }>(
          db,
          `SELECT k.id, k.work_type, k.checked_out_at, k.status, k.officer_id, p.badge, p.name
             FROM checkout k LEFT JOIN person p ON p.id = k.officer_id WHERE k.id = ?`,
        ).get(summaryRow.checkout_id);
  const cases = prepared<[number], { id: number; case_no: string; cause: string; confidentiality: Confidentiality }>(
    db,
    'SELECT lc.id, lc.case_no, lc.cause, lc.confidentiality FROM case_clip cc JOIN legal_case lc ON lc.id = cc.case_id WHERE cc.clip_id = ? ORDER BY lc.id',
  ).all(input.id);

  const take = input.historyLimit ?? 50;
  const history = prepared<[string, number, number], AuditRow>(db, CLIP_HISTORY_SQL).all(String(input.id), input.historyBefore ?? Number.MAX_SAFE_INTEGER, take + 1);
  const shown = history.slice(0, take);

  return {
    ...toSummary(summaryRow, level),
    ownConfidentiality: d.own_level ?? 'normal',
    note: d.note,
    hashAlgorithm: d.hash_algorithm,
    hash: d.hash,
    verification: d.verification,
    mtimeMs: d.mtime_ms,
    embeddedCreatedAt: d.embedded_created_at,
    clockWrong: d.clock_wrong === 1,
    nameSerial: d.name_serial,
    nameBadge: d.name_badge,
    nameSeq: d.name_seq,
    dock: dock
      ? { id: dock.id, attachedAt: dock.attached_at, finishedAt: dock.finished_at, clockSkewMs: dock.clock_skew_ms, cameraClockText: dock.camera_clock_text }
      : null,
    checkout: checkout
      ? {
          id: checkout.id,
          workType: checkout.work_type,
          checkedOutAt: checkout.checked_out_at,
          status: checkout.status,
          officer: checkout.name === null ? null : { id: checkout.officer_id, badge: checkout.badge ?? '', name: checkout.name },
        }
      : null,
    cases: cases.map((c) => ({ id: c.id, caseNo: c.case_no, cause: c.cause, confidentiality: c.confidentiality })),
    history: { entries: shown.map((r) => auditEntryOf(r, withoutVaultPaths)), next: history.length > take ? shown[shown.length - 1]!.seq : null },
  };
}
