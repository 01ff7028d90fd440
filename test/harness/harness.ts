// The browser harness: the real renderer in any browser, against the real core
// in a Node child process, for development, tests and demos (never packaged).
//
//   npm run harness -- --data <folder> [--port <n>] [--renderer <dir>]
//                      [--clock <ISO time>] [--idle-lock-ms <n>] [--scrypt-cost <n>] [--watch <folder>]
//
// startHarness() is the same thing for the Playwright fixture.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoPath } from '../../electron/core/paths.js';
import { bundleBridge } from './bridge-bundle.js';
import { CoreSupervisor } from './core-supervisor.js';
import { SOCKET_PATH, TOKEN_PARAM } from './limits.js';
import { CLOCK_PATH, RENDERER_MISSING, TOKEN_HEADER, createSite } from './site.js';
import { newToken } from './token.js';

export interface HarnessOptions {
  dataDir: string;
  /** HTTP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** The built renderer; default dist/renderer. */
  rendererDir?: string;
  /** Start the core on a manual clock at this time (ISO string or epoch ms); enables the clock endpoint. */
  clock?: string | number;
  idleLockMs?: number;
  scryptCost?: number;
  /** The vault's free-space reserve (config.ts); the browser tests set 0 so they do not depend on the machine's free disk. */
  vaultReserveBytes?: number;
  /** The ffprobe the core checks recordings with; default `ffprobe` on PATH. */
  ffprobe?: string;
  /** A watched folder: each sub-folder is a docked camera volume (tests and the demo drop emulated cameras here). */
  watch?: string;
  /** Refuse to start when the renderer is not built (the CLI only warns: it may be built while running). */
  requireRenderer?: boolean;
  /** Where the harness reports restarts and warnings; default stderr. */
  log?: (line: string) => void;
}

export interface Harness {
  /** The page to open. */
  readonly url: string;
  readonly token: string;
  readonly wsPort: number;
  /** The socket URL without a token, for tests that present their own. */
  readonly socketUrl: string;
  /** The running core's process id; null while it restarts. */
  corePid(): number | null;
  /** Moves the manual clock (--clock only), then locks idle sessions; answers the new time. */
  advanceClock(ms: number): Promise<number>;
  setClock(epochMs: number): Promise<number>;
  stop(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = repoPath('dist', 'renderer');

export function rendererBuilt(rendererDir: string): boolean {
  return fs.existsSync(path.join(rendererDir, 'index.html'));
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const log = options.log ?? ((line: string) => console.error(line));
  const rendererDir = path.resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  if (options.requireRenderer && !rendererBuilt(rendererDir)) {
    throw new Error(`${rendererDir}/index.html is missing. ${RENDERER_MISSING}`);
  }
  const clockStart = options.clock === undefined ? undefined : parseTime(options.clock);
  const token = newToken();

  // Listen first: the core must know the page's origin to accept its socket.
  let site: http.RequestListener | null = null;
  const server = http.createServer((req, res) => {
    if (site) site(req, res);
    else res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The station core is starting.\n');
  });
  const httpPort = await listen(server, options.port ?? 0);

  const core = new CoreSupervisor({
    config: {
      dataDir: path.resolve(options.dataDir),
      token,
      allowedOrigins: [`http://127.0.0.1:${httpPort}`, `http://localhost:${httpPort}`],
      ...(options.idleLockMs !== undefined ? { idleLockMs: options.idleLockMs } : {}),
      ...(options.scryptCost !== undefined ? { scryptCost: options.scryptCost } : {}),
      ...(options.vaultReserveBytes !== undefined ? { vaultReserveBytes: options.vaultReserveBytes } : {}),
      ...(options.ffprobe !== undefined ? { ffprobePath: path.resolve(options.ffprobe) } : {}),
      ...(options.watch !== undefined ? { watchedFolder: path.resolve(options.watch) } : {}),
    },
    ...(clockStart !== undefined ? { clockStart } : {}),
    cwd: repoPath(),
    log,
  });

  let wsPort: number;
  let bridgeScript: string;
  try {
    wsPort = await core.start();
    const socketUrl = `ws://127.0.0.1:${wsPort}${SOCKET_PATH}`;
    bridgeScript = await bundleBridge(`${socketUrl}?${TOKEN_PARAM}=${encodeURIComponent(token)}`);
  } catch (error) {
    await core.stop();
    server.close();
    throw error;
  }
  site = createSite({
    rendererDir,
    httpPort,
    wsPort,
    token,
    bridgeScript,
    moveClock: core.hasManualClock ? (change) => core.moveClock(change) : null,
  });

  let stopped: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${httpPort}/`,
    token,
    wsPort,
    socketUrl: `ws://127.0.0.1:${wsPort}${SOCKET_PATH}`,
    corePid: () => core.pid,
    advanceClock: (ms) => core.moveClock({ advanceMs: ms }),
    setClock: (epochMs) => core.moveClock({ set: epochMs }),
    stop: () =>
      (stopped ??= (async () => {
        await core.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('the harness has no TCP address'));
      else resolve(address.port);
    });
  });
}

function parseTime(value: string | number): number {
  const t = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isSafeInteger(t) || t < 0) throw new Error(`--clock: not a time: ${String(value)} (use ISO 8601, e.g. 2026-11-27T09:00:00+08:00)`);
  return t;
}

// ---- the command line ----

const usage = `Usage: npm run harness -- --data <folder> [--port <n>] [--renderer <dir>]
                          [--clock <ISO time>] [--idle-lock-ms <n>] [--scrypt-cost <n>] [--watch <folder>]`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name}: expected a non-negative integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      renderer: { type: 'string' },
      clock: { type: 'string' },
      'idle-lock-ms': { type: 'string' },
      'scrypt-cost': { type: 'string' },
      watch: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (!values.data) throw new Error(`--data <folder> is required.\n${usage}`);
  // npm run changes into the package folder; relative paths mean the caller's folder.
  const base = process.env.INIT_CWD ?? process.cwd();
  const rendererDir = values.renderer ? path.resolve(base, values.renderer) : DEFAULT_RENDERER_DIR;
  if (!rendererBuilt(rendererDir)) console.error(`Station harness: ${rendererDir}/index.html is missing. ${RENDERER_MISSING}`);

  const port = integer('port', values.port);
  const idleLockMs = integer('idle-lock-ms', values['idle-lock-ms']);
  const scryptCost = integer('scrypt-cost', values['scrypt-cost']);
  const harness = await startHarness({
    dataDir: path.resolve(base, values.data),
    rendererDir,
    ...(port !== undefined ? { port } : {}),
    ...(values.clock !== undefined ? { clock: values.clock } : {}),
    ...(idleLockMs !== undefined ? { idleLockMs } : {}),
    ...(scryptCost !== undefined ? { scryptCost } : {}),
    ...(values.watch !== undefined ? { watch: values.watch } : {}),
  });
  console.log(`Station harness: ${harness.url}`);
  if (values.clock !== undefined) {
    console.error(
      `Station harness: manual clock; move it with\n  curl -X POST -H '${TOKEN_HEADER}: ${harness.token}' -H 'Content-Type: application/json' -d '{"advanceMs": 60000}' ${harness.url.replace(/\/$/, '')}${CLOCK_PATH}`,
    );
  }
  const shutdown = () => {
    harness.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return fs.realpathSync(entry) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((error: unknown) => {
    console.error(`Station harness: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
