// The demo's shift changes, one after another: the custodian checks a camera
// out to an officer (领用, with the pre-shift checks of 第七条), the officer
// "docks" it a few seconds later (an emulated camera folder appears in the
// watched folder), the core ingests it and custody marks the checkout
// offloaded, the camera is taken off the dock, and the custodian receives it
// (归还). A shift that takes a working day here takes half a minute.
import fs from 'node:fs';
import path from 'node:path';
import { workTypes } from '../../shared/custody.js';
import { zoneFields } from '../../shared/time.js';
import { makeCamera } from '../../test/fixtures/camera/camera.js';
import type { DemoCamera, DemoSeed } from './seed.js';
import { demoCameraOptions } from './seed.js';
import type { StationSocket } from './socket-client.js';

export interface ShiftOptions {
  /** Logged in as the custodian. */
  socket: StationSocket;
  seed: DemoSeed;
  /** The harness's watched folder: each sub-folder is a docked camera. */
  dockDir: string;
  /** Same file system as dockDir, so a camera appears there whole (one rename). */
  scratch: string;
  /** 1 = a dock every 20–40 s; 2 = twice as often. */
  speed: number;
  timeZone: string;
  log(line: string): void;
  signal: AbortSignal;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The shortest officer's shift: a demo camera records 8 s (two clips, a clip
 * cut off by the battery and a voice note, 2 s each), and its recordings must
 * fit between the checkout and the dock.
 */
const MIN_SHIFT_MS = 10_000;

/** Wall-clock text in the station's zone, as the checkout form's <input type="datetime-local"> sends it. */
export function localDateTime(utcMs: number, timeZone: string): string {
  const f = zoneFields(utcMs, timeZone);
  return `${f.year}-${f.month}-${f.day}T${f.hour}:${f.minute}`;
}

/** Runs shifts until the signal aborts; one camera's failure is logged and the next shift goes on. */
export async function runShifts(o: ShiftOptions): Promise<void> {
  let round = 0;
  while (!o.signal.aborted) {
    const camera = o.seed.cameras[round % o.seed.cameras.length]!;
    const started = Date.now();
    try {
      await shift(o, camera, round);
    } catch (error) {
      if (!o.signal.aborted) o.log(`班次出错 / shift failed (${camera.serial}): ${error instanceof Error ? error.message : String(error)}`);
    }
    round++;
    // The next camera docks 20–40 s (at speed 1) after this one did.
    const cycle = (20_000 + Math.random() * 20_000) / o.speed;
    await sleep(Math.max(2_000, cycle - (Date.now() - started)), o.signal);
  }
}

async function shift(o: ShiftOptions, camera: DemoCamera, round: number): Promise<void> {
  const { socket, signal } = o;
  const officer = camera.keeper;
  const pace = (ms: number) => sleep(ms / o.speed, signal);

  // 领用: the officer at the counter; the station proposes their own camera (定人管理).
  const proposal = await socket.ok('custody.propose', { officerId: officer.id });
  const proposed = proposal.proposed;
  if (!proposed) {
    o.log(`${officer.name} ${officer.badge}: 没有可领用的设备 / no camera free; skipped`);
    return;
  }
  const failed = proposed.checks.filter((c) => c.result === 'fail');
  if (failed.length > 0) {
    o.log(`${proposed.device.serial}: 领用前检查未通过 / pre-shift checks failed: ${failed.map((c) => `${c.check} (${c.reason})`).join(', ')}; skipped`);
    return;
  }
  // What the station could not read, the custodian confirms by looking at the camera.
  const confirmed = proposed.checks.filter((c) => c.result === 'unknown' && c.confirmable).map((c) => c.check as 'battery' | 'free_space' | 'clock' | 'footage');
  const checkout = await socket.ok('custody.checkout', {
    officerId: officer.id,
    deviceId: proposed.device.id,
    workType: workTypes[round % workTypes.length]!,
    expectedEnd: localDateTime(Date.now() + 4 * 3600_000, o.timeZone),
    ...(confirmed.length > 0 ? { confirmed } : {}),
  });
  o.log(`领用 / checked out: ${proposed.device.serial} → ${officer.name} ${officer.badge}`);
  // The officer's shift. It lasts long enough for what the camera records (whatever the speed).
  await sleep(Math.max(6_000 / o.speed, MIN_SHIFT_MS), signal);
  if (signal.aborted) return;

  // The officer comes back and docks: the camera appears in the watched folder at once, whole.
  // Everything on it was recorded during this checkout, as on a real shift; footage dated
  // before it would be flagged as recorded outside any checkout (第三条).
  const name = `${proposed.device.serial}-${Date.now()}`;
  const staged = path.join(o.scratch, name);
  const shiftEnd = Date.now();
  await makeCamera({ ...demoCameraOptions(staged, { serial: proposed.device.serial, keeper: officer }, shiftEnd), shift: { start: checkout.checkedOutAt, end: shiftEnd } });
  const docked = path.join(o.dockDir, name);
  fs.renameSync(staged, docked);
  o.log(`接入 / docked: ${proposed.device.serial} (${docked})`);

  try {
    const offloaded = await waitFor(async () => (await socket.ok('custody.get', { id: checkout.id })).status !== 'open', 90_000, signal);
    if (signal.aborted) return; // Ctrl-C: the camera is only cleared off the dock
    o.log(
      offloaded
        ? `采集完成，可以取走 / offloaded, safe to remove: ${proposed.device.serial}`
        : `采集未完成 / offload not finished in time: ${proposed.device.serial}`,
    );
    await pace(8_000); // long enough to see "可以取走 / safe to remove" on the board
  } finally {
    fs.rmSync(docked, { recursive: true, force: true });
  }
  if (signal.aborted) return;
  o.log(`取走 / taken off the dock: ${proposed.device.serial}`);
  await pace(3_000);
  if (signal.aborted) return;
  const after = await socket.ok('custody.get', { id: checkout.id });
  if (after.status === 'offloaded') {
    await socket.ok('custody.receive', { checkoutId: checkout.id, condition: 'good' });
    o.log(`归还 / received: ${proposed.device.serial} from ${officer.name} ${officer.badge}`);
  }
}

/** Asks again every second (the demo is a script, not the renderer) until `test` holds or time runs out. */
async function waitFor(test: () => Promise<boolean>, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!signal.aborted && Date.now() < until) {
    if (await test()) return true;
    await sleep(1_000, signal);
  }
  return false;
}
