import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import { undoAfterEach } from '../support/cleanup.js';
import { withAdmin } from '../support/station.js';

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const cleanup = undoAfterEach();

describe('device registry (第六条)', () => {
  it('registers a camera with its keeper and keeps the keeper history', async () => {
    const t = await withAdmin();
    cleanup(t.close);
    const a = (await t.admin.ok('people.create', { badge: '7001', name: '吴', roles: ['officer'] })).person;
    const b = (await t.admin.ok('people.create', { badge: '7002', name: '郑', roles: ['officer'] })).person;
    const d = await t.admin.ok('devices.register', { serial: 'DSJ-9', model: 'DSJ-V9', keeperId: a.id });
    expect(d.keeper).toEqual({ id: a.id, badge: '7001', name: '吴' });
    t.clock.advance(5 * 60_000); // within the idle-lock time
    const changed = await t.admin.ok('devices.update', { id: d.id, keeperId: b.id });
    expect(changed.keeper?.id).toBe(b.id);
    expect(changed.keeperHistory.map((s) => [s.keeper?.badge, s.to === null])).toEqual([
      ['7002', true],
      ['7001', false],
    ]);
    const audit = await t.admin.ok('audit.list', { objectType: 'device' });
    expect(audit.entries.map((e) => e.action)).toEqual(['device.keeper_changed', 'device.registered']);
    expect(audit.entries[0]!.before).toMatchObject({ keeper: { badge: '7001' } });
  });

  it('refuses a duplicate serial whatever its case, and an inactive keeper', async () => {
    const t = await withAdmin();
    cleanup(t.close);
    await t.admin.ok('devices.register', { serial: 'dsj-1' });
    expect(code(await t.admin.call('devices.register', { serial: 'DSJ-1' }))).toBe('conflict');
    const p = (await t.admin.ok('people.create', { badge: '7003', name: '冯', roles: ['officer'] })).person;
    await t.admin.ok('people.setActive', { id: p.id, active: false });
    expect(code(await t.admin.call('devices.register', { serial: 'DSJ-2', keeperId: p.id }))).toBe('invalid_state');
    expect(code(await t.admin.call('devices.register', { serial: 'DSJ-3', keeperId: 99999 }))).toBe('not_found');
    expect((await t.admin.ok('devices.list', {})).map((d) => d.serial)).toEqual(['dsj-1']);
  });

  it('takes a camera out of service, back in, and retires it for good', async () => {
    const t = await withAdmin();
    cleanup(t.close);
    const d = await t.admin.ok('devices.register', { serial: 'DSJ-5' });
    expect((await t.admin.ok('devices.setStatus', { id: d.id, status: 'out_of_service', reason: '镜头损坏' })).status).toBe('out_of_service');
    expect(code(await t.admin.call('devices.setStatus', { id: d.id, status: 'out_of_service', reason: 'again' }))).toBe('invalid_state');
    await t.admin.ok('devices.setStatus', { id: d.id, status: 'in_service', reason: '已修复' });
    await t.admin.ok('devices.setStatus', { id: d.id, status: 'retired', reason: '报废' });
    expect(code(await t.admin.call('devices.setStatus', { id: d.id, status: 'in_service', reason: 'x' }))).toBe('invalid_state');
    expect(code(await t.admin.call('devices.update', { id: d.id, model: 'new' }))).toBe('invalid_state');
    expect((await t.admin.ok('devices.list', { status: 'retired' })).map((x) => x.serial)).toEqual(['DSJ-5']);
    expect(await t.admin.ok('audit.verify', {})).toMatchObject({ intact: true });
  });
});
