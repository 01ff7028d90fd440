// The app:// file server's rules: the renderer folder only, with the CSP on every answer.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/window/app-origin.js';
import { contentTypeFor, resolveRendererRequest, responseHeaders } from '../../electron/window/renderer-files.js';

const root = path.resolve('/srv/app/dist/renderer');

describe('resolveRendererRequest', () => {
  it('serves index.html for the root and files by their path', () => {
    expect(resolveRendererRequest(root, 'app://station/')).toEqual({ kind: 'file', file: path.join(root, 'index.html'), fallback: null });
    expect(resolveRendererRequest(root, 'app://station/assets/index-abc.js')).toEqual({
      kind: 'file',
      file: path.join(root, 'assets', 'index-abc.js'),
      fallback: null,
    });
  });

  it('falls back to the app entry for routes but not for missing assets', () => {
    const route = resolveRendererRequest(root, 'app://station/people');
    expect(route).toMatchObject({ kind: 'file', fallback: path.join(root, 'index.html') });
    expect(resolveRendererRequest(root, 'app://station/assets/missing.css')).toMatchObject({ fallback: null });
  });

  it('decodes percent-encoded names (Chinese file names)', () => {
    const r = resolveRendererRequest(root, 'app://station/fonts/%E5%AD%97%E4%BD%93.woff2');
    expect(r).toMatchObject({ kind: 'file', file: path.join(root, 'fonts', '字体.woff2') });
  });

  it('never leaves the renderer folder', () => {
    for (const url of [
      'app://station/..%5C..%5Cetc%5Cpasswd',
      'app://station/assets/..%5C..%5C..%5Cpackage.json',
      'app://station/%2e%2e%5cpackage.json',
      'app://station/C:/Windows/win.ini',
      'app://station/c%3A%5CWindows%5Cwin.ini',
    ]) {
      const r = resolveRendererRequest(root, url);
      expect(r.kind, url).toBe('refused');
      if (r.kind === 'refused') expect(r.status, url).toBe(403);
    }
    // The URL parser folds plain and %2e dot segments before we see them: still inside.
    for (const url of ['app://station/../../etc/passwd', 'app://station/%2e%2e/%2e%2e/etc/passwd', 'app://station//etc/passwd']) {
      const r = resolveRendererRequest(root, url);
      expect(r.kind === 'file' && r.file.startsWith(root + path.sep), url).toBe(true);
    }
  });

  it('refuses malformed requests and other origins', () => {
    expect(resolveRendererRequest(root, 'app://station/%E5%AD')).toMatchObject({ kind: 'refused', status: 400 });
    expect(resolveRendererRequest(root, 'app://station/a%00.js')).toMatchObject({ kind: 'refused', status: 400 });
    expect(resolveRendererRequest(root, 'app://other/index.html')).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveRendererRequest(root, 'app://station:99/index.html')).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveRendererRequest(root, 'https://station/index.html')).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveRendererRequest(root, '::')).toMatchObject({ kind: 'refused', status: 400 });
  });
});

describe('responses', () => {
  it('carry the strict CSP and nosniff', () => {
    const h = responseHeaders('text/html; charset=utf-8');
    expect(h['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('name the type of what Vite builds', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/a.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});
