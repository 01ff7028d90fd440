// Why a copy failed, as the ingest state machine records it (`failed(reason)`).
// Every failure of the engine is a CopyError with one of these kinds; the errno
// code is kept for the log, and the message says, in Chinese and English, what
// happened and what to do next.

export const copyErrorKinds = [
  'source_vanished', // the file or the whole camera went away mid-copy (unplugged, card pulled, FUSE daemon died)
  'source_unreadable', // the station may not read it (permissions), or it is not a regular file
  'source_changed', // size, times or inode changed while it was read, or fewer/more bytes than its size
  'vault_full', // ENOSPC / EDQUOT on the vault
  'vault_io', // any other failure writing, syncing or re-reading the copy
  'verify_mismatch', // the copy read back from the medium does not hash like the bytes read from the camera
  'aborted', // cancelled by the caller (pause, cancel, shutdown)
  'internal', // the copy worker died (a bug or out of memory); the temporary file was removed
] as const;

export type CopyErrorKind = (typeof copyErrorKinds)[number];

export interface CopyErrorMessages {
  'zh-CN': string;
  en: string;
}

const MESSAGES: Record<CopyErrorKind, CopyErrorMessages> = {
  source_vanished: {
    'zh-CN': '复制过程中源文件不见了（记录仪可能被拔出）。请重新接入记录仪，未完成的文件会重新复制。',
    en: 'The source file went away during the copy (the camera may have been unplugged). Dock the camera again; unfinished files are copied again.',
  },
  source_unreadable: {
    'zh-CN': '采集站无权读取该文件，或它不是普通文件。请让管理员检查记录仪上的这个文件。',
    en: 'The station may not read this file, or it is not a regular file. Ask an administrator to check this file on the camera.',
  },
  source_changed: {
    'zh-CN': '复制过程中源文件发生了变化。请确认记录仪已停止录像，再重新接入。',
    en: 'The source file changed while it was being copied. Make sure the camera has stopped recording, then dock it again.',
  },
  vault_full: {
    'zh-CN': '证据库磁盘已满。请联系管理员腾出空间，再重新接入记录仪。',
    en: "The vault's disk is full. Ask an administrator to free space, then dock the camera again.",
  },
  vault_io: {
    'zh-CN': '写入证据库失败。请联系管理员检查证据库磁盘，再重新接入记录仪。',
    en: "Writing to the vault failed. Ask an administrator to check the vault's disk, then dock the camera again.",
  },
  verify_mismatch: {
    'zh-CN': '回读校验不一致：证据库中的副本与记录仪上的文件不同。副本已删除，请重新接入记录仪；若反复出现，请检查证据库磁盘。',
    en: "Read-back check failed: the copy in the vault differs from the file on the camera. The copy was removed; dock the camera again, and if this repeats, have the vault's disk checked.",
  },
  aborted: {
    'zh-CN': '复制已取消，未完成的副本已删除。',
    en: 'The copy was cancelled and the unfinished copy removed.',
  },
  internal: {
    'zh-CN': '复制进程意外终止，未完成的副本已删除。请重新接入记录仪；若反复出现，请联系管理员。',
    en: 'The copy worker stopped unexpectedly and the unfinished copy was removed. Dock the camera again; if this repeats, call an administrator.',
  },
};

/** What a CopyError looks like on the wire (worker → pool, core → UI). */
export interface CopyErrorWire {
  name: 'CopyError';
  kind: CopyErrorKind;
  /** errno code (ENOENT, ENOSPC, …) when a system call failed. */
  code?: string;
  messages: CopyErrorMessages;
  /** The technical detail: which file, which call, what the system said. */
  detail: string;
  /** Set when the temporary copy could not be removed: a leftover for the start-up sweep. */
  leftover?: string;
}

export class CopyError extends Error {
  readonly kind: CopyErrorKind;
  readonly code?: string;
  readonly messages: CopyErrorMessages;
  readonly detail: string;
  leftover?: string;

  constructor(kind: CopyErrorKind, detail: string, options: { code?: string; cause?: unknown } = {}) {
    const messages = MESSAGES[kind];
    super(`${messages.en} (${detail})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CopyError';
    this.kind = kind;
    if (options.code !== undefined) this.code = options.code;
    this.messages = messages;
    this.detail = detail;
  }

  toWire(): CopyErrorWire {
    const wire: CopyErrorWire = { name: 'CopyError', kind: this.kind, messages: this.messages, detail: this.detail };
    if (this.code !== undefined) wire.code = this.code;
    if (this.leftover !== undefined) wire.leftover = this.leftover;
    return wire;
  }

  static fromWire(wire: CopyErrorWire): CopyError {
    const error = new CopyError(wire.kind, wire.detail, wire.code === undefined ? {} : { code: wire.code });
    if (wire.leftover !== undefined) error.leftover = wire.leftover;
    return error;
  }
}

export function isCopyError(value: unknown): value is CopyError {
  return value instanceof CopyError;
}

export function isCopyErrorWire(value: unknown): value is CopyErrorWire {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CopyErrorWire>;
  return v.name === 'CopyError' && typeof v.kind === 'string' && (copyErrorKinds as readonly string[]).includes(v.kind);
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// A file or device that is gone: the path no longer resolves, the medium stopped
// answering (EIO, ENODEV, ENXIO, ENOMEDIUM), the FUSE daemon serving the volume
// died (ECONNABORTED for the requests it had in hand, ENOTCONN after), or a
// network export went stale (ESTALE).
const SOURCE_GONE = new Set(['ENOENT', 'ENOTDIR', 'EIO', 'ENODEV', 'ENXIO', 'ENOMEDIUM', 'ENOTCONN', 'ECONNABORTED', 'ESTALE', 'ESHUTDOWN', 'EBADF']);
const VAULT_FULL = new Set(['ENOSPC', 'EDQUOT']);

/** Classifies a failed system call on the camera's file. */
export function sourceError(err: unknown, action: string, file: string): CopyError {
  if (err instanceof CopyError) return err;
  const code = errnoCode(err);
  const detail = `${action} ${file}: ${describe(err)}`;
  if (code !== undefined && SOURCE_GONE.has(code)) return new CopyError('source_vanished', detail, { code, cause: err });
  // Everything else means we may not or cannot read it: EACCES / EPERM
  // (permissions), ELOOP (a symlink: O_NOFOLLOW refuses it), EISDIR, or an
  // answer from a strange filesystem (EINVAL).
  return new CopyError('source_unreadable', detail, code === undefined ? { cause: err } : { code, cause: err });
}

/** Classifies a failed system call on the copy in the vault. */
export function vaultError(err: unknown, action: string, file: string): CopyError {
  if (err instanceof CopyError) return err;
  const code = errnoCode(err);
  const detail = `${action} ${file}: ${describe(err)}`;
  if (code !== undefined && VAULT_FULL.has(code)) return new CopyError('vault_full', detail, { code, cause: err });
  return new CopyError('vault_io', detail, code === undefined ? { cause: err } : { code, cause: err });
}

export function abortedError(detail: string): CopyError {
  return new CopyError('aborted', detail, { code: 'ABORT_ERR' });
}
