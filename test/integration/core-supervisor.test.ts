// Main's supervision of the core, with the real bundled core host in a real
// child process: a killed core is restarted (with growing waits, up to a cap),
// calls in flight are answered core_unavailable, windows are told the core
// restarted, and quitting closes the database cleanly.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import type { CoreFailure, CoreProcess, RestartPolicy } from '../../electron/host/supervisor.js';
import { CoreSupervisor } from '../../electron/host/supervisor.js';
import type { CoreHostStart } from '../../electron/host/host-protocol.js';
import type { HostChild } from '../support/core-host-process.js';
import { buildShellBundles, exited, forkBundledHost, MIGRATIONS_DIR } from '../support/core-host-process.js';
import { ADMIN, tempDir } from '../support/station.js';
import type { OpenMedia } from '../../electron/window/media-protocol.js';
import { mediaResponse, mediaViewId } from '../../electron/window/media-protocol.js';
import { viewingStations } from './viewing-support.js';

let bundleDir = '';
beforeAll(() => {
  bundleDir = buildShellBundles();
});
afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

const running: CoreSupervisor[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop(2000)));
});

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

function supervise(start: CoreHostStart, options: { spawn?: () => CoreProcess; policy?: Partial<RestartPolicy> } = {}) {
  const children: HostChild[] = [];
  const restarts: number[] = [];
  const failures: CoreFailure[] = [];
  const events: Array<{ connection: number; event: EventName; payload: unknown }> = [];
  const spawnTimes: number[] = [];
  const log: string[] = [];
  const supervisor = new CoreSupervisor({
    start,
    spawn:
      options.spawn ??
      (() => {
        spawnTimes.push(Date.now());
        const c = forkBundledHost(bundleDir);
        children.push(c);
        return c;
      }),
    log: (m) => log.push(m),
    onEvent: (connection, event, payload) => events.push({ connection, event, payload }),
    onRestarted: (at) => restarts.push(at),
    onFailed: (f) => failures.push(f),
    policy: { firstDelayMs: 50, maxDelayMs: 1000, maxRestarts: 3, stableAfterMs: 60_000, ...options.policy },
  });
  running.push(supervisor);
  supervisor.start();
  const ready = () => expect.poll(() => supervisor.state, { timeout: 15_000 }).toBe('ready');
  return { supervisor, children, restarts, failures, events, spawnTimes, log, ready };
}

describe('CoreSupervisor with the bundled core host', () => {
  it('relays calls and the core events of each window', async () => {
    const s = supervise({ dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR });
    await s.ready();
    expect(code(await s.supervisor.invoke(5, 'station.setup', ADMIN))).toBe('ok');
    expect(code(await s.supervisor.invoke(5, 'people.create', { badge: '100200', name: '李保管', roles: ['custodian'] }))).toBe('ok');
    await expect.poll(() => s.events.some((e) => e.connection === 5 && e.event === 'people.changed')).toBe(true);
    expect(s.restarts).toEqual([]);
  });

  it('restarts a killed core, answers the call it had with core_unavailable, and says it restarted', async () => {
    const dataDir = tempDir();
    const s = supervise({ dataDir, migrationsDir: MIGRATIONS_DIR });
    await s.ready();
    expect(code(await s.supervisor.invoke(5, 'station.setup', ADMIN))).toBe('ok');
    expect(await s.supervisor.invoke(5, 'auth.session', {})).toMatchObject({ ok: true, value: { person: { badge: ADMIN.badge } } });

    // Freeze the core so the next call is certainly still in flight when it dies.
    const first = s.children[0]!;
    process.kill(first.child.pid!, 'SIGSTOP');
    const inFlight = s.supervisor.invoke(5, 'station.status', {});
    await expect.poll(() => s.supervisor.inFlight).toBe(1);
    process.kill(first.child.pid!, 'SIGKILL');
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'core_unavailable' } });

    await expect.poll(() => s.restarts.length, { timeout: 15_000 }).toBe(1);
    expect(s.supervisor.state).toBe('ready');
    expect(s.children).toHaveLength(2);
    // The data survived; the session (held in the dead core's memory) did not.
    expect(await s.supervisor.invoke(5, 'station.status', {})).toMatchObject({ ok: true, value: { initialized: true } });
    expect(await s.supervisor.invoke(5, 'auth.session', {})).toEqual({ ok: true, value: null });
    expect(s.log.some((l) => l.includes('exited unexpectedly'))).toBe(true);
  });

  it('waits longer after each crash in a row and gives up at the cap', async () => {
    // A host that dies at once, as one with a broken install would.
    const spawnTimes: number[] = [];
    const dies = path.join(tempDir(), 'dies.cjs');
    fs.writeFileSync(dies, 'process.exit(3);\n');
    const s = supervise(
      { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR },
      {
        policy: { firstDelayMs: 100, maxRestarts: 3 },
        spawn: () => {
          spawnTimes.push(Date.now());
          const child = fork(dies, [], { stdio: 'ignore', serialization: 'advanced' });
          child.on('error', () => {});
          return {
            postMessage: (m) => {
              if (child.connected) child.send(m);
            },
            onMessage: (l) => child.on('message', l),
            onExit: (l) => child.once('exit', (c) => l(c)),
            kill: () => child.kill('SIGKILL'),
          };
        },
      },
    );
    await expect.poll(() => s.failures.length, { timeout: 15_000 }).toBe(1);
    expect(s.failures[0]).toEqual({ kind: 'gave_up', crashes: 4, lastExitCode: 3 });
    expect(spawnTimes).toHaveLength(4); // the first start and three restarts
    const gaps = spawnTimes.slice(1).map((t, i) => t - spawnTimes[i]!);
    // 100, 200, 400 ms (plus the time each child took to die).
    expect(gaps[0]!).toBeGreaterThanOrEqual(95);
    expect(gaps[1]!).toBeGreaterThanOrEqual(195);
    expect(gaps[2]!).toBeGreaterThanOrEqual(395);
    expect(s.supervisor.state).toBe('failed');
    expect(await s.supervisor.invoke(1, 'station.status', {})).toMatchObject({ ok: false, error: { code: 'core_unavailable' } });
  });

  it('does not restart a core that cannot open the station, and retries when asked', async () => {
    const migrationsDir = path.join(tempDir(), 'migrations');
    const s = supervise({ dataDir: tempDir(), migrationsDir });
    await expect.poll(() => s.failures.length, { timeout: 15_000 }).toBe(1);
    expect(s.failures[0]).toMatchObject({ kind: 'fatal', error: { code: 'internal' } });
    expect(s.supervisor.state).toBe('failed');
    // The idle host was killed, and no restart followed.
    expect(await exited(s.children[0]!.child)).toBeNull();
    expect(s.children).toHaveLength(1);

    // The person fixes the cause (here: the migrations appear) and chooses Retry.
    fs.cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    s.supervisor.retry();
    await s.ready();
    expect(s.restarts).toHaveLength(1);
    expect(await s.supervisor.invoke(1, 'station.status', {})).toMatchObject({ ok: true });
  });

  it('stops the core cleanly on quit: shutdown, exit 0, then calls are refused', async () => {
    const s = supervise({ dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR });
    await s.ready();
    expect(code(await s.supervisor.invoke(1, 'station.setup', ADMIN))).toBe('ok');
    await s.supervisor.stop();
    expect(s.supervisor.state).toBe('stopped');
    expect(await exited(s.children[0]!.child)).toBe(0);
    expect(s.restarts).toEqual([]);
    expect(await s.supervisor.invoke(1, 'station.status', {})).toMatchObject({ ok: false, error: { code: 'core_unavailable' } });
  });

  it('kills a core that does not exit in time', async () => {
    const s = supervise({ dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR });
    await s.ready();
    const child = s.children[0]!.child;
    process.kill(child.pid!, 'SIGSTOP'); // hung: it cannot act on shutdown
    await s.supervisor.stop(300);
    expect(child.signalCode).toBe('SIGKILL');
    expect(s.log.some((l) => l.includes('did not exit'))).toBe(true);
  });
});

describe('app://station/media/ through the bundled core host', () => {
  const { open } = viewingStations();

  it('plays a clip the app way: main\'s protocol answer pulls the core\'s chunks, with ranges, and stops when the view ends', async () => {
    // A station with a docked camera's clips, made in process; then the bundled host opens it.
    const t = await open();
    const clip = t.clips[0]!;
    t.clock.set(Date.now()); // the host runs on the real clock: the grant must hold now
    await t.head.client.ok('viewing.grant', { granteeId: t.officer.person.id, purpose: 'other', reason: '核对现场情况', days: 1, scope: 'all' });
    const { oneTimePin } = await t.cli().ok('people.resetPin', { id: t.officer.person.id });
    await t.station.close();

    const s = supervise({ dataDir: t.station.config.dataDir, migrationsDir: MIGRATIONS_DIR });
    await s.ready();
    const window = 9;
    expect(code(await s.supervisor.invoke(window, 'auth.loginBadge', { badge: '100001', pin: oneTimePin }))).toBe('ok');
    expect(code(await s.supervisor.invoke(window, 'auth.changePin', { currentPin: oneTimePin, newPin: '602713' }))).toBe('ok');
    const opened = await s.supervisor.invoke(window, 'viewing.open', { clipId: clip.id });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const viewId = (opened.value as { viewId: string }).viewId;
    const url = `app://station/media/${viewId}`;
    expect(mediaViewId(url)).toBe(viewId);
    expect(mediaViewId('app://station/media/../index.html')).toBeNull();
    expect(mediaViewId('app://station/media/x')).toBe('malformed');
    const openMedia: OpenMedia = (id, method, range) => s.supervisor.openMedia(id, method, range);

    const whole = await mediaResponse(openMedia, viewId, new Request(url));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(Buffer.from(await whole.arrayBuffer()).equals(fs.readFileSync(clip.absolute))).toBe(true);
    const middle = Math.floor(clip.size / 2);
    const seek = await mediaResponse(openMedia, viewId, new Request(url, { headers: { Range: `bytes=${middle}-` } }));
    expect(seek.status).toBe(206);
    expect(seek.headers.get('content-range')).toBe(`bytes ${middle}-${clip.size - 1}/${clip.size}`);
    expect(Buffer.from(await seek.arrayBuffer()).equals(fs.readFileSync(clip.absolute).subarray(middle))).toBe(true);
    // A player that hangs up after the first chunk: the rest is never read.
    const cancelled = await mediaResponse(openMedia, viewId, new Request(url));
    await cancelled.body!.cancel();

    expect(code(await s.supervisor.invoke(window, 'viewing.close', { viewId }))).toBe('ok');
    const after = await mediaResponse(openMedia, viewId, new Request(url));
    expect(after.status).toBe(404);
    expect(await after.text()).toContain('查阅会话');
  }, 120_000);
});
