// The demo's sample station: people who can log in at once (no one-time PIN
// left to change) and cameras registered to their keepers, each docked once
// so its pre-shift checks (第七条) have real readings. Everything goes through
// the contract, as the CLI (an OS caller) and each person at the counter would.
import fs from 'node:fs';
import path from 'node:path';
import { osActor } from '../../electron/core/audit/actor.js';
import type { Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import { caller } from '../station-call.js';
import type { Role } from '../../shared/roles.js';
import { makeCamera } from '../../test/fixtures/camera/camera.js';

export interface DemoPerson {
  id: number;
  badge: string;
  name: string;
  roles: Role[];
  /** What the login screen asks for: the administrator's password, everyone else's PIN. */
  secret: { kind: 'password' | 'pin'; value: string };
  roleLabel: { zh: string; en: string };
}

export interface DemoCamera {
  id: number;
  serial: string;
  keeper: DemoPerson;
}

export interface DemoSeed {
  people: DemoPerson[];
  officers: DemoPerson[];
  custodian: DemoPerson;
  cameras: DemoCamera[];
}

const ADMIN_PASSWORD = 'Demo-Station-2026';

/** Who the demo station has. PINs are six digits that pass the station's own rules (no runs, no repeats, not the badge). */
const SAMPLE_PEOPLE: Array<Omit<DemoPerson, 'id' | 'secret'> & { pin?: string }> = [
  { badge: '000001', name: '周管理', roles: ['administrator'], roleLabel: { zh: '系统管理员', en: 'administrator' } },
  { badge: '200001', name: '李保管', roles: ['custodian'], roleLabel: { zh: '保管人', en: 'custodian' }, pin: '683150' },
  { badge: '300001', name: '王综合', roles: ['general_office'], roleLabel: { zh: '综合处', en: 'general office' }, pin: '691069' },
  { badge: '400001', name: '赵负责', roles: ['department_head'], roleLabel: { zh: '部门负责人', en: 'department head' }, pin: '698988' },
  { badge: '100001', name: '张执法', roles: ['officer'], roleLabel: { zh: '执法人员', en: 'officer' }, pin: '706907' },
  { badge: '100002', name: '陈执法', roles: ['officer'], roleLabel: { zh: '执法人员', en: 'officer' }, pin: '714826' },
  { badge: '100003', name: '刘执法', roles: ['officer'], roleLabel: { zh: '执法人员', en: 'officer' }, pin: '722745' },
];

/** A small emulated camera (2 clips of 2 s) so each ingest takes a moment, not minutes. */
export function demoCameraOptions(out: string, camera: { serial: string; keeper: { badge: string; name: string } }, now = Date.now()) {
  return {
    out,
    serial: camera.serial,
    badge: camera.keeper.badge,
    officerName: camera.keeper.name,
    clips: 2,
    seconds: 2,
    now,
    // A well-kept camera: its clock a few seconds off at most, within the clock check's tolerance.
    clockOffsetSeconds: Math.round(Math.random() * 6) - 3,
  };
}


/**
 * Fills a fresh data folder with the demo's people and cameras and closes the
 * station again (the harness's core opens it next). `scratch` is where the
 * emulated cameras of the first dock are written.
 */
export async function seedDemo(options: { dataDir: string; scratch: string; scryptCost?: number }): Promise<DemoSeed> {
  const station = createStation({ dataDir: options.dataDir, ...(options.scryptCost !== undefined ? { scryptCost: options.scryptCost } : {}) });
  try {
    return await seed(station, options.scratch);
  } finally {
    await station.close();
  }
}

async function seed(station: Station, scratch: string): Promise<DemoSeed> {
  const cli = station.connect({ kind: 'os', actor: osActor('demo') });
  const ok = caller(cli);
  const people: DemoPerson[] = [];
  for (const sample of SAMPLE_PEOPLE) {
    const { pin, ...rest } = sample;
    if (sample.roles.includes('administrator')) {
      const admin = await ok('station.setup', { badge: sample.badge, name: sample.name, password: ADMIN_PASSWORD });
      people.push({ ...rest, id: admin.person.id, secret: { kind: 'password', value: ADMIN_PASSWORD } });
      continue;
    }
    const { person, oneTimePin } = await ok('people.create', { badge: sample.badge, name: sample.name, unit: '执法一队', roles: sample.roles });
    // The person logs in once with the one-time PIN and chooses their own, as at their first
    // login: afterwards they log in with it straight away, no PIN change asked.
    const own = station.connect({ kind: 'ui' });
    try {
      const call = caller(own);
      await call('auth.loginBadge', { badge: sample.badge, pin: oneTimePin });
      await call('auth.changePin', { currentPin: oneTimePin, newPin: pin! });
    } finally {
      own.close();
    }
    people.push({ ...rest, id: person.id, secret: { kind: 'pin', value: pin! } });
  }

  const officers = people.filter((p) => p.roles.includes('officer'));
  const custodian = people.find((p) => p.roles.includes('custodian'))!;
  const cameras: DemoCamera[] = [];
  for (const [i, keeper] of officers.entries()) {
    const serial = `DSJ-${String(i + 1).padStart(3, '0')}`;
    const device = await ok('devices.register', { serial, model: 'DSJ-V9', keeperId: keeper.id, note: '演示设备 / demo camera' });
    cameras.push({ id: device.id, serial, keeper });
  }
  // Docked once before the first shift, so the checks read battery, card space and clock.
  for (const camera of cameras) {
    const root = path.join(scratch, `first-${camera.serial}`);
    await makeCamera(demoCameraOptions(root, camera));
    const { summary } = await station.ingestFolder(root);
    if (summary?.state !== 'done') throw new Error(`first dock of ${camera.serial}: ${summary?.state ?? 'not identified'}`);
    fs.rmSync(root, { recursive: true, force: true });
  }
  // Those first docks had no checkout, so their footage was flagged (第三条); 综合处 has looked
  // at it, so the demo's review list starts empty and shows only what the shifts bring.
  for (const flagged of await ok('custody.outsideRecordings', { reviewed: false })) {
    await ok('custody.reviewOutsideRecording', { id: flagged.id, note: '演示设备首次接入，领用前的测试录像 / the demo cameras\' first dock: test footage before any checkout' });
  }
  cli.close();
  return { people, officers, custodian, cameras };
}
