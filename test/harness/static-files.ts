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

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
};

/** With nosniff on, a wrong type breaks the page, so unknown files are served as opaque bytes. */
export function contentTypeOf(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
