// What every docking source reports: a volume arrived, a volume left, a path
// was deliberately not treated as a volume. The sources only say what is
// there; which camera model it is, and what happens next, is decided above
// them (dock-watcher.ts, then the ingest).

export type VolumeSourceKind = 'usb-volume' | 'watched-folder';

export interface UsbIdentity {
  /** Four lower-case hex digits, as lsusb and the camera profiles write them (e.g. "2207"). */
  vendorId: string;
  productId: string;
  /** The USB serial-number string descriptor, when the device has one. */
  serial?: string;
}

export interface DockedVolume {
  /**
   * Stable while the volume stays attached, and different for a different
   * volume at the same place: the source kind plus what locates it (mount
   * point and device, or the sub-folder's path).
   */
  id: string;
  /** Absolute path of the volume's root (mount point or sub-folder). */
  root: string;
  /** The volume label when known, else null. */
  label: string | null;
  usb?: UsbIdentity;
  /** True when the volume is on a removable device (a camera's card over USB, an SD card). */
  removable: boolean;
  source: VolumeSourceKind;
}

/** Why a path that looked like a volume was not treated as one. */
export type IgnoreReason = 'symlink' | 'unreadable' | 'duplicate';

export const IGNORE_REASON_TEXT: Record<IgnoreReason, string> = {
  symlink: '是符号链接，不跟随（相机卷必须是真实目录） / is a symbolic link, not followed (a camera volume must be a real folder)',
  unreadable: '无法读取，跳过 / cannot be read, skipped',
  duplicate: '已经通过另一个来源接入，不重复处理 / already docked through another source, not handled twice',
};

/** Something the operator should hear about that is not a volume event (a missing folder, a failed scan). */
export interface SourceProblem {
  code: 'folder-missing' | 'scan-failed' | 'hotplug-unavailable';
  /** Bilingual, for the log and the notice. */
  message: string;
}

export interface VolumeSourceEvents {
  attached: [volume: DockedVolume];
  /**
   * A USB device arrived, before any volume of it (hotplug). A camera read through its vendor's
   * library shows no volume until the library switches it to disk mode, so this is when the
   * station asks the library (dock-watcher.ts).
   */
  usbAttached: [usb: Pick<UsbIdentity, 'vendorId' | 'productId'>];
  detached: [volumeId: string];
  ignored: [path: string, reason: IgnoreReason];
  problem: [problem: SourceProblem];
}

export interface VolumeSource {
  readonly kind: VolumeSourceKind;
  /** Starts watching; resolves once the initial scan has reported what is already there. */
  start(): Promise<void>;
  /** Stops watching. Attached volumes are not reported detached: they have not left, the station has. */
  stop(): Promise<void>;
  /** Scans now; resolves after a scan that began after this call. */
  rescan(): Promise<void>;
  /** The volumes currently reported attached. */
  volumes(): DockedVolume[];
  on<K extends keyof VolumeSourceEvents>(event: K, listener: (...args: VolumeSourceEvents[K]) => void): () => void;
}

/** Where a source says things that are not events: a listener that threw, a failure it recovered from. */
export type Logger = (message: string, error?: unknown) => void;

export const consoleLogger: Logger = (message, error) => console.error(`[docking] ${message}`, error ?? '');

type Listener = (...args: unknown[]) => void;

/**
 * A small typed event emitter. Unlike Node's EventEmitter it has no special
 * `error` event that throws when nobody listens, and a listener that throws
 * is logged rather than allowed to stop the source or the other listeners.
 */
export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly listeners = new Map<keyof E, Set<Listener>>();
  constructor(private readonly log: Logger = consoleLogger) {}

  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as unknown as Listener;
    set.add(stored);
    return () => set.delete(stored);
  }

  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (err) {
        this.log(`a listener for "${String(event)}" threw`, err);
      }
    }
  }
}

/**
 * Two reports under one id that differ in where or which device they are
 * (a camera swapped for another between two scans) are two volumes. The
 * label is left out: reading it can fail once (blkid timing out) without
 * the volume having changed, and a dock must not flap on that.
 */
export function sameVolume(a: DockedVolume, b: DockedVolume): boolean {
  return (
    a.id === b.id &&
    a.root === b.root &&
    a.usb?.vendorId === b.usb?.vendorId &&
    a.usb?.productId === b.usb?.productId &&
    a.usb?.serial === b.usb?.serial
  );
}

/** Unrefs a timer so a watcher alone never keeps a CLI or a test process alive. */
export function unrefTimer<T extends { unref?: () => unknown }>(timer: T): T {
  timer.unref?.();
  return timer;
}
