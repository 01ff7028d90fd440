// Electron main: thin by design. It owns the window, the app:// files, the
// IPC relay and the supervision of the core; the station's logic and data are
// in the core, which runs in a utility process and is restarted if it dies.
// Main also starts the vendor library's processes the core asks for
// (vendor-broker.ts): a utility process cannot start one itself.
import path from 'node:path';
import type { BrowserWindow, MessagePortMain } from 'electron';
import { app, dialog, Menu, session, utilityProcess } from 'electron';
import { registerAppScheme, serveRenderer } from './window/app-protocol.js';
import { BUNDLED_CHILD_NAME } from './core/docking/vendor/child-entry.js';
import { defaultDataDir } from './core/paths.js';
import { broadcast, installIpcRelay, sendToWindow, trackWindowConnection } from './ipc/ipc-relay.js';
import { buildMenu } from './window/menu.js';
import type { ShellLog } from './shell/shell-log.js';
import { createShellLog } from './shell/shell-log.js';
import { parseShellOptions, refusedSwitches } from './shell/shell-options.js';
import { coreDialogs, refusedSwitchText, shellLanguage } from './shell/shell-text.js';
import type { CoreFailure, CoreProcess } from './host/supervisor.js';
import { CoreSupervisor } from './host/supervisor.js';
import { VendorBroker } from './host/vendor-broker.js';
import { forkVendorChild, vendorChannel } from './host/vendor-fork.js';
import { createStationWindow, hardenWebContents, lockDownSession } from './window/window.js';

/** Each line the core host writes goes into the shell log, marked as the core's. */
function forwardLines(stream: NodeJS.ReadableStream | null, log: ShellLog): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') log(`[core] ${line}`);
  });
}

/** The vendor brokers of running core processes, so that quitting kills whatever they still run. */
const vendorBrokers = new Set<VendorBroker<MessagePortMain>>();

function forkCoreHost(paths: { coreHost: string; vendorChild: string }, log: ShellLog): CoreProcess {
  const child = utilityProcess.fork(paths.coreHost, [], {
    serviceName: 'evidence-station-core',
    stdio: 'pipe',
  });
  forwardLines(child.stdout, log);
  forwardLines(child.stderr, log);
  // A V8 fatal error in the core: its exit follows and the supervisor restarts it.
  child.on('error', (type, location) => log(`[core] ${type} at ${location}`));
  // The vendor library's processes this core asks for; they die with it (a restarted core gets a fresh broker).
  const vendor = new VendorBroker({
    spawn: () => forkVendorChild(paths.vendorChild, (m) => log(`[vendor] ${m}`)),
    channel: vendorChannel,
    toCore: (message, port) => child.postMessage(message, port ? [port] : []),
    log: (message, error) => log(`[vendor] ${message}`, error),
  });
  vendorBrokers.add(vendor);
  child.on('message', (message) => vendor.receive(message));
  child.once('exit', () => {
    vendor.killAll();
    vendorBrokers.delete(vendor);
  });
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => {
      child.kill();
    },
  };
}

function main(): void {
  // Before anything else: a debugger or remote debugging would open the station to another program.
  const refused = refusedSwitches(process.argv, app.isPackaged);
  if (refused.length > 0) {
    dialog.showErrorBox(coreDialogs.title, refusedSwitchText(refused));
    app.exit(1);
    return;
  }
  const options = parseShellOptions(process.argv, process.env, app.isPackaged, process.cwd());
  // The data folder is the one the CLI uses by default (electron/core/paths.ts):
  // userData is set to its parent, so `<userData>/station` is that folder by
  // construction, whatever name Electron would have derived from the package.
  // With --data, the Chromium profile goes inside that folder instead, so each
  // data folder is its own single instance (tests run beside a real station).
  const userData = options.dataDir ? path.join(options.dataDir, 'shell-profile') : path.dirname(defaultDataDir());

  // All of these must happen before the app is ready.
  registerAppScheme();
  app.enableSandbox();
  app.setPath('userData', userData);
  const dataDir = options.dataDir ?? path.join(app.getPath('userData'), 'station');
  if (!app.requestSingleInstanceLock()) {
    // Another station window is open on this data folder; it was asked to come forward.
    app.quit();
    return;
  }

  const log = createShellLog(path.join(userData, 'logs', 'shell.log'));
  const appPath = app.getAppPath();
  const devTools = !app.isPackaged;
  const paths = {
    preload: path.join(appPath, 'dist-electron', 'preload.cjs'),
    coreHost: path.join(appPath, 'dist-electron', 'utility-host.cjs'),
    // Inside app.asar when packaged, like the core host: utility processes load from it.
    vendorChild: path.join(appPath, 'dist-electron', `${BUNDLED_CHILD_NAME}.cjs`),
    renderer: path.join(appPath, 'dist', 'renderer'),
    // Inside app.asar when packaged, so asar integrity covers them (the core reads them with
    // fs.readdir/readFile, which Electron serves from the archive); the shipped camera profiles
    // are read beside them (utility-host.ts). A site's own profiles are <data folder>/profiles.
    migrations: path.join(appPath, 'migrations'),
  };
  log(`[shell] starting ${app.getName()} ${app.getVersion()}; data ${dataDir}; packaged ${app.isPackaged}`);

  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('window-all-closed', () => app.quit());
  // The core's exit kills its vendor processes; this covers a quit that does not wait for that exit.
  app.on('quit', () => {
    for (const broker of vendorBrokers) broker.killAll();
  });

  const core = new CoreSupervisor({
    spawn: () => forkCoreHost(paths, log),
    start: options.nativeBinding
      ? { dataDir, migrationsDir: paths.migrations, nativeBinding: options.nativeBinding }
      : { dataDir, migrationsDir: paths.migrations },
    log: (message, error) => log(`[supervisor] ${message}`, error),
    onEvent: sendToWindow,
    onRestarted: (at) => broadcast('core.restarted', { at }),
    onFailed: (failure) => void showCoreFailure(failure),
  });

  async function showCoreFailure(failure: CoreFailure): Promise<void> {
    const message = failure.kind === 'fatal' ? coreDialogs.fatal : coreDialogs.gaveUp(failure.crashes);
    const detail = [failure.kind === 'fatal' ? failure.error.message : '', coreDialogs.logHint(path.join(userData, 'logs', 'shell.log'))]
      .filter((line) => line !== '')
      .join('\n\n');
    const box = {
      type: 'error' as const,
      title: coreDialogs.title,
      message,
      detail,
      buttons: [coreDialogs.retry, coreDialogs.quit],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    };
    const { response } = window ? await dialog.showMessageBox(window, box) : await dialog.showMessageBox(box);
    if (response === 0) core.retry();
    else app.quit();
  }

  // Quitting waits for the core to close its database (a few seconds at most).
  let coreStopped = false;
  app.on('will-quit', (event) => {
    if (coreStopped) return;
    event.preventDefault();
    void core.stop().finally(() => {
      coreStopped = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(() => {
      lockDownSession(session.defaultSession, log);
      serveRenderer(session.defaultSession, paths.renderer, log, (viewId, method, range) => core.openMedia(viewId, method, range));
      Menu.setApplicationMenu(buildMenu(shellLanguage(app.getLocale()), devTools));
      installIpcRelay(core, log);
      core.start();
      window = createStationWindow({ preload: paths.preload, devTools, log });
      trackWindowConnection(window.webContents, core);
      window.on('closed', () => {
        window = null;
      });
    })
    .catch((e: unknown) => {
      log('[shell] start-up failed', e);
      dialog.showErrorBox(coreDialogs.title, coreDialogs.startFailed);
      app.exit(1);
    });
}

main();
