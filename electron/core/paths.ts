import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A path inside the source tree (migrations, camera profiles). Found by walking
 * up from this file to the package.json, so it works from the sources (tsx,
 * vitest) wherever the repo is. Bundled hosts pass explicit paths instead.
 */
export function repoPath(...parts: string[]): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'migrations'))) {
      return path.join(dir, ...parts);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the station's source tree above ${import.meta.url}`);
    dir = up;
  }
}

/**
 * The data folder the desktop app uses by default, so the CLI and the app agree
 * without configuration: Electron's userData for an app named "evidence-station".
 */
export function defaultDataDir(): string {
  const home = os.homedir();
  const appName = 'evidence-station';
  if (process.platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName, 'station');
  }
  if (process.platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', appName, 'station');
  }
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName, 'station');
}
