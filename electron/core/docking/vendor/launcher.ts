// How the station gets a vendor library process (child.ts) to talk to, one
// JSON message at a time. process.ts decides what the messages are and when
// the process must die; a launcher only starts it and carries the messages,
// because *who* can start it depends on where the core runs:
//
// - under Node (tests, the CLI, the harness): the core forks it itself
//   (forkLauncher, the default);
// - in the app, the core runs in an Electron utility process, which cannot fork
//   a Node child: Electron ignores ELECTRON_RUN_AS_NODE once the packaged app's
//   runAsNode fuse is off, so a fork would start the whole app again. There
//   main starts the child as a utility process of its own and hands the core a
//   message port to it (electron/host/vendor-launcher.ts, electron/host/vendor-broker.ts).
import { fork } from 'node:child_process';
import { defaultChildEntry, type ChildEntry } from './child-entry.js';
import type { ParentMessage } from './protocol.js';

export interface VendorChildExit {
  /** The exit code; null when a signal ended it (Node) or nobody could say. */
  code: number | null;
  /** The signal that ended it. Electron's utility processes report only a code: always null there. */
  signal: NodeJS.Signals | null;
}

/** One running child, as process.ts sees it. */
export interface VendorChild {
  /** Known once the process runs (a brokered child's arrives with its port). */
  readonly pid: number | undefined;
  /** Whether a message can be sent now: the channel is open and the process has not exited. */
  readonly connected: boolean;
  /** Sends one message. One that cannot be delivered kills the child, so its exit reports the loss. */
  send(message: ParentMessage): void;
  /** Every message from the child; returns a function that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once the process is gone (never before: a fresh child then cannot meet this one on the device). */
  onExit(listener: (exit: VendorChildExit) => void): void;
  /** Closes the channel; the child exits when it sees it close (child.ts). */
  disconnect(): void;
  /** Ends the process now, whatever it is doing (SIGKILL: a library stuck in a USB transfer cannot refuse it); the exit follows. */
  kill(): void;
  /** The last of what the process printed (stdout and stderr), for a crash's message; '' when the launcher cannot see it. */
  output(): string;
}

export interface VendorLauncher {
  /** Starts one child; it says `ready` over its channel when it can take requests. */
  start(): VendorChild;
}

/** The last of what a process printed, kept for a crash's message (shared with main's broker). */
export const OUTPUT_TAIL = 2_000;

/** Forks the child program with Node (`entry`: default, found beside this code). */
export function forkLauncher(entry?: ChildEntry): VendorLauncher {
  return { start: () => forkChild(entry ?? defaultChildEntry()) };
}

function forkChild(entry: ChildEntry): VendorChild {
  const child = fork(entry.modulePath, [], {
    execArgv: entry.execArgv,
    env: { ...process.env, ...entry.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // A send to a process that just died reports here; its exit event says the rest.
  child.on('error', () => {});
  return {
    get pid() {
      return child.pid;
    },
    get connected() {
      return child.exitCode === null && child.signalCode === null && child.connected;
    },
    send(message) {
      child.send(message, (err) => {
        // The channel closed under the send: the exit event reports it as a crash.
        if (err) child.kill('SIGKILL');
      });
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onExit(listener) {
      child.once('exit', (code, signal) => listener({ code, signal }));
    },
    disconnect() {
      if (child.connected) child.disconnect();
    },
    kill() {
      child.kill('SIGKILL');
    },
    output: () => output,
  };
}
