// The media endpoint's HTTP shape, shared by both transports: the harness's loopback server
// (test/harness/socket-server.ts) and Electron's app://station/media/ (electron/window/
// media-protocol.ts, through the core host). A player's request for a view becomes a status,
// headers and a body pulled a chunk at a time from the view session (viewing/sessions.ts), so
// every chunk is checked against the grant as it is served, not once when the player opens:
// an expired or revoked grant ends the stream within one chunk.
//
// HTTP Range (RFC 9110 §14) is what makes seeking in a 4 GB original immediate: the player asks
// for the bytes at the new position and gets them from there. A proxy still being made has no
// length yet: it streams from its start and seeks only in what the player holds.
import { StationError } from '../../../shared/errors.js';
import type { ViewChunk } from '../viewing/sessions.js';

/**
 * What the endpoint serves bytes from: a view session (viewing/sessions.ts), checked against its
 * grant on every read, or an export's disc image to save (export/downloads.ts).
 */
export interface MediaSource {
  describe(id: string): { mediaType: string; disposition?: string } | null;
  read(id: string, position: number, max: number): Promise<ViewChunk>;
  length(id: string): number | null;
}

/** One read of the session: large enough to keep a disk streaming, small enough to stop soon after a revocation. */
export const MEDIA_CHUNK_BYTES = 1024 * 1024;

/** `/media/<viewId>`: 32 hex characters (viewing/sessions.ts makes them). */
export const MEDIA_PATH = /^\/media\/([0-9a-f]{32})$/;
/** `/download/<id>`: a disc image to save (export/downloads.ts makes the ids, 32 hex too). */
export const DOWNLOAD_PATH = /^\/download\/([0-9a-f]{32})$/;

export interface MediaAnswer {
  status: number;
  headers: Record<string, string>;
  /** Null for HEAD and for refusals (whose text is in `text`). */
  body: AsyncGenerator<Buffer, void, undefined> | null;
  text?: string;
}

type Range = { start: number; end: number | null } | { suffix: number };

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; null for no header; 'invalid' for anything else (several ranges included). */
export function parseRange(header: string | undefined): Range | null | 'invalid' {
  if (header === undefined || header === '') return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  const end = m[2] === '' ? null : Number(m[2]);
  if (!Number.isSafeInteger(start) || (end !== null && (!Number.isSafeInteger(end) || end < start))) return 'invalid';
  return { start, end };
}

const BASE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // Played inline, never saved under a name: there is no file name to offer.
  'Content-Disposition': 'inline',
  'Referrer-Policy': 'no-referrer',
  // No Cross-Origin-Resource-Policy here: the transport sets its own (the app's media are
  // same-origin with its page; the harness's come from the core's port, another origin).
};

function refusal(status: number, text: string, extra: Record<string, string> = {}): MediaAnswer {
  return { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra }, body: null, text };
}

/** A core refusal as an HTTP status: the player learns why through viewing.close (it says why the view ended). */
function statusOf(e: unknown): MediaAnswer {
  if (e instanceof StationError) {
    const status =
      e.code === 'view_not_granted' ? 403 : e.code === 'unauthenticated' ? 401 : e.code === 'not_found' ? 404 : e.code === 'invalid_input' ? 416 : 503;
    return refusal(status, e.message);
  }
  return refusal(500, '站点内部错误。 / Internal error.');
}

/**
 * The answer to a GET or HEAD of one view with an optional Range header. The view's bytes are
 * read only through `sessions.read`, which checks the grant each time.
 */
export async function answerMedia(sessions: MediaSource, viewId: string, method: string, rangeHeader: string | undefined): Promise<MediaAnswer> {
  if (method !== 'GET' && method !== 'HEAD') return refusal(405, 'method not allowed', { Allow: 'GET, HEAD' });
  const view = sessions.describe(viewId);
  if (!view) return refusal(404, '查阅会话不存在或已结束。 / No such view, or it has ended.');
  const range = parseRange(rangeHeader);
  if (range === 'invalid') return refusal(416, '请求的字节范围无效。 / The byte range asked for is not valid.');

  const read = (position: number, max: number) => sessions.read(viewId, position, max);
  let first: ViewChunk | null = null;
  let total: number | null;
  let start: number;
  try {
    if (range !== null && 'suffix' in range) {
      // The length first (under the grant check, without reading a byte), then the last `suffix` bytes.
      const length = sessions.length(viewId);
      if (length === null) return refusal(416, '代理文件尚在制作。 / The proxy is still being made.');
      start = Math.max(0, length - range.suffix);
    } else {
      start = range?.start ?? 0;
    }
    if (method === 'GET') {
      // The first chunk answers the length too; no more than the player asked for is read (and
      // counted as served in the register). Past the end it is empty, and refused below.
      const asked = range !== null && 'end' in range && range.end !== null ? range.end - start + 1 : MEDIA_CHUNK_BYTES;
      first = await read(start, Math.min(MEDIA_CHUNK_BYTES, asked));
      total = first.total;
    } else {
      // HEAD: the length under the grant check, and no byte read or counted.
      total = sessions.length(viewId);
    }
  } catch (e) {
    return statusOf(e);
  }
  const headers: Record<string, string> = { ...BASE_HEADERS, 'Content-Type': view.mediaType, ...(view.disposition ? { 'Content-Disposition': view.disposition } : {}) };
  let status = 200;
  let last: number | null = null; // inclusive; null: to the end, whenever that is
  if (total !== null) {
    if (start >= total && total > 0) return refusal(416, '请求的字节范围超出文件末尾。 / The range starts past the end.', { 'Content-Range': `bytes */${total}` });
    headers['Accept-Ranges'] = 'bytes';
    last = total === 0 ? -1 : Math.min(range !== null && 'end' in range && range.end !== null ? range.end : total - 1, total - 1);
    if (range !== null) {
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${last}/${total}`;
    }
    headers['Content-Length'] = String(last - start + 1);
  } else {
    // Still being made: no length, no ranges; the player plays it as it comes.
    headers['Accept-Ranges'] = 'none';
  }
  if (method === 'HEAD' || first === null) return { status, headers, body: null };
  return { status, headers, body: chunks(read, first, start, last) };
}

/** The body: the first chunk, then the rest read one chunk at a time as the transport asks. */
async function* chunks(read: (position: number, max: number) => Promise<ViewChunk>, first: ViewChunk, start: number, last: number | null): AsyncGenerator<Buffer, void, undefined> {
  let position = start;
  let chunk: ViewChunk | null = first;
  for (;;) {
    if (chunk === null) {
      const want = last === null ? MEDIA_CHUNK_BYTES : Math.min(MEDIA_CHUNK_BYTES, last - position + 1);
      if (want <= 0) return;
      chunk = await read(position, want);
    }
    if (chunk.bytes.length === 0) return;
    const bytes = last === null ? chunk.bytes : chunk.bytes.subarray(0, Math.max(0, last - position + 1));
    if (bytes.length === 0) return;
    position += bytes.length;
    yield bytes;
    chunk = null;
  }
}
