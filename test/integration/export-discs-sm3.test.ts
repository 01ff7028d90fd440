// An SM3 station's evidence disc: the vault records SM3, so the disc carries manifest-sm3.txt (the
// record's values) beside manifest-sha256.txt (hashed from the vault before imaging), and the
// read-back checks both against the image. The test recomputes both from the extracted files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/station.js';
import { custodyStations } from './custody-support.js';

const { station } = custodyStations({ hashAlgorithm: 'sm3' });

describe('evidence discs on an SM3 station', () => {
  it('carries both manifests, each equal to the files on the disc', async () => {
    const t = await station();
    await t.admin.ok('devices.register', { serial: 'DSJ-S1', keeperId: t.officer.person.id });
    expect((await t.dock({ serial: 'DSJ-S1', badge: '100001' })).summary.state).toBe('done');
    const clips = t.station.db.prepare<[], { id: number; hash: string; hash_algorithm: string }>('SELECT id, hash, hash_algorithm FROM clip ORDER BY id').all();
    expect(clips.every((c) => c.hash_algorithm === 'sm3')).toBe(true);
    const legalCase = await t.office.client.ok('cases.create', { caseNo: 'SM3-2026-7', cause: '妨害公务', handlerName: '刘承办' });
    await t.office.client.ok('cases.addClips', { caseId: legalCase.id, clipIds: clips.map((c) => c.id) });
    const made = await t.office.client.ok('exports.create', {
      caseId: legalCase.id,
      allOfCase: true,
      purpose: 'evidence',
      medium: 'cd',
      recipient: { name: '周法官', unit: '某某区人民法院', idNo: 'FY-2026-0193' },
    });
    await t.station.exports.builder.settled(made.id);
    expect(t.station.exports.service.get(made.id)).toMatchObject({ state: 'ready', failure: null });

    const root = tempDir('disc-');
    execFileSync('xorriso', ['-osirrox', 'on', '-indev', t.station.exports.builder.imageOf(made.id, 1, 1), '-extract', '/', root], { stdio: 'pipe' });
    execFileSync('chmod', ['-R', 'u+w', root]);
    execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: root });
    const sm3Lines = fs.readFileSync(path.join(root, 'manifest-sm3.txt'), 'utf8').trim().split('\n');
    expect(sm3Lines).toHaveLength(clips.length);
    for (const line of sm3Lines) {
      const [hash, file] = line.split('  ');
      // The record's SM3 for this clip, and the file on the disc hashing to it.
      expect(clips.map((c) => c.hash)).toContain(hash);
      expect(createHash('sm3').update(fs.readFileSync(path.join(root, file!))).digest('hex')).toBe(hash);
    }
    expect(fs.readFileSync(path.join(root, '校验方法.txt'), 'utf8')).toContain('manifest-sm3.txt');
  }, 180_000);
});
