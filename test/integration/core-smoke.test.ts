import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../support/cleanup.js';
import { withAdmin } from '../support/station.js';

const cleanup = undoAfterEach();

describe('core smoke', () => {
  it('sets up, creates a custodian, logs in by badge and registers a camera', async () => {
    const t = await withAdmin();
    cleanup(t.close);
    const { person, oneTimePin } = await t.admin.ok('people.create', { badge: '100200', name: '李保管', roles: ['custodian'] });
    expect(oneTimePin).toMatch(/^\d{6}$/);
    const custodian = t.ui();
    const s = await custodian.ok('auth.loginBadge', { badge: '100200', pin: oneTimePin });
    expect(s.mustChangePin).toBe(true);
    const blocked = await custodian.call('devices.list', {});
    expect(blocked.ok ? 'ok' : blocked.error.code).toBe('must_change_pin');
    await custodian.ok('auth.changePin', { currentPin: oneTimePin, newPin: '802413' });
    const device = await custodian.ok('devices.register', { serial: 'DSJ-0001', model: 'X1', keeperId: person.id });
    expect(device.keeper?.badge).toBe('100200');
    const audit = await t.admin.ok('audit.list', {});
    expect(audit.entries.map((e) => e.action)).toContain('device.registered');
    expect(await t.admin.ok('audit.verify', {})).toMatchObject({ intact: true });
  });
});
