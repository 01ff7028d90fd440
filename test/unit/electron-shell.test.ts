// The shell's pure rules: its command line, its language, and the envelope
// check on messages between main and the core host.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostToMain, parseMainToHost } from '../../electron/host/host-protocol.js';
import { NATIVE_BINDING_ENV, parseShellOptions } from '../../electron/shell/shell-options.js';
import { shellLanguage, shellText } from '../../electron/shell/shell-text.js';

describe('parseShellOptions', () => {
  const cwd = path.resolve('/home/station');
  it('takes --data in both spellings, relative to the working folder, and ignores the rest', () => {
    expect(parseShellOptions(['electron', '.', '--data', 'd1'], {}, false, cwd).dataDir).toBe(path.join(cwd, 'd1'));
    expect(parseShellOptions(['app', '--no-sandbox', '--data=/srv/s'], {}, true, cwd).dataDir).toBe(path.resolve('/srv/s'));
    expect(parseShellOptions(['app', '--data'], {}, true, cwd).dataDir).toBeNull();
    expect(parseShellOptions(['app', '--database=x'], {}, true, cwd).dataDir).toBeNull();
  });

  it('uses the Electron build of better-sqlite3 from the environment only in development', () => {
    const env = { [NATIVE_BINDING_ENV]: '.cache/electron-native/45.5.0/better_sqlite3.node' };
    expect(parseShellOptions(['electron', '.'], env, false, cwd).nativeBinding).toBe(
      path.join(cwd, '.cache/electron-native/45.5.0/better_sqlite3.node'),
    );
    // A packaged app must not load a native module named by whoever starts it.
    expect(parseShellOptions(['app'], env, true, cwd).nativeBinding).toBeNull();
    expect(parseShellOptions(['electron', '.'], {}, false, cwd).nativeBinding).toBeNull();
  });
});

describe('shell language', () => {
  it('is Chinese unless the system is English, and both have every string', () => {
    expect(shellLanguage('zh-CN')).toBe('zh-CN');
    expect(shellLanguage('zh-TW')).toBe('zh-CN');
    expect(shellLanguage('de')).toBe('zh-CN');
    expect(shellLanguage('en-US')).toBe('en');
    expect(Object.keys(shellText('en')).sort()).toEqual(Object.keys(shellText('zh-CN')).sort());
  });
});

describe('host protocol envelopes', () => {
  it('accepts what main sends', () => {
    expect(parseMainToHost({ kind: 'start', start: { dataDir: '/d', migrationsDir: '/m' } })).toEqual({
      kind: 'start',
      start: { dataDir: '/d', migrationsDir: '/m' },
    });
    expect(
      parseMainToHost({ kind: 'request', connection: 3, request: { kind: 'invoke', id: 7, name: 'station.status', input: {} } }),
    ).toEqual({ kind: 'request', connection: 3, request: { kind: 'invoke', id: 7, name: 'station.status', input: {} } });
    expect(parseMainToHost({ kind: 'disconnect', connection: 3 })).toEqual({ kind: 'disconnect', connection: 3 });
    expect(parseMainToHost({ kind: 'shutdown' })).toEqual({ kind: 'shutdown' });
  });

  it('drops malformed envelopes instead of guessing', () => {
    for (const bad of [
      null,
      'start',
      { kind: 'start' },
      { kind: 'start', start: { dataDir: 1, migrationsDir: '/m' } },
      { kind: 'start', start: { dataDir: '/d', migrationsDir: '/m', nativeBinding: 5 } },
      { kind: 'request', connection: 0, request: { kind: 'invoke', id: 1, name: 'x' } },
      { kind: 'request', connection: 1, request: { kind: 'invoke', id: 1.5, name: 'x' } },
      { kind: 'request', connection: 1, request: { kind: 'call', id: 1, name: 'x' } },
      { kind: 'disconnect', connection: -1 },
      { kind: 'eval', code: '1' },
    ]) {
      expect(parseMainToHost(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('keeps a non-string call name visible for the core to refuse', () => {
    const m = parseMainToHost({ kind: 'request', connection: 1, request: { kind: 'invoke', id: 1, name: 42, input: {} } });
    expect(m).toMatchObject({ request: { name: '42' } });
  });

  it('checks what the host sends back', () => {
    expect(parseHostToMain({ kind: 'ready', pid: 12 })).toEqual({ kind: 'ready', pid: 12 });
    expect(parseHostToMain({ kind: 'fatal', error: { code: 'database_newer', message: 'm' } })).toMatchObject({ kind: 'fatal' });
    expect(parseHostToMain({ kind: 'message', connection: 2, message: { kind: 'result', id: 1, result: { ok: true, value: 1 } } })).not.toBeNull();
    expect(parseHostToMain({ kind: 'message', connection: 2, message: { kind: 'event', event: 'people.changed', payload: { id: 1 } } })).not.toBeNull();
    expect(parseHostToMain({ kind: 'message', connection: 2, message: { kind: 'result', id: 1 } })).toBeNull();
    expect(parseHostToMain({ kind: 'fatal', error: 'boom' })).toBeNull();
    expect(parseHostToMain({ kind: 'ready' })).toBeNull();
  });
});
