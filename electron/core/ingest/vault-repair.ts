// Putting the vault right from a docked camera (guarantee 4, docs/architecture.md): a clip the
// vault has lost, or whose file `station verify` found altered, goes back from a verified copy of
// the camera's file, the altered file kept aside as it was; and a copy is compared with clips
// hashed in the other algorithm (a station that switched between SHA-256 and SM3). The ingest job
// decides when (IngestJob.commit); this says how, and records it.
import path from 'node:path';
import { stationActor } from '../audit/actor.js';
import type { CopyResult } from './copy/types.js';
import type { JobCamera, JobDeps } from './job.js';
import type { ClipKey, IngestFileRow, SameBytesClip } from './repository.js';
import { ALTERED_FOLDER, sidecarFromClip } from './vault.js';

const VAULT_COPY_RESTORED =
  '证据库中此文件的副本已丢失，已从执法记录仪重新复制、校验一致后放回原位置。 / The vault had lost its copy of this file; it was copied from the camera again, verified and put back in its place.';

const VAULT_COPY_REPLACED =
  '证据库中此文件的副本与入库时的哈希不符（被改动或损坏），已原样移至证据库的 .altered 目录保存；已从执法记录仪重新复制、校验一致后放回原位置。 / The vault\'s copy of this file no longer matched the hash taken when it was stored (altered or damaged). It was moved, as it was, to the vault\'s .altered folder, and the file was copied from the camera again, verified and put back in its place.';

/** One per ingest job: the repairs its camera's files make to the vault. */
export class VaultRepair {
  constructor(
    private readonly d: JobDeps,
    private readonly camera: JobCamera,
  ) {}

  /**
   * Guarantee 4's second test for clips hashed in the other algorithm than the station's now (it
   * switched between SHA-256 and SM3 since): a clip of this camera whose bytes this copy's are,
   * compared in that clip's algorithm. Without it the hashes could not be compared: a lost clip's
   * footage would be stored again as a new clip, its old row missing for good, and a renamed file
   * stored twice. Asked only when the camera has such a clip of this very time and size; a verified SM3
   * copy carries its SHA-256 already, the other way round the copy is read once more.
   */
  async sameBytesHashedOtherwise(row: IngestFileRow, temp: string, result: CopyResult): Promise<SameBytesClip[]> {
    const found: SameBytesClip[] = [];
    for (const algorithm of this.d.repo.otherHashAlgorithms(this.camera.deviceId, row.size, row.mtime_ms, this.d.algorithm)) {
      const hash = algorithm === 'sha256' && result.sourceSha256 ? result.sourceSha256 : (await this.d.copier.hash(temp, algorithm)).hash;
      found.push(...this.d.repo.clipsBySameBytes(this.camera.deviceId, row.size, row.mtime_ms, algorithm, hash));
    }
    return found;
  }

  /**
   * What the clip's vault file hashes to, when the last `station verify` found it altered and a
   * hash of it now still differs from the clip's; otherwise undefined (and a finding the file no
   * longer bears out is cleared). A file that cannot be read now is left as it is, as a duplicate:
   * nothing in the vault is moved on a guess.
   */
  async alteredInVault(clip: ClipKey): Promise<{ actualHash: string } | undefined> {
    if (!this.d.repo.foundAltered(clip.id)) return undefined;
    let now: string;
    try {
      now = (await this.d.copier.hash(this.d.vault.absolute(clip.vault_path), clip.hash_algorithm)).hash;
    } catch (e) {
      this.d.log(`could not re-hash ${clip.vault_path} in the vault`, e);
      return undefined;
    }
    if (now !== clip.hash) return { actualHash: now };
    this.d.writer.run(stationActor, () => this.d.repo.clearAlteredFinding(clip.id));
    return undefined;
  }

  /**
   * Puts a clip's bytes back at its own vault path from this verified copy (Vault.restore): where
   * the vault lost the file, or, with `altered`, in place of an altered file, which is first moved
   * as it is to `.altered/`. A sidecar still there is kept; a lost one is written again from the
   * index. The index row stays as it is (its id, checkout and audit history are the clip's); the
   * file counts as committed by this dock, with a notice on the dock and a `clip.vault_restored`
   * or `clip.vault_replaced` audit row, after a `clip.vault_restoring` row written before the
   * vault changes. Returns the clip's id, or null when the clip turned out to be there after all.
   */
  async putBack(row: IngestFileRow, lost: ClipKey, temp: string, result: CopyResult, altered?: { actualHash: string }): Promise<number | null> {
    const clip = this.d.repo.clip(lost.id)!;
    // An altered file is kept under .altered/, named by the clip and the moment, never over another.
    const setAside = altered && {
      name: `clip-${clip.id}-${new Date(this.d.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}/${path.posix.basename(clip.vault_path)}`,
      actualHash: altered.actualHash,
    };
    const dockSession = clip.dock_session_id === null ? null : (this.d.repo.dockSession(clip.dock_session_id) ?? null);
    // The hash the copy was matched by (the clip's own algorithm), and, when that is not the
    // station's, the hash its verification used.
    const matched = {
      hash: clip.hash,
      algorithm: clip.hash_algorithm,
      ...(clip.hash_algorithm !== this.d.algorithm ? { verifiedAs: { algorithm: this.d.algorithm, hash: result.hash } } : {}),
      verification: result.verification,
      ...(result.sourceSha256 ? { sourceSha256: result.sourceSha256 } : {}),
    };
    // What both audit rows say: which file, where, matched how; and the altered file, if any.
    const about = { serial: this.camera.serial, path: row.original_path, vaultPath: clip.vault_path, ...matched };
    const alteredNote = setAside && { altered: { hash: setAside.actualHash, setAsideTo: `${ALTERED_FOLDER}/${setAside.name}` } };
    // Recorded before the vault changes: a crash between the rename and the transaction below
    // leaves the clip back in the vault, and the audit chain then still says how it came back.
    this.d.writer.run(stationActor, (tx) => {
      this.d.repo.setFileRestoring(row.id, clip.id, clip.vault_path);
      tx.audit({
        action: 'clip.vault_restoring',
        objectType: 'clip',
        objectId: clip.id,
        after: { ...about, ...alteredNote, dockSessionId: this.camera.dockSessionId },
      });
    });
    const at = this.d.clock.now();
    const outcome = await this.d.vault.restore(temp, clip.vault_path, () =>
      sidecarFromClip(
        clip,
        {
          device: { serial: this.camera.serial, model: this.camera.model },
          dockSession,
          moved: this.d.repo.movedPaths(clip.id).map((m) => ({ path: m.original_path, at: m.seen_at })),
        },
        {
          at,
          dockSessionId: this.camera.dockSessionId,
          verification: result.verification,
          ...(result.sourceSha256 ? { sourceSha256: result.sourceSha256 } : {}),
        },
      ),
      setAside ? { setAside: setAside.name } : {},
    );
    if (!outcome.restored) return null;
    this.d.writer.run(stationActor, (tx) => {
      this.d.repo.setFileState(row.id, 'committed', tx.at, null, clip.id);
      this.d.repo.refreshCounts(this.camera.dockSessionId);
      this.d.repo.clearAlteredFinding(clip.id);
      // The vault check's alarm, while open, counts what docks have put right since, so the board
      // does not go on saying only what was found; a person still resolves it.
      const alarm = this.d.alarms.openFor('verify_failure', null);
      if (alarm) {
        const putRight = typeof alarm.details?.putRight === 'number' ? alarm.details.putRight : 0;
        this.d.alarms.setDetails(alarm.id, { ...alarm.details, putRight: putRight + 1 });
        tx.emit('alarm.raised', { kind: 'verify_failure' });
      }
      const replaced = outcome.setAside !== undefined;
      this.d.repo.addNotice(
        this.camera.dockSessionId,
        replaced ? 'vault_copy_replaced' : 'vault_copy_restored',
        row.original_path,
        replaced ? VAULT_COPY_REPLACED : VAULT_COPY_RESTORED,
        tx.at,
      );
      tx.audit({
        action: replaced ? 'clip.vault_replaced' : 'clip.vault_restored',
        objectType: 'clip',
        objectId: clip.id,
        after: { ...about, ...(replaced ? alteredNote : {}), sidecar: outcome.sidecar, dockSessionId: this.camera.dockSessionId },
      });
    });
    return clip.id;
  }
}
