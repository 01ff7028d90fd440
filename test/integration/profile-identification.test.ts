// No stealing: every emulated card of every profile in profiles/ is identified
// as test/fixtures/camera/identified-as.json records (a profile without an
// entry as itself), never by a tie; a greedy profile added beside the shipped
// ones (one that asks only for DCIM/, or a copy of a shipped profile with its
// markers loosened) takes none of them; and two identical profiles are a tie
// that says so, so the station refuses to guess how to read a camera.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identifyDock } from '../../electron/core/docking/dock-watcher.js';
import { identifyVolume, loadProfiles, parseProfile, type CameraProfile, type Identification, type VolumeInfo } from '../../electron/core/docking/profile/index.js';
import { repoPath } from '../../electron/core/paths.js';
import { makeCamera, type CameraManifest, type MakeCameraOptions } from '../fixtures/camera/camera.js';
import { mountFatImage, probeFatSupport, readFatLabel, writeFatImage } from '../fixtures/camera/fat-image.js';
import { T0, tempDir } from '../support/station.js';

const PROFILES = repoPath('profiles');
const EXPECTATIONS = repoPath('test/fixtures/camera/identified-as.json');

interface CardEntry {
  profile?: string;
  make?: Pick<MakeCameraOptions, 'bindingVariant' | 'bindingOmit' | 'bindingOverride'>;
  identifiedAs: string;
  /** A copy without its label, beside greedy profiles: `tie` where the model is told apart only by its label. */
  copyBesideGreedy?: string;
}

interface Card {
  name: string;
  profile: string;
  identifiedAs: string;
  copyBesideGreedy: string;
  manifest: CameraManifest;
}

/** Raw profile files, as an author writes them (for copies with one thing changed). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawProfile = any;

let shipped: CameraProfile[];
const raw = new Map<string, RawProfile>();
const cards: Card[] = [];

/** Every way a card is seen: docked (label, and the USB id where the model has one), by its label alone, and copied into a folder. */
function waysToSee(card: Card): Array<{ how: string; volume: VolumeInfo }> {
  const profile = shipped.find((p) => p.id === card.profile)!;
  const ways: Array<{ how: string; volume: VolumeInfo }> = [];
  const usb = profile.recognise.usb[0];
  if (usb) ways.push({ how: `docked with USB id ${usb.vendorId}:${usb.productId}`, volume: { root: card.manifest.root, label: card.manifest.label, usb } });
  ways.push({ how: `label "${card.manifest.label}", no USB id`, volume: { root: card.manifest.root, label: card.manifest.label } });
  ways.push({ how: 'a copy in a folder (no label, no USB id)', volume: { root: card.manifest.root, label: null } });
  return ways;
}

const scores = (found: Identification) =>
  found.verdicts
    .filter((v) => v.matched)
    .map((v) => `${v.profileId} ${v.score}/${v.specificity}`)
    .join(', ');

beforeAll(async () => {
  shipped = await loadProfiles(PROFILES);
  for (const file of fs.readdirSync(PROFILES).filter((f) => f.endsWith('.json'))) {
    raw.set(file.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(PROFILES, file), 'utf8')));
  }
  const recorded = (JSON.parse(fs.readFileSync(EXPECTATIONS, 'utf8')) as { cards: Record<string, CardEntry> }).cards;
  // Every profile in the folder has a card; one added later without an entry must be identified as itself.
  const entries: Array<[string, CardEntry]> = Object.entries(recorded);
  for (const p of shipped) if (!entries.some(([name, e]) => (e.profile ?? name) === p.id)) entries.push([p.id, { identifiedAs: p.id }]);
  const dir = tempDir('profile-identification-');
  for (const [i, [name, entry]] of entries.entries()) {
    const profile = entry.profile ?? name;
    const manifest = await makeCamera({ out: path.join(dir, String(i)), profile, serial: 'DSJ0012345', badge: '012345', now: T0, clips: 2, seconds: 1, ...entry.make });
    cards.push({ name, profile, identifiedAs: entry.identifiedAs, copyBesideGreedy: entry.copyBesideGreedy ?? entry.identifiedAs, manifest });
  }
});

describe('identification of every profile\'s card', () => {
  it('has a card for every profile in profiles/, and an expectation that names a shipped profile', () => {
    expect(new Set(cards.map((c) => c.profile))).toEqual(new Set(shipped.map((p) => p.id)));
    for (const c of cards) expect(shipped.map((p) => p.id), c.name).toContain(c.identifiedAs);
  });

  it('identifies every card as recorded, every way it can be seen, never by a tie', async () => {
    for (const card of cards) {
      for (const { how, volume } of waysToSee(card)) {
        const found = await identifyVolume(volume, shipped);
        expect({ card: card.name, how, profile: found.profile?.id ?? null, tie: found.tie }, scores(found)).toEqual({ card: card.name, how, profile: card.identifiedAs, tie: false });
      }
    }
  });

  it('novatek-movie, as its card looks once the library put it in disk mode: identified with its USB id (0603:8612) and without', async () => {
    const card = cards.find((c) => c.name === 'novatek-movie')!;
    const withUsb = await identifyVolume({ root: card.manifest.root, label: card.manifest.label, usb: { vendorId: '0603', productId: '8612' } }, shipped);
    const without = await identifyVolume({ root: card.manifest.root, label: card.manifest.label }, shipped);
    expect([withUsb.profile?.id, without.profile?.id]).toEqual(['novatek-movie', 'novatek-movie']);
    const novatek = (found: Identification) => found.verdicts.find((v) => v.profileId === 'novatek-movie')!;
    // The USB id settles it; without it, the layout (DCIM/Movie/, LOG/, a name like 2024_0501_083000_001.MP4) does.
    expect(novatek(withUsb).score - novatek(without).score).toBe(100);
    expect(novatek(without).reasons.join(' ')).toMatch(/named as this model names files/);
    // Another USB device with the same files is not this model.
    const other = await identifyVolume({ root: card.manifest.root, label: card.manifest.label, usb: { vendorId: '2207', productId: '0010' } }, shipped);
    expect(other.profile?.id ?? null).not.toBe('novatek-movie');
  });
});

const fat = await probeFatSupport();

describe('on a FAT32 card, as the station sees it through a mount', () => {
  // FAT keeps long names and folders such as RO/ or one named by the serial; fusefat shows the
  // label as an empty root file and lower-case 8.3 names in upper case (fat-image.ts): neither may
  // change what the card is taken for.
  it.skipIf(!fat.write || !fat.mount)('identifies every card written into a FAT32 image, labelled as the model, as recorded', async () => {
    const dir = tempDir('profile-identification-fat-');
    for (const [i, card] of cards.entries()) {
      const image = path.join(dir, `${i}.img`);
      await writeFatImage({ volumeRoot: card.manifest.root, image, label: card.manifest.label, timeZone: card.manifest.timeZone });
      const mounted = await mountFatImage(image, path.join(dir, `mnt-${i}`));
      try {
        const label = await readFatLabel(image);
        expect(label).toBe(card.manifest.label);
        const found = await identifyVolume({ root: mounted.mountpoint, label }, shipped);
        expect({ card: card.name, profile: found.profile?.id ?? null, tie: found.tie }, scores(found)).toEqual({ card: card.name, profile: card.identifiedAs, tie: false });
        for (const f of card.manifest.files) expect(fs.statSync(path.join(mounted.mountpoint, f.path)).size, `${card.name}: ${f.path}`).toBe(f.size);
      } finally {
        await mounted.unmount();
      }
    }
  });
});

/** A profile that asks only for a DCIM folder: every second camera sold has one. */
function greedyDcim(): CameraProfile {
  const p = structuredClone(raw.get('dcim-generic'));
  p.id = 'greedy-dcim';
  p.recognise = { markers: ['DCIM/'] };
  return parseProfile(p, 'greedy-dcim.json');
}

/**
 * A copy of a shipped profile with its markers loosened: only its folder markers kept, a pattern
 * marker no longer required, no file markers and nothing required absent. Null when that leaves
 * it as it was (nothing to loosen: a twin, tested below).
 */
function loosened(id: string): CameraProfile | null {
  const original = raw.get(id);
  const p = structuredClone(original);
  p.id = `loose-${id}`;
  const markers = (p.recognise.markers ?? []).flatMap((m: RawProfile) =>
    typeof m === 'string' ? (m.endsWith('/') ? [m] : []) : [{ ...m, required: false }],
  );
  p.recognise.markers = markers.length > 0 ? markers : p.recognise.markers.slice(0, 1);
  p.recognise.absent = [];
  if (JSON.stringify(p.recognise) === JSON.stringify({ ...original.recognise, absent: original.recognise.absent ?? [] })) return null;
  return parseProfile(p, `${p.id}.json`);
}

describe('no stealing', () => {
  it('adding greedy profiles (only DCIM/, or any shipped profile with its markers loosened) changes no card\'s identification', async () => {
    const loose = shipped.flatMap((p) => loosened(p.id) ?? []);
    expect(loose.length, 'most shipped profiles have something to loosen').toBeGreaterThanOrEqual(shipped.length - 1);
    const extras = [greedyDcim(), ...loose];
    const all = [...shipped, ...extras];
    for (const card of cards) {
      // As the card is docked: a camera brings its volume label (and, where it has one, its USB id).
      for (const { how, volume } of waysToSee(card).filter((w) => w.volume.label !== null)) {
        const found = await identifyVolume(volume, all);
        expect({ card: card.name, how, profile: found.profile?.id ?? null, tie: found.tie }, scores(found)).toEqual({ card: card.name, how, profile: card.identifiedAs, tie: false });
      }
      // The greedy copies really competed: the loosened copy of the card's own profile matched it, and lost.
      const mine = loose.find((p) => p.id === `loose-${card.profile}`);
      if (mine) {
        const found = await identifyVolume({ root: card.manifest.root, label: card.manifest.label }, all);
        expect(found.verdicts.find((v) => v.profileId === mine.id), `${mine.id} on ${card.name}: ${scores(found)}`).toMatchObject({ matched: true });
      }
    }
  });

  it('a copy of a card in a folder (no label), beside greedy profiles, is identified as recorded: taken by none, a tie only where the label alone tells the model', async () => {
    // dcim-generic asks only for DCIM/ and its label: without the label it is exactly what a
    // greedy profile asks, so a copy of its card ties (reported, never guessed). Every other model
    // asks more of the volume than any greedy copy, and keeps its cards.
    const all = [...shipped, greedyDcim(), ...shipped.flatMap((p) => loosened(p.id) ?? [])];
    for (const card of cards) {
      const found = await identifyVolume({ root: card.manifest.root, label: null }, all);
      const tie = card.copyBesideGreedy === 'tie';
      expect({ card: card.name, profile: found.profile?.id ?? null, tie: found.tie }, scores(found)).toEqual({ card: card.name, profile: tie ? null : card.copyBesideGreedy, tie });
      if (tie) expect(found.reasons[0]).toMatch(new RegExp(`平局.*${card.profile}`));
    }
  });

  it('two identical profiles are a tie whose headline says so (平局 / tie), for every shipped profile, also as the dock reads it', async () => {
    for (const card of cards.filter((c) => c.profile === c.identifiedAs && c.name === c.profile)) {
      const twin = structuredClone(raw.get(card.profile));
      twin.id = `${card.profile}-twin`;
      const profiles = [...shipped, parseProfile(twin, `${twin.id}.json`)];
      for (const { how, volume } of waysToSee(card)) {
        const found = await identifyVolume(volume, profiles);
        expect({ card: card.name, how, profile: found.profile, tie: found.tie }).toEqual({ card: card.name, how, profile: null, tie: true });
        expect(found.reasons[0], `${card.name}, ${how}`).toMatch(/平局/);
        expect(found.reasons[0]).toMatch(new RegExp(`\\btie\\b.*${card.profile}, ${twin.id}`));
      }
      // What the dock watcher (and `station ingest <folder>`) reports for the volume: the same headline.
      const docked = await identifyDock({ id: card.name, root: card.manifest.root, label: card.manifest.label, removable: false, source: 'watched-folder' }, profiles, { now: () => T0 });
      expect('profile' in docked).toBe(false);
      expect(docked.reasons[0]).toMatch(/平局.* \/ a tie: /);
      // What the board is told, to say it in the reader's language (unrecognized-text.ts).
      expect('cause' in docked && docked.cause).toEqual({ kind: 'tie', profiles: [card.profile, twin.id].sort() });
    }
  });
});
