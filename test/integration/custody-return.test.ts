// Return by docking on a real station: the officer docks an emulated camera,
// the real ingest commits its footage, and custody offloads the checkout,
// links the clips, records a late offload, flags footage recorded outside a
// checkout (第三条); then the custodian receives the camera. Also the
// no-recording record (第五条) and the custody migration on a populated database.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, schemaVersion } from '../../electron/core/db/migrate.js';
import { openDatabase } from '../../electron/core/db/open.js';
import { repoPath } from '../../electron/core/paths.js';
import { createStation } from '../../electron/core/station.js';
import type { EventName } from '../../shared/contract.js';
import { T0, tempDir } from '../support/station.js';
import type { CustodyStation } from './custody-support.js';
import { code, custodyStations, shanghai } from './custody-support.js';

const H = 3600_000;
const { station, closeAfter } = custodyStations();

interface ClipRow {
  id: number;
  dock_session_id: number;
  checkout_id: number | null;
  start_at: number | null;
}
const clipsOf = (t: CustodyStation, dockSessionId: number) =>
  t.station.db.prepare<[number], ClipRow>('SELECT id, dock_session_id, checkout_id, start_at FROM clip WHERE dock_session_id = ? ORDER BY id').all(dockSessionId);

/** A camera of the officer, docked once before the shift so its checks have readings, then checked out at T0 until 17:00. */
async function checkedOut(t: CustodyStation, serial: string) {
  const device = await t.admin.ok('devices.register', { serial, keeperId: t.officer.person.id });
  t.clock.set(T0 - 12 * H); // last night's dock
  const seed = await t.dock({ serial });
  t.clock.set(T0);
  const checkout = await t.custodian.client.ok('custody.checkout', {
    officerId: t.officer.person.id,
    deviceId: device.id,
    workType: 'routine_inspection',
    expectedEnd: shanghai(T0 + 8 * H),
  });
  return { device, seed, checkout };
}

describe('return by docking (归还)', () => {
  it('offloads the checkout when every file is in the vault, links its clips, then the custodian receives it', async () => {
    const t = await station();
    const { device, checkout } = await checkedOut(t, 'DSJ-R1');
    const events: EventName[] = [];
    t.custodian.client.connection.onEvent((e) => events.push(e));

    t.clock.set(T0 + 8 * H); // 17:00: the officer docks at the end of the shift
    const { dockSessionId, summary, manifest } = await t.dock({ serial: 'DSJ-R1' });
    expect(summary.state).toBe('done');
    const session = t.station.db.prepare<[number], { attached_at: number; finished_at: number }>('SELECT * FROM dock_session WHERE id = ?').get(dockSessionId)!;

    const after = await t.custodian.client.ok('custody.get', { id: checkout.id });
    expect(after).toMatchObject({
      status: 'offloaded',
      offloadDockSessionId: dockSessionId,
      dockedAt: session.attached_at,
      offloadedAt: session.finished_at,
      lateMs: null,
      overdue: false,
      lateOffloads: [],
      outsideRecordings: [],
    });
    // Every file of the camera is in the vault: new clips from this dock, the rest (identical bytes) already there.
    const clips = clipsOf(t, dockSessionId);
    expect(summary.committed + summary.duplicate).toBe(manifest.files.filter((f) => f.expected !== 'not-footage').length);
    expect(clips).toHaveLength(summary.committed);
    expect(clips.every((c) => c.checkout_id === checkout.id)).toBe(true);
    expect(after.clipCount).toBe(clips.length);
    expect(events).toContain('custody.changed');
    expect((await t.custodian.client.ok('custody.cameras', {})).cameras.find((c) => c.device.id === device.id)!.checkout!.status).toBe('offloaded');

    t.clock.advance(10 * 60_000);
    const returned = await t.custodian.client.ok('custody.receive', { checkoutId: checkout.id, condition: 'good', note: '外观完好' });
    expect(returned).toMatchObject({ status: 'returned', returnCondition: 'good', returnNote: '外观完好', returnFault: null, returnedAt: T0 + 8 * H + 10 * 60_000 });
    expect(returned.receivedBy).toContain('李保管');
    expect(code(await t.custodian.client.call('custody.receive', { checkoutId: checkout.id, condition: 'good' }))).toBe('invalid_state');
    // The camera is free again, and its last dock is "done": the next shift can take it.
    const next = await t.custodian.client.ok('custody.propose', { badge: '100001' });
    expect(next.proposed).toMatchObject({ because: 'own_camera', device: { id: device.id } });
    expect(next.proposed!.checks.find((c) => c.check === 'footage')).toMatchObject({ result: 'pass', dockSessionId });
    const audit = t.station.db.prepare<[], { action: string }>('SELECT action FROM audit').all().map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['checkout.clips_linked', 'checkout.offloaded', 'checkout.returned']));
    expect((await t.admin.ok('audit.verify', {})).intact).toBe(true);
  });

  it('records a late offload for supervision: who, which checkout, how late', async () => {
    const t = await station();
    const { checkout } = await checkedOut(t, 'DSJ-L1');
    expect(checkout.deadlineAt).toBe(Date.UTC(2026, 10, 27, 15, 59)); // 23:59
    t.clock.set(T0 + 24 * H); // docked at 09:00 the next morning
    const { dockSessionId } = await t.dock({ serial: 'DSJ-L1' });
    const after = await t.custodian.client.ok('custody.get', { id: checkout.id });
    const lateMs = T0 + 24 * H - checkout.deadlineAt;
    expect(lateMs).toBe(9 * H + 60_000);
    expect(after).toMatchObject({ status: 'offloaded', lateMs });
    expect(after.lateOffloads).toEqual([
      expect.objectContaining({ checkoutId: checkout.id, dockSessionId, officer: expect.objectContaining({ badge: '100001', name: '张执法' }), deadlineAt: checkout.deadlineAt, dockedAt: T0 + 24 * H, lateMs }),
    ]);
    expect(await t.head.client.ok('custody.lateOffloads', {})).toHaveLength(1);
    expect(await t.officer.client.ok('custody.mine', {})).toMatchObject({ lateOffloads: [expect.objectContaining({ lateMs })] });
    expect((await t.custodian.client.ok('custody.overdue', {})).checkouts).toEqual([]);
    const late = t.station.db.prepare<[], { after_json: string }>("SELECT after_json FROM audit WHERE action = 'checkout.offloaded_late'").get()!;
    expect(JSON.parse(late.after_json)).toMatchObject({ officerId: t.officer.person.id, lateMs });
  });

  it('does not offload a checkout whose dock failed; clips already in the vault stay linked', async () => {
    const t = await station();
    const { checkout } = await checkedOut(t, 'DSJ-P1');
    t.clock.set(T0 + 6 * H);
    const manifestDock = await t.dock({ serial: 'DSJ-P1' });
    // Pretend the dock ended with a failed file, as an unplug mid-copy leaves it, then account for it again.
    const db = t.station.db;
    db.prepare("UPDATE checkout SET status = 'open', offloaded_at = NULL, docked_at = NULL, offload_dock_session_id = NULL WHERE id = ?").run(checkout.id);
    db.prepare('UPDATE clip SET checkout_id = NULL WHERE dock_session_id = ?').run(manifestDock.dockSessionId);
    db.prepare('DELETE FROM custody_dock WHERE dock_session_id = ?').run(manifestDock.dockSessionId);
    db.prepare("UPDATE station_setting SET value = ? WHERE key = 'custody.reconciled_below'").run(String(manifestDock.dockSessionId));
    db.prepare("UPDATE dock_session SET state = 'failed', files_failed = 1 WHERE id = ?").run(manifestDock.dockSessionId);
    db.prepare("UPDATE ingest_file SET state = 'failed' WHERE id = (SELECT min(id) FROM ingest_file WHERE dock_session_id = ?)").run(manifestDock.dockSessionId);
    expect(t.station.custody.offload.reconcile()).toBe(1);
    const after = await t.custodian.client.ok('custody.get', { id: checkout.id });
    expect(after.status).toBe('open');
    expect(after.clipCount).toBe(clipsOf(t, manifestDock.dockSessionId).length);
    // The camera cannot be received as "good" before its footage is in, and cannot go out again.
    expect(code(await t.custodian.client.call('custody.receive', { checkoutId: checkout.id, condition: 'good' }))).toBe('invalid_state');
    expect((await t.custodian.client.ok('custody.checks', { deviceId: checkout.device.id })).find((c) => c.check === 'footage')).toMatchObject({
      result: 'fail',
      reason: 'dock_incomplete',
    });
  });

  it('receives a damaged camera before its footage is in, opening a fault; the deadline keeps running', async () => {
    const t = await station();
    const { device, checkout } = await checkedOut(t, 'DSJ-X1');
    t.clock.set(T0 + 9 * H);
    const received = await t.custodian.client.ok('custody.receive', {
      checkoutId: checkout.id,
      condition: 'damaged',
      damage: '摔落，屏幕碎裂，无法开机',
      outOfService: true,
    });
    expect(received).toMatchObject({
      status: 'returned',
      returnCondition: 'damaged',
      offloadedAt: null,
      returnFault: { description: '摔落，屏幕碎裂，无法开机', checkoutId: checkout.id, closedAt: null, device: { id: device.id } },
    });
    expect((await t.custodian.client.ok('devices.get', { id: device.id })).status).toBe('out_of_service');
    expect(code(await t.custodian.client.call('custody.receive', { checkoutId: checkout.id, condition: 'damaged' }))).toBe('invalid_input');
    // Not offloaded: overdue once the deadline passes, even though the camera is back.
    t.clock.set(checkout.deadlineAt + H);
    expect((await t.custodian.client.ok('custody.overdue', {})).checkouts.map((c) => c.id)).toEqual([checkout.id]);
    // Repaired, returned to service: the next checkout is blocked until the footage of this one is recovered.
    await t.custodian.client.ok('faults.close', { id: received.returnFault!.id, resolution: '更换屏幕', returnToService: true });
    const footage = (await t.custodian.client.ok('custody.checks', { deviceId: device.id })).find((c) => c.check === 'footage');
    expect(footage).toMatchObject({ result: 'fail', reason: 'previous_not_offloaded', value: checkout.id });
    // Docked after repair: the footage goes to the returned checkout, late.
    const recovered = await t.dock({ serial: 'DSJ-X1' });
    const after = await t.custodian.client.ok('custody.get', { id: checkout.id });
    expect(after).toMatchObject({ status: 'returned', offloadDockSessionId: recovered.dockSessionId, lateMs: H });
    expect((await t.custodian.client.ok('custody.overdue', {})).checkouts).toEqual([]);
  });
});

describe('footage recorded outside a checkout (第三条)', () => {
  it('flags every clip of a dock with no checkout for 综合处, who reviews it', async () => {
    const t = await station();
    const device = await t.admin.ok('devices.register', { serial: 'DSJ-N1', keeperId: t.officer.person.id });
    const events: EventName[] = [];
    t.office.client.connection.onEvent((e) => events.push(e));
    const { dockSessionId, summary } = await t.dock({ serial: 'DSJ-N1' });
    expect(summary.state).toBe('done'); // still ingested
    const clips = clipsOf(t, dockSessionId);
    expect(clips.length).toBeGreaterThan(0);
    expect(clips.every((c) => c.checkout_id === null)).toBe(true);

    const records = await t.office.client.ok('custody.outsideRecordings', { reviewed: false });
    expect(records).toEqual([
      expect.objectContaining({ kind: 'no_checkout', dockSessionId, device: { id: device.id, serial: 'DSJ-N1' }, checkoutId: null, reviewedAt: null }),
    ]);
    expect(records[0]!.clips.map((c) => c.id).sort((a, b) => a - b)).toEqual(clips.map((c) => c.id));
    expect(events).toContain('custody.outsideRecording');

    expect(code(await t.custodian.client.call('custody.reviewOutsideRecording', { id: records[0]!.id, note: '看过' }))).toBe('forbidden');
    const reviewed = await t.office.client.ok('custody.reviewOutsideRecording', { id: records[0]!.id, note: '系保管期间设备自检录像，与工作无关内容已登记' });
    expect(reviewed.reviewedBy).toContain('王综合');
    expect(await t.office.client.ok('custody.outsideRecordings', { reviewed: false })).toEqual([]);
    expect(code(await t.office.client.call('custody.reviewOutsideRecording', { id: records[0]!.id, note: '再看' }))).toBe('invalid_state');
  });

  it('accounts for docks from a stored watermark that an open dock holds back', async () => {
    const t = await station();
    await t.admin.ok('devices.register', { serial: 'DSJ-W1', keeperId: t.officer.person.id });
    const db = t.station.db;
    const watermark = () => Number((db.prepare("SELECT value FROM station_setting WHERE key = 'custody.reconciled_below'").get() as { value: string }).value);
    const first = await t.dock({ serial: 'DSJ-W1' });
    expect(watermark()).toBe(first.dockSessionId + 1);

    // A camera still copying: its session is open, so the watermark may not pass it.
    const open = Number(
      db.prepare("INSERT INTO dock_session (volume_id, volume_root, source, state, attached_at) VALUES ('v', '/mnt/x', 'cli', 'ingesting', ?)").run(t.clock.now())
        .lastInsertRowid,
    );
    const second = await t.dock({ serial: 'DSJ-W1', now: t.clock.now() + H });
    expect(db.prepare('SELECT outcome FROM custody_dock WHERE dock_session_id = ?').get(second.dockSessionId)).toEqual({ outcome: 'no_checkout' });
    expect(watermark()).toBe(open);

    // It finishes: the next pass accounts for it and moves past everything.
    db.prepare("UPDATE dock_session SET state = 'done', finished_at = ? WHERE id = ?").run(t.clock.now(), open);
    const third = await t.dock({ serial: 'DSJ-W1', now: t.clock.now() + 2 * H });
    expect(db.prepare('SELECT outcome FROM custody_dock WHERE dock_session_id = ?').get(open)).toEqual({ outcome: 'nothing' });
    expect(watermark()).toBe(third.dockSessionId + 1);
    // The pass reads from the watermark on: the plan is a primary-key range, not a scan.
    const plan = db
      .prepare<[], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT ds.id FROM dock_session ds WHERE ds.id >= 5 AND ds.finished_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM custody_dock cd WHERE cd.dock_session_id = ds.id) ORDER BY ds.id`,
      )
      .all()
      .map((r) => r.detail);
    expect(plan[0]).toMatch(/SEARCH ds USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    // And the first open dock comes from the small index of open docks, not a walk of every dock in id order.
    const open1 = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT min(id) FROM dock_session INDEXED BY dock_session_open WHERE finished_at IS NULL').all();
    expect(open1.map((r) => r.detail).join(' | ')).toMatch(/USING INDEX dock_session_open/);
    expect(fs.readFileSync(repoPath('electron/core/custody/repository.ts'), 'utf8')).toContain('FROM dock_session INDEXED BY dock_session_open WHERE finished_at IS NULL');
  });

  it('flags clips of a checked-out camera recorded before the checkout, and links the rest', async () => {
    const t = await station();
    const { checkout } = await checkedOut(t, 'DSJ-W1');
    // Docked 20 minutes after the checkout: its shift (by the emulator) ended 30 minutes before the dock,
    // so the recordings were made while the camera was still in the cabinet.
    t.clock.set(T0 + 20 * 60_000);
    const { dockSessionId } = await t.dock({ serial: 'DSJ-W1' });
    const clips = clipsOf(t, dockSessionId);
    const dated = clips.filter((c) => c.start_at !== null);
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.every((c) => c.start_at! < T0 - 5 * 60_000 && c.checkout_id === null)).toBe(true);
    // A file the station cannot date (a log) goes with the checkout the dock offloads.
    expect(clips.filter((c) => c.start_at === null).every((c) => c.checkout_id === checkout.id)).toBe(true);

    const after = await t.custodian.client.ok('custody.get', { id: checkout.id });
    expect(after.status).toBe('offloaded');
    expect(after.outsideRecordings).toEqual([expect.objectContaining({ kind: 'outside_window', checkoutId: checkout.id, dockSessionId })]);
    expect(after.outsideRecordings[0]!.clips.map((c) => c.id).sort((a, b) => a - b)).toEqual(dated.map((c) => c.id));
  });
});

describe('no-recording record (第五条)', () => {
  it('is filed by the officer, sent to a department head, acknowledged by that head, and listed with the checkout', async () => {
    const t = await station();
    const { checkout } = await checkedOut(t, 'DSJ-Q1');
    t.clock.set(T0 + 3 * H);
    const heads = await t.officer.client.ok('norecord.heads', {});
    expect(heads).toEqual([expect.objectContaining({ id: t.head.person.id, name: '赵负责' })]);
    const input = {
      checkoutId: checkout.id,
      reason: 'emergency' as const,
      detail: '现场突发冲突，先行制止，未能开启记录仪',
      occurredAt: shanghai(T0 + 2 * H),
      place: '新华路 18 号网吧',
      headId: t.head.person.id,
    };
    const events: EventName[] = [];
    t.head.client.connection.onEvent((e) => events.push(e));
    const record = await t.officer.client.ok('norecord.file', input);
    expect(record).toMatchObject({
      officer: { id: t.officer.person.id },
      checkoutId: checkout.id,
      reason: 'emergency',
      occurredAt: T0 + 2 * H,
      head: { id: t.head.person.id },
      acknowledgedAt: null,
    });
    expect(events).toContain('norecord.changed');

    // An officer files only for themself; a custodian may write it for an officer at the counter.
    expect(code(await t.officer2.client.call('norecord.file', { ...input, officerId: t.officer.person.id }))).toBe('forbidden');
    expect(code(await t.officer2.client.call('norecord.file', input))).toBe('invalid_state'); // not their checkout
    // Not a head, or nobody at all: one answer, naming no one (it once gave the person's name and badge).
    const notHead = await t.officer.client.call('norecord.file', { ...input, headId: t.office.person.id });
    const nobody = await t.officer.client.call('norecord.file', { ...input, headId: 987_654 });
    expect([code(notHead), code(nobody)]).toEqual(['invalid_state', 'invalid_state']);
    expect(!notHead.ok && notHead.error.message).toBe(!nobody.ok && nobody.error.message);
    expect(!notHead.ok && notHead.error.message).not.toMatch(/王综合|300001/);
    // Only those who file records may: an auditor, a head or an administrator does not write one.
    const { person: auditorPerson, oneTimePin } = await t.admin.ok('people.create', { badge: '500009', name: '钱审计', roles: ['auditor'] });
    const auditor = t.ui();
    await auditor.ok('auth.loginBadge', { badge: auditorPerson.badge, pin: oneTimePin });
    await auditor.ok('auth.changePin', { currentPin: oneTimePin, newPin: '586031' });
    for (const who of [auditor, t.head.client, t.admin]) {
      expect(code(await who.call('norecord.file', { ...input, officerId: t.officer.person.id }))).toBe('forbidden');
    }
    expect(code(await t.officer.client.call('norecord.file', { ...input, occurredAt: shanghai(T0 + 5 * H) }))).toBe('invalid_input'); // future
    const byCustodian = await t.custodian.client.ok('norecord.file', {
      officerId: t.officer2.person.id,
      reason: 'secret_or_privacy',
      detail: '涉及当事人个人隐私',
      occurredAt: shanghai(T0 + H),
      place: '某宾馆',
      headId: t.head.person.id,
    });
    expect(byCustodian).toMatchObject({ officer: { id: t.officer2.person.id }, checkoutId: null });

    expect(await t.head.client.ok('norecord.list', { toMe: true, pending: true })).toHaveLength(2);
    expect(code(await t.office.client.call('norecord.acknowledge', { id: record.id }))).toBe('forbidden');
    const acknowledged = await t.head.client.ok('norecord.acknowledge', { id: record.id, note: '情况属实' });
    expect(acknowledged).toMatchObject({ acknowledgedAt: T0 + 3 * H, acknowledgedNote: '情况属实' });
    expect(code(await t.head.client.call('norecord.acknowledge', { id: record.id }))).toBe('invalid_state');
    expect(await t.head.client.ok('norecord.list', { toMe: true, pending: true })).toHaveLength(1);

    expect((await t.custodian.client.ok('custody.get', { id: checkout.id })).noRecordings.map((r) => r.id)).toEqual([record.id]);
    expect((await t.officer.client.ok('custody.mine', {})).noRecordings.map((r) => r.id)).toEqual([record.id]);
    const audit = t.station.db.prepare<[], { action: string }>("SELECT action FROM audit WHERE object_type = 'norecord'").all().map((r) => r.action);
    expect(audit).toEqual(['norecord.filed', 'norecord.filed', 'norecord.acknowledged']);
  });
});

describe('custody migration', () => {
  it('applies to a populated database without judging docks that finished before custody existed', async () => {
    const dataDir = tempDir();
    const old = tempDir('migrations-');
    for (const m of loadMigrations(repoPath('migrations')).filter((m) => m.version < 30)) {
      fs.writeFileSync(path.join(old, `${String(m.version).padStart(4, '0')}_${m.name}.sql`), m.sql);
    }
    const db = openDatabase({ file: path.join(dataDir, 'station.sqlite'), migrationsDir: old });
    expect(schemaVersion(db)).toBe(20);
    db.prepare("INSERT INTO device (id, serial, created_at, updated_at) VALUES (1, 'OLD-1', 0, 0)").run();
    db.prepare(
      `INSERT INTO dock_session (id, volume_id, volume_root, source, device_id, state, attached_at, finished_at)
       VALUES (1, 'v', '/v', 'cli', 1, 'done', 10, 20), (2, 'w', '/w', 'cli', 1, 'ingesting', 30, NULL)`,
    ).run();
    db.prepare(
      `INSERT INTO clip (device_id, dock_session_id, original_path, size, mtime_ms, kind, hash_algorithm, hash, vault_path, verification, committed_at)
       VALUES (1, 1, 'a.mp4', 1, 1, 'video', 'sha256', 'h', 'x/a.mp4', 'direct-readback', 20)`,
    ).run();
    db.close();

    const s = createStation({ dataDir, scryptCost: 1024 });
    closeAfter(() => s.close());
    expect(schemaVersion(s.db)).toBe(loadMigrations(repoPath('migrations')).at(-1)!.version);
    expect(s.db.prepare('SELECT dock_session_id, outcome FROM custody_dock').all()).toEqual([{ dock_session_id: 1, outcome: 'before_custody' }]);
    expect(s.db.prepare('SELECT count(*) AS n FROM outside_recording').get()).toEqual({ n: 0 });
    expect(s.db.prepare('SELECT checkout_id FROM clip').all()).toEqual([{ checkout_id: null }]);
    // The queries custody runs on every dock and every sweep use their indexes.
    const plan = (sql: string) =>
      s.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan('SELECT id, deadline_at FROM checkout WHERE offloaded_at IS NULL AND deadline_at < 5 ORDER BY deadline_at')).toMatch(/checkout_not_offloaded/);
    expect(plan('SELECT * FROM checkout WHERE device_id = 1 AND returned_at IS NULL')).toMatch(/checkout_open_device|checkout_device/);
    expect(plan('SELECT id FROM fault WHERE device_id = 1 AND closed_at IS NULL ORDER BY reported_at, id')).toMatch(/fault_open|fault_device/);
  });
});
