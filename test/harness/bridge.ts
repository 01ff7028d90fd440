// Browser code: the harness's `window.station`, playing the preload's role
// over the core host's loopback WebSocket so the real renderer runs unchanged
// in plain Chromium. Bundled on the fly by bridge-bundle.ts, which fills in
// the socket URL; it is loaded by a classic <script> placed first in <head>,
// so `window.station` exists before any of the app's scripts run.
import type { EventName, StationBridge, WireMessage, WireRequest } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import { MAX_MESSAGE_BYTES, TOKEN_PARAM } from './limits.js';

/** ws://127.0.0.1:<port>/station?token=…, written in by esbuild's `define`. */
declare const __HARNESS_SOCKET_URL__: string;

/** Calls made while the core is away wait this long for it before answering core_unavailable. */
const QUEUE_TIMEOUT_MS = 15_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

type Answer = (result: Result<unknown>) => void;
interface Queued {
  request: WireRequest;
  answer: Answer;
  timer: ReturnType<typeof setTimeout>;
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();
/** Made before the socket was open: sent when it opens. */
const queued: Queued[] = [];
/** Sent and not yet answered: answered core_unavailable if the socket drops. */
const inFlight = new Map<number, Answer>();
let socket: WebSocket | null = null;
let connectedBefore = false;
let nextId = 1;
let retryMs = FIRST_RETRY_MS;

function failure(code: 'core_unavailable' | 'invalid_input', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

const coreGone = () =>
  failure('core_unavailable', '与站点核心的连接中断，正在重新连接；请稍后重试。 / Lost the connection to the station core; reconnecting. Try again in a moment.');
const coreSlow = () =>
  failure('core_unavailable', '站点核心暂时无法访问；请稍后重试。 / The station core cannot be reached right now. Try again in a moment.');

function emit(event: string, payload: unknown): void {
  for (const listener of listeners.get(event) ?? []) {
    // One broken listener must not starve the others.
    try {
      listener(payload);
    } catch (error) {
      console.error(`window.station listener for ${event} threw`, error);
    }
  }
}

function send(request: WireRequest, answer: Answer): void {
  inFlight.set(request.id, answer);
  socket?.send(JSON.stringify(request));
}

function connect(): void {
  const ws = new WebSocket(__HARNESS_SOCKET_URL__);
  socket = ws;
  ws.onopen = () => {
    retryMs = FIRST_RETRY_MS;
    // A new socket is a new core connection: the old session is gone, as after
    // Electron main restarts the core. The app is told before queued calls run.
    if (connectedBefore) emit('core.restarted', { at: Date.now() });
    connectedBefore = true;
    for (const q of queued.splice(0)) {
      clearTimeout(q.timer);
      send(q.request, q.answer);
    }
  };
  ws.onmessage = (event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    const message = JSON.parse(event.data) as WireMessage;
    if (message.kind === 'result') {
      const answer = inFlight.get(message.id);
      inFlight.delete(message.id);
      answer?.(message.result);
    } else if (message.kind === 'event') {
      emit(message.event, message.payload);
    }
  };
  ws.onclose = () => {
    if (socket === ws) socket = null;
    for (const answer of inFlight.values()) answer(coreGone());
    inFlight.clear();
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };
}

function invoke(name: string, input: unknown): Promise<Result<unknown>> {
  return new Promise((answer) => {
    const request: WireRequest = { kind: 'invoke', id: nextId++, name, input };
    let text: string;
    try {
      text = JSON.stringify(request);
    } catch {
      answer(failure('invalid_input', '输入无法传送（含循环或不支持的值）。 / The input cannot be sent (circular or unsupported values).'));
      return;
    }
    // The core host closes the socket on an oversized frame; refuse here instead of dropping every call in flight.
    if (new TextEncoder().encode(text).length > MAX_MESSAGE_BYTES) {
      answer(failure('invalid_input', '输入过大。 / The input is too large.'));
      return;
    }
    if (socket?.readyState === WebSocket.OPEN) {
      send(request, answer);
      return;
    }
    const entry: Queued = {
      request,
      answer,
      timer: setTimeout(() => {
        queued.splice(queued.indexOf(entry), 1);
        answer(coreSlow());
      }, QUEUE_TIMEOUT_MS),
    };
    queued.push(entry);
  });
}

function on(event: EventName, listener: (payload: unknown) => void): () => void {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  // Wrapped so subscribing the same function twice gives two independent subscriptions, as in the preload.
  const subscription = (payload: unknown) => listener(payload);
  set.add(subscription);
  return () => {
    set.delete(subscription);
  };
}

/** The harness's media endpoint on the core's loopback server, under the same token as the socket. */
function mediaUrl(viewId: string): string {
  if (typeof viewId !== 'string' || !/^[0-9a-f]{32}$/.test(viewId)) throw new TypeError('station.mediaUrl: not a view id');
  const socketUrl = new URL(__HARNESS_SOCKET_URL__);
  // The page's own host name (127.0.0.1 or localhost), so the media is same-site with the page.
  return `http://${window.location.hostname}:${socketUrl.port}/media/${viewId}?${TOKEN_PARAM}=${encodeURIComponent(socketUrl.searchParams.get(TOKEN_PARAM) ?? '')}`;
}

/** A disc image to save, from the same endpoint (export/downloads.ts): served as an attachment. */
function downloadUrl(downloadId: string): string {
  if (typeof downloadId !== 'string' || !/^[0-9a-f]{32}$/.test(downloadId)) throw new TypeError('station.downloadUrl: not a download id');
  return mediaUrl(downloadId).replace('/media/', '/download/');
}

const bridge = Object.freeze({ invoke, on, mediaUrl, downloadUrl }) as unknown as StationBridge;
// Not writable or configurable, like contextBridge's: app code cannot swap it.
Object.defineProperty(window, 'station', { value: bridge, enumerable: true, writable: false, configurable: false });
connect();
