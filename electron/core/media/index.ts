// Derived media, wired to the station: the derived/ folder, the background thumbnail queue fed by
// the ingest's commits, and on-demand proxies for the (coming) media endpoint.
import type { ResolvedConfig } from '../config.js';
import type { Db } from '../db/open.js';
import type { EventBus } from '../events.js';
import { DerivedStore } from './derived.js';
import { Proxies } from './proxy.js';
import { clipSource, makeThumbnails, ThumbnailQueue } from './thumbnails.js';

export { needsProxy } from './proxy-rule.js';
export type { ProxyClip, ProxyHandle } from './proxy.js';

export interface Media {
  readonly store: DerivedStore;
  /** Null when the config turns thumbnails off. */
  readonly thumbnails: ThumbnailQueue | null;
  readonly proxies: Proxies;
  /**
   * A video's contact sheet, made now if it is missing (normal priority: someone is waiting);
   * null when the clip has none (not a video, or ffmpeg cannot decode it).
   */
  contactSheet(clipId: number): Promise<string | null>;
  close(): Promise<void>;
}

export interface MediaDeps {
  config: ResolvedConfig;
  db: Db;
  events: EventBus;
  absolute: (vaultPath: string) => string;
  /** Whether a dock is copying now: the queue waits for it (docs/performance.md: bench:ingest, thumbnails). */
  docking: () => boolean;
  log: (message: string, error?: unknown) => void;
}

export function createMedia(d: MediaDeps): Media {
  const store = new DerivedStore(d.config.dataDir, d.config.vaultDir);
  const common = { store, absolute: d.absolute, ffmpeg: d.config.ffmpegPath, log: d.log };
  const thumbnails = d.config.thumbnails
    ? new ThumbnailQueue({ ...common, db: d.db, now: () => d.config.clock.now(), paused: d.docking })
    : null;
  const committedClip = d.db.prepare<[number], { clip_id: number }>("SELECT clip_id FROM ingest_file WHERE id = ? AND state = 'committed' AND clip_id IS NOT NULL");
  const stopListening = thumbnails
    ? d.events.on((event, payload) => {
        // A file's commit (its clip's row and audit row are in the database by now): queue it.
        if (event === 'ingest.fileChanged') {
          const row = committedClip.get((payload as { fileId: number }).fileId);
          if (row) thumbnails.enqueue(row.clip_id);
        }
        // A dock ended: a queue that waited for it may go on.
        if (event === 'dock.changed') thumbnails.poke();
      })
    : () => undefined;
  const proxies = new Proxies(common);
  return {
    store,
    thumbnails,
    proxies,
    async contactSheet(clipId) {
      const clip = clipSource(d.db, clipId);
      if (!clip || clip.kind !== 'video') return null;
      const file = store.fileOf(clip, 'contact.jpg');
      if (store.has(clip, 'contact.jpg')) return file;
      const made = await makeThumbnails({ ...common, priority: 'normal', now: () => d.config.clock.now() }, clip, { retry: true });
      return made === 'made' || made === 'present' ? file : null;
    },
    async close() {
      stopListening();
      await Promise.all([thumbnails?.close(), proxies.close()]);
    },
  };
}
