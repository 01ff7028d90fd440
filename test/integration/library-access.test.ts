// Who may search, read, classify and keep cases, on a real station: cameras of two officers docked
// for real (emulated volumes, profile identification, verified ingest into the vault), one under a
// checkout so its clips carry a work type, and every role logged in on its own connection. Then
// each confidentiality level hidden or shown per role, the lowering rule for secret levels, the
// audit rows each change leaves (and none for a refusal), and no vault path in anything returned.
import { describe, expect, it } from 'vitest';
import type { CallInput } from '../../shared/contract.js';
import type { Confidentiality } from '../../shared/library.js';
import type { Role } from '../../shared/roles.js';
import type { Client } from '../support/station.js';
import { T0 } from '../support/station.js';
import type { CustodyStation } from './custody-support.js';
import { code, custodyStations, shanghai } from './custody-support.js';

const H = 3600_000;
const { station } = custodyStations();

/** Clips of two officers, one checkout (routine inspection), an auditor logged in too. */
async function library() {
  const t = await station();
  const { person: auditorPerson, oneTimePin } = await t.admin.ok('people.create', { badge: '500001', name: '钱审计', roles: ['auditor'] });
  const auditor = t.ui();
  await auditor.ok('auth.loginBadge', { badge: '500001', pin: oneTimePin });
  await auditor.ok('auth.changePin', { currentPin: oneTimePin, newPin: '730419' });

  const mine = await t.admin.ok('devices.register', { serial: 'DSJ-L1', keeperId: t.officer.person.id });
  await t.admin.ok('devices.register', { serial: 'DSJ-L2', keeperId: t.officer2.person.id });
  t.clock.set(T0 - 12 * H);
  await t.dock({ serial: 'DSJ-L1', badge: '100001' });
  t.clock.set(T0);
  const checkout = await t.custodian.client.ok('custody.checkout', {
    officerId: t.officer.person.id,
    deviceId: mine.id,
    workType: 'routine_inspection',
    expectedEnd: shanghai(T0 + 8 * H),
  });
  t.clock.set(T0 + 8 * H);
  expect((await t.dock({ serial: 'DSJ-L1', badge: '100001' })).summary.state).toBe('done');
  expect((await t.dock({ serial: 'DSJ-L2', badge: '100002' })).summary.state).toBe('done');
  const rows = t.station.db
    .prepare<[], { id: number; officer_id: number; checkout_id: number | null; vault_path: string; important: number }>(
      'SELECT id, officer_id, checkout_id, vault_path, important FROM clip ORDER BY id',
    )
    .all();
  const own = rows.filter((r) => r.officer_id === t.officer.person.id).map((r) => r.id);
  const other = rows.filter((r) => r.officer_id === t.officer2.person.id).map((r) => r.id);
  const underCheckout = rows.filter((r) => r.checkout_id === checkout.id).map((r) => r.id);
  expect(own.length).toBeGreaterThanOrEqual(4);
  expect(other.length).toBeGreaterThanOrEqual(4);
  expect(underCheckout.length).toBeGreaterThan(0);
  const clients: Record<Role, Client> = {
    officer: t.officer.client,
    custodian: t.custodian.client,
    general_office: t.office.client,
    department_head: t.head.client,
    auditor,
    administrator: t.admin,
  };
  return { t, clients, own, other, underCheckout, checkout, rows, auditorPerson };
}

const ids = async (c: Client, input: CallInput<'library.search'> = {}) => (await c.ok('library.search', { limit: 500, ...input })).clips.map((x) => x.id).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const auditCount = (t: CustodyStation) => t.station.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit').get()!.n;

describe('library access by role', () => {
  it('lets each role search, read, classify and keep cases as the access table says', async () => {
    const { t, clients, own, other } = await library();
    const all = sorted([...own, ...other]);
    const searches: Record<Role, number[] | 'forbidden'> = {
      officer: sorted(own),
      custodian: all,
      general_office: all,
      department_head: all,
      auditor: all,
      administrator: 'forbidden',
    };
    for (const [role, want] of Object.entries(searches) as Array<[Role, number[] | 'forbidden']>) {
      const c = clients[role];
      if (want === 'forbidden') {
        expect({ role, r: code(await c.call('library.search', {})) }).toEqual({ role, r: 'forbidden' });
        expect({ role, r: code(await c.call('library.clip', { id: own[0]! })) }).toEqual({ role, r: 'forbidden' });
        expect({ role, r: code(await c.call('cases.list', {})) }).toEqual({ role, r: 'forbidden' });
        continue;
      }
      expect({ role, ids: await ids(c) }).toEqual({ role, ids: want });
      // The officer asking for another officer's clips gets none, and cannot open one by id.
      if (role === 'officer') {
        expect(await ids(c, { officerId: t.officer2.person.id })).toEqual([]);
        expect(code(await c.call('library.clip', { id: other[0]! }))).toBe('not_found');
      }
      expect((await c.ok('library.clip', { id: own[0]! })).id).toBe(own[0]);
    }
    // The officer's own search is theirs even when they ask for their own id explicitly.
    expect(await ids(clients.officer, { officerId: t.officer.person.id })).toEqual(sorted(own));

    const classifiers: Role[] = ['general_office', 'department_head'];
    let n = 0;
    for (const role of Object.keys(clients) as Role[]) {
      const c = clients[role];
      const before = auditCount(t);
      const mark = await c.call('library.classify', { clipIds: [own[0]!], important: n % 2 === 0 });
      const created = await c.call('cases.create', { caseNo: `ROLE-${role}`, cause: '测试', handlerName: '王承办' });
      if (classifiers.includes(role)) {
        expect({ role, mark: code(mark), created: code(created) }).toEqual({ role, mark: 'ok', created: 'ok' });
        n++;
      } else {
        expect({ role, mark: code(mark), created: code(created) }).toEqual({ role, mark: 'forbidden', created: 'forbidden' });
        expect(auditCount(t)).toBe(before);
      }
    }
    // Cases: every searching role lists them; an officer only those holding a clip of theirs.
    const office = clients.general_office;
    const caseOther = await office.ok('cases.create', { caseNo: 'OTHER-1', cause: '他人案件', handlerId: t.officer2.person.id });
    await office.ok('cases.addClips', { caseId: caseOther.id, clipIds: other.slice(0, 2) });
    const caseMine = await office.ok('cases.create', { caseNo: 'MINE-1', cause: '本人案件', handlerName: '王承办' });
    await office.ok('cases.addClips', { caseId: caseMine.id, clipIds: [own[1]!, other[2]!] });
    expect((await clients.officer.ok('cases.list', {})).map((c) => c.caseNo)).toEqual(['MINE-1']);
    expect(code(await clients.officer.call('cases.get', { id: caseOther.id }))).toBe('not_found');
    // In a case the officer sees only their own clips.
    expect((await clients.officer.ok('cases.get', { id: caseMine.id })).clips.clips.map((c) => c.id)).toEqual([own[1]!]);
    expect((await clients.auditor.ok('cases.list', { query: 'OTHER' })).map((c) => c.caseNo)).toEqual(['OTHER-1']);
    expect((await clients.custodian.ok('cases.get', { id: caseMine.id })).clips.clips.map((c) => c.id).sort((a, b) => a - b)).toEqual(sorted([own[1]!, other[2]!]));
    expect(caseOther.handler).toEqual({ id: t.officer2.person.id, name: '陈执法', badge: '100002' });
  });

  it('hides each secret level from everyone but a department head, by the clip’s own level or its case’s', async () => {
    const { clients, own, other } = await library();
    const office = clients.general_office;
    const [normal, internal, commercial, state, viaCase] = own as [number, number, number, number, number];
    const levels: Array<[number, Confidentiality]> = [
      [internal, 'internal'],
      [commercial, 'commercial_secret'],
      [state, 'state_secret'],
    ];
    for (const [id, level] of levels) await office.ok('library.classify', { clipIds: [id], confidentiality: level });
    const secretCase = await office.ok('cases.create', { caseNo: 'SECRET-1', cause: '商业秘密案件', handlerName: '王承办', confidentiality: 'commercial_secret' });
    await office.ok('cases.addClips', { caseId: secretCase.id, clipIds: [viaCase] });

    const all = sorted([...own, ...other]);
    const secret = [commercial, state, viaCase];
    const withoutSecret = all.filter((id) => !secret.includes(id));
    const expectations: Array<[Role, number[]]> = [
      ['department_head', all],
      ['general_office', withoutSecret],
      ['custodian', withoutSecret],
      ['auditor', withoutSecret],
      ['officer', sorted(own).filter((id) => !secret.includes(id))],
    ];
    for (const [role, want] of expectations) {
      expect({ role, ids: await ids(clients[role]) }).toEqual({ role, ids: want });
      for (const id of secret) {
        const r = await clients[role].call('library.clip', { id });
        expect({ role, id, r: code(r) }).toEqual({ role, id, r: role === 'department_head' ? 'ok' : 'not_found' });
      }
      expect({ role, r: code(await clients[role].call('library.clip', { id: internal })) }).toEqual({ role, r: 'ok' });
      // A search for a secret level finds nothing for those who may not list it.
      const found = await ids(clients[role], { confidentiality: 'commercial_secret' });
      expect({ role, found }).toEqual({ role, found: role === 'department_head' ? sorted([commercial, viaCase]) : [] });
      // The secret case is not listed to them either.
      const cases = (await clients[role].ok('cases.list', {})).map((c) => c.caseNo);
      expect({ role, listed: cases.includes('SECRET-1') }).toEqual({ role, listed: role === 'department_head' });
    }
    const head = clients.department_head;
    const shown = (await head.ok('library.search', { limit: 500 })).clips;
    expect(Object.fromEntries(shown.filter((c) => [normal, internal, commercial, state, viaCase].includes(c.id)).map((c) => [c.id, c.confidentiality]))).toEqual({
      [normal]: 'normal',
      [internal]: 'internal',
      [commercial]: 'commercial_secret',
      [state]: 'state_secret',
      [viaCase]: 'commercial_secret',
    });
    const detail = await head.ok('library.clip', { id: viaCase });
    expect([detail.confidentiality, detail.ownConfidentiality, detail.cases.map((c) => c.caseNo)]).toEqual(['commercial_secret', 'normal', ['SECRET-1']]);
  });

  it('lets 综合处 raise a level but only a department head lower a secret one, for clips and cases', async () => {
    const { t, clients, own } = await library();
    const office = clients.general_office;
    const head = clients.department_head;
    const [a, b] = own as [number, number];
    await office.ok('library.classify', { clipIds: [a], confidentiality: 'internal' });
    await office.ok('library.classify', { clipIds: [a], confidentiality: 'state_secret' }); // raise
    await office.ok('library.classify', { clipIds: [a], note: '现场冲突' }); // other fields of a secret clip may change
    let before = auditCount(t);
    for (const lower of ['commercial_secret', 'internal', 'normal'] as const) {
      const r = await office.call('library.classify', { clipIds: [a], confidentiality: lower });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('部门负责人') } });
    }
    // A refused clip in a batch refuses the whole batch: nothing written.
    expect(code(await office.call('library.classify', { clipIds: [b, a], confidentiality: 'normal', important: true }))).toBe('forbidden');
    expect(auditCount(t)).toBe(before);
    expect(t.station.db.prepare('SELECT important FROM clip WHERE id = ?').get(b)).toEqual({ important: 0 });
    expect(await head.ok('library.classify', { clipIds: [a], confidentiality: 'internal' })).toEqual({ changed: [a] });

    const secretCase = await office.ok('cases.create', { caseNo: 'S-1', cause: '案由', handlerName: '王承办', confidentiality: 'state_secret' });
    await office.ok('cases.addClips', { caseId: secretCase.id, clipIds: [b] });
    before = auditCount(t);
    expect(code(await office.call('cases.update', { id: secretCase.id, confidentiality: 'normal' }))).toBe('forbidden');
    expect(code(await office.call('cases.removeClips', { caseId: secretCase.id, clipIds: [b] }))).toBe('forbidden');
    expect(auditCount(t)).toBe(before);
    expect((await office.ok('cases.update', { id: secretCase.id, cause: '新案由' })).cause).toBe('新案由');
    expect((await head.ok('cases.removeClips', { caseId: secretCase.id, clipIds: [b] })).removed).toEqual([b]);
    expect((await head.ok('cases.update', { id: secretCase.id, confidentiality: 'normal' })).confidentiality).toBe('normal');
  });
});

describe('classification and cases', () => {
  it('audits every change with before and after, sets and clears the work type, and keeps case numbers unique', async () => {
    const { t, clients, rows: clipRows, underCheckout, checkout } = await library();
    const office = clients.general_office;
    // A clip the camera did not mark 重点 (which one commits first varies with the copy workers).
    const clip = clipRows.find((r) => r.checkout_id === checkout.id && !r.important)!.id;
    const summary = async () => (await office.ok('library.search', { checkoutId: checkout.id, limit: 500 })).clips.find((c) => c.id === clip)!;
    expect(await summary()).toMatchObject({ workType: 'routine_inspection', workTypeOverridden: false, important: false, checkoutId: checkout.id });

    const seqBefore = t.station.db.prepare<[], { s: number }>('SELECT max(seq) AS s FROM audit').get()!.s;
    await office.ok('library.classify', { clipIds: [clip], important: true, workType: 'investigation', note: '关键画面' });
    expect(await summary()).toMatchObject({ workType: 'investigation', workTypeOverridden: true, important: true });
    expect((await office.ok('library.search', { important: true, limit: 500 })).clips.map((c) => c.id)).toContain(clip);
    expect((await office.ok('library.search', { workType: 'investigation' })).clips.map((c) => c.id)).toEqual([clip]);
    await office.ok('library.classify', { clipIds: [clip], workType: null, important: false, note: null });
    expect(await summary()).toMatchObject({ workType: 'routine_inspection', workTypeOverridden: false, important: false });
    // Nothing to change: no audit row.
    expect(await office.ok('library.classify', { clipIds: [clip], important: false })).toEqual({ changed: [] });

    const created = await office.ok('cases.create', { caseNo: '（2026）苏01号', cause: '无证经营', handlerId: t.officer.person.id, note: '首次登记' });
    expect(code(await office.call('cases.create', { caseNo: '（2026）苏01号', cause: '重复', handlerName: '某人' }))).toBe('conflict');
    expect(code(await office.call('cases.create', { caseNo: 'X-9', cause: '无承办人' } as CallInput<'cases.create'>))).toBe('invalid_input');
    expect(code(await office.call('cases.create', { caseNo: 'X-9', cause: '承办人不存在', handlerId: 999_999 }))).toBe('not_found');
    await office.ok('cases.update', { id: created.id, cause: '无照经营', handlerName: '王承办' });
    const added = await office.ok('cases.addClips', { caseId: created.id, checkoutId: checkout.id });
    expect(sorted(added.added)).toEqual(sorted(underCheckout));
    expect(added.case.clipCount).toBe(underCheckout.length);
    // Adding again adds nothing and writes nothing.
    expect((await office.ok('cases.addClips', { caseId: created.id, clipIds: [clip] })).added).toEqual([]);
    expect(code(await office.call('cases.addClips', { caseId: created.id, clipIds: [999_999] }))).toBe('not_found');
    expect(code(await office.call('cases.addClips', { caseId: created.id, clipIds: [clip], checkoutId: checkout.id }))).toBe('invalid_input');
    expect((await office.ok('cases.removeClips', { caseId: created.id, clipIds: [clip] })).removed).toEqual([clip]);
    expect((await office.ok('library.search', { caseId: created.id, limit: 500 })).clips.map((c) => c.id).sort((a, b) => a - b)).toEqual(
      sorted(underCheckout.filter((id) => id !== clip)),
    );

    const rows = t.station.db
      .prepare<[number], { action: string; object_type: string; object_id: string; before_json: string | null; after_json: string | null; actor_label: string }>(
        'SELECT action, object_type, object_id, before_json, after_json, actor_label FROM audit WHERE seq > ? ORDER BY seq',
      )
      .all(seqBefore)
      .map((r) => ({ ...r, before: r.before_json && JSON.parse(r.before_json), after: r.after_json && JSON.parse(r.after_json) }));
    expect(rows.map((r) => r.action)).toEqual(['clip.classified', 'clip.classified', 'case.created', 'case.updated', 'case.clips_added', 'case.clips_removed']);
    expect(rows.every((r) => r.actor_label.includes('王综合'))).toBe(true);
    expect(rows[0]).toMatchObject({
      object_type: 'clip',
      object_id: String(clip),
      before: { important: false, workType: null, note: null, confidentiality: 'normal' },
      after: { important: true, workType: 'investigation', note: '关键画面', confidentiality: 'normal' },
    });
    expect(rows[1]).toMatchObject({ before: { important: true, workType: 'investigation' }, after: { important: false, workType: null, note: null } });
    expect(rows[2]).toMatchObject({ object_type: 'case', object_id: String(created.id), after: { caseNo: '（2026）苏01号', handlerId: t.officer.person.id, handlerName: '张执法' } });
    expect(rows[3]).toMatchObject({ before: { cause: '无证经营', handlerId: t.officer.person.id }, after: { cause: '无照经营', handlerId: null, handlerName: '王承办' } });
    expect(rows[4]!.after).toMatchObject({ checkoutId: checkout.id, clipIds: expect.arrayContaining(underCheckout) });
    expect(rows[5]!.before).toMatchObject({ clipIds: [clip] });
    expect((await clients.auditor.ok('audit.verify', {})).intact).toBe(true);
  });

  it('gives one clip’s whole record and its history, paged, with no vault path anywhere', async () => {
    const { t, clients, own, rows, checkout } = await library();
    const office = clients.general_office;
    // Not the camera's 重点 clip: marking it so must change it (which clip commits first varies with the copy workers).
    const clip = rows.find((r) => r.checkout_id === checkout.id && !r.important)!;
    await office.ok('library.classify', { clipIds: [clip.id], important: true });
    await office.ok('library.classify', { clipIds: [clip.id], note: '备注' });
    const detail = await clients.auditor.ok('library.clip', { id: clip.id, historyLimit: 2 });
    expect(detail).toMatchObject({
      id: clip.id,
      hashAlgorithm: 'sha256',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      verification: expect.any(String),
      dock: { id: expect.any(Number) },
      checkout: { id: checkout.id, workType: 'routine_inspection', officer: { id: t.officer.person.id } },
      note: '备注',
      important: true,
      officer: { id: t.officer.person.id, badge: '100001', name: '张执法' },
      device: { serial: 'DSJ-L1' },
    });
    expect(detail.history.entries.map((e) => e.action)).toEqual(['clip.classified', 'clip.classified']);
    expect(detail.history.next).not.toBeNull();
    const older = await clients.auditor.ok('library.clip', { id: clip.id, historyBefore: detail.history.next!, historyLimit: 50 });
    expect(older.history.entries.map((e) => e.action)).toContain('clip.committed');
    expect(older.history.next).toBeNull();
    // The vault path of any clip is in none of the answers (clip.committed's audit row records it in the database).
    const recorded = t.station.db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM audit WHERE object_id = ? AND after_json LIKE '%vaultPath%'").get(String(clip.id))!;
    expect(recorded.n).toBeGreaterThan(0);
    const answers = JSON.stringify([detail, older, await office.ok('library.search', { limit: 500 }), await office.ok('library.clip', { id: own[0]! })]);
    for (const r of rows) expect(answers).not.toContain(r.vault_path);
    expect(answers).not.toMatch(/vaultPath|vault_path/);
  });
});
