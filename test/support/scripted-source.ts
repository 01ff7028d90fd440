// A volume source driven by the test itself: what a source (USB volumes, hotplug) says, said at the
// moments a test needs, for what no hardware here can do (a USB device arriving before its volume).
import { TypedEmitter, type DockedVolume, type VolumeSource, type VolumeSourceEvents } from '../../electron/core/docking/sources/volume.js';

/** A source driven by the test itself: what a source says, said at the moments a test needs. */
export class ScriptedSource implements VolumeSource {
  readonly kind = 'usb-volume' as const;
  readonly events = new TypedEmitter<VolumeSourceEvents>();
  private readonly present = new Map<string, DockedVolume>();
  on<K extends keyof VolumeSourceEvents>(event: K, listener: (...args: VolumeSourceEvents[K]) => void) {
    return this.events.on(event, listener);
  }
  async start() {}
  async stop() {}
  async rescan() {}
  volumes() {
    return [...this.present.values()];
  }
  attach(v: DockedVolume) {
    this.present.set(v.id, v);
    this.events.emit('attached', v);
  }
  detach(id: string) {
    this.present.delete(id);
    this.events.emit('detached', id);
  }
  /** A USB device arrived, with no volume yet (hotplug). */
  usbAttached(usb: { vendorId: string; productId: string }) {
    this.events.emit('usbAttached', usb);
  }
}
