// The media endpoint (issue 20): a clip plays only through viewing.open and the endpoint's view id,
// with HTTP Range so a seek is one request, each chunk served under the grant. Driven over real
// HTTP against the harness's loopback server (the app's app://station/media/ answers with the same
// core code, media/endpoint.ts), with real ingested clips and the station's injected clock.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SocketServer } from '../harness/socket-server.js';
import { startSocketServer } from '../harness/socket-server.js';
import { TOKEN_PARAM } from '../harness/limits.js';
import { camera } from '../support/ingest.js';
import { tempDir, withAdmin } from '../support/station.js';
import { undoAfterEach } from '../support/cleanup.js';
import type { Role } from '../../shared/roles.js';
import { makeHevcClip, streamsOf } from './media-footage.js';
import type { ViewingStation } from './viewing-support.js';
import { approvedClips, needlesOf, viewingStations } from './viewing-support.js';

const { open } = viewingStations();
const TOKEN = 'media-endpoint-test-token-0123456789abcdef';

let server: SocketServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, path: string, options: { range?: string; method?: string; host?: string; token?: string | null } = {}): Promise<Got> {
  const token = options.token === undefined ? TOKEN : options.token;
  const query = token === null ? '' : `?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `${path}${query}`,
        method: options.method ?? 'GET',
        headers: { ...(options.range ? { Range: options.range } : {}), Host: options.host ?? `127.0.0.1:${port}` },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function serve(t: { station: ViewingStation['station'] }): Promise<number> {
  server = await startSocketServer({ station: t.station, token: TOKEN, port: 0, allowedOrigins: ['http://127.0.0.1:1'], log: () => undefined });
  return server.port;
}

describe('the media endpoint', () => {
  it('plays a clip under a grant with HTTP Range: start, a seek to the middle, the rest and HEAD; each answer the vault\'s bytes', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    await approvedClips(t, t.officer.client, [clip.id], 2);
    const view = await t.officer.client.ok('viewing.open', { clipId: clip.id });
    // What the window learns: an id and what to show over the picture; never a place in the vault.
    expect(view).toMatchObject({ clipId: clip.id, proxy: false, viewer: { id: t.officer.person.id }, grantId: expect.any(Number), expiresAt: expect.any(Number) });
    expect(JSON.stringify(view)).not.toContain(clip.vaultPath);
    const port = await serve(t);
    const path = `/media/${view.viewId}`;

    const first = await get(port, path, { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${clip.size}`);
    expect(first.headers['accept-ranges']).toBe('bytes');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body.equals(t.bytesOf(clip, 0, 99))).toBe(true);

    const middle = Math.floor(clip.size / 2);
    const seek = await get(port, path, { range: `bytes=${middle}-` });
    expect(seek.status).toBe(206);
    expect(seek.headers['content-range']).toBe(`bytes ${middle}-${clip.size - 1}/${clip.size}`);
    expect(seek.body.equals(t.bytesOf(clip, middle, clip.size - 1))).toBe(true);

    const whole = await get(port, path);
    expect(whole.status).toBe(200);
    expect(Number(whole.headers['content-length'])).toBe(clip.size);
    expect(whole.body.equals(t.bytesOf(clip, 0, clip.size - 1))).toBe(true);

    const head = await get(port, path, { method: 'HEAD', range: 'bytes=10-19' });
    expect(head).toMatchObject({ status: 206, body: Buffer.alloc(0) });
    expect(head.headers['content-length']).toBe('10');

    expect((await get(port, path, { range: `bytes=${clip.size}-` })).status).toBe(416);
    expect((await get(port, path, { range: 'bytes=0-1,5-9' })).status).toBe(416);
    // Every byte handed out is counted in the register row.
    expect(t.registerRows()).toEqual([expect.objectContaining({ viewer_id: t.officer.person.id, clip_id: clip.id, closed_at: null, bytes_served: 100 + (clip.size - middle) + clip.size })]);
    expect(await t.officer.client.ok('viewing.close', { viewId: view.viewId })).toEqual({ wasOpen: true, because: 'closed' });
    expect((await get(port, path, { range: 'bytes=0-99' })).status).toBe(404);
    expect(t.registerRows()[0]).toMatchObject({ closed_because: 'closed' });
  });

  it('refuses without the token, under another Host name, for an unknown view, and without a grant', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    await approvedClips(t, t.officer.client, [clip.id], 2);
    const view = await t.officer.client.ok('viewing.open', { clipId: clip.id });
    const port = await serve(t);
    const path = `/media/${view.viewId}`;
    expect((await get(port, path, { token: null })).status).toBe(401);
    expect((await get(port, path, { token: 'not-the-token' })).status).toBe(401);
    expect((await get(port, path, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(port, `/media/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await get(port, `/media/${view.viewId}/../x`)).status).toBe(404);
    expect((await get(port, path, { method: 'POST' })).status).toBe(405);
    for (const g of [await get(port, path, { token: null }), await get(port, `/media/${'0'.repeat(32)}`)]) expect(g.body.length).toBeLessThan(200);
    // No other path of the server gives bytes: near misses of the view's path, the vault's own paths.
    const needles = needlesOf(fs.readFileSync(clip.absolute));
    const near = ['/', '/media', '/media/', `/media/${view.viewId}x`, `/media/${view.viewId.toUpperCase()}`, `/media/${view.viewId}/`, '/station', `/${clip.vaultPath}`, `/media/../${clip.vaultPath}`, `/vault/${clip.vaultPath}`];
    for (const p of near) {
      const g = await get(port, p);
      expect(g.status, p).toBeGreaterThanOrEqual(400);
      expect(needles.some((n) => g.body.toString('latin1').includes(n) || g.body.toString('hex').includes(n)), p).toBe(false);
    }
    // Someone else cannot end the officer's view, nor learn it exists.
    expect(await t.custodian.client.ok('viewing.close', { viewId: view.viewId })).toEqual({ wasOpen: false, because: null });
    expect((await get(port, path, { range: 'bytes=0-9' })).status).toBe(206);
    // No grant: no view id at all.
    const refused = await t.custodian.client.connection.invoke('viewing.open', { clipId: clip.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'view_not_granted', details: { reason: 'no_grant' } } });
  });

  it('stops serving when the grant expires (injected clock) and when the viewer\'s window logs out; the register row says why', async () => {
    const t = await open();
    const [a, b] = t.clips;
    const { grant } = await approvedClips(t, t.officer.client, [a!.id, b!.id], 2);
    const port = await serve(t);

    const view = await t.officer.client.ok('viewing.open', { clipId: a!.id });
    expect((await get(port, `/media/${view.viewId}`, { range: 'bytes=0-99' })).status).toBe(206);
    t.clock.set(grant.expiresAt);
    const refused = await get(port, `/media/${view.viewId}`, { range: 'bytes=100-199' });
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toContain('查阅');
    // The player asks why its stream stopped.
    expect(await t.officer.client.ok('viewing.close', { viewId: view.viewId })).toEqual({ wasOpen: false, because: 'expired' });
    expect(t.registerRows()[0]).toMatchObject({ closed_at: grant.expiresAt, closed_because: 'expired', bytes_served: 100 });

    // A new grant; the window logs out mid-view: the next range is refused and the row closed.
    t.clock.set(grant.expiresAt + 60_000);
    await approvedClips(t, t.officer.client, [b!.id], 1);
    const again = await t.officer.client.ok('viewing.open', { clipId: b!.id });
    expect((await get(port, `/media/${again.viewId}`, { range: 'bytes=0-9' })).status).toBe(206);
    await t.officer.client.ok('auth.logout', {});
    expect((await get(port, `/media/${again.viewId}`, { range: 'bytes=10-19' })).status).toBe(401);
    expect(t.registerRows()[1]).toMatchObject({ clip_id: b!.id, closed_because: 'closed', bytes_served: 10 });
  });
});

describe('the media endpoint and the idle lock', () => {
  const cleanup = undoAfterEach();

  it('keeps a window that is playing awake; one that stops reading locks as usual, and its view ends', async () => {
    // A station with the usual ten-minute lock (the viewing stations lock after a year: their shifts move the clock by hours).
    const idle = 10 * 60_000;
    const t = await withAdmin({ idleLockMs: idle });
    cleanup(() => t.close());
    const login = async (badge: string, name: string, role: Role) => {
      const { person, oneTimePin } = await t.admin.ok('people.create', { badge, name, roles: [role] });
      const client = t.ui();
      await client.ok('auth.loginBadge', { badge, pin: oneTimePin });
      await client.ok('auth.changePin', { currentPin: oneTimePin, newPin: String(600_000 + Number(badge.slice(-5))) });
      return { person, client };
    };
    const officer = await login('100001', '张执法', 'officer');
    const head = await login('400001', '赵负责', 'department_head');
    await t.admin.ok('devices.register', { serial: 'DSJ-I1', keeperId: officer.person.id });
    const manifest = await camera({ serial: 'DSJ-I1', badge: '100001', clips: 2, seconds: 1, clockOffsetSeconds: 0, now: t.clock.now() });
    expect((await t.station.ingestFolder(manifest.root)).summary).toMatchObject({ state: 'done' });
    const clipId = t.station.db.prepare<[], { id: number }>("SELECT id FROM clip WHERE kind = 'video' AND size > 0 ORDER BY id LIMIT 1").get()!.id;
    const asked = await officer.client.ok('viewing.request', { reason: '核对', purpose: 'case_analysis', scope: 'clips', clipIds: [clipId], hours: 2 });
    await head.client.ok('viewing.approve', { id: asked.id, hours: 2 });
    const port = await serve(t);
    const view = await officer.client.ok('viewing.open', { clipId });
    const rows = () => t.station.db.prepare<[], { closed_because: string | null }>('SELECT closed_because FROM view_register ORDER BY id').all();

    // Reading a range every few minutes for longer than the idle lock: the player is being watched.
    for (let at = 0; at < 2 * idle; at += idle / 3) {
      t.clock.advance(idle / 3);
      expect((await get(port, `/media/${view.viewId}`, { range: 'bytes=0-9' })).status).toBe(206);
      t.station.lockIdleSessions();
    }
    expect(rows()).toEqual([{ closed_because: null }]);
    // Paused (no reads): the window locks, and the view is closed with it.
    t.clock.advance(idle);
    t.station.lockIdleSessions();
    expect(rows()).toEqual([{ closed_because: 'closed' }]);
    expect((await get(port, `/media/${view.viewId}`, { range: 'bytes=0-9' })).status).toBe(404);
  });
});

describe('the media endpoint, a proxy', () => {
  /** The viewing station's officer docks once more, with a 1080p HEVC recording the player cannot decode. */
  async function withHevc(t: ViewingStation): Promise<number> {
    const manifest = await camera({ serial: 'DSJ-V1', badge: '100001', clips: 2, seconds: 1, clockOffsetSeconds: 0, now: t.clock.now() });
    const first = manifest.files.find((f) => f.role === 'clip')!;
    const hevc = path.join(manifest.root, path.dirname(first.path), path.basename(first.path).replace(/_\d{4}(_IMP)?\.MP4$/i, '_0091.MP4'));
    await makeHevcClip(hevc, 4, '1920x1080');
    const { summary } = await t.station.ingestFolder(manifest.root);
    expect(summary).toMatchObject({ state: 'done', failed: 0 });
    return t.station.db.prepare<[], { id: number }>("SELECT id FROM clip WHERE video_codec = 'hevc' ORDER BY id DESC LIMIT 1").get()!.id;
  }

  const proxyFiles = (t: ViewingStation) => {
    const root = path.join(t.station.config.dataDir, 'derived');
    return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('proxy')) : [];
  };

  it('streams an HEVC clip as a fragmented H.264 MP4 as it is made, then serves the cached proxy with ranges; a secret clip\'s proxy never reaches a disk', async () => {
    const t = await open();
    const clipId = await withHevc(t);
    await t.head.client.ok('viewing.grant', { granteeId: t.office.person.id, purpose: 'supervision', reason: '执法监督', days: 30, scope: 'all' });
    const port = await serve(t);

    const view = await t.office.client.ok('viewing.open', { clipId, proxy: true });
    expect(view).toMatchObject({ proxy: true, mediaType: 'video/mp4', kind: 'video' });
    const streamed = await get(port, `/media/${view.viewId}`);
    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-length']).toBeUndefined(); // still being made when the answer began
    expect(streamed.headers['accept-ranges']).toBe('none');
    expect(streamed.body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const out = path.join(tempDir('proxy-'), 'streamed.mp4');
    fs.writeFileSync(out, streamed.body);
    expect((await streamsOf(out)).map((s) => s.codec_name)).toEqual(expect.arrayContaining(['h264']));
    expect(proxyFiles(t).some((f) => f.endsWith('proxy.mp4'))).toBe(true);

    // Made: a second view serves the cached proxy with its length, and seeks.
    const again = await t.office.client.ok('viewing.open', { clipId, proxy: true });
    const seek = await get(port, `/media/${again.viewId}`, { range: 'bytes=100-199' });
    expect(seek.status).toBe(206);
    expect(seek.body.equals(streamed.body.subarray(100, 200))).toBe(true);
    // The player that can decode HEVC after all asks for the original.
    expect(await t.office.client.ok('viewing.open', { clipId })).toMatchObject({ proxy: false });

    // Secret: the proxy is made in memory for this viewer, and nothing new appears under derived/.
    await t.office.client.ok('library.classify', { clipIds: [clipId], confidentiality: 'commercial_secret' });
    fs.rmSync(path.join(t.station.config.dataDir, 'derived'), { recursive: true, force: true });
    await approvedClips(t, t.officer.client, [clipId], 2);
    const secret = await t.officer.client.ok('viewing.open', { clipId, proxy: true });
    const memory = await get(port, `/media/${secret.viewId}`);
    expect(memory.status).toBe(200);
    expect(memory.body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(memory.body.length).toBeGreaterThan(10_000);
    expect(proxyFiles(t)).toEqual([]);
  }, 180_000);
});

describe('the media endpoint, a contact sheet', () => {
  it('shows a video\'s key frames as a registered view under the grant, made on demand; without a grant nothing is made', async () => {
    const t = await open();
    const clip = t.clips[0]!;
    const derived = path.join(t.station.config.dataDir, 'derived');
    const refused = await t.custodian.client.connection.invoke('viewing.open', { clipId: clip.id, contactSheet: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'view_not_granted' } });
    expect(fs.existsSync(derived) ? fs.readdirSync(derived, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg')) : []).toEqual([]);

    await approvedClips(t, t.officer.client, [clip.id], 2);
    const view = await t.officer.client.ok('viewing.open', { clipId: clip.id, contactSheet: true });
    expect(view).toMatchObject({ contactSheet: true, proxy: false, mediaType: 'image/jpeg' });
    const port = await serve(t);
    const got = await get(port, `/media/${view.viewId}`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    // It is a picture made from the clip, kept outside the vault; the view is in the register.
    expect(got.body.equals(t.bytesOf(clip, 0, got.body.length - 1))).toBe(false);
    expect(fs.readdirSync(derived, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('contact.jpg'))).toBe(true);
    expect(t.registerRows()).toEqual([expect.objectContaining({ viewer_id: t.officer.person.id, clip_id: clip.id, bytes_served: got.body.length })]);
  }, 120_000);
});
