// The core host: serveCore and runCoreHost driven over a real worker_threads
// MessageChannel (the same message shapes main sends through Electron's
// parentPort), then the production bundle dist-electron/utility-host.cjs run
// as a Node child with Electron's parentPort played over child IPC.
import fs from 'node:fs';
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { MessageChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import { createStation } from '../../electron/core/station.js';
import { runCoreHost } from '../../electron/host/core-host.js';
import type { HostPort, HostToMain, MainToHost } from '../../electron/host/host-protocol.js';
import { parseHostToMain } from '../../electron/host/host-protocol.js';
import { serveCore } from '../../electron/host/serve-core.js';
import { undoAfterEach } from '../support/cleanup.js';
import { ADMIN, makeStation, seededRandom, tempDir } from '../support/station.js';
import { waitFor } from '../support/wait.js';
import { buildShellBundles, exited, forkBundledHost, MIGRATIONS_DIR } from '../support/core-host-process.js';

/** The host's end of a channel, as utility-host.ts adapts process.parentPort. */
function hostPort(port: MessagePort): HostPort<HostToMain> {
  return {
    postMessage: (m) => port.postMessage(m),
    onMessage(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

/** Main's end: sends envelopes, matches results to requests, records events. */
class FakeMainEnd {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Result<unknown>) => void>();
  readonly events: Array<{ connection: number; event: EventName; payload: unknown }> = [];
  readonly control: HostToMain[] = [];
  private controlWaiters: Array<() => void> = [];

  constructor(private readonly port: MessagePort) {
    port.on('message', (raw: unknown) => {
      const m = parseHostToMain(raw);
      if (!m) throw new Error(`host sent a malformed message: ${JSON.stringify(raw)}`);
      if (m.kind !== 'message') {
        this.control.push(m);
        for (const w of this.controlWaiters.splice(0)) w();
      } else if (m.message.kind === 'result') {
        this.waiting.get(m.message.id)?.(m.message.result);
        this.waiting.delete(m.message.id);
      } else {
        this.events.push({ connection: m.connection, event: m.message.event, payload: m.message.payload });
      }
    });
  }
  send(message: MainToHost | Record<string, unknown>): void {
    this.port.postMessage(message);
  }
  invoke(connection: number, name: string, input: unknown = {}): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ kind: 'request', connection, request: { kind: 'invoke', id, name, input } });
    });
  }
  async nextControl(): Promise<HostToMain> {
    while (this.control.length === 0) await new Promise<void>((r) => this.controlWaiters.push(r));
    return this.control.shift()!;
  }
}

const cleanup = undoAfterEach();

function channel() {
  const { port1, port2 } = new MessageChannel();
  cleanup(() => {
    port1.close();
    port2.close();
  });
  return { host: hostPort(port1), main: new FakeMainEnd(port2) };
}

const value = <T>(r: Result<unknown>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('serveCore', () => {
  function served() {
    const t = makeStation();
    const { host, main } = channel();
    const logged: string[] = [];
    const server = serveCore(host, t.station, (m) => logged.push(m));
    cleanup(() => {
      server.stop();
      t.close();
    });
    return { t, main, server, logged };
  }

  it('keeps one session per window: logging in on one leaves the other logged out', async () => {
    const { main, server } = served();
    expect(value(await main.invoke(11, 'station.setup', ADMIN))).toMatchObject({ person: { badge: ADMIN.badge } });
    expect(value(await main.invoke(11, 'auth.session'))).toMatchObject({ person: { badge: ADMIN.badge } });
    expect(value(await main.invoke(12, 'auth.session'))).toBeNull();
    expect(code(await main.invoke(12, 'people.list'))).toBe('unauthenticated');
    expect(server.connectionCount).toBe(2);
  });

  it('forwards core events to every window connection, each marked with its window', async () => {
    const { main } = served();
    await main.invoke(11, 'station.setup', ADMIN);
    await main.invoke(12, 'station.status');
    main.events.length = 0;
    const created = value<{ person: { id: number } }>(
      await main.invoke(11, 'people.create', { badge: '100200', name: '李保管', roles: ['custodian'] }),
    );
    await settle();
    for (const window of [11, 12]) {
      expect(main.events).toContainEqual({ connection: window, event: 'people.changed', payload: { id: created.person.id } });
      expect(main.events.some((e) => e.connection === window && e.event === 'audit.appended')).toBe(true);
    }
  });

  it('ends the session when main says the window went away', async () => {
    const { main, server } = served();
    await main.invoke(11, 'station.setup', ADMIN);
    main.send({ kind: 'disconnect', connection: 11 });
    await settle();
    expect(server.connectionCount).toBe(0);
    // The same window id starts over, logged out.
    expect(value(await main.invoke(11, 'auth.session'))).toBeNull();
  });

  it('answers bad calls with the proper code and keeps serving after malformed envelopes', async () => {
    const { main, logged } = served();
    expect(code(await main.invoke(11, 'no.such.call'))).toBe('unknown_call');
    expect(code(await main.invoke(11, 'station.setup', { badge: 5 }))).toBe('invalid_input');
    main.send({ kind: 'request', connection: 'x', request: null });
    main.send({ what: 'ever' });
    await settle();
    expect(logged.filter((l) => l.includes('malformed'))).toHaveLength(2);
    expect(value(await main.invoke(11, 'station.status'))).toMatchObject({ initialized: false });
  });

  it('closes every connection when stopped', async () => {
    const { t, main, server } = served();
    await main.invoke(11, 'station.setup', ADMIN);
    server.stop();
    expect(server.connectionCount).toBe(0);
    // The session is gone from the core too: a new connection on the same station is logged out.
    expect(await t.station.connect({ kind: 'ui' }).invoke('auth.session', {})).toEqual({ ok: true, value: null });
  });
});

describe('runCoreHost', () => {
  function hosted(dataDir = tempDir(), migrationsDir = MIGRATIONS_DIR) {
    const { host, main } = channel();
    const exits: number[] = [];
    const opened: Array<ReturnType<typeof createStation>> = [];
    runCoreHost(
      host,
      (start, log) => {
        const s = createStation({ ...start, scryptCost: 1024, random: seededRandom() }, { log });
        opened.push(s);
        return s;
      },
      { log: () => {}, exit: (c) => exits.push(c), pid: 4242 },
    );
    cleanup(() => opened.forEach((s) => s.close()));
    return { main, exits, opened, start: () => main.send({ kind: 'start', start: { dataDir, migrationsDir } }) };
  }

  it('answers core_unavailable before start, then serves once the station is open', async () => {
    const h = hosted();
    expect(code(await h.main.invoke(1, 'station.status'))).toBe('core_unavailable');
    h.start();
    expect(await h.main.nextControl()).toEqual({ kind: 'ready', pid: 4242 });
    expect(value(await h.main.invoke(1, 'station.status'))).toMatchObject({ initialized: false });
  });

  it('reports a database from a newer station as fatal, and stays up to say so', async () => {
    const dataDir = tempDir();
    const db = new Database(path.join(dataDir, 'station.sqlite'));
    db.pragma('user_version = 9990');
    db.close();
    const h = hosted(dataDir);
    h.start();
    const fatal = await h.main.nextControl();
    expect(fatal).toMatchObject({ kind: 'fatal', error: { code: 'database_newer' } });
    expect(h.exits).toEqual([]);
    expect(code(await h.main.invoke(1, 'station.status'))).toBe('core_unavailable');
  });

  it('reports a missing migrations folder as fatal with the reason', async () => {
    const h = hosted(tempDir(), path.join(tempDir(), 'nowhere'));
    h.start();
    expect(await h.main.nextControl()).toMatchObject({ kind: 'fatal', error: { code: 'internal', message: expect.stringContaining('nowhere') } });
  });

  it('closes the database and exits 0 on shutdown', async () => {
    const h = hosted();
    h.start();
    await h.main.nextControl();
    await h.main.invoke(1, 'station.setup', ADMIN);
    h.main.send({ kind: 'shutdown' });
    // Closing waits for the station's work in flight (its ffprobe check among it): not a fixed pause.
    await waitFor(() => (h.exits.length > 0 ? true : undefined), 10_000);
    expect(h.exits).toEqual([0]);
    expect(h.opened[0]!.db.open).toBe(false);
  });
});

describe('the bundled utility host (dist-electron/utility-host.cjs)', () => {
  let bundleDir = '';
  beforeAll(() => {
    bundleDir = buildShellBundles();
  });
  afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

  it('opens the station, serves a window and exits 0 on shutdown', async () => {
    const dataDir = tempDir();
    const host = forkBundledHost(bundleDir);
    cleanup(() => host.kill());
    const messages: HostToMain[] = [];
    host.onMessage((m) => messages.push(parseHostToMain(m)!));
    host.postMessage({ kind: 'start', start: { dataDir, migrationsDir: MIGRATIONS_DIR } });
    host.postMessage({ kind: 'request', connection: 7, request: { kind: 'invoke', id: 1, name: 'station.status', input: {} } });
    await expect.poll(() => messages.length, { timeout: 15_000 }).toBe(2);
    expect(messages[0]).toEqual({ kind: 'ready', pid: host.child.pid });
    expect(messages[1]).toMatchObject({ kind: 'message', connection: 7, message: { kind: 'result', id: 1, result: { ok: true, value: { initialized: false } } } });
    host.postMessage({ kind: 'shutdown' });
    expect(await exited(host.child)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'station.sqlite'))).toBe(true);
  });

  it('refuses to run when not started by Electron', async () => {
    const { execFileSync } = await import('node:child_process');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.join(bundleDir, 'utility-host.cjs')], {
        env: { ...process.env, NODE_PATH: path.resolve('node_modules') },
        stdio: 'pipe',
      });
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      status = err.status;
      stderr = err.stderr.toString();
    }
    expect(status).toBe(2);
    expect(stderr).toContain('utilityProcess.fork');
  });
});
