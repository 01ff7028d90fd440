import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { WireMessage, WireRequest } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import type { Station } from '../../electron/core/station.js';
import { answerMedia, DOWNLOAD_PATH, MEDIA_PATH } from '../../electron/core/media/endpoint.js';
import { MAX_MESSAGE_BYTES, SOCKET_PATH, TOKEN_PARAM } from './limits.js';
import { tokenMatches } from './token.js';

// The harness's stand-in for Electron's preload + IPC relay: a loopback
// WebSocket where each socket is one UI connection to the core, exactly as one
// renderer window is in the app (its own session, closed with the socket).

export interface SocketServerOptions {
  station: Station;
  token: string;
  port: number;
  allowedOrigins: readonly string[];
  log: (message: string, error?: unknown) => void;
}

export interface SocketServer {
  readonly port: number;
  /** Closes every socket (the pages reconnect to the next core) and stops listening. */
  close(): Promise<void>;
}

export async function startSocketServer(options: SocketServerOptions): Promise<SocketServer> {
  const { station, token, allowedOrigins, log } = options;
  // Plain HTTP requests get nothing but the media endpoint; everything else is the socket.
  const server = http.createServer((req, res) => {
    const address = server.address();
    const port = address !== null && typeof address !== 'string' ? address.port : -1;
    void serveMedia(req, res, station, token, port, log);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const address = server.address();
    const port = address !== null && typeof address !== 'string' ? address.port : -1;
    const refusal = checkUpgrade(req, token, allowedOrigins, port);
    if (refusal) {
      refuse(socket, refusal);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, station, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('socket server has no TCP address');

  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.close(1001, 'core stopping');
        wss.close();
        server.close(() => resolve());
        // Sockets still finishing their closing handshake must not hold the exit.
        server.closeAllConnections();
      }),
  };
}

type Refusal = { status: 401 | 403 | 404; reason: string };

/**
 * Path, token, Host, then Origin. The Host must be this loopback server by name or address, or a
 * page on another site could reach it through a DNS name rebound to 127.0.0.1; the Origin must be
 * the harness's own page, always (a client without one, a script, is not the page either: it may
 * not drive the core even with a leaked token; the demo's client says which page it stands for).
 */
function checkUpgrade(req: http.IncomingMessage, token: string, allowedOrigins: readonly string[], port: number): Refusal | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== SOCKET_PATH) return { status: 404, reason: 'Not Found' };
  if (!tokenMatches(token, url.searchParams.get(TOKEN_PARAM))) return { status: 401, reason: 'Unauthorized' };
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return { status: 403, reason: 'Forbidden' };
  const origin = req.headers.origin;
  if (origin === undefined || !allowedOrigins.includes(origin)) return { status: 403, reason: 'Forbidden' };
  return null;
}

/**
 * The harness's media endpoint, `/media/<viewId>?token=…`: what app://station/media/ is in the
 * app. The token and the Host as for the socket; no Origin (a <video> sends none); the view id,
 * which only the viewer's window was given, is the key, and every chunk is checked against the
 * grant by the core (media/endpoint.ts).
 */
async function serveMedia(req: http.IncomingMessage, res: http.ServerResponse, station: Station, token: string, port: number, log: SocketServerOptions['log']): Promise<void> {
  const plain = (status: number, text: string) => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(`${text}\n`);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const media = MEDIA_PATH.exec(url.pathname);
  const download = DOWNLOAD_PATH.exec(url.pathname);
  const match = media ?? download;
  if (!match) return void plain(404, 'not found');
  if (!tokenMatches(token, url.searchParams.get(TOKEN_PARAM))) return void plain(401, 'Unauthorized');
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return void plain(403, 'Forbidden');
  const answer = await answerMedia(media ? station.viewing.sessions : station.exports.downloads, match[1]!, req.method ?? 'GET', req.headers.range);
  res.writeHead(answer.status, answer.headers);
  if (!answer.body) return void res.end(answer.text !== undefined ? `${answer.text}\n` : undefined);
  const body = answer.body;
  // The player hung up (a seek, a close): stop reading the vault.
  res.once('close', () => void body.return(undefined));
  try {
    for await (const chunk of body) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    res.end();
  } catch (e) {
    // Refused mid-stream (the grant expired or was revoked, the window locked): the stream stops short.
    if (!(e instanceof Error && 'code' in e)) log('media stream failed', e);
    res.destroy();
  }
}

/** Waits for the player to take what was written (or hang up); leaves no listener behind either way. */
function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function refuse(socket: Duplex, refusal: Refusal): void {
  socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function serveSocket(ws: WebSocket, station: Station, log: SocketServerOptions['log']): void {
  const connection = station.connect({ kind: 'ui' });
  const send = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = connection.onEvent((event, payload) => send({ kind: 'event', event, payload }));

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'text frames only');
      return;
    }
    const request = parseRequest(toText(data));
    if (request === null) {
      // A page that speaks something else is a bug in the bridge, not a user error: close loudly.
      ws.close(1008, 'not a WireRequest');
      return;
    }
    connection.invoke(request.name, request.input).then(
      (result) => send({ kind: 'result', id: request.id, result }),
      (error: unknown) => {
        // dispatch() turns every error into a result; reaching here is a bug in the core.
        log(`call ${request.name} threw outside dispatch`, error);
        send({ kind: 'result', id: request.id, result: internalError() });
      },
    );
  });
  ws.on('error', (error) => log('socket error', error));
  ws.on('close', () => {
    unsubscribe();
    connection.close();
  });
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Checks the envelope only; the input itself is the core's to validate against the contract. */
export function parseRequest(text: string): WireRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (r.kind !== 'invoke' || typeof r.name !== 'string') return null;
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id) || r.id < 0) return null;
  return { kind: 'invoke', id: r.id, name: r.name, input: r.input };
}

function internalError(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'internal',
      message: '站点内部错误，操作未执行；请重试。 / Internal error: nothing was changed. Try again.',
    },
  };
}
