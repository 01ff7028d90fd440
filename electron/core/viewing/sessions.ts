// View sessions, for the media endpoint (a later step) that plays a clip: openView registers the
// view (查阅登记, 第十八条), readRange serves bytes of the original from the vault only while the
// session's grant still allows it, checked at every range (an expired or revoked grant stops
// playback within one range), and closeView ends the row. The vault's path never leaves here.
import fs from 'node:fs/promises';
import { StationError } from '../../../shared/errors.js';
import type { ViewDenial } from '../../../shared/viewing.js';
import type { Actor } from '../audit/actor.js';
import { personActor, stationActor } from '../audit/actor.js';
import type { Clock, Random } from '../clock.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
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

interface OpenSession {
  registerId: number;
  viewerId: number;
  actor: Actor;
  clipId: number;
  grantId: number | null;
  vaultPath: string;
  size: number;
}

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
  openView(viewerId: number, clipId: number): string {
    const actor = personActor(this.d.people.ref(viewerId));
    const now = this.d.clock.now();
    const decision = mayView(this.d.db, this.d.settings.get(), viewerId, clipId, now);
    if (!decision.allowed) {
      this.d.writer.run(actor, (tx) => tx.audit({ action: 'view.denied', objectType: 'clip', objectId: clipId, after: { reason: decision.reason } }));
      throw denied(decision.reason);
    }
    if (!this.d.vaultReady()) throw vaultUnavailable();
    const clip = prepared<[number], { vault_path: string; size: number }>(this.d.db, 'SELECT vault_path, size FROM clip WHERE id = ?').get(clipId)!;
    const grant = decision.grant;
    const viewer = this.d.people.ref(viewerId);
    const registerId = this.d.writer.run(actor, (tx) => {
      const id = Number(
        prepared(
          this.d.db,
          'INSERT INTO view_register (viewer_id, viewer, clip_id, grant_id, reason, purpose, approver, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(viewerId, viewer.name, clipId, grant?.id ?? null, grant?.reason ?? OWN_FOOTAGE_REASON, grant?.purpose ?? null, grant?.granted_by ?? null, tx.at).lastInsertRowid,
      );
      tx.audit({ action: 'view.opened', objectType: 'view_register', objectId: id, after: { clipId, grantId: grant?.id ?? null, basis: decision.basis } });
      return id;
    });
    const sessionId = this.d.random.bytes(16).toString('hex');
    this.open.set(sessionId, { registerId, viewerId, actor, clipId, grantId: grant?.id ?? null, vaultPath: clip.vault_path, size: clip.size });
    return sessionId;
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
    const now = this.d.clock.now();
    const verdict = sessionMayContinue(this.d.db, this.d.settings.get(), s.viewerId, s.clipId, s.grantId, now);
    if (!verdict.ok) {
      this.end(sessionId, s, verdict.because);
      throw denied(verdict.reason);
    }
    if (!this.d.vaultReady()) throw vaultUnavailable();
    const end = Math.min(endInclusive, s.size - 1, start + MAX_RANGE_BYTES - 1);
    const bytes = Buffer.alloc(end - start + 1);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.d.absolute(s.vaultPath), 'r');
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled < bytes.length) throw new Error('short read');
    } catch {
      // Never the path or the system's message (which names it): the vault's layout stays in the core.
      throw new StationError('invalid_state', `录像 ${s.clipId} 无法从存储库读取；请保管人运行存储库校验。 / Clip ${s.clipId} cannot be read from the vault; ask the custodian to verify the vault.`, {
        clipId: s.clipId,
      });
    } finally {
      await handle?.close();
    }
    // The session may have been closed while the bytes were read: they are not served then.
    if (!this.open.has(sessionId)) throw denied('no_grant');
    // Counted as served without an audit row or a disk sync of its own (the close is audited with
    // the total); the next durable commit carries it.
    this.d.writer.runUnsynced(() => prepared(this.d.db, 'UPDATE view_register SET bytes_served = bytes_served + ? WHERE id = ?').run(bytes.length, s.registerId));
    return { bytes, start, end, size: s.size };
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
    this.d.writer.run(s.actor, (tx) => {
      prepared(this.d.db, 'UPDATE view_register SET closed_at = ?, closed_because = ? WHERE id = ? AND closed_at IS NULL').run(tx.at, because, s.registerId);
      const bytes = prepared<[number], { bytes_served: number }>(this.d.db, 'SELECT bytes_served FROM view_register WHERE id = ?').get(s.registerId)!.bytes_served;
      tx.audit({ action: 'view.closed', objectType: 'view_register', objectId: s.registerId, after: { clipId: s.clipId, because, bytesServed: bytes } });
    });
  }
}

const vaultUnavailable = () =>
  new StationError('invalid_state', '存储库当前不可用（未挂载或不是本站的存储库），请联系保管人。 / The vault is not available now (not mounted, or not this station\'s); contact the custodian.');
