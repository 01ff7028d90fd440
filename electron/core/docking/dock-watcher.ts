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
import type { UnrecognizedCause } from '../../../shared/events.js';
import { systemClock, type Clock } from '../clock.js';
import { locate } from './profile/volume-path.js';
import type { WallClock } from './wall-clock.js';
import {
  bindingIdentity,
  identifyVolume,
  labelIdentity,
  namesIdentity,
  readBinding,
  resolveIdentity,
  serialSearchText,
  usbIdText,
  usbMatches,
  type BindingValues,
  type IdentityReading,
  type ResolvedIdentity,
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
  /** Who the camera is, from every source the profile names, most trusted first (profile/identity.ts). */
  identity: ResolvedIdentity;
  /** When no source gave a serial: where the profile looked and what it found there. */
  serialSearch: string[];
  /** What the vendor's USB library said and did, for models read through it. */
  vendor: VendorReading | null;
  /** Station time (UTC ms) when identification finished. */
  at: number;
}

/**
 * What the vendor's USB library gave at dock (the docking/vendor module reads it; the station
 * supplies the reader with the site's library path and password).
 */
export type VendorReading =
  | { status: 'ok'; values: BindingValues; batteryPercent: number | null; clock: { text: string; wallClock: WallClock; stationTimeMs: number } | null; clockSetAt: number | null; diskMode: boolean; record: Record<string, unknown> }
  | { status: 'failed' | 'not_configured'; message: string; record: Record<string, unknown> };

export type VendorReader = (profile: CameraProfile, volume: DockedVolume) => Promise<VendorReading>;

export interface DockUnrecognized {
  volume: DockedVolume;
  cause: UnrecognizedCause;
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
  /** Reads a camera through its vendor's library, for profiles that name one. */
  vendor?: VendorReader;
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
  /**
   * Readings of cameras asked through their vendor's library when their USB device arrived, before
   * any volume (the library then switched them to disk mode): by USB id, each with when it lapses.
   * The volume that appears next with that id is identified with it, without asking again.
   */
  private readonly vendorReadings = new Map<string, { profileId: string; reading: Promise<VendorReading>; until: number }>();

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
      source.on('usbAttached', (usb) => this.onUsbAttached(usb));
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

  /**
   * A USB device arrived. If it is a model read through its vendor's library and no volume of it is
   * docked, the library is asked now: a camera that shows no files until disk mode never gets a
   * volume otherwise. What it said waits for the volume (identify).
   */
  private onUsbAttached(usb: { vendorId: string; productId: string }): void {
    const read = this.options.vendor;
    const profile = this.options.profiles.find((p) => p.vendorLibrary && usbMatches(p, usb));
    if (!read || !profile) return;
    const key = usbIdText(usb);
    const docked = [...this.docks.values()].some((d) => d.volume.usb && usbIdText(d.volume.usb) === key);
    const pending = this.vendorReadings.get(key);
    if (docked || (pending && pending.until > Date.now())) return;
    // The library has its profile's time to bring the card up; a little more for the OS to mount it.
    const until = Date.now() + profile.vendorLibrary!.diskModeSeconds * 1000 + 30_000;
    const reading = read(profile, { id: `usb:${key}`, root: '', label: null, usb: { vendorId: usb.vendorId, productId: usb.productId }, removable: true, source: 'usb-volume' }).catch(
      (err: unknown): VendorReading => ({ status: 'failed', message: `厂商库读取失败 / the vendor library failed: ${(err as Error)?.message ?? err}`, record: {} }),
    );
    this.vendorReadings.set(key, { profileId: profile.id, reading, until });
  }

  /**
   * The reading taken when the volume's USB device arrived, if it is still fresh (taken once). A
   * volume whose USB id the platform does not tell (Windows and macOS drive letters and mounts)
   * gets the one fresh reading there is, for the profile it must then be identified as.
   */
  private takeVendorReading(volume: DockedVolume): { key: string; profileId: string | null; reading: Promise<VendorReading> } | null {
    const now = Date.now();
    for (const [key, pending] of this.vendorReadings) if (pending.until <= now) this.vendorReadings.delete(key);
    if (volume.usb) {
      const key = usbIdText(volume.usb);
      const pending = this.vendorReadings.get(key);
      if (!pending) return null;
      this.vendorReadings.delete(key);
      return { key, profileId: null, reading: pending.reading };
    }
    // Kept until a volume is identified as its model (identify): another volume may come first.
    const fresh = [...this.vendorReadings.entries()];
    if (fresh.length !== 1) return null;
    const [key, pending] = fresh[0]!;
    return { key, profileId: pending.profileId, reading: pending.reading };
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

  private async identify(volume: DockedVolume): Promise<DockIdentified | DockUnrecognized> {
    const earlier = this.takeVendorReading(volume);
    const read = this.options.vendor;
    // Asked when its USB device arrived: the same answer, not a second session with a camera already in disk mode.
    if (earlier && read && earlier.profileId === null) return identifyDock(volume, this.options.profiles, this.clock, () => earlier.reading);
    const candidate = earlier?.profileId ? { profileId: earlier.profileId, reading: earlier.reading } : undefined;
    const outcome = await identifyDock(volume, this.options.profiles, this.clock, read, candidate);
    if (earlier && 'profile' in outcome && outcome.profile.id === earlier.profileId) this.vendorReadings.delete(earlier.key);
    return outcome;
  }
}


/**
 * What a volume is and what the camera says about itself, read once: the
 * watcher does this for every arrival, and `station ingest <folder>` for the
 * one folder it is given.
 */
export async function identifyDock(
  volume: DockedVolume,
  profiles: readonly CameraProfile[],
  clock: Clock,
  readVendor?: VendorReader,
  /** What the library said when a USB device of `profileId` arrived, for a volume whose USB id is unknown. */
  afterUsb?: { profileId: string; reading: Promise<VendorReading> },
): Promise<DockIdentified | DockUnrecognized> {
  try {
    // A camera read through its vendor's library may show no files until the library switches it
    // to disk mode: its USB id alone says which profile to ask, before anything is on the volume.
    const sdkProfile = volume.usb ? profiles.find((p) => p.vendorLibrary && usbMatches(p, volume.usb!)) : undefined;
    let vendor: VendorReading | null = null;
    if (sdkProfile && readVendor) {
      vendor = await readVendor(sdkProfile, volume);
      if (vendor.status === 'ok' && vendor.diskMode) await footageAppears(sdkProfile, volume.root, sdkProfile.vendorLibrary!.diskModeSeconds * 1000);
    }
    const identification = await identifyVolume(volume, profiles);
    const profile = identification.profile;
    if (!profile) {
      const reasons = vendor && vendor.status !== 'ok' ? [...identification.reasons, vendor.message] : identification.reasons;
      const cause: UnrecognizedCause = identification.tie
        ? { kind: 'tie', profiles: identification.tied }
        : sdkProfile && vendor?.status === 'not_configured'
          ? { kind: 'vendor_not_configured', profile: sdkProfile.id }
          : sdkProfile && vendor?.status === 'failed'
            ? { kind: 'vendor_failed', profile: sdkProfile.id }
            : { kind: 'no_match' };
      return { volume, cause, reasons, verdicts: identification.verdicts, at: clock.now() };
    }
    if (vendor && profile !== sdkProfile) vendor = null;
    // Identified as the model whose USB device just arrived and was asked (its volume came without a USB id).
    if (!vendor && afterUsb && profile.id === afterUsb.profileId) vendor = await afterUsb.reading;
    const binding = await readBinding(profile, volume.root);
    // The station's time is taken right at the reading, so the skew is not
    // stretched by however long identification took.
    let stationTimeMs = clock.now();
    let reading = await readCameraClock(profile, volume.root);
    let status = await readStatus(profile, volume.root);
    if (vendor?.status === 'ok') {
      // The library's answers come from the camera itself, at the moment of asking.
      if (vendor.clock) {
        stationTimeMs = vendor.clock.stationTimeMs;
        reading = { status: 'ok', path: `${profile.vendorLibrary!.functions.readClock}()`, text: vendor.clock.text, wallClock: vendor.clock.wallClock, fileModifiedMs: vendor.clock.stationTimeMs };
      }
      if (vendor.batteryPercent !== null) {
        status = status.status === 'ok' ? { ...status, batteryPercent: vendor.batteryPercent } : { status: 'ok', path: `${profile.vendorLibrary!.functions.battery}()`, batteryPercent: vendor.batteryPercent, freeBytes: null, totalBytes: null, problems: [] };
      }
    }
    const names = await namesIdentity(profile, volume.root);
    const readings: IdentityReading[] = [];
    const push = (source: IdentityReading['source'], values: Partial<BindingValues> | null) => values && readings.push({ source, values });
    push('vendor', vendor?.status === 'ok' ? vendor.values : null);
    push('binding', bindingIdentity(binding));
    push('label', labelIdentity(profile, volume.label));
    push('folder', names.folder);
    push('name', names.name);
    const identity = resolveIdentity(readings);
    const serialSearch = identity.values.deviceSerial
      ? []
      : serialSearchText(profile, { vendor: vendor && vendor.status !== 'ok' ? vendor.message : null, binding, label: volume.label });
    return { volume, profile, reasons: identification.reasons, binding, clock: { reading, stationTimeMs }, status, identity, serialSearch, vendor, at: clock.now() };
  } catch (err) {
    return {
      volume,
      cause: { kind: 'unreadable' },
      reasons: [`无法读取此卷（可能已被拔出） / the volume could not be read (removed?): ${(err as Error)?.message ?? err}`],
      verdicts: [],
      at: clock.now(),
    };
  }
}

/**
 * After disk mode, the card takes a moment to show its files: waits until one of the profile's
 * footage folders is there, or the profile's time is up (identification then says what is missing).
 */
async function footageAppears(profile: CameraProfile, root: string, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    for (const folder of profile.footage.folders) if ((await locate(root, folder)).state === 'folder') return;
    if (Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
