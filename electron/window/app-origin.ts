// Where the renderer lives: a custom privileged scheme served from the app's
// own files, never file:// (whose pages Chromium treats as one big origin) and
// never the network. No `electron` import: the sender check and its tests use this.

export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
/** As Chromium spells the origin of a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Sent with every response of the app scheme. No inline script or style, nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * True when `url` is a page of our origin: scheme and host exact, no user
 * info, no port. Node's URL gives custom schemes an opaque origin ("null"),
 * so the parts are compared instead of `.origin`.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    // Chromium lowercases the host of a standard scheme; Node keeps it as written.
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
