// The app:// scheme: the renderer's files, from the app itself, each response
// carrying the strict CSP. Registering the scheme as standard and secure gives
// the renderer a real origin (app://station) to check IPC senders against.
import fs from 'node:fs/promises';
import type { Session } from 'electron';
import { protocol } from 'electron';
import { APP_SCHEME } from './app-origin.js';
import { contentTypeFor, resolveRendererRequest, responseHeaders } from './renderer-files.js';
import type { ShellLog } from '../shell/shell-log.js';
import type { OpenMedia } from './media-protocol.js';
import { mediaResponse, mediaViewId } from './media-protocol.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // No bypassCSP, no corsEnabled (it would let other origins read our files).
      // stream: the player's media are served from here (app://station/media/, ranges and all).
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, stream: true },
    },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

async function readFirst(files: Array<string | null>): Promise<{ file: string; body: Buffer } | null> {
  for (const file of files) {
    if (file === null) continue;
    try {
      return { file, body: await fs.readFile(file) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') throw e;
    }
  }
  return null;
}

/** Serves `root` (the built renderer) on app://station/ in `session`, and the player's media under /media/ from the core. */
export function serveRenderer(session: Session, root: string, log: ShellLog, openMedia: OpenMedia): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const viewId = mediaViewId(request.url);
    if (viewId === 'malformed') return plain(404, 'not found');
    if (viewId !== null) return mediaResponse(openMedia, viewId, request);
    const target = resolveRendererRequest(root, request.url);
    if (target.kind === 'refused') {
      log(`[protocol] refused ${request.url.slice(0, 200)}: ${target.reason}`);
      return plain(target.status, target.reason);
    }
    try {
      const found = await readFirst([target.file, target.fallback]);
      if (!found) return plain(404, 'not found');
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(found.body), {
        status: 200,
        headers: responseHeaders(contentTypeFor(found.file)),
      });
    } catch (e) {
      log(`[protocol] cannot read ${target.file}`, e);
      return plain(500, 'cannot read the file');
    }
  });
}
