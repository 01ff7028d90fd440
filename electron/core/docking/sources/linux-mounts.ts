// Linux: which mounted volumes sit on a removable device, what they are
// called and which USB device carries them. Everything comes from the
// kernel's own files (/proc/self/mountinfo, /sys, /dev/disk/by-label,
// udev's database), so nothing needs udisks or root. The paths are
// parameters so tests run the same code on captured text and on a temporary
// tree laid out like /sys.
import { execFile } from 'node:child_process';
import { access, readFile, readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { DockedVolume, UsbIdentity } from './volume.js';

export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  major: number;
  minor: number;
  /** The path inside the filesystem that is mounted here: `/` unless it is a bind mount of a sub-folder. */
  root: string;
  mountPoint: string;
  options: string[];
  fsType: string;
  /** The mount source: `/dev/sdb1` for a block device, a free word (`fusefat`, `tmpfs`) otherwise. */
  source: string;
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as `\ooo` octal. */
export function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Parses /proc/<pid>/mountinfo (see proc(5)): `id parent major:minor root
 * mountpoint options [optional fields...] - fstype source superoptions`.
 * A line that does not fit is reported, not guessed at, and does not stop
 * the rest from being read.
 */
export function parseMountInfo(text: string): { entries: MountInfoEntry[]; problems: string[] } {
  const entries: MountInfoEntry[] = [];
  const problems: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    const dev = /^(\d+):(\d+)$/.exec(fields[2] ?? '');
    if (fields.length < 10 || dash < 0 || fields.length < dash + 3 || !dev || !/^\d+$/.test(fields[0]!) || !/^\d+$/.test(fields[1]!)) {
      problems.push(`mountinfo line ${index + 1} is not in the expected form: ${line}`);
      continue;
    }
    entries.push({
      mountId: Number(fields[0]),
      parentId: Number(fields[1]),
      major: Number(dev[1]),
      minor: Number(dev[2]),
      root: decodeMountField(fields[3]!),
      mountPoint: decodeMountField(fields[4]!),
      options: fields[5]!.split(','),
      fsType: decodeMountField(fields[dash + 1]!),
      source: decodeMountField(fields[dash + 2]!),
      superOptions: (fields[dash + 3] ?? '').split(',').filter(Boolean),
    });
  }
  return { entries, problems };
}

/** udev escapes bytes in names as `\xNN` (a space in a label is `\x20`); the rest is UTF-8 as is. */
export function decodeUdevString(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; ) {
    const m = /^\\x([0-9a-fA-F]{2})/.exec(encoded.slice(i, i + 4));
    if (m) {
      bytes.push(parseInt(m[1]!, 16));
      i += 4;
    } else {
      const cp = encoded.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** udev's database record for a device (`/run/udev/data/b<major>:<minor>`): its `E:KEY=value` properties. */
export function parseUdevRecord(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^E:([^=]+)=(.*)$/.exec(line);
    if (m) props.set(m[1]!, m[2]!);
  }
  return props;
}

export interface LinuxPaths {
  mountInfo: string;
  /** Where sysfs is mounted. */
  sysRoot: string;
  /** Where devtmpfs is mounted (for `disk/by-label`). */
  devRoot: string;
  /** udev's database folder. */
  udevData: string;
}

export const LINUX_PATHS: LinuxPaths = { mountInfo: '/proc/self/mountinfo', sysRoot: '/sys', devRoot: '/dev', udevData: '/run/udev/data' };

export interface BlockDevice {
  /** Kernel name: `sdb1`, `mmcblk0p1`. */
  name: string;
  /** The whole disk it belongs to (`sdb`); the same as name for an unpartitioned device. */
  disk: string;
  /** `major:minor` from sysfs (a fuseblk mount's mountinfo shows FUSE's numbers, not the device's). */
  dev: string | null;
  /** The disk's `removable` attribute (cameras, card readers and most USB sticks say 1). */
  removableFlag: boolean;
  /** An SD card in a card slot (`device/type` is "SD"); its `removable` is 0 because the slot is not. */
  sdCard: boolean;
  /** The nearest USB device up the sysfs path, when the disk hangs off USB. */
  usb: UsbIdentity | null;
}

/** A camera's card may be the disk the kernel calls "not removable" (USB hard disks too): USB or an SD slot counts as well. */
export function isRemovable(device: BlockDevice): boolean {
  return device.removableFlag || device.sdCard || device.usb !== null;
}

const readText = (file: string) => readFile(file, 'utf8').then((t) => t.trim(), () => null);
const exists = (file: string) => access(file).then(() => true, () => false);

/**
 * Describes a block device from sysfs: by `major:minor` (what mountinfo
 * gives) through `<sys>/dev/block/M:m`, or by kernel name through
 * `<sys>/class/block/<name>` (for fuseblk mounts, whose mountinfo device is
 * 0:N but whose source names the device). Null when sysfs knows no such device.
 */
export async function describeBlockDevice(sysRoot: string, ref: { major: number; minor: number } | { name: string }): Promise<BlockDevice | null> {
  const link = 'name' in ref ? path.join(sysRoot, 'class', 'block', ref.name) : path.join(sysRoot, 'dev', 'block', `${ref.major}:${ref.minor}`);
  const devDir = await realpath(link).catch(() => null);
  if (!devDir) return null;
  const partition = await exists(path.join(devDir, 'partition'));
  const diskDir = partition ? path.dirname(devDir) : devDir;
  const devicesRoot = await realpath(path.join(sysRoot, 'devices')).catch(() => path.join(sysRoot, 'devices'));
  return {
    name: path.basename(devDir),
    disk: path.basename(diskDir),
    dev: await readText(path.join(devDir, 'dev')),
    removableFlag: (await readText(path.join(diskDir, 'removable'))) === '1',
    sdCard: (await readText(path.join(diskDir, 'device', 'type'))) === 'SD',
    usb: await usbAncestor(diskDir, devicesRoot),
  };
}

/**
 * Walks up from the disk towards the root of `/sys/devices` and takes the
 * first folder with `idVendor` and `idProduct`: the USB device itself (the
 * interface folders below it have neither; the root hub above it is further).
 */
async function usbAncestor(diskDir: string, devicesRoot: string): Promise<UsbIdentity | null> {
  for (let dir = path.dirname(diskDir); dir.startsWith(devicesRoot + path.sep); dir = path.dirname(dir)) {
    const vendorId = await readText(path.join(dir, 'idVendor'));
    const productId = await readText(path.join(dir, 'idProduct'));
    if (vendorId && productId) {
      const serial = await readText(path.join(dir, 'serial'));
      return { vendorId: vendorId.toLowerCase(), productId: productId.toLowerCase(), ...(serial ? { serial } : {}) };
    }
  }
  return null;
}

/** Labels by kernel device name, from the `<dev>/disk/by-label/<label> -> ../../sdb1` links udev makes. */
export async function labelsByDevice(devRoot: string): Promise<Map<string, string>> {
  const dir = path.join(devRoot, 'disk', 'by-label');
  const labels = new Map<string, string>();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const target = await readlink(path.join(dir, name)).catch(() => null);
    if (target) labels.set(path.basename(target), decodeUdevString(name));
  }
  return labels;
}

async function udevLabel(udevData: string, dev: string): Promise<string | null> {
  const text = await readText(path.join(udevData, `b${dev}`));
  if (!text) return null;
  const props = parseUdevRecord(text);
  const encoded = props.get('ID_FS_LABEL_ENC');
  if (encoded) return decodeUdevString(encoded);
  return props.get('ID_FS_LABEL') || null;
}

let blkidMissing = false;

/** Asks blkid (util-linux), where udev has not recorded the label. Without root it may only know cached devices. */
function blkidLabel(device: string): Promise<string | null> {
  if (blkidMissing) return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile('blkid', ['-o', 'value', '-s', 'LABEL', device], { timeout: 3000, encoding: 'utf8' }, (err, stdout) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') blkidMissing = true;
      resolve(err ? null : stdout.trim() || null);
    });
  });
}

export interface MountedBlockDevice {
  mount: MountInfoEntry;
  device: BlockDevice;
}

/** The block device under a mount, or null for virtual and FUSE filesystems that have none. */
export async function blockDeviceOf(sysRoot: string, mount: MountInfoEntry): Promise<BlockDevice | null> {
  if (mount.major !== 0) return describeBlockDevice(sysRoot, mount);
  // fuseblk (exfat-fuse, ntfs-3g) mounts a real device through FUSE: mountinfo's source names it.
  if (mount.fsType === 'fuseblk' && mount.source.startsWith('/dev/')) return describeBlockDevice(sysRoot, { name: path.basename(mount.source) });
  return null;
}

export async function readMountInfo(paths: LinuxPaths = LINUX_PATHS): Promise<{ entries: MountInfoEntry[]; problems: string[] }> {
  return parseMountInfo(await readFile(paths.mountInfo, 'utf8'));
}

/** The label of a mounted device: udev's by-label links, then udev's database, then blkid. */
async function labelOf(paths: LinuxPaths, found: MountedBlockDevice, byLabel: Map<string, string>, useBlkid: boolean): Promise<string | null> {
  const { mount, device } = found;
  const dev = device.dev ?? (mount.major !== 0 ? `${mount.major}:${mount.minor}` : null);
  const known = byLabel.get(device.name) ?? (dev ? await udevLabel(paths.udevData, dev) : null);
  if (known) return known;
  return useBlkid ? blkidLabel(path.join(paths.devRoot, device.name)) : null;
}

function volumeOf(found: MountedBlockDevice, label: string | null): DockedVolume {
  const { mount, device } = found;
  return {
    id: `usb-volume:${device.name}@${mount.mountPoint}`,
    root: mount.mountPoint,
    label,
    ...(device.usb ? { usb: device.usb } : {}),
    removable: isRemovable(device),
    source: 'usb-volume',
  };
}

/**
 * Every mounted volume on a removable device, once per device (its first
 * whole-filesystem mount; bind mounts of sub-folders are not volumes). The
 * root filesystem is never one, even when the station boots from a USB disk.
 */
export async function scanLinuxRemovableVolumes(paths: LinuxPaths = LINUX_PATHS, options: { blkid?: boolean } = {}): Promise<{ volumes: DockedVolume[]; problems: string[] }> {
  const { entries, problems } = await readMountInfo(paths);
  const byLabel = await labelsByDevice(paths.devRoot);
  const seen = new Set<string>();
  const volumes: DockedVolume[] = [];
  for (const mount of entries) {
    if (mount.root !== '/' || mount.mountPoint === '/') continue;
    const device = await blockDeviceOf(paths.sysRoot, mount);
    if (!device || !isRemovable(device) || seen.has(device.name)) continue;
    seen.add(device.name);
    const found = { mount, device };
    volumes.push(volumeOf(found, await labelOf(paths, found, byLabel, options.blkid ?? true)));
  }
  return { volumes, problems };
}

/**
 * What is mounted exactly at `dir`, if it is a block device: lets the
 * watched-folder source give a camera the OS mounted at a known place its
 * real label and USB identity. The last mount at a path is the visible one.
 */
export async function describeMountPoint(dir: string, paths: LinuxPaths = LINUX_PATHS): Promise<Omit<DockedVolume, 'id' | 'source' | 'root'> | null> {
  const { entries } = await readMountInfo(paths).catch(() => ({ entries: [] as MountInfoEntry[] }));
  const mount = entries.filter((e) => e.mountPoint === dir).at(-1);
  if (!mount) return null;
  const device = await blockDeviceOf(paths.sysRoot, mount);
  if (!device) return null;
  const found = { mount, device };
  const { label, usb, removable } = volumeOf(found, await labelOf(paths, found, await labelsByDevice(paths.devRoot), true));
  return { label, removable, ...(usb ? { usb } : {}) };
}
