// The demo's seeding (npm run demo) on a real station in a temp folder: the
// people can log in with the printed secrets at once, the cameras are
// registered to their keepers, and each was docked once so its checks read.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStation } from '../../electron/core/station.js';
import { seedDemo } from '../../scripts/demo/seed.js';
import { removeAfterEach } from '../support/cleanup.js';
import { tempDir } from '../support/station.js';

const removeLater = removeAfterEach();

describe('npm run demo: the sample station', () => {
  it('seeds people who can log in at once, cameras with keepers, and a first dock of each camera', async () => {
    const root = tempDir('station-demo-test-');
    removeLater(root);
    const dataDir = path.join(root, 'data');
    const scratch = path.join(root, 'scratch');
    fs.mkdirSync(scratch);
    const seed = await seedDemo({ dataDir, scratch, scryptCost: 1024 });

    expect(seed.people.map((p) => p.roles[0]).sort()).toEqual(
      ['administrator', 'custodian', 'department_head', 'general_office', 'officer', 'officer', 'officer'].sort(),
    );
    expect(seed.cameras).toHaveLength(3);

    const station = createStation({ dataDir, scryptCost: 1024 });
    try {
      // Every printed login works, and none is asked to change a one-time PIN first.
      for (const p of seed.people) {
        const c = station.connect({ kind: 'ui' });
        const r =
          p.secret.kind === 'password'
            ? await c.invoke('auth.loginPassword', { badge: p.badge, password: p.secret.value })
            : await c.invoke('auth.loginBadge', { badge: p.badge, pin: p.secret.value });
        expect(r.ok, `${p.badge} logs in`).toBe(true);
        if (r.ok) expect((r.value as { mustChangePin: boolean }).mustChangePin).toBe(false);
        c.close();
      }
      const devices = station.db
        .prepare<[], { serial: string; keeper_id: number | null }>('SELECT serial, keeper_id FROM device ORDER BY serial')
        .all();
      expect(devices.map((d) => d.serial)).toEqual(seed.cameras.map((c) => c.serial));
      expect(devices.every((d) => seed.officers.some((o) => o.id === d.keeper_id))).toBe(true);

      const docks = station.db
        .prepare<[], { state: string; device_id: number | null }>('SELECT state, device_id FROM dock_session ORDER BY id')
        .all();
      expect(docks).toHaveLength(3);
      expect(docks.every((d) => d.state === 'done' && d.device_id !== null)).toBe(true);
      const clips = station.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM clip').get()!;
      expect(clips.n).toBeGreaterThan(0);
      // The first docks' footage (no checkout yet) was flagged and already reviewed, so the review list starts empty.
      const flags = station.db.prepare<[], { reviewed_at: number | null }>('SELECT reviewed_at FROM outside_recording').all();
      expect(flags.length).toBeGreaterThan(0);
      expect(flags.every((f) => f.reviewed_at !== null)).toBe(true);
      // The scratch cameras are gone; only the vault keeps the footage.
      expect(fs.readdirSync(scratch)).toEqual([]);
    } finally {
      await station.close();
    }
  }, 120_000);
});
