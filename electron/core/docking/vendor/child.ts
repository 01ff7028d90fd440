// The vendor library's own process (started by process.ts with
// child_process.fork). A vendor's library is native code the station cannot
// check: it may crash, hang in a USB transfer, or write past a buffer. Loaded
// here, any of that costs this process and the camera's reading, never the
// core. This file does as little as it can: load, look up, call with buffers of
// the sizes the parent names, send every byte back. It imports nothing of the
// station but the message types, so the bundled child stays small.
import { createRequire } from 'node:module';
import type { ChildMessage, ParentMessage, Signature } from './protocol.js';
import { GUARD_BYTE, GUARD_SIZE, INT_UNSET } from './protocol.js';

type KoffiModule = typeof import('koffi');
type Lib = ReturnType<KoffiModule['load']>;
type NativeFunction = ReturnType<Lib['func']>;

if (typeof process.send !== 'function') {
  process.stderr.write('vendor library child: start me with child_process.fork (no IPC channel) / 须由采集站以 fork 启动\n');
  process.exit(2);
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

let koffi: KoffiModule | null = null;
let koffiError = '';
let lib: Lib | null = null;
const functions = new Map<string, NativeFunction>();

function send(message: ChildMessage): void {
  process.send!(message);
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
function main(): void {
  try {
    koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
  } catch (err) {
    koffiError = (err as Error)?.message ?? String(err);
  }
  process.on('message', (m: ParentMessage) => {
    handle(m).catch((err: unknown) => fail(m.id, 'protocol', (err as Error)?.message ?? String(err)));
  });
  // The station went away (or is done with this camera): nothing is left to do here.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', pid: process.pid });
}

main();
