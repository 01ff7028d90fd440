// app://station/media/<viewId>: the player's bytes, relayed from the core (electron/host/
// media-host.ts) a chunk at a time as Chromium reads them, so a seek cancels what it no longer
// needs and every chunk is checked against the grant in the core. Main decides nothing here:
// it carries the method, the Range header and the view id, and the core answers.
import { DOWNLOAD_PREFIX } from '../host/host-protocol.js';
import type { MediaAnswerHead } from '../host/supervisor.js';

/** `/media/` followed by a view id (32 hex); anything else under /media/ is not found. */
const MEDIA_PATH = /^\/media\/([0-9a-f]{32})$/;
/** `/download/` followed by a disc image's download id (export/downloads.ts): saved, not shown. */
const DOWNLOAD_PATH = /^\/download\/([0-9a-f]{32})$/;


export type OpenMedia = (viewId: string, method: string, range: string | null) => Promise<MediaAnswerHead>;

/** The view id a request of app://station names, or null when it is not a media request. */
export function mediaViewId(url: string): string | null | 'malformed' {
  const pathname = new URL(url).pathname;
  if (pathname.startsWith('/download/')) {
    const id = DOWNLOAD_PATH.exec(pathname)?.[1];
    return id ? `${DOWNLOAD_PREFIX}${id}` : 'malformed';
  }
  if (!pathname.startsWith('/media/')) return null;
  return MEDIA_PATH.exec(pathname)?.[1] ?? 'malformed';
}

export async function mediaResponse(openMedia: OpenMedia, viewId: string, request: Request): Promise<Response> {
  const answer = await openMedia(viewId, request.method, request.headers.get('range'));
  // Only the station's own page (app://station) may embed its media.
  const head = { ...answer, headers: { ...answer.headers, 'Cross-Origin-Resource-Policy': 'same-origin' } };
  if (!head.hasBody) return new Response(head.text, { status: head.status, headers: head.headers });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await head.pull();
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      } catch (e) {
        // Cut short by the core (the grant ended): the player's stream errors and it asks why.
        controller.error(e);
      }
    },
    cancel() {
      head.cancel();
    },
  });
  return new Response(body, { status: head.status, headers: head.headers });
}
