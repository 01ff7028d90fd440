import type {
  CheckoutStatus,
  CheckoutView,
  OffloadException,
  RecordedCheck,
  WorkType,
} from '../../../shared/custody.js';
import type { DockState } from '../../../shared/ingest.js';
import { StationError } from '../../../shared/errors.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { readSetting, writeSetting } from '../db/settings.js';
import type { LastDock } from './checks.js';
import { lateness, overdueMs } from './deadline.js';

/** station_setting key of the reconcile watermark (OffloadTracker.reconcile). */
const WATERMARK_KEY = 'custody.reconciled_below';

export interface CheckoutRow {
  id: number;
  device_id: number;
  officer_id: number;
  work_type: WorkType;
  note: string | null;
  checked_out_at: number;
  issued_by: string;
  issued_by_id: number | null;
  expected_end_at: number;
  same_day_deadline_at: number;
  deadline_at: number;
  deadline_rule: 'same_day' | 'exception';
  exception_kind: OffloadException | null;
  exception_reason: string | null;
  exception_return_at: number | null;
  exception_declared_at: number | null;
  exception_declared_by: string | null;
  override_reason: string | null;
  override_by: string | null;
  override_by_id: number | null;
  status: CheckoutStatus;
  docked_at: number | null;
  offloaded_at: number | null;
  offload_dock_session_id: number | null;
  returned_at: number | null;
  received_by: string | null;
  received_by_id: number | null;
  return_condition: 'good' | 'damaged' | null;
  return_note: string | null;
  return_fault_id: number | null;
}

interface CheckoutViewRow extends CheckoutRow {
  device_serial: string;
  device_model: string | null;
  keeper_id: number | null;
  keeper_badge: string | null;
  keeper_name: string | null;
  officer_badge: string;
  officer_name: string;
}

const VIEW = `SELECT c.*, d.serial AS device_serial, d.model AS device_model, d.keeper_id,
                     k.badge AS keeper_badge, k.name AS keeper_name, o.badge AS officer_badge, o.name AS officer_name
              FROM checkout c
              JOIN device d ON d.id = c.device_id
              LEFT JOIN person k ON k.id = d.keeper_id
              JOIN person o ON o.id = c.officer_id`;

export function toCheckoutView(r: CheckoutViewRow, now: number): CheckoutView {
  return {
    id: r.id,
    device: {
      id: r.device_id,
      serial: r.device_serial,
      model: r.device_model,
      keeper: r.keeper_id === null ? null : { id: r.keeper_id, badge: r.keeper_badge!, name: r.keeper_name! },
    },
    officer: { id: r.officer_id, badge: r.officer_badge, name: r.officer_name },
    workType: r.work_type,
    note: r.note,
    status: r.status,
    checkedOutAt: r.checked_out_at,
    issuedBy: r.issued_by,
    expectedEndAt: r.expected_end_at,
    deadlineAt: r.deadline_at,
    deadlineRule: r.deadline_rule,
    exception:
      r.exception_kind === null
        ? null
        : {
            kind: r.exception_kind,
            reason: r.exception_reason!,
            declaredReturnAt: r.exception_return_at!,
            declaredAt: r.exception_declared_at!,
            declaredBy: r.exception_declared_by!,
          },
    override: r.override_reason === null ? null : { reason: r.override_reason, by: r.override_by! },
    dockedAt: r.docked_at,
    offloadedAt: r.offloaded_at,
    offloadDockSessionId: r.offload_dock_session_id,
    lateMs: r.docked_at === null ? null : lateness(r.deadline_at, r.docked_at) || null,
    returnedAt: r.returned_at,
    receivedBy: r.received_by,
    returnCondition: r.return_condition,
    returnNote: r.return_note,
    overdue: overdueMs(r.deadline_at, r.offloaded_at, now) > 0,
  };
}

export type NewCheckout = Pick<
  CheckoutRow,
  | 'device_id'
  | 'officer_id'
  | 'work_type'
  | 'note'
  | 'checked_out_at'
  | 'issued_by'
  | 'issued_by_id'
  | 'expected_end_at'
  | 'same_day_deadline_at'
  | 'deadline_at'
  | 'deadline_rule'
  | 'exception_kind'
  | 'exception_reason'
  | 'exception_return_at'
  | 'exception_declared_at'
  | 'exception_declared_by'
  | 'override_reason'
  | 'override_by'
  | 'override_by_id'
>;

interface DockRow {
  id: number;
  device_id: number | null;
  state: DockState;
  attached_at: number;
  finished_at: number | null;
  detached_at: number | null;
  battery_percent: number | null;
  free_bytes: number | null;
  clock_skew_ms: number | null;
  files_failed: number;
  clock_set_at: number | null;
  /** The clock_set_at of the camera's dock before this one (a subquery of lastDock). */
  previous_clock_set_at?: number | null;
}

export interface FinishedDock {
  id: number;
  deviceId: number | null;
  state: DockState;
  attachedAt: number;
  finishedAt: number;
}

export interface DockClip {
  id: number;
  start_at: number | null;
  checkout_id: number | null;
}

export interface CheckoutFilter {
  status?: CheckoutStatus | undefined;
  officerId?: number | undefined;
  deviceId?: number | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/** SQL for checkouts, their recorded checks, and what custody reads of docks and clips. */
export class CustodyRepository {
  constructor(private readonly db: Db) {}

  insertCheckout(c: NewCheckout): number {
    try {
      const info = prepared(
        this.db,
        `INSERT INTO checkout (device_id, officer_id, work_type, note, checked_out_at, issued_by, issued_by_id, expected_end_at,
           same_day_deadline_at, deadline_at, deadline_rule, exception_kind, exception_reason, exception_return_at,
           exception_declared_at, exception_declared_by, override_reason, override_by, override_by_id)
         VALUES (@device_id, @officer_id, @work_type, @note, @checked_out_at, @issued_by, @issued_by_id, @expected_end_at,
           @same_day_deadline_at, @deadline_at, @deadline_rule, @exception_kind, @exception_reason, @exception_return_at,
           @exception_declared_at, @exception_declared_by, @override_reason, @override_by, @override_by_id)`,
      ).run(c);
      return Number(info.lastInsertRowid);
    } catch (e) {
      // The partial unique index is the last word on "one open checkout per camera".
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StationError('conflict', '该执法记录仪已被领用，尚未归还。 / This camera is already checked out and not yet returned.', {
          field: 'deviceId',
        });
      }
      throw e;
    }
  }

  insertChecks(checkoutId: number, checks: readonly RecordedCheck[]): void {
    const stmt = prepared(
      this.db,
      `INSERT INTO checkout_check (checkout_id, check_kind, result, reason, value, limit_value, dock_session_id, read_at, resolution)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of checks) stmt.run(checkoutId, c.check, c.result, c.reason, c.value, c.limit, c.dockSessionId, c.readAt, c.resolution);
  }

  checks(checkoutId: number): RecordedCheck[] {
    const order = "CASE check_kind WHEN 'battery' THEN 1 WHEN 'free_space' THEN 2 WHEN 'clock' THEN 3 WHEN 'footage' THEN 4 ELSE 5 END";
    return prepared<[number], {
      check_kind: RecordedCheck['check'];
      result: RecordedCheck['result'];
      reason: RecordedCheck['reason'];
      value: number | null;
      limit_value: number | null;
      dock_session_id: number | null;
      read_at: number | null;
      resolution: RecordedCheck['resolution'];
    }>(this.db, `SELECT * FROM checkout_check WHERE checkout_id = ? ORDER BY ${order}`)
      .all(checkoutId)
      .map((r) => ({
        check: r.check_kind,
        result: r.result,
        reason: r.reason,
        value: r.value,
        limit: r.limit_value,
        dockSessionId: r.dock_session_id,
        readAt: r.read_at,
        overridable: r.check_kind !== 'fault',
        confirmable: r.result === 'unknown' && r.check_kind !== 'fault',
        resolution: r.resolution,
      }));
  }

  row(id: number): CheckoutRow | undefined {
    return prepared<[number], CheckoutRow>(this.db, 'SELECT * FROM checkout WHERE id = ?').get(id);
  }

  require(id: number): CheckoutRow {
    const r = this.row(id);
    if (!r) throw new StationError('not_found', `没有编号为 ${id} 的领用记录。 / No checkout with id ${id}.`, { id });
    return r;
  }

  view(id: number, now: number): CheckoutView {
    const r = prepared<[number], CheckoutViewRow>(this.db, `${VIEW} WHERE c.id = ?`).get(id);
    if (!r) throw new StationError('not_found', `没有编号为 ${id} 的领用记录。 / No checkout with id ${id}.`, { id });
    return toCheckoutView(r, now);
  }

  list(f: CheckoutFilter, now: number): CheckoutView[] {
    return prepared<[string | null, string | null, number | null, number | null, number | null, number | null, number, number], CheckoutViewRow>(
      this.db,
      `${VIEW}
       WHERE (? IS NULL OR c.status = ?) AND (? IS NULL OR c.officer_id = ?) AND (? IS NULL OR c.device_id = ?) AND c.id < ?
       ORDER BY c.id DESC LIMIT ?`,
    )
      .all(
        f.status ?? null,
        f.status ?? null,
        f.officerId ?? null,
        f.officerId ?? null,
        f.deviceId ?? null,
        f.deviceId ?? null,
        f.beforeId ?? Number.MAX_SAFE_INTEGER,
        f.limit ?? 100,
      )
      .map((r) => toCheckoutView(r, now));
  }

  /** Not offloaded and past the deadline at `now`, most overdue first. */
  overdue(now: number): CheckoutView[] {
    return prepared<[number], CheckoutViewRow>(
      this.db,
      `${VIEW} WHERE c.offloaded_at IS NULL AND c.deadline_at < ? ORDER BY c.deadline_at, c.id`,
    )
      .all(now)
      .map((r) => toCheckoutView(r, now));
  }

  /** Not offloaded and past the deadline at `now`: what the overdue sweep announces. */
  overdueDeadlines(now: number): Array<{ id: number; deadline_at: number }> {
    return prepared<[number], { id: number; deadline_at: number }>(
      this.db,
      'SELECT id, deadline_at FROM checkout WHERE offloaded_at IS NULL AND deadline_at < ? ORDER BY deadline_at',
    ).all(now);
  }

  /** The camera's checkout not yet returned (at most one). */
  openOfDevice(deviceId: number): CheckoutRow | undefined {
    return prepared<[number], CheckoutRow>(this.db, 'SELECT * FROM checkout WHERE device_id = ? AND returned_at IS NULL').get(deviceId);
  }

  openOfOfficer(officerId: number): CheckoutRow[] {
    return prepared<[number], CheckoutRow>(
      this.db,
      'SELECT * FROM checkout WHERE officer_id = ? AND returned_at IS NULL ORDER BY checked_out_at',
    ).all(officerId);
  }

  /** When the camera last went out (to hand out the one idle longest). */
  lastCheckoutAt(deviceId: number): number | null {
    return prepared<[number], { at: number | null }>(this.db, 'SELECT max(checked_out_at) AS at FROM checkout WHERE device_id = ?').get(deviceId)!.at;
  }

  /** The latest checkout of this camera whose footage was never offloaded (returned damaged, say). */
  unoffloadedOfDevice(deviceId: number): CheckoutRow | undefined {
    return prepared<[number], CheckoutRow>(
      this.db,
      'SELECT * FROM checkout WHERE device_id = ? AND offloaded_at IS NULL ORDER BY checked_out_at DESC LIMIT 1',
    ).get(deviceId);
  }

  /**
   * The checkout a dock offloads: the camera's latest checkout begun before
   * it was docked that is still out, or came back without its footage offloaded.
   */
  owningCheckout(deviceId: number, dockedAt: number): CheckoutRow | undefined {
    return prepared<[number, number], CheckoutRow>(
      this.db,
      `SELECT * FROM checkout WHERE device_id = ? AND checked_out_at <= ? AND (returned_at IS NULL OR offloaded_at IS NULL)
       ORDER BY checked_out_at DESC LIMIT 1`,
    ).get(deviceId, dockedAt);
  }

  /** The camera's checkouts that had it at some time in [from, until], latest first: where a dock's clips may belong. */
  checkoutsCovering(deviceId: number, until: number, from: number): CheckoutRow[] {
    return prepared<[number, number, number, number], CheckoutRow>(
      this.db,
      `SELECT * FROM checkout WHERE device_id = ? AND checked_out_at <= ? AND coalesce(returned_at, ?) >= ?
       ORDER BY checked_out_at DESC`,
    ).all(deviceId, until, until, from);
  }

  setException(
    id: number,
    e: { kind: OffloadException; reason: string; returnAt: number; declaredAt: number; declaredBy: string; deadlineAt: number },
  ): void {
    prepared(
      this.db,
      `UPDATE checkout SET deadline_rule = 'exception', exception_kind = @kind, exception_reason = @reason, exception_return_at = @returnAt,
         exception_declared_at = @declaredAt, exception_declared_by = @declaredBy, deadline_at = @deadlineAt
       WHERE id = @id`,
    ).run({ id, ...e });
  }

  /** The footage is in the vault; the camera is "offloaded" unless it was already received back. */
  setOffloaded(id: number, o: { dockedAt: number; offloadedAt: number; dockSessionId: number }): void {
    prepared(
      this.db,
      `UPDATE checkout SET docked_at = @dockedAt, offloaded_at = @offloadedAt, offload_dock_session_id = @dockSessionId,
         status = CASE WHEN status = 'open' THEN 'offloaded' ELSE status END
       WHERE id = @id`,
    ).run({ id, ...o });
  }

  setReturned(
    id: number,
    r: { at: number; by: string; byId: number | null; condition: 'good' | 'damaged'; note: string | null; faultId: number | null },
  ): void {
    prepared(
      this.db,
      `UPDATE checkout SET status = 'returned', returned_at = @at, received_by = @by, received_by_id = @byId,
         return_condition = @condition, return_note = @note, return_fault_id = @faultId
       WHERE id = @id`,
    ).run({ id, ...r });
  }

  // ---- docks and clips, as ingest left them ----

  /** The camera's latest dock session: what the pre-shift checks judge. */
  lastDock(deviceId: number): LastDock | null {
    // Also whether the dock before it set the clock: a camera still off after being set ignores its time file.
    const r = prepared<[number], DockRow>(
      this.db,
      `SELECT ds.*, (SELECT p.clock_set_at FROM dock_session p
                      WHERE p.device_id = ds.device_id AND (p.attached_at < ds.attached_at OR (p.attached_at = ds.attached_at AND p.id < ds.id))
                      ORDER BY p.attached_at DESC, p.id DESC LIMIT 1) AS previous_clock_set_at
       FROM dock_session ds WHERE ds.device_id = ? ORDER BY ds.attached_at DESC, ds.id DESC LIMIT 1`,
    ).get(deviceId);
    return r ? toLastDock(r) : null;
  }

  /** The camera's latest finished dock (what the camera status list shows it last read). */
  lastFinishedDock(deviceId: number): LastDock | null {
    const r = prepared<[number], DockRow>(
      this.db,
      'SELECT * FROM dock_session WHERE device_id = ? AND finished_at IS NOT NULL ORDER BY attached_at DESC, id DESC LIMIT 1',
    ).get(deviceId);
    return r ? toLastDock(r) : null;
  }

  /** The camera's dock session still on the station (not taken off). */
  currentDock(deviceId: number): { id: number; state: DockState; attached_at: number } | undefined {
    return prepared<[number], { id: number; state: DockState; attached_at: number }>(
      this.db,
      'SELECT id, state, attached_at FROM dock_session WHERE device_id = ? AND detached_at IS NULL ORDER BY attached_at DESC, id DESC LIMIT 1',
    ).get(deviceId);
  }

  /**
   * Finished dock sessions custody has not accounted for yet, oldest first, from
   * the watermark on: a range of the primary key, not a scan of every dock
   * the station has ever seen (reconcile runs on each dock event).
   */
  unprocessedDocks(fromId: number): FinishedDock[] {
    return prepared<[number], { id: number; device_id: number | null; state: DockState; attached_at: number; finished_at: number }>(
      this.db,
      `SELECT ds.id, ds.device_id, ds.state, ds.attached_at, ds.finished_at FROM dock_session ds
       WHERE ds.id >= ? AND ds.finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM custody_dock cd WHERE cd.dock_session_id = ds.id)
       ORDER BY ds.id`,
    )
      .all(fromId)
      .map((r) => ({ id: r.id, deviceId: r.device_id, state: r.state, attachedAt: r.attached_at, finishedAt: r.finished_at }));
  }

  /** The stored watermark: every dock session below this id is finished and accounted for. */
  reconciledBelow(): number {
    const value = readSetting(this.db, WATERMARK_KEY);
    const n = value === null ? 0 : Number(value);
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  }

  /**
   * Where the watermark can move to from `fromId`: the first dock session still
   * open (it may finish later), else the first finished one not yet accounted
   * for (its accounting failed and is tried again), else past the last one.
   * Dock sessions are never deleted and new ones take higher ids. `INDEXED BY`: for
   * min(id) the planner would otherwise walk the whole table in id order looking
   * for an open one (0.4 s at a million clips from a cold disk).
   */
  nextWatermark(fromId: number): number {
    const row = prepared<[number, number], { open: number | null; pending: number | null; next: number }>(
      this.db,
      `SELECT (SELECT min(id) FROM dock_session INDEXED BY dock_session_open WHERE finished_at IS NULL) AS open,
              (SELECT min(ds.id) FROM dock_session ds WHERE ds.id >= ? AND ds.finished_at IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM custody_dock cd WHERE cd.dock_session_id = ds.id)) AS pending,
              (SELECT coalesce(max(id), 0) + 1 FROM dock_session WHERE id >= ?) AS next`,
    ).get(fromId, fromId)!;
    return Math.max(fromId, Math.min(row.open ?? Infinity, row.pending ?? Infinity, row.next));
  }

  /** Must run inside a write transaction. */
  setReconciledBelow(id: number): void {
    writeSetting(this.db, WATERMARK_KEY, String(id));
  }

  isProcessed(dockSessionId: number): boolean {
    return prepared<[number], { x: number }>(this.db, 'SELECT 1 AS x FROM custody_dock WHERE dock_session_id = ?').get(dockSessionId) !== undefined;
  }

  markProcessed(dockSessionId: number, checkoutId: number | null, outcome: 'offloaded' | 'incomplete' | 'no_checkout' | 'nothing', at: number): void {
    prepared(this.db, 'INSERT INTO custody_dock (dock_session_id, checkout_id, outcome, processed_at) VALUES (?, ?, ?, ?)').run(
      dockSessionId,
      checkoutId,
      outcome,
      at,
    );
  }

  /** Every file the dock found reached the vault (committed now, or already there). */
  everyFileIn(dockSessionId: number): boolean {
    const r = prepared<[number], { n: number }>(
      this.db,
      "SELECT count(*) AS n FROM ingest_file WHERE dock_session_id = ? AND state NOT IN ('committed', 'duplicate')",
    ).get(dockSessionId)!;
    return r.n === 0;
  }

  /** The clips this dock committed (duplicates belong to the dock that first committed them). */
  clipsOfDock(dockSessionId: number): DockClip[] {
    return prepared<[number], DockClip>(this.db, 'SELECT id, start_at, checkout_id FROM clip WHERE dock_session_id = ? ORDER BY id').all(dockSessionId);
  }

  linkClip(clipId: number, checkoutId: number): void {
    prepared(this.db, 'UPDATE clip SET checkout_id = ? WHERE id = ? AND checkout_id IS NULL').run(checkoutId, clipId);
  }

  clipCount(checkoutId: number): number {
    return prepared<[number], { n: number }>(this.db, 'SELECT count(*) AS n FROM clip WHERE checkout_id = ?').get(checkoutId)!.n;
  }
}

function toLastDock(r: DockRow): LastDock {
  return {
    id: r.id,
    state: r.state,
    attachedAt: r.attached_at,
    finishedAt: r.finished_at,
    batteryPercent: r.battery_percent,
    freeBytes: r.free_bytes,
    clockSkewMs: r.clock_skew_ms,
    filesFailed: r.files_failed,
    clockSetAt: r.clock_set_at,
    previousClockSetAt: r.previous_clock_set_at ?? null,
  };
}
