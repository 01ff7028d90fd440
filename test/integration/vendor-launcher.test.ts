// Who starts the vendor library's process (docking/vendor/launcher.ts):
//
// - the fork launcher, the one tests, the CLI and the harness use;
// - the brokered one the app uses, where the core (in Electron's utility
//   process) asks main to start the child. Electron is not here, so main's
//   part is played with real Node pieces: the real broker (vendor-broker.ts)
//   and the real core side (vendor-launcher.ts), joined by worker_threads
//   MessageChannels as main and the utility host are by Electron's; the child
//   is forked by Node under a shim that gives it Electron's parentPort and a
//   port (test/support/vendor-parent-port-shim.mjs), so child.ts takes the
//   path it takes in the app. Start, the port handed over, kill and the exit
//   report all cross real channels. Only vendor-fork.ts (utilityProcess.fork,
//   MessageChannelMain), main.ts's wiring and utility-host.ts's adapter of
//   Electron's ports are left to the type check.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VendorLibraryData } from '../../electron/core/docking/profile/schema.js';
import { profileSchema } from '../../electron/core/docking/profile/index.js';
import {
  BUNDLED_CHILD_NAME,
  defaultChildEntry,
  forkLauncher,
  type ChildEntry,
  readVendorDock,
  VendorLibraryError,
  type VendorChild,
  type VendorChildExit,
  type VendorLauncher,
} from '../../electron/core/docking/vendor/index.js';
import { VendorProcess } from '../../electron/core/docking/vendor/process.js';
import type { VendorReader } from '../../electron/core/docking/dock-watcher.js';
import { vendorReader } from '../../electron/core/docking/vendor-reader.js';
import { ManualClock } from '../../electron/core/clock.js';
import { parseHostToMain, parseMainToHost } from '../../electron/host/host-protocol.js';
import { VendorBroker, type BrokeredProcess } from '../../electron/host/vendor-broker.js';
import { brokeredVendorLauncher, type VendorPort } from '../../electron/host/vendor-launcher.js';
import { buildShellBundles } from '../support/core-host-process.js';
import { makeSdkCamera, SDK_CAMERA_DEFAULTS, vendorSdkLibrary, okReading as ok, processExists, type SdkCamera } from '../support/vendor-sdk.js';
import { waitFor } from '../support/wait.js';

const SHIM = path.resolve(import.meta.dirname, '../support/vendor-parent-port-shim.mjs');

function spec(overrides: { functions?: Record<string, string | undefined>; timeoutSeconds?: number } = {}): VendorLibraryData {
  const functions = Object.fromEntries(
    Object.entries({
      init: 'Init_Device',
      identity: 'GetZFYInfo',
      release: 'UnInit_Device',
      battery: 'ReadDeviceBatteryDumpEnergy',
      readClock: 'GetDevTime',
      setClock: 'SyncDevTime',
      diskMode: 'SetMSDC',
      ...overrides.functions,
    }).filter(([, v]) => v !== undefined),
  );
  return profileSchema.shape.vendorLibrary.unwrap().parse({
    functions,
    clockFormat: functions.readClock ? 'yyyy-MM-dd HH:mm:ss' : undefined,
    ...(overrides.timeoutSeconds !== undefined ? { timeoutSeconds: overrides.timeoutSeconds } : {}),
  });
}

let library: string;
let base: string;
let n = 0;
let camera: SdkCamera;
const savedDevice = process.env.ZFY_EMU_DEVICE;
afterAll(() => {
  if (savedDevice === undefined) delete process.env.ZFY_EMU_DEVICE;
  else process.env.ZFY_EMU_DEVICE = savedDevice;
});
beforeAll(() => {
  library = vendorSdkLibrary();
  base = mkdtempSync(path.join(tmpdir(), 'vendor-launcher-'));
});
beforeEach(() => {
  camera = makeSdkCamera(path.join(base, `cam-${++n}`));
  // Every child inherits it: the fork launcher's and the broker's alike (main passes its environment on).
  process.env.ZFY_EMU_DEVICE = camera.root;
});

const settings = () => ({ libraryPath: library, password: SDK_CAMERA_DEFAULTS.password });



/** The next message from a child that passes `test`. */
function nextMessage(child: VendorChild, test: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const off = child.onMessage((m) => {
      if (typeof m === 'object' && m !== null && test(m as Record<string, unknown>)) {
        off();
        resolve(m as Record<string, unknown>);
      }
    });
  });
}
const exitOf = (child: VendorChild) => new Promise<VendorChildExit>((resolve) => child.onExit(resolve));

/** Whatever a test starts is gone at its end, whatever failed. */
const started: ChildProcess[] = [];
const closers: Array<() => void> = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const close of closers.splice(0)) close();
});

describe('the fork launcher (tests, the CLI, the harness)', () => {
  it('starts the child program, carries messages both ways, and reports a clean exit when the channel closes', async () => {
    const child = forkLauncher().start();
    const exit = exitOf(child);
    await nextMessage(child, (m) => m.type === 'ready');
    expect(child.connected).toBe(true);
    expect(child.pid).toBeGreaterThan(0);
    const loaded = nextMessage(child, (m) => m.type === 'reply' && m.id === 1);
    child.send({ id: 1, op: 'load', path: library });
    expect(await loaded).toMatchObject({ ok: true });
    const found = nextMessage(child, (m) => m.type === 'reply' && m.id === 2);
    child.send({ id: 2, op: 'lookup', fn: 'Init_Device', signature: 'outText' });
    expect(await found).toMatchObject({ ok: true });
    child.disconnect();
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(child.connected).toBe(false);
  });

  it('kill is SIGKILL, and the exit says so', async () => {
    const child = forkLauncher().start();
    await nextMessage(child, (m) => m.type === 'ready');
    const exit = exitOf(child);
    child.kill();
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(processExists(child.pid!)).toBe(false);
  });

  it('keeps the end of what the process printed for the crash’s message, scrubbed of the password', async () => {
    const script = path.join(base, 'dies.cjs');
    writeFileSync(script, `process.stderr.write('libzfy: bad password ${SDK_CAMERA_DEFAULTS.password}\\n'); process.exit(3);\n`);
    const launcher = forkLauncher({ modulePath: script, execArgv: [], env: {} });
    const e = await VendorProcess.start({ launcher, password: SDK_CAMERA_DEFAULTS.password }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(VendorLibraryError);
    expect(e).toMatchObject({ code: 'crashed', exitCode: 3, signal: null });
    expect((e as Error).message).toMatch(/未能启动（退出码 3）.*could not start \(exit code 3\): libzfy: bad password/);
    expect((e as Error).message).not.toContain(SDK_CAMERA_DEFAULTS.password);
  });
});

/** A worker_threads port as the core's launcher takes one (utility-host.ts adapts Electron's the same way). */
function workerPort(port: MessagePort): VendorPort {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    close: () => port.close(),
  };
}

/**
 * Main's utilityProcess.fork, played by Node: the real child program under the parentPort shim.
 * The port main hands it is the child's IPC channel, joined here to the real MessagePort whose
 * other end the core holds. Electron reports an exit code only: so does this (null when signalled).
 */
function nodeUtilityProcess(entry: ChildEntry = defaultChildEntry()): BrokeredProcess<MessagePort> {
  const child = fork(SHIM, [], {
    execArgv: entry.execArgv,
    env: { ...process.env, ...entry.env, STATION_TEST_VENDOR_CHILD: entry.modulePath },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  child.on('error', () => {});
  started.push(child);
  return {
    get pid() {
      return child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    onSpawn: (listener) => void child.once('spawn', listener),
    onExit: (listener) => void child.once('exit', (code) => listener(code)),
    onOutput(listener) {
      child.stdout?.on('data', (b: Buffer) => listener(b.toString('utf8')));
      child.stderr?.on('data', (b: Buffer) => listener(b.toString('utf8')));
    },
    givePort(port) {
      child.send({ kind: 'port' });
      port.on('message', (m: unknown) => {
        if (child.connected) child.send(m as object);
      });
      child.on('message', (m) => port.postMessage(m));
      // The core closed its end (done with this camera): the child sees its port close.
      port.on('close', () => {
        if (child.connected) child.disconnect();
      });
      // The child's end dies with it, as a utility process's does.
      child.once('exit', () => port.close());
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

interface Brokered {
  launcher: VendorLauncher;
  broker: VendorBroker<MessagePort>;
  /** What main logged. */
  logs: string[];
}

/**
 * Main and the core host, joined as Electron joins them (a channel whose messages can carry
 * ports): the broker on main's end, the brokered launcher on the core's.
 */
function brokered(options: { spawn?: () => BrokeredProcess<MessagePort>; maxChildren?: number } = {}): Brokered {
  const host = new MessageChannel(); // port1: main's end of the core host; port2: the core's parentPort
  const logs: string[] = [];
  const broker = new VendorBroker<MessagePort>({
    spawn: options.spawn ?? (() => nodeUtilityProcess()),
    channel: () => {
      const { port1, port2 } = new MessageChannel();
      return { child: port1, core: port2 };
    },
    // Electron transfers ports beside the message (event.ports); a worker port travels inside it.
    toCore: (message, port) => host.port1.postMessage({ message, port }, port ? [port] : []),
    log: (message) => logs.push(message),
    ...(options.maxChildren !== undefined ? { maxChildren: options.maxChildren } : {}),
  });
  host.port1.on('message', (raw: unknown) => broker.receive(raw));
  const launcher = brokeredVendorLauncher((message) => host.port2.postMessage(message));
  host.port2.on('message', ({ message, port }: { message: unknown; port?: MessagePort }) => {
    const report = parseMainToHost(message);
    if (report?.kind === 'vendor.started' || report?.kind === 'vendor.exit') launcher.receive(report, port ? workerPort(port) : null);
  });
  closers.push(() => {
    broker.killAll();
    host.port1.close();
  });
  return { launcher, broker, logs };
}

describe('the brokered launcher (the app: main starts the child for the core)', () => {
  it('reads a camera through a child main started, over the port main handed over; the child ends with the reading and main reports it', async () => {
    const { launcher, broker, logs } = brokered();
    camera.set({ clock: '2024-05-01 08:30:00' });
    const r = ok(await readVendorDock(spec(), settings(), { launcher }));
    expect(r.identity).toMatchObject({ serial: '1234567', name: '张三', unitName: '北京市公安局东城分局' });
    expect(r.clock?.text).toBe('2024-05-01 08:30:00');
    expect(r.calls.map((c) => [c.duty, c.ok])).toEqual([
      ['init', true],
      ['identity', true],
      ['battery', true],
      ['readClock', true],
      ['setClock', true],
      ['diskMode', true],
      ['release', true],
    ]);
    // The reading resolved once main said the child was gone: it ended by itself when the core closed its port.
    expect(started).toHaveLength(1);
    expect(started[0]!.exitCode).toBe(0);
    expect(broker.running).toBe(0);
    expect(logs).toContain('vendor child 1 exited (code 0)');
    // Main's log never holds what the child printed or the password.
    expect(logs.join('\n')).not.toContain(SDK_CAMERA_DEFAULTS.password);
  });

  it('the bundled child (dist-electron/vendor-child.cjs, the file main starts) takes its port from parentPort and reads the camera', async () => {
    const bundles = buildShellBundles();
    // koffi is external to the bundle: found through NODE_PATH, the bundle being outside the repository.
    const entry = { modulePath: path.join(bundles, `${BUNDLED_CHILD_NAME}.cjs`), execArgv: [], env: { NODE_PATH: path.resolve('node_modules') } };
    const { launcher } = brokered({ spawn: () => nodeUtilityProcess(entry) });
    const r = ok(await readVendorDock(spec(), settings(), { launcher }));
    expect(r.identity).toMatchObject({ serial: '1234567', name: '张三' });
    expect(r.diskMode).toBe(true);
    expect(started[0]!.exitCode).toBe(0);
  });

  it('a crash is known from main’s exit report: crashed, with no signal (Electron reports none); the next reading works', async () => {
    const { launcher } = brokered();
    camera.set({ fault: 'GetZFYInfo:crash' });
    const r = await readVendorDock(spec(), settings(), { launcher });
    expect(r).toMatchObject({ ok: false, error: { code: 'crashed', duty: 'identity', function: 'GetZFYInfo' } });
    if (r.ok) return;
    expect(r.error.signal).toBeUndefined();
    expect(processExists(r.error.pid!)).toBe(false);
    expect(started[0]!.signalCode).toBe('SIGSEGV');
    camera.set({ fault: undefined });
    expect(ok(await readVendorDock(spec(), settings(), { launcher })).identity.serial).toBe('1234567');
  });

  it('a hang: the core’s timeout asks main to kill the child, main’s exit report ends the call as timeout, and the rest goes on in a fresh child', async () => {
    const { launcher } = brokered();
    camera.set({ fault: 'GetDevTime:hang' });
    const r = ok(await readVendorDock(spec({ timeoutSeconds: 3 }), settings(), { launcher }));
    expect(r.errors.readClock).toMatchObject({ code: 'timeout', duty: 'readClock', function: 'GetDevTime' });
    expect(processExists(r.errors.readClock!.pid!)).toBe(false);
    expect(started[0]!.signalCode).toBe('SIGKILL');
    expect(r.clockSet).toBe(true);
    expect(r.diskMode).toBe(true);
    expect(started).toHaveLength(2);
  });

  it('the camera going away kills the hung child through main: aborted', async () => {
    const { launcher } = brokered();
    camera.set({ fault: 'GetZFYInfo:hang' });
    const controller = new AbortController();
    const reading = readVendorDock(spec({ timeoutSeconds: 120 }), settings(), { launcher, signal: controller.signal });
    // Gives up once the library is stuck in GetZFYInfo (the emulator says so), whatever the machine's speed.
    await waitFor(() => existsSync(path.join(camera.root, '.zfy', 'hanging')) || undefined, 120_000);
    controller.abort();
    expect(await reading).toMatchObject({ ok: false, error: { code: 'aborted', duty: 'identity', function: 'GetZFYInfo' } });
    expect(started[0]!.signalCode).toBe('SIGKILL');
  });

  it('a kill asked for while main is still starting the child: main kills it and reports the exit, and the start fails aborted', async () => {
    const { launcher, broker } = brokered();
    const controller = new AbortController();
    const starting = VendorProcess.start({ launcher, signal: controller.signal });
    controller.abort(); // the start request is still on its way to main
    await expect(starting).rejects.toMatchObject({ code: 'aborted' });
    expect(started).toHaveLength(1);
    expect(started[0]!.signalCode).toBe('SIGKILL');
    expect(broker.running).toBe(0);
  });

  it('when the core goes, main kills every child it still runs, reports nothing more and starts nothing more', async () => {
    const { launcher, broker } = brokered();
    const proc = await VendorProcess.start({ launcher });
    expect(proc.alive).toBe(true);
    expect(broker.running).toBe(1);
    const exited = new Promise((resolve) => started[0]!.once('exit', resolve));
    broker.killAll();
    await exited;
    expect(started[0]!.signalCode).toBe('SIGKILL');
    await waitFor(() => broker.running === 0 || undefined);
    broker.receive({ kind: 'vendor.start', child: 99 });
    expect(started).toHaveLength(1);
  });

  it('the dock watcher’s reader uses the launcher the station is given (StationOptions.vendorLauncher, as the utility host passes it)', async () => {
    const { launcher } = brokered();
    let starts = 0;
    const counting: VendorLauncher = {
      start: () => {
        starts++;
        return launcher.start();
      },
    };
    const read = vendorReader({ settings: () => settings(), clock: new ManualClock(Date.now()), launcher: counting });
    const profile = { id: 'novatek-movie', name: { 'zh-CN': '测试型号', en: 'test model' }, vendorLibrary: spec() } as unknown as Parameters<VendorReader>[0];
    const reading = await read(profile, { root: camera.root, usb: null } as unknown as Parameters<VendorReader>[1]);
    expect(reading).toMatchObject({ status: 'ok', values: { deviceSerial: '1234567' } });
    expect(starts).toBe(1);
    expect(started).toHaveLength(1);
  });

  it('main’s refusal and a failed start reach the core as a start that failed, in main’s words', async () => {
    const refusing = brokered({ maxChildren: 0 });
    const refused = await VendorProcess.start({ launcher: refusing.launcher }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'crashed' });
    expect((refused as Error).message).toMatch(/未能启动（无退出码）.*could not start \(no exit code\): 已有 0 个厂商库进程在运行.*running already/);

    const failing = brokered({
      spawn: () => {
        throw new Error('no helper executable');
      },
    });
    const failed = await VendorProcess.start({ launcher: failing.launcher }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'crashed' });
    expect((failed as Error).message).toMatch(/无法启动厂商库进程：no helper executable.*could not be started: no helper executable/);
  });
});

describe('what main accepts from the core', () => {
  /** A process that never runs: what the broker asked for is what counts here. */
  function inert(): BrokeredProcess<never> & { killed: number } {
    return { pid: undefined, killed: 0, onSpawn() {}, onExit() {}, onOutput() {}, givePort() {}, kill() { this.killed++; } };
  }

  it('a start names a child by number and nothing else: whatever else the message holds is dropped, and spawn gets no argument', () => {
    expect(parseHostToMain({ kind: 'vendor.start', child: 3, modulePath: '/bin/sh', execArgv: ['-c', 'id'], env: { LD_PRELOAD: '/tmp/x.so' } })).toEqual({
      kind: 'vendor.start',
      child: 3,
    });
    for (const child of [0, -1, 1.5, '1', null, undefined, 2 ** 53]) {
      expect(parseHostToMain({ kind: 'vendor.start', child })).toBeNull();
      expect(parseHostToMain({ kind: 'vendor.kill', child })).toBeNull();
    }
    const spawns: unknown[][] = [];
    const logs: string[] = [];
    const broker = new VendorBroker<never>({
      spawn: (...args: unknown[]) => {
        spawns.push(args);
        return inert();
      },
      channel: () => {
        throw new Error('not spawned');
      },
      toCore: () => {},
      log: (m) => logs.push(m),
    });
    broker.receive({ kind: 'vendor.start', child: 1, modulePath: '/bin/sh' });
    broker.receive({ kind: 'vendor.start', child: -1 });
    broker.receive({ kind: 'vendor.start', child: '2' });
    broker.receive({ kind: 'vendor.start', child: 1 }); // the same name twice: ignored
    broker.receive({ kind: 'ready', pid: 5 }); // the supervisor's, not the broker's
    expect(spawns).toEqual([[]]);
    expect(broker.running).toBe(1);
    expect(logs).toEqual(['ignored a second start of vendor child 1']);
  });

  it('the reports the core accepts from main', () => {
    expect(parseMainToHost({ kind: 'vendor.started', child: 1, pid: 4242 })).toEqual({ kind: 'vendor.started', child: 1, pid: 4242 });
    expect(parseMainToHost({ kind: 'vendor.exit', child: 1, code: null, output: '' })).toEqual({ kind: 'vendor.exit', child: 1, code: null, output: '' });
    expect(parseMainToHost({ kind: 'vendor.exit', child: 1, code: 0 })).toBeNull();
    expect(parseMainToHost({ kind: 'vendor.started', child: 0, pid: 1 })).toBeNull();
  });
});
