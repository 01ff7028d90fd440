import fs from 'node:fs';
import path from 'node:path';

// Finding a file of the built renderer for a URL path, and only inside it:
// the harness listens on loopback, but any local program or page can reach it.

export type Lookup =
  | { kind: 'file'; file: string }
  | { kind: 'missing' }
  /** Encoded garbage, a NUL, or a path that leaves the renderer folder. */
  | { kind: 'refused' };

export function lookupFile(rootDir: string, urlPath: string): Lookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' };
  const root = path.resolve(rootDir);
  // path.join folds `..` away, so an escape shows as a result outside the root.
  const candidate = path.join(root, decoded);
  if (!isInside(root, candidate)) return { kind: 'refused' };
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { kind: 'missing' };
  }
  // A symlink inside the build must not lead outside it either.
  if (!isInside(fs.realpathSync(root), real)) return { kind: 'refused' };
  if (!fs.statSync(real).isFile()) return { kind: 'missing' };
  return { kind: 'file', file: real };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

// The same content types the app's own protocol handler sends: the renderer is
// served the same way in the harness and in Electron.
export { contentTypeFor as contentTypeOf } from '../../electron/window/renderer-files.js';
