// USB hotplug, used only as a hint: "something was plugged in or out, look
// again soon". The volume watcher decides what is actually mounted; a camera
// is docked when its volume appears, not when its USB device does (the OS
// mounts it a moment after the USB attach, and the mount table is the truth).
// One exception: a model read through its vendor's library shows no volume
// until the library switches it to disk mode, so an attach of such a model's
// USB id is passed on (the `usbAttached` source event) for the dock watcher to
// ask the library at once; the camera is still docked when its volume appears.
//
// Why `usb` (v3, node-usb-rs): `usb-detection` is deprecated by its
// maintainer in favour of `usb`, which has hotplug events itself.
//
// Why the native binding's Emitter rather than the documented WebUSB object
// (`usb.addEventListener('connect', ...)`): in usb 3.1 adding the first
// listener also lists devices with a promise nobody catches, and re-throws
// emitter failures from a timer. Where the device list cannot be read (no
// /sys/bus/usb in a container or VM: the case on this project's build
// machines) that is an unhandled rejection, and Node ends the process. The
// binding's Emitter returns its failures as promises we can catch, which is
// what "never crash the core because of the add-on" needs.
//
// The add-on is loaded lazily and may be missing (an unpackaged platform, a
// broken install): that is logged once, and the caller falls back to its
// interval rescan.
import { createRequire } from 'node:module';
import type { Logger } from './volume.js';

/** The part of `usb/index.js` (the napi-rs binding of usb v3) this module uses. */
interface UsbBinding {
  Emitter: new () => {
    addAttach(callback: (device: { vendorId: number; productId: number }) => void): Promise<void>;
    removeAttach(): Promise<void>;
    addDetach(callback: (handle: string) => void): Promise<void>;
    removeDetach(): Promise<void>;
  };
}
type NativeEmitter = InstanceType<UsbBinding['Emitter']>;

export type HotplugChange = { kind: 'attach'; vendorId: string; productId: string } | { kind: 'detach' };

export type HotplugStatus = { state: 'stopped' } | { state: 'listening' } | { state: 'unavailable'; reason: string };

const loaded = new Map<string, { binding: UsbBinding } | { error: string }>();
const loggedFailure = new Set<string>();

/** Loads the add-on once per process; a failure is an answer, not an exception. */
export function loadUsbBinding(moduleId = 'usb'): { binding: UsbBinding } | { error: string } {
  let result = loaded.get(moduleId);
  if (!result) {
    try {
      const required = createRequire(import.meta.url)(`${moduleId}/index.js`) as Partial<UsbBinding>;
      result =
        typeof required.Emitter === 'function'
          ? { binding: required as UsbBinding }
          : { error: `${moduleId} has no native Emitter (usb v3 is expected)` };
    } catch (err) {
      result = { error: (err as Error).message.split('\n')[0]! };
    }
    loaded.set(moduleId, result);
  }
  return result;
}

export interface UsbHotplugOptions {
  onChange: (change: HotplugChange) => void;
  log: Logger;
  /** The package to load; tests name one that is not installed to exercise the fallback. */
  moduleId?: string;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export class UsbHotplug {
  private emitter: NativeEmitter | null = null;
  private current: HotplugStatus = { state: 'stopped' };

  constructor(private readonly options: UsbHotplugOptions) {}

  status(): HotplugStatus {
    return this.current;
  }

  async start(): Promise<HotplugStatus> {
    if (this.current.state === 'listening') return this.current;
    const moduleId = this.options.moduleId ?? 'usb';
    const loaded = loadUsbBinding(moduleId);
    if ('error' in loaded) return this.unavailable(moduleId, `cannot load ${moduleId}: ${loaded.error}`);
    const emitter = new loaded.binding.Emitter();
    const notify = (change: HotplugChange) => {
      try {
        this.options.onChange(change);
      } catch (err) {
        this.options.log('a USB hotplug listener threw', err);
      }
    };
    try {
      await emitter.addAttach((device) => notify({ kind: 'attach', vendorId: hex4(device.vendorId), productId: hex4(device.productId) }));
      await emitter.addDetach(() => notify({ kind: 'detach' }));
    } catch (err) {
      await emitter.removeAttach().catch(() => {});
      return this.unavailable(moduleId, `USB hotplug could not start: ${(err as Error).message}`);
    }
    this.emitter = emitter;
    this.current = { state: 'listening' };
    return this.current;
  }

  /** Removes the native listeners; they otherwise keep the process alive. */
  async stop(): Promise<void> {
    const emitter = this.emitter;
    this.emitter = null;
    this.current = { state: 'stopped' };
    if (!emitter) return;
    await emitter.removeAttach().catch((err: unknown) => this.options.log('removing the USB attach listener failed', err));
    await emitter.removeDetach().catch((err: unknown) => this.options.log('removing the USB detach listener failed', err));
  }

  private unavailable(moduleId: string, reason: string): HotplugStatus {
    if (!loggedFailure.has(moduleId)) {
      loggedFailure.add(moduleId);
      this.options.log(`USB 热插拔不可用，改为定时扫描 / USB hotplug unavailable, falling back to interval rescans: ${reason}`);
    }
    this.current = { state: 'unavailable', reason };
    return this.current;
  }
}
