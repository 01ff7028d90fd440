// From the watched folder to committed clips, as the harness, the demo and sites
// with OS-mounted cameras run it: a camera folder appears, is identified,
// ingested, and leaves.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStation } from '../../electron/core/station.js';
import { osActor } from '../../electron/core/audit/actor.js';
import type { EventName } from '../../shared/contract.js';
import { Client, ADMIN, T0, seededRandom, tempDir } from '../support/station.js';
import { undoAfterEach } from '../support/cleanup.js';
import { waitFor } from '../support/wait.js';
import { camera } from '../support/ingest.js';
import { ManualClock } from '../../electron/core/clock.js';

const cleanup = undoAfterEach();

describe('docking through the watched folder', () => {
  it('ingests a camera dropped into the folder and records when it is taken away', async () => {
    const dataDir = tempDir();
    const watched = tempDir('watched-');
    const station = createStation({ dataDir, watchedFolder: watched, clock: new ManualClock(T0), random: seededRandom(), scryptCost: 1024 });
    cleanup(() => station.close());
    const cli = new Client(station.connect({ kind: 'os', actor: osActor('tester') }));
    await cli.ok('station.setup', ADMIN);
    const officer = (await cli.ok('people.create', { badge: '200001', name: '刘执法', roles: ['officer'] })).person;
    await cli.ok('devices.register', { serial: 'DSJ-W1', keeperId: officer.id });
    const events: EventName[] = [];
    cli.connection.onEvent((e) => events.push(e));

    await station.startDocking({ settleMs: 200, safetyRescanMs: 500 });
    const manifest = await camera({ serial: 'DSJ-W1', badge: '200001', now: T0 });
    // A rename is how a mount appears: all at once.
    const docked = path.join(watched, 'camera-1');
    fs.renameSync(manifest.root, docked);

    const session = await waitFor(() => {
      const board = station.ingest.board();
      return board.docks.find((d) => d.state === 'done');
    });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage').length;
    expect(session).toMatchObject({ serial: 'DSJ-W1', filesCommitted: footage, filesFailed: 0, source: 'watched-folder' });
    expect(events).toEqual(expect.arrayContaining(['dock.attached', 'dock.identified', 'ingest.progress', 'dock.changed']));

    fs.rmSync(docked, { recursive: true, force: true });
    await waitFor(() => (events.includes('dock.detached') ? true : undefined));
    expect(station.ingest.board().docks).toEqual([]);
    const clips = station.db.prepare('SELECT count(*) AS n FROM clip').get() as { n: number };
    expect(clips.n).toBe(footage);
  });

  it('ignores a USB stick with a notice and ingests nothing', async () => {
    const dataDir = tempDir();
    const watched = tempDir('watched-');
    const station = createStation({ dataDir, watchedFolder: watched, scryptCost: 1024 });
    cleanup(() => station.close());
    const cli = new Client(station.connect({ kind: 'os', actor: osActor('tester') }));
    await cli.ok('station.setup', ADMIN);
    const seen: Array<{ event: EventName; payload: unknown }> = [];
    cli.connection.onEvent((event, payload) => seen.push({ event, payload }));
    await station.startDocking({ settleMs: 200, safetyRescanMs: 500 });
    const stick = path.join(tempDir('stick-'), 'stick');
    fs.mkdirSync(path.join(stick, 'photos'), { recursive: true });
    fs.writeFileSync(path.join(stick, 'photos', 'holiday.jpg'), 'not a camera');
    fs.renameSync(stick, path.join(watched, 'USB-STICK'));
    const notice = await waitFor(() => seen.find((s) => s.event === 'dock.unrecognized'));
    expect((notice.payload as { reasons: string[] }).reasons.join(' ')).toMatch(/U 盘|USB stick/);
    expect(station.ingest.board().docks).toEqual([]);
  });
});
