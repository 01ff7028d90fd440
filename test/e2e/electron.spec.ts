import { _electron } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { APP_TITLE } from '../../electron/shell/shell-text.js';
import { repoPath } from '../../electron/core/paths.js';
import { expect, screenshot, test } from './fixtures.js';

// The one spec that drives the real desktop app: Electron main, the preload,
// the core in its utility process and the built renderer. Build machines
// install npm packages with ELECTRON_SKIP_BINARY_DOWNLOAD=1, so the spec runs
// wherever an Electron binary exists and says plainly why it is skipped elsewhere.

type ElectronBinary = { found: true; path: string } | { found: false; why: string };

/**
 * Where `require('electron')` would point, found without calling it: since
 * Electron 45 that require starts a download when the binary is missing, and a
 * test must neither hang on the network nor fetch a browser.
 */
function findElectronBinary(): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, why: 'the electron npm package is not installed' };
  }
  let relative = '';
  try {
    relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    // No path.txt: the install step never ran.
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, relative || 'electron') : relative ? path.join(packageDir, 'dist', relative) : null;
  if (binary && fs.existsSync(binary)) return { found: true, path: binary };
  return {
    found: false,
    why:
      `the Electron binary is not installed (${binary ?? path.join(packageDir, 'dist')} does not exist): ` +
      'npm installed the electron package with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as CI does. ' +
      'To run this spec, on a machine with network access: unset ELECTRON_SKIP_BINARY_DOWNLOAD, run ' +
      '`node node_modules/electron/install.js` (downloads the Electron build matching package.json), then `npm run build` and run the e2e tests again.',
  };
}

test('the desktop app opens on the first-run setup screen', async () => {
  const electron = findElectronBinary();
  if (!electron.found) {
    console.log(`electron.spec.ts skipped: ${electron.why}`);
    test.skip(true, electron.why);
    return;
  }
  const appRoot = repoPath();
  const mainBundle = path.join(appRoot, 'dist-electron', 'main.cjs');
  // With a binary present, a missing build is a setup mistake to fix, not a reason to skip.
  expect(fs.existsSync(mainBundle), `${mainBundle} is missing: run \`npm run build\``).toBe(true);
  expect(fs.existsSync(path.join(appRoot, 'dist', 'renderer', 'index.html')), 'dist/renderer is missing: run `npm run build`').toBe(true);

  const zh = JSON.parse(fs.readFileSync(path.join(appRoot, 'renderer', 'i18n', 'zh-CN.json'), 'utf8')) as { setup: { title: string } };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-electron-'));
  const app = await _electron.launch({
    executablePath: electron.path,
    // The app folder (package.json "main" names dist-electron/main.cjs) and a fresh data
    // folder, which also holds the Chromium profile: a first run beside any real station.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), appRoot, '--data', dataDir],
    cwd: appRoot,
    timeout: 60_000,
  });
  try {
    const page = await app.firstWindow();
    // The BrowserWindow keeps the station's name whatever the page sets.
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    expect(title).toBe(APP_TITLE);
    await expect(page.getByRole('heading', { name: zh.setup.title })).toBeVisible({ timeout: 30_000 });

    // The page is a sandboxed, isolated renderer: the contract API and nothing of Node.
    const exposed = await page.evaluate(() => ({
      station: typeof window.station?.invoke,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ station: 'function', require: 'undefined', process: 'undefined' });
    await screenshot(page, 'electron-first-run');
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
