// An export too big for one disc, split over three CD-sized discs (whole files, each disc complete
// in itself), with the core stopped after the first disc was read back and a new core on the same
// data folder finishing it: the verified disc is kept, the rest is made again from the record,
// and every disc's bag, sheet and manifest agree. Real clips (padded to 380 MB each, still valid
// MP4s), real xorriso, real sha256sum on each extracted disc.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStation, tempDir } from '../support/station.js';
import { custodyStations } from './custody-support.js';

const { station, closeAfter } = custodyStations();
const MB = 1_000_000;

describe('evidence discs split over several media', () => {
  it('splits a case over three CD-sized discs and finishes after a restart of the core', async () => {
    const t = await station();
    await t.admin.ok('devices.register', { serial: 'DSJ-BIG', keeperId: t.officer.person.id });
    // Three clips of 380 MB: two do not fit on a 737 MB CD together, so each starts a disc.
    expect((await t.dock({ serial: 'DSJ-BIG', badge: '100001', clips: 3, clipBytes: 380 * MB })).summary.state).toBe('done');
    const clips = t.station.db.prepare<[], { id: number; size: number }>('SELECT id, size FROM clip ORDER BY id').all();
    const legalCase = await t.office.client.ok('cases.create', { caseNo: 'A2026-0042', cause: '寻衅滋事', handlerName: '刘承办' });
    await t.office.client.ok('cases.addClips', { caseId: legalCase.id, clipIds: clips.map((c) => c.id) });

    // Stop the core as soon as the first disc is read back equal.
    const firstVerified = new Promise<void>((resolve) => {
      const off = t.office.client.connection.onEvent((event) => {
        if (event !== 'export.changed') return;
        const n = t.station.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM export_disc WHERE verified_at IS NOT NULL').get()!.n;
        if (n >= 1) {
          off();
          resolve();
        }
      });
    });
    const made = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'cd', recipient: { personId: t.officer2.person.id } });
    await firstVerified;
    await t.close();
    const stopped = makeStation({ dataDir: t.dataDir });
    closeAfter(() => stopped.close());
    // What a crash leaves too: a half-written image of the disc being made.
    fs.writeFileSync(path.join(stopped.station.exports.builder.dirOf(made.id), 'GP-stale.iso.part'), 'half');
    expect(stopped.station.exports.service.get(made.id).state).toBe('building');
    await stopped.station.startDocking({ settleMs: 50, safetyRescanMs: 60_000 });
    await stopped.station.exports.builder.settled(made.id);
    const ready = stopped.station.exports.service.get(made.id);
    expect(ready.failure).toBeNull();
    expect(ready.state).toBe('ready');
    expect(ready.discs.map((d) => d.disc)).toEqual([1, 2, 3]);
    expect(fs.readdirSync(stopped.station.exports.builder.dirOf(made.id)).filter((n) => n.includes('stale'))).toEqual([]);
    const verifiedRows = stopped.station.db
      .prepare<[string], { after_json: string }>("SELECT after_json FROM audit WHERE object_type = 'export' AND object_id = ? AND action = 'export.disc_verified' ORDER BY seq")
      .all(String(made.id))
      .map((r) => (JSON.parse(r.after_json) as { disc: number }).disc);
    // Disc 1 was kept from the first core; discs 2 and 3 were made by the second.
    expect(verifiedRows.filter((d) => d === 1)).toHaveLength(1);
    expect(verifiedRows.slice(-2)).toEqual([2, 3]);
    expect(stopped.station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'export.resumed'").get()).toEqual({ n: 1 });

    let filesOnDiscs = 0;
    for (const disc of ready.discs) {
      const image = stopped.station.exports.builder.imageOf(made.id, disc.disc, 3);
      expect(fs.statSync(image).size).toBeLessThanOrEqual(737_280_000);
      const root = tempDir('disc-');
      execFileSync('xorriso', ['-osirrox', 'on', '-indev', image, '-extract', '/', root], { stdio: 'pipe' });
      execFileSync('chmod', ['-R', 'u+w', root]);
      const checked = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
      expect(checked.length).toBe(disc.files);
      filesOnDiscs += disc.files;
      expect(fs.readFileSync(path.join(root, 'bag-info.txt'), 'utf8')).toContain(`Bag-Count: ${disc.disc} of 3`);
      const sheet = fs.readFileSync(path.join(root, '说明.txt'), 'utf8').replace(/\s/g, '');
      expect(sheet).toContain(`第${disc.disc}张共3张`);
      // Each disc is complete in itself: its own bag, sheet, checking method and custody record.
      for (const f of ['bagit.txt', '说明.pdf', '校验方法.txt', '处理记录.csv', 'tagmanifest-sha256.txt']) expect(fs.existsSync(path.join(root, f))).toBe(true);
      fs.rmSync(root, { recursive: true, force: true });
    }
    expect(filesOnDiscs).toBe(clips.length);
    await stopped.station.exports.builder.discard(made.id);
  }, 600_000);
});
