// Who may see a clip's pictures (第十八、二十一条), on a real station with real footage in the vault:
// the permission table (each role × request, approve, play; each confidentiality level), a grant
// expiring or revoked in the middle of a view (the injected clock; the check runs at every byte
// range), secret clips refusing standing grants, and the officers' own-footage setting.
import { describe, expect, it } from 'vitest';
import { StationError } from '../../shared/errors.js';
import type { Confidentiality } from '../../shared/library.js';
import { confidentialityLevels } from '../../shared/library.js';
import { grantedClipIds, mayListSecret } from '../../electron/core/viewing/index.js';
import { OWN_FOOTAGE_REASON } from '../../electron/core/viewing/sessions.js';
import type { Client } from '../support/station.js';
import type { ViewingStation } from './viewing-support.js';
import { approvedClips, code, DAY, H, viewingStations } from './viewing-support.js';

const { open } = viewingStations();

/** Opens a view; the session id, or the reason it was refused (details.reason of view_not_granted). */
function tryOpen(t: ViewingStation, personId: number, clipId: number): string {
  try {
    return `session:${t.station.viewing.sessions.openView(personId, clipId)}`;
  } catch (e) {
    if (e instanceof StationError && e.code === 'view_not_granted') return (e.details as { reason: string }).reason;
    throw e;
  }
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'served';
  } catch (e) {
    if (e instanceof StationError) return e.code === 'view_not_granted' ? (e.details as { reason: string }).reason : e.code;
    throw e;
  }
}

describe('the permission table', () => {
  it('each role × request, approve, register: the contract lets in exactly the roles of shared/roles.ts', async () => {
    const t = await open();
    const clipId = t.clips[0]!.id;
    const people: Array<[string, Client]> = [
      ['officer', t.officer.client],
      ['custodian', t.custodian.client],
      ['general_office', t.office.client],
      ['department_head', t.head.client],
      ['auditor', t.auditor.client],
      ['administrator', t.admin],
    ];
    const table: Record<string, Record<string, string>> = {};
    for (const [role, client] of people) {
      const asked = await client.call('viewing.request', { reason: '核对', purpose: 'other', scope: 'clips', clipIds: [clipId], hours: 1 });
      // Decided by someone else: the head for the others, the second head for the first.
      const decider = role === 'department_head' ? t.head2.client : t.head.client;
      const approve = asked.ok ? code(await client.call('viewing.approve', { id: asked.value.id, hours: 1 })) : 'n/a';
      if (asked.ok) await decider.ok('viewing.approve', { id: asked.value.id, hours: 1 });
      table[role] = { request: code(asked), approveOwn: approve, register: code(await client.call('viewing.register', {})) };
    }
    expect(table).toEqual({
      officer: { request: 'ok', approveOwn: 'forbidden', register: 'forbidden' },
      custodian: { request: 'ok', approveOwn: 'forbidden', register: 'ok' },
      general_office: { request: 'ok', approveOwn: 'forbidden', register: 'ok' },
      // The head holds the permission, and is still refused their own request.
      department_head: { request: 'ok', approveOwn: 'forbidden', register: 'forbidden' },
      auditor: { request: 'ok', approveOwn: 'forbidden', register: 'ok' },
      administrator: { request: 'forbidden', approveOwn: 'n/a', register: 'forbidden' },
    });
  });

  it('play: a head-approved request opens every level; a standing grant only the two open levels; nothing opens nothing', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    await approvedClips(t, t.officer.client, [clip.id]);
    await t.head.client.ok('viewing.grant', { granteeId: t.office.person.id, purpose: 'supervision', reason: '执法监督（一个月）', days: 30, scope: 'all' });
    const rows: Record<string, Record<string, string>> = {};
    for (const level of confidentialityLevels) {
      t.classify(clip.id, level);
      const row: Record<string, string> = {};
      for (const [who, id] of [
        ['officer, request approved', t.officer.person.id],
        ['综合处, standing grant', t.office.person.id],
        ['another officer, nothing', t.officer2.person.id],
        ['custodian, nothing', t.custodian.person.id],
        ['administrator', 1],
      ] as const) {
        const opened = tryOpen(t, id, clip.id);
        if (opened.startsWith('session:')) t.station.viewing.sessions.closeView(opened.slice(8));
        row[who] = opened.startsWith('session:') ? 'plays' : opened;
      }
      rows[level] = row;
    }
    const open_ = { 'officer, request approved': 'plays', '综合处, standing grant': 'plays', 'another officer, nothing': 'no_grant', 'custodian, nothing': 'no_grant', administrator: 'not_a_viewer' };
    const secret = { ...open_, '综合处, standing grant': 'secret_needs_head_grant', 'another officer, nothing': 'secret_needs_head_grant', 'custodian, nothing': 'secret_needs_head_grant' };
    expect(rows).toEqual({ normal: open_, internal: open_, commercial_secret: secret, state_secret: secret } satisfies Record<Confidentiality, unknown>);
    // Every refusal is audited with its reason; every view opened is registered.
    expect(t.station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'view.denied'").get()).toEqual({ n: 14 });
    expect(t.registerRows().map((r) => [r.viewer_id, r.closed_because])).toEqual([
      [t.officer.person.id, 'closed'],
      [t.office.person.id, 'closed'],
      [t.officer.person.id, 'closed'],
      [t.office.person.id, 'closed'],
      [t.officer.person.id, 'closed'],
      [t.officer.person.id, 'closed'],
    ]);
  });
});

describe('a view session', () => {
  it('serves the original\'s bytes while the grant holds; past its expiry the next range is refused and the register row closed with its bytes', async () => {
    const t = await open();
    const clip = t.clips[1]!;
    const { grant } = await approvedClips(t, t.officer.client, [clip.id], 2);
    const sessions = t.station.viewing.sessions;
    const id = sessions.openView(t.officer.person.id, clip.id);

    const first = await sessions.readRange(id, 0, 1023);
    expect(first).toMatchObject({ start: 0, end: 1023, size: clip.size });
    expect(first.bytes.equals(t.bytesOf(clip, 0, 1023))).toBe(true);
    t.clock.set(grant.expiresAt - 60_000); // a minute before the expiry: still served
    const second = await sessions.readRange(id, 1024, clip.size + 10_000); // past the end: clamped to the file
    expect(second).toMatchObject({ start: 1024, end: clip.size - 1 });
    expect(second.bytes.equals(t.bytesOf(clip, 1024, clip.size - 1))).toBe(true);
    expect(t.registerRows()[0]).toMatchObject({ closed_at: null, bytes_served: clip.size });

    t.clock.set(grant.expiresAt); // the grant ends: the next range is refused, the row closed
    expect(await refusal(sessions.readRange(id, 0, 99))).toBe('expired');
    expect(t.registerRows()).toEqual([
      expect.objectContaining({ viewer_id: t.officer.person.id, clip_id: clip.id, grant_id: grant.id, closed_at: grant.expiresAt, closed_because: 'expired', bytes_served: clip.size }),
    ]);
    // The session is over; a new one is refused too.
    expect(await refusal(sessions.readRange(id, 0, 99))).toBe('not_found');
    expect(tryOpen(t, t.officer.person.id, clip.id)).toBe('expired');
    expect(sessions.closeView(id)).toBe(false);
    const closed = t.station.db.prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'view.closed'").all();
    expect(closed.map((r) => JSON.parse(r.after_json))).toEqual([{ clipId: clip.id, because: 'expired', bytesServed: clip.size }]);
  });

  it('stops at the next range when the head revokes the grant, and when the clip turns secret under a standing grant', async () => {
    const t = await open();
    const [a, b] = t.clips;
    const { grant } = await approvedClips(t, t.officer.client, [a!.id], 8);
    const sessions = t.station.viewing.sessions;
    const id = sessions.openView(t.officer.person.id, a!.id);
    expect((await sessions.readRange(id, 0, 511)).bytes.length).toBe(512);
    expect(code(await t.officer.client.call('viewing.revoke', { id: grant.id, reason: '撤销' }))).toBe('forbidden');
    t.clock.set(t.clock.now() + H);
    expect(await t.head.client.ok('viewing.revoke', { id: grant.id, reason: '案件已移送，不再需要' })).toMatchObject({ active: false, revokeReason: '案件已移送，不再需要' });
    expect(await refusal(sessions.readRange(id, 512, 1023))).toBe('revoked');
    expect(t.registerRows()[0]).toMatchObject({ closed_because: 'revoked', bytes_served: 512, closed_at: t.clock.now() });
    expect(code(await t.head.client.call('viewing.revoke', { id: grant.id, reason: '再撤' }))).toBe('invalid_state');

    await t.head.client.ok('viewing.grant', { granteeId: t.office.person.id, purpose: 'supervision', reason: '执法监督', days: 30, scope: 'all' });
    const office = sessions.openView(t.office.person.id, b!.id);
    await sessions.readRange(office, 0, 99);
    t.classify(b!.id, 'commercial_secret');
    expect(await refusal(sessions.readRange(office, 100, 199))).toBe('secret_needs_head_grant');
    expect(t.registerRows()[1]).toMatchObject({ viewer_id: t.office.person.id, closed_because: 'not_granted', bytes_served: 100 });
  });
});

describe('secret clips (第二十一条)', () => {
  it('refuse every standing grant, open under a head-approved request for their case, and are listed only for those who may', async () => {
    const t = await open();
    const [a, b] = t.clips;
    const caseId = t.legalCase([a!.id], 'state_secret'); // a is secret through its case
    await t.head.client.ok('viewing.grant', { granteeId: t.custodian.person.id, purpose: 'supervision', reason: '保管核查', days: 30, scope: 'all' });
    await t.head.client.ok('viewing.grant', { granteeId: t.custodian.person.id, purpose: 'supervision', reason: '本案核查', days: 30, scope: 'case', caseId });
    await t.head.client.ok('viewing.grant', { granteeId: t.custodian.person.id, purpose: 'supervision', reason: '本次领用', days: 30, scope: 'checkout', checkoutId: t.checkout.id });
    expect(tryOpen(t, t.custodian.person.id, a!.id)).toBe('secret_needs_head_grant');
    expect(tryOpen(t, t.custodian.person.id, b!.id)).toMatch(/^session:/); // the open clip of the same case's checkout
    expect(grantedClipIds(t.station.db, t.custodian.person.id, t.clock.now())).toEqual(new Set());
    expect(mayListSecret(t.station.db, t.custodian.person.id, a!.id, t.clock.now())).toBe(false);
    // The library lists it to nobody but the head (and records it to nobody else) until then.
    const listed = async () => (await t.custodian.client.ok('library.search', {})).clips.map((c) => c.id);
    expect(await listed()).not.toContain(a!.id);
    expect(await listed()).toContain(b!.id);
    expect((await t.custodian.client.call('library.clip', { id: a!.id })).ok).toBe(false);

    const request = await t.custodian.client.ok('viewing.request', { reason: '移送前核对', purpose: 'litigation', scope: 'case', caseId, hours: 2 });
    await t.head.client.ok('viewing.approve', { id: request.id, hours: 2 });
    expect(tryOpen(t, t.custodian.person.id, a!.id)).toMatch(/^session:/);
    expect(grantedClipIds(t.station.db, t.custodian.person.id, t.clock.now())).toEqual(new Set([a!.id]));
    expect(mayListSecret(t.station.db, t.custodian.person.id, [a!.id, b!.id], t.clock.now())).toEqual(new Set([a!.id]));
    // While the head's grant holds, the library lists the secret clip to the custodian, and its record opens.
    expect(await listed()).toContain(a!.id);
    expect((await t.custodian.client.ok('library.clip', { id: a!.id })).id).toBe(a!.id);
    // The head approves secret views and lists every secret clip; others list none without a grant.
    expect(grantedClipIds(t.station.db, t.head.person.id, t.clock.now())).toBe('all');
    expect(grantedClipIds(t.station.db, t.auditor.person.id, t.clock.now())).toEqual(new Set());
    expect(grantedClipIds(t.station.db, 1, t.clock.now())).toEqual(new Set());
    t.clock.set(t.clock.now() + 3 * H);
    expect(grantedClipIds(t.station.db, t.custodian.person.id, t.clock.now())).toEqual(new Set());
    expect(await listed()).not.toContain(a!.id);

    // A grant on a request decided by someone who was not a head (an approver role set otherwise) never opens a secret clip.
    const other = await t.auditor.client.ok('viewing.request', { reason: '审计', purpose: 'supervision', scope: 'clips', clipIds: [a!.id], hours: 2 });
    const { grant } = await t.head.client.ok('viewing.approve', { id: other.id, hours: 2 });
    t.station.db.prepare('UPDATE view_grant SET by_head = 0 WHERE id = ?').run(grant.id);
    expect(tryOpen(t, t.auditor.person.id, a!.id)).toBe('secret_needs_head_grant');
  });
});

describe('an officer\'s own recent footage', () => {
  it('opens without a request only while the station allows it, for their own non-secret clips of the last days, and is still registered', async () => {
    const t = await open();
    const [a, b] = t.clips;
    expect(a!.officerId).toBe(t.officer.person.id);
    expect(tryOpen(t, t.officer.person.id, a!.id)).toBe('no_grant'); // off by default

    await t.head.client.ok('viewing.updateSettings', { ownFootageDays: 7 });
    const id = tryOpen(t, t.officer.person.id, a!.id);
    expect(id).toMatch(/^session:/);
    const session = id.slice(8);
    expect((await t.station.viewing.sessions.readRange(session, 0, 9)).bytes.equals(t.bytesOf(a!, 0, 9))).toBe(true);
    expect(tryOpen(t, t.officer2.person.id, a!.id)).toBe('no_grant'); // not theirs
    expect(tryOpen(t, t.custodian.person.id, a!.id)).toBe('no_grant'); // not an officer's own
    t.classify(b!.id, 'commercial_secret');
    expect(tryOpen(t, t.officer.person.id, b!.id)).toBe('secret_needs_head_grant');

    // Turned off in the middle of a view: the next range is refused.
    await t.head.client.ok('viewing.updateSettings', { ownFootageDays: 0 });
    expect(await refusal(t.station.viewing.sessions.readRange(session, 10, 19))).toBe('no_grant');
    expect(t.registerRows()[0]).toMatchObject({ viewer_id: t.officer.person.id, clip_id: a!.id, grant_id: null, reason: OWN_FOOTAGE_REASON, purpose: null, approver: null, closed_because: 'not_granted', bytes_served: 10 });

    // Only recent footage: eight days on, a seven-day setting no longer covers the shift's clips.
    await t.head.client.ok('viewing.updateSettings', { ownFootageDays: 7 });
    t.clock.set(t.clock.now() + 8 * DAY);
    expect(tryOpen(t, t.officer.person.id, a!.id)).toBe('no_grant');
  });
});
