import type { Alarm, AlarmKind } from '../../../shared/ingest.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

interface AlarmRow {
  id: number;
  kind: AlarmKind;
  dock_session_id: number | null;
  device_id: number | null;
  serial: string | null;
  details_json: string | null;
  raised_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
}

const toAlarm = (r: AlarmRow): Alarm => ({
  id: r.id,
  kind: r.kind,
  dockSessionId: r.dock_session_id,
  deviceId: r.device_id,
  serial: r.serial,
  details: r.details_json === null ? null : (JSON.parse(r.details_json) as Record<string, unknown>),
  raisedAt: r.raised_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  resolution: r.resolution,
});

/** Alarms stay until someone resolves them with a note; resolved ones are kept for supervision. */
export class AlarmRepository {
  constructor(private readonly db: Db) {}

  raise(a: { kind: AlarmKind; dockSessionId?: number | null; deviceId?: number | null; serial?: string | null; details?: Record<string, unknown> | null; at: number }): Alarm {
    const info = prepared(
      this.db,
      'INSERT INTO alarm (kind, dock_session_id, device_id, serial, details_json, raised_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(a.kind, a.dockSessionId ?? null, a.deviceId ?? null, a.serial ?? null, a.details ? JSON.stringify(a.details) : null, a.at);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Alarm | undefined {
    const r = prepared<[number], AlarmRow>(this.db, 'SELECT * FROM alarm WHERE id = ?').get(id);
    return r && toAlarm(r);
  }

  open(): Alarm[] {
    return prepared<[], AlarmRow>(this.db, 'SELECT * FROM alarm WHERE resolved_at IS NULL ORDER BY raised_at DESC LIMIT 500').all().map(toAlarm);
  }

  /** An open alarm of this kind for this serial, so a camera docked twice raises one alarm, not two. */
  openFor(kind: AlarmKind, serial: string | null): Alarm | undefined {
    const r = prepared<[string, string | null], AlarmRow>(
      this.db,
      'SELECT * FROM alarm WHERE resolved_at IS NULL AND kind = ? AND serial IS ? ORDER BY id DESC LIMIT 1',
    ).get(kind, serial);
    return r && toAlarm(r);
  }

  /** An open alarm whose cause changed while it stayed open (vault_unavailable: another reason; verify_failure: a later check). */
  setDetails(id: number, details: Record<string, unknown>): void {
    prepared(this.db, 'UPDATE alarm SET details_json = ? WHERE id = ? AND resolved_at IS NULL').run(JSON.stringify(details), id);
  }

  /**
   * An open alarm of one camera found again by a later dock (footage_unreadable): it names that
   * dock and what it found, so the board and 详情 point at the dock the camera is on now.
   */
  setDockDetails(id: number, dockSessionId: number, details: Record<string, unknown>): void {
    prepared(this.db, 'UPDATE alarm SET dock_session_id = ?, details_json = ? WHERE id = ? AND resolved_at IS NULL').run(dockSessionId, JSON.stringify(details), id);
  }

  resolve(id: number, by: string, resolution: string, at: number): void {
    prepared(this.db, 'UPDATE alarm SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL').run(
      at,
      by,
      resolution,
      id,
    );
  }
}
