// Windows: removable drives (DriveType 2: cameras, card readers, USB sticks)
// from WMI. PowerShell's Get-CimInstance is asked first; wmic, deprecated and
// absent from recent Windows 11 builds, is the fallback for old stations.
// Parsing is separate from running so it is tested on captured output
// anywhere; only the run is behind the platform check.
import { execFile } from 'node:child_process';
import type { DockedVolume } from './volume.js';

export interface WindowsDrive {
  /** `E:` */
  deviceId: string;
  volumeName: string | null;
  /** The volume serial number WMI reports (8 hex digits), which changes when a card is reformatted. */
  volumeSerial: string | null;
  /** Null for a card reader with no card in it. */
  fileSystem: string | null;
}

// The console's code page (936 on a Chinese system) would garble Chinese
// labels on the way through the pipe; UTF-8 output is asked for explicitly.
export const CIM_COMMAND =
  "[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=2' | Select-Object DeviceID,VolumeName,VolumeSerialNumber,FileSystem | ConvertTo-Json -Compress";
export const WMIC_ARGS = ['logicaldisk', 'where', 'DriveType=2', 'get', 'DeviceID,FileSystem,VolumeName,VolumeSerialNumber', '/format:csv'];

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** ConvertTo-Json writes nothing for no drives, an object for one, an array for several. */
export function parseCimLogicalDisks(stdout: string): WindowsDrive[] {
  const trimmed = stdout.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  const json: unknown = JSON.parse(trimmed);
  const rows = Array.isArray(json) ? json : [json];
  return rows.flatMap((row): WindowsDrive[] => {
    if (row === null || typeof row !== 'object') return [];
    const r = row as Record<string, unknown>;
    const deviceId = text(r.DeviceID);
    if (!deviceId) return [];
    return [{ deviceId, volumeName: text(r.VolumeName), volumeSerial: text(r.VolumeSerialNumber), fileSystem: text(r.FileSystem) }];
  });
}

/** `wmic ... /format:csv`: a blank line, a header (Node first, then the columns alphabetically), CR CR LF line ends. */
export function parseWmicCsv(stdout: string): WindowsDrive[] {
  const lines = stdout
    .replace(/^\uFEFF/, '')
    .split(/\r*\n/)
    .map((l) => l.replace(/\r+$/, ''))
    .filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',').map((h) => h.trim().toLowerCase());
  if (!header) return [];
  const col = (name: string) => header.indexOf(name.toLowerCase());
  const [id, fs, name, serial] = ['DeviceID', 'FileSystem', 'VolumeName', 'VolumeSerialNumber'].map(col) as [number, number, number, number];
  if (id < 0) throw new Error(`wmic output has no DeviceID column: ${header.join(',')}`);
  return lines.flatMap((line): WindowsDrive[] => {
    const cells = line.split(',');
    const deviceId = text(cells[id]);
    if (!deviceId) return [];
    return [{ deviceId, volumeName: text(cells[name]), volumeSerial: text(cells[serial]), fileSystem: text(cells[fs]) }];
  });
}

/** A drive with a file system on it as a docked volume; an empty card reader is no volume. */
export function windowsVolumes(drives: readonly WindowsDrive[]): DockedVolume[] {
  return drives
    .filter((d) => d.fileSystem !== null)
    .map((d) => ({
      id: `usb-volume:${d.deviceId.toUpperCase()}${d.volumeSerial ? `#${d.volumeSerial}` : ''}`,
      root: `${d.deviceId.toUpperCase()}\\`,
      label: d.volumeName,
      removable: true,
      source: 'usb-volume' as const,
    }));
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 15_000, windowsHide: true, encoding: 'utf8', maxBuffer: 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

export async function scanWindowsRemovableVolumes(): Promise<DockedVolume[]> {
  if (process.platform !== 'win32') throw new Error('scanWindowsRemovableVolumes runs on Windows only');
  let drives: WindowsDrive[];
  try {
    drives = parseCimLogicalDisks(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', CIM_COMMAND]));
  } catch (cimError) {
    try {
      drives = parseWmicCsv(await run('wmic', WMIC_ARGS));
    } catch {
      throw cimError;
    }
  }
  return windowsVolumes(drives);
}
