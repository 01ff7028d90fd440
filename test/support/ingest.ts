import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DockIdentified } from '../../electron/core/docking/dock-watcher.js';
import { identifyDock } from '../../electron/core/docking/dock-watcher.js';
import { loadProfiles } from '../../electron/core/docking/profile/index.js';
import { repoPath } from '../../electron/core/paths.js';
import type { Clock } from '../../electron/core/clock.js';
import type { CameraManifest, MakeCameraOptions } from '../fixtures/camera/camera.js';
import { makeCamera } from '../fixtures/camera/camera.js';
import { tempDir } from './station.js';

/** Reads a camera volume the way the dock watcher does. */
export async function identify(root: string, clock: Clock, id = `test:${root}`): Promise<DockIdentified> {
  const profiles = await loadProfiles(repoPath('profiles'));
  const r = await identifyDock({ id, root, label: null, removable: false, source: 'watched-folder' }, profiles, clock);
  if (!('profile' in r)) throw new Error(`not identified: ${r.reasons.join('; ')}`);
  return r;
}

/** An emulated camera in a fresh temp folder. */
export async function camera(options: Partial<MakeCameraOptions> & { serial: string; badge: string }): Promise<CameraManifest> {
  const out = path.join(tempDir('camera-'), 'volume');
  return makeCamera({ out, ...options });
}

/**
 * The one file the station writes on a camera: the generic GA/T 947 profile's
 * time file (第七条, clock.set), at the volume root. test/integration/clock-set.test.ts
 * checks what it holds and that nothing else is touched.
 */
export const STATION_TIME_FILE = 'time.txt';

/**
 * Every file under a folder with its bytes' SHA-256, to show a camera was left
 * as it was: all but the station's own time file at the root (see above).
 */
export function treeDigest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !(dir === root && e.name === STATION_TIME_FILE)) out[path.relative(root, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}
