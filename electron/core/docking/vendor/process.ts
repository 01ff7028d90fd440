// One vendor library process, seen from the core: start it, send it one
// request at a time, and turn everything that can go wrong with native code
// into a VendorLibraryError the caller can record:
//   - no answer within the call's time: SIGKILL, then `timeout`;
//   - the process died during the call: `crashed`, with its signal or exit code;
//   - the caller gave up (the camera went away): SIGKILL, then `aborted`.
// A failed call is reported only once the process has exited (the `exit`
// event), so whoever hears of it knows the process is gone, and a fresh one
// for the next call can never meet the old one still holding the device.
// Who starts the process and carries its messages is a launcher's business
// (launcher.ts: a Node fork, or Electron main's utility process in the app);
// these rules are the same for both.
import type { ChildEntry } from './child-entry.js';
import { callWords, redact, VendorLibraryError, type VendorDuty, type VendorErrorCode } from './errors.js';
import { forkLauncher, type VendorChild, type VendorChildExit, type VendorLauncher } from './launcher.js';
import { isChildMessage, type ChildMessage, type ParentMessage } from './protocol.js';

export interface VendorProcessOptions {
  /** Who starts the child; default: a Node fork of `entry` (launcher.ts). */
  launcher?: VendorLauncher;
  /** Where the child program is, for the default launcher; default: found beside this file (child-entry.ts). */
  entry?: ChildEntry;
  /**
   * How long the child may take to start (Node and tsx from sources, or main's utility process in
   * the app) before it can be sent anything. Not the library's time, which each call has on its own; generous, since a loaded
   * station starts processes slowly. Default 60 s.
   */
  startTimeoutMs?: number;
  /** Aborting kills the process; the call in flight fails `aborted`. */
  signal?: AbortSignal;
  /** Scrubbed from whatever the process printed before that goes into a message. */
  password?: string;
}

export type ChildReply = Extract<ChildMessage, { type: 'reply'; ok: true }>;
type Request = ParentMessage extends infer M ? (M extends ParentMessage ? Omit<M, 'id'> : never) : never;

/** Who a request is for, to name it in messages. */
export interface CallTarget {
  duty: VendorDuty | null;
  fn: string | null;
}

interface Pending {
  id: number;
  target: CallTarget;
  timeoutMs: number;
  resolve(reply: ChildReply): void;
  reject(error: VendorLibraryError): void;
  timer: NodeJS.Timeout | null;
  /** Why the station killed the process, once it has; the exit then reports this instead of a crash. */
  killedFor: 'timeout' | 'aborted' | 'protocol' | null;
  protocolMessage?: string;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
/** How long a process told to go may take before it is killed. */
const STOP_GRACE_MS = 5_000;

const seconds = (ms: number) => (ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 });

export class VendorProcess {
  private nextId = 1;
  private pending: Pending | null = null;
  private exited: VendorChildExit | null = null;
  private readonly exitWaiters: Array<() => void> = [];
  private readonly onAbort = () => this.killFor('aborted');

  private constructor(
    private readonly child: VendorChild,
    private readonly options: VendorProcessOptions,
  ) {
    child.onMessage((m) => this.onMessage(m));
    child.onExit((exit) => this.onExit(exit));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Starts a process and resolves once it is ready for requests. */
  static start(options: VendorProcessOptions = {}): Promise<VendorProcess> {
    if (options.signal?.aborted) {
      return Promise.reject(
        new VendorLibraryError({ code: 'aborted', duty: null, function: null, message: '已取消，未启动厂商库进程 / cancelled; the vendor library was not started' }),
      );
    }
    const child = (options.launcher ?? forkLauncher(options.entry)).start();
    const proc = new VendorProcess(child, options);
    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: VendorLibraryError | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListening();
        if (error) reject(error);
        else resolve(proc);
      };
      const timer = setTimeout(() => {
        child.kill();
        void proc.waitExit().then(() =>
          settle(
            new VendorLibraryError({
              code: 'timeout',
              duty: null,
              function: null,
              pid: child.pid,
              message: `厂商库进程在 ${seconds(startTimeoutMs)} 秒内未能启动，已终止 / the vendor library's process did not start within ${seconds(startTimeoutMs)} s and was killed`,
            }),
          ),
        );
      }, startTimeoutMs);
      const onReady = (m: unknown) => {
        if (isChildMessage(m) && m.type === 'ready') settle(null);
      };
      const stopListening = child.onMessage(onReady);
      void proc.waitExit().then(() => {
        if (settled) return;
        const why = proc.options.signal?.aborted ? ('aborted' as const) : ('crashed' as const);
        settle(
          new VendorLibraryError({
            code: why,
            duty: null,
            function: null,
            signal: proc.exited?.signal ?? null,
            exitCode: proc.exited?.code ?? null,
            ...(child.pid !== undefined ? { pid: child.pid } : {}),
            message:
              why === 'aborted'
                ? '已取消，厂商库进程已终止 / cancelled; the vendor library process was killed'
                : `厂商库进程未能启动（${proc.endWords().zh}） / the vendor library's process could not start (${proc.endWords().en})${proc.outputNote()}`,
          }),
        );
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once the process has exited (or was never started). */
  get alive(): boolean {
    return this.exited === null && this.child.connected;
  }

  /**
   * Sends one request; resolves with the child's reply. Rejects `timeout`, `crashed`, `aborted`,
   * or `unloadable` (the library or the function could not be found), naming `target`.
   */
  request(message: Request, timeoutMs: number, target: CallTarget): Promise<ChildReply> {
    if (this.pending) throw new Error('VendorProcess: one request at a time');
    if (!this.alive) {
      return Promise.reject(
        new VendorLibraryError({
          code: 'crashed',
          duty: target.duty,
          function: target.fn,
          signal: this.exited?.signal ?? null,
          exitCode: this.exited?.code ?? null,
          message: `厂商库进程已不在运行，无法调用${callWords(target.duty, target.fn).zh} / the vendor library's process is no longer running; cannot call ${callWords(target.duty, target.fn).en}`,
        }),
      );
    }
    const id = this.nextId++;
    return new Promise<ChildReply>((resolve, reject) => {
      const pending: Pending = { id, target, timeoutMs, resolve, reject, timer: null, killedFor: null };
      this.pending = pending;
      pending.timer = setTimeout(() => this.killFor('timeout'), timeoutMs);
      // A send the channel cannot take kills the process (launcher.ts): the exit event reports it as a crash.
      this.child.send({ ...message, id } as ParentMessage);
    });
  }

  /** Lets the process end (it exits when its channel closes), killing it if it does not within a few seconds. */
  async stop(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.exited) return;
    if (this.child.connected) this.child.disconnect();
    const kill = setTimeout(() => this.child.kill(), STOP_GRACE_MS);
    await this.waitExit();
    clearTimeout(kill);
  }

  /** Kills at once and waits for the exit. */
  async kill(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.exited) return;
    this.child.kill();
    await this.waitExit();
  }

  private waitExit(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private killFor(reason: 'timeout' | 'aborted'): void {
    if (this.pending && this.pending.killedFor === null) this.pending.killedFor = reason;
    if (!this.exited) this.child.kill();
  }

  private onMessage(m: unknown): void {
    const pending = this.pending;
    if (!isChildMessage(m) || m.type !== 'reply' || !pending || m.id !== pending.id || pending.killedFor !== null) return;
    if (pending.timer) clearTimeout(pending.timer);
    if (!m.ok && m.code === 'protocol') {
      // The station's side of the conversation is wrong (a bug), and the process's state is unknown: end it.
      pending.killedFor = 'protocol';
      pending.protocolMessage = m.message;
      this.child.kill();
      return;
    }
    this.pending = null;
    if (m.ok) return pending.resolve(m);
    const w = callWords(pending.target.duty, pending.target.fn);
    const text = redact(m.message, this.options.password ?? '');
    pending.reject(
      new VendorLibraryError({
        code: 'unloadable',
        duty: pending.target.duty,
        function: pending.target.fn,
        message: pending.target.fn
          ? `厂商库中找不到${w.zh}：${text} / ${w.en} is not in the vendor's library: ${text}`
          : `无法加载厂商库：${text} / the vendor's library cannot be loaded: ${text}`,
      }),
    );
  }

  private onExit(exit: VendorChildExit): void {
    this.exited = exit;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.reject(this.lostCall(pending));
    }
    for (const w of this.exitWaiters.splice(0)) w();
  }

  private lostCall(p: Pending): VendorLibraryError {
    const w = callWords(p.target.duty, p.target.fn);
    const base = { duty: p.target.duty, function: p.target.fn, ...(this.child.pid !== undefined ? { pid: this.child.pid } : {}) };
    const code: VendorErrorCode = p.killedFor === 'timeout' ? 'timeout' : p.killedFor === 'aborted' ? 'aborted' : 'crashed';
    if (code === 'timeout') {
      return new VendorLibraryError({
        ...base,
        code,
        message: `${w.zh}在 ${seconds(p.timeoutMs)} 秒内没有返回，已终止厂商库进程 / ${w.en} did not return within ${seconds(p.timeoutMs)} s; the library's process was killed`,
      });
    }
    if (code === 'aborted') {
      return new VendorLibraryError({ ...base, code, message: `已取消${w.zh}，厂商库进程已终止 / ${w.en} was cancelled; the library's process was killed` });
    }
    const protocol = p.protocolMessage ? redact(p.protocolMessage, this.options.password ?? '') : null;
    const end = this.endWords();
    return new VendorLibraryError({
      ...base,
      code,
      signal: this.exited?.signal ?? null,
      exitCode: this.exited?.code ?? null,
      message: protocol
        ? `调用${w.zh}时出错，厂商库进程已终止：${protocol} / calling ${w.en} went wrong and the library's process was ended: ${protocol}`
        : `${w.zh}执行时厂商库进程崩溃（${end.zh}） / the vendor library's process crashed in ${w.en} (${end.en})${this.outputNote()}`,
    });
  }

  private endWords(): { zh: string; en: string } {
    const e = this.exited;
    if (e?.signal) return { zh: `信号 ${e.signal}`, en: `signal ${e.signal}` };
    // Neither: a brokered child main could not start (its words follow) or whose end it could not tell.
    if (e?.code === null || e?.code === undefined) return { zh: '无退出码', en: 'no exit code' };
    return { zh: `退出码 ${e.code}`, en: `exit code ${e.code}` };
  }

  /** The end of what the process printed (a library's own complaint), scrubbed of the password. */
  private outputNote(): string {
    const text = redact(this.child.output().trim(), this.options.password ?? '').slice(-400);
    return text ? `: ${text}` : '';
  }
}
