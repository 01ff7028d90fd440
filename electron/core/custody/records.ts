// The records supervision reads (第十五条, 第三条, 第二十二条): offloads that
// came late, and footage recorded outside a checkout.
import type { LateOffload, OutsideRecording } from '../../../shared/custody.js';
import { StationError } from '../../../shared/errors.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

interface LateRow {
  id: number;
  checkout_id: number;
  dock_session_id: number;
  officer_id: number;
  badge: string;
  name: string;
  device_id: number;
  serial: string;
  deadline_at: number;
  docked_at: number;
  late_ms: number;
  recorded_at: number;
}

const LATE = `SELECT l.*, p.badge, p.name, d.serial FROM late_offload l
              JOIN person p ON p.id = l.officer_id JOIN device d ON d.id = l.device_id`;

const toLate = (r: LateRow): LateOffload => ({
  id: r.id,
  checkoutId: r.checkout_id,
  dockSessionId: r.dock_session_id,
  officer: { id: r.officer_id, badge: r.badge, name: r.name },
  device: { id: r.device_id, serial: r.serial },
  deadlineAt: r.deadline_at,
  dockedAt: r.docked_at,
  lateMs: r.late_ms,
  recordedAt: r.recorded_at,
});

interface OutsideRow {
  id: number;
  kind: OutsideRecording['kind'];
  dock_session_id: number;
  device_id: number;
  serial: string;
  docked_at: number;
  officer_id: number | null;
  officer_badge: string | null;
  officer_name: string | null;
  checkout_id: number | null;
  flagged_at: number;
  reviewed_at: number | null;
  reviewed_by: string | null;
  review_note: string | null;
}

// The officer is the one the camera's binding named when it docked (whose footage it holds), not its keeper today.
const OUTSIDE = `SELECT o.*, d.serial, ds.attached_at AS docked_at, p.id AS officer_id, p.badge AS officer_badge, p.name AS officer_name
  FROM outside_recording o JOIN device d ON d.id = o.device_id JOIN dock_session ds ON ds.id = o.dock_session_id
  LEFT JOIN person p ON p.id = ds.officer_id`;

export class SupervisionRecords {
  constructor(private readonly db: Db) {}

  addLateOffload(l: {
    checkoutId: number;
    dockSessionId: number;
    officerId: number;
    deviceId: number;
    deadlineAt: number;
    dockedAt: number;
    lateMs: number;
    at: number;
  }): number {
    const info = prepared(
      this.db,
      `INSERT INTO late_offload (checkout_id, dock_session_id, officer_id, device_id, deadline_at, docked_at, late_ms, recorded_at)
       VALUES (@checkoutId, @dockSessionId, @officerId, @deviceId, @deadlineAt, @dockedAt, @lateMs, @at)`,
    ).run(l);
    return Number(info.lastInsertRowid);
  }

  lateOffloads(f: { officerId?: number | undefined; checkoutId?: number | undefined; beforeId?: number | undefined; limit?: number | undefined }): LateOffload[] {
    return prepared<[number | null, number | null, number | null, number | null, number, number], LateRow>(
      this.db,
      `${LATE} WHERE (? IS NULL OR l.officer_id = ?) AND (? IS NULL OR l.checkout_id = ?) AND l.id < ? ORDER BY l.id DESC LIMIT ?`,
    )
      .all(f.officerId ?? null, f.officerId ?? null, f.checkoutId ?? null, f.checkoutId ?? null, f.beforeId ?? Number.MAX_SAFE_INTEGER, f.limit ?? 100)
      .map(toLate);
  }

  addOutside(o: { dockSessionId: number; deviceId: number; checkoutId: number | null; kind: OutsideRecording['kind']; clipIds: number[]; at: number }): number {
    const info = prepared(
      this.db,
      'INSERT INTO outside_recording (dock_session_id, device_id, checkout_id, kind, flagged_at) VALUES (?, ?, ?, ?, ?)',
    ).run(o.dockSessionId, o.deviceId, o.checkoutId, o.kind, o.at);
    const id = Number(info.lastInsertRowid);
    const add = prepared(this.db, 'INSERT INTO outside_recording_clip (outside_recording_id, clip_id) VALUES (?, ?)');
    for (const clipId of o.clipIds) add.run(id, clipId);
    return id;
  }

  private clipsOf(id: number): OutsideRecording['clips'] {
    return prepared<[number], { id: number; original_path: string; start_at: number | null; kind: string }>(
      this.db,
      `SELECT c.id, c.original_path, c.start_at, c.kind FROM outside_recording_clip oc JOIN clip c ON c.id = oc.clip_id
       WHERE oc.outside_recording_id = ? ORDER BY c.start_at, c.id`,
    )
      .all(id)
      .map((c) => ({ id: c.id, originalPath: c.original_path, startAt: c.start_at, kind: c.kind }));
  }

  private toOutside(r: OutsideRow): OutsideRecording {
    return {
      id: r.id,
      kind: r.kind,
      dockSessionId: r.dock_session_id,
      device: { id: r.device_id, serial: r.serial },
      dockedAt: r.docked_at,
      officer: r.officer_id === null ? null : { id: r.officer_id, badge: r.officer_badge!, name: r.officer_name! },
      checkoutId: r.checkout_id,
      clips: this.clipsOf(r.id),
      flaggedAt: r.flagged_at,
      reviewedAt: r.reviewed_at,
      reviewedBy: r.reviewed_by,
      reviewNote: r.review_note,
    };
  }

  outside(id: number): OutsideRecording {
    const r = prepared<[number], OutsideRow>(this.db, `${OUTSIDE} WHERE o.id = ?`).get(id);
    if (!r) throw new StationError('not_found', `没有编号为 ${id} 的记录。 / No such record (${id}).`, { id });
    return this.toOutside(r);
  }

  outsideList(f: { reviewed?: boolean | undefined; checkoutId?: number | undefined; beforeId?: number | undefined; limit?: number | undefined }): OutsideRecording[] {
    const reviewed = f.reviewed === undefined ? null : f.reviewed ? 1 : 0;
    return prepared<[number | null, number | null, number | null, number | null, number, number], OutsideRow>(
      this.db,
      `${OUTSIDE} WHERE (? IS NULL OR (o.reviewed_at IS NOT NULL) = ?) AND (? IS NULL OR o.checkout_id = ?) AND o.id < ?
       ORDER BY o.id DESC LIMIT ?`,
    )
      .all(reviewed, reviewed, f.checkoutId ?? null, f.checkoutId ?? null, f.beforeId ?? Number.MAX_SAFE_INTEGER, f.limit ?? 100)
      .map((r) => this.toOutside(r));
  }

  review(id: number, r: { at: number; by: string; byId: number | null; note: string }): void {
    prepared(this.db, 'UPDATE outside_recording SET reviewed_at = ?, reviewed_by = ?, reviewed_by_id = ?, review_note = ? WHERE id = ?').run(
      r.at,
      r.by,
      r.byId,
      r.note,
      id,
    );
  }
}
