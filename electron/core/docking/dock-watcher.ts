// The dock watcher: the station's one view of cameras arriving and leaving.
// It combines the configured volume sources (removable volumes, watched
// folders), asks the camera profiles what each volume is, and reads what the
// camera says about itself at that moment: its binding (产品序号, 警号), its
// clock (with the station's time of the reading, for the skew, 第七条) and
// its status. It decides nothing about ingest or alarms: the pipeline and
// the dock session records listen to these events.
//
// Per volume the events come in order: attached, then identified or
// unrecognized, then detached, even when the volume leaves while it is
// still being read.
import { systemClock, type Clock } from '../clock.js';
import {
  identifyVolume,
  readBinding,
  readCameraClock,
  readStatus,
  type BindingReading,
  type CameraProfile,
  type ClockReading,
  type ProfileVerdict,
  type StatusReading,
} from './profile/index.js';
import {
  consoleLogger,
  IGNORE_REASON_TEXT,
  TypedEmitter,
  type DockedVolume,
  type IgnoreReason,
  type Logger,
  type SourceProblem,
  type VolumeSource,
  type VolumeSourceKind,
} from './sources/volume.js';

export interface DockIdentified {
  volume: DockedVolume;
  profile: CameraProfile;
  /** Why this profile: bilingual sentences for the log and the dock record. */
  reasons: string[];
  /** Who the camera says it belongs to (`unsupported` when the model keeps no binding). */
  binding: BindingReading;
  /**
   * The camera's clock and the station's clock read together: skew = camera
   * time (in the station's zone) − stationTimeMs. The camera wrote its clock
   * file when it was mounted, so `reading.fileModifiedMs` is offered as well.
   */
  clock: { reading: ClockReading; stationTimeMs: number };
  status: StatusReading;
  /** Station time (UTC ms) when identification finished. */
  at: number;
}

export interface DockUnrecognized {
  volume: DockedVolume;
  /** Why nothing matched (a plain USB stick, two profiles tied, an unreadable volume). */
  reasons: string[];
  verdicts: ProfileVerdict[];
  at: number;
}

export interface DockWatcherEvents {
  attached: [{ volume: DockedVolume; at: number }];
  identified: [DockIdentified];
  unrecognized: [DockUnrecognized];
  detached: [{ volume: DockedVolume; at: number }];
  ignored: [{ source: VolumeSourceKind; path: string; reason: IgnoreReason; message: string; at: number }];
  problem: [{ source: VolumeSourceKind; problem: SourceProblem; at: number }];
}

export type DockState = 'identifying' | 'identified' | 'unrecognized';

export interface DockSnapshot {
  volume: DockedVolume;
  attachedAt: number;
  state: DockState;
  /** The profile, once identified. */
  profileId: string | null;
}

export interface DockWatcherOptions {
  sources: readonly VolumeSource[];
  profiles: readonly CameraProfile[];
  clock?: Clock;
  log?: Logger;
}

export class DockWatcher {
  private readonly events: TypedEmitter<DockWatcherEvents>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly docks = new Map<string, DockSnapshot>();
  /** A volume whose root is already docked through another source waits here, and takes over if the first leaves. */
  private readonly shadows = new Map<string, DockedVolume>();
  /** Per volume id, the tail of its event work: keeps each volume's events in order. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly options: DockWatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? consoleLogger;
    this.events = new TypedEmitter(this.log);
    for (const source of options.sources) {
      source.on('attached', (volume) => this.onAttached(volume));
      source.on('detached', (id) => this.onDetached(id));
      source.on('ignored', (path, reason) =>
        this.events.emit('ignored', { source: source.kind, path, reason, message: IGNORE_REASON_TEXT[reason], at: this.clock.now() }),
      );
      source.on('problem', (problem) => this.events.emit('problem', { source: source.kind, problem, at: this.clock.now() }));
    }
  }

  on<K extends keyof DockWatcherEvents>(event: K, listener: (...args: DockWatcherEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Starts every source; resolves when their initial scans are reported (identification may still run: see whenIdle). */
  async start(): Promise<void> {
    await Promise.all(this.options.sources.map((s) => s.start()));
  }

  /** Stops the sources. Docked volumes are not reported detached: the station stopped, the cameras did not leave. */
  async stop(): Promise<void> {
    await Promise.all(this.options.sources.map((s) => s.stop()));
    await this.whenIdle();
  }

  async rescan(): Promise<void> {
    await Promise.all(this.options.sources.map((s) => s.rescan()));
  }

  /** Resolves when every identification and pending event has been delivered. */
  async whenIdle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** What is docked now, for a screen that opens after the events went by. */
  current(): DockSnapshot[] {
    return [...this.docks.values()].map((d) => ({ ...d }));
  }

  private enqueue(id: string, work: () => Promise<void>): void {
    const run = (this.chains.get(id) ?? Promise.resolve())
      .then(work)
      .catch((err: unknown) => this.log(`dock event handling failed for ${id}`, err))
      .then(() => {
        if (this.chains.get(id) === run) this.chains.delete(id);
      });
    this.chains.set(id, run);
  }

  private dockedAt(root: string): DockSnapshot | undefined {
    return [...this.docks.values()].find((d) => d.volume.root === root);
  }

  private onAttached(volume: DockedVolume): void {
    if (this.docks.has(volume.id) || this.shadows.has(volume.id)) return;
    const holder = this.dockedAt(volume.root);
    if (holder) {
      this.shadows.set(volume.id, volume);
      this.events.emit('ignored', { source: volume.source, path: volume.root, reason: 'duplicate', message: IGNORE_REASON_TEXT.duplicate, at: this.clock.now() });
      return;
    }
    const snapshot: DockSnapshot = { volume, attachedAt: this.clock.now(), state: 'identifying', profileId: null };
    this.docks.set(volume.id, snapshot);
    this.enqueue(volume.id, async () => {
      this.events.emit('attached', { volume, at: snapshot.attachedAt });
      const outcome = await this.identify(volume);
      if ('profile' in outcome) {
        snapshot.state = 'identified';
        snapshot.profileId = outcome.profile.id;
        this.events.emit('identified', outcome);
      } else {
        snapshot.state = 'unrecognized';
        this.events.emit('unrecognized', outcome);
      }
    });
  }

  private onDetached(id: string): void {
    if (this.shadows.delete(id)) return;
    const dock = this.docks.get(id);
    if (!dock) return;
    this.docks.delete(id);
    this.enqueue(id, async () => {
      this.events.emit('detached', { volume: dock.volume, at: this.clock.now() });
    });
    const heir = [...this.shadows.values()].find((v) => v.root === dock.volume.root);
    if (heir) {
      this.shadows.delete(heir.id);
      // After the detached event above has gone out, so the root is never docked twice at once.
      this.enqueue(id, async () => this.onAttached(heir));
    }
  }

  private identify(volume: DockedVolume): Promise<DockIdentified | DockUnrecognized> {
    return identifyDock(volume, this.options.profiles, this.clock);
  }
}

/**
 * What a volume is and what the camera says about itself, read once: the
 * watcher does this for every arrival, and `station ingest <folder>` for the
 * one folder it is given.
 */
export async function identifyDock(volume: DockedVolume, profiles: readonly CameraProfile[], clock: Clock): Promise<DockIdentified | DockUnrecognized> {
  try {
    const identification = await identifyVolume(volume, profiles);
    const profile = identification.profile;
    if (!profile) return { volume, reasons: identification.reasons, verdicts: identification.verdicts, at: clock.now() };
    const binding = await readBinding(profile, volume.root);
    // The station's time is taken right at the reading, so the skew is not
    // stretched by however long identification took.
    const stationTimeMs = clock.now();
    const reading = await readCameraClock(profile, volume.root);
    const status = await readStatus(profile, volume.root);
    return { volume, profile, reasons: identification.reasons, binding, clock: { reading, stationTimeMs }, status, at: clock.now() };
  } catch (err) {
    return {
      volume,
      reasons: [`无法读取此卷（可能已被拔出） / the volume could not be read (removed?): ${(err as Error)?.message ?? err}`],
      verdicts: [],
      at: clock.now(),
    };
  }
}
