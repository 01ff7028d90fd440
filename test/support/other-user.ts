// For a test that runs code as another user (setpriv --reuid): that user may
// not enter the checkout (a clone under /root is mode 0700), so neither the
// sources nor node_modules (tsx) can be read from there. The code is bundled
// with esbuild into one self-contained file, in a folder of its own under
// os.tmpdir() that anyone may enter and read; the child runs it with plain
// Node, with that folder as its working directory.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './station.js';

/**
 * Bundles `source` (TypeScript, an ES module; its relative imports are resolved
 * from `resolveDir`) with everything it imports except Node's built-ins, and
 * writes it as `<dir>/<name>` in a new folder of mode 0755. Returns both paths.
 */
export async function bundleForAnotherUser(source: string, resolveDir: string, name = 'run.mjs'): Promise<{ dir: string; file: string }> {
  const dir = tempDir('other-user-');
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, name);
  await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: name },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: file,
    logLevel: 'silent',
  });
  fs.chmodSync(file, 0o644);
  // Every folder above it must let others through (os.tmpdir() is, see temp-root.ts): say so plainly if not.
  for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) {
    if ((fs.statSync(up).mode & 0o001) === 0) throw new Error(`another user cannot reach ${file}: ${up} is not searchable by others (mode ${(fs.statSync(up).mode & 0o7777).toString(8)})`);
  }
  return { dir, file };
}
