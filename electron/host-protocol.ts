// The messages between Electron main and the process that hosts the core
// (Electron's utilityProcess in the app; a plain Node child in tests). Each
// renderer window is one "connection", keyed by main with the window's
// webContents id; the core keeps that window's session on its side.
//
// No `electron` import here: the core host runs this too.
import type { WireMessage, WireRequest } from '../shared/contract.js';
import type { StationErrorBody } from '../shared/errors.js';

/** What main tells the host when it starts it: where the station lives. */
export interface CoreHostStart {
  dataDir: string;
  migrationsDir: string;
  /** better-sqlite3 built for Electron's ABI (development); absent when packaged. */
  nativeBinding?: string;
}

export type MainToHost =
  | { kind: 'start'; start: CoreHostStart }
  | { kind: 'request'; connection: number; request: WireRequest }
  /** The window closed, crashed or reloaded: its session ends. */
  | { kind: 'disconnect'; connection: number }
  /** Close the database cleanly and exit. */
  | { kind: 'shutdown' };

export type HostToMain =
  | { kind: 'ready'; pid: number }
  /** The station could not open (e.g. a newer database): restarting will not help. */
  | { kind: 'fatal'; error: StationErrorBody }
  | { kind: 'message'; connection: number; message: WireMessage };

/**
 * The least a transport must do to carry these messages: Electron's
 * `process.parentPort`, a `worker_threads` MessagePort and Node's child IPC
 * are all adapted to this in one line each.
 */
export interface HostPort<Out, In = unknown> {
  postMessage(message: Out): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: In) => void): () => void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isConnection = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/**
 * Main is trusted, but a malformed message must be dropped, not crash the core
 * host: the core checks names and inputs itself, this checks only the envelope.
 */
export function parseMainToHost(value: unknown): MainToHost | null {
  if (!isObject(value)) return null;
  switch (value.kind) {
    case 'start': {
      const s = value.start;
      if (!isObject(s) || typeof s.dataDir !== 'string' || typeof s.migrationsDir !== 'string') return null;
      if (s.nativeBinding !== undefined && typeof s.nativeBinding !== 'string') return null;
      const start: CoreHostStart = { dataDir: s.dataDir, migrationsDir: s.migrationsDir };
      if (typeof s.nativeBinding === 'string') start.nativeBinding = s.nativeBinding;
      return { kind: 'start', start };
    }
    case 'request': {
      const r = value.request;
      if (!isConnection(value.connection) || !isObject(r) || r.kind !== 'invoke') return null;
      if (!Number.isSafeInteger(r.id)) return null;
      return {
        kind: 'request',
        connection: value.connection,
        // A non-string name is kept visible to the core, which answers unknown_call.
        request: { kind: 'invoke', id: r.id as number, name: typeof r.name === 'string' ? r.name : String(r.name), input: r.input },
      };
    }
    case 'disconnect':
      return isConnection(value.connection) ? { kind: 'disconnect', connection: value.connection } : null;
    case 'shutdown':
      return { kind: 'shutdown' };
    default:
      return null;
  }
}

export function parseHostToMain(value: unknown): HostToMain | null {
  if (!isObject(value)) return null;
  switch (value.kind) {
    case 'ready':
      return typeof value.pid === 'number' ? { kind: 'ready', pid: value.pid } : null;
    case 'fatal': {
      const e = value.error;
      if (!isObject(e) || typeof e.code !== 'string' || typeof e.message !== 'string') return null;
      return { kind: 'fatal', error: e as unknown as StationErrorBody };
    }
    case 'message': {
      const m = value.message;
      if (!isConnection(value.connection) || !isObject(m)) return null;
      if (m.kind === 'result' && Number.isSafeInteger(m.id) && isObject(m.result)) {
        return { kind: 'message', connection: value.connection, message: m as unknown as WireMessage };
      }
      if (m.kind === 'event' && typeof m.event === 'string') {
        return { kind: 'message', connection: value.connection, message: m as unknown as WireMessage };
      }
      return null;
    }
    default:
      return null;
  }
}
