#!/usr/bin/env node
// Bundles the Electron shell with esbuild into dist-electron/:
//   main.cjs          Electron main (electron/main.ts)
//   preload.cjs       the sandboxed preload: must be one CommonJS file, since a
//                     sandboxed preload can require only 'electron' and cannot be ESM
//   utility-host.cjs  the core's utility process (electron/host/utility-host.ts)
//   vendor-child.cjs  the process a camera vendor's USB library is loaded in (docking/vendor/child.ts)
// 'electron' is provided by the runtime; better-sqlite3 and koffi stay external
// because they load native modules (from node_modules, or the Electron build passed in);
// pdfkit (the seal sheet, electron/core/audit/seal-pdf.ts) because it loads its standard
// fonts with a runtime require of its own '#standard-fonts/…' imports and reads data files
// beside itself, which a bundle cannot resolve: it runs from node_modules, where
// electron-builder puts it as a production dependency.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultOutdir = path.join(root, 'dist-electron');

// electron/core/paths.ts finds the source tree from import.meta.url, which a
// CommonJS bundle does not have. The hosts always pass explicit paths, but
// rather than leave import.meta.url empty (a confusing crash if that code is
// ever reached), give it the bundle's own file URL: from dist-electron/ the
// walk up still finds the repository in development.
const importMetaUrl = {
  banner: { js: 'const __bundleFileUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__bundleFileUrl' },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 45 runs Node 22 and Chromium 140.
  target: ['node22', 'chrome140'],
  external: ['electron', 'better-sqlite3', 'koffi', 'pdfkit'],
  sourcemap: 'linked',
  logLevel: 'warning',
  // The bundles are CommonJS inside a "type": "module" package; the .cjs
  // extension is what tells Node and Electron so.
  outExtension: { '.js': '.cjs' },
  absWorkingDir: root,
};

/** Builds all three bundles; resolves to esbuild's results. */
export async function buildElectron({ production = process.env.NODE_ENV === 'production', outdir = defaultOutdir } = {}) {
  // Clear only what an earlier build wrote (never a whole folder someone named by mistake).
  mkdirSync(outdir, { recursive: true });
  for (const name of readdirSync(outdir)) {
    if (/\.cjs(\.map)?$/.test(name)) rmSync(path.join(outdir, name), { force: true });
  }
  const define = { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') };
  const node = { ...common, ...importMetaUrl, define: { ...define, ...importMetaUrl.define }, outdir };
  return Promise.all([
    // Main relays calls without validating them (the core does): it imports only
    // shared/events.ts, never the schemas.
    build({ ...node, entryPoints: { main: 'electron/main.ts' } }),
    build({ ...node, entryPoints: { 'utility-host': 'electron/host/utility-host.ts' } }),
    // The copy worker is its own entry beside the utility host (worker-entry.ts finds it by this name).
    build({ ...node, entryPoints: { 'copy-worker': 'electron/core/ingest/copy/worker.ts' } }),
    // The disc PDFs' worker likewise (export/pdf.ts finds it by this name).
    build({ ...node, entryPoints: { 'pdf-worker': 'electron/core/export/pdf-worker.ts' } }),
    // The vendor library's process: main starts it as a utility process for the core (main.ts and
    // docking/vendor/child-entry.ts find it by this name; docs/vendor-library.md says why main).
    build({ ...node, entryPoints: { 'vendor-child': 'electron/core/docking/vendor/child.ts' } }),
    build({
      ...common,
      define,
      entryPoints: { preload: 'electron/preload.ts' },
      outdir,
      // The sandboxed preload has no Node built-ins at all: fail the build if one sneaks in.
      platform: 'browser',
      external: ['electron'],
    }),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `--outdir <dir>`: tests build into a temporary folder, leaving dist-electron/ alone.
  const at = process.argv.indexOf('--outdir');
  const outdir = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : defaultOutdir;
  buildElectron({ outdir }).then(
    () => console.log(`Electron 外壳已构建 / Electron shell built: ${outdir.startsWith(root + path.sep) ? path.relative(root, outdir) : outdir}/{main,preload,utility-host,copy-worker,pdf-worker,vendor-child}.cjs`),
    (e) => {
      console.error('Electron 外壳构建失败 / Electron shell build failed', e?.message ?? e);
      process.exit(1);
    },
  );
}
