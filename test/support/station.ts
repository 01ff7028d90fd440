import type { HashAlgorithm } from '../../electron/core/config.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallInput, CallName, CallOutput } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import type { Random } from '../../electron/core/clock.js';
import { ManualClock } from '../../electron/core/clock.js';
import type { Connection, Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import { osActor } from '../../electron/core/audit/actor.js';

export const T0 = Date.UTC(2026, 10, 27, 1, 0, 0); // 09:00 in Shanghai

/** A deterministic byte source, so PINs and salts repeat from run to run. */
export function seededRandom(seed = 1): Random {
  let s = seed >>> 0;
  return {
    bytes(n) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        b[i] = s >>> 24;
      }
      return b;
    },
  };
}

export function tempDir(prefix = 'station-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestStation {
  station: Station;
  clock: ManualClock;
  dataDir: string;
  ui(): Client;
  cli(): Client;
  close(): void;
}

/** A typed client over one connection, for tests. */
export class Client {
  constructor(readonly connection: Connection) {}
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>> {
    return this.connection.invoke(name, input) as Promise<Result<CallOutput<K>>>;
  }
  /** Calls and returns the value, failing the test with the error if the call failed. */
  async ok<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    const r = await this.call(name, input);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.code}: ${r.error.message}`);
    return r.value;
  }
}

/**
 * A station on a manual clock. Its vault keeps no free-space reserve unless `vaultReserveBytes`
 * says so, so a test's alarms do not depend on how full the machine's disk is.
 */
export interface StationOptions {
  dataDir?: string;
  idleLockMs?: number;
  hashAlgorithm?: HashAlgorithm;
  vaultReserveBytes?: number;
  /** File-backed pseudo drives an export may burn to (there is no optical drive here). */
  burnAddresses?: string[];
}

export function makeStation(options: StationOptions = {}): TestStation {
  const dataDir = options.dataDir ?? tempDir();
  const clock = new ManualClock(T0);
  const station = createStation({
    dataDir,
    clock,
    random: seededRandom(),
    scryptCost: 1024,
    idleLockMs: options.idleLockMs,
    hashAlgorithm: options.hashAlgorithm,
    vaultReserveBytes: options.vaultReserveBytes ?? 0,
    ...(options.burnAddresses ? { burnAddresses: options.burnAddresses } : {}),
    // Posters are the media tests' subject (test/integration/media-thumbnails.test.ts); elsewhere an ffmpeg a clip is only load.
    thumbnails: false,
  });
  return {
    station,
    clock,
    dataDir,
    ui: () => new Client(station.connect({ kind: 'ui' })),
    cli: () => new Client(station.connect({ kind: 'os', actor: osActor('tester') })),
    close: () => station.close(),
  };
}

export const ADMIN = { badge: '000001', name: '管理员', password: 'correct horse battery' };

/** A station set up with an administrator logged in on the returned client. */
export async function withAdmin(options: Omit<StationOptions, 'dataDir'> = {}) {
  const t = makeStation(options);
  const admin = t.ui();
  await admin.ok('station.setup', ADMIN);
  return { ...t, admin };
}
