// The messages between Electron main and the process that hosts the core
// (Electron's utilityProcess in the app; a plain Node child in tests). Each
// renderer window is one "connection", keyed by main with the window's
// webContents id; the core keeps that window's session on its side.
//
// The `vendor.*` messages let the core have a vendor library process started
// (docking/vendor/launcher.ts says why main must start it): the core names
// the child by a number of its own and asks for nothing else; main starts only
// dist-electron/vendor-child.cjs, answers with a MessagePort to it (transferred
// with `vendor.started`) and reports its exit (electron/host/vendor-broker.ts).
//
// No `electron` import here: the core host runs this too.
import type { WireMessage, WireRequest } from '../../shared/contract.js';
import type { StationErrorBody } from '../../shared/errors.js';

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
  | { kind: 'shutdown' }
  | MediaRequest
  | VendorReport;

/**
 * app://station/media/<viewId> (electron/window/media-protocol.ts): main asks the core for the
 * answer's head, then pulls the body a chunk at a time (each chunk checked against the grant in
 * the core, media/endpoint.ts), and cancels when the player hangs up. `id` is main's own number.
 */
/** How media.open names a disc image to save (export/downloads.ts) rather than a view: `download:<id>`. */
export const DOWNLOAD_PREFIX = 'download:';

export type MediaRequest =
  | { kind: 'media.open'; id: number; viewId: string; method: string; range: string | null }
  | { kind: 'media.pull'; id: number }
  | { kind: 'media.cancel'; id: number };

export type MediaReply =
  | { kind: 'media.head'; id: number; status: number; headers: Record<string, string>; text: string | null; hasBody: boolean }
  /** `bytes` null: the body is done (`failed`: cut short, e.g. the grant ended). */
  | { kind: 'media.chunk'; id: number; bytes: Uint8Array | null; failed: boolean };

/** What main tells the core about a vendor library process it asked for. */
export type VendorReport =
  /** Running; its end of a MessageChannel comes with this message (Electron: `event.ports[0]`). */
  | { kind: 'vendor.started'; child: number; pid: number | null }
  /** Gone (or never started: then code is null and output says why). Electron reports no signal. */
  | { kind: 'vendor.exit'; child: number; code: number | null; output: string };

/** What the core asks main about vendor library processes. */
export type VendorRequest =
  /** Start one vendor library process, named `child` by the core. Which program runs is main's choice alone. */
  | { kind: 'vendor.start'; child: number }
  /** Kill it now (SIGKILL semantics); its exit is reported as usual. */
  | { kind: 'vendor.kill'; child: number };

export type HostToMain =
  | { kind: 'ready'; pid: number }
  /** The station could not open (e.g. a newer database): restarting will not help. */
  | { kind: 'fatal'; error: StationErrorBody }
  | { kind: 'message'; connection: number; message: WireMessage }
  | MediaReply
  | VendorRequest;

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
const isMediaId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isHeaders = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isConnection = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
/** A vendor child's name, as the core numbers them. */
const isVendorChild = isConnection;

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
    case 'media.open':
      if (!isMediaId(value.id) || typeof value.viewId !== 'string' || typeof value.method !== 'string') return null;
      if (value.range !== null && typeof value.range !== 'string') return null;
      return { kind: 'media.open', id: value.id, viewId: value.viewId, method: value.method, range: value.range as string | null };
    case 'media.pull':
    case 'media.cancel':
      return isMediaId(value.id) ? { kind: value.kind, id: value.id } : null;
    case 'vendor.started':
      if (!isVendorChild(value.child) || (value.pid !== null && !Number.isSafeInteger(value.pid))) return null;
      return { kind: 'vendor.started', child: value.child, pid: value.pid as number | null };
    case 'vendor.exit':
      if (!isVendorChild(value.child) || (value.code !== null && !Number.isSafeInteger(value.code)) || typeof value.output !== 'string') return null;
      return { kind: 'vendor.exit', child: value.child, code: value.code as number | null, output: value.output };
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
    case 'media.head':
      if (!isMediaId(value.id) || !Number.isSafeInteger(value.status) || !isHeaders(value.headers) || typeof value.hasBody !== 'boolean') return null;
      if (value.text !== null && typeof value.text !== 'string') return null;
      return { kind: 'media.head', id: value.id, status: value.status as number, headers: value.headers, text: value.text as string | null, hasBody: value.hasBody };
    case 'media.chunk':
      if (!isMediaId(value.id) || typeof value.failed !== 'boolean' || (value.bytes !== null && !(value.bytes instanceof Uint8Array))) return null;
      return { kind: 'media.chunk', id: value.id, bytes: value.bytes as Uint8Array | null, failed: value.failed };
    // Only the kind and the child's number are kept: main runs nothing the core could name.
    case 'vendor.start':
    case 'vendor.kill':
      return isVendorChild(value.child) ? { kind: value.kind, child: value.child } : null;
    default:
      return null;
  }
}
