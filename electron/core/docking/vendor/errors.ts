// How a call into a vendor's library can fail, in words a custodian can act on.
// Every message names the function (as the vendor named it) and is bilingual.
// The device password never appears in one: messages are built from codes,
// names and numbers, and the text a library's process printed is scrubbed of it
// (redact) before it is kept.
import type { VendorLibraryData } from '../profile/schema.js';

/** The duties a profile maps to the vendor's function names. */
export type VendorDuty = keyof VendorLibraryData['functions'];

export type VendorErrorCode =
  /** The call did not return within the profile's timeoutSeconds; the library's process was killed. */
  | 'timeout'
  /** The library's process died during the call (a crash in the library: SIGSEGV, abort). */
  | 'crashed'
  /** The call returned, but what it returned cannot be true (control characters, no NUL, battery 250 %). */
  | 'garbage'
  /** The function returned 0: the library says it failed, with an iRet code. */
  | 'failed'
  /** The library file is missing or cannot be loaded, or lacks a function the profile names. */
  | 'unloadable'
  /** The caller gave up (the camera was unplugged): the library's process was killed. */
  | 'aborted';

/** What a failed call was, as plain data for results, audit rows and JSON. */
export interface VendorFailure {
  code: VendorErrorCode;
  message: string;
  duty: VendorDuty | null;
  /** The function as the vendor named it (the profile's name), or null for the library as a whole. */
  function: string | null;
  /** The library's iRet code when it set one. */
  iRet?: number | null;
  /** For `crashed`: the signal that ended the process (SIGSEGV), or its exit code. */
  signal?: string | null;
  exitCode?: number | null;
  /** The library process's pid, for `timeout` and `crashed` (the process is gone when this is reported). */
  pid?: number;
}

export class VendorLibraryError extends Error {
  readonly code: VendorErrorCode;
  readonly duty: VendorDuty | null;
  readonly function: string | null;
  readonly iRet: number | null;
  readonly signal: string | null;
  readonly exitCode: number | null;
  readonly pid: number | undefined;

  constructor(failure: Omit<VendorFailure, 'message'> & { message: string }, options?: { cause?: unknown }) {
    super(failure.message, options);
    this.name = 'VendorLibraryError';
    this.code = failure.code;
    this.duty = failure.duty;
    this.function = failure.function;
    this.iRet = failure.iRet ?? null;
    this.signal = failure.signal ?? null;
    this.exitCode = failure.exitCode ?? null;
    this.pid = failure.pid;
  }

  toFailure(): VendorFailure {
    return {
      code: this.code,
      message: this.message,
      duty: this.duty,
      function: this.function,
      ...(this.iRet !== null ? { iRet: this.iRet } : {}),
      ...(this.signal !== null ? { signal: this.signal } : {}),
      ...(this.exitCode !== null ? { exitCode: this.exitCode } : {}),
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
    };
  }
}

/** The 公安部 interface's iRet codes. */
export const IRET = {
  CONNECT_SUCCESS: 1,
  CONNECT_FAILED: 2,
  CHECK_PWD_SUCCESS: 3,
  CHECK_PWD_FAILED: 4,
  SET_SYSTEMTIME_SUCCESS: 5,
  SET_SYSTEMTIME_FAILED: 6,
  MSDC_SUCCESS: 7,
  MSDC_FAILED: 8,
} as const;

/** What an iRet code means, for a failure message; a wrong password says where the password is kept. */
export function iRetMeaning(iRet: number | null): { zh: string; en: string } {
  switch (iRet) {
    case IRET.CONNECT_FAILED:
      return {
        zh: '连接执法记录仪失败（CONNECT_FAILED）：请检查记录仪是否已开机并用数据线接好',
        en: 'could not connect to the camera (CONNECT_FAILED): check that it is switched on and its cable is plugged in',
      };
    case IRET.CHECK_PWD_FAILED:
      return {
        zh: '设备密码错误（CHECK_PWD_FAILED）：设备密码保存在采集站设置中，请系统管理员核对该型号的设备密码，用 station vendor-library set --password-stdin 重新设置',
        en: "wrong device password (CHECK_PWD_FAILED): the password is kept in the station's settings; an administrator checks it for this model and sets it again with station vendor-library set --password-stdin",
      };
    case IRET.SET_SYSTEMTIME_FAILED:
      return { zh: '设置记录仪时间失败（SET_SYSTEMTIME_FAILED）', en: "setting the camera's clock failed (SET_SYSTEMTIME_FAILED)" };
    case IRET.MSDC_FAILED:
      return { zh: '切换为存储（U 盘）模式失败（MSDC_FAILED）', en: 'switching to disk (mass-storage) mode failed (MSDC_FAILED)' };
    case null:
      return { zh: '库未给出错误码', en: 'the library gave no error code' };
    default:
      return { zh: `错误码 ${iRet}（接口未定义）`, en: `error code ${iRet} (not one the interface defines)` };
  }
}

/** The duty in both languages, for messages. */
export const DUTY_WORDS: Readonly<Record<VendorDuty, { zh: string; en: string }>> = {
  init: { zh: '连接记录仪', en: 'opening the camera' },
  identity: { zh: '读取产品序号与警号', en: 'reading the serial and badge' },
  release: { zh: '断开记录仪', en: 'closing the camera' },
  battery: { zh: '读取电量', en: 'reading the battery' },
  readClock: { zh: '读取记录仪时间', en: "reading the camera's clock" },
  setClock: { zh: '校准记录仪时间', en: "setting the camera's clock" },
  diskMode: { zh: '切换为存储模式', en: 'switching to disk mode' },
  writeOfficer: { zh: '写入警号与姓名', en: "writing the officer's badge and name" },
};

/** `function` named for a message: `GetZFYInfo（读取产品序号与警号）` / `GetZFYInfo (reading the serial and badge)`. */
export function callWords(duty: VendorDuty | null, fn: string | null): { zh: string; en: string } {
  if (!fn) return { zh: '厂商库', en: "the vendor's library" };
  if (!duty) return { zh: `厂商库函数 ${fn}`, en: `the vendor library's ${fn}` };
  return { zh: `厂商库函数 ${fn}（${DUTY_WORDS[duty].zh}）`, en: `the vendor library's ${fn} (${DUTY_WORDS[duty].en})` };
}

/** Removes the password from text a library's process printed, so no message or log carries it. */
export function redact(text: string, password: string): string {
  if (password.length < 1) return text;
  return text.split(password).join('******');
}
