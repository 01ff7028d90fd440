// The library benchmarks' station (issue 20): a year of a force's clips in a fresh station
// database, shared by bench:library (library.search through the contract) and bench:player (the
// library list of 100,000 results scrolled in Chromium).
import { randomBytes } from 'node:crypto';
import type { NewClip } from '../../electron/core/ingest/repository.js';
import { IngestRepository } from '../../electron/core/ingest/repository.js';
import type { Station } from '../../electron/core/station.js';
import { workTypes } from '../../shared/custody.js';
import type { Result } from '../../shared/errors.js';
import { prng } from '../../test/support/prng.js';

export const OFFICERS = 300;
export const DEVICES = 400;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const DATA_START = Date.UTC(2021, 5, 30, 16, 0, 0);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Anything that invokes the contract: an in-process Connection, or a socket to the harness. */
export interface Caller {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
}

async function call<T>(c: Caller, name: string, input: unknown): Promise<T> {
  const r = await c.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

export interface Filled {
  officerIds: number[];
  deviceIds: number[];
  checkoutIds: number[];
  caseIds: number[];
  firstStart: number;
  lastStart: number;
}

/**
 * A year of a 400-camera force's footage as bench:index makes it (simplified), `ROWS` clips, with
 * checkouts of every work type, classifications of every level and cases, written through the
 * ingest's own insert in one transaction per day; `log` hears the progress. `cli` makes the
 * officers and cameras (an OS actor's connection, or anything that invokes the contract).
 */
export async function fill(station: Station, cli: Caller, ROWS: number, log: (message: string) => void = () => {}): Promise<Filled> {
  const db = station.db;
  const officerIds: number[] = [];
  for (let i = 0; i < OFFICERS; i++) {
    officerIds.push((await call<{ person: { id: number } }>(cli, 'people.create', { badge: String(200001 + i), name: `警员${i + 1}`, roles: ['officer'] })).person.id);
  }
  const deviceIds: number[] = [];
  for (let i = 0; i < DEVICES; i++) {
    deviceIds.push((await call<{ id: number }>(cli, 'devices.register', { serial: `DSJ-${String(i + 1).padStart(5, '0')}`, keeperId: officerIds[i % OFFICERS] })).id);
  }
  const ingest = new IngestRepository(db);
  const random = prng(20261207);
  const checkout = db.prepare(
    `INSERT INTO checkout (device_id, officer_id, work_type, checked_out_at, issued_by, expected_end_at, same_day_deadline_at, deadline_at,
       deadline_rule, status, returned_at) VALUES (?, ?, ?, ?, 'bench', ?, ?, ?, 'same_day', 'returned', ?)`,
  );
  const link = db.prepare('UPDATE clip SET checkout_id = ? WHERE id = ?');
  const checkoutIds: number[] = [];
  let rows = 0;
  let firstStart = Infinity;
  let lastStart = -Infinity;
  const t0 = performance.now();
  for (let day = 0; rows < ROWS; day++) {
    const dayStart = DATA_START + day * DAY;
    db.exec('BEGIN');
    for (let di = 0; di < DEVICES && rows < ROWS; di++) {
      if (random() >= 0.85) continue;
      const officerIndex = random() < 0.92 ? di % OFFICERS : Math.floor(random() * OFFICERS);
      const officerId = officerIds[officerIndex]!;
      const attachedAt = dayStart + 18 * 60 * MINUTE;
      const session = ingest.createDockSession({
        volume_id: `usb:${di}`, volume_root: `/media/${di}`, source: 'usb-volume', label: null, profile_id: 'gat947-generic', device_id: deviceIds[di]!,
        serial: null, binding_json: null, officer_id: officerId, state: 'done', state_reason: null, camera_clock_text: null, clock_skew_ms: 0,
        free_bytes: null, battery_percent: null, attached_at: attachedAt,
      });
      let checkoutId: number | null = null;
      if (random() < 0.7) {
        checkoutId = Number(checkout.run(deviceIds[di]!, officerId, workTypes[Math.floor(random() * workTypes.length)]!, dayStart, dayStart, dayStart, dayStart, attachedAt).lastInsertRowid);
        checkoutIds.push(checkoutId);
      }
      const n = 1 + Math.floor(random() * 15);
      let t = dayStart + 7 * 60 * MINUTE + Math.floor(random() * 3 * 60 * MINUTE);
      const hashes = randomBytes(32 * n).toString('hex');
      for (let k = 0; k < n && rows < ROWS; k++) {
        const roll = random();
        const kind: NewClip['kind'] = roll < 0.9 ? 'video' : roll < 0.96 ? 'audio' : roll < 0.995 ? 'photo' : 'other';
        const timed = kind !== 'other';
        const duration = kind === 'video' || kind === 'audio' ? Math.floor((5 + random() * 25) * MINUTE) : null;
        const damaged = kind !== 'other' && random() < 0.002;
        const id = ingest.insertClip({
          device_id: deviceIds[di]!, dock_session_id: session, officer_id: officerId, badge: String(200001 + officerIndex),
          original_path: `DCIM/${day}/${di}_${k}.${kind}`, size: 1_000_000 + k, mtime_ms: t, kind, hash_algorithm: 'sha256',
          hash: hashes.slice(k * 64, k * 64 + 64), vault_path: `v/${day}/${di}/${k}`, verification: 'direct-readback',
          camera_start_text: null, camera_start_at: timed ? t : null, start_at: timed ? t : null, duration_ms: duration,
          video_codec: kind === 'video' ? 'h264' : null, audio_codec: null, width: null, height: null, embedded_created_at: null,
          important: random() < 0.05 ? 1 : 0, damaged: damaged ? 1 : 0, damage_reason: damaged ? 'moov atom not found' : null,
          committed_at: attachedAt + k, clock_wrong: 0, name_serial: null, name_badge: null, name_seq: null,
        });
        if (checkoutId !== null) link.run(checkoutId, id);
        if (timed) {
          firstStart = Math.min(firstStart, t);
          lastStart = Math.max(lastStart, t);
        }
        t += (duration ?? MINUTE) + Math.floor(random() * 40 * MINUTE);
        rows++;
      }
    }
    db.exec('COMMIT');
    if (day % 30 === 0) log(`${int(rows)} clips`);
  }
  log(`${int(rows)} clips in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Classifications as people make them: 1 % of clips get a work type, a note or a level (a few secret);
  // 500 cases of about 20 clips, one in ten secret.
  const cls = db.prepare('INSERT OR REPLACE INTO clip_class (clip_id, work_type, confidentiality, note, updated_at) VALUES (?, ?, ?, ?, 0)');
  const newCase = db.prepare("INSERT INTO legal_case (case_no, cause, handler_name, confidentiality, created_at, created_by, updated_at) VALUES (?, '案由', '承办人', ?, 0, 'bench', 0)");
  const inCase = db.prepare("INSERT OR IGNORE INTO case_clip (case_id, clip_id, added_at, added_by) VALUES (?, ?, 0, 'bench')");
  const caseIds: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < rows / 100; i++) {
      const r = random();
      const level = r < 0.7 ? 'normal' : r < 0.95 ? 'internal' : r < 0.985 ? 'commercial_secret' : 'state_secret';
      cls.run(1 + Math.floor(random() * rows), random() < 0.5 ? workTypes[Math.floor(random() * workTypes.length)]! : null, level, null);
    }
    for (let i = 0; i < 500; i++) {
      const id = Number(newCase.run(`BENCH-${i}`, random() < 0.1 ? 'commercial_secret' : random() < 0.3 ? 'internal' : 'normal').lastInsertRowid);
      caseIds.push(id);
      const first = 1 + Math.floor(random() * (rows - 30));
      for (let k = 0; k < 20; k++) inCase.run(id, first + k);
    }
  })();
  db.exec('ANALYZE');
  return { officerIds, deviceIds, checkoutIds, caseIds, firstStart, lastStart };
}
