// The vendor library's own process. A vendor's library is native code the
// station cannot check: it may crash, hang in a USB transfer, or write past a
// buffer. Loaded here, any of that costs this process and the camera's
// reading, never the core. This file does as little as it can: load, look
// up, call with buffers of the sizes the parent names, send every byte back.
// It imports nothing of the station but the message types, so the bundled
// child stays small.
//
// One program, started two ways (launcher.ts says why): by the core with
// child_process.fork (Node IPC: process.send / 'message' / 'disconnect'), or,
// in the app, by Electron main as a utility process, whose first message from
// main (process.parentPort) carries a MessagePort to the core. Everything
// after that is the same conversation over whichever channel it got.
import { createRequire } from 'node:module';
import type { ChildMessage, ParentMessage, Signature } from './protocol.js';
import { GUARD_BYTE, GUARD_SIZE, INT_UNSET } from './protocol.js';

type KoffiModule = typeof import('koffi');
type Lib = ReturnType<KoffiModule['load']>;
type NativeFunction = ReturnType<Lib['func']>;

/** The station's end of the conversation, however this process was started. */
interface Channel {
  send(message: ChildMessage): void;
  onMessage(listener: (message: ParentMessage) => void): void;
  /** The station closed it, or went away: nothing is left to do here. */
  onClose(listener: () => void): void;
}

/**
 * What this code needs of Electron's utility-process API, declared here: the core (and this
 * file) never imports 'electron', not even its types (eslint.config.js, electron-layering.test.ts).
 */
interface ElectronPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
}
interface ElectronParentPort {
  once(event: 'message', listener: (event: { data: unknown; ports: ElectronPort[] }) => void): void;
}

function nodeChannel(): Channel {
  return {
    send: (message) => process.send!(message),
    onMessage: (listener) => process.on('message', listener),
    onClose: (listener) => process.on('disconnect', listener),
  };
}

/** Started by Electron main: the port to the core comes with main's first message (electron/host/vendor-broker.ts). */
function portChannel(parentPort: ElectronParentPort): Promise<Channel> {
  // A utility process whose event loop is empty ends (as utility-host.ts notes for the core): it must
  // stay while it waits for its port and while the port is open. It exits when the port closes.
  setInterval(() => {}, 2 ** 31 - 1);
  return new Promise((resolve) => {
    parentPort.once('message', ({ ports }) => {
      const port = ports[0];
      if (!port) {
        process.stderr.write('vendor library child: main sent no port / 主进程未提供通信端口\n');
        process.exit(2);
      }
      resolve({
        send: (message) => port.postMessage(message),
        onMessage(listener) {
          port.on('message', ({ data }) => listener(data as ParentMessage));
          port.start();
        },
        onClose: (listener) => port.on('close', listener),
      });
    });
  });
}

/** Electron's parentPort when main started this process, else Node's IPC channel; null when neither (run by hand). */
function openChannel(): Promise<Channel> | null {
  // parentPort first: it is what Electron gives a utility process, whatever else may be defined.
  const parentPort = (process as { parentPort?: unknown }).parentPort as ElectronParentPort | null | undefined;
  if (parentPort) return portChannel(parentPort);
  if (typeof process.send === 'function') return Promise.resolve(nodeChannel());
  return null;
}

/** Parameter lists per signature: every pointer is `void *` and gets a Buffer, so nothing is converted. */
const SHAPES: Record<Signature, { result: 'int' | 'void'; params: string[] }> = {
  outText: { result: 'int', params: ['void *', 'void *'] },
  release: { result: 'void', params: ['void *'] },
  recordPwd: { result: 'int', params: ['void *', 'void *', 'void *'] },
  pwd: { result: 'int', params: ['void *', 'void *'] },
  intPwd: { result: 'int', params: ['void *', 'void *', 'void *'] },
  textPwd: { result: 'int', params: ['void *', 'void *', 'void *'] },
};

let channel: Channel;
let koffi: KoffiModule | null = null;
let koffiError = '';
let lib: Lib | null = null;
const functions = new Map<string, NativeFunction>();

function send(message: ChildMessage): void {
  channel.send(message);
}

function fail(id: number, code: 'unloadable' | 'protocol', message: string): void {
  send({ type: 'reply', id, ok: false, code, message });
}

/** An int out-parameter with its guard. */
function intBuffer(): Buffer {
  const b = Buffer.alloc(4 + GUARD_SIZE, GUARD_BYTE);
  b.writeInt32LE(INT_UNSET, 0);
  return b;
}
const guardWhole = (b: Buffer, from: number) => b.subarray(from).every((x) => x === GUARD_BYTE);

function lookup(name: string, signature: Signature): NativeFunction {
  const key = `${name}/${signature}`;
  let f = functions.get(key);
  if (!f) {
    const shape = SHAPES[signature];
    // cdecl, the interface's convention (and the only one on x86-64 and ARM).
    f = lib!.func(name, shape.result, shape.params);
    functions.set(key, f);
  }
  return f;
}

async function handle(m: ParentMessage): Promise<void> {
  if (m.op === 'load') {
    if (!koffi) return fail(m.id, 'unloadable', `koffi: ${koffiError}`);
    try {
      lib = koffi.load(m.path);
    } catch (err) {
      return fail(m.id, 'unloadable', (err as Error).message);
    }
    return send({ type: 'reply', id: m.id, ok: true, ret: null, iRet: INT_UNSET, iRetGuard: true });
  }
  if (!lib) return fail(m.id, 'protocol', 'no library loaded');
  let f: NativeFunction;
  try {
    f = lookup(m.fn, m.signature);
  } catch (err) {
    return fail(m.id, 'unloadable', (err as Error).message);
  }
  if (m.op === 'lookup') return send({ type: 'reply', id: m.id, ok: true, ret: null, iRet: INT_UNSET, iRetGuard: true });

  const iRet = intBuffer();
  const pwd = m.password !== undefined ? Buffer.from(m.password, 'base64') : Buffer.from([0]);
  let out: Buffer | undefined;
  let value: Buffer | undefined;
  if (m.signature === 'outText' || m.signature === 'textPwd' || m.signature === 'recordPwd') {
    const given = m.input !== undefined ? Buffer.from(m.input, 'base64') : null;
    const size = given?.length ?? m.outSize ?? 0;
    out = Buffer.alloc(size + GUARD_SIZE, GUARD_BYTE);
    if (given) given.copy(out);
    else out.fill(0, 0, size);
  }
  let ret: unknown;
  switch (m.signature) {
    case 'outText':
      ret = f(out, iRet);
      break;
    case 'release':
      ret = f(iRet);
      break;
    case 'recordPwd':
    case 'textPwd':
      ret = f(out, pwd, iRet);
      break;
    case 'pwd':
      ret = f(pwd, iRet);
      break;
    case 'intPwd':
      value = intBuffer();
      ret = f(value, pwd, iRet);
      break;
  }
  send({
    type: 'reply',
    id: m.id,
    ok: true,
    ret: typeof ret === 'number' ? ret : null,
    iRet: iRet.readInt32LE(0),
    iRetGuard: guardWhole(iRet, 4),
    ...(out ? { out: out.toString('base64') } : {}),
    ...(value ? { value: value.readInt32LE(0), valueGuard: guardWhole(value, 4) } : {}),
  });
}

// koffi is loaded before the child says it is ready, so its start-up is not counted against the
// first call's time; one that cannot load (no build for this platform) is the load request's answer.
// Through require, not import(): the bundled child is CommonJS and finds koffi as the utility host
// finds better-sqlite3 (node_modules, NODE_PATH), where an ESM import would not look.
async function main(): Promise<void> {
  const opening = openChannel();
  if (!opening) {
    process.stderr.write('vendor library child: start me through the station (child_process.fork or Electron main), not by hand / 须由采集站启动，不能单独运行\n');
    process.exit(2);
  }
  try {
    koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
  } catch (err) {
    koffiError = (err as Error)?.message ?? String(err);
  }
  channel = await opening;
  channel.onMessage((m) => {
    handle(m).catch((err: unknown) => fail(m.id, 'protocol', (err as Error)?.message ?? String(err)));
  });
  // The station went away (or is done with this camera): nothing is left to do here.
  channel.onClose(() => process.exit(0));
  send({ type: 'ready', pid: process.pid });
}

void main();
