import type { Device, DeviceDetail, DeviceStatus, KeeperSpell, PersonRef } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

interface DeviceRow {
  id: number;
  serial: string;
  model: string | null;
  status: DeviceStatus;
  status_reason: string | null;
  keeper_id: number | null;
  keeper_badge: string | null;
  keeper_name: string | null;
  note: string | null;
  created_at: number;
  updated_at: number;
}

const SELECT = `SELECT d.*, p.badge AS keeper_badge, p.name AS keeper_name
                FROM device d LEFT JOIN person p ON p.id = d.keeper_id`;

function toDevice(r: DeviceRow): Device {
  const keeper: PersonRef | null =
    r.keeper_id === null ? null : { id: r.keeper_id, badge: r.keeper_badge!, name: r.keeper_name! };
  return {
    id: r.id,
    serial: r.serial,
    model: r.model,
    status: r.status,
    statusReason: r.status_reason,
    keeper,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The camera registry (第六条): every camera, its fixed keeper and the history of keepers. */
export class DeviceRepository {
  constructor(private readonly db: Db) {}

  find(id: number): Device | undefined {
    const r = prepared<[number], DeviceRow>(this.db, `${SELECT} WHERE d.id = ?`).get(id);
    return r && toDevice(r);
  }

  findBySerial(serial: string): Device | undefined {
    const r = prepared<[string], DeviceRow>(this.db, `${SELECT} WHERE d.serial = ?`).get(serial);
    return r && toDevice(r);
  }

  require(id: number): Device {
    const d = this.find(id);
    if (!d) throw new StationError('not_found', `没有编号为 ${id} 的执法记录仪。 / No camera with id ${id}.`, { id });
    return d;
  }

  detail(id: number): DeviceDetail {
    const device = this.require(id);
    const spells = prepared<
      [number],
      { keeper_id: number | null; badge: string | null; name: string | null; from_at: number; to_at: number | null; assigned_by: string }
    >(
      this.db,
      `SELECT s.keeper_id, p.badge, p.name, s.from_at, s.to_at, s.assigned_by
       FROM device_keeper_spell s LEFT JOIN person p ON p.id = s.keeper_id
       WHERE s.device_id = ? ORDER BY s.from_at DESC, s.id DESC`,
    ).all(id);
    const keeperHistory: KeeperSpell[] = spells.map((s) => ({
      keeper: s.keeper_id === null ? null : { id: s.keeper_id, badge: s.badge!, name: s.name! },
      from: s.from_at,
      to: s.to_at,
      assignedBy: s.assigned_by,
    }));
    return { ...device, keeperHistory };
  }

  list(options: { query?: string; status?: DeviceStatus }): Device[] {
    const q = options.query?.trim() ? `%${options.query.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
    return prepared<[string | null, string | null, string | null, string | null, string | null, string | null], DeviceRow>(
      this.db,
      `${SELECT}
       WHERE (? IS NULL OR d.status = ?)
         AND (? IS NULL OR d.serial LIKE ? ESCAPE '\\' OR d.model LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')
       ORDER BY d.serial LIMIT 2000`,
    )
      .all(options.status ?? null, options.status ?? null, q, q, q, q)
      .map(toDevice);
  }

  insert(d: { serial: string; model: string | null; note: string | null; at: number }): number {
    if (this.findBySerial(d.serial)) {
      throw new StationError('conflict', `产品序号 ${d.serial} 已登记。 / Serial ${d.serial} is already registered.`, {
        field: 'serial',
      });
    }
    const info = prepared(
      this.db,
      `INSERT INTO device (serial, model, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    ).run(d.serial, d.model, d.note, d.at, d.at);
    return Number(info.lastInsertRowid);
  }

  update(id: number, fields: { model: string | null; note: string | null }, at: number): void {
    prepared(this.db, 'UPDATE device SET model = ?, note = ?, updated_at = ? WHERE id = ?').run(
      fields.model,
      fields.note,
      at,
      id,
    );
  }

  setStatus(id: number, status: DeviceStatus, reason: string, at: number): void {
    prepared(this.db, 'UPDATE device SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?').run(
      status,
      reason,
      at,
      id,
    );
  }

  /** Closes the open keeper spell and opens a new one (also for "no keeper"). */
  setKeeper(id: number, keeperId: number | null, at: number, assignedBy: string): void {
    prepared(this.db, 'UPDATE device_keeper_spell SET to_at = ? WHERE device_id = ? AND to_at IS NULL').run(at, id);
    prepared(this.db, 'UPDATE device SET keeper_id = ?, updated_at = ? WHERE id = ?').run(keeperId, at, id);
    prepared(
      this.db,
      'INSERT INTO device_keeper_spell (device_id, keeper_id, from_at, assigned_by) VALUES (?, ?, ?, ?)',
    ).run(id, keeperId, at, assignedBy);
  }
}
