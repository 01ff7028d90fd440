// Running xorriso (libburnia, GNU/Linux) for the evidence disc (issue 21): building the ISO image,
// reading it back, burning it. Always spawned without a shell, with its startup files ignored
// (`-no_rc`: a site's ~/.xorrisorc must not change what an evidence disc holds) and names in UTF-8
// whatever the station's locale (`-local_charset UTF-8`: under LANG=C xorriso would take the UTF-8
// bytes of 录像.mp4 for ISO-8859-1 and write them to the Joliet tree as mojibake).
import { spawn } from 'node:child_process';

export const XORRISO = '/usr/bin/xorriso';

/** The options every run starts with; `-return_with SORRY 32` makes any SORRY (or worse) event a non-zero exit. */
export const XORRISO_PREAMBLE = ['-no_rc', '-local_charset', 'UTF-8', '-abort_on', 'FAILURE', '-return_with', 'SORRY', '32'];

export interface XorrisoRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface XorrisoOptions {
  xorriso?: string;
  signal?: AbortSignal;
  /** Each complete line xorriso writes to stderr (its info channel: UPDATE progress, NOTE, SORRY). */
  onStderrLine?: (line: string) => void;
  /** Resolve with the exit code rather than throwing on a non-zero one (readers that interpret a SORRY themselves). */
  allowFailure?: boolean;
}

export class XorrisoError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'XorrisoError';
  }
}

/** The lines that say what went wrong: xorriso's own FAILURE/SORRY/FATAL events, else the last lines. */
export function xorrisoComplaint(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const events = lines.filter((l) => /^(xorriso|libburn|libisofs)\s*:\s*(FATAL|FAILURE|SORRY|MISHAP|ABORT)\b/.test(l) || /^libisofs: |^libburn : /.test(l));
  return (events.length > 0 ? events : lines.slice(-3)).slice(0, 6).join('\n');
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('xorriso run aborted');
}

/** Runs xorriso with `args` after the preamble; rejects on abort (the process is killed) and, unless allowed, on a non-zero exit. */
export function runXorriso(args: readonly string[], o: XorrisoOptions = {}): Promise<XorrisoRun> {
  const { signal } = o;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const child = spawn(o.xorriso ?? XORRISO, [...XORRISO_PREAMBLE, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Result lines (report_lba, -find) are parsed; keep xorriso's messages in English.
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (!o.onStderrLine) return;
      // xorriso ends its pacifier lines with \r on a terminal, \n on a pipe; take both.
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) o.onStderrLine(line);
    });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`cannot run xorriso (${o.xorriso ?? XORRISO}): ${error.message}`));
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (partial && o.onStderrLine) o.onStderrLine(partial);
      if (signal?.aborted) return reject(abortError(signal));
      const exit = code ?? -1;
      if (exit !== 0 && !o.allowFailure) {
        const why = killedBy ? `killed by ${killedBy}` : `exit ${exit}`;
        return reject(new XorrisoError(`xorriso failed (${why}): ${xorrisoComplaint(stderr)}`, exit, stderr));
      }
      resolve({ code: exit, stdout, stderr });
    });
  });
}

/**
 * One word for `-options_from_file` (xorriso's quoted input): single quotes, and a `'` inside as
 * `'"'"'`, which xorriso joins like a shell does. Long file lists go through a file rather than
 * argv, whose 2 MiB limit a disc of several thousand clips with long vault paths can reach. NUL
 * and line breaks cannot be quoted: such a name is refused.
 */
export function quoteWord(word: string): string {
  if (/[\0\r\n]/.test(word)) throw new Error(`xorriso cannot take this name: ${JSON.stringify(word)}`);
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** The reverse of xorriso's output quoting of a path: `'a'"'"'b'` is `a'b`. */
export function unquoteWord(text: string): { word: string; rest: string } {
  let word = '';
  let i = 0;
  while (i < text.length && (text[i] === "'" || text[i] === '"')) {
    const mark = text[i]!;
    const end = text.indexOf(mark, i + 1);
    if (end < 0) throw new Error(`unterminated quote in xorriso output: ${text}`);
    word += text.slice(i + 1, end);
    i = end + 1;
  }
  return { word, rest: text.slice(i) };
}
