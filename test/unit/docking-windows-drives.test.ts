// Windows drive listing, parsed from output captured on Windows (PowerShell
// 5.1's ConvertTo-Json and wmic's CSV), so it is checked on every platform.
import { describe, expect, it } from 'vitest';
import { parseCimLogicalDisks, parseWmicCsv, windowsVolumes } from '../../electron/core/docking/sources/windows-drives.js';

describe('Get-CimInstance Win32_LogicalDisk | ConvertTo-Json', () => {
  it('reads several drives (an array), including a card reader with no card', () => {
    const out =
      '[{"DeviceID":"E:","VolumeName":"DSJ","VolumeSerialNumber":"5A1B2C3D","FileSystem":"FAT32"},' +
      '{"DeviceID":"F:","VolumeName":"执法记录仪","VolumeSerialNumber":"0E0F1011","FileSystem":"exFAT"},' +
      '{"DeviceID":"G:","VolumeName":null,"VolumeSerialNumber":null,"FileSystem":null}]\r\n';
    expect(parseCimLogicalDisks(out)).toEqual([
      { deviceId: 'E:', volumeName: 'DSJ', volumeSerial: '5A1B2C3D', fileSystem: 'FAT32' },
      { deviceId: 'F:', volumeName: '执法记录仪', volumeSerial: '0E0F1011', fileSystem: 'exFAT' },
      { deviceId: 'G:', volumeName: null, volumeSerial: null, fileSystem: null },
    ]);
  });

  it('reads one drive (ConvertTo-Json writes an object, not an array), with a byte-order mark', () => {
    expect(parseCimLogicalDisks('\uFEFF{"DeviceID":"E:","VolumeName":"","VolumeSerialNumber":"5A1B2C3D","FileSystem":"FAT32"}')).toEqual([
      { deviceId: 'E:', volumeName: null, volumeSerial: '5A1B2C3D', fileSystem: 'FAT32' },
    ]);
  });

  it('reads no drives (ConvertTo-Json writes nothing)', () => {
    expect(parseCimLogicalDisks('')).toEqual([]);
    expect(parseCimLogicalDisks('\r\n')).toEqual([]);
  });

  it('refuses output that is not JSON rather than guessing', () => {
    expect(() => parseCimLogicalDisks('Get-CimInstance : Access denied')).toThrow();
  });
});

describe('wmic logicaldisk /format:csv', () => {
  it('reads the CSV with its blank first line and CR CR LF line ends', () => {
    const out =
      '\r\r\nNode,DeviceID,FileSystem,VolumeName,VolumeSerialNumber\r\r\n' +
      'STATION-01,E:,FAT32,DSJ,5A1B2C3D\r\r\n' +
      'STATION-01,G:,,,\r\r\n';
    expect(parseWmicCsv(out)).toEqual([
      { deviceId: 'E:', volumeName: 'DSJ', volumeSerial: '5A1B2C3D', fileSystem: 'FAT32' },
      { deviceId: 'G:', volumeName: null, volumeSerial: null, fileSystem: null },
    ]);
  });

  it('reads "No Instances Available." (no header) as no drives', () => {
    expect(parseWmicCsv('\r\r\n')).toEqual([]);
  });

  it('finds columns by name, whatever their order', () => {
    expect(parseWmicCsv('Node,VolumeSerialNumber,VolumeName,FileSystem,DeviceID\nPC,11112222,CAM,FAT32,H:\n')).toEqual([
      { deviceId: 'H:', volumeName: 'CAM', volumeSerial: '11112222', fileSystem: 'FAT32' },
    ]);
  });
});

describe('drives as docked volumes', () => {
  it('keeps drives with a file system; the id changes when the card in the drive does', () => {
    const volumes = windowsVolumes([
      { deviceId: 'e:', volumeName: 'DSJ', volumeSerial: '5A1B2C3D', fileSystem: 'FAT32' },
      { deviceId: 'G:', volumeName: null, volumeSerial: null, fileSystem: null },
    ]);
    expect(volumes).toEqual([{ id: 'usb-volume:E:#5A1B2C3D', root: 'E:\\', label: 'DSJ', removable: true, source: 'usb-volume' }]);
    const other = windowsVolumes([{ deviceId: 'E:', volumeName: 'DSJ', volumeSerial: '99990000', fileSystem: 'FAT32' }]);
    expect(other[0]!.id).not.toBe(volumes[0]!.id);
  });
});
