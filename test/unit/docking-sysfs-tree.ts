// A folder laid out like the parts of a Linux system the removable-volume
// watcher reads: /proc/self/mountinfo, /sys (devices, dev/block, class/block),
// /dev/disk/by-label and udev's database. Symbolic links are relative, as the
// kernel makes them, so realpath resolves inside the tree exactly as on /sys.
// Shared by the docking unit tests (not a test file itself).
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LinuxPaths } from '../../electron/core/docking/sources/linux-mounts.js';

export interface FakePartition {
  name: string;
  minor: number;
  label?: string;
  /** Where the label is recorded: udev's by-label link (default) or only udev's database. */
  labelIn?: 'by-label' | 'udev';
}

export interface FakeDisk {
  name: string;
  major: number;
  minor: number;
  removable: boolean;
  /** The USB device it hangs off (port like "2-1"), or none for a disk on PCI/virtio/MMC. */
  usb?: { port: string; vendorId: string; productId: string; serial?: string };
  /** An SD card in a card slot (`device/type` = SD) rather than on USB. */
  sd?: boolean;
  partitions?: FakePartition[];
}

export class FakeSystem {
  readonly paths: LinuxPaths;
  constructor(readonly root: string) {
    this.paths = {
      mountInfo: path.join(root, 'proc', 'self', 'mountinfo'),
      sysRoot: path.join(root, 'sys'),
      devRoot: path.join(root, 'dev'),
      udevData: path.join(root, 'run', 'udev', 'data'),
    };
  }

  async init(mountInfo = ''): Promise<this> {
    for (const dir of ['proc/self', 'sys/devices', 'sys/dev/block', 'sys/class/block', 'dev/disk/by-label', 'run/udev/data']) {
      await mkdir(path.join(this.root, dir), { recursive: true });
    }
    await this.setMountInfo(mountInfo);
    return this;
  }

  setMountInfo(text: string): Promise<void> {
    return writeFile(this.paths.mountInfo, text);
  }

  /** Adds a disk (and its partitions) to /sys, /dev/disk/by-label and udev's database. Returns the disk's sysfs folder. */
  async addDisk(disk: FakeDisk): Promise<string> {
    const sys = this.paths.sysRoot;
    let parent: string;
    if (disk.usb) {
      const hub = path.join('pci0000:00', '0000:00:14.0', `usb${disk.usb.port.split('-')[0]}`);
      await this.attrs(hub, { idVendor: '1d6b', idProduct: '0003' }); // the root hub: further up, must not be taken
      const dev = path.join(hub, disk.usb.port);
      await this.attrs(dev, { idVendor: disk.usb.vendorId, idProduct: disk.usb.productId, ...(disk.usb.serial ? { serial: disk.usb.serial } : {}) });
      parent = path.join(dev, `${disk.usb.port}:1.0`, 'host6', 'target6:0:0', '6:0:0:0');
      await this.attrs(parent, { vendor: 'Generic' }); // the SCSI device: no USB ids here
    } else if (disk.sd) {
      parent = path.join('platform', 'fe320000.mmc', 'mmc_host', 'mmc0', 'mmc0:aaaa');
      await this.attrs(parent, { type: 'SD' });
    } else {
      parent = path.join('pci0000:00', '0000:00:02.0', 'virtio1');
      await mkdir(path.join(sys, 'devices', parent), { recursive: true });
    }
    const diskRel = path.join(parent, 'block', disk.name);
    await this.attrs(diskRel, { removable: disk.removable ? '1' : '0', dev: `${disk.major}:${disk.minor}` });
    // /sys/block/<disk>/device -> the device it is on (so device/type reads the SD flag).
    await symlink(path.relative(path.join(sys, 'devices', diskRel), path.join(sys, 'devices', parent)), path.join(sys, 'devices', diskRel, 'device'));
    await this.link(diskRel, disk.major, disk.minor, disk.name);
    for (const p of disk.partitions ?? []) {
      const partRel = path.join(diskRel, p.name);
      await this.attrs(partRel, { partition: '1', dev: `${disk.major}:${p.minor}` });
      await this.link(partRel, disk.major, p.minor, p.name);
      if (p.label !== undefined) {
        const encoded = encodeLabel(p.label);
        if ((p.labelIn ?? 'by-label') === 'by-label') await symlink(`../../${p.name}`, path.join(this.paths.devRoot, 'disk', 'by-label', encoded));
        await writeFile(path.join(this.paths.udevData, `b${disk.major}:${p.minor}`), `S:disk/by-label/${encoded}\nE:ID_FS_TYPE=vfat\nE:ID_FS_LABEL=${p.label.replace(/ /g, '_')}\nE:ID_FS_LABEL_ENC=${encoded}\n`);
      }
    }
    return path.join(sys, 'devices', diskRel);
  }

  /** Removes a disk's links and udev's records of it (as the kernel and udev do when it goes away). */
  async removeDisk(disk: FakeDisk): Promise<void> {
    for (const [name, minor] of [[disk.name, disk.minor] as const, ...(disk.partitions ?? []).map((p) => [p.name, p.minor] as const)]) {
      await rm(path.join(this.paths.sysRoot, 'dev', 'block', `${disk.major}:${minor}`), { force: true });
      await rm(path.join(this.paths.sysRoot, 'class', 'block', name), { force: true });
      await rm(path.join(this.paths.udevData, `b${disk.major}:${minor}`), { force: true });
    }
    for (const p of disk.partitions ?? []) {
      if (p.label !== undefined) await rm(path.join(this.paths.devRoot, 'disk', 'by-label', encodeLabel(p.label)), { force: true });
    }
  }

  private async attrs(rel: string, values: Record<string, string>): Promise<void> {
    const dir = path.join(this.paths.sysRoot, 'devices', rel);
    await mkdir(dir, { recursive: true });
    for (const [k, v] of Object.entries(values)) await writeFile(path.join(dir, k), `${v}\n`);
  }

  private async link(rel: string, major: number, minor: number, name: string): Promise<void> {
    const target = path.join(this.paths.sysRoot, 'devices', rel);
    const byDev = path.join(this.paths.sysRoot, 'dev', 'block', `${major}:${minor}`);
    const byName = path.join(this.paths.sysRoot, 'class', 'block', name);
    await symlink(path.relative(path.dirname(byDev), target), byDev);
    await symlink(path.relative(path.dirname(byName), target), byName);
  }
}

/** udev's escaping of a label in a link name: space, slash and backslash as \xNN. */
function encodeLabel(label: string): string {
  return label.replace(/[ /\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
}

/** A mountinfo line as the kernel writes it (the mount point octal-escaped). */
export function mountLine(o: { id: number; parent?: number; dev: string; mountPoint: string; fsType: string; source: string; root?: string; optional?: string }): string {
  const esc = (s: string) => s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return [o.id, o.parent ?? 29, o.dev, esc(o.root ?? '/'), esc(o.mountPoint), 'rw,nosuid,nodev,relatime', ...(o.optional ? [o.optional] : []), '-', o.fsType, esc(o.source), 'rw'].join(' ');
}
