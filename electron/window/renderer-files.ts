// Maps an app:// request to a file of the built renderer (dist/renderer), and
// says which headers go with it. Pure (no `electron`), so the refusal of path
// traversal is unit-tested directly.
import path from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './app-origin.js';

export type RendererRequest =
  /** `fallback`: the SPA entry to serve when `file` does not exist (a route, not an asset). */
  | { kind: 'file'; file: string; fallback: string | null }
  | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

const INDEX = 'index.html';

export function resolveRendererRequest(root: string, requestUrl: string): RendererRequest {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'refused', status: 400, reason: 'unparsable URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST || url.port !== '' || url.username !== '') {
    return { kind: 'refused', status: 404, reason: 'not our origin' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'bad percent-encoding' };
  }
  if (pathname.includes('\0')) return { kind: 'refused', status: 400, reason: 'NUL in path' };
  // Split on both separators: "%5C" decodes to a backslash, a separator on Windows.
  const segments = pathname.split(/[\\/]+/).filter((s) => s !== '');
  // The URL parser already removed literal dot segments, so any left here came
  // percent-encoded: someone is trying to climb out of the renderer folder.
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused', status: 403, reason: 'path traversal' };
  if (segments.some((s) => /^[a-zA-Z]:$/.test(s))) return { kind: 'refused', status: 403, reason: 'drive letter' };

  const base = path.resolve(root);
  const file = path.resolve(base, ...(segments.length === 0 ? [INDEX] : segments));
  const relative = path.relative(base, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { kind: 'refused', status: 403, reason: 'outside the renderer folder' };
  }
  const last = segments[segments.length - 1] ?? INDEX;
  // "/people" is a screen of the single-page app; "/assets/x.js" is a file that must exist.
  const fallback = last.includes('.') ? null : path.join(base, INDEX);
  return { kind: 'file', file, fallback };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response, errors included. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // The files change only with the app itself; never serve a stale build.
    'Cache-Control': 'no-cache',
  };
}
