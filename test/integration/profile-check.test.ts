// `npm run profile:check`, the site technician's tool, run as they run it (tsx, a child process):
// a good profile on an emulated card of its model (exit 0, the card read through it), a profile
// with problems (exit 1, each as file: field: message), a card that another profile wins or that
// two profiles tie on (exit 2), and a wrong command line (exit 3).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfileSet, templateOf, type CameraProfile } from '../../electron/core/docking/profile/index.js';
import type { CheckReport } from '../../scripts/profile-check.js';
import { makeCamera, type CameraManifest } from '../fixtures/camera/camera.js';
import { removeAfterEach } from '../support/cleanup.js';
import { repoRoot, runStation, type CliRun } from '../support/cli.js';
import { tempDir } from '../support/station.js';

const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const SHIPPED = path.join(repoRoot, 'profiles');
const removeLater = removeAfterEach();

/** `npm run profile:check -- <args>`, through the script's tsx as the npm script runs it. */
function check(args: string[]): Promise<CliRun> {
  return runStation(args, { command: [tsx, path.join(repoRoot, 'scripts', 'profile-check.ts')] });
}

let profile: CameraProfile;
let cardDir: string;
let card: CameraManifest;
/** The card's label and USB id, as `--label`/`--usb-id` give them for a copy. */
let asDocked: string[];

beforeAll(async () => {
  // A shipped model the emulator can make a card of, with a binding file to read back.
  const shipped = (await loadProfileSet(SHIPPED)).profiles;
  const found = shipped.find((p) => templateOf(p, 'video') && p.binding !== 'none');
  if (!found) throw new Error('no shipped camera profile with a video template and a binding file; the test needs one');
  profile = found;
  // Made once for every test here (removeLater removes after each test).
  cardDir = tempDir('profile-check-');
  card = await makeCamera({ out: path.join(cardDir, 'card'), profile: profile.id, serial: 'DSJ0012345', badge: '012345', clips: 2, seconds: 1 });
  const usb = profile.recognise.usb[0];
  asDocked = ['--label', card.label, ...(usb ? ['--usb-id', `${usb.vendorId}:${usb.productId}`] : [])];
}, 120_000);
afterAll(() => fs.rmSync(cardDir, { recursive: true, force: true }));

describe('npm run profile:check', { timeout: 120_000 }, () => {
  it('checks a good profile, and reads an emulated card of its model through it: exit 0', async () => {
    const r = await check([profile.source, '--card', card.root, ...asDocked]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`✓ 配置有效 / the profile is valid: ${profile.id}`);
    expect(r.stdout).toContain(`结果 / Result: ${profile.id}（即本配置 / this profile）`);
    expect(r.stdout).toMatch(new RegExp(`✓ ${profile.id}：匹配 matches，得分 score \\d+`));
    expect(r.stdout).toContain(`按 ${profile.id} 读取 / What ${profile.id} reads on the card:`);
    expect(r.stdout).toContain('绑定 / Binding');
    // Every footage file a row, the ones the pattern does not read marked.
    const footage = card.files.filter((f) => f.kind !== null);
    for (const f of footage) expect(r.stdout).toMatch(new RegExp(`^ {4}${f.expectedName && f.role !== 'stray' && f.role !== 'device-file' ? '✓' : '[✓✗]'} {2}${f.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'mu'));
    const stray = footage.find((f) => f.role === 'stray')!;
    expect(r.stdout).toMatch(new RegExp(`^ {4}✗ {2}${stray.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +other`, 'mu'));

    const json = await check([profile.source, '--card', card.root, ...asDocked, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(report).toMatchObject({ profileId: profile.id, problems: [], exitCode: 0, card: { winner: profile.id, tie: false } });
    expect(report.loadedWith!.profiles).toContain(profile.id);
    const reads = report.card!.reads!;
    expect(reads.binding).toMatchObject({ status: 'ok', values: card.bindingFile!.values });
    expect(reads.files.map((f) => f.path).sort()).toEqual(footage.map((f) => f.path).sort());
    // What each name says is what the emulator wrote into it.
    for (const f of footage.filter((x) => x.role === 'clip' || x.role === 'audio' || x.role === 'photo')) {
      const read = reads.files.find((x) => x.path === f.path)!;
      expect(read, f.path).toMatchObject({ matched: true, kind: f.kind, ...f.expectedName });
    }
    expect(reads.files.find((x) => x.path === stray.path)).toMatchObject({ matched: false, kind: 'other' });
    if (profile.clock.read !== 'none') expect(reads.clock).toMatchObject({ status: 'ok', iso: card.clock.cameraNow });
  });

  it('checks a copy of a shipped profile in place of it, as it will be installed', async () => {
    const dir = removeLater(tempDir('profile-check-copy-'));
    const copy = path.join(dir, path.basename(profile.source));
    fs.copyFileSync(profile.source, copy);
    const r = await check([copy, '--card', card.root, ...asDocked]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`本文件取代 / this file stands in for: ${profile.source}`);
    const json = JSON.parse((await check([copy, '--json'])).stdout) as CheckReport;
    expect(json.loadedWith!.replaces).toBe(profile.source);
    expect(json.loadedWith!.profiles.filter((id) => id === profile.id)).toHaveLength(1);
  });

  it('prints every problem of a bad profile as file: field: message and exits 1', async () => {
    const dir = removeLater(tempDir('profile-check-bad-'));
    const bad = JSON.parse(fs.readFileSync(profile.source, 'utf8')) as Record<string, unknown> & { footage: { fileName: Record<string, unknown> }; name: Record<string, unknown> };
    bad.id = 'bad';
    bad.footage.fileName.pattern = '(?<se|rial>x)';
    delete bad.name.en;
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const r = await check([file, '--card', card.root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: name.en: 缺少必填字段`);
    expect(r.stdout).toContain('the station would skip this file');
    // The card is not looked at with a profile that does not load.
    expect(r.stdout).not.toContain('识别 / Identification');

    fs.writeFileSync(file, JSON.stringify({ ...bad, name: { 'zh-CN': '坏', en: 'bad' } }));
    const regex = await check([file, '--json']);
    expect(regex.code).toBe(1);
    const report = JSON.parse(regex.stdout) as CheckReport;
    expect(report.problems).toEqual(expect.arrayContaining([{ file, field: 'footage.fileName.pattern', message: expect.stringContaining('invalid regular expression') }]));

    fs.writeFileSync(file, '{ "id": "bad", ');
    const broken = await check([file]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`${file}: (file): 不是有效的 JSON / not valid JSON`);
  });

  it('exits 2 when the card is another profile\'s, or two profiles tie on it', async () => {
    const dir = removeLater(tempDir('profile-check-other-'));
    // The same model under another id: the card cannot be told between them.
    const twin = path.join(dir, 'twin.json');
    fs.writeFileSync(twin, JSON.stringify({ ...(JSON.parse(fs.readFileSync(profile.source, 'utf8')) as object), id: 'twin' }));
    const tie = await check([twin, '--card', card.root, ...asDocked]);
    expect(tie.code, tie.stdout).toBe(2);
    expect(tie.stdout).toContain('结果 / Result: ✗ 并列，无法确定 / a tie, no profile chosen');
    expect(tie.stdout).toContain('twin');

    // Another shipped profile checked against this card: the card is the first profile's.
    const other = (await loadProfileSet(SHIPPED)).profiles.find((p) => p.id !== profile.id)!;
    const r = await check([other.source, '--card', card.root, ...asDocked, '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.card).toMatchObject({ winner: profile.id });
    expect(report.card!.reads!.profileId).toBe(profile.id);
    const winner = report.card!.verdicts.find((v) => v.profileId === profile.id)!;
    const theirs = report.card!.verdicts.find((v) => v.profileId === other.id)!;
    expect(!theirs.matched || theirs.score <= winner.score).toBe(true);
    expect(r.stdout).not.toContain('"tie": true');
  });

  it('refuses a wrong command line with exit 3 and the usage', async () => {
    const none = await check([]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('缺少配置文件 / no profile file given');
    expect(none.stderr).toContain('npm run profile:check -- <配置文件 profile.json>');
    const usb = await check([profile.source, '--card', card.root, '--usb-id', '2207']);
    expect(usb.code).toBe(3);
    expect(usb.stderr).toContain('--usb-id must be VVVV:PPPP');
    const notFolder = await check([profile.source, '--card', path.join(card.root, 'no-such')]);
    expect(notFolder.code).toBe(3);
    expect(notFolder.stderr).toContain('--card is not a folder');
  });
});
