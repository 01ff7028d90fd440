// The life of a core host process, whatever runs it: wait for main's `start`,
// open the station, serve windows, and close the database cleanly on
// `shutdown`. Electron's utility process (utility-host.ts) and the plain Node
// child used by the supervisor tests both run exactly this.
import type { StationErrorBody } from '../../shared/errors.js';
import { StationError } from '../../shared/errors.js';
import type { Station } from '../core/station.js';
import type { CoreHostStart, HostPort, HostToMain } from './host-protocol.js';
import { parseMainToHost } from './host-protocol.js';
import type { CoreServer, HostLog } from './serve-core.js';
import { serveCore } from './serve-core.js';

export type OpenStation = (start: CoreHostStart, log: HostLog) => Station;

export interface CoreHostHooks {
  log: HostLog;
  /** Ends the process; the host calls it after a clean shutdown. */
  exit(code: number): void;
  pid: number;
}

export const CORE_NOT_STARTED: StationErrorBody = {
  code: 'core_unavailable',
  message: '站点核心尚未就绪，请稍候重试。 / The station core is not ready yet; try again in a moment.',
};

function fatalBody(e: unknown): StationErrorBody {
  // A StationError (database_newer) already says what to do; anything else is
  // an unexpected failure to open, shown with its own text so it can be reported.
  if (e instanceof StationError) return e.toBody();
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal',
    message: `站点数据无法打开：${detail} / The station's data could not be opened: ${detail}`,
  };
}

export function runCoreHost(port: HostPort<HostToMain>, openStation: OpenStation, hooks: CoreHostHooks): void {
  const { log } = hooks;
  let station: Station | null = null;
  let server: CoreServer | null = null;
  let failed = false;

  port.onMessage((raw) => {
    const message = parseMainToHost(raw);
    if (message === null) {
      if (!server) log('dropped a malformed message from main'); // once started, serveCore reports these
      return;
    }
    switch (message.kind) {
      case 'start': {
        if (station || failed) {
          log('ignored a second start message');
          return;
        }
        try {
          station = openStation(message.start, log);
        } catch (e) {
          failed = true;
          log('the station could not be opened', e);
          // Stay alive and idle: main reads the reason, tells the user, and
          // decides (retry or quit); exiting here could lose this message.
          port.postMessage({ kind: 'fatal', error: fatalBody(e) });
          return;
        }
        server = serveCore(port, station, log);
        port.postMessage({ kind: 'ready', pid: hooks.pid });
        return;
      }
      case 'request':
        // Before start (or after a failed one) nobody can answer but us.
        if (!server) {
          port.postMessage({
            kind: 'message',
            connection: message.connection,
            message: { kind: 'result', id: message.request.id, result: { ok: false, error: CORE_NOT_STARTED } },
          });
        }
        return;
      case 'disconnect':
        return; // serveCore handles it once started; before that there is nothing to close
      case 'vendor.started':
      case 'vendor.exit':
        // For the vendor launcher, which the host process wires to its channel itself: these
        // carry a MessagePort, which only that channel's own events show (utility-host.ts).
        return;
      case 'shutdown':
        server?.stop();
        // Running copies stop and their files are marked interrupted before the database closes.
        void Promise.resolve(station?.close())
          .catch((e: unknown) => log('closing the station failed', e))
          .finally(() => hooks.exit(0));
        return;
    }
  });
}
