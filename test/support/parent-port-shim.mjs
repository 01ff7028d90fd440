// Runs the production core-host bundle (dist-electron/utility-host.cjs) under
// plain Node for tests: it plays the one thing Electron's utility process adds,
// `process.parentPort`, over Node's child-process IPC. Everything behind it
// (the bundle, the core, SQLite) is the real thing.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => process.send(message);
// Electron delivers MessageEvent objects ({ data, ports }).
process.on('message', (data) => parentPort.emit('message', { data, ports: [] }));
process.parentPort = parentPort;

await import(pathToFileURL(process.env.STATION_TEST_HOST_BUNDLE).href);
