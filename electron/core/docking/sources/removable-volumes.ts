// The removable-volume watcher: mounted volumes on removable devices, found
// the way each OS knows them (Linux: mount table + sysfs; Windows: WMI's
// removable drives; macOS: /Volumes). It rescans on a slow interval, when
// told to (rescan()), and shortly after a USB attach or detach. Each scan
// lists what is mounted now and reports the difference from the last one.
import { LINUX_PATHS, scanLinuxRemovableVolumes, type LinuxPaths } from './linux-mounts.js';
import { scanMacVolumes } from './mac-volumes.js';
import { ScanQueue } from './scan-queue.js';
import { UsbHotplug, type HotplugStatus } from './usb-hotplug.js';
import { consoleLogger, sameVolume, TypedEmitter, unrefTimer, type DockedVolume, type Logger, type VolumeSource, type VolumeSourceEvents } from './volume.js';
import { scanWindowsRemovableVolumes } from './windows-drives.js';

export interface RemovableVolumeOptions {
  /** Which OS's way of listing drives; the running one by default. */
  platform?: NodeJS.Platform;
  /** The safety net when hotplug is unavailable or a mount is slow: default 5 s; 0 disables. */
  rescanIntervalMs?: number;
  /** Listen for USB hotplug (the `usb` add-on) to rescan sooner. Default true. */
  hotplug?: boolean;
  /** After a USB attach or detach, rescan after each of these delays: the OS mounts a moment later, and how long varies. */
  hotplugRescanDelaysMs?: readonly number[];
  /** The add-on to load for hotplug (tests name a missing one). */
  usbModuleId?: string;
  /** Linux: where mountinfo, sysfs, /dev and udev's database are (tests point at a tree laid out the same way). */
  linuxPaths?: LinuxPaths;
  /** Linux: ask blkid for labels udev did not record. Default true. */
  blkid?: boolean;
  /** macOS: where volumes are mounted. */
  macVolumesDir?: string;
  log?: Logger;
}

export const DEFAULT_RESCAN_INTERVAL_MS = 5_000;
export const DEFAULT_HOTPLUG_RESCAN_DELAYS_MS = [500, 2_000, 6_000] as const;

export class RemovableVolumeSource implements VolumeSource {
  readonly kind = 'usb-volume' as const;
  private readonly events: TypedEmitter<VolumeSourceEvents>;
  private readonly log: Logger;
  private readonly queue: ScanQueue;
  private readonly attached = new Map<string, DockedVolume>();
  private readonly hotplug: UsbHotplug | null;
  private readonly hotplugTimers = new Set<NodeJS.Timeout>();
  private interval: NodeJS.Timeout | null = null;
  private running = false;
  private lastFailure: string | null = null;

  constructor(private readonly options: RemovableVolumeOptions = {}) {
    this.log = options.log ?? consoleLogger;
    this.events = new TypedEmitter(this.log);
    this.queue = new ScanQueue(() => this.scan(), (err) => this.scanFailed(err));
    this.hotplug =
      options.hotplug === false
        ? null
        : new UsbHotplug({
            log: this.log,
            moduleId: options.usbModuleId,
            onChange: (change) => {
              if (change.kind === 'attach') this.events.emit('usbAttached', { vendorId: change.vendorId, productId: change.productId });
              this.rescanAfterHotplug();
            },
          });
  }

  on<K extends keyof VolumeSourceEvents>(event: K, listener: (...args: VolumeSourceEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  volumes(): DockedVolume[] {
    return [...this.attached.values()];
  }

  hotplugStatus(): HotplugStatus {
    return this.hotplug?.status() ?? { state: 'stopped' };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const interval = this.options.rescanIntervalMs ?? DEFAULT_RESCAN_INTERVAL_MS;
    if (interval > 0) this.interval = unrefTimer(setInterval(() => void this.queue.request(), interval));
    if (this.hotplug) {
      const status = await this.hotplug.start();
      if (status.state === 'unavailable') {
        this.events.emit('problem', {
          code: 'hotplug-unavailable',
          message: `USB 热插拔不可用，每 ${Math.round(interval / 1000)} 秒扫描一次 / USB hotplug unavailable, scanning every ${Math.round(interval / 1000)} s: ${status.reason}`,
        });
      }
    }
    await this.queue.request();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    for (const t of this.hotplugTimers) clearTimeout(t);
    this.hotplugTimers.clear();
    await this.hotplug?.stop();
    await this.queue.idle();
  }

  rescan(): Promise<void> {
    return this.running ? this.queue.request() : Promise.resolve();
  }

  private rescanAfterHotplug(): void {
    if (!this.running) return;
    for (const delay of this.options.hotplugRescanDelaysMs ?? DEFAULT_HOTPLUG_RESCAN_DELAYS_MS) {
      const timer = unrefTimer(
        setTimeout(() => {
          this.hotplugTimers.delete(timer);
          void this.rescan();
        }, delay),
      );
      this.hotplugTimers.add(timer);
    }
  }

  /** What is mounted now, the way this OS tells. */
  private async list(): Promise<DockedVolume[]> {
    const platform = this.options.platform ?? process.platform;
    if (platform === 'linux') {
      const { volumes, problems } = await scanLinuxRemovableVolumes(this.options.linuxPaths ?? LINUX_PATHS, { blkid: this.options.blkid ?? true });
      for (const p of problems) this.log(p);
      return volumes;
    }
    if (platform === 'win32') return scanWindowsRemovableVolumes();
    if (platform === 'darwin') return scanMacVolumes(this.options.macVolumesDir);
    throw new Error(`不支持在 ${platform} 上查找可移动卷 / finding removable volumes is not supported on ${platform}`);
  }

  private async scan(): Promise<void> {
    if (!this.running) return;
    const now = await this.list();
    if (!this.running) return;
    this.lastFailure = null;
    const next = new Map(now.map((v) => [v.id, v]));
    for (const [id, before] of this.attached) {
      const after = next.get(id);
      if (!after || !sameVolume(before, after)) {
        this.attached.delete(id);
        this.events.emit('detached', id);
      }
    }
    for (const [id, volume] of next) {
      if (this.attached.has(id)) continue;
      this.attached.set(id, volume);
      this.events.emit('attached', volume);
    }
  }

  /**
   * A failed scan changes nothing (volumes are not reported gone because the
   * mount table could not be read once); the same failure is reported once.
   */
  private scanFailed(err: unknown): void {
    const message = (err as Error)?.message ?? String(err);
    if (message === this.lastFailure) return;
    this.lastFailure = message;
    this.events.emit('problem', { code: 'scan-failed', message: `扫描可移动卷失败 / scanning removable volumes failed: ${message}` });
  }
}
