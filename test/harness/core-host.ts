// The harness's core process: the same createStation() the app's utility
// process runs, behind the loopback socket instead of a MessagePort. It runs
// only as a child of harness.ts, which sends its config over IPC, restarts it
// when it dies, and moves its clock in --clock mode.
// First: libuv's thread pool must be sized before any fs call (the copy workers need it).
import '../../electron/core/ingest/copy/threadpool-size.js';
import { ManualClock } from '../../electron/core/clock.js';
import type { Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import type { ChildMessage, ClockChange, CoreHostConfig, ParentMessage } from './ipc.js';
import type { SocketServer } from './socket-server.js';
import { startSocketServer } from './socket-server.js';

const log = (message: string, error?: unknown) => {
  console.error(`[harness core] ${message}`, error ?? '');
};

/** `then` runs once the message is handed to the channel, so an exit right after does not drop it. */
function tell(message: ChildMessage, then?: () => void): void {
  process.send?.(message, undefined, {}, () => then?.());
}

let station: Station | null = null;
let sockets: SocketServer | null = null;
let clock: ManualClock | null = null;
let stopping = false;

async function start(config: CoreHostConfig): Promise<void> {
  if (config.clockStart !== undefined) clock = new ManualClock(config.clockStart);
  station = createStation(
    {
      dataDir: config.dataDir,
      ...(clock ? { clock } : {}),
      ...(config.idleLockMs !== undefined ? { idleLockMs: config.idleLockMs } : {}),
      ...(config.scryptCost !== undefined ? { scryptCost: config.scryptCost } : {}),
      ...(config.vaultReserveBytes !== undefined ? { vaultReserveBytes: config.vaultReserveBytes } : {}),
      ...(config.ffprobePath !== undefined ? { ffprobePath: config.ffprobePath } : {}),
      ...(config.watchedFolder !== undefined ? { watchedFolder: config.watchedFolder } : {}),
    },
    { log },
  );
  // Docking runs as in the app (recovery first); a camera dropped into the watched folder is ingested.
  if (config.watchedFolder !== undefined) {
    const docking = station;
    void docking.startDocking({ settleMs: 500 }).catch((e: unknown) => log('docking could not start', e));
  }
  sockets = await startSocketServer({
    station,
    token: config.token,
    port: config.wsPort,
    allowedOrigins: config.allowedOrigins,
    log,
  });
  tell({ type: 'ready', wsPort: sockets.port, now: station.config.clock.now() });
}

function moveClock(id: number, change: ClockChange): void {
  if (!clock || !station) {
    tell({ type: 'clock-failed', id, message: 'the core was started without a manual clock (--clock)' });
    return;
  }
  if ('advanceMs' in change) clock.advance(change.advanceMs);
  else clock.set(change.set);
  // The core's own timers would notice only within seconds; tests want the lock and the overdue list now.
  station.lockIdleSessions();
  station.sweepOverdue();
  // The ended days sealed now, as the app's seal timer would within half a minute (audit/seal.ts).
  void station.sealDue().catch((e: unknown) => log('sealing the ended days failed', e));
  tell({ type: 'clock-done', id, now: clock.now() });
}

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // Bounded: a page that never answers the closing handshake must not keep the database open.
    await Promise.race([sockets?.close(), new Promise((r) => setTimeout(r, 1000))]);
    await station?.close();
  }
  process.exit(code);
}

if (!process.send) {
  console.error('core-host.ts runs only as a child of test/harness/harness.ts (npm run harness -- --data <folder>).');
  process.exit(2);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') {
    start(message.config).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      const fatal: Extract<ChildMessage, { type: 'fatal' }> = { type: 'fatal', message: error instanceof Error ? error.message : String(error) };
      if (code) fatal.code = code;
      tell(fatal, () => void stop(1));
    });
  } else if (message.type === 'clock') {
    moveClock(message.id, message.change);
  }
});

// Ctrl-C reaches the whole process group; the parent decides when the core stops.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => void stop(0));
// The parent is gone (even killed with -9): no orphan core holding the database.
process.on('disconnect', () => void stop(0));
