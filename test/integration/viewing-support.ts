// A station for the viewing tests (issue 20): every role logged in on its own connection (two
// department heads, so one may decide the other's request), and one officer's camera checked out
// and docked for real, so its clips are in the vault and linked to the checkout.
import fs from 'node:fs';
import type { Confidentiality } from '../../shared/library.js';
import type { Client } from '../support/station.js';
import { T0 } from '../support/station.js';
import { custodyStations, shanghai } from './custody-support.js';

export { code } from './custody-support.js';

export const H = 3600_000;
export const DAY = 24 * H;

export interface ClipFile {
  id: number;
  officerId: number | null;
  checkoutId: number | null;
  size: number;
  vaultPath: string;
  absolute: string;
}

export function viewingStations() {
  const { station, closeAfter } = custodyStations();
  const open = async () => {
    const t = await station();
    const { person } = t;
    const auditor = await person('500001', '孙审计', ['auditor']);
    const head2 = await person('400002', '钱负责', ['department_head']);
    // A second head is a grant another confirms (four eyes): the first head does.
    const pendingHead = (await t.admin.ok('people.grants', { open: true })).find((g) => g.person.id === head2.person.id && g.state === 'pending');
    if (pendingHead) await t.head.client.ok('people.confirmGrant', { id: pendingHead.id });

    // The officer's camera: docked the night before (its checks need readings), checked out at
    // T0 for the day, docked at 17:00: the day's clips are linked to the checkout.
    const device = await t.admin.ok('devices.register', { serial: 'DSJ-V1', keeperId: t.officer.person.id });
    t.clock.set(T0 - 12 * H);
    await t.dock({ serial: 'DSJ-V1' });
    t.clock.set(T0);
    const checkout = await t.custodian.client.ok('custody.checkout', {
      officerId: t.officer.person.id,
      deviceId: device.id,
      workType: 'investigation',
      expectedEnd: shanghai(T0 + 8 * H),
    });
    t.clock.set(T0 + 8 * H);
    const shift = await t.dock({ serial: 'DSJ-V1', clips: 3 });
    if (shift.summary.state !== 'done') throw new Error(`the dock ended ${shift.summary.state}`);
    const clips: ClipFile[] = t.station.db
      .prepare<[number], { id: number; officer_id: number | null; checkout_id: number | null; size: number; vault_path: string }>(
        'SELECT id, officer_id, checkout_id, size, vault_path FROM clip WHERE dock_session_id = ? AND size > 0 ORDER BY id',
      )
      .all(shift.dockSessionId)
      .map((c) => ({ id: c.id, officerId: c.officer_id, checkoutId: c.checkout_id, size: c.size, vaultPath: c.vault_path, absolute: t.station.vault.absolute(c.vault_path) }))
      // The largest first: the shift's whole recordings, before any truncated file the camera left.
      .sort((x, y) => y.size - x.size);
    if (clips.length < 3) throw new Error(`only ${clips.length} clips were stored`);

    /** Sets a clip's own level, as library.classify would (the classification is another module's). */
    const classify = (clipId: number, level: Confidentiality) =>
      t.station.db
        .prepare("INSERT INTO clip_class (clip_id, confidentiality, updated_at) VALUES (?, ?, 1) ON CONFLICT (clip_id) DO UPDATE SET confidentiality = excluded.confidentiality")
        .run(clipId, level);
    let cases = 0;
    /** A case holding the clips, at a level. */
    const legalCase = (clipIds: number[], level: Confidentiality = 'normal'): number => {
      cases += 1;
      const id = Number(
        t.station.db
          .prepare("INSERT INTO legal_case (case_no, cause, handler_name, confidentiality, created_at, created_by, updated_at) VALUES (?, '案由', '承办人', ?, 1, 'test', 1)")
          .run(`案-${cases}`, level).lastInsertRowid,
      );
      for (const clipId of clipIds) t.station.db.prepare("INSERT INTO case_clip (case_id, clip_id, added_at, added_by) VALUES (?, ?, 1, 'test')").run(id, clipId);
      return id;
    };
    const registerRows = () =>
      t.station.db
        .prepare<[], { id: number; viewer_id: number; clip_id: number; grant_id: number | null; reason: string; purpose: string | null; approver: string | null; opened_at: number; closed_at: number | null; closed_because: string | null; bytes_served: number }>(
          'SELECT * FROM view_register ORDER BY id',
        )
        .all();
    const bytesOf = (clip: ClipFile, start: number, end: number) => fs.readFileSync(clip.absolute).subarray(start, end + 1);
    return { ...t, auditor, head2, device, checkout, clips, classify, legalCase, registerRows, bytesOf };
  };
  return { open, closeAfter };
}

export type ViewingStation = Awaited<ReturnType<ReturnType<typeof viewingStations>['open']>>;

/** An officer's request for clips, approved by the head for `hours`: the grant. */
export async function approvedClips(t: ViewingStation, requester: Client, clipIds: number[], hours = 2) {
  const request = await requester.ok('viewing.request', { reason: '案情研判需要', purpose: 'case_analysis', scope: 'clips', clipIds, hours });
  return t.head.client.ok('viewing.approve', { id: request.id, hours, note: '同意' });
}

/** What would give a clip's bytes away: a distinctive run from its middle, in every form an answer could carry it. */
export function needlesOf(bytes: Buffer, length = 48): string[] {
  const mid = Math.max(0, Math.floor(bytes.length / 2) - length);
  const out = new Set<string>();
  const run = bytes.subarray(mid, mid + length);
  out.add(run.toString('hex'));
  out.add(run.toString('hex').toUpperCase());
  out.add(Array.from(run).join(',')); // a Buffer as JSON ({type:'Buffer',data:[…]}) or a number array
  // Base64 of a longer stretch lines up with this run at one of three offsets; padding-free, so a
  // substring of any base64 (or base64url) that holds these bytes.
  for (let o = 0; o < 3; o++) {
    const b = bytes.subarray(mid + o, mid + o + length);
    out.add(b.toString('base64'));
    out.add(b.toString('base64url'));
  }
  return [...out];
}
