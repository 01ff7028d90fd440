import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { WireMessage } from '../../shared/contract.js';
import { contentSecurityPolicy, TOKEN_HEADER } from '../harness/site.js';
import { expect, scanAccessibility, screenshot, test as base } from './fixtures.js';

// Proves the harness's transport on its own, without the app's UI: a probe
// page stands in for the renderer, and window.station is driven from it.

const ADMIN = { badge: '000001', name: '管理员', password: 'correct horse battery' };

/** A minimal "renderer": a page, a same-origin script that records whether window.station existed when it ran. */
const test = base.extend<object, { probeDir: string }>({
  probeDir: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-probe-'));
      fs.writeFileSync(
        path.join(dir, 'index.html'),
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Harness probe</title>' +
          '<script src="/probe.js"></script></head><body><main><h1>探针 / Probe</h1></main></body></html>',
      );
      fs.writeFileSync(path.join(dir, 'probe.js'), 'document.documentElement.dataset.stationAtLoad = typeof window.station;\n');
      // A page with a critical accessibility fault (an image without alt text), to prove the scan can fail.
      fs.writeFileSync(
        path.join(dir, 'inaccessible.html'),
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head><body><main><img src="/probe.png"></main></body></html>',
      );
      // A link out of the renderer folder: the server must not follow it.
      fs.symlinkSync('/etc/hostname', path.join(dir, 'escape.txt'));
      await use(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});
test.use({ harnessOptions: async ({ probeDir }, use) => use({ rendererDir: probeDir }) });

/** GET with the path sent exactly as written (fetch and URL would fold `..` away). */
function rawGet(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket from Node; resolves 'open' or the HTTP status the server refused the upgrade with. */
function trySocket(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket | null; outcome: 'open' | number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws, outcome: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws: null, outcome: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

test('serves the renderer with the bridge first, under the strict CSP', async ({ harness, page, request }) => {
  const response = await request.get(harness.url);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-security-policy']).toBe(contentSecurityPolicy(harness.wsPort));
  expect(response.headers()['content-security-policy']).toContain(`connect-src ws://127.0.0.1:${harness.wsPort};`);
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  const html = await response.text();
  const bridgeAt = html.indexOf('<script src="/__harness/bridge.js"></script>');
  expect(bridgeAt).toBeGreaterThan(html.indexOf('<head>'));
  expect(bridgeAt).toBeLessThan(html.indexOf('<script src="/probe.js">'));

  await page.goto(harness.url);
  // The app's first script already sees window.station, as it does under the preload.
  await expect(page.locator('html')).toHaveAttribute('data-station-at-load', 'object');
  const frozen = await page.evaluate(() => {
    try {
      (window as unknown as { station: unknown }).station = {};
    } catch {
      // strict mode would throw; the page's script is sloppy, so check the value below
    }
    return Object.isFrozen(window.station) && typeof window.station?.invoke === 'function';
  });
  expect(frozen).toBe(true);
  await screenshot(page, 'harness-probe');
  expect(fs.existsSync(path.join('test-results', 'screenshots', 'harness-probe.png'))).toBe(true);
});

test('refuses paths that leave the renderer folder', async ({ harness }) => {
  for (const attempt of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/../../etc/passwd', '/escape.txt', '/probe.js%00.html']) {
    const { status, body } = await rawGet(harness.url, attempt);
    expect.soft(status, attempt).toBeGreaterThanOrEqual(400);
    expect.soft(body, attempt).not.toContain('root:');
  }
  expect((await rawGet(harness.url, '/probe.js')).status).toBe(200);
});

test('window.station.invoke reaches the core', async ({ harness, page }) => {
  await page.goto(harness.url);
  const status = await page.evaluate(() => window.station!.invoke('station.status', {}));
  expect(status.ok).toBe(true);
  if (!status.ok) return;
  expect(status.value.initialized).toBe(false);
  expect(status.value.timeZone).toBe('Asia/Shanghai');

  const unknown = await page.evaluate(() =>
    (window.station!.invoke as (name: string, input: unknown) => Promise<unknown>)('station.selfDestruct', {}),
  );
  expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_call' } });

  const invalid = await page.evaluate(() => window.station!.invoke('station.setup', { badge: '', name: '', password: '' }));
  expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
});

test('the socket refuses a wrong or missing token and a foreign origin', async ({ harness }) => {
  expect((await trySocket(`${harness.socketUrl}?token=not-the-token`)).outcome).toBe(401);
  expect((await trySocket(harness.socketUrl)).outcome).toBe(401);
  expect((await trySocket(`${harness.socketUrl.replace('/station', '/other')}?token=${harness.token}`)).outcome).toBe(404);
  const good = `${harness.socketUrl}?token=${encodeURIComponent(harness.token)}`;
  expect((await trySocket(good, { Origin: 'http://evil.example' })).outcome).toBe(403);

  // Without an Origin (a script, not the page) or with another Host (a DNS name rebound to
  // 127.0.0.1), the right token is not enough.
  expect((await trySocket(good)).outcome).toBe(403);
  const page = new URL(harness.url).origin;
  expect((await trySocket(good, { Origin: page, Host: 'rebound.example' })).outcome).toBe(403);
  // The harness's own page is served, under either loopback name.
  const viaLocalhost = await trySocket(good.replace('127.0.0.1', 'localhost'), { Origin: page });
  expect(viaLocalhost.outcome).toBe('open');
  viaLocalhost.ws!.close();
  const { ws, outcome } = await trySocket(good, { Origin: page });
  expect(outcome).toBe('open');
  const answer = new Promise<WireMessage>((resolve) => ws!.once('message', (data) => resolve(JSON.parse(String(data)) as WireMessage)));
  ws!.send(JSON.stringify({ kind: 'invoke', id: 7, name: 'station.status', input: {} }));
  expect(await answer).toMatchObject({ kind: 'result', id: 7, result: { ok: true, value: { initialized: false } } });

  // Something that is not a WireRequest closes that socket; the core stays up for everyone else.
  const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
  ws!.send('{"kind":"hello"}');
  expect(await closed).toBe(1008);
  const again = await trySocket(good, { Origin: page });
  expect(again.outcome).toBe('open');
  again.ws!.close();
});

test('core events reach listeners registered with window.station.on', async ({ harness, page }) => {
  await page.goto(harness.url);
  await page.evaluate(() => {
    const w = window as unknown as { seen: unknown[] };
    w.seen = [];
    window.station!.on('audit.appended', (payload) => w.seen.push(payload));
  });
  const setup = await page.evaluate((admin) => window.station!.invoke('station.setup', admin), ADMIN);
  expect(setup.ok).toBe(true);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen))
    .toContainEqual(expect.objectContaining({ seq: expect.any(Number), action: expect.any(String) }));
});

test('a core that dies is restarted and the page is told', async ({ harness, page }) => {
  await page.goto(harness.url);
  expect((await page.evaluate((admin) => window.station!.invoke('station.setup', admin), ADMIN)).ok).toBe(true);
  await page.evaluate(() => {
    const w = window as unknown as { restarts: number };
    w.restarts = 0;
    window.station!.on('core.restarted', () => (w.restarts += 1));
  });

  const firstPid = harness.corePid();
  expect(firstPid).not.toBeNull();
  process.kill(firstPid!, 'SIGKILL');

  await expect.poll(() => page.evaluate(() => (window as unknown as { restarts: number }).restarts), { timeout: 15_000 }).toBe(1);
  expect(harness.corePid()).not.toBe(firstPid);
  // Same data folder, so the station is still set up; a new connection, so the old session is gone.
  const status = await page.evaluate(() => window.station!.invoke('station.status', {}));
  expect(status).toMatchObject({ ok: true, value: { initialized: true } });
  const session = await page.evaluate(() => window.station!.invoke('auth.session', {}));
  expect(session).toEqual({ ok: true, value: null });
});

test('the accessibility scan passes a clean page and fails a broken one', async ({ harness, page }) => {
  await page.goto(harness.url);
  await scanAccessibility(page, 'harness-probe');
  await page.goto(new URL('/inaccessible.html', harness.url).href);
  await expect(scanAccessibility(page, 'inaccessible')).rejects.toThrow(/\[critical\] image-alt/);
});

test('the clock endpoint is off unless the harness was started with --clock', async ({ harness, request }) => {
  const response = await request.post(new URL('/__harness/clock', harness.url).href, {
    headers: { [TOKEN_HEADER]: harness.token },
    data: { advanceMs: 1000 },
  });
  expect(response.status()).toBe(404);
});

test.describe('with a manual clock', () => {
  const start = '2026-11-27T09:00:00+08:00';
  test.use({
    harnessOptions: async ({ probeDir }, use) => use({ rendererDir: probeDir, clock: start, idleLockMs: 60_000 }),
  });

  test('moving the clock locks an idle session, and only with the token', async ({ harness, page, request }) => {
    await page.goto(harness.url);
    expect((await page.evaluate((admin) => window.station!.invoke('station.setup', admin), ADMIN)).ok).toBe(true);
    await page.evaluate(() => {
      const w = window as unknown as { locked: unknown[] };
      w.locked = [];
      window.station!.on('session.locked', (payload) => w.locked.push(payload));
    });
    const clockUrl = new URL('/__harness/clock', harness.url).href;

    expect((await request.post(clockUrl, { data: { advanceMs: 61_000 } })).status()).toBe(403);
    expect((await request.post(clockUrl, { headers: { [TOKEN_HEADER]: 'wrong' }, data: { advanceMs: 61_000 } })).status()).toBe(403);
    expect((await request.post(clockUrl, { headers: { [TOKEN_HEADER]: harness.token }, data: { advanceMs: -5 } })).status()).toBe(400);
    // Still within the idle time: nothing locked.
    expect((await page.evaluate(() => window.station!.invoke('auth.session', {}))).ok).toBe(true);

    const moved = await request.post(clockUrl, { headers: { [TOKEN_HEADER]: harness.token }, data: { advanceMs: 61_000 } });
    expect(moved.status()).toBe(200);
    expect(await moved.json()).toEqual({ now: Date.parse(start) + 61_000 });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { locked: unknown[] }).locked))
      .toEqual([{ at: Date.parse(start) + 61_000 }]);
    const people = await page.evaluate(() => window.station!.invoke('people.list', {}));
    expect(people).toMatchObject({ ok: false, error: { code: 'session_locked' } });

    // The programmatic API moves the same clock.
    expect(await harness.advanceClock(1000)).toBe(Date.parse(start) + 62_000);
  });

  test('a restarted core resumes at the time its clock had reached', async ({ harness }) => {
    const moved = await harness.advanceClock(3_600_000);
    const firstPid = harness.corePid();
    process.kill(firstPid!, 'SIGKILL');
    await expect.poll(() => harness.corePid(), { timeout: 15_000 }).not.toBe(null);
    await expect.poll(() => harness.corePid()).not.toBe(firstPid);
    await expect.poll(() => harness.advanceClock(0).catch(() => null), { timeout: 15_000 }).toBe(moved);
  });
});
