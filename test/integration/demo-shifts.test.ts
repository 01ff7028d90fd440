// The demo's shifts (npm run demo) against a real harness: a checkout, the
// camera docked with what it recorded during that checkout, offloaded and
// received. Its footage belongs to the checkout: nothing of a shift is
// flagged as recorded outside a checkout (第三条), only the seeded first docks
// (already reviewed) are.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStation } from '../../electron/core/station.js';
import { seedDemo } from '../../scripts/demo/seed.js';
import { runShifts } from '../../scripts/demo/shifts.js';
import { StationSocket } from '../../scripts/demo/socket-client.js';
import { startHarness } from '../harness/harness.js';
import { undoAfterEach } from '../support/cleanup.js';
import { tempDir } from '../support/station.js';

const cleanup = undoAfterEach();

describe('npm run demo: a shift', () => {
  it('docks a camera whose footage was recorded during its checkout: linked to it, nothing flagged', async () => {
    const root = tempDir('station-demo-shift-');
    cleanup(() => fs.rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    const dockDir = path.join(root, 'dock');
    const scratch = path.join(root, 'scratch');
    fs.mkdirSync(dockDir);
    fs.mkdirSync(scratch);
    const seed = await seedDemo({ dataDir, scratch, scryptCost: 1024 });

    const harness = await startHarness({ dataDir, watch: dockDir, scryptCost: 1024, log: () => undefined });
    cleanup(() => harness.stop());
    const socket = await StationSocket.open(`${harness.socketUrl}?token=${encodeURIComponent(harness.token)}`, new URL(harness.url).origin);
    cleanup(() => socket.close());
    await socket.ok('auth.loginBadge', { badge: seed.custodian.badge, pin: seed.custodian.secret.value });

    // One shift, quickly: stop once the first camera is received back.
    const stop = new AbortController();
    const lines: string[] = [];
    await runShifts({
      socket,
      seed,
      dockDir,
      scratch,
      speed: 100,
      timeZone: 'Asia/Shanghai',
      signal: stop.signal,
      log: (line) => {
        lines.push(line);
        if (line.startsWith('归还') || line.includes('failed') || line.includes('skipped')) stop.abort();
      },
    });
    expect(lines.find((l) => l.startsWith('归还'))).toMatch(/received: DSJ-001/);
    await harness.stop();

    const station = createStation({ dataDir, scryptCost: 1024 }, { log: () => undefined });
    try {
      const checkout = station.db.prepare<[], { id: number; status: string; offload_dock_session_id: number }>('SELECT id, status, offload_dock_session_id FROM checkout').get()!;
      expect(checkout.status).toBe('returned');
      const clips = station.db
        .prepare<[number], { checkout_id: number | null }>('SELECT checkout_id FROM clip WHERE dock_session_id = ?')
        .all(checkout.offload_dock_session_id);
      expect(clips.length).toBeGreaterThan(0);
      expect(clips.every((c) => c.checkout_id === checkout.id), 'every clip of the shift belongs to its checkout').toBe(true);
      // Only the seeded first docks were flagged (before any checkout), and they are reviewed.
      const flagged = station.db.prepare<[], { dock_session_id: number; reviewed_at: number | null }>('SELECT dock_session_id, reviewed_at FROM outside_recording').all();
      expect(flagged.filter((f) => f.dock_session_id === checkout.offload_dock_session_id)).toEqual([]);
      expect(flagged.every((f) => f.reviewed_at !== null)).toBe(true);
    } finally {
      await station.close();
    }
  }, 180_000);
});
