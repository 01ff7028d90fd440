import type { DeviceDetail, DeviceStatus } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Actor } from '../audit/actor.js';
import type { Writer } from '../db/writer.js';
import type { PeopleRepository } from '../people/repository.js';
import type { DeviceRepository } from './repository.js';

const snapshot = (d: DeviceDetail) => ({
  serial: d.serial,
  model: d.model,
  status: d.status,
  statusReason: d.statusReason,
  keeper: d.keeper && { id: d.keeper.id, badge: d.keeper.badge },
  note: d.note,
});

/** Which status changes are allowed: retirement is final. */
export function canChangeStatus(from: DeviceStatus, to: DeviceStatus): boolean {
  if (from === to || from === 'retired') return false;
  return true;
}

export class DeviceService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly people: PeopleRepository,
    private readonly writer: Writer,
  ) {}

  private requireKeeper(keeperId: number): void {
    const row = this.people.require(keeperId);
    if (row.active !== 1) {
      throw new StationError(
        'invalid_state',
        `${row.name}（${row.badge}）已停用，不能作为定人保管人。 / ${row.name} (${row.badge}) is deactivated and cannot be the keeper.`,
        { field: 'keeperId' },
      );
    }
  }

  register(
    actor: Actor,
    input: { serial: string; model?: string | undefined; keeperId?: number | undefined; note?: string | undefined },
  ): DeviceDetail {
    return this.writer.run(actor, (tx) => {
      if (input.keeperId !== undefined) this.requireKeeper(input.keeperId);
      const id = this.devices.insert({
        serial: input.serial,
        model: input.model?.trim() || null,
        note: input.note?.trim() || null,
        at: tx.at,
      });
      if (input.keeperId !== undefined) this.devices.setKeeper(id, input.keeperId, tx.at, actor.label);
      const after = this.devices.detail(id);
      tx.audit({ action: 'device.registered', objectType: 'device', objectId: id, after: snapshot(after) });
      tx.emit('devices.changed', { id });
      return after;
    });
  }

  update(
    actor: Actor,
    input: { id: number; model?: string | undefined; keeperId?: number | null | undefined; note?: string | undefined },
  ): DeviceDetail {
    return this.writer.run(actor, (tx) => {
      const before = this.devices.detail(input.id);
      if (before.status === 'retired') {
        throw new StationError('invalid_state', '该执法记录仪已报废，不能再修改。 / This camera is retired and can no longer be changed.');
      }
      this.devices.update(
        input.id,
        {
          model: input.model === undefined ? before.model : input.model.trim() || null,
          note: input.note === undefined ? before.note : input.note.trim() || null,
        },
        tx.at,
      );
      const keeperChanges = input.keeperId !== undefined && input.keeperId !== (before.keeper?.id ?? null);
      if (keeperChanges) {
        if (input.keeperId !== null) this.requireKeeper(input.keeperId!);
        this.devices.setKeeper(input.id, input.keeperId!, tx.at, actor.label);
      }
      const after = this.devices.detail(input.id);
      tx.audit({
        action: keeperChanges ? 'device.keeper_changed' : 'device.updated',
        objectType: 'device',
        objectId: input.id,
        before: snapshot(before),
        after: snapshot(after),
      });
      tx.emit('devices.changed', { id: input.id });
      return after;
    });
  }

  setStatus(actor: Actor, input: { id: number; status: DeviceStatus; reason: string }): DeviceDetail {
    return this.writer.run(actor, (tx) => {
      const before = this.devices.detail(input.id);
      if (!canChangeStatus(before.status, input.status)) {
        throw new StationError(
          'invalid_state',
          before.status === 'retired'
            ? '该执法记录仪已报废，状态不能再改变。 / This camera is retired; its status cannot change again.'
            : '该执法记录仪已处于此状态。 / The camera is already in that status.',
          { from: before.status, to: input.status },
        );
      }
      this.devices.setStatus(input.id, input.status, input.reason, tx.at);
      const after = this.devices.detail(input.id);
      tx.audit({ action: 'device.status_changed', objectType: 'device', objectId: input.id, before: snapshot(before), after: snapshot(after) });
      tx.emit('devices.changed', { id: input.id });
      return after;
    });
  }
}
