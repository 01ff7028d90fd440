// View sessions, which the media endpoint (media/endpoint.ts) plays a clip through: openView
// registers the view (查阅登记, 第十八条); read and readRange serve bytes of the original from the
// vault, or of its proxy, only while the session's grant still allows it and the window that
// opened it is still logged in as the viewer, checked at every range (an expired or revoked grant,
// a logout or a lock stops playback within one range); closeView ends the row. The vault's path
// never leaves here.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StationError } from '../../../shared/errors.js';
import type { ClipKind } from '../../../shared/ingest.js';
import { isSecret } from '../../../shared/library.js';
import type { ViewCloseReason, ViewDenial, ViewOpened } from '../../../shared/viewing.js';
import type { Actor } from '../audit/actor.js';
import { personActor, stationActor } from '../audit/actor.js';
import type { Clock, Random } from '../clock.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { ConnectionId } from '../events.js';
import { clipConfidentiality } from '../library/confidentiality.js';
import { mediaTypeOf, PROXY_TYPE } from '../media/media-types.js';
import { needsProxy } from '../media/proxy-rule.js';
import type { ProxyClip, ProxyHandle } from '../media/proxy.js';
import type { PeopleRepository } from '../people/repository.js';
import { mayView, sessionMayContinue } from './access.js';
import type { ViewingSettingsStore } from './settings.js';

/** The most one range returns: a player asks again for the rest, each time under the grant. */
export const MAX_RANGE_BYTES = 8 * 1024 * 1024;

/** What the register says of a view the station's own-footage setting allowed (no request, no approver). */
export const OWN_FOOTAGE_REASON = '本人近期录像（工作站设置允许） / Own recent footage (allowed by the station setting)';

export interface ServedRange {
  bytes: Buffer;
  start: number;
  /** Inclusive, as HTTP's Content-Range counts. */
  end: number;
  size: number;
}

/** What one read of a view returns: `total` is null while a proxy is still being made. */
export interface ViewChunk {
  bytes: Buffer;
  total: number | null;
}

type Source =
  | { kind: 'original' }
  | { kind: 'proxy'; handle: ProxyHandle; complete: boolean; reader: FollowReader | null }
  /** A picture made from the clip (its contact sheet), read whole from derived/. */
  | { kind: 'picture'; file: string; size: number };

interface OpenSession {
  registerId: number;
  viewerId: number;
  actor: Actor;
  clipId: number;
  grantId: number | null;
  /** The window that opened it; null for the core's own callers (tests, the CLI). */
  connection: ConnectionId | null;
  vaultPath: string;
  size: number;
  source: Source;
  opened: ViewOpened;
}

export interface OpenViewOptions {
  connection?: ConnectionId;
  /** The player cannot decode the original (it asked canPlayType): play a proxy if the clip has none of its own. */
  proxy?: boolean;
  /** View the clip's contact sheet (key frames), this file, rather than the clip: a view like any other. */
  contactSheet?: string;
}

/** Why recently ended sessions ended, for the player that asks after its stream stopped. */
const ENDED_KEPT = 256;

export interface ViewSessionDeps {
  db: Db;
  writer: Writer;
  people: PeopleRepository;
  settings: ViewingSettingsStore;
  clock: Clock;
  random: Random;
  /** The vault file's absolute path (ingest/vault.ts); used to read, never returned. */
  absolute(vaultPath: string): string;
  /** Whether the vault is the station's and mounted (ingest/vault-guard.ts). */
  vaultReady(): boolean;
  /** Whether the connection is still logged in, unlocked, as the person (auth/sessions.ts). */
  holds?(connection: ConnectionId, personId: number): boolean;
  /** Counts as the window's activity for the idle lock (auth/sessions.ts). */
  touch?(connection: ConnectionId): void;
  /** The proxy of a clip (media/proxy.ts); `toDisk` false keeps it in memory (secret clips). */
  proxyFor?(clip: ProxyClip, toDisk: boolean): ProxyHandle;
}

const denied = (reason: ViewDenial) =>
  new StationError(
    'view_not_granted',
    reason === 'secret_needs_head_grant'
      ? '此录像属涉密录像，须经部门负责人批准指明此录像的查阅申请后方可查阅。 / This clip is secret: it can be viewed only under a department head\'s approval of a request that names it.'
      : reason === 'not_a_viewer'
        ? '您的账户不能查阅录像。 / Your account may not view recordings.'
        : '没有有效的查阅批准（未批准、已到期或已撤销）；请提出查阅申请。 / No grant in force lets you view this clip (none, expired or revoked); ask to view it.',
    { reason },
  );

export class ViewSessions {
  private readonly open = new Map<string, OpenSession>();
  private readonly ended = new Map<string, ViewCloseReason>();

  constructor(private readonly d: ViewSessionDeps) {}

  /**
   * Sessions live in this process's memory: rows a previous run left open (a crash, a power cut)
   * are closed as interrupted at start-up, with the bytes counted until then.
   */
  closeInterrupted(): number {
    const rows = prepared<[], { id: number; bytes_served: number }>(this.d.db, 'SELECT id, bytes_served FROM view_register WHERE closed_at IS NULL').all();
    if (rows.length === 0) return 0;
    this.d.writer.run(stationActor, (tx) => {
      for (const r of rows) {
        prepared(this.d.db, "UPDATE view_register SET closed_at = ?, closed_because = 'interrupted' WHERE id = ? AND closed_at IS NULL").run(tx.at, r.id);
        tx.audit({ action: 'view.closed', objectType: 'view_register', objectId: r.id, after: { because: 'interrupted', bytesServed: r.bytes_served } });
      }
    });
    return rows.length;
  }

  /** Opens a view of the clip for the person, registered; refused (and the refusal audited) without a grant. */
  openView(viewerId: number, clipId: number, options: OpenViewOptions = {}): string {
    const actor = personActor(this.d.people.ref(viewerId));
    const now = this.d.clock.now();
    const decision = mayView(this.d.db, this.d.settings.get(), viewerId, clipId, now);
    if (!decision.allowed) {
      this.d.writer.run(actor, (tx) => tx.audit({ action: 'view.denied', objectType: 'clip', objectId: clipId, after: { reason: decision.reason } }));
      throw denied(decision.reason);
    }
    if (!this.d.vaultReady()) throw vaultUnavailable();
    const clip = prepared<[number], ClipRow>(
      this.d.db,
      'SELECT id, vault_path, size, kind, original_path, video_codec, audio_codec, duration_ms, hash_algorithm, hash FROM clip WHERE id = ?',
    ).get(clipId)!;
    const useProxy = options.contactSheet === undefined && options.proxy === true && needsProxy(clip);
    if (useProxy && !this.d.proxyFor) throw new StationError('invalid_state', '本站无法制作代理文件。 / This station cannot make proxies.');
    const grant = decision.grant;
    const viewer = this.d.people.ref(viewerId);
    const registerId = this.d.writer.run(actor, (tx) => {
      const id = Number(
        prepared(
          this.d.db,
          'INSERT INTO view_register (viewer_id, viewer, clip_id, grant_id, reason, purpose, approver, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(viewerId, viewer.name, clipId, grant?.id ?? null, grant?.reason ?? OWN_FOOTAGE_REASON, grant?.purpose ?? null, grant?.granted_by ?? null, tx.at).lastInsertRowid,
      );
      // Filed under the clip, so its history (library.clip) shows who viewed it; the register row is named inside.
      tx.audit({
        action: 'view.opened',
        objectType: 'clip',
        objectId: clipId,
        after: { registerId: id, grantId: grant?.id ?? null, basis: decision.basis, proxy: useProxy, ...(options.contactSheet !== undefined ? { contactSheet: true } : {}) },
      });
      return id;
    });
    let source: Source = { kind: 'original' };
    if (options.contactSheet !== undefined) {
      source = { kind: 'picture', file: options.contactSheet, size: statSize(options.contactSheet, clipId) };
    } else if (useProxy) {
      // A secret clip's proxy never touches a disk (第二十一条): made in memory for this viewer.
      const secret = isSecret(clipConfidentiality(this.d.db, [clipId]).get(clipId) ?? 'normal');
      const handle = this.d.proxyFor!(clip, !secret);
      const proxy: Source = { kind: 'proxy', handle, complete: false, reader: null };
      handle.done.then(
        () => (proxy.complete = true),
        () => undefined,
      );
      source = proxy;
    }
    const sessionId = this.d.random.bytes(16).toString('hex');
    const opened: ViewOpened = {
      viewId: sessionId,
      clipId,
      registerId,
      kind: clip.kind as ClipKind,
      mediaType: options.contactSheet !== undefined ? 'image/jpeg' : useProxy ? PROXY_TYPE : mediaTypeOf(clip.original_path),
      proxy: useProxy,
      contactSheet: options.contactSheet !== undefined,
      viewer: { id: viewer.id, name: viewer.name, badge: viewer.badge },
      grantId: grant?.id ?? null,
      expiresAt: grant?.expires_at ?? null,
      openedAt: now,
    };
    this.open.set(sessionId, {
      registerId,
      viewerId,
      actor,
      clipId,
      grantId: grant?.id ?? null,
      connection: options.connection ?? null,
      vaultPath: clip.vault_path,
      size: clip.size,
      source,
      opened,
    });
    return sessionId;
  }

  /** What the player needs to know of an open view (no path, no bytes); null once it is over. */
  describe(sessionId: string): ViewOpened | null {
    return this.open.get(sessionId)?.opened ?? null;
  }

  /** Whether a view is open and belongs to the person (the endpoint's and the close call's check). */
  ownedBy(sessionId: string, personId: number): boolean {
    return this.open.get(sessionId)?.viewerId === personId;
  }

  /** Why a view that is over ended (the player asks when its stream stops); null when unknown or open. */
  endedBecause(sessionId: string): ViewCloseReason | null {
    return this.ended.get(sessionId) ?? null;
  }

  /**
   * Up to `max` bytes of the view from `position` (the original, or its proxy as it is made),
   * after the same checks as readRange. An empty chunk with a total is the end. A proxy still
   * being made is read in order only (from 0, or where the last read stopped).
   */
  async read(sessionId: string, position: number, max: number): Promise<ViewChunk> {
    const s = this.requireOpen(sessionId);
    if (s.source.kind === 'original') {
      if (position >= s.size) return { bytes: Buffer.alloc(0), total: s.size };
      const r = await this.readRange(sessionId, position, position + Math.max(1, max) - 1);
      return { bytes: r.bytes, total: r.size };
    }
    this.mayContinue(sessionId, s);
    if (s.source.kind === 'picture') {
      const bytes = await readFileRange(s.source.file, position, Math.min(max, MAX_RANGE_BYTES, Math.max(0, s.source.size - position)), s.clipId);
      return this.served(sessionId, s, { bytes, total: s.source.size });
    }
    const proxy = s.source;
    if (proxy.complete && proxy.handle.mode === 'file' && proxy.handle.file) {
      const bytes = await readFileRange(proxy.handle.file, position, Math.min(max, MAX_RANGE_BYTES), s.clipId);
      return this.served(sessionId, s, { bytes, total: proxy.handle.bytes() });
    }
    if (position === 0 || proxy.reader === null || proxy.reader.position !== position) {
      if (position !== 0) {
        throw new StationError('invalid_input', '代理文件尚在制作，只能从头顺序播放。 / The proxy is still being made; it plays from the start, in order.', {
          issues: [{ path: 'range', message: 'range' }],
        });
      }
      proxy.reader?.close();
      proxy.reader = new FollowReader(proxy.handle.open());
    }
    let bytes: Buffer | null;
    try {
      bytes = await proxy.reader.read(Math.min(max, MAX_RANGE_BYTES));
    } catch {
      throw new StationError('invalid_state', `录像 ${s.clipId} 的代理文件制作失败；请保管人运行存储库校验后重试。 / The proxy of clip ${s.clipId} could not be made; ask the custodian to verify the vault, then try again.`, {
        clipId: s.clipId,
      });
    }
    const total = bytes === null ? proxy.reader.position : proxy.complete ? proxy.handle.bytes() : null;
    return this.served(sessionId, s, { bytes: bytes ?? Buffer.alloc(0), total });
  }

  /** The view's length now (null: a proxy still being made), after the same checks as a read; no bytes are read or counted. */
  length(sessionId: string): number | null {
    const s = this.requireOpen(sessionId);
    this.mayContinue(sessionId, s);
    if (s.source.kind === 'original') return s.size;
    if (s.source.kind === 'picture') return s.source.size;
    return s.source.complete ? s.source.handle.bytes() : null;
  }

  /**
   * Ends every open view whose window no longer holds the viewer's session (logged out, locked,
   * closed): called when a connection closes and on the idle-lock timer.
   */
  closeStale(): number {
    if (!this.d.holds) return 0;
    let n = 0;
    for (const [id, s] of [...this.open]) {
      if (s.connection !== null && !this.d.holds(s.connection, s.viewerId)) {
        this.end(id, s, 'closed');
        n++;
      }
    }
    return n;
  }

  /** The register row of an open session (for the endpoint's headers and tests); null once closed. */
  registerIdOf(sessionId: string): number | null {
    return this.open.get(sessionId)?.registerId ?? null;
  }

  /**
   * Bytes `start`..`endInclusive` of the original (the end clamped to the file and to
   * MAX_RANGE_BYTES), after checking at this moment that the session's grant still allows the
   * view; if it does not, the session is closed with the reason and the range refused.
   */
  async readRange(sessionId: string, start: number, endInclusive: number): Promise<ServedRange> {
    const s = this.requireOpen(sessionId);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start) {
      throw new StationError('invalid_input', '请求的字节范围无效。 / The byte range asked for is not valid.', { issues: [{ path: 'range', message: 'range' }] });
    }
    if (start >= s.size) {
      throw new StationError('invalid_input', '请求的字节范围超出文件末尾。 / The byte range starts past the end of the file.', { size: s.size, issues: [{ path: 'range', message: 'range' }] });
    }
    // A proxy view never reads the original: the viewer was told it is watching the proxy.
    if (s.source.kind !== 'original') throw new StationError('invalid_state', '此查阅播放的是代理文件。 / This view plays the proxy.');
    this.mayContinue(sessionId, s);
    const end = Math.min(endInclusive, s.size - 1, start + MAX_RANGE_BYTES - 1);
    const bytes = await readFileRange(this.d.absolute(s.vaultPath), start, end - start + 1, s.clipId);
    // Shorter than the index says: the vault's file was cut; nothing of it is served as if whole.
    if (bytes.length < end - start + 1) throw unreadable(s.clipId);
    this.served(sessionId, s, { bytes, total: s.size });
    return { bytes, start, end, size: s.size };
  }

  /** The window still holds the viewer's session and the grant still allows the view, now; else the session ends. */
  private mayContinue(sessionId: string, s: OpenSession): void {
    if (s.connection !== null && this.d.holds && !this.d.holds(s.connection, s.viewerId)) {
      this.end(sessionId, s, 'closed');
      throw new StationError('unauthenticated', '登录已结束或已锁定，查阅已停止；请重新登录后再打开。 / You are logged out or locked: the view stopped. Log in and open it again.');
    }
    const verdict = sessionMayContinue(this.d.db, this.d.settings.get(), s.viewerId, s.clipId, s.grantId, this.d.clock.now());
    if (!verdict.ok) {
      this.end(sessionId, s, verdict.because);
      throw denied(verdict.reason);
    }
    if (!this.d.vaultReady()) throw vaultUnavailable();
    // Watching is being there: a player reads as it plays, so a clip longer than the idle lock
    // plays to its end; paused, it stops reading and the window locks as usual.
    if (s.connection !== null) this.d.touch?.(s.connection);
  }

  /** Counts bytes handed out (unless the session was closed while they were read: then none are). */
  private served<T extends { bytes: Buffer }>(sessionId: string, s: OpenSession, chunk: T): T {
    if (!this.open.has(sessionId)) throw denied('no_grant');
    // Counted as served without an audit row or a disk sync of its own (the close is audited with
    // the total); the next durable commit carries it.
    if (chunk.bytes.length > 0) {
      this.d.writer.runUnsynced(() => prepared(this.d.db, 'UPDATE view_register SET bytes_served = bytes_served + ? WHERE id = ?').run(chunk.bytes.length, s.registerId));
    }
    return chunk;
  }

  /** Ends the view (the player closed); false when the session was already over. */
  closeView(sessionId: string): boolean {
    const s = this.open.get(sessionId);
    if (!s) return false;
    this.end(sessionId, s, 'closed');
    return true;
  }

  private requireOpen(sessionId: string): OpenSession {
    const s = this.open.get(sessionId);
    if (!s) throw new StationError('not_found', '查阅会话已结束，请重新打开录像。 / The view session has ended; open the clip again.');
    return s;
  }

  private end(sessionId: string, s: OpenSession, because: 'closed' | 'expired' | 'revoked' | 'not_granted'): void {
    this.open.delete(sessionId);
    if (s.source.kind === 'proxy') s.source.reader?.close();
    this.ended.set(sessionId, because);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.keys().next().value!);
    this.d.writer.run(s.actor, (tx) => {
      prepared(this.d.db, 'UPDATE view_register SET closed_at = ?, closed_because = ? WHERE id = ? AND closed_at IS NULL').run(tx.at, because, s.registerId);
      const bytes = prepared<[number], { bytes_served: number }>(this.d.db, 'SELECT bytes_served FROM view_register WHERE id = ?').get(s.registerId)!.bytes_served;
      tx.audit({ action: 'view.closed', objectType: 'view_register', objectId: s.registerId, after: { clipId: s.clipId, because, bytesServed: bytes } });
    });
  }
}

const unreadable = (clipId: number) =>
  new StationError('invalid_state', `录像 ${clipId} 无法从存储库读取；请保管人运行存储库校验。 / Clip ${clipId} cannot be read from the vault; ask the custodian to verify the vault.`, {
    clipId,
  });

const vaultUnavailable = () =>
  new StationError('invalid_state', '存储库当前不可用（未挂载或不是本站的存储库），请联系保管人。 / The vault is not available now (not mounted, or not this station\'s); contact the custodian.');

interface ClipRow extends ProxyClip {
  size: number;
  kind: string;
  original_path: string;
  video_codec: string | null;
  audio_codec: string | null;
}

function statSize(file: string, clipId: number): number {
  try {
    return fsSync.statSync(file).size;
  } catch {
    throw new StationError('not_found', `录像 ${clipId} 没有缩略图。 / Clip ${clipId} has no contact sheet.`);
  }
}

/** `length` bytes from `start` of a file (fewer at its end), or a message that names no path. */
async function readFileRange(file: string, start: number, length: number, clipId: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  let handle: fs.FileHandle | undefined;
  let filled = 0;
  try {
    handle = await fs.open(file, 'r');
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch {
    // Never the path or the system's message (which names it): the vault's layout stays in the core.
    throw unreadable(clipId);
  } finally {
    await handle?.close();
  }
  return bytes.subarray(0, filled);
}

/** A proxy's reader read in order, a chunk at a time, waiting while ffmpeg makes more. */
class FollowReader {
  position = 0;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly stream: Readable) {
    const poke = () => {
      const w = this.wake;
      this.wake = null;
      w?.();
    };
    stream.on('readable', poke);
    stream.on('end', () => {
      this.ended = true;
      poke();
    });
    stream.on('error', (e) => {
      this.failure = e;
      poke();
    });
  }

  /** Up to `max` bytes; null at the end. */
  async read(max: number): Promise<Buffer | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.stream.read() as Buffer | null;
      if (chunk !== null) {
        if (chunk.length > max) this.stream.unshift(chunk.subarray(max));
        const out = chunk.subarray(0, max);
        this.position += out.length;
        return out;
      }
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  close(): void {
    this.stream.destroy();
  }
}
