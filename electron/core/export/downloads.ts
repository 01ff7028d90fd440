// Saving a disc image where the user chooses (no drive at the station): the image is served by
// the media endpoint under a one-time id, to the window that asked, while that window stays
// logged in as the person who asked and the export stays ready; as an attachment, so Chromium
// saves it (Electron shows its save dialog) instead of showing it. Ranges resume a broken save.
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { StationError } from '../../../shared/errors.js';
import type { ConnectionId } from '../events.js';
import type { MediaSource } from '../media/endpoint.js';
import type { ViewChunk } from '../viewing/sessions.js';

/** A download link lasts this long unused; an hour is enough to pick a folder and save 50 GB. */
const LINK_MS = 60 * 60 * 1000;

interface Download {
  file: string;
  fileName: string;
  bytes: number;
  connection: ConnectionId;
  personId: number;
  exportId: number;
  until: number;
}

export class ExportDownloads implements MediaSource {
  private readonly links = new Map<string, Download>();

  constructor(
    private readonly d: {
      now(): number;
      holds(connection: ConnectionId, personId: number): boolean;
      /** The export still may be saved (ready, not handed over or cancelled). */
      stillReady(exportId: number): boolean;
    },
  ) {}

  add(link: Omit<Download, 'until'>): string {
    const id = randomBytes(16).toString('hex');
    this.links.set(id, { ...link, until: this.d.now() + LINK_MS });
    return id;
  }

  private live(id: string): Download {
    const link = this.links.get(id);
    if (!link) throw new StationError('not_found', '下载链接不存在或已失效。 / No such download, or it has ended.');
    if (this.d.now() > link.until || !this.d.stillReady(link.exportId)) {
      this.links.delete(id);
      throw new StationError('not_found', '下载链接已失效，请重新下载。 / The download link has expired: start the download again.');
    }
    if (!this.d.holds(link.connection, link.personId)) {
      throw new StationError('unauthenticated', '请先登录（会话已锁定或结束）。 / Log in again: the session is locked or over.');
    }
    return link;
  }

  describe(id: string): { mediaType: string; disposition: string } | null {
    const link = this.links.get(id);
    if (!link) return null;
    return { mediaType: 'application/x-iso9660-image', disposition: `attachment; filename="${link.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(link.fileName)}` };
  }

  length(id: string): number | null {
    return this.live(id).bytes;
  }

  async read(id: string, position: number, max: number): Promise<ViewChunk> {
    const link = this.live(id);
    if (position >= link.bytes) return { bytes: Buffer.alloc(0), total: link.bytes };
    const handle = await fsp.open(link.file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(max, link.bytes - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return { bytes: buffer.subarray(0, bytesRead), total: link.bytes };
    } finally {
      await handle.close();
    }
  }

  /** The export's links end with it (handed over, cancelled). */
  dropFor(exportId: number): void {
    for (const [id, link] of this.links) if (link.exportId === exportId) this.links.delete(id);
  }
}
