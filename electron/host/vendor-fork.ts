// Electron's pieces under main's vendor broker (vendor-broker.ts): the vendor
// library's child program as a utility process of main's, and the
// MessageChannelMain whose ends go to it and to the core. Only main may call
// utilityProcess.fork, and the packaged app's runAsNode fuse leaves no other
// way to run the child as Node (docs/vendor-library.md).
//
// Type-checked only: there is no Electron binary under the tests, which run
// the broker with Node's fork and worker_threads ports instead.
import type { MessagePortMain } from 'electron';
import { MessageChannelMain, utilityProcess } from 'electron';
import type { BrokeredProcess } from './vendor-broker.js';

/** Starts `modulePath` (main's own dist-electron/vendor-child.cjs, never a path from a message). */
export function forkVendorChild(modulePath: string, log: (message: string) => void): BrokeredProcess<MessagePortMain> {
  const child = utilityProcess.fork(modulePath, [], {
    serviceName: 'station-vendor-library',
    // Piped so the core gets the end of it with the exit (a library's own complaint); never logged here.
    stdio: 'pipe',
    // What the core itself was started with: main forks the core with its own environment too.
    env: { ...process.env },
  });
  // A V8 fatal error in the child: its exit follows and is reported to the core.
  child.on('error', (type, location) => log(`vendor child: ${type} at ${location}`));
  return {
    get pid() {
      return child.pid;
    },
    onSpawn(listener) {
      child.once('spawn', listener);
    },
    onExit(listener) {
      child.once('exit', (code) => listener(code));
    },
    onOutput(listener) {
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => listener(text));
      }
    },
    givePort(port) {
      // child.ts takes the port from main's first message (process.parentPort).
      child.postMessage({ kind: 'port' }, [port]);
    },
    kill() {
      // SIGKILL, not kill()'s SIGTERM: a library stuck in a USB transfer, or one that handles
      // SIGTERM, must not keep the device. Electron clears pid once the exit is reported, so a
      // pid here is still this child's. On Windows this is TerminateProcess.
      const pid = child.pid;
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
          return;
        } catch {
          // Gone already: its exit event is on its way.
        }
      }
      child.kill();
    },
  };
}

/** A channel for one vendor child: one end for it, the other for the core. */
export function vendorChannel(): { child: MessagePortMain; core: MessagePortMain } {
  const { port1, port2 } = new MessageChannelMain();
  return { child: port1, core: port2 };
}
