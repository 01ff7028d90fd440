// Runs the vendor library's child program (electron/core/docking/vendor/child.ts,
// named by STATION_TEST_VENDOR_CHILD) under plain Node as Electron main starts
// it in the app: as a utility process, with `process.parentPort` and no Node
// IPC of its own. Main's first message ({ kind: 'port' }) arrives with a port
// in `event.ports`, as Electron transfers a MessagePortMain; that port is this
// process's IPC channel, which the test's broker joins to a real
// worker_threads MessagePort (test/integration/vendor-launcher.test.ts).
// Everything in the child (koffi, the library, its replies) is the real thing.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const send = process.send.bind(process);
// The child must take the parentPort path: with process.send gone, the Node IPC path is not there to fall back on.
process.send = undefined;

/** A MessagePortMain over this process's IPC: messages wait until start(), as Electron's do. */
function ipcPort() {
  const port = new EventEmitter();
  const waiting = [];
  let started = false;
  port.postMessage = (message) => send(message);
  port.start = () => {
    started = true;
    for (const data of waiting.splice(0)) port.emit('message', { data, ports: [] });
  };
  port.close = () => process.disconnect();
  port.deliver = (data) => (started ? port.emit('message', { data, ports: [] }) : waiting.push(data));
  process.on('disconnect', () => port.emit('close'));
  return port;
}

// Electron queues parentPort's messages until a handler is registered; main's first message may
// well arrive before the child has loaded.
const parentPort = new EventEmitter();
const queued = [];
const toParentPort = (event) => (parentPort.listenerCount('message') > 0 ? parentPort.emit('message', event) : queued.push(event));
parentPort.on('newListener', (name) => {
  if (name !== 'message') return;
  // Called before the listener is added: deliver once it is.
  queueMicrotask(() => {
    while (queued.length > 0 && parentPort.listenerCount('message') > 0) parentPort.emit('message', queued.shift());
  });
});
parentPort.postMessage = (message) => send(message);
let port = null;
process.on('message', (data) => {
  if (port) return port.deliver(data);
  if (data?.kind === 'port') {
    port = ipcPort();
    toParentPort({ data, ports: [port] });
  } else {
    toParentPort({ data, ports: [] });
  }
});
process.parentPort = parentPort;

await import(pathToFileURL(process.env.STATION_TEST_VENDOR_CHILD).href);
