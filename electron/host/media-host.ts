// The core host's side of app://station/media/: answers main's media.open with the head of the
// answer (media/endpoint.ts), then one chunk per media.pull, so main never holds more than the
// player asked for and every chunk is read under the grant check. No `electron` import.
import { answerMedia } from '../core/media/endpoint.js';
import type { Station } from '../core/station.js';
import { DOWNLOAD_PREFIX, type HostPort, type HostToMain, type MediaRequest } from './host-protocol.js';

export interface MediaHost {
  handle(message: MediaRequest): void;
  /** Ends every body in flight (the host is stopping). */
  stop(): void;
}

export function mediaHost(port: HostPort<HostToMain>, station: Station, log: (message: string, error?: unknown) => void): MediaHost {
  const bodies = new Map<number, AsyncGenerator<Buffer, void, undefined>>();
  const send = (message: HostToMain) => {
    try {
      port.postMessage(message);
    } catch (e) {
      log('could not send media to main', e);
    }
  };

  const open = async (m: Extract<MediaRequest, { kind: 'media.open' }>) => {
    // A disc image to save comes as DOWNLOAD_PREFIX + its id (window/media-protocol.ts); a view as its id.
    const download = m.viewId.startsWith(DOWNLOAD_PREFIX);
    const answer = await answerMedia(
      download ? station.exports.downloads : station.viewing.sessions,
      download ? m.viewId.slice(DOWNLOAD_PREFIX.length) : m.viewId,
      m.method,
      m.range ?? undefined,
    );
    if (answer.body) bodies.set(m.id, answer.body);
    send({ kind: 'media.head', id: m.id, status: answer.status, headers: answer.headers, text: answer.text ?? null, hasBody: answer.body !== null });
  };

  const pull = async (id: number) => {
    const body = bodies.get(id);
    if (!body) return send({ kind: 'media.chunk', id, bytes: null, failed: true });
    try {
      const next = await body.next();
      if (next.done) {
        bodies.delete(id);
        send({ kind: 'media.chunk', id, bytes: null, failed: false });
      } else {
        send({ kind: 'media.chunk', id, bytes: new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.length), failed: false });
      }
    } catch {
      // The core refused mid-stream (grant over, window locked): the player's stream stops short.
      bodies.delete(id);
      send({ kind: 'media.chunk', id, bytes: null, failed: true });
    }
  };

  return {
    handle(m) {
      if (m.kind === 'media.open') {
        open(m).catch((e: unknown) => {
          log('media.open failed', e);
          send({ kind: 'media.head', id: m.id, status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, text: 'internal error', hasBody: false });
        });
      } else if (m.kind === 'media.pull') {
        void pull(m.id);
      } else {
        const body = bodies.get(m.id);
        bodies.delete(m.id);
        void body?.return(undefined);
      }
    },
    stop() {
      for (const body of bodies.values()) void body.return(undefined);
      bodies.clear();
    },
  };
}
