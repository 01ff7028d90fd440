// The messages between the station and the vendor library's process, one JSON
// value each over the child_process IPC channel. The child is kept thin: it
// loads the library, calls a function with buffers of the sizes it is told and
// sends every byte back. Deciding what the bytes mean (and whether they are
// sane) is the station's, in the parent, where a test can reach it.

/** The C shapes of the duties (all cdecl, `int` 1 success / 0 failure unless void). */
export type Signature =
  /** `int f(char *idCode, int *iRet)` */
  | 'outText'
  /** `void f(int *iRet)` */
  | 'release'
  /** `int f(void *record, char *pwd, int *iRet)`: record filled by the library, or given to it (`input`). */
  | 'recordPwd'
  /** `int f(char *pwd, int *iRet)` */
  | 'pwd'
  /** `int f(int *value, char *pwd, int *iRet)` */
  | 'intPwd'
  /** `int f(char *text, char *pwd, int *iRet)` */
  | 'textPwd';

/**
 * Bytes after every out-buffer, filled with GUARD_BYTE: a library that writes past the size the
 * interface gives it has changed them, and its answer is garbage (and the child's memory may be
 * damaged, which is why the child is its own process).
 */
export const GUARD_SIZE = 64;
export const GUARD_BYTE = 0xa5;
/** What int out-parameters hold before the call, so "never set" is visible (a battery of -1). */
export const INT_UNSET = -1;

export type ParentMessage =
  | { id: number; op: 'load'; path: string }
  /** Looks a function up without calling it (`station vendor-library --check`). */
  | { id: number; op: 'lookup'; fn: string; signature: Signature }
  | {
      id: number;
      op: 'call';
      fn: string;
      signature: Signature;
      /** Base64 of the NUL-terminated password in the library's encoding. */
      password?: string;
      /** The out-buffer's size in bytes, before the guard. */
      outSize?: number;
      /** Base64 of a record given to the library (WriteZFYInfo); it is sent back as `out`. */
      input?: string;
    };

export type ChildMessage =
  | { type: 'ready'; pid: number }
  | {
      type: 'reply';
      id: number;
      ok: true;
      /** The function's return value; null for a void function. */
      ret: number | null;
      /** *iRet after the call (INT_UNSET when the library left it). */
      iRet: number;
      /** Whether the guard after iRet is still whole. */
      iRetGuard: boolean;
      /** Base64 of the out-buffer with its guard, for outText, recordPwd, textPwd. */
      out?: string;
      /** intPwd's *value, and whether its guard is whole. */
      value?: number;
      valueGuard?: boolean;
    }
  | { type: 'reply'; id: number; ok: false; code: 'unloadable' | 'protocol'; message: string };

export function isChildMessage(m: unknown): m is ChildMessage {
  return typeof m === 'object' && m !== null && ((m as { type?: unknown }).type === 'ready' || (m as { type?: unknown }).type === 'reply');
}
