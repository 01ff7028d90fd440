// A clip stored while ffprobe could not be started carries "not checked" (damageKind
// probe_failed): stored whole and verified, but nobody knows whether it plays, and it has no
// duration or codecs. Once ffprobe runs again, each such clip is probed from its vault copy and
// its media facts recorded as a commit records them: the sidecar first (durable, with a
// `rechecked` note), then the clip row and a `clip.rechecked` audit row in one transaction. The
// clip's bytes, hash, times and place in the vault are not touched; a start time the probe could
// have supplied (a file whose name gives none) stays as it was stored, since the vault's folders
// are by date and a stored file is never moved.
//
// Which clips: from the moment the probe_unavailable alarm is raised, `probe.recheck_after` in
// station_setting holds the last clip id before it (ids rise with commit time), so a pass reads a
// range of the primary key, not the whole table; it moves up as clips are done, so a pass cut
// short (ffprobe gone again, the station closed) goes on from there next time, and is removed
// when a pass finds nothing left.
import path from 'node:path';
import { damageKind } from '../../../shared/ingest.js';
import { stationActor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { deleteSetting, readSetting, writeSetting } from '../db/settings.js';
import type { Writer } from '../db/writer.js';
import { probeFile, type ProbeResult } from './probe.js';
import type { ClipRow, IngestRepository } from './repository.js';
import { mediaColumns, mediaFromProbe, type Vault } from './vault.js';

const AFTER_KEY = 'probe.recheck_after';
/** Clips read from the index at a time. */
const BATCH = 100;

interface RecheckDeps {
  db: Db;
  repo: IngestRepository;
  vault: Vault;
  writer: Writer;
  clock: Clock;
  ffprobe: string;
  /** Whether the vault is this station's and mounted (vault-guard.ts): an unmounted vault's files would all probe as missing. */
  vaultReady(): boolean;
  /** Told what each probe showed, as a dock's probes are (probe-guard.ts). */
  observe(result: ProbeResult): void;
  log(message: string, error?: unknown): void;
}

type Outcome = 'recorded' | 'no_verdict' | 'not_run';

export class ProbeRecheck {
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Bumped by each mark: a pass that saw none while it ran may end the bookkeeping. */
  private marks = 0;

  constructor(private readonly d: RecheckDeps) {}

  /** ffprobe does not run: clips stored from now on will need the check. Keeps an earlier mark. */
  mark(): void {
    this.marks++;
    if (readSetting(this.d.db, AFTER_KEY) !== null) return;
    const last = this.d.repo.lastClipId();
    this.d.writer.run(stationActor, () => writeSetting(this.d.db, AFTER_KEY, String(last)));
  }

  /** ffprobe runs: checks the marked clips in the background, one at a time, unless a pass is running or nothing is marked. */
  start(): void {
    if (this.running || this.stopped || readSetting(this.d.db, AFTER_KEY) === null) return;
    this.running = this.pass()
      .catch((e: unknown) => this.d.log('checking the clips stored without ffprobe failed', e))
      .finally(() => {
        this.running = null;
      });
  }

  /** Ends the pass after the clip in hand; the station closes after. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async pass(): Promise<void> {
    for (;;) {
      const marks = this.marks;
      let after = Number(readSetting(this.d.db, AFTER_KEY) ?? 'NaN');
      if (!Number.isSafeInteger(after) || !this.d.vaultReady()) return;
      for (;;) {
        const batch = this.d.repo.clipsNotProbed(after, BATCH);
        if (batch.length === 0) break;
        for (const clip of batch) {
          if (this.stopped) return;
          if ((await this.recheck(clip)) === 'not_run') return;
          after = clip.id;
        }
        this.d.writer.run(stationActor, () => writeSetting(this.d.db, AFTER_KEY, String(after)));
      }
      // Nothing left, unless ffprobe went and came back meanwhile: then once more from the mark.
      if (this.marks !== marks) continue;
      this.d.writer.run(stationActor, () => deleteSetting(this.d.db, AFTER_KEY));
      return;
    }
  }

  private async recheck(clip: ClipRow): Promise<Outcome> {
    // A file the vault has lost is for a dock to put back (guarantee 4), not for a probe to call damaged.
    if (clip.kind === 'other' || !(await this.d.vault.has(clip.vault_path))) return 'no_verdict';
    const probe = await probeFile(this.d.vault.absolute(clip.vault_path), clip.kind, {
      size: clip.size,
      ffprobe: this.d.ffprobe,
      name: path.posix.basename(clip.original_path),
    });
    this.d.observe(probe);
    if (probe.notRun) return 'not_run';
    if (!probe.ok && damageKind(probe.message) === 'probe_failed') return 'no_verdict';
    const previousReason = clip.damage_reason!;
    const media = mediaFromProbe(probe, clip.important === 1);
    await this.d.vault.recheckMedia(clip.vault_path, media, { at: this.d.clock.now(), previousReason });
    this.d.writer.run(stationActor, (tx) => {
      if (!this.d.repo.setClipMedia(clip.id, previousReason, mediaColumns(media))) return;
      tx.audit({
        action: 'clip.rechecked',
        objectType: 'clip',
        objectId: clip.id,
        before: { damaged: true, damageReason: previousReason },
        after: { damaged: media.damaged, damageReason: media.damageReason, durationMs: media.durationMs },
      });
    });
    return 'recorded';
  }
}
