/// <reference types="electron" />
// Entry of the core's process: Electron main starts it with
// `utilityProcess.fork('dist-electron/utility-host.cjs')`. A utility process is
// plain Node plus `process.parentPort`, the channel to main.
//
// This file must not import 'electron' (the layering test checks it and
// everything it imports): the core stays runnable under plain Node, and the
// process that holds the database gets no Electron API it does not need. The
// triple-slash reference above pulls in Electron's *type definitions* only, so
// that `process.parentPort` is checked against Electron's own declaration of
// it; it emits no code.
// First: the libuv thread pool size must be set before any fs call (threadpool.ts says why).
import '../core/ingest/copy/threadpool-size.js';
import path from 'node:path';
import { createStation } from '../core/station.js';
import { runCoreHost } from './core-host.js';
import type { HostPort, HostToMain } from './host-protocol.js';
import { parseMainToHost } from './host-protocol.js';
import type { VendorPort } from './vendor-launcher.js';
import { brokeredVendorLauncher } from './vendor-launcher.js';

function log(message: string, error?: unknown): void {
  // stderr is piped to main, which writes it into the shell log with a prefix.
  const detail = error instanceof Error ? ` ${error.stack ?? error.message}` : error === undefined ? '' : ` ${String(error)}`;
  process.stderr.write(`${new Date().toISOString()} ${message}${detail}\n`);
}

// Typed by Electron as always present; it is null when this file is run by
// something other than utilityProcess.fork (e.g. `node dist-electron/utility-host.cjs`).
const parentPort = process.parentPort as Electron.ParentPort | null | undefined;
if (!parentPort) {
  log('utility-host must be started by the station app (utilityProcess.fork), not run directly');
  process.exit(2);
}

/** Electron's port, as the vendor launcher takes one. */
function vendorPort(port: Electron.MessagePortMain): VendorPort {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', (event) => listener(event.data));
      port.start();
    },
    close: () => port.close(),
  };
}

// The vendor library's processes are started by main for this process, which cannot fork them
// (docking/vendor/launcher.ts says why); main's reports about them come with a port, which only
// the event shows, so they are taken here rather than in runCoreHost.
const vendorLauncher = brokeredVendorLauncher((message) => parentPort.postMessage(message));
parentPort.on('message', (event: Electron.MessageEvent) => {
  const message = parseMainToHost(event.data);
  if (message?.kind === 'vendor.started' || message?.kind === 'vendor.exit') {
    const port = event.ports[0];
    vendorLauncher.receive(message, port ? vendorPort(port) : null);
  }
});

const port: HostPort<HostToMain> = {
  postMessage: (message) => parentPort.postMessage(message),
  onMessage(listener) {
    const onMessage = (event: Electron.MessageEvent) => listener(event.data);
    parentPort.on('message', onMessage);
    return () => parentPort.off('message', onMessage);
  },
};

// Nothing else holds this process's event loop open (the station's idle timer
// is unref'd), and a packaged app's utility process ends when its loop is
// empty. It must live until main sends `shutdown` (then process.exit).
setInterval(() => {}, 2 ** 31 - 1);

runCoreHost(
  port,
  (start, hostLog) => {
    const station = createStation(
      // The resource paths are always explicit here: the bundle cannot find the
      // source tree by itself the way the CLI and tests do. Camera profiles
      // ship beside the migrations (repo root in development, inside app.asar
      // when packaged).
      {
        dataDir: start.dataDir,
        migrationsDir: start.migrationsDir,
        profilesDir: path.join(path.dirname(start.migrationsDir), 'profiles'),
        removableVolumes: true,
      },
      // No nativeBinding when packaged: electron-builder rebuilt better-sqlite3
      // for Electron inside the app. In development main passes the copy built
      // by scripts/start.mjs, so node_modules keeps the build tests use. Vendor cameras are read
      // through main (vendorLauncher); the CLI and the tests fork the library's process with Node.
      start.nativeBinding ? { nativeBinding: start.nativeBinding, log: hostLog, vendorLauncher } : { log: hostLog, vendorLauncher },
    );
    // Cameras plugged in before the station started are found by the first scan;
    // a failure to start docking is logged and shown by the board, it does not stop the station.
    void station.startDocking().catch((e: unknown) => hostLog('docking could not start', e));
    return station;
  },
  { log, exit: (code) => process.exit(code), pid: process.pid },
);
