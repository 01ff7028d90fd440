// Checkout (领用) on a real station: pre-shift checks read from a real dock of
// an emulated camera, overrides by 综合处, one checkout per camera, the
// two-camera setting, declared exceptions and overdue checkouts as the clock moves.
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import { ANNOUNCEMENT } from '../../shared/custody.js';
import { T0 } from '../support/station.js';
import type { CustodyStation } from './custody-support.js';
import { code, custodyStations, shanghai } from './custody-support.js';

const H = 3600_000;
const GiB = 1024 ** 3;
const { station } = custodyStations();

/** A camera kept by `keeperId`, docked once at the station's clock so its last dock has readings. */
async function dockedCamera(t: CustodyStation, serial: string, keeperId: number, dock: { battery?: number; clockOffsetSeconds?: number } = {}) {
  const device = await t.admin.ok('devices.register', { serial, model: 'DSJ-V8', keeperId });
  const docked = await t.dock({ serial, ...dock });
  expect(docked.summary.state).toBe('done');
  return { device, ...docked };
}

const actions = (t: CustodyStation) => t.station.db.prepare<[], { action: string }>('SELECT action FROM audit ORDER BY seq').all().map((r) => r.action);

describe('checkout with pre-shift checks (第七条)', () => {
  it("proposes the officer's own camera and checks it out with every check passing, read from its last dock", async () => {
    const t = await station();
    const { device, dockSessionId, manifest } = await dockedCamera(t, 'DSJ-A1', t.officer.person.id);
    const events: EventName[] = [];
    t.custodian.client.connection.onEvent((e) => events.push(e));

    const proposal = await t.custodian.client.ok('custody.propose', { badge: '100001' });
    expect(proposal.officer).toMatchObject({ id: t.officer.person.id, name: '张执法' });
    expect(proposal.proposed).toMatchObject({ because: 'own_camera', device: { id: device.id, serial: 'DSJ-A1' } });
    expect(proposal.mayTakeAnother).toBe(true);
    const checks = Object.fromEntries(proposal.proposed!.checks.map((c) => [c.check, c]));
    expect(Object.values(checks).map((c) => c.result)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    // The values are the camera's own, read at its dock.
    expect(checks.battery).toMatchObject({ value: manifest.status.batteryPercent, limit: 60, dockSessionId });
    expect(checks.free_space!.value).toBe(Math.floor(manifest.status.freeBytes / 1024 ** 2) * 1024 ** 2);
    expect(Math.abs(checks.clock!.value!)).toBeLessThan(1000);

    const checkout = await t.custodian.client.ok('custody.checkout', {
      officerId: t.officer.person.id,
      deviceId: device.id,
      workType: 'routine_inspection',
      expectedEnd: shanghai(T0 + 8 * H), // 17:00 local
    });
    expect(checkout).toMatchObject({
      status: 'open',
      officer: { id: t.officer.person.id, badge: '100001' },
      device: { id: device.id, serial: 'DSJ-A1', keeper: { id: t.officer.person.id } },
      workType: 'routine_inspection',
      checkedOutAt: T0,
      expectedEndAt: T0 + 8 * H,
      // 第十五条 当天: 23:59 Shanghai on the day the work ends.
      deadlineAt: Date.UTC(2026, 10, 27, 15, 59),
      deadlineRule: 'same_day',
      exception: null,
      override: null,
      overdue: false,
      clipCount: 0,
    });
    expect(checkout.issuedBy).toContain('李保管');
    expect(checkout.checks.map((c) => [c.check, c.resolution])).toEqual([
      ['battery', 'passed'],
      ['free_space', 'passed'],
      ['clock', 'passed'],
      ['footage', 'passed'],
      ['fault', 'passed'],
    ]);
    expect(checkout.checks[0]).toMatchObject({ value: 64, dockSessionId });
    expect(events).toContain('custody.changed');
    expect(actions(t)).toContain('checkout.opened');
    expect((await t.admin.ok('audit.verify', {})).intact).toBe(true);
    expect(ANNOUNCEMENT).toBe('为保护您的合法权益，监督我们的执法行为，本次执法全程录音录像');

    // The camera status list and the officer's own history see it.
    const cameras = await t.custodian.client.ok('custody.cameras', {});
    expect(cameras.cameras.find((c) => c.device.id === device.id)).toMatchObject({ available: false, checkout: { id: checkout.id } });
    const mine = await t.officer.client.ok('custody.mine', {});
    expect(mine.checkouts.map((c) => c.id)).toEqual([checkout.id]);
  });

  it('keeps one open checkout per camera, and one camera per officer unless the setting allows two', async () => {
    const t = await station();
    const { device } = await dockedCamera(t, 'DSJ-B1', t.officer.person.id);
    const spare = await t.admin.ok('devices.register', { serial: 'DSJ-B2' });
    const third = await t.admin.ok('devices.register', { serial: 'DSJ-B3' });
    const out = (officerId: number, deviceId: number, extra: object = {}) =>
      t.custodian.client.call('custody.checkout', { officerId, deviceId, workType: 'complaint_handling', expectedEnd: shanghai(T0 + 4 * H), ...extra });
    expect(code(await out(t.officer.person.id, device.id))).toBe('ok');
    const taken = await out(t.officer2.person.id, device.id);
    expect(code(taken)).toBe('conflict');
    expect(!taken.ok && taken.error.message).toContain('张执法');

    // A camera never docked: nothing is known of it, so the custodian confirms each reading by looking at it.
    const checks = await t.custodian.client.ok('custody.checks', { deviceId: spare.id });
    expect(checks.filter((c) => c.result === 'unknown').map((c) => c.check)).toEqual(['battery', 'free_space', 'clock', 'footage']);
    const confirmed = ['battery', 'free_space', 'clock', 'footage'] as const;
    expect(code(await out(t.officer.person.id, spare.id, { confirmed: [...confirmed] }))).toBe('conflict');
    const proposal = await t.custodian.client.ok('custody.propose', { officerId: t.officer.person.id });
    expect(proposal.mayTakeAnother).toBe(false);

    await t.admin.ok('custody.updateSettings', { officerMayHoldTwo: true });
    const second = await out(t.officer.person.id, spare.id, { confirmed: [...confirmed] });
    expect(code(second)).toBe('ok');
    if (second.ok) expect(second.value.checks.filter((c) => c.resolution === 'confirmed').map((c) => c.check)).toEqual([...confirmed]);
    expect(code(await out(t.officer.person.id, third.id, { confirmed: [...confirmed] }))).toBe('conflict');
    // Unconfirmed unknowns block.
    const unconfirmed = await out(t.officer2.person.id, third.id);
    expect(code(unconfirmed)).toBe('invalid_state');
    expect(!unconfirmed.ok && (unconfirmed.error.details as { blocking: string[] }).blocking).toEqual(['battery', 'free_space', 'clock', 'footage']);
    // And the database itself holds the rule.
    expect(() =>
      t.station.db
        .prepare(
          `INSERT INTO checkout (device_id, officer_id, work_type, checked_out_at, issued_by, expected_end_at, same_day_deadline_at, deadline_at, deadline_rule)
           VALUES (?, ?, 'other_onsite', 0, 'x', 1, 1, 1, 'same_day')`,
        )
        .run(device.id, t.officer2.person.id),
    ).toThrow(/UNIQUE/);
  });

  it('blocks a low battery; 综合处 lets it out with a reason (audited), a custodian cannot', async () => {
    const t = await station();
    const { device } = await dockedCamera(t, 'DSJ-C1', t.officer.person.id, { battery: 15 });
    const input = { officerId: t.officer.person.id, deviceId: device.id, workType: 'investigation' as const, expectedEnd: shanghai(T0 + 6 * H) };
    const rows = () => t.station.db.prepare('SELECT count(*) AS n FROM checkout').get();

    const blocked = await t.custodian.client.call('custody.checkout', input);
    expect(code(blocked)).toBe('invalid_state');
    if (!blocked.ok) {
      const details = blocked.error.details as { blocking: string[]; checks: Array<{ check: string; value: number }> };
      expect(details.blocking).toEqual(['battery']);
      expect(details.checks.find((c) => c.check === 'battery')!.value).toBe(15);
    }
    const byCustodian = await t.custodian.client.call('custody.checkout', { ...input, override: { reason: '备用电池已装好' } });
    expect(code(byCustodian)).toBe('forbidden');
    expect(rows()).toEqual({ n: 0 });

    const out = await t.office.client.ok('custody.checkout', { ...input, override: { reason: '已换上充满的备用电池' } });
    expect(out.override).toEqual({ reason: '已换上充满的备用电池', by: expect.stringContaining('王综合') });
    expect(out.checks.find((c) => c.check === 'battery')).toMatchObject({ result: 'fail', value: 15, limit: 60, resolution: 'overridden' });
    expect(out.checks.filter((c) => c.resolution === 'passed')).toHaveLength(4);
    const audit = t.station.db
      .prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'checkout.checks_overridden'")
      .all()
      .map((r) => JSON.parse(r.after_json));
    expect(audit).toEqual([{ reason: '已换上充满的备用电池', checks: [{ check: 'battery', result: 'fail', reason: 'below_minimum', value: 15 }] }]);
  });

  it('fails free space against the configured minimum and a clock off by minutes, overridden together', async () => {
    const t = await station();
    // The emulated camera's clock runs 7 minutes slow.
    const { device } = await dockedCamera(t, 'DSJ-D1', t.officer.person.id, { clockOffsetSeconds: -420 });
    expect(code(await t.custodian.client.call('custody.updateSettings', { freeSpaceMinBytes: 64 * GiB }))).toBe('forbidden');
    const settings = await t.office.client.ok('custody.updateSettings', { freeSpaceMinBytes: 64 * GiB });
    expect(settings).toMatchObject({ freeSpaceMinBytes: 64 * GiB, batteryMinPercent: 60, clockToleranceSeconds: 60, offloadCutoff: '23:59' });
    const checks = Object.fromEntries((await t.custodian.client.ok('custody.checks', { deviceId: device.id })).map((c) => [c.check, c]));
    expect(checks.free_space).toMatchObject({ result: 'fail', reason: 'below_minimum', limit: 64 * GiB });
    // The dock wrote the station's time into the camera's time file: no longer a failure, but to be
    // confirmed on the camera (it takes the time at its next start); clock-set.test.ts has the rest.
    expect(checks.clock).toMatchObject({ result: 'unknown', reason: 'clock_set', confirmable: true, limit: 60_000 });
    expect(Math.round(checks.clock!.value! / 1000)).toBe(-420);
    const out = await t.office.client.ok('custody.checkout', {
      officerId: t.officer.person.id,
      deviceId: device.id,
      workType: 'compulsory_measure',
      expectedEnd: shanghai(T0 + 2 * H),
      override: { reason: '时间已手动校准；今日任务时间短' },
    });
    expect(out.checks.filter((c) => c.resolution === 'overridden').map((c) => c.check)).toEqual(['free_space', 'clock']);
  });

  it('never lets a camera with an open fault out; maintenance, closing the fault and returning it to service', async () => {
    const t = await station();
    const { device } = await dockedCamera(t, 'DSJ-E1', t.officer.person.id);
    const fault = await t.custodian.client.ok('faults.report', { deviceId: device.id, description: '镜头进水', outOfService: false });
    expect(fault).toMatchObject({ device: { id: device.id }, closedAt: null });
    const input = { officerId: t.officer.person.id, deviceId: device.id, workType: 'other_onsite' as const, expectedEnd: shanghai(T0 + 3 * H) };
    const refused = await t.office.client.call('custody.checkout', { ...input, override: { reason: '急用' } });
    expect(code(refused)).toBe('invalid_state');
    expect(!refused.ok && (refused.error.details as { blocking: string[] }).blocking).toEqual(['fault']);
    expect((await t.custodian.client.ok('custody.propose', { badge: '100001' })).ownCameras[0]).toMatchObject({ available: false, unavailableBecause: 'open_fault' });

    // Out of service while it is repaired: the registry says so.
    await t.custodian.client.ok('devices.setStatus', { id: device.id, status: 'out_of_service', reason: '送修' });
    expect(code(await t.custodian.client.call('custody.checkout', input))).toBe('invalid_state');
    const entry = await t.custodian.client.ok('faults.logMaintenance', { deviceId: device.id, faultId: fault.id, description: '更换镜头密封圈' });
    expect(entry).toMatchObject({ faultId: fault.id, description: '更换镜头密封圈' });
    await t.custodian.client.ok('faults.logMaintenance', { deviceId: device.id, description: '例行清洁' });
    const closed = await t.custodian.client.ok('faults.close', { id: fault.id, resolution: '已修复并测试', returnToService: true });
    expect(closed).toMatchObject({ resolution: '已修复并测试', maintenance: [expect.objectContaining({ description: '更换镜头密封圈' })] });
    expect((await t.custodian.client.ok('devices.get', { id: device.id })).status).toBe('in_service');
    expect(code(await t.custodian.client.call('faults.close', { id: fault.id, resolution: 'x', returnToService: true }))).toBe('invalid_state');
    expect(code(await t.custodian.client.call('custody.checkout', input))).toBe('ok');
    expect(actions(t)).toEqual(expect.arrayContaining(['fault.reported', 'maintenance.logged', 'fault.closed', 'device.status_changed']));

    // Reported with "out of service": the camera leaves service in the same step, and its history says so.
    const other = await t.admin.ok('devices.register', { serial: 'DSJ-E2' });
    const f2 = await t.custodian.client.ok('faults.report', { deviceId: other.id, description: '无法开机', outOfService: true });
    expect((await t.custodian.client.ok('devices.get', { id: other.id })).status).toBe('out_of_service');
    const f3 = await t.custodian.client.ok('faults.report', { deviceId: other.id, description: '外壳裂纹', outOfService: false });
    // Not back in service while another fault is open.
    expect(code(await t.custodian.client.call('faults.close', { id: f2.id, resolution: '已修复', returnToService: true }))).toBe('invalid_state');
    await t.custodian.client.ok('faults.close', { id: f3.id, resolution: '更换外壳', returnToService: false });
    await t.custodian.client.ok('faults.close', { id: f2.id, resolution: '已修复', returnToService: true });
    expect((await t.custodian.client.ok('devices.get', { id: other.id })).status).toBe('in_service');
    expect((await t.custodian.client.ok('faults.list', { deviceId: other.id, open: true }))).toEqual([]);
  });

  it('gives a declared exception a deadline 24 hours after the declared return; after the deadline only 综合处 may declare one', async () => {
    const t = await station();
    const { device } = await dockedCamera(t, 'DSJ-F1', t.officer.person.id);
    const remote = await t.custodian.client.ok('custody.checkout', {
      officerId: t.officer.person.id,
      deviceId: device.id,
      workType: 'investigation',
      expectedEnd: shanghai(T0 + 2 * 24 * H),
      exception: { kind: 'remote_area', reason: '赴山区调查取证，交通不便', declaredReturn: '2026-11-30T10:00' },
    });
    expect(remote).toMatchObject({
      deadlineRule: 'exception',
      exception: { kind: 'remote_area', declaredReturnAt: Date.UTC(2026, 10, 30, 2, 0) },
      deadlineAt: Date.UTC(2026, 10, 30, 2, 0) + 24 * H, // 2026-12-01 10:00 Shanghai
    });

    // A same-day checkout whose officer is then sent away: declared during the day.
    const { device: d2 } = await dockedCamera(t, 'DSJ-F2', t.officer2.person.id);
    const day = await t.custodian.client.ok('custody.checkout', {
      officerId: t.officer2.person.id,
      deviceId: d2.id,
      workType: 'routine_inspection',
      expectedEnd: shanghai(T0 + 8 * H),
    });
    expect(day.deadlineAt).toBe(Date.UTC(2026, 10, 27, 15, 59));
    t.clock.advance(5 * H);
    const declared = await t.custodian.client.ok('custody.declareException', {
      checkoutId: day.id,
      kind: 'continuous_work',
      reason: '连续执法至次日',
      declaredReturn: '2026-11-28T20:30',
    });
    expect(declared.deadlineAt).toBe(Date.UTC(2026, 10, 28, 12, 30) + 24 * H);
    expect(actions(t)).toContain('checkout.exception_declared');

    // Past the deadline, a custodian cannot excuse it; 综合处 can.
    t.clock.set(declared.deadlineAt + H);
    const late = { checkoutId: day.id, kind: 'away_from_unit' as const, reason: '异地执法延误', declaredReturn: '2026-11-30T08:00' };
    expect(code(await t.custodian.client.call('custody.declareException', late))).toBe('forbidden');
    expect((await t.office.client.ok('custody.declareException', late)).deadlineAt).toBe(Date.UTC(2026, 10, 30, 0, 0) + 24 * H);
  });

  it('lists a checkout as overdue once the clock passes its deadline, and announces it once', async () => {
    const t = await station();
    const { device } = await dockedCamera(t, 'DSJ-G1', t.officer.person.id);
    const events: Array<[EventName, unknown]> = [];
    t.custodian.client.connection.onEvent((e, p) => events.push([e, p]));
    const out = await t.custodian.client.ok('custody.checkout', {
      officerId: t.officer.person.id,
      deviceId: device.id,
      workType: 'routine_inspection',
      expectedEnd: shanghai(T0 + 8 * H),
    });
    t.clock.set(out.deadlineAt - 60_000); // 23:58
    expect((await t.custodian.client.ok('custody.overdue', {})).checkouts).toEqual([]);
    expect(t.station.sweepOverdue()).toEqual([]);
    t.clock.set(out.deadlineAt + 60_000); // 00:00 the next day
    const overdue = await t.custodian.client.ok('custody.overdue', {});
    expect(overdue.asOf).toBe(out.deadlineAt + 60_000);
    expect(overdue.checkouts).toEqual([expect.objectContaining({ id: out.id, overdue: true, overdueMs: 60_000, officer: expect.objectContaining({ badge: '100001' }) })]);
    expect(t.station.sweepOverdue()).toEqual([out.id]);
    expect(events).toContainEqual(['custody.overdue', { checkoutId: out.id, deadlineAt: out.deadlineAt }]);
    expect(t.station.sweepOverdue()).toEqual([]);
    // A head and an auditor see it too; an officer does not see others' checkouts.
    expect((await t.head.client.ok('custody.overdue', {})).checkouts).toHaveLength(1);
    expect(code(await t.officer.client.call('custody.overdue', {}))).toBe('forbidden');
  });

  it('refuses expected ends that are past, far off or not real times', async () => {
    const t = await station();
    const { device } = await dockedCamera(t, 'DSJ-H1', t.officer.person.id);
    const base = { officerId: t.officer.person.id, deviceId: device.id, workType: 'routine_inspection' as const };
    expect(code(await t.custodian.client.call('custody.checkout', { ...base, expectedEnd: shanghai(T0 - H) }))).toBe('invalid_input');
    expect(code(await t.custodian.client.call('custody.checkout', { ...base, expectedEnd: shanghai(T0 + 40 * 24 * H) }))).toBe('invalid_input');
    expect(code(await t.custodian.client.call('custody.checkout', { ...base, expectedEnd: '2026-11-31T10:00' }))).toBe('invalid_input');
    expect(code(await t.custodian.client.call('custody.checkout', { ...base, workType: 'patrol' as never, expectedEnd: shanghai(T0 + H) }))).toBe('invalid_input');
    // Only officers take cameras.
    expect(code(await t.custodian.client.call('custody.checkout', { ...base, officerId: t.head.person.id, expectedEnd: shanghai(T0 + H) }))).toBe('invalid_state');
    expect(code(await t.custodian.client.call('custody.propose', { badge: '999999' }))).toBe('not_found');
    expect(code(await t.custodian.client.call('custody.propose', {}))).toBe('invalid_input');
    expect(t.station.db.prepare('SELECT count(*) AS n FROM checkout').get()).toEqual({ n: 0 });
  });
});
