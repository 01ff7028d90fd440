// Serves one station over a message port: one core connection per renderer
// window, opened on the window's first call and closed when main says the
// window went away. Pure Node, so tests drive it with a worker_threads
// MessageChannel exactly as main drives it through Electron's parentPort.
import type { WireMessage } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import type { Connection, Station } from '../core/station.js';
import type { HostPort, HostToMain } from './host-protocol.js';
import { parseMainToHost } from './host-protocol.js';
import { mediaHost } from './media-host.js';

export interface CoreServer {
  /** Open window connections, for the host's own reports. */
  readonly connectionCount: number;
  /** Closes every connection (ending their sessions) and stops listening. */
  stop(): void;
}

export type HostLog = (message: string, error?: unknown) => void;

interface WindowConnection {
  connection: Connection;
  unsubscribe: () => void;
}

const UNCLONABLE: Result<unknown> = {
  ok: false,
  error: {
    code: 'internal',
    message:
      '站点内部错误：结果无法传回界面；请重试，若再次出现请联系管理员。 / Internal error: the result could not be sent to the window. Try again; if it happens again, call the administrator.',
  },
};

export function serveCore(port: HostPort<HostToMain>, station: Station, log: HostLog): CoreServer {
  const windows = new Map<number, WindowConnection>();
  const media = mediaHost(port, station, log);
  let stopped = false;

  const send = (connection: number, message: WireMessage): boolean => {
    try {
      port.postMessage({ kind: 'message', connection, message });
      return true;
    } catch (e) {
      // A value the structured clone cannot carry is a bug in a handler; say so
      // to the caller rather than leaving its promise pending forever.
      log(`cannot send ${message.kind} to window ${connection}`, e);
      return false;
    }
  };

  const open = (key: number): Connection => {
    const existing = windows.get(key);
    if (existing) return existing.connection;
    // Windows are always UI callers: they must log in, and their session lives
    // here, in the core, tied to this connection.
    const connection = station.connect({ kind: 'ui' });
    const unsubscribe = connection.onEvent((event, payload) => {
      if (!stopped) send(key, { kind: 'event', event, payload });
    });
    windows.set(key, { connection, unsubscribe });
    return connection;
  };

  const close = (key: number) => {
    const w = windows.get(key);
    if (!w) return;
    windows.delete(key);
    w.unsubscribe();
    w.connection.close();
  };

  const unlisten = port.onMessage((raw) => {
    if (stopped) return;
    const message = parseMainToHost(raw);
    if (message === null) {
      log('dropped a malformed message from main');
      return;
    }
    if (message.kind === 'disconnect') {
      close(message.connection);
      return;
    }
    if (message.kind === 'media.open' || message.kind === 'media.pull' || message.kind === 'media.cancel') {
      media.handle(message);
      return;
    }
    if (message.kind !== 'request') return; // start and shutdown belong to the host
    const { connection: key, request } = message;
    const connection = open(key);
    void connection.invoke(request.name, request.input).then(
      (result) => {
        if (stopped) return;
        if (!send(key, { kind: 'result', id: request.id, result })) {
          send(key, { kind: 'result', id: request.id, result: UNCLONABLE });
        }
      },
      (e: unknown) => {
        // dispatch() turns every error into a result; reaching here is a bug.
        log(`call ${request.name} rejected`, e);
        if (!stopped) send(key, { kind: 'result', id: request.id, result: UNCLONABLE });
      },
    );
  });

  return {
    get connectionCount() {
      return windows.size;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      unlisten();
      media.stop();
      for (const key of [...windows.keys()]) close(key);
    },
  };
}
