// One conversation with a camera through its vendor's library: a process of
// its own, the library loaded in it, init, then the duties one by one. Each
// call is timed and recorded (for the audit), and its answer judged here:
//   - a return value other than 1 or 0, or bytes written past a buffer: garbage;
//   - 0: failed, with what the iRet code means;
//   - a string not NUL-terminated, not valid in the encoding or with control
//     characters, a battery outside 0–100, a clock text that does not fit the
//     profile's format: garbage.
// A call that costs the process (timeout, crash) does not end the
// conversation: the next duty starts a fresh process and opens the camera
// again (recorded as an init call with `reopen`), so one bad function costs
// its own answer and not the rest.
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { VendorLibraryData } from '../profile/schema.js';
import { parseWallClock, type TimeFormat, type WallClock } from '../wall-clock.js';
import { callWords, iRetMeaning, VendorLibraryError, type VendorDuty, type VendorErrorCode } from './errors.js';
import type { ChildEntry } from './child-entry.js';
import type { VendorLauncher } from './launcher.js';
import { VendorProcess, type ChildReply } from './process.js';
import { GUARD_BYTE, INT_UNSET, type ParentMessage, type Signature } from './protocol.js';
import { cString, readField } from './text.js';
import { parseZfyInfo, ZFY_INFO_SIZE, type ZfyValues } from './zfy-info.js';

/** Buffer sizes the interface gives (the caller's buffers, per the vendors' headers). */
export const ID_CODE_SIZE = 64;
export const CLOCK_TEXT_SIZE = 32;

/** The site's settings for a profile: where its vendor's library is and the device password. */
export interface VendorLibrarySettings {
  libraryPath: string;
  password: string;
}

export interface VendorSessionOptions {
  /** The station's clock (epoch ms), for the time a clock reading was taken. Default Date.now. */
  now?: () => number;
  /** Aborting (the camera went away) kills the library's process; the call in flight fails `aborted`. */
  signal?: AbortSignal;
  /** Who starts the library's process: Electron main's broker in the app; default a Node fork (launcher.ts). */
  launcher?: VendorLauncher;
  /** Where the child program is, for the default launcher; default: beside this code (child-entry.ts). */
  entry?: ChildEntry;
  /** How long starting the library's process may take (not a call's time). Default 60 s. */
  startTimeoutMs?: number;
}

/** One call into the library, for the audit. Never holds the password. */
export interface VendorCall {
  duty: VendorDuty;
  /** The function as the vendor named it. */
  function: string;
  ok: boolean;
  /** How long the call took, in milliseconds, as the station measured it (its process's messages included). */
  ms: number;
  code?: VendorErrorCode;
  iRet?: number | null;
  /** An init made on a fresh process because the last one was lost (a timeout or crash). */
  reopen?: true;
}

export interface VendorClockReading {
  /** The text as the library gave it. */
  text: string;
  /** What the camera's clock said, as local wall-clock fields. */
  wallClock: WallClock;
  /** The station's time at the reading (the middle of the call), epoch ms. */
  stationAt: number;
}

type CallOptions = { password?: true; outSize?: number; input?: Buffer };

export class VendorSession {
  readonly calls: VendorCall[] = [];
  private proc: VendorProcess | null = null;
  /** Whether init succeeded on the current process. */
  private opened = false;
  private readonly encoding;
  private readonly timeoutMs: number;
  /** The password as the library takes it (NUL-terminated, in its encoding), made once. */
  private passwordBytes: string | null = null;
  private readonly now: () => number;

  constructor(
    private readonly spec: VendorLibraryData,
    private readonly settings: VendorLibrarySettings,
    private readonly options: VendorSessionOptions = {},
  ) {
    this.encoding = spec.encoding;
    this.timeoutMs = spec.timeoutSeconds * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Starts the process, loads the library and opens the camera; resolves with its id code (null when empty). */
  async open(): Promise<string | null> {
    await this.start();
    return this.init(false);
  }

  /** 产品序号, 警号, 姓名, 单位编号, 单位名称; garbage when the serial is empty. */
  async identity(): Promise<ZfyValues & { serial: string }> {
    return this.call('identity', 'recordPwd', { password: true, outSize: ZFY_INFO_SIZE }, (reply, out, fail) => {
      const r = parseZfyInfo(out!, this.encoding);
      if (!r.ok) return fail(`${r.field.words.zh}（${r.field.c}）${r.why.zh}`, `the ${r.field.words.en} (${r.field.c}) is ${r.why.en}`);
      if (r.values.serial === null) return fail('产品序号（cSerial）为空', 'the serial (cSerial) is empty');
      return r.values as ZfyValues & { serial: string };
    });
  }

  async battery(): Promise<number> {
    return this.call('battery', 'intPwd', { password: true }, (reply, _out, fail) => {
      if (reply.valueGuard === false) return fail('写入的电量超出了 int 的大小', 'wrote more than an int for the battery');
      const v = reply.value;
      if (v === undefined || !Number.isInteger(v) || v < 0 || v > 100) return fail(`电量 ${v} 不在 0–100 之间`, `battery ${v} is not within 0–100`);
      return v;
    });
  }

  async readClock(format: TimeFormat): Promise<VendorClockReading> {
    return this.call('readClock', 'textPwd', { password: true, outSize: CLOCK_TEXT_SIZE }, (_reply, out, fail, at) => {
      const r = readField(out!, this.encoding);
      if (!r.ok) return fail(`时间文本${r.why.zh}`, `the clock text is ${r.why.en}`);
      try {
        return { text: r.value, wallClock: parseWallClock(r.value, format), stationAt: Math.round((at.before + at.after) / 2) };
      } catch (err) {
        const [zh, en] = splitWords((err as Error).message);
        return fail(zh, en);
      }
    });
  }

  /** Sets the camera's clock to the computer's; resolves with the station's time when it was done. */
  async setClock(): Promise<number> {
    return this.call('setClock', 'pwd', { password: true }, () => this.now());
  }

  async diskMode(): Promise<void> {
    await this.call('diskMode', 'pwd', { password: true }, () => undefined);
  }

  /** WriteZFYInfo with the whole record (the serial too: the record is written whole). */
  async writeOfficer(record: Buffer): Promise<void> {
    await this.call('writeOfficer', 'recordPwd', { password: true, input: record }, () => undefined);
  }

  /**
   * Closes the camera (release, when mapped and the camera is open on a live process) and ends
   * the process. Resolves with release's failure, or null.
   */
  async close(): Promise<VendorLibraryError | null> {
    let failure: VendorLibraryError | null = null;
    try {
      if (this.spec.functions.release && this.opened && this.proc?.alive) {
        await this.call('release', 'release', {}, () => undefined).catch((e: unknown) => {
          if (!(e instanceof VendorLibraryError)) throw e;
          failure = e;
        });
      }
    } finally {
      await this.proc?.stop();
      this.proc = null;
      this.opened = false;
    }
    return failure;
  }

  private async start(): Promise<void> {
    const path = this.settings.libraryPath;
    await checkLibraryFile(path);
    this.passwordBytes ??= this.encodePassword();
    this.proc = await VendorProcess.start({
      ...(this.options.launcher ? { launcher: this.options.launcher } : {}),
      ...(this.options.entry ? { entry: this.options.entry } : {}),
      ...(this.options.startTimeoutMs !== undefined ? { startTimeoutMs: this.options.startTimeoutMs } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      password: this.settings.password,
    });
    try {
      await this.proc.request({ op: 'load', path }, this.timeoutMs, { duty: null, fn: null });
    } catch (err) {
      await this.proc.kill();
      throw err;
    }
  }

  /** Base64 of the NUL-terminated password; a password the encoding cannot hold fails before any call. */
  private encodePassword(): string {
    try {
      return cString(this.settings.password, this.encoding).toString('base64');
    } catch {
      // Neither the encoder's message nor the error as a cause: it quotes the character, a piece of the password.
      throw new VendorLibraryError({
          code: 'failed',
          duty: null,
          function: null,
          message:
            `采集站设置中的设备密码含有厂商库编码（${this.encoding}）无法表示的字符，请系统管理员用 station vendor-library set --password-stdin 重新设置 / ` +
            `the device password in the station's settings holds a character the library's encoding (${this.encoding}) cannot represent; an administrator sets it again with station vendor-library set --password-stdin`,
      });
    }
  }

  /** Looks every mapped function up without calling one; the failures by duty. */
  async lookupAll(): Promise<Array<{ duty: VendorDuty; function: string; error: VendorLibraryError | null }>> {
    await this.start();
    const out: Array<{ duty: VendorDuty; function: string; error: VendorLibraryError | null }> = [];
    for (const [duty, fn] of Object.entries(this.spec.functions) as Array<[VendorDuty, string | undefined]>) {
      if (!fn) continue;
      try {
        await this.proc!.request({ op: 'lookup', fn, signature: SIGNATURES[duty] }, this.timeoutMs, { duty, fn });
        out.push({ duty, function: fn, error: null });
      } catch (err) {
        if (!(err instanceof VendorLibraryError)) throw err;
        out.push({ duty, function: fn, error: err });
        if (!this.proc!.alive) await this.start();
      }
    }
    return out;
  }

  private async init(reopen: boolean): Promise<string | null> {
    const idCode = await this.call(
      'init',
      'outText',
      { outSize: ID_CODE_SIZE },
      (_reply, out, fail) => {
        const r = readField(out!, this.encoding);
        if (!r.ok) return fail(`识别码${r.why.zh}`, `the id code is ${r.why.en}`);
        return r.value === '' ? null : r.value;
      },
      reopen,
    );
    this.opened = true;
    return idCode;
  }

  /** A fresh process with the camera opened again, when the last process was lost. */
  private async ensureOpen(duty: VendorDuty): Promise<void> {
    if (duty === 'init' || (this.proc?.alive && this.opened)) return;
    this.opened = false;
    if (this.proc) await this.proc.kill();
    this.proc = null;
    await this.start();
    await this.init(true);
  }

  private async call<T>(
    duty: VendorDuty,
    signature: Signature,
    options: CallOptions,
    decode: (reply: ChildReply, out: Buffer | null, fail: (zh: string, en: string) => never, at: { before: number; after: number }) => T,
    reopen = false,
  ): Promise<T> {
    const fn = this.spec.functions[duty];
    if (!fn) throw new Error(`no function is mapped for ${duty}`);
    await this.ensureOpen(duty);
    const w = callWords(duty, fn);
    const message: Omit<Extract<ParentMessage, { op: 'call' }>, 'id'> = {
      op: 'call',
      fn,
      signature,
      ...(options.password ? { password: this.passwordBytes! } : {}),
      ...(options.outSize !== undefined ? { outSize: options.outSize } : {}),
      ...(options.input ? { input: options.input.toString('base64') } : {}),
    };
    const started = performance.now();
    const record = (entry: Omit<VendorCall, 'duty' | 'function' | 'ms'>) =>
      this.calls.push({ duty, function: fn, ms: Math.round((performance.now() - started) * 10) / 10, ...entry, ...(reopen ? { reopen: true as const } : {}) });
    let iRet: number | null = null;
    try {
      // The station's clock around the call itself (a reopen before it is not counted).
      const before = this.now();
      const reply = await this.proc!.request(message, this.timeoutMs, { duty, fn });
      const after = this.now();
      iRet = reply.iRet === INT_UNSET ? null : reply.iRet;
      const garbage = (zh: string, en: string): never => {
        throw new VendorLibraryError({ code: 'garbage', duty, function: fn, iRet, message: `${w.zh}返回的结果不可信：${zh} / ${w.en} returned something that cannot be true: ${en}` });
      };
      if (signature !== 'release' && reply.ret !== 0 && reply.ret !== 1) {
        garbage(`返回值 ${reply.ret}，既不是 1（成功）也不是 0（失败）`, `it returned ${reply.ret}, neither 1 (success) nor 0 (failure)`);
      }
      if (!reply.iRetGuard) garbage('写入 iRet 时超出了 int 的大小', 'it wrote more than an int into iRet');
      if (reply.ret === 0) {
        const meaning = iRetMeaning(iRet);
        throw new VendorLibraryError({ code: 'failed', duty, function: fn, iRet, message: `${w.zh}失败：${meaning.zh} / ${w.en} failed: ${meaning.en}` });
      }
      let out: Buffer | null = null;
      if (reply.out !== undefined) {
        const all = Buffer.from(reply.out, 'base64');
        const size = options.input?.length ?? options.outSize ?? 0;
        if (!all.subarray(size).every((b) => b === GUARD_BYTE)) garbage(`写入超出了给它的 ${size} 字节`, `it wrote past the ${size} bytes it was given`);
        out = all.subarray(0, size);
      }
      const value = decode(reply, out, garbage, { before, after });
      record({ ok: true, ...(iRet !== null ? { iRet } : {}) });
      return value;
    } catch (err) {
      if (err instanceof VendorLibraryError) record({ ok: false, code: err.code, ...(err.iRet !== null ? { iRet: err.iRet } : iRet !== null ? { iRet } : {}) });
      throw err;
    }
  }
}

/** The C shape of each duty. */
export const SIGNATURES: Readonly<Record<VendorDuty, Signature>> = {
  init: 'outText',
  identity: 'recordPwd',
  release: 'release',
  battery: 'intPwd',
  readClock: 'textPwd',
  setClock: 'pwd',
  diskMode: 'pwd',
  writeOfficer: 'recordPwd',
};

/** `unloadable` before a process is started for a path that cannot be a library. */
async function checkLibraryFile(file: string): Promise<void> {
  const unloadable = (zh: string, en: string) => new VendorLibraryError({ code: 'unloadable', duty: null, function: null, message: `${zh} / ${en}` });
  if (!file) {
    throw unloadable(
      '本站尚未设置该型号的厂商库文件：请系统管理员用 station vendor-library set --profile <型号> --library <文件> 设置',
      'no vendor library file is set for this model on this station: an administrator sets it with station vendor-library set --profile <model> --library <file>',
    );
  }
  // stat, not lstat: a library is often a symbolic link (libx.so → libx.so.1), and a dangling one is missing.
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error) {
    throw st.code === 'ENOENT'
      ? unloadable(`厂商库文件不存在：${file}`, `the vendor library file does not exist: ${file}`)
      : unloadable(`无法读取厂商库文件 ${file}（${st.code ?? st.message}）`, `cannot read the vendor library file ${file} (${st.code ?? st.message})`);
  }
  if (!st.isFile()) throw unloadable(`厂商库路径不是文件：${file}`, `the vendor library path is not a file: ${file}`);
}

/** A bilingual `中文 / English` message as its two halves. */
function splitWords(message: string): [string, string] {
  const at = message.indexOf(' / ');
  return at < 0 ? [message, message] : [message.slice(0, at), message.slice(at + 3)];
}
