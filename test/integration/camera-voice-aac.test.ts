// Voice notes some recorders write as raw AAC (`.aac`, ADTS frames, no container): the emulator
// makes them when a profile's audio template says .aac, and the station stores them as audio that
// plays, not as damaged. A run of the emulator that fails leaves no half-written camera behind.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { osActor } from '../../electron/core/audit/actor.js';
import { ManualClock } from '../../electron/core/clock.js';
import { createStation } from '../../electron/core/station.js';
import { makeCamera } from '../fixtures/camera/camera.js';
import { removeAfterEach } from '../support/cleanup.js';
import { ADMIN, Client, seededRandom, T0, tempDir } from '../support/station.js';

const removeLater = removeAfterEach();

/** The shipped profiles, with media-info-dat's voice notes written as .AAC. */
function profilesWithAac(audioName: string, ext: string): string {
  const dir = removeLater(tempDir('profiles-'));
  for (const f of fs.readdirSync(path.resolve('profiles'))) fs.copyFileSync(path.resolve('profiles', f), path.join(dir, f));
  const p = JSON.parse(fs.readFileSync(path.join(dir, 'media-info-dat.json'), 'utf8'));
  p.footage.fileName.templates.audio = { folder: 'DCIM/100MEDIA', name: audioName };
  p.footage.extensions[ext] = 'audio';
  fs.writeFileSync(path.join(dir, 'media-info-dat.json'), JSON.stringify(p));
  return dir;
}

describe('raw AAC voice notes', () => {
  it('are made by the emulator and stored by the station as audio that plays', async () => {
    const profilesDir = profilesWithAac('AUD_{start}_{seq:4}.AAC', 'aac');
    const m = await makeCamera({ out: path.join(removeLater(tempDir('camera-')), 'volume'), profile: 'media-info-dat', profilesDir, serial: 'MID0099', badge: '100001', now: T0, clips: 2, seconds: 1 });
    const voice = m.files.find((f) => f.role === 'audio')!;
    expect(voice).toMatchObject({ kind: 'audio', expected: 'committed', embeddedCreationTime: null, streams: { audio: { codec: 'aac' } } });
    expect(voice.path).toMatch(/\.AAC$/);
    // ADTS frames start with the sync word 0xFFF.
    const head = fs.readFileSync(path.join(m.root, voice.path)).subarray(0, 2);
    expect(head[0]).toBe(0xff);
    expect(head[1]! & 0xf0).toBe(0xf0);

    const station = createStation({ dataDir: removeLater(tempDir('station-')), profilesDir, clock: new ManualClock(T0), random: seededRandom(), scryptCost: 1024, vaultReserveBytes: 0 }, { log: () => {} });
    try {
      const cli = new Client(station.connect({ kind: 'os', actor: osActor('tester') }));
      await cli.ok('station.setup', ADMIN);
      await cli.ok('devices.register', { serial: 'MID0099' });
      const r = await station.ingestFolder(m.root, { label: m.label });
      expect(r.summary?.state).toBe('done');
      const clip = station.db.prepare('SELECT kind, damaged, damage_reason, audio_codec, duration_ms FROM clip WHERE original_path = ?').get(voice.path);
      expect(clip).toMatchObject({ kind: 'audio', damaged: 0, damage_reason: null, audio_codec: 'aac' });
    } finally {
      await station.close();
    }
  }, 120_000);

  it('a voice-note format the emulator cannot make is refused, and no half-written camera is left', async () => {
    const profilesDir = profilesWithAac('AUD_{start}_{seq:4}.OGG', 'ogg');
    const out = path.join(removeLater(tempDir('camera-')), 'volume');
    await expect(makeCamera({ out, profile: 'media-info-dat', profilesDir, serial: 'MID0098', badge: '100001', now: T0, clips: 2, seconds: 1 })).rejects.toThrow(/\.m4a, \.aac or \.wav, not \.ogg/);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});
