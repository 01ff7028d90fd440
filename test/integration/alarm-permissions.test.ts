// Who may resolve an alarm by hand (shared/ingest.ts alarmResolvePermission): the dock's own
// alarms whoever runs the dock, the tamper and left-behind alarms only 综合处; always with a
// reason. A custodian could close the alarm about files altered in the vault, although its own
// text says they are for 综合处.
import { describe, expect, it } from 'vitest';
import { alarmKinds, alarmResolvePermission } from '../../shared/ingest.js';
import { permissionsOf } from '../../shared/roles.js';
import { undoAfterEach } from '../support/cleanup.js';
import { code, custodyStation } from './custody-support.js';

const cleanup = undoAfterEach();

describe('resolving alarms', () => {
  it('the tamper alarm is 综合处\'s; the dock\'s own alarms are the custodian\'s; a reason is required', async () => {
    const t = await custodyStation();
    cleanup(t.close);
    const raise = (kind: string) =>
      Number(
        t.station.db
          .prepare("INSERT INTO alarm (kind, serial, details_json, raised_at) VALUES (?, 'DSJ-T1', '{}', ?)")
          .run(kind, t.clock.now()).lastInsertRowid,
      );
    const altered = raise('verify_failure');
    const lowSpace = raise('vault_low_space');

    const refused = await t.custodian.client.call('alarms.resolve', { id: altered, resolution: '已核实' });
    expect(code(refused)).toBe('forbidden');
    expect(!refused.ok && refused.error.message).toMatch(/综合处.* \/ .*general office/);
    expect(code(await t.office.client.call('alarms.resolve', { id: altered, resolution: '' }))).toBe('invalid_input');
    expect(await t.office.client.ok('alarms.resolve', { id: altered, resolution: '已比对原始记录仪，确认系磁盘故障所致' })).toMatchObject({ resolvedBy: expect.stringContaining('王综合') });
    expect(await t.custodian.client.ok('alarms.resolve', { id: lowSpace, resolution: '已更换证据库磁盘' })).toMatchObject({ resolution: '已更换证据库磁盘' });
  });

  it('every kind has its permission, held by 综合处, and the custodian holds exactly the dock\'s own', () => {
    const office = permissionsOf(['general_office']);
    const custodian = permissionsOf(['custodian']);
    for (const kind of alarmKinds) expect(office.has(alarmResolvePermission[kind]), kind).toBe(true);
    expect(alarmKinds.filter((k) => !custodian.has(alarmResolvePermission[k]))).toEqual(['verify_failure', 'footage_unreadable', 'files_exposed']);
  });
});
