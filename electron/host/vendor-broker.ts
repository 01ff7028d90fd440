// Main's side of the core's vendor library processes (docking/vendor/
// launcher.ts says why main starts them in the app): for each `vendor.start`
// from one core process, start the vendor child program, give it one end of a
// new channel and the core the other, kill it when the core asks, and tell
// the core when it has exited. Written against a small process interface, as
// supervisor.ts is, so the tests run it with Node's fork and worker_threads
// ports; main.ts plugs in utilityProcess.fork and MessageChannelMain.
//
// What the core may ask is checked here: a request names a child by number
// and nothing else, and `spawn` takes no argument, so the only program that
// can ever run is the one main chose (dist-electron/vendor-child.cjs).
//
// No `electron` import here.
import { OUTPUT_TAIL } from '../core/docking/vendor/launcher.js';
import type { MainToHost, VendorReport } from './host-protocol.js';
import { parseHostToMain } from './host-protocol.js';

/** A vendor child as main starts it (Electron: a utility process). */
export interface BrokeredProcess<Port> {
  /** Undefined until it has spawned (and again once it has exited, under Electron). */
  readonly pid: number | undefined;
  /** Once, when the process is running: it can be given its port. */
  onSpawn(listener: () => void): void;
  /** Once, when the process has ended; Electron gives only a code. */
  onExit(listener: (code: number | null) => void): void;
  /** What it prints (stdout and stderr), as it comes. */
  onOutput(listener: (text: string) => void): void;
  /** Hands it its end of the channel to the core (child.ts waits for it). */
  givePort(port: Port): void;
  /** Ends it now (SIGKILL semantics), whether or not it has spawned. */
  kill(): void;
}

export interface VendorBrokerDeps<Port> {
  /** Starts the vendor child program. No argument: nothing from the core's messages gets here. */
  spawn(): BrokeredProcess<Port>;
  /** A new channel: one end for the child, the other for the core. */
  channel(): { child: Port; core: Port };
  /** Sends a report to the core, with a port to transfer. */
  toCore(message: MainToHost, port?: Port): void;
  log(message: string, error?: unknown): void;
  /** How many children one core may have at once (readings take turns per library; more is a runaway core). Default 8. */
  maxChildren?: number;
}

interface Running<Port> {
  process: BrokeredProcess<Port>;
  tail: string;
  /** Killed before it spawned: it is killed again once it has, and never given a port. */
  killed: boolean;
}

const DEFAULT_MAX_CHILDREN = 8;

export class VendorBroker<Port> {
  private readonly children = new Map<number, Running<Port>>();
  /** The core has gone: no more children, no more reports. */
  private closed = false;

  constructor(private readonly deps: VendorBrokerDeps<Port>) {}

  /** How many children are running now. */
  get running(): number {
    return this.children.size;
  }

  /** Every message from the core passes here; only vendor requests are acted on (the supervisor takes the rest). */
  receive(raw: unknown): void {
    const message = parseHostToMain(raw);
    if (message?.kind === 'vendor.start') this.start(message.child);
    else if (message?.kind === 'vendor.kill') this.kill(message.child);
  }

  /** The core process has ended (or the app quits): every child it had is killed, and nothing is reported. */
  killAll(): void {
    this.closed = true;
    for (const [id, child] of this.children) {
      child.killed = true;
      this.killProcess(id, child);
    }
  }

  private start(id: number): void {
    if (this.closed) return;
    if (this.children.has(id)) {
      this.deps.log(`ignored a second start of vendor child ${id}`);
      return;
    }
    const max = this.deps.maxChildren ?? DEFAULT_MAX_CHILDREN;
    if (this.children.size >= max) {
      this.deps.log(`refused vendor child ${id}: ${max} are running already`);
      this.report({
        kind: 'vendor.exit',
        child: id,
        code: null,
        output: `已有 ${max} 个厂商库进程在运行，不再启动 / ${max} vendor library processes are running already; no more are started`,
      });
      return;
    }
    let proc: BrokeredProcess<Port>;
    try {
      proc = this.deps.spawn();
    } catch (e) {
      this.deps.log(`vendor child ${id} could not be started`, e);
      const detail = e instanceof Error ? e.message : String(e);
      this.report({ kind: 'vendor.exit', child: id, code: null, output: `无法启动厂商库进程：${detail} / the vendor library process could not be started: ${detail}` });
      return;
    }
    const child: Running<Port> = { process: proc, tail: '', killed: false };
    this.children.set(id, child);
    // Not logged: a library may print what the core must scrub (the device password); the core gets it with the exit.
    proc.onOutput((text) => {
      child.tail = (child.tail + text).slice(-OUTPUT_TAIL);
    });
    proc.onSpawn(() => {
      if (child.killed) return this.killProcess(id, child);
      const { child: childEnd, core } = this.deps.channel();
      try {
        proc.givePort(childEnd);
      } catch (e) {
        this.deps.log(`vendor child ${id} could not be given its port`, e);
        return this.killProcess(id, child);
      }
      this.report({ kind: 'vendor.started', child: id, pid: proc.pid ?? null }, core);
    });
    proc.onExit((code) => {
      this.children.delete(id);
      this.deps.log(`vendor child ${id} exited (code ${code ?? 'none'})`);
      this.report({ kind: 'vendor.exit', child: id, code, output: child.tail });
    });
  }

  private kill(id: number): void {
    const child = this.children.get(id);
    if (!child) return; // gone already: its exit is on its way to the core
    child.killed = true;
    this.killProcess(id, child);
  }

  private killProcess(id: number, child: Running<Port>): void {
    try {
      child.process.kill();
    } catch (e) {
      this.deps.log(`killing vendor child ${id} failed`, e);
    }
  }

  private report(message: VendorReport, port?: Port): void {
    if (this.closed) return;
    try {
      this.deps.toCore(message, port);
    } catch (e) {
      // The core went away under the send: its exit kills every child (killAll).
      this.deps.log(`could not tell the core about vendor child ${message.child}`, e);
    }
  }
}
