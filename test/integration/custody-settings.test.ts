// The custody settings and the routine-maintenance log on a real station
// (real SQLite, real connections): settings kept across a restart, audited,
// refused to those without custody.configure and to out-of-range values, a
// stored value from an older station (no alarmSound) read field by field; the
// faults.maintenance list (第六条 保管和养护) refused to an officer, across
// cameras or for one, newest first, paged by id, served from its index.
import { describe, expect, it } from 'vitest';
import { osActor } from '../../electron/core/audit/actor.js';
import { DEFAULT_CUSTODY_SETTINGS } from '../../electron/core/custody/settings.js';
import { createStation } from '../../electron/core/station.js';
import { custodySettingsSchema } from '../../shared/contract.js';
import type { MaintenanceEntry } from '../../shared/custody.js';
import { GIB, LIMITS, changesOf, toForm } from '../../renderer/features/settings/rules.js';
import { ADMIN, Client, tempDir } from '../support/station.js';
import type { CustodyStation } from './custody-support.js';
import { code, custodyStations } from './custody-support.js';

const GiB = 1024 ** 3;
const { station, closeAfter } = custodyStations();

interface AuditRow {
  actor_label: string;
  object_type: string;
  before_json: string | null;
  after_json: string | null;
}
const settingsAudit = (t: CustodyStation) =>
  t.station.db
    .prepare<[], AuditRow>("SELECT * FROM audit WHERE action = 'custody.settings_changed' ORDER BY seq")
    .all()
    .map((r) => ({ actor: r.actor_label, type: r.object_type, before: JSON.parse(r.before_json!), after: JSON.parse(r.after_json!) }));

describe('custody settings', () => {
  it('start from the defaults, alarm tone off, a 20 GiB vault reserve unless the config says otherwise', async () => {
    // A station as the app opens it.
    const dataDir = tempDir('station-settings-');
    const plain = createStation({ dataDir, scryptCost: 1024 });
    closeAfter(() => plain.close());
    const admin = new Client(plain.connect({ kind: 'ui' }));
    await admin.ok('station.setup', ADMIN);
    expect(await admin.ok('custody.settings', {})).toEqual({
      batteryMinPercent: 60,
      freeSpaceMinBytes: 4 * GiB,
      clockToleranceSeconds: 60,
      offloadCutoff: '23:59',
      officerMayHoldTwo: false,
      alarmSound: false,
      vaultReserveBytes: 20 * GiB,
    });
    // The tests' stations keep no reserve (their alarms must not depend on the machine's disk).
    const t = await station();
    expect(await t.custodian.client.ok('custody.settings', {})).toEqual({ ...DEFAULT_CUSTODY_SETTINGS, vaultReserveBytes: 0 });
  });

  it('are changed by 综合处 field by field, audited with before and after, and kept across a restart', async () => {
    const t = await station();
    const initial = await t.office.client.ok('custody.settings', {});
    const changed = await t.office.client.ok('custody.updateSettings', { offloadCutoff: '18:30', batteryMinPercent: 75, alarmSound: true });
    expect(changed).toEqual({ ...initial, offloadCutoff: '18:30', batteryMinPercent: 75, alarmSound: true });
    // Only the fields given change.
    const again = await t.admin.ok('custody.updateSettings', { freeSpaceMinBytes: 8 * GiB, vaultReserveBytes: 500 * GiB });
    expect(again).toEqual({ ...changed, freeSpaceMinBytes: 8 * GiB, vaultReserveBytes: 500 * GiB });

    const audit = settingsAudit(t);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: expect.stringContaining('王综合'), type: 'settings', before: { alarmSound: false, offloadCutoff: '23:59' } });
    expect(audit[0]!.after).toEqual(changed);
    expect(audit[1]).toMatchObject({ before: changed, after: again });

    const dataDir = t.dataDir;
    await t.close();
    const reopened = createStation({ dataDir, scryptCost: 1024 });
    closeAfter(() => reopened.close());
    const cli = new Client(reopened.connect({ kind: 'os', actor: osActor('tester') }));
    expect(await cli.ok('custody.settings', {})).toEqual(again);
  });

  it('are refused to a custodian and an officer, who change nothing', async () => {
    const t = await station();
    expect(code(await t.custodian.client.call('custody.updateSettings', { alarmSound: true }))).toBe('forbidden');
    expect(code(await t.officer.client.call('custody.updateSettings', { alarmSound: true }))).toBe('forbidden');
    // An officer does not even read them (custody.view).
    expect(code(await t.officer.client.call('custody.settings', {}))).toBe('forbidden');
    expect((await t.custodian.client.ok('custody.settings', {})).alarmSound).toBe(false);
    expect(settingsAudit(t)).toEqual([]);
  });

  it('refuse values out of range, naming the field, and keep the old ones', async () => {
    const t = await station();
    const initial = await t.office.client.ok('custody.settings', {});
    const bad: Array<[string, Record<string, unknown>]> = [
      ['batteryMinPercent', { batteryMinPercent: 101 }],
      ['batteryMinPercent', { batteryMinPercent: 50.5 }],
      ['freeSpaceMinBytes', { freeSpaceMinBytes: -1 }],
      ['clockToleranceSeconds', { clockToleranceSeconds: 0 }],
      ['offloadCutoff', { offloadCutoff: '24:00' }],
      ['offloadCutoff', { offloadCutoff: '7:30' }],
      ['alarmSound', { alarmSound: 'yes' }],
      ['vaultReserveBytes', { vaultReserveBytes: -1 }],
      ['vaultReserveBytes', { vaultReserveBytes: 2 ** 44 + 1 }],
    ];
    for (const [field, input] of bad) {
      const r = await t.office.client.connection.invoke('custody.updateSettings', input);
      expect({ field, code: code(r) }).toEqual({ field, code: 'invalid_input' });
      if (!r.ok) expect((r.error.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toContain(field);
    }
    expect(await t.office.client.ok('custody.settings', {})).toEqual(initial);
    expect(settingsAudit(t)).toEqual([]);
  });

  it('read a value stored by an older station (no alarmSound, no vault reserve) field by field: the new fields take their defaults', async () => {
    const t = await station();
    // What a station before the alarm tone wrote: every field it knew, one of them since edited by hand out of range.
    t.station.db
      .prepare("INSERT INTO station_setting (key, value) VALUES ('custody', ?)")
      .run(JSON.stringify({ batteryMinPercent: 70, freeSpaceMinBytes: 2 * GiB, clockToleranceSeconds: 900_000, offloadCutoff: '20:00', officerMayHoldTwo: true }));
    expect(await t.custodian.client.ok('custody.settings', {})).toEqual({
      batteryMinPercent: 70,
      freeSpaceMinBytes: 2 * GiB,
      clockToleranceSeconds: 60,
      offloadCutoff: '20:00',
      officerMayHoldTwo: true,
      alarmSound: false,
      vaultReserveBytes: 0, // this station's default: the tests' stations keep no reserve
    });
    // Turning the tone on writes the whole value back, the old fields kept.
    expect(await t.office.client.ok('custody.updateSettings', { alarmSound: true })).toMatchObject({ batteryMinPercent: 70, offloadCutoff: '20:00', alarmSound: true });
    const stored = t.station.db.prepare<[], { value: string }>("SELECT value FROM station_setting WHERE key = 'custody'").get()!;
    expect(JSON.parse(stored.value)).toMatchObject({ alarmSound: true, batteryMinPercent: 70, clockToleranceSeconds: 60 });
  });
});

describe("the settings form's bounds", () => {
  // The form checks before it sends; these are the schema's own bounds, or the form would refuse what the core takes (or the reverse).
  const shape = custodySettingsSchema.shape;
  it.each([
    ['batteryMinPercent', LIMITS.batteryMinPercent.min, LIMITS.batteryMinPercent.max],
    ['clockToleranceSeconds', LIMITS.clockToleranceSeconds.min, LIMITS.clockToleranceSeconds.max],
    ['freeSpaceMinBytes', LIMITS.freeSpaceMinGiB.min * GIB, LIMITS.freeSpaceMinGiB.max * GIB],
    ['vaultReserveBytes', LIMITS.vaultReserveGiB.min * GIB, LIMITS.vaultReserveGiB.max * GIB],
  ] as const)('%s: the form takes exactly what the schema takes', (field, min, max) => {
    expect(shape[field].safeParse(min).success).toBe(true);
    expect(shape[field].safeParse(max).success).toBe(true);
    expect(shape[field].safeParse(min - 1).success).toBe(false);
    expect(shape[field].safeParse(max + 1).success).toBe(false);
  });

  it('sends only the changed fields, free space in bytes, and names those out of bounds', () => {
    const loaded = toForm(DEFAULT_CUSTODY_SETTINGS);
    expect(loaded.freeSpaceMinGiB).toBe('4');
    expect(loaded.vaultReserveGiB).toBe('20');
    expect(changesOf({ ...loaded, freeSpaceMinGiB: '2.5', offloadCutoff: '18:00', alarmSound: true, vaultReserveGiB: '500' }, loaded)).toEqual({
      changes: { freeSpaceMinBytes: 2.5 * GiB, offloadCutoff: '18:00', alarmSound: true, vaultReserveBytes: 500 * GiB },
      invalid: [],
    });
    const wrong = changesOf(
      { ...loaded, batteryMinPercent: '101', freeSpaceMinGiB: '16385', clockToleranceSeconds: '0', offloadCutoff: '', vaultReserveGiB: '-1' },
      loaded,
    );
    expect(wrong.invalid).toEqual(['batteryMinPercent', 'freeSpaceMinBytes', 'clockToleranceSeconds', 'vaultReserveBytes', 'offloadCutoff']);
    // A time typed loosely is sent as the core writes it; one that is not a time of day is named.
    expect(changesOf({ ...loaded, offloadCutoff: '7：30' }, loaded).changes).toEqual({ offloadCutoff: '07:30' });
    expect(changesOf({ ...loaded, offloadCutoff: '24:00' }, loaded).invalid).toEqual(['offloadCutoff']);
    expect(changesOf({ ...loaded, offloadCutoff: ' 23:59 ' }, loaded)).toEqual({ changes: {}, invalid: [] });
    // What the form accepts, the schema accepts.
    const edge = changesOf(
      { ...loaded, batteryMinPercent: '100', freeSpaceMinGiB: '16384', clockToleranceSeconds: '86400', offloadCutoff: '00:00', vaultReserveGiB: '16384' },
      loaded,
    );
    expect(edge.invalid).toEqual([]);
    expect(custodySettingsSchema.partial().safeParse(edge.changes).success).toBe(true);
  });
});

describe('routine maintenance (第六条 保管和养护)', () => {
  it('is refused to an officer and listed for custody.view across cameras, newest first, without fault repairs', async () => {
    const t = await station();
    const a = await t.admin.ok('devices.register', { serial: 'DSJ-M1' });
    const b = await t.admin.ok('devices.register', { serial: 'DSJ-M2' });
    const fault = await t.custodian.client.ok('faults.report', { deviceId: a.id, description: '按键失灵', outOfService: false });
    const logged: MaintenanceEntry[] = [];
    for (const [device, description] of [
      [a, '清洁镜头'],
      [b, '充放电保养'],
      [a, '更换腕带'],
    ] as const) {
      logged.push(await t.custodian.client.ok('faults.logMaintenance', { deviceId: device.id, description }));
      t.clock.advance(60_000);
    }
    // A repair against the fault is the fault's, not routine care.
    await t.custodian.client.ok('faults.logMaintenance', { deviceId: a.id, faultId: fault.id, description: '更换按键' });

    expect(code(await t.officer.client.call('faults.maintenance', {}))).toBe('forbidden');
    const all = await t.head.client.ok('faults.maintenance', {});
    expect(all.map((m) => m.description)).toEqual(['更换腕带', '充放电保养', '清洁镜头']);
    expect(all[0]).toEqual({ ...logged[2], serial: 'DSJ-M1', faultId: null, by: expect.stringContaining('李保管') });
    expect(all.map((m) => m.serial)).toEqual(['DSJ-M1', 'DSJ-M2', 'DSJ-M1']);
    expect(all[0]!.at).toBeGreaterThan(all[2]!.at);

    const ofA = await t.custodian.client.ok('faults.maintenance', { deviceId: a.id });
    expect(ofA.map((m) => m.description)).toEqual(['更换腕带', '清洁镜头']);
    expect(await t.custodian.client.ok('faults.maintenance', { deviceId: 999 })).toEqual([]);
    // The fault still carries its own repair.
    expect((await t.custodian.client.ok('faults.list', { deviceId: a.id }))[0]!.maintenance.map((m) => m.description)).toEqual(['更换按键']);
  });

  it('pages by id, across cameras and for one camera', async () => {
    const t = await station();
    const a = await t.admin.ok('devices.register', { serial: 'DSJ-P1' });
    const b = await t.admin.ok('devices.register', { serial: 'DSJ-P2' });
    for (let i = 1; i <= 7; i++) {
      await t.custodian.client.ok('faults.logMaintenance', { deviceId: i % 2 ? a.id : b.id, description: `例行保养 ${i}` });
    }
    const pages = async (input: { deviceId?: number }) => {
      const out: string[][] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await t.custodian.client.ok('faults.maintenance', { ...input, limit: 3, ...(beforeId ? { beforeId } : {}) });
        if (page.length === 0) return out;
        out.push(page.map((m) => m.description));
        beforeId = page.at(-1)!.id;
      }
    };
    expect(await pages({})).toEqual([
      ['例行保养 7', '例行保养 6', '例行保养 5'],
      ['例行保养 4', '例行保养 3', '例行保养 2'],
      ['例行保养 1'],
    ]);
    expect(await pages({ deviceId: a.id })).toEqual([['例行保养 7', '例行保养 5', '例行保养 3'], ['例行保养 1']]);
    expect(code(await t.custodian.client.call('faults.maintenance', { limit: 0 }))).toBe('invalid_input');
  });

  it("reads one camera's routine care from its partial index, in order, without a sort", async () => {
    const t = await station();
    const plan = (sql: string) =>
      t.station.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(1, 100, 50)
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    const oneCamera = plan(
      'SELECT m.*, d.serial FROM maintenance m JOIN device d ON d.id = m.device_id WHERE m.device_id = ? AND m.fault_id IS NULL AND m.id < ? ORDER BY m.id DESC LIMIT ?',
    );
    expect(oneCamera).toMatch(/USING INDEX maintenance_routine/);
    expect(oneCamera).not.toMatch(/TEMP B-TREE/);
  });
});
