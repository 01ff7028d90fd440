// The core's launcher of vendor library processes when it runs in Electron's
// utility process (docking/vendor/launcher.ts says why it cannot fork them
// there): it asks main to start one (`vendor.start`), talks to it over the
// MessagePort main hands back (`vendor.started`), asks main to kill it
// (`vendor.kill`) and learns of its end from main (`vendor.exit`), the only
// word that the process is gone. utility-host.ts wires it to parentPort; the
// tests wire it to worker_threads ports and a broker that forks with Node.
//
// No `electron` import here: the core host runs this (the layering test).
import type { VendorChild, VendorChildExit, VendorLauncher } from '../core/docking/vendor/launcher.js';
import type { ParentMessage } from '../core/docking/vendor/protocol.js';
import type { HostToMain, VendorReport } from './host-protocol.js';

/** One end of a message channel: Electron's MessagePortMain (utility-host.ts adapts it) or a worker_threads port. */
export interface VendorPort {
  postMessage(message: unknown): void;
  /** Starts delivery, too (Electron's ports queue messages until started). */
  onMessage(listener: (message: unknown) => void): void;
  close(): void;
}

export interface BrokeredVendorLauncher extends VendorLauncher {
  /** A report from main (parsed by parseMainToHost), with the port that came with it, if any. */
  receive(report: VendorReport, port: VendorPort | null): void;
}

/**
 * How long after asking for a kill the core waits for main's exit report before it takes the child
 * for gone. Main always reports (Electron's exit follows a kill); this only keeps a bug in main
 * from holding a camera's library forever.
 */
const KILL_REPORT_MS = 30_000;

class BrokeredChild implements VendorChild {
  pid: number | undefined = undefined;
  private port: VendorPort | null = null;
  /** The core closed its end (stop): a port that arrives later is closed at once. */
  private closed = false;
  private exit: VendorChildExit | null = null;
  private tail = '';
  private killTimer: NodeJS.Timeout | null = null;
  private readonly messageListeners = new Set<(message: unknown) => void>();
  private readonly exitListeners: Array<(exit: VendorChildExit) => void> = [];

  constructor(
    private readonly id: number,
    private readonly toMain: (message: HostToMain) => void,
    /** Drops it from the launcher's children once it is gone. */
    private readonly forget: () => void,
  ) {}

  get connected(): boolean {
    return this.port !== null && !this.closed && this.exit === null;
  }

  send(message: ParentMessage): void {
    if (!this.connected) return this.kill();
    try {
      this.port!.postMessage(message);
    } catch {
      this.kill(); // as a fork's failed send: the exit that follows reports the loss
    }
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onExit(listener: (exit: VendorChildExit) => void): void {
    this.exitListeners.push(listener);
  }

  disconnect(): void {
    if (this.closed) return;
    this.closed = true;
    this.port?.close();
  }

  kill(): void {
    if (this.exit !== null) return;
    // Main may not have started it yet: it kills it as soon as it has, and reports the exit either way.
    this.toMain({ kind: 'vendor.kill', child: this.id });
    this.killTimer ??= setTimeout(
      () => this.exited(null, `主进程在 ${KILL_REPORT_MS / 1000} 秒内未报告厂商库进程已结束 / main did not report the end of the vendor library's process within ${KILL_REPORT_MS / 1000} s`),
      KILL_REPORT_MS,
    );
    this.killTimer.unref();
  }

  output(): string {
    return this.tail;
  }

  started(pid: number | null, port: VendorPort | null): void {
    if (this.exit !== null || this.port !== null) return port?.close();
    if (pid !== null) this.pid = pid;
    if (!port) return this.kill(); // main must send a port; without one there is no conversation
    if (this.closed) return port.close();
    this.port = port;
    port.onMessage((message) => {
      for (const listener of [...this.messageListeners]) listener(message);
    });
  }

  exited(code: number | null, output: string): void {
    if (this.exit !== null) return;
    this.exit = { code, signal: null };
    this.tail = output;
    if (this.killTimer) clearTimeout(this.killTimer);
    this.forget();
    this.port?.close();
    for (const listener of this.exitListeners.splice(0)) listener(this.exit);
  }
}

export function brokeredVendorLauncher(toMain: (message: HostToMain) => void): BrokeredVendorLauncher {
  const children = new Map<number, BrokeredChild>();
  let next = 1;
  return {
    start() {
      const id = next++;
      const child = new BrokeredChild(id, toMain, () => children.delete(id));
      children.set(id, child);
      toMain({ kind: 'vendor.start', child: id });
      return child;
    },
    receive(report, port) {
      const child = children.get(report.child);
      if (!child) {
        port?.close(); // a child this host does not know (a stale report): nothing to talk to
        return;
      }
      if (report.kind === 'vendor.started') {
        child.started(report.pid, port);
      } else {
        child.exited(report.code, report.output);
      }
    },
  };
}
