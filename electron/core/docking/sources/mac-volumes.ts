// macOS mounts every external volume under /Volumes/<label>. The boot
// volume appears there as a symbolic link to /, which is skipped; a leftover
// empty folder is not a mount point and is skipped too. Disk images and
// network shares also appear; identification sorts them out (no camera
// profile matches them), so they end as an "unrecognized" notice.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DockedVolume } from './volume.js';

export async function scanMacVolumes(volumesDir = '/Volumes'): Promise<DockedVolume[]> {
  const parent = await lstat(volumesDir);
  const volumes: DockedVolume[] = [];
  for (const name of (await readdir(volumesDir)).sort()) {
    if (name.startsWith('.')) continue;
    const root = path.join(volumesDir, name);
    const st = await lstat(root).catch(() => null);
    if (!st || st.isSymbolicLink() || !st.isDirectory() || st.dev === parent.dev) continue;
    volumes.push({ id: `usb-volume:${root}#${st.dev}`, root, label: name, removable: true, source: 'usb-volume' });
  }
  return volumes;
}
