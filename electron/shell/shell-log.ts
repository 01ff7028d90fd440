// The shell's log: main's own lines and the core host's stderr, in one file
// under the user data folder (a packaged app on Windows has no console), and
// on stderr for development. No `electron` import.
import fs from 'node:fs';
import path from 'node:path';

export type ShellLog = (message: string, error?: unknown) => void;

const MAX_BYTES = 5 * 1024 * 1024;

function describe(error: unknown): string {
  if (error === undefined) return '';
  if (error instanceof Error) return ` ${error.stack ?? error.message}`;
  return ` ${String(error)}`;
}

/** One previous log is kept (`.1`) so a long-running station cannot fill its disk with logs. */
export function createShellLog(file: string, echo: (line: string) => void = (l) => process.stderr.write(l)): ShellLog {
  let writable = true;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file) && fs.statSync(file).size > MAX_BYTES) fs.renameSync(file, `${file}.1`);
  } catch (e) {
    writable = false;
    echo(`${new Date().toISOString()} [shell] cannot write the log file ${file}:${describe(e)}\n`);
  }
  return (message, error) => {
    const line = `${new Date().toISOString()} ${message}${describe(error)}\n`;
    echo(line);
    if (!writable) return;
    try {
      fs.appendFileSync(file, line);
    } catch {
      writable = false; // the disk is full or gone: keep the station running, log to stderr only
    }
  };
}
