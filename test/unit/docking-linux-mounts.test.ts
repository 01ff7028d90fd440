// The Linux removable-volume watcher's reading of the kernel's files: the
// mount table as captured from real machines, and sysfs/udev laid out in a
// temporary tree the way the kernel lays them out.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeMountField,
  decodeUdevString,
  describeBlockDevice,
  describeMountPoint,
  isRemovable,
  labelsByDevice,
  parseMountInfo,
  parseUdevRecord,
  scanLinuxRemovableVolumes,
} from '../../electron/core/docking/sources/linux-mounts.js';
import { RemovableVolumeSource } from '../../electron/core/docking/sources/removable-volumes.js';
import type { DockedVolume } from '../../electron/core/docking/sources/volume.js';
import { FakeSystem, mountLine, type FakeDisk } from './docking-sysfs-tree.js';

// Captured from a desktop (udisks automount of a camera and an exFAT card
// through FUSE), plus proc(5)'s own example with a bind mount.
const DESKTOP_MOUNTINFO = [
  '22 29 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw',
  '29 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro',
  '36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue',
  '421 29 8:17 / /media/alice/DSJ rw,nosuid,nodev,relatime shared:238 - vfat /dev/sdb1 rw,fmask=0022,dmask=0022,codepage=437,iocharset=utf8,shortname=mixed,showexec,utf8,flush,errors=remount-ro',
  '430 29 0:51 / /media/alice/CAM\\040TWO rw,nosuid,nodev,relatime shared:245 - fuseblk /dev/sdc1 rw,user_id=0,group_id=0,default_permissions,allow_other,blksize=4096',
  '431 29 0:52 / /media/alice/tab\\011and\\134slash rw,relatime - tmpfs tmpfs rw',
  '',
].join('\n');

describe('mountinfo', () => {
  it('reads every field, with optional fields present or not and escapes decoded', () => {
    const { entries, problems } = parseMountInfo(DESKTOP_MOUNTINFO);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(6);
    expect(entries[1]).toEqual({
      mountId: 29,
      parentId: 1,
      major: 8,
      minor: 2,
      root: '/',
      mountPoint: '/',
      options: ['rw', 'relatime'],
      fsType: 'ext4',
      source: '/dev/sda2',
      superOptions: ['rw', 'errors=remount-ro'],
    });
    expect(entries[2]).toMatchObject({ root: '/mnt1', mountPoint: '/mnt2', fsType: 'ext3', major: 98, minor: 0 });
    expect(entries[3]).toMatchObject({ major: 8, minor: 17, mountPoint: '/media/alice/DSJ', fsType: 'vfat', source: '/dev/sdb1' });
    expect(entries[4]).toMatchObject({ major: 0, minor: 51, mountPoint: '/media/alice/CAM TWO', fsType: 'fuseblk', source: '/dev/sdc1' });
    expect(entries[5]!.mountPoint).toBe('/media/alice/tab\tand\\slash');
  });

  it('reports a malformed line and still reads the others', () => {
    const { entries, problems } = parseMountInfo(`garbage here\n${DESKTOP_MOUNTINFO}29 1 8 / / rw - ext4\n`);
    expect(entries).toHaveLength(6);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/line 1/);
  });

  it('decodes octal escapes only', () => {
    expect(decodeMountField('/media/a\\040b\\012c')).toBe('/media/a b\nc');
    expect(decodeMountField('/media/录像机')).toBe('/media/录像机');
  });

  it.runIf(process.platform === 'linux')("parses this machine's own mount table without a problem", async () => {
    const { entries, problems } = parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
    expect(problems).toEqual([]);
    expect(entries.some((e) => e.mountPoint === '/')).toBe(true);
  });

  it.runIf(process.platform === 'linux')('scans this machine without error and reports only removable volumes', async () => {
    const { volumes, problems } = await scanLinuxRemovableVolumes();
    expect(problems).toEqual([]);
    // A build machine or VM has none; a desk with a USB stick in it has some: either way each is removable.
    for (const v of volumes) expect(v).toMatchObject({ removable: true, source: 'usb-volume' });
    console.log(`removable volumes on this machine: ${volumes.length ? volumes.map((v) => `${v.root} (${v.label ?? 'no label'})`).join(', ') : 'none'}`);
  });
});

describe('udev names', () => {
  it('decodes \\xNN escapes and keeps UTF-8 as is', () => {
    expect(decodeUdevString('DSJ\\x20CAM')).toBe('DSJ CAM');
    expect(decodeUdevString('执法\\x20记录仪')).toBe('执法 记录仪');
    // An escaped multi-byte sequence is bytes, put back together as UTF-8.
    expect(decodeUdevString('\\xe5\\xbd\\x95')).toBe('录');
    expect(decodeUdevString('a\\x2fb')).toBe('a/b');
  });

  it('reads the properties of a udev database record', () => {
    const props = parseUdevRecord('S:disk/by-label/DSJ\nE:ID_FS_TYPE=vfat\nE:ID_FS_LABEL=DSJ_CAM\nE:ID_FS_LABEL_ENC=DSJ\\x20CAM\nG:systemd\n');
    expect(props.get('ID_FS_LABEL_ENC')).toBe('DSJ\\x20CAM');
    expect(props.get('ID_FS_TYPE')).toBe('vfat');
    expect(props.has('S')).toBe(false);
  });
});

describe('sysfs and udev on a tree laid out like /sys', () => {
  let tmp: string;
  let sys: FakeSystem;
  const camera: FakeDisk = {
    name: 'sdb',
    major: 8,
    minor: 16,
    removable: true,
    usb: { port: '2-1', vendorId: '2207', productId: '0010', serial: 'DSJ0012345' },
    partitions: [{ name: 'sdb1', minor: 17, label: 'DSJ' }],
  };
  const usbDisk: FakeDisk = {
    // A USB hard disk says removable=0; it is on USB, so it counts. No serial, label only in udev's database.
    name: 'sdc',
    major: 8,
    minor: 32,
    removable: false,
    usb: { port: '2-2', vendorId: '0bc2', productId: '2322' },
    partitions: [{ name: 'sdc1', minor: 33, label: 'CAM TWO', labelIn: 'udev' }],
  };
  const sdCard: FakeDisk = { name: 'mmcblk0', major: 179, minor: 0, removable: false, sd: true, partitions: [{ name: 'mmcblk0p1', minor: 1, label: '录像卡' }] };
  const systemDisk: FakeDisk = { name: 'vda', major: 254, minor: 0, removable: false };
  const unpartitioned: FakeDisk = { name: 'sdd', major: 8, minor: 48, removable: true, usb: { port: '1-4', vendorId: '0781', productId: '5567', serial: '4C530001' } };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'docking-sysfs-'));
    sys = await new FakeSystem(path.join(tmp, 'root')).init();
    for (const d of [camera, usbDisk, sdCard, systemDisk, unpartitioned]) await sys.addDisk(d);
    await sys.setMountInfo(
      [
        mountLine({ id: 29, parent: 1, dev: '254:0', mountPoint: '/', fsType: 'ext4', source: '/dev/vda' }),
        mountLine({ id: 421, dev: '8:17', mountPoint: '/media/alice/DSJ', fsType: 'vfat', source: '/dev/sdb1', optional: 'shared:238' }),
        // The same partition bind-mounted again (a sub-folder, then whole): one volume, the first whole mount.
        mountLine({ id: 422, dev: '8:17', root: '/RECORD', mountPoint: '/srv/record', fsType: 'vfat', source: '/dev/sdb1' }),
        mountLine({ id: 423, dev: '8:17', mountPoint: '/srv/again', fsType: 'vfat', source: '/dev/sdb1' }),
        mountLine({ id: 430, dev: '0:51', mountPoint: '/media/alice/CAM TWO', fsType: 'fuseblk', source: '/dev/sdc1' }),
        mountLine({ id: 431, dev: '179:1', mountPoint: '/media/alice/录像卡', fsType: 'exfat', source: '/dev/mmcblk0p1' }),
        mountLine({ id: 432, dev: '8:48', mountPoint: '/media/alice/stick', fsType: 'vfat', source: '/dev/sdd' }),
        mountLine({ id: 433, dev: '0:60', mountPoint: '/media/alice/image', fsType: 'fuse.fusefat', source: 'fusefat' }),
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('describes a partition on a USB camera: the disk is removable, the USB ids come from the nearest USB device', async () => {
    const d = await describeBlockDevice(sys.paths.sysRoot, { major: 8, minor: 17 });
    expect(d).toEqual({ name: 'sdb1', disk: 'sdb', dev: '8:17', removableFlag: true, sdCard: false, usb: { vendorId: '2207', productId: '0010', serial: 'DSJ0012345' } });
    expect(isRemovable(d!)).toBe(true);
  });

  it('finds a device by kernel name, as for a fuseblk mount', async () => {
    const d = await describeBlockDevice(sys.paths.sysRoot, { name: 'sdc1' });
    expect(d).toMatchObject({ disk: 'sdc', dev: '8:33', removableFlag: false, usb: { vendorId: '0bc2', productId: '2322' } });
    expect(d!.usb).not.toHaveProperty('serial');
    expect(isRemovable(d!)).toBe(true);
  });

  it('knows an SD card in a slot, and that the system disk is not removable', async () => {
    const sd = await describeBlockDevice(sys.paths.sysRoot, { major: 179, minor: 1 });
    expect(sd).toMatchObject({ disk: 'mmcblk0', sdCard: true, usb: null });
    expect(isRemovable(sd!)).toBe(true);
    const vda = await describeBlockDevice(sys.paths.sysRoot, { major: 254, minor: 0 });
    expect(vda).toMatchObject({ name: 'vda', disk: 'vda', removableFlag: false, sdCard: false, usb: null });
    expect(isRemovable(vda!)).toBe(false);
    expect(await describeBlockDevice(sys.paths.sysRoot, { major: 8, minor: 99 })).toBeNull();
  });

  it('reads labels from the by-label links', async () => {
    const labels = await labelsByDevice(sys.paths.devRoot);
    expect(Object.fromEntries(labels)).toEqual({ sdb1: 'DSJ', mmcblk0p1: '录像卡' });
  });

  it('lists each removable volume once, with label and USB identity, and nothing else', async () => {
    const { volumes, problems } = await scanLinuxRemovableVolumes(sys.paths, { blkid: false });
    expect(problems).toEqual([]);
    expect(volumes).toEqual<DockedVolume[]>([
      { id: 'usb-volume:sdb1@/media/alice/DSJ', root: '/media/alice/DSJ', label: 'DSJ', usb: { vendorId: '2207', productId: '0010', serial: 'DSJ0012345' }, removable: true, source: 'usb-volume' },
      { id: 'usb-volume:sdc1@/media/alice/CAM TWO', root: '/media/alice/CAM TWO', label: 'CAM TWO', usb: { vendorId: '0bc2', productId: '2322' }, removable: true, source: 'usb-volume' },
      { id: 'usb-volume:mmcblk0p1@/media/alice/录像卡', root: '/media/alice/录像卡', label: '录像卡', removable: true, source: 'usb-volume' },
      { id: 'usb-volume:sdd@/media/alice/stick', root: '/media/alice/stick', label: null, usb: { vendorId: '0781', productId: '5567', serial: '4C530001' }, removable: true, source: 'usb-volume' },
    ]);
  });

  it('describes what is mounted at a given folder, for the watched-folder source', async () => {
    expect(await describeMountPoint('/media/alice/DSJ', sys.paths)).toEqual({ label: 'DSJ', removable: true, usb: { vendorId: '2207', productId: '0010', serial: 'DSJ0012345' } });
    expect(await describeMountPoint('/media/alice/image', sys.paths)).toBeNull(); // FUSE image: no block device
    expect(await describeMountPoint('/nowhere', sys.paths)).toBeNull();
  });

  it('a watcher on the tree reports arrivals and departures between scans', async () => {
    const source = new RemovableVolumeSource({ platform: 'linux', linuxPaths: sys.paths, blkid: false, hotplug: false, rescanIntervalMs: 0, log: () => {} });
    const events: string[] = [];
    source.on('attached', (v) => events.push(`+${v.root}`));
    source.on('detached', (id) => events.push(`-${id}`));
    const before = await readFile(sys.paths.mountInfo, 'utf8');
    try {
      await source.start();
      expect(events).toHaveLength(4);
      events.length = 0;

      // The camera is unplugged: its mount goes, then the kernel forgets the device.
      await sys.setMountInfo(before.split('\n').filter((l) => !l.includes(' 8:17 ')).join('\n'));
      await sys.removeDisk(camera);
      await source.rescan();
      expect(events).toEqual(['-usb-volume:sdb1@/media/alice/DSJ']);

      // Another camera is plugged into the same port and mounted at the same place:
      // the kernel names it sdb again, but it is a different device (serial).
      const other: FakeDisk = { ...camera, usb: { ...camera.usb!, port: '3-1', serial: 'DSJ0099999' } };
      await sys.addDisk(other);
      await sys.setMountInfo(before);
      events.length = 0;
      await source.rescan();
      expect(events).toEqual(['+/media/alice/DSJ']);
      expect(source.volumes().find((v) => v.root === '/media/alice/DSJ')?.usb?.serial).toBe('DSJ0099999');

      // A scan that cannot read the mount table changes nothing and says so once.
      const problems: string[] = [];
      source.on('problem', (p) => problems.push(p.code));
      await rm(sys.paths.mountInfo);
      events.length = 0;
      await source.rescan();
      await source.rescan();
      expect(events).toEqual([]);
      expect(problems).toEqual(['scan-failed']);
      expect(source.volumes()).toHaveLength(4);
    } finally {
      await source.stop();
      await sys.setMountInfo(before);
    }
  });
});
