// What the desktop shell takes from its command line and environment. Pure,
// so the rules are unit-tested without Electron.
import path from 'node:path';

/** Set by scripts/start.mjs: better-sqlite3 built for Electron's ABI (development only). */
export const NATIVE_BINDING_ENV = 'EVIDENCE_STATION_NATIVE_BINDING';

export interface ShellOptions {
  /** `--data <folder>`: the station's data folder instead of the default one. */
  dataDir: string | null;
  nativeBinding: string | null;
}

/**
 * `argv` is the whole process.argv; only `--data <folder>` / `--data=<folder>`
 * are ours, anything else (Chromium switches, the app path in development) is
 * left alone. A packaged app ignores the native-binding variable: it loads
 * only the module electron-builder rebuilt inside it.
 */
export function parseShellOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  packaged: boolean,
  cwd: string,
): ShellOptions {
  let dataDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data' && i + 1 < argv.length) dataDir = argv[++i]!;
    else if (arg.startsWith('--data=')) dataDir = arg.slice('--data='.length);
  }
  const binding = env[NATIVE_BINDING_ENV];
  return {
    dataDir: dataDir ? path.resolve(cwd, dataDir) : null,
    nativeBinding: !packaged && binding ? path.resolve(cwd, binding) : null,
  };
}

/**
 * Switches that would open the packaged station to another program: a debugger on the main
 * process (`--inspect*`), Chromium's remote debugging of every page (`--remote-debugging-*`, which
 * no Electron fuse covers), or V8 flags (`--js-flags`, e.g. turning off its safeguards). Whoever
 * could start the app with one could read the renderer's session and act as the person logged in.
 */
const REFUSED = [/^--inspect(-brk|-port)?(=|$)/, /^--remote-debugging-(port|pipe|address)(=|$)/, /^--js-flags(=|$)/];

/** The refused switches on a packaged app's command line (none in development, where they are the tools). */
export function refusedSwitches(argv: readonly string[], packaged: boolean): string[] {
  if (!packaged) return [];
  return argv.filter((arg) => REFUSED.some((r) => r.test(arg))).map((arg) => arg.split('=')[0]!);
}
