// Four eyes on 系统管理员, 综合处 and 部门负责人 (issue 19): before this, an administrator's grant
// of any role took effect at once, so one account could make a friend (or, through a friend,
// itself) 综合处 and override the checks it supervises.
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/roles.js';
import type { Result } from '../../shared/errors.js';
import { undoAfterEach } from '../support/cleanup.js';
import { withAdmin } from '../support/station.js';

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const cleanup = undoAfterEach();

async function station() {
  const t = await withAdmin();
  cleanup(t.close);
  /** Adds a person through the administrator and logs them in with their own PIN. */
  const person = async (badge: string, name: string, roles: Role[]) => {
    const { person: p, oneTimePin } = await t.admin.ok('people.create', { badge, name, roles });
    const client = t.ui();
    await client.ok('auth.loginBadge', { badge, pin: oneTimePin });
    await client.ok('auth.changePin', { currentPin: oneTimePin, newPin: '731954' });
    return { person: p, client };
  };
  const rolesOf = async (id: number) => (await t.admin.ok('people.list', { includeInactive: true })).find((p) => p.id === id)!.roles;
  const actions = async () => (await t.admin.ok('audit.list', { limit: 200 })).entries.map((e) => e.action);
  return { t, person, rolesOf, actions };
}

describe('role grants need a second person', () => {
  it('on a new station a grant takes effect at once and waits for the first head to review it', async () => {
    const { t, person, rolesOf, actions } = await station();
    // Nobody but the administrator: 综合处 is granted at once, marked for review.
    const office = await person('300001', '王综合', ['general_office']);
    expect(await rolesOf(office.person.id)).toEqual(['general_office']);
    const open = await t.admin.ok('people.grants', { open: true });
    expect(open.map((g) => [g.person.badge, g.role, g.state, g.mayDecide])).toEqual([['300001', 'general_office', 'unreviewed', false]]);
    expect(await actions()).toContain('role.granted_unreviewed');

    // The first head is granted the same way (still no second person), and sees the 综合处 grant to review.
    const head = await person('400001', '赵负责', ['department_head']);
    const forHead = await head.client.ok('people.grants', { open: true });
    const mine = forHead.filter((g) => g.mayDecide);
    expect(mine.map((g) => g.person.badge)).toEqual(['300001']);
    // Nor may the head decide the grant of its own role.
    const own = forHead.find((g) => g.person.badge === '400001')!;
    expect(own.mayDecide).toBe(false);
    expect(code(await head.client.call('people.confirmGrant', { id: own.id }))).toBe('forbidden');

    // The head refuses: the role in effect is taken away and the person's session ends.
    const ended: unknown[] = [];
    office.client.connection.onEvent((name, payload) => {
      if (name === 'session.ended') ended.push(payload);
    });
    const refused = await head.client.ok('people.refuseGrant', { id: mine[0]!.id, reason: '未经综合处负责人同意' });
    expect(refused.state).toBe('refused');
    expect(await rolesOf(office.person.id)).toEqual([]);
    expect(ended).toEqual([{ reason: 'roles_changed' }]);
    expect(code(await office.client.call('custody.overdue', {}))).toBe('unauthenticated');
    const last = (await t.admin.ok('audit.list', { limit: 1 })).entries[0]!;
    expect(last.action).toBe('role.grant_refused');
    expect(last.actorLabel).toContain('赵负责');
    expect(last.after).toMatchObject({ reason: '未经综合处负责人同意', roles: [] });
  });

  it('once a second person exists, a grant waits until they confirm it; the requester cannot', async () => {
    const { t, person, rolesOf, actions } = await station();
    const head = await person('400001', '赵负责', ['department_head']);

    // Now the head is a second person: the administrator's grant of 综合处 waits.
    const { person: clerk } = await t.admin.ok('people.create', { badge: '300002', name: '孙综合', roles: ['officer', 'general_office'] });
    expect(clerk.roles).toEqual(['officer']);
    expect(await rolesOf(clerk.id)).toEqual(['officer']);
    const pending = (await t.admin.ok('people.grants', { open: true })).find((g) => g.person.id === clerk.id)!;
    expect(pending).toMatchObject({ role: 'general_office', state: 'pending', mayDecide: false });
    expect(await actions()).toContain('role.grant_requested');

    // The requester cannot confirm its own request, nor can the CLI's OS account.
    const self = await t.admin.call('people.confirmGrant', { id: pending.id });
    expect(code(self)).toBe('forbidden');
    expect(!self.ok && self.error.message).toMatch(/自己提出的授权.* \/ .*you asked for/);
    expect(code(await t.cli().call('people.confirmGrant', { id: pending.id }))).toBe('forbidden');
    expect(await rolesOf(clerk.id)).toEqual(['officer']);

    // Asking again while it waits changes nothing and doubles nothing.
    await t.admin.ok('people.update', { id: clerk.id, roles: ['officer', 'general_office'] });
    expect((await t.admin.ok('people.grants', { open: true })).filter((g) => g.person.id === clerk.id)).toHaveLength(1);

    // The head confirms: the role takes effect, both steps audited with their actors.
    const confirmed = await head.client.ok('people.confirmGrant', { id: pending.id });
    expect(confirmed).toMatchObject({ state: 'confirmed', decidedBy: expect.stringContaining('赵负责') });
    expect(await rolesOf(clerk.id)).toEqual(['officer', 'general_office']);
    const row = (await t.admin.ok('audit.list', { limit: 1 })).entries[0]!;
    expect(row).toMatchObject({ action: 'role.grant_confirmed', actorLabel: expect.stringContaining('赵负责') });
    expect(row.after).toMatchObject({ roles: ['officer', 'general_office'] });
    // Decided once only.
    expect(code(await head.client.call('people.refuseGrant', { id: pending.id, reason: 'x' }))).toBe('invalid_state');
  });

  it('refusing a pending grant leaves the role ungranted; roles that are not powerful never wait', async () => {
    const { t, person, rolesOf } = await station();
    const head = await person('400001', '赵负责', ['department_head']);
    const { person: p } = await t.admin.ok('people.create', { badge: '500001', name: '钱新', roles: ['custodian', 'auditor'] });
    expect(await rolesOf(p.id)).toEqual(['custodian', 'auditor']);
    await t.admin.ok('people.update', { id: p.id, roles: ['custodian', 'administrator'] });
    expect(await rolesOf(p.id)).toEqual(['custodian']);
    const g = (await head.client.ok('people.grants', { open: true })).find((x) => x.person.id === p.id)!;
    expect(g.mayDecide).toBe(true);
    expect(code(await head.client.call('people.refuseGrant', { id: g.id, reason: '   ' }))).toBe('invalid_input');
    await head.client.ok('people.refuseGrant', { id: g.id, reason: '不需要管理员权限' });
    expect(await rolesOf(p.id)).toEqual(['custodian']);
    expect(await t.admin.ok('people.grants', { open: true, personId: p.id })).toEqual([]);
    // An officer may not see or decide grants at all.
    const officer = await person('100001', '张执法', ['officer']);
    expect(code(await officer.client.call('people.grants', { open: true }))).toBe('forbidden');
    expect(code(await officer.client.call('people.confirmGrant', { id: g.id }))).toBe('forbidden');
  });
});
