// The site's own camera profiles (`<data folder>/profiles`), beside the shipped ones inside the
// installed app, which a site cannot edit: a model the site adds docks like a shipped one, a
// site file with a shipped profile's id replaces it, and a bad site file is skipped with its own
// profile_invalid alarm while every shipped model still docks. A site folder that is not there,
// or empty, is no problem.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { osActor } from '../../electron/core/audit/actor.js';
import { ManualClock } from '../../electron/core/clock.js';
import { loadShippedAndSite } from '../../electron/core/docking/profile/index.js';
import { createStation } from '../../electron/core/station.js';
import { makeCamera } from '../fixtures/camera/camera.js';
import { removeAfterEach } from '../support/cleanup.js';
import { ADMIN, Client, seededRandom, T0, tempDir } from '../support/station.js';

const removeLater = removeAfterEach();
const SHIPPED = path.resolve('profiles');
const shippedJson = (id: string) => JSON.parse(fs.readFileSync(path.join(SHIPPED, `${id}.json`), 'utf8')) as Record<string, unknown> & { recognise: { markers: unknown[] } };

describe('site profiles', () => {
  it('merge over the shipped ones: a new model is added, a shipped id replaced, a bad file reported; none there is no problem', async () => {
    const none = await loadShippedAndSite(SHIPPED, path.join(removeLater(tempDir('site-')), 'absent'));
    expect(none.site).toBeNull();
    expect(none.set.profiles.map((p) => p.id)).toEqual(none.shipped.profiles.map((p) => p.id));

    const site = removeLater(tempDir('site-'));
    const corrected = { ...shippedJson('dcim-generic'), name: { 'zh-CN': '本单位修订的 DCIM 记录仪', en: 'DCIM camera as corrected by this site' } };
    fs.writeFileSync(path.join(site, 'dcim-generic.json'), JSON.stringify(corrected));
    fs.writeFileSync(path.join(site, 'site-dsj.json'), JSON.stringify({ ...shippedJson('gat947-generic'), id: 'site-dsj' }));
    fs.writeFileSync(path.join(site, 'broken.json'), '{ "id": ');
    const { set } = await loadShippedAndSite(SHIPPED, site);
    const ids = set.profiles.map((p) => p.id);
    expect(ids.filter((id) => id === 'dcim-generic')).toHaveLength(1);
    expect(set.profiles.find((p) => p.id === 'dcim-generic')!.source).toBe(path.join(site, 'dcim-generic.json'));
    expect(ids).toContain('site-dsj');
    expect(ids).toContain('gat947-generic');
    expect(set.problems.map((p) => p.file)).toEqual([path.join(site, 'broken.json')]);
  });

  it('a model the site adds in its data folder docks, and a bad site file is alarmed while the shipped models still dock', async () => {
    const dataDir = removeLater(tempDir('station-'));
    const siteDir = path.join(dataDir, 'profiles');
    fs.mkdirSync(siteDir, { recursive: true });
    // The site's model: the GA/T 947 layout with a marker file of its own, so its cards are its.
    const own = shippedJson('gat947-generic');
    fs.writeFileSync(path.join(siteDir, 'site-dsj.json'), JSON.stringify({ ...own, id: 'site-dsj', recognise: { ...own.recognise, markers: [...own.recognise.markers, 'SYSTEM/SITE.TXT'] } }));
    fs.writeFileSync(path.join(siteDir, 'broken.json'), '{ "id": ');
    const station = createStation({ dataDir, clock: new ManualClock(T0), random: seededRandom(), scryptCost: 1024, vaultReserveBytes: 0 }, { log: () => {} });
    try {
      const cli = new Client(station.connect({ kind: 'os', actor: osActor('tester') }));
      await cli.ok('station.setup', ADMIN);
      await cli.ok('devices.register', { serial: 'DSJ-S1' });
      await cli.ok('devices.register', { serial: 'DSJ-S2' });
      const cards = removeLater(tempDir('cards-'));
      const site = await makeCamera({ out: path.join(cards, 'site'), serial: 'DSJ-S1', badge: '100001', now: T0, clips: 2, seconds: 1 });
      fs.writeFileSync(path.join(site.root, 'SYSTEM', 'SITE.TXT'), 'site model');
      const shipped = await makeCamera({ out: path.join(cards, 'shipped'), serial: 'DSJ-S2', badge: '100001', now: T0, clips: 2, seconds: 1 });

      const a = await station.ingestFolder(site.root, { label: site.label });
      const b = await station.ingestFolder(shipped.root, { label: shipped.label });
      const profileOf = (id: number) => (station.db.prepare('SELECT profile_id FROM dock_session WHERE id = ?').get(id) as { profile_id: string }).profile_id;
      expect([profileOf(a.dockSessionId), a.summary?.state]).toEqual(['site-dsj', 'done']);
      expect([profileOf(b.dockSessionId), b.summary?.state]).toEqual(['gat947-generic', 'done']);
      expect(a.profileProblems.map((p) => p.file)).toEqual([path.join(siteDir, 'broken.json')]);
    } finally {
      await station.close();
    }
    // One alarm, for the bad site file; the site folder is no alarm of its own.
    const db = new Database(path.join(dataDir, 'station.sqlite'), { readonly: true });
    try {
      const rows = db.prepare("SELECT details_json FROM alarm WHERE kind = 'profile_invalid' AND resolved_at IS NULL").all() as Array<{ details_json: string }>;
      expect(rows.map((r) => JSON.parse(r.details_json).file)).toEqual([path.join(siteDir, 'broken.json')]);
    } finally {
      db.close();
    }
  }, 120_000);
});
