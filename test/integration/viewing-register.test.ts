// The view register (查阅登记, 第十八条): written by the station for every view, never typed; read
// by the custodian, 综合处 and auditors with filters; exported as CSV (UTF-8 with BOM, both
// languages' headers, formula cells defused); closed as interrupted when the station restarts.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../electron/core/viewing/register-csv.js';
import { makeStation } from '../support/station.js';
import { approvedClips, code, H, viewingStations } from './viewing-support.js';

const { open, closeAfter } = viewingStations();

describe('the view register', () => {
  it('holds one row per view with 查阅人, 查阅事由, purpose, approver and times as they were; filtered by person, clip and date', async () => {
    const t = await open();
    const [a, b] = t.clips;
    const { grant } = await approvedClips(t, t.officer.client, [a!.id, b!.id]);
    const sessions = t.station.viewing.sessions;
    const opened = t.clock.now();
    const s1 = sessions.openView(t.officer.person.id, a!.id);
    await sessions.readRange(s1, 0, 4095);
    t.clock.set(opened + 10 * 60_000);
    expect(sessions.closeView(s1)).toBe(true);
    t.clock.set(opened + H);
    const s2 = sessions.openView(t.officer.person.id, b!.id);

    const page = await t.custodian.client.ok('viewing.register', {});
    expect(page.total).toBe(2);
    expect(page.entries).toEqual([
      expect.objectContaining({ clipId: b!.id, closedAt: null, bytesServed: 0 }),
      {
        id: expect.any(Number),
        viewer: { id: t.officer.person.id, badge: '100001', name: '张执法' },
        clipId: a!.id,
        grantId: grant.id,
        reason: '案情研判需要',
        purpose: 'case_analysis',
        approver: expect.stringContaining('赵负责'),
        openedAt: opened,
        closedAt: opened + 10 * 60_000,
        closedBecause: 'closed',
        bytesServed: 4096,
      },
    ]);
    expect((await t.office.client.ok('viewing.register', { clipId: a!.id })).entries.map((e) => e.clipId)).toEqual([a!.id]);
    expect((await t.auditor.client.ok('viewing.register', { personId: t.officer2.person.id })).total).toBe(0);
    expect((await t.auditor.client.ok('viewing.register', { from: opened + 1, to: opened + 2 * H })).entries.map((e) => e.clipId)).toEqual([b!.id]);
    expect((await t.auditor.client.ok('viewing.register', { limit: 1 })).entries.map((e) => e.clipId)).toEqual([b!.id]);
    expect((await t.auditor.client.ok('viewing.register', { beforeId: page.entries[0]!.id })).entries.map((e) => e.clipId)).toEqual([a!.id]);
    for (const c of [t.officer.client, t.head.client, t.admin]) expect(code(await c.call('viewing.register', {}))).toBe('forbidden');
    sessions.closeView(s2);
    expect(t.station.db.prepare("SELECT count(*) AS n FROM audit WHERE action IN ('view.opened', 'view.closed')").get()).toEqual({ n: 4 });
  });

  it('rows are the station\'s: never deleted, what they say of a view never changed, a closed row final', async () => {
    const t = await open();
    await approvedClips(t, t.officer.client, [t.clips[0]!.id]);
    const s = t.station.viewing.sessions.openView(t.officer.person.id, t.clips[0]!.id);
    const db = t.station.db;
    expect(() => db.prepare('DELETE FROM view_register').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE view_register SET reason = '改过'").run()).toThrow(/as it happened/);
    expect(() => db.prepare('UPDATE view_register SET viewer_id = ?').run(t.officer2.person.id)).toThrow(/as it happened/);
    expect(() => db.prepare('UPDATE view_register SET bytes_served = -1').run()).toThrow();
    t.station.viewing.sessions.closeView(s);
    expect(() => db.prepare('UPDATE view_register SET closed_at = closed_at + 1').run()).toThrow(/as it happened/);
    expect(() => db.prepare('UPDATE view_register SET bytes_served = bytes_served + 1').run()).toThrow(/as it happened/);
  });

  it('exports as CSV: UTF-8 with BOM, headers in both languages, formula cells defused and quoted; the export is audited', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    const hostile = '=HYPERLINK("http://x","点我"),再说\n第二行';
    const request = await t.officer.client.ok('viewing.request', { reason: hostile, purpose: 'litigation', scope: 'clips', clipIds: [clip.id], hours: 1 });
    await t.head.client.ok('viewing.approve', { id: request.id, hours: 1 });
    const s = t.station.viewing.sessions.openView(t.officer.person.id, clip.id);
    await t.station.viewing.sessions.readRange(s, 0, 99);
    t.clock.set(t.clock.now() + 90_000);
    t.station.viewing.sessions.closeView(s);

    expect(code(await t.officer.client.call('viewing.registerCsv', {}))).toBe('forbidden');
    t.clock.set(Date.UTC(2026, 10, 27, 17, 0, 0)); // 01:00 on the 28th in Shanghai, still the 27th in UTC
    const { csv, fileName, rows } = await t.custodian.client.ok('viewing.registerCsv', {});
    expect(fileName).toBe('view-register-2026-11-28.csv'); // the station's day (Asia/Shanghai), not UTC's
    expect(rows).toBe(1);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      '登记号 / No.,查阅人 / Viewer,警号 / Badge,录像编号 / Clip,批准编号 / Grant,查阅事由 / Reason,查阅目的 / Purpose,批准人 / Approver,开始时间 / Opened,结束时间 / Closed,时长（秒） / Duration (s),结束原因 / Ended because,读取字节 / Bytes served',
    );
    // The reason: apostrophe first (no formula), then quoted for its comma, quotes and line break.
    expect(csv).toContain(`,"'=HYPERLINK(""http://x"",""点我""),再说\n第二行",涉法涉诉 / Litigation,`);
    expect(csv).toContain(',张执法,100001,');
    expect(csv).toContain(',2026-11-27 17:00:00,2026-11-27 17:01:30,90,查阅结束 / Closed,100\r\n');
    expect(t.station.db.prepare("SELECT after_json FROM audit WHERE action = 'view.register_exported'").all()).toHaveLength(1);
  });

  it('defuses every cell a spreadsheet would run: = + - @, a leading tab or carriage return', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'safe', '１=1', ''].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      'safe',
      '１=1',
      '',
    ]);
  });

  it('closes the rows of views a stopped station left open as interrupted, with the bytes served until then', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    await approvedClips(t, t.officer.client, [clip.id]);
    const s = t.station.viewing.sessions.openView(t.officer.person.id, clip.id);
    await t.station.viewing.sessions.readRange(s, 0, 2047);
    await t.station.close();
    const again = makeStation({ dataDir: t.dataDir });
    closeAfter(() => again.close());
    // Closed at the restart, by the new station's clock: when the view ended is not known, only that it had by then.
    expect(again.station.db.prepare('SELECT closed_at, closed_because, bytes_served FROM view_register').all()).toEqual([
      { closed_at: again.clock.now(), closed_because: 'interrupted', bytes_served: 2048 },
    ]);
    expect((await again.cli().ok('audit.verify', {})).intact).toBe(true);
  });
});
