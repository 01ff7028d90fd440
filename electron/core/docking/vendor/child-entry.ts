// Where the vendor library's child program is, for the fork launcher
// (launcher.ts), in the three ways the core runs (as
// ingest/copy/worker-entry.ts does for the copy worker):
//
// - From TypeScript sources (tsx, vitest, `npm run station`): this file is
//   child-entry.ts and the child is child.ts beside it. Unlike a worker
//   thread, a child *process* takes tsx as a plain `--import` of tsx's loader,
//   resolved here to a file URL so that it works from any cwd.
// - Compiled file by file (tsc): child-entry.js → child.js beside it.
// - Bundled (esbuild, the Electron utility process): import.meta.url is the
//   bundle's own file (scripts/build-electron.mjs defines it so) and the child
//   is its own entry beside it, named vendor-child.<ext>:
//     build({ ...node, entryPoints: { 'vendor-child': 'electron/core/docking/vendor/child.ts' } })
//   with koffi external. In the app the core does not fork it: Electron main
//   starts that same file as a utility process (electron/host/vendor-broker.ts,
//   by this name), because the packaged app's runAsNode fuse makes Electron
//   ignore ELECTRON_RUN_AS_NODE=1 (docs/vendor-library.md). The variable is
//   still set for a fork under Electron, which works only unpackaged.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ChildEntry {
  /** The script child_process.fork runs. */
  modulePath: string;
  /** Node options for the child (tsx's loader under TypeScript sources). */
  execArgv: string[];
  /** Added to the environment the child inherits. */
  env: Record<string, string>;
}

/** The name a bundler must give the child entry (see above); main starts `dist-electron/<this>.cjs`. */
export const BUNDLED_CHILD_NAME = 'vendor-child';

/** The file URL of tsx's loader (`tsx`'s `.` export, its `import` condition). */
function tsxLoaderUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports;
  // A plain path, or conditions: the `import` one (else `default`), possibly nested.
  const pick = (e: unknown): string | undefined =>
    typeof e === 'string' ? e : typeof e === 'object' && e !== null ? pick((e as Record<string, unknown>).import ?? (e as Record<string, unknown>).default) : undefined;
  const file = pick(exports?.['.']);
  if (!file) throw new Error(`tsx at ${path.dirname(manifest)} has no loader export; cannot start the vendor library's process from TypeScript sources`);
  return pathToFileURL(path.join(path.dirname(manifest), file)).href;
}

/** Electron's binary runs scripts as Node only when told so. */
function runAsNode(): Record<string, string> {
  return process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
}

export function defaultChildEntry(): ChildEntry {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  if (ext === '.ts' || ext === '.mts') {
    return { modulePath: fileURLToPath(new URL('./child.ts', import.meta.url)), execArgv: ['--import', tsxLoaderUrl()], env: runAsNode() };
  }
  if (path.basename(here, ext) === 'child-entry') return { modulePath: fileURLToPath(new URL(`./child${ext}`, import.meta.url)), execArgv: [], env: runAsNode() };
  return { modulePath: fileURLToPath(new URL(`./${BUNDLED_CHILD_NAME}${ext}`, import.meta.url)), execArgv: [], env: runAsNode() };
}
