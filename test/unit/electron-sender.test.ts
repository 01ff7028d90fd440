// The IPC relay's sender rule: only the top frame of a page of our own origin.
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAppUrl } from '../../electron/window/app-origin.js';
import { isTrustedSender } from '../../electron/ipc/sender-check.js';

describe('isTrustedSender', () => {
  it('accepts our top frame, at any path of our origin', () => {
    expect(isTrustedSender('app://station/index.html', true)).toBe(true);
    expect(isTrustedSender('app://station/', true)).toBe(true);
    expect(isTrustedSender('app://station/people?x=1#top', true)).toBe(true);
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, true)).toBe(true);
  });

  it('refuses a frame that is not the top frame, even of our origin', () => {
    expect(isTrustedSender('app://station/index.html', false)).toBe(false);
  });

  it('refuses other origins and look-alikes', () => {
    for (const url of [
      'https://station/index.html',
      'http://localhost:5173/',
      'file:///work/main/dist/renderer/index.html',
      'app://station.evil.example/',
      'app://evil/station',
      'app://station:8080/',
      'app://user@station/',
      'app://user:pw@station/',
      'apps://station/',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'app:station',
      'app:///station',
    ]) {
      expect(isTrustedSender(url, true), url).toBe(false);
    }
  });

  it('refuses a frame that is gone or has no URL', () => {
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender(null, true)).toBe(false);
    expect(isTrustedSender('', true)).toBe(false);
    expect(isTrustedSender('not a url', true)).toBe(false);
  });

  it('compares the host exactly, since Node gives custom schemes an opaque origin', () => {
    expect(new URL('app://station/').origin).toBe('null'); // why isAppUrl compares parts
    expect(isAppUrl('APP://STATION/index.html')).toBe(true); // scheme and host are case-insensitive
  });
});
