// View requests and their decision (第十八、十九条) through the contract on a real station: ask,
// approve with an expiry and a note, refuse with a reason, withdraw; the approver is the station's
// setting and never decides their own request; who sees which requests; every step audited.
import { describe, expect, it } from 'vitest';
import { T0 } from '../support/station.js';
import { code, H, viewingStations } from './viewing-support.js';

const { open } = viewingStations();

const audited = (t: { station: { db: import('../../electron/core/db/open.js').Db } }, action: string) =>
  t.station.db.prepare<[string], { object_id: string }>('SELECT object_id FROM audit WHERE action = ? ORDER BY seq').all(action).map((r) => Number(r.object_id));

describe('view requests', () => {
  it('are approved by the head with an expiry and a note; the grant covers the clips asked for; each step is audited', async () => {
    const t = await open();
    const [a, b] = t.clips;
    const request = await t.officer.client.ok('viewing.request', {
      reason: '撰写案件报告需核对现场',
      purpose: 'case_analysis',
      scope: 'clips',
      clipIds: [a!.id, b!.id, a!.id],
      hours: 4,
    });
    expect(request).toMatchObject({ state: 'pending', requester: { id: t.officer.person.id }, clipIds: [a!.id, b!.id].sort((x, y) => x - y), hours: 4, grantId: null });

    // The head's home: one waiting; the officer sees only their own, the register's readers all.
    expect((await t.head.client.ok('viewing.requests', {})).pendingForMe).toBe(1);
    expect((await t.officer.client.ok('viewing.requests', {})).pendingForMe).toBe(0);
    expect((await t.officer2.client.ok('viewing.requests', {})).requests).toEqual([]);
    expect((await t.office.client.ok('viewing.requests', { state: 'pending' })).requests.map((r) => r.id)).toEqual([request.id]);

    t.clock.set(T0 + 9 * H);
    const { request: approved, grant } = await t.head.client.ok('viewing.approve', { id: request.id, hours: 2, note: '限本案使用' });
    expect(approved).toMatchObject({ state: 'approved', decidedAt: T0 + 9 * H, decisionNote: '限本案使用', grantId: grant.id });
    expect(approved.decidedBy).toContain('赵负责');
    expect(grant).toMatchObject({ grantee: { id: t.officer.person.id }, requestId: request.id, scope: 'clips', byHead: true, expiresAt: T0 + 11 * H, active: true, purpose: 'case_analysis' });
    expect(grant.clipIds).toEqual(approved.clipIds);
    expect((await t.head.client.ok('viewing.requests', {})).pendingForMe).toBe(0);
    // Decided once: a second decision is refused.
    expect(code(await t.head2.client.call('viewing.refuse', { id: request.id, reason: '不同意' }))).toBe('invalid_state');
    expect(code(await t.officer.client.call('viewing.withdraw', { id: request.id }))).toBe('invalid_state');

    // The officer's grants: theirs only; another officer's list is empty.
    expect((await t.officer.client.ok('viewing.grants', {})).grants.map((g) => g.id)).toEqual([grant.id]);
    expect((await t.officer2.client.ok('viewing.grants', {})).grants).toEqual([]);
    t.clock.set(T0 + 12 * H);
    expect((await t.officer.client.ok('viewing.grants', { active: true })).grants).toEqual([]);
    expect((await t.officer.client.ok('viewing.grants', { active: false })).grants).toMatchObject([{ id: grant.id, active: false }]);

    expect(audited(t, 'view.requested')).toEqual([request.id]);
    expect(audited(t, 'view.approved')).toEqual([request.id]);
    expect((await t.admin.ok('audit.verify', {})).intact).toBe(true);
  });

  it('are refused with a reason, or withdrawn by the requester alone while pending', async () => {
    const t = await open();
    const ask = () => t.officer.client.ok('viewing.request', { reason: '执法监督', purpose: 'supervision', scope: 'checkout', checkoutId: t.checkout.id, hours: 1 });
    const first = await ask();
    const refused = await t.head.client.ok('viewing.refuse', { id: first.id, reason: '事由不充分' });
    expect(refused).toMatchObject({ state: 'refused', decisionNote: '事由不充分', grantId: null, checkoutId: t.checkout.id });

    const second = await ask();
    expect(code(await t.officer2.client.call('viewing.withdraw', { id: second.id }))).toBe('forbidden');
    expect(await t.officer.client.ok('viewing.withdraw', { id: second.id })).toMatchObject({ state: 'withdrawn' });
    expect(code(await t.head.client.call('viewing.approve', { id: second.id, hours: 1 }))).toBe('invalid_state');
    expect(t.station.db.prepare('SELECT count(*) AS n FROM view_grant').get()).toEqual({ n: 0 });
    expect(audited(t, 'view.refused')).toEqual([first.id]);
    expect(audited(t, 'view.withdrawn')).toEqual([second.id]);
  });

  it('are never decided by the requester, nor by a role the approver setting does not name', async () => {
    const t = await open();
    const own = await t.head.client.ok('viewing.request', { reason: '执法监督抽查', purpose: 'supervision', scope: 'clips', clipIds: [t.clips[0]!.id], hours: 1 });
    expect(code(await t.head.client.call('viewing.approve', { id: own.id, hours: 1 }))).toBe('forbidden');
    expect(code(await t.head.client.call('viewing.refuse', { id: own.id, reason: '自己' }))).toBe('forbidden');
    // The head's own request does not count as waiting for them; the other head sees it.
    expect((await t.head.client.ok('viewing.requests', {})).pendingForMe).toBe(0);
    expect((await t.head2.client.ok('viewing.requests', {})).pendingForMe).toBe(1);
    expect((await t.head2.client.ok('viewing.approve', { id: own.id, hours: 1 })).grant.byHead).toBe(true);
    // Standing grants: not to oneself, only to someone who may view.
    expect(code(await t.head.client.call('viewing.grant', { granteeId: t.head.person.id, purpose: 'supervision', reason: '监督', days: 30, scope: 'all' }))).toBe('forbidden');
    expect(code(await t.head.client.call('viewing.grant', { granteeId: 1, purpose: 'supervision', reason: '监督', days: 30, scope: 'all' }))).toBe('invalid_state');
    // The CLI reads but does not decide: a decision is a person's.
    const pending = await t.officer.client.ok('viewing.request', { reason: '核对', purpose: 'other', scope: 'clips', clipIds: [t.clips[1]!.id], hours: 1 });
    expect(code(await t.cli().call('viewing.approve', { id: pending.id, hours: 1 }))).toBe('forbidden');
    expect((await t.cli().ok('viewing.requests', { state: 'pending' })).requests.map((r) => r.id)).toEqual([pending.id]);
  });

  it('check what they ask for: one scope with its own field, clips, cases and checkouts that exist', async () => {
    const t = await open();
    const base = { reason: '核对', purpose: 'other' as const, hours: 1 };
    const o = t.officer.client;
    expect(code(await o.call('viewing.request', { ...base, scope: 'clips' }))).toBe('invalid_input');
    expect(code(await o.call('viewing.request', { ...base, scope: 'clips', clipIds: [t.clips[0]!.id], caseId: 1 }))).toBe('invalid_input');
    expect(code(await o.call('viewing.request', { ...base, scope: 'case' }))).toBe('invalid_input');
    expect(code(await o.call('viewing.request', { ...base, scope: 'case', caseId: 999 }))).toBe('not_found');
    expect(code(await o.call('viewing.request', { ...base, scope: 'checkout', checkoutId: 999 }))).toBe('not_found');
    expect(code(await o.call('viewing.request', { ...base, scope: 'clips', clipIds: [999_999] }))).toBe('not_found');
    expect(code(await o.call('viewing.request', { ...base, reason: '   ', scope: 'clips', clipIds: [t.clips[0]!.id] }))).toBe('invalid_input');
    const caseId = t.legalCase([t.clips[0]!.id]);
    expect(await o.ok('viewing.request', { ...base, scope: 'case', caseId })).toMatchObject({ scope: 'case', caseId, caseNo: '案-1' });
    expect(t.station.db.prepare('SELECT count(*) AS n FROM view_request').get()).toEqual({ n: 1 });
  });

  it('settings: the approver role and the own-footage days, changed by the approver only, audited', async () => {
    const t = await open();
    expect(await t.officer.client.ok('viewing.settings', {})).toEqual({ approverRole: 'department_head', ownFootageDays: 0 });
    expect(code(await t.office.client.call('viewing.updateSettings', { ownFootageDays: 7 }))).toBe('forbidden');
    expect(code(await t.head.client.call('viewing.updateSettings', { approverRole: 'general_office' }))).toBe('invalid_input');
    expect(await t.head.client.ok('viewing.updateSettings', { ownFootageDays: 7 })).toEqual({ approverRole: 'department_head', ownFootageDays: 7 });
    expect(await t.officer.client.ok('viewing.settings', {})).toEqual({ approverRole: 'department_head', ownFootageDays: 7 });
    expect(t.station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'view.settings_changed'").get()).toEqual({ n: 1 });
  });
});
