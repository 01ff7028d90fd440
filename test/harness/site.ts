import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { ClockChange } from './ipc.js';
import { contentTypeOf, lookupFile } from './static-files.js';
import { tokenMatches } from './token.js';

// The harness's web side: the built renderer with the bridge script put first
// in <head>, under the same CSP the Electron window enforces (sent as a header,
// since the renderer's index.html carries none), plus the test-only clock.

export const BRIDGE_PATH = '/__harness/bridge.js';
export const CLOCK_PATH = '/__harness/clock';
/** The clock endpoint wants the token in this header: a cross-site form cannot set it. */
export const TOKEN_HEADER = 'x-harness-token';
export const BRIDGE_TAG = `<script src="${BRIDGE_PATH}"></script>`;

export const RENDERER_MISSING =
  '界面尚未构建：请先运行 npm run build:renderer，然后刷新本页。 / The renderer is not built yet: run `npm run build:renderer`, then reload this page.';

export interface SiteOptions {
  rendererDir: string;
  httpPort: number;
  wsPort: number;
  token: string;
  bridgeScript: string;
  /** Null unless the harness was started with --clock. */
  moveClock: ((change: ClockChange) => Promise<number>) | null;
}

export function contentSecurityPolicy(wsPort: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // The core's loopback server carries the media endpoint too (the player's <video>, a photo's <img>).
    `img-src 'self' data: blob: http://127.0.0.1:${wsPort} http://localhost:${wsPort}`,
    `media-src http://127.0.0.1:${wsPort} http://localhost:${wsPort}`,
    "font-src 'self' data:",
    `connect-src ws://127.0.0.1:${wsPort}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Puts the bridge before every other script; null when the page has no <head> to put it in. */
export function injectBridge(html: string): string | null {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return null;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}${BRIDGE_TAG}${html.slice(at)}`;
}

export function createSite(options: SiteOptions): http.RequestListener {
  const baseHeaders: http.OutgoingHttpHeaders = {
    'Content-Security-Policy': contentSecurityPolicy(options.wsPort),
    'X-Content-Type-Options': 'nosniff',
    // The bridge script carries the token: no other origin may load it as a subresource.
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  // Refusing other Host names defeats DNS rebinding: a page on evil.example
  // re-pointed at 127.0.0.1 would otherwise read the bridge script and its token.
  const allowedHosts = new Set([`127.0.0.1:${options.httpPort}`, `localhost:${options.httpPort}`]);

  const reply = (req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: http.OutgoingHttpHeaders = {}) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { ...baseHeaders, ...extra, 'Content-Type': type, 'Content-Length': bytes.length });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };
  const text = (req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string) =>
    reply(req, res, status, 'text/plain; charset=utf-8', `${message}\n`);
  const json = (req: http.IncomingMessage, res: http.ServerResponse, status: number, value: unknown) =>
    reply(req, res, status, 'application/json; charset=utf-8', JSON.stringify(value));

  const serveIndex = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let html: string;
    try {
      // Read per request, so a rebuilt renderer shows on reload.
      html = fs.readFileSync(path.join(options.rendererDir, 'index.html'), 'utf8');
    } catch {
      const page = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Station harness</title></head><body><p>${RENDERER_MISSING}</p></body></html>`;
      reply(req, res, 503, 'text/html; charset=utf-8', page);
      return;
    }
    const injected = injectBridge(html);
    if (injected === null) {
      text(req, res, 500, `${path.join(options.rendererDir, 'index.html')} has no <head>; the harness cannot add its bridge script.`);
      return;
    }
    reply(req, res, 200, 'text/html; charset=utf-8', injected);
  };

  const serveClock = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'POST') return json(req, res, 405, { error: 'POST only' });
    if (!options.moveClock) return json(req, res, 404, { error: 'the harness was started without --clock' });
    const presented = req.headers[TOKEN_HEADER];
    if (!tokenMatches(options.token, typeof presented === 'string' ? presented : null)) {
      return json(req, res, 403, { error: `missing or wrong ${TOKEN_HEADER}` });
    }
    const change = parseClockChange(await readBody(req, 4096));
    if (!change) return json(req, res, 400, { error: 'expected {"advanceMs": n} or {"set": epochMs}, n a non-negative integer' });
    try {
      json(req, res, 200, { now: await options.moveClock(change) });
    } catch (error) {
      json(req, res, 503, { error: error instanceof Error ? error.message : String(error) });
    }
  };

  return (req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return text(req, res, 421, 'Misdirected request: use the URL the harness printed.');
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (!urlPath.startsWith('/')) return text(req, res, 400, 'Bad request');
    if (urlPath === CLOCK_PATH) {
      serveClock(req, res).catch((error: unknown) => {
        if (!res.headersSent) json(req, res, 400, { error: error instanceof Error ? error.message : String(error) });
        else res.destroy();
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(req, res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
    if (urlPath === BRIDGE_PATH) {
      // Belt and braces with CORP: a browser tells us when another site asks for the script.
      const site = req.headers['sec-fetch-site'];
      if (site === 'cross-site' || site === 'same-site') return text(req, res, 403, 'Forbidden');
      return reply(req, res, 200, 'text/javascript; charset=utf-8', options.bridgeScript);
    }
    if (urlPath === '/' || urlPath === '/index.html') return serveIndex(req, res);
    const found = lookupFile(options.rendererDir, urlPath);
    if (found.kind === 'refused') return text(req, res, 403, 'Forbidden');
    if (found.kind === 'missing') {
      // A path without an extension is an app route: give it the app (history routing), not a 404.
      return path.posix.extname(urlPath) === '' ? serveIndex(req, res) : text(req, res, 404, 'Not found');
    }
    reply(req, res, 200, contentTypeOf(found.file), fs.readFileSync(found.file));
  };
}

function parseClockChange(body: string): ClockChange | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (entries.length !== 1) return null;
  const [key, n] = entries[0]!;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return null;
  if (key === 'advanceMs') return { advanceMs: n };
  if (key === 'set') return { set: n };
  return null;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
