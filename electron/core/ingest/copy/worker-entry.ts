// Where the copy worker's code is, for `new Worker(...)`. Three ways the core runs:
//
// - From TypeScript sources (tsx, vitest, `npm run station`): this file is
//   worker-entry.ts and the worker is worker.ts beside it. A worker thread
//   inherits neither vitest's transform nor tsx's hooks, and on Node 20
//   `execArgv: ['--import', 'tsx']` does not reach a worker's module loader
//   (ERR_UNKNOWN_FILE_EXTENSION), so the worker is a one-line ESM bootstrap
//   (a data: URL) that loads worker.ts through tsx's `tsImport`, which scopes
//   tsx's hooks to that module graph. tsx is resolved to a file URL, so this
//   works from any cwd.
// - Compiled file by file (tsc): worker-entry.js → worker.js beside it.
// - Bundled (esbuild, the Electron utility process): import.meta.url is the
//   bundle's own file (scripts/build-electron.mjs defines it so), and the
//   worker must be built as its own entry in the same folder, named
//   copy-worker.<ext>:
//     build({ ...node, entryPoints: { 'copy-worker': 'electron/core/ingest/copy/worker.ts' } })
//   giving dist-electron/copy-worker.cjs beside utility-host.cjs.
import fs, { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** The worker script. */
  url: URL;
  /** Node options for the worker thread (e.g. a loader). */
  execArgv: string[];
}

/** The name a bundler must give the worker entry (see above). */
export const BUNDLED_WORKER_NAME = 'copy-worker';

/**
 * The file URL of tsx's ESM API. require.resolve would pick the CommonJS
 * build (the `require` condition), so follow the package's `import` export.
 */
function tsxEsmApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> }).exports;
  const entry = exports?.['./esm/api'];
  const target = typeof entry === 'object' ? entry.import?.default : undefined;
  if (!target) throw new Error(`tsx at ${path.dirname(manifest)} has no ESM API export; cannot start the copy worker from TypeScript sources`);
  return pathToFileURL(path.join(path.dirname(manifest), target)).href;
}

/**
 * Where a worker's code is, for any worker of the core (the copy engine's, the disc sheets'):
 * `callerUrl` is the import.meta.url of the module beside the worker's source, `source` the
 * worker's file name without extension there, `bundled` its entry's name in the bundle.
 */
export function workerEntry(callerUrl: string, source: string, bundled: string): WorkerEntry {
  const here = fileURLToPath(callerUrl);
  const ext = path.extname(here);
  if (ext === '.ts' || ext === '.mts') {
    const tsxApi = tsxEsmApiUrl();
    const worker = new URL(`./${source}.ts`, callerUrl).href;
    const bootstrap = `import { tsImport } from ${JSON.stringify(tsxApi)};\nawait tsImport(${JSON.stringify(worker)}, ${JSON.stringify(worker)});\n`;
    return { url: new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), execArgv: [] };
  }
  // Compiled file by file: the worker beside its caller; bundled: its own entry beside the bundle.
  if (fs.existsSync(new URL(`./${source}${ext}`, callerUrl))) return { url: new URL(`./${source}${ext}`, callerUrl), execArgv: [] };
  return { url: new URL(`./${bundled}${ext}`, callerUrl), execArgv: [] };
}

export function defaultWorkerEntry(): WorkerEntry {
  return workerEntry(import.meta.url, 'worker', BUNDLED_WORKER_NAME);
}
