#!/usr/bin/env node
// `npm start`: opens the station as a desktop app from the working copy.
//   1. checks that Electron's binary is installed (without downloading it);
//   2. makes sure a better-sqlite3 built for Electron's ABI exists in
//      .cache/electron-native/ — built with @electron/rebuild in a COPY of the
//      package, so node_modules keeps the Node build that tests and the CLI use;
//   3. builds the renderer (vite build) and the shell bundles;
//   4. starts Electron on this folder, naming the native module in
//      EVIDENCE_STATION_NATIVE_BINDING (read by electron/main.ts in development only).
// Extra arguments go to the app: `npm start -- --data /srv/station`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const NATIVE_BINDING_ENV = 'EVIDENCE_STATION_NATIVE_BINDING'; // as in electron/shell/shell-options.ts

function fail(zh, en, code = 1) {
  console.error(`\n${zh}\n\n${en}\n`);
  process.exit(code);
}

/**
 * Where the Electron binary should be, by the same rules as the electron
 * package's index.js, but without its side effect: requiring 'electron' tries
 * to download the binary when it is missing.
 */
function findElectron() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  const pathFile = path.join(dir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  let executable = null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    executable = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
  } else if (relative) {
    executable = path.join(dir, 'dist', relative);
  }
  return { version, executable: executable && fs.existsSync(executable) ? executable : null };
}

function requireElectron() {
  const electron = findElectron();
  if (electron.executable) return electron;
  const skipped = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
    ? {
        zh: '（当前环境设置了 ELECTRON_SKIP_BINARY_DOWNLOAD，安装时跳过了下载。）\n',
        en: '(ELECTRON_SKIP_BINARY_DOWNLOAD is set in this environment, so the install skipped the download.)\n',
      }
    : { zh: '', en: '' };
  fail(
    `未安装 Electron 程序文件（Electron ${electron.version}），无法打开桌面应用。\n` +
      skipped.zh +
      '安装方法（需要网络）：\n' +
      '  不设置 ELECTRON_SKIP_BINARY_DOWNLOAD，重新运行 npm install；\n' +
      '  或只下载 Electron：node node_modules/electron/install.js\n' +
      '不用 Electron 也可以使用本站：命令行 npx station --help，浏览器调试环境 npm run harness -- --data <文件夹>。',
    `The Electron binary (Electron ${electron.version}) is not installed, so the desktop app cannot open.\n` +
      skipped.en +
      'To install it (needs network access):\n' +
      '  run npm install again without ELECTRON_SKIP_BINARY_DOWNLOAD;\n' +
      '  or download just Electron: node node_modules/electron/install.js\n' +
      'Without Electron you can still use the station: the CLI (npx station --help) and the browser harness (npm run harness -- --data <folder>).',
  );
}

/**
 * better-sqlite3 compiled for Electron's Node ABI, cached per Electron
 * version, platform and better-sqlite3 version. Built once (a prebuilt binary
 * is downloaded when one exists, else compiled with node-gyp).
 */
async function electronSqlite(electronVersion) {
  const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const sqliteVersion = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const cacheDir = path.join(
    root,
    '.cache',
    'electron-native',
    electronVersion,
    `${process.platform}-${process.arch}`,
    `better-sqlite3-${sqliteVersion}`,
  );
  const binding = path.join(cacheDir, 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;

  console.log(
    `正在为 Electron ${electronVersion} 构建 better-sqlite3 ${sqliteVersion}（只需一次）…\n` +
      `Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`,
  );
  // A throwaway app folder holding only a copy of the package: @electron/rebuild
  // rebuilds in place, and must not touch the repository's node_modules.
  const work = path.join(cacheDir, 'build');
  fs.rmSync(work, { recursive: true, force: true });
  const copy = path.join(work, 'node_modules', 'better-sqlite3');
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.writeFileSync(
    path.join(work, 'package.json'),
    JSON.stringify({ name: 'electron-native-build', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }),
  );
  fs.cpSync(pkgDir, copy, {
    recursive: true,
    // Leave the Node build behind so nothing can mistake it for the Electron one.
    filter: (src) => !src.startsWith(path.join(pkgDir, 'build') + path.sep) && src !== path.join(pkgDir, 'build'),
  });
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: work,
      // Stop the search for node_modules at the work folder (not the repository's).
      projectRootPath: work,
      electronVersion,
      arch: process.arch,
      onlyModules: ['better-sqlite3'],
      force: true,
    });
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    fail(
      `无法为 Electron 构建 better-sqlite3：${e?.message ?? e}\n` +
        '需要网络（下载预编译文件或 Electron 头文件）；没有预编译文件时还需要 C++ 编译器和 Python（node-gyp）。',
      `Could not build better-sqlite3 for Electron: ${e?.message ?? e}\n` +
        'This needs network access (a prebuilt binary or the Electron headers), and a C++ compiler and Python (node-gyp) when no prebuilt binary exists.',
    );
  }
  const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(built)) {
    fail(
      `构建完成但找不到 ${path.relative(root, built)}。`,
      `The build finished but ${path.relative(root, built)} is missing.`,
    );
  }
  fs.copyFileSync(built, binding);
  fs.rmSync(work, { recursive: true, force: true });
  return binding;
}

function buildRenderer() {
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('界面构建失败（vite build）。', 'The renderer build failed (vite build).');
}

async function main() {
  const electron = requireElectron();
  const binding = await electronSqlite(electron.version);
  buildRenderer();
  await buildElectron();

  const env = { ...process.env, [NATIVE_BINDING_ENV]: binding };
  // Set by some tools; it would make Electron run as plain Node instead of opening the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const args = [root, ...process.argv.slice(2)];
  if (process.platform === 'linux' && process.getuid?.() === 0 && !args.includes('--no-sandbox')) {
    console.warn(
      '提示：以 root 运行时 Chromium 拒绝启动，除非加 --no-sandbox（npm start -- --no-sandbox）；请改用普通用户。\n' +
        'Note: as root, Chromium refuses to start without --no-sandbox (npm start -- --no-sandbox); use a normal user instead.',
    );
  }
  const child = spawn(electron.executable, args, { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((e) => fail(`启动失败：${e?.stack ?? e}`, `Start failed: ${e?.message ?? e}`));
