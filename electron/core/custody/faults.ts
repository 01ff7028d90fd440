// 第六条: each camera is kept and maintained; a fault found on it is reported,
// the camera taken out of service while it is open, maintenance logged, and
// the fault closed when it is fixed. A camera with an open fault is never
// checked out (the pre-shift check "fault" cannot be overridden).
import type { Fault, MaintenanceEntry } from '../../../shared/custody.js';
import type { DeviceStatus } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Actor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer, WriteTx } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';

interface FaultRow {
  id: number;
  device_id: number;
  serial: string;
  description: string;
  checkout_id: number | null;
  reported_at: number;
  reported_by: string;
  closed_at: number | null;
  closed_by: string | null;
  resolution: string | null;
}

interface MaintenanceRow {
  id: number;
  device_id: number;
  serial: string;
  fault_id: number | null;
  description: string;
  at: number;
  by_label: string;
}

const SELECT = 'SELECT f.*, d.serial FROM fault f JOIN device d ON d.id = f.device_id';
const SELECT_MAINTENANCE = 'SELECT m.*, d.serial FROM maintenance m JOIN device d ON d.id = m.device_id';

const toMaintenance = (r: MaintenanceRow): MaintenanceEntry => ({
  id: r.id,
  deviceId: r.device_id,
  serial: r.serial,
  faultId: r.fault_id,
  description: r.description,
  at: r.at,
  by: r.by_label,
});

export class FaultRepository {
  constructor(private readonly db: Db) {}

  insert(f: { deviceId: number; description: string; checkoutId: number | null; at: number; by: string; byId: number | null }): number {
    const info = prepared(
      this.db,
      'INSERT INTO fault (device_id, description, checkout_id, reported_at, reported_by, reported_by_id) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(f.deviceId, f.description, f.checkoutId, f.at, f.by, f.byId);
    return Number(info.lastInsertRowid);
  }

  /** The camera a checkout took, to tie a fault to it. */
  checkoutDevice(checkoutId: number): number | undefined {
    return prepared<[number], { device_id: number }>(this.db, 'SELECT device_id FROM checkout WHERE id = ?').get(checkoutId)?.device_id;
  }

  close(id: number, c: { at: number; by: string; byId: number | null; resolution: string }): void {
    prepared(this.db, 'UPDATE fault SET closed_at = ?, closed_by = ?, closed_by_id = ?, resolution = ? WHERE id = ?').run(
      c.at,
      c.by,
      c.byId,
      c.resolution,
      id,
    );
  }

  addMaintenance(m: { deviceId: number; faultId: number | null; description: string; at: number; by: string; byId: number | null }): number {
    const info = prepared(
      this.db,
      'INSERT INTO maintenance (device_id, fault_id, description, at, by_label, by_id) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(m.deviceId, m.faultId, m.description, m.at, m.by, m.byId);
    return Number(info.lastInsertRowid);
  }

  maintenance(id: number): MaintenanceEntry {
    return toMaintenance(prepared<[number], MaintenanceRow>(this.db, `${SELECT_MAINTENANCE} WHERE m.id = ?`).get(id)!);
  }

  private maintenanceOf(faultId: number): MaintenanceEntry[] {
    return prepared<[number], MaintenanceRow>(this.db, `${SELECT_MAINTENANCE} WHERE m.fault_id = ? ORDER BY m.at, m.id`).all(faultId).map(toMaintenance);
  }

  /**
   * Maintenance logged outside any fault (routine care, 第六条 保管和养护),
   * newest first, paged by id like the other lists. One statement per case
   * rather than "(? IS NULL OR device_id = ?)", which would keep SQLite from
   * the partial index maintenance_routine (migrations/0040) for one camera;
   * across cameras the table is walked backwards by id, skipping the
   * fault-linked rows.
   */
  routineMaintenance(f: { deviceId?: number | undefined; beforeId?: number | undefined; limit?: number | undefined }): MaintenanceEntry[] {
    const beforeId = f.beforeId ?? Number.MAX_SAFE_INTEGER;
    const limit = f.limit ?? 100;
    const rows =
      f.deviceId === undefined
        ? prepared<[number, number], MaintenanceRow>(
            this.db,
            `${SELECT_MAINTENANCE} WHERE m.fault_id IS NULL AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
          ).all(beforeId, limit)
        : prepared<[number, number, number], MaintenanceRow>(
            this.db,
            `${SELECT_MAINTENANCE} WHERE m.device_id = ? AND m.fault_id IS NULL AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
          ).all(f.deviceId, beforeId, limit);
    return rows.map(toMaintenance);
  }

  private toFault(r: FaultRow): Fault {
    return {
      id: r.id,
      device: { id: r.device_id, serial: r.serial },
      description: r.description,
      reportedAt: r.reported_at,
      reportedBy: r.reported_by,
      checkoutId: r.checkout_id,
      closedAt: r.closed_at,
      closedBy: r.closed_by,
      resolution: r.resolution,
      maintenance: this.maintenanceOf(r.id),
    };
  }

  find(id: number): Fault | undefined {
    const r = prepared<[number], FaultRow>(this.db, `${SELECT} WHERE f.id = ?`).get(id);
    return r && this.toFault(r);
  }

  require(id: number): Fault {
    const f = this.find(id);
    if (!f) throw new StationError('not_found', `没有编号为 ${id} 的故障记录。 / No fault with id ${id}.`, { id });
    return f;
  }

  /** The camera's open faults, oldest first. */
  openOf(deviceId: number): Array<{ id: number; description: string; reported_at: number }> {
    return prepared<[number], { id: number; description: string; reported_at: number }>(
      this.db,
      'SELECT id, description, reported_at FROM fault WHERE device_id = ? AND closed_at IS NULL ORDER BY reported_at, id',
    ).all(deviceId);
  }

  list(f: { deviceId?: number | undefined; open?: boolean | undefined; beforeId?: number | undefined; limit?: number | undefined }): Fault[] {
    const open = f.open === undefined ? null : f.open ? 1 : 0;
    return prepared<[number | null, number | null, number | null, number | null, number, number], FaultRow>(
      this.db,
      `${SELECT} WHERE (? IS NULL OR f.device_id = ?) AND (? IS NULL OR (f.closed_at IS NULL) = ?) AND f.id < ?
       ORDER BY f.id DESC LIMIT ?`,
    )
      .all(f.deviceId ?? null, f.deviceId ?? null, open, open, f.beforeId ?? Number.MAX_SAFE_INTEGER, f.limit ?? 100)
      .map((r) => this.toFault(r));
  }
}

export class FaultService {
  constructor(
    private readonly faults: FaultRepository,
    private readonly devices: DeviceRepository,
    private readonly writer: Writer,
  ) {}

  /**
   * The same status change devices.setStatus makes, inside the caller's
   * transaction, audited with the same action so the camera's history reads
   * as one story whichever screen changed it.
   */
  private setDeviceStatus(tx: WriteTx, deviceId: number, status: DeviceStatus, reason: string): void {
    const before = this.devices.require(deviceId);
    if (before.status === status) return;
    this.devices.setStatus(deviceId, status, reason, tx.at);
    tx.audit({
      action: 'device.status_changed',
      objectType: 'device',
      objectId: deviceId,
      before: { serial: before.serial, status: before.status, statusReason: before.statusReason },
      after: { serial: before.serial, status, statusReason: reason },
    });
    tx.emit('devices.changed', { id: deviceId });
  }

  /** Opens a fault inside an existing transaction (a return with damage noted uses this too). */
  openIn(tx: WriteTx, input: { deviceId: number; description: string; outOfService: boolean; checkoutId: number | null }): number {
    const device = this.devices.require(input.deviceId);
    if (device.status === 'retired') {
      throw new StationError('invalid_state', '该执法记录仪已报废。 / This camera is retired.', { field: 'deviceId' });
    }
    if (input.checkoutId !== null) {
      const took = this.faults.checkoutDevice(input.checkoutId);
      if (took === undefined) throw new StationError('not_found', `没有编号为 ${input.checkoutId} 的领用记录。 / No checkout with id ${input.checkoutId}.`, { field: 'checkoutId' });
      if (took !== input.deviceId) {
        throw new StationError('invalid_state', '该领用记录领用的是另一台执法记录仪。 / That checkout took another camera.', { field: 'checkoutId' });
      }
    }
    const id = this.faults.insert({
      deviceId: input.deviceId,
      description: input.description,
      checkoutId: input.checkoutId,
      at: tx.at,
      by: tx.actor.label,
      byId: tx.actor.kind === 'person' ? tx.actor.id : null,
    });
    tx.audit({
      action: 'fault.reported',
      objectType: 'fault',
      objectId: id,
      after: { deviceId: input.deviceId, serial: device.serial, description: input.description, checkoutId: input.checkoutId, outOfService: input.outOfService },
    });
    if (input.outOfService) this.setDeviceStatus(tx, input.deviceId, 'out_of_service', input.description);
    tx.emit('faults.changed', { faultId: id, deviceId: input.deviceId });
    return id;
  }

  report(actor: Actor, input: { deviceId: number; description: string; outOfService: boolean; checkoutId?: number | undefined }): Fault {
    const id = this.writer.run(actor, (tx) => this.openIn(tx, { ...input, checkoutId: input.checkoutId ?? null }));
    return this.faults.require(id);
  }

  logMaintenance(actor: Actor, input: { deviceId: number; faultId?: number | undefined; description: string }): MaintenanceEntry {
    const id = this.writer.run(actor, (tx) => {
      const device = this.devices.require(input.deviceId);
      if (input.faultId !== undefined) {
        const fault = this.faults.require(input.faultId);
        if (fault.device.id !== input.deviceId) {
          throw new StationError('invalid_state', '该故障不属于这台执法记录仪。 / That fault belongs to another camera.', { field: 'faultId' });
        }
        if (fault.closedAt !== null) {
          throw new StationError('invalid_state', '该故障已关闭。 / That fault is already closed.', { field: 'faultId' });
        }
      }
      const id = this.faults.addMaintenance({
        deviceId: input.deviceId,
        faultId: input.faultId ?? null,
        description: input.description,
        at: tx.at,
        by: actor.label,
        byId: actor.kind === 'person' ? actor.id : null,
      });
      tx.audit({
        action: 'maintenance.logged',
        objectType: 'device',
        objectId: input.deviceId,
        after: { serial: device.serial, faultId: input.faultId ?? null, description: input.description },
      });
      tx.emit('faults.changed', { faultId: input.faultId ?? null, deviceId: input.deviceId });
      return id;
    });
    return this.faults.maintenance(id);
  }

  /** Closes the fault; with returnToService, the camera goes back into service once no other fault is open. */
  close(actor: Actor, input: { id: number; resolution: string; returnToService: boolean }): Fault {
    this.writer.run(actor, (tx) => {
      const fault = this.faults.require(input.id);
      if (fault.closedAt !== null) throw new StationError('invalid_state', '该故障已关闭。 / That fault is already closed.');
      const others = this.faults.openOf(fault.device.id).filter((f) => f.id !== fault.id);
      if (input.returnToService && others.length > 0) {
        throw new StationError(
          'invalid_state',
          `这台执法记录仪还有 ${others.length} 个未关闭的故障，不能恢复使用。 / The camera has ${others.length} other open fault(s); it cannot return to service yet.`,
          { openFaults: others.map((f) => f.id) },
        );
      }
      const device = this.devices.require(fault.device.id);
      if (input.returnToService && device.status === 'retired') {
        throw new StationError('invalid_state', '该执法记录仪已报废，不能恢复使用。 / This camera is retired and cannot return to service.');
      }
      this.faults.close(input.id, { at: tx.at, by: actor.label, byId: actor.kind === 'person' ? actor.id : null, resolution: input.resolution });
      tx.audit({
        action: 'fault.closed',
        objectType: 'fault',
        objectId: input.id,
        before: { description: fault.description },
        after: { resolution: input.resolution, returnToService: input.returnToService },
      });
      if (input.returnToService) this.setDeviceStatus(tx, device.id, 'in_service', input.resolution);
      tx.emit('faults.changed', { faultId: input.id, deviceId: device.id });
    });
    return this.faults.require(input.id);
  }
}
