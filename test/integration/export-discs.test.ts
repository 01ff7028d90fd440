// Evidence discs end to end on a real station (issue 21): cameras docked for real, a case, and
// 综合处 exporting it. Real xorriso makes the images, the station reads them back, and the test
// reads them again with stock tools: xorriso extracts the disc, `sha256sum -c` checks it.
// Also: the approval rules (secret clips, no case, not as evidence, the station setting), the
// register, a clip altered in the vault stopping the export with the tamper alarm, and burning
// to a file-backed pseudo drive (there is no optical drive here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../shared/export.js';
import { tempDir } from '../support/station.js';
import type { CustodyStation } from './custody-support.js';
import { code, custodyStations } from './custody-support.js';

// Two file-backed pseudo drives (no optical drive here): the first burned by the first test, the
// second left blank for the last, which fills it itself.
const drivesDir = tempDir('burn-');
const burnTarget = path.join(drivesDir, 'drive-a.bin');
const blankTarget = path.join(drivesDir, 'drive-b.bin');
const { station } = custodyStations({ burnAddresses: [`stdio:${burnTarget}`, `stdio:${blankTarget}`] });

/** Two cameras docked, and a case holding every clip of the first. */
async function withCase(t: CustodyStation) {
  await t.admin.ok('devices.register', { serial: 'DSJ-E1', keeperId: t.officer.person.id });
  await t.admin.ok('devices.register', { serial: 'DSJ-E2', keeperId: t.officer2.person.id });
  expect((await t.dock({ serial: 'DSJ-E1', badge: '100001' })).summary.state).toBe('done');
  expect((await t.dock({ serial: 'DSJ-E2', badge: '100002' })).summary.state).toBe('done');
  const clips = t.station.db
    .prepare<[], { id: number; device: string; damaged: number; size: number }>('SELECT c.id, d.serial AS device, c.damaged, c.size FROM clip c JOIN device d ON d.id = c.device_id ORDER BY c.id')
    .all();
  const first = clips.filter((c) => c.device === 'DSJ-E1').map((c) => c.id);
  const legalCase = await t.office.client.ok('cases.create', { caseNo: '京公(刑)字〔2026〕第118号', cause: '故意伤害', handlerName: '刘承办' });
  await t.office.client.ok('cases.addClips', { caseId: legalCase.id, clipIds: first });
  return { clips, first, legalCase };
}

async function settled(t: CustodyStation, id: number): Promise<ExportRecord> {
  await t.station.exports.builder.settled(id);
  return t.office.client.ok('exports.get', { id });
}

/** The image extracted by xorriso, as any reader would see the disc. */
function extract(image: string): string {
  const out = tempDir('disc-');
  execFileSync('xorriso', ['-osirrox', 'on', '-indev', image, '-extract', '/', out], { stdio: 'pipe' });
  execFileSync('chmod', ['-R', 'u+w', out]);
  return out;
}

const outside = { name: '孙检察', unit: '某某区人民检察院', idNo: '110105198001010011' };

describe('evidence discs', () => {
  it('makes a case disc that reads back equal, and sha256sum -c passes on the extracted disc', async () => {
    const t = await station();
    const { first, legalCase, clips } = await withCase(t);
    const made = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'dvd', recipient: outside });
    // Approved by being made (第十七条): the build began at once, 提取时间 set by the station.
    expect(made.needsApproval).toEqual([]);
    expect(made.state).toBe('building');
    expect(made.extractedAt).toBe(t.clock.now());
    const ready = await settled(t, made.id);
    expect(ready.failure).toBeNull();
    expect(ready.state).toBe('ready');
    expect(ready.discs).toHaveLength(1);
    const disc = ready.discs[0]!;
    expect(disc.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(disc.files).toBe(first.length);
    // The damaged and the zero-length clip of the camera go on the disc too, as they are.
    const onDisc = clips.filter((c) => first.includes(c.id));
    expect(onDisc.some((c) => c.damaged === 1)).toBe(true);
    expect(onDisc.some((c) => c.size === 0)).toBe(true);

    const image = t.station.exports.builder.imageOf(made.id, 1, 1);
    expect(execFileSync('sha256sum', [image], { encoding: 'utf8' }).split(' ')[0]).toBe(disc.imageSha256);
    const root = extract(image);
    const check = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: root, encoding: 'utf8' });
    expect(check.trim().split('\n')).toHaveLength(first.length);
    expect(check).not.toMatch(/FAILED/);
    execFileSync('sha256sum', ['-c', 'tagmanifest-sha256.txt'], { cwd: root, encoding: 'utf8' });
    const bagInfo = fs.readFileSync(path.join(root, 'bag-info.txt'), 'utf8');
    expect(bagInfo).toContain('External-Identifier: 京公(刑)字〔2026〕第118号');
    expect(bagInfo).toContain('Bag-Count: 1 of 1');
    const sheet = fs.readFileSync(path.join(root, '说明.txt'), 'utf8');
    expect(sheet.startsWith('\ufeff')).toBe(true);
    for (const word of ['王综合', '孙检察', '某某区人民检察院', 'GP-']) expect(sheet).toContain(word);
    for (const f of ['说明.pdf', '校验方法.txt', '处理记录.pdf', '处理记录.csv', 'bagit.txt']) expect(fs.existsSync(path.join(root, f))).toBe(true);
    // The chain of custody names each clip's ingest.
    expect(fs.readFileSync(path.join(root, '处理记录.csv'), 'utf8')).toMatch(/clip\.committed|入库/);
    // Every file on the disc hashes as the vault's record, which the sheet gives.
    const recorded = t.station.db.prepare<[number], { hash: string }>('SELECT hash FROM clip WHERE id = ?');
    for (const line of fs.readFileSync(path.join(root, 'manifest-sha256.txt'), 'utf8').trim().split('\n')) {
      const [hash] = line.split('  ');
      expect(onDisc.some((c) => recorded.get(c.id)!.hash === hash)).toBe(true);
    }

    // The register and the clip's page.
    const register = await t.office.client.ok('exports.registerCsv', {});
    expect(register.csv).toContain(ready.exportNo);
    expect(register.csv).toContain(disc.imageSha256!);
    expect(register.csv).toContain('孙检察');
    const forClip = await t.office.client.ok('exports.list', { clipId: first[0]! });
    expect(forClip.exports.map((e) => e.id)).toEqual([made.id]);
    expect((await t.office.client.ok('exports.list', { clipId: clips.find((c) => c.device === 'DSJ-E2')!.id })).exports).toEqual([]);

    // The sheet printed for the case file, then again: 补打, each audited.
    const print = await t.office.client.ok('exports.sheet', { id: made.id, disc: 1 });
    expect(print.reprint).toBe(false);
    const again = await t.office.client.ok('exports.sheet', { id: made.id, disc: 1 });
    expect(again.reprint).toBe(true);
    const pdfFile = path.join(tempDir('sheet-'), 'reprint.pdf');
    fs.writeFileSync(pdfFile, Buffer.from(again.base64, 'base64'));
    expect(execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' })).toContain('补打');
    const actions = t.station.db.prepare<[string], { action: string }>("SELECT action FROM audit WHERE object_type = 'export' AND object_id = ? ORDER BY seq").all(String(made.id));
    expect(actions.map((a) => a.action)).toEqual(['export.created', 'export.started', 'export.disc_verified', 'export.ready', 'export.sheet_printed', 'export.sheet_reprinted']);

    // Burned to a (file-backed) drive and read back; a drive the station did not find is refused.
    expect(code(await t.office.client.call('exports.burn', { id: made.id, disc: 1, address: '/dev/sda' }))).toBe('not_found');
    const burned = await t.office.client.ok('exports.burn', { id: made.id, disc: 1, address: `stdio:${burnTarget}` });
    expect(burned.discs[0]!.burnedTo).toBe(`stdio:${burnTarget}`);

    // Handed over: 交付, the images leave the station; the register keeps their hashes.
    const handed = await t.office.client.ok('exports.handOver', { id: made.id });
    expect(handed.state).toBe('handed_over');
    expect(handed.handedOverAt).toBe(t.clock.now());
    expect(fs.existsSync(image)).toBe(false);
    expect(handed.discs[0]!.imageSha256).toBe(disc.imageSha256);
    // A department head, an officer and a custodian do not make discs.
    for (const c of [t.head.client, t.officer.client, t.custodian.client]) {
      expect(code(await c.call('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'dvd', recipient: outside }))).toBe('forbidden');
    }
  }, 180_000);

  it('holds secret, case-less and non-evidence exports for a department head, and the station setting holds all', async () => {
    const t = await station();
    const { first, legalCase, clips } = await withCase(t);
    const office = t.office.client;
    const other = clips.filter((c) => c.device === 'DSJ-E2').map((c) => c.id);

    const noCase = await office.ok('exports.create', { clipIds: other.slice(0, 2), purpose: 'evidence', medium: 'cd', recipient: { personId: t.officer2.person.id } });
    expect(noCase).toMatchObject({ state: 'pending_approval', needsApproval: ['no_case'] });
    const provision = await office.ok('exports.create', { caseId: legalCase.id, clipIds: [first[0]!], purpose: 'provision', medium: 'cd', recipient: outside });
    expect(provision.needsApproval).toEqual(['purpose']);
    // A clip not in the case is refused with what to do.
    const notInCase = await office.call('exports.create', { caseId: legalCase.id, clipIds: [other[0]!], purpose: 'evidence', medium: 'cd', recipient: outside });
    expect(code(notInCase)).toBe('invalid_input');

    await office.ok('library.classify', { clipIds: [first[1]!], confidentiality: 'commercial_secret' });
    const secret = await office.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'dvd', recipient: outside });
    expect(secret.needsApproval).toEqual(['secret']);
    // Nothing is built while it waits, and 综合处 cannot start or approve it.
    expect(code(await office.call('exports.start', { id: secret.id }))).toBe('invalid_state');
    expect(code(await office.call('exports.approve', { id: secret.id }))).toBe('forbidden');
    expect((await t.head.client.ok('exports.list', {})).pendingForMe).toBe(3);
    await t.head.client.ok('exports.approve', { id: secret.id, note: '同意作为证据附卷' });
    const refused = await t.head.client.ok('exports.refuse', { id: provision.id, reason: '不符合对外提供条件' });
    expect(refused).toMatchObject({ state: 'refused', decisionNote: '不符合对外提供条件' });
    expect(code(await office.call('exports.start', { id: provision.id }))).toBe('invalid_state');
    const started = await office.ok('exports.start', { id: secret.id });
    expect(started.state).toBe('building');
    const done = await settled(t, secret.id);
    expect(done.state).toBe('ready');
    expect(done.approvedBy).toContain('赵负责');

    await t.head.client.ok('exports.updateSettings', { requireApprovalForAll: true });
    const strict = await office.ok('exports.create', { caseId: legalCase.id, clipIds: [first[0]!], purpose: 'evidence', medium: 'cd', recipient: outside });
    expect(strict.needsApproval).toEqual(['station_setting']);
    const cancelled = await office.ok('exports.cancel', { id: strict.id, reason: '重复申请' });
    expect(cancelled.state).toBe('cancelled');
    // The register has every one, in every state.
    const all = (await t.head.client.ok('exports.list', {})).exports.map((e) => [e.exportNo, e.state]);
    expect(all).toEqual([
      [strict.exportNo, 'cancelled'],
      [secret.exportNo, 'ready'],
      [provision.exportNo, 'refused'],
      [noCase.exportNo, 'pending_approval'],
    ]);
  }, 180_000);

  it('stops with the tamper alarm when a clip in the vault was altered since ingest, and ships nothing', async () => {
    const t = await station();
    const { first, legalCase } = await withCase(t);
    const victim = t.station.db.prepare<[number], { vault_path: string; size: number }>('SELECT vault_path, size FROM clip WHERE id = ?').get(first[0]!)!;
    const file = t.station.vault.absolute(victim.vault_path);
    fs.chmodSync(file, 0o600);
    const fd = fs.openSync(file, 'r+');
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, Math.floor(victim.size / 2));
    fs.writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, Math.floor(victim.size / 2));
    fs.closeSync(fd);

    const made = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'dvd', recipient: outside });
    const failed = await settled(t, made.id);
    expect(failed.state).toBe('failed');
    expect(failed.failure?.code).toBe('vault_altered');
    expect(failed.failure?.message).toMatch(/篡改/);
    expect(failed.discs[0]!.imageSha256).toBeNull();
    expect(fs.readdirSync(t.station.exports.builder.dirOf(made.id)).filter((n) => n.endsWith('.iso'))).toEqual([]);
    const alarm = t.station.db.prepare<[], { kind: string; details: string }>("SELECT kind, details_json AS details FROM alarm WHERE resolved_at IS NULL AND kind = 'verify_failure'").get();
    expect(JSON.parse(alarm!.details)).toMatchObject({ source: 'export', exportNo: made.exportNo, clips: [{ clipId: first[0] }] });
    expect(t.station.db.prepare('SELECT clip_id FROM vault_altered').all()).toEqual([{ clip_id: first[0] }]);
    // Not downloadable, not deliverable.
    expect(code(await t.office.client.call('exports.download', { id: made.id, disc: 1 }))).toBe('invalid_state');
    expect(code(await t.office.client.call('exports.handOver', { id: made.id }))).toBe('invalid_state');
  }, 180_000);

  it('stops on a vault file that is gone, and makes the discs again once it is back', async () => {
    const t = await station();
    const { first, legalCase } = await withCase(t);
    const gone = t.station.db.prepare<[number], { vault_path: string }>('SELECT vault_path FROM clip WHERE id = ?').get(first[0]!)!;
    const file = t.station.vault.absolute(gone.vault_path);
    const aside = `${file}.aside`;
    fs.chmodSync(path.dirname(file), 0o700);
    fs.renameSync(file, aside);
    const made = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'dvd', recipient: outside });
    const failed = await settled(t, made.id);
    expect(failed.failure).toMatchObject({ code: 'vault_altered', message: expect.stringMatching(/缺失/) });
    const alarm = t.station.db.prepare<[], { details: string }>("SELECT details_json AS details FROM alarm WHERE resolved_at IS NULL AND kind = 'verify_failure'").get();
    expect(JSON.parse(alarm!.details)).toMatchObject({ source: 'export', clips: [{ clipId: first[0], problem: 'missing' }] });

    fs.renameSync(aside, file);
    t.clock.advance(3600_000);
    const again = await t.office.client.ok('exports.start', { id: made.id });
    // Made again from the record: a new 提取时间 for every disc.
    expect(again.extractedAt).toBe(t.clock.now());
    const ready = await settled(t, made.id);
    expect(ready.state).toBe('ready');
    expect(ready.failure).toBeNull();
    const sheet = await t.office.client.ok('exports.sheet', { id: made.id, disc: 1 });
    expect(sheet.reprint).toBe(false);
  }, 180_000);

  it('splits for the blank actually in a drive, and only a drive the station found', async () => {
    const t = await station();
    const { legalCase } = await withCase(t);
    const { drives } = await t.office.client.ok('exports.drives', {});
    // No optical drive here: the config's file-backed pseudo drive is the one listed.
    expect(drives.map((d) => d.address)).toEqual([`stdio:${burnTarget}`, `stdio:${blankTarget}`]);
    const refused = await t.office.client.call('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'drive', driveAddress: '/dev/sda', recipient: outside });
    expect(code(refused)).toBe('not_found');
    const noDrive = await t.office.client.call('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'drive', recipient: outside });
    expect(code(noDrive)).toBe('invalid_input');
    const made = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'drive', driveAddress: `stdio:${blankTarget}`, recipient: outside });
    expect(made.driveAddress).toBe(`stdio:${blankTarget}`);
    const ready = await settled(t, made.id);
    expect(ready).toMatchObject({ state: 'ready', failure: null, medium: 'drive' });
    expect(ready.discs).toHaveLength(1);
    // Burned there with progress: the burn, then the disc's read-back.
    const steps: string[] = [];
    const off = t.office.client.connection.onEvent((event, payload) => {
      if (event === 'export.progress') steps.push((payload as { progress: { step: string } }).progress.step);
    });
    await t.office.client.ok('exports.burn', { id: made.id, disc: 1, address: `stdio:${blankTarget}` });
    off();
    expect(steps[0]).toBe('burn');
    expect(steps).toContain('readback');
    expect(steps.at(-1)).toBe('done');
    // The same drive now holds a written disc: an export split for it stops and says to put in a blank.
    const full = await t.office.client.ok('exports.create', { caseId: legalCase.id, allOfCase: true, purpose: 'evidence', medium: 'drive', driveAddress: `stdio:${blankTarget}`, recipient: outside });
    expect((await settled(t, full.id)).failure).toMatchObject({ code: 'no_blank', message: expect.stringMatching(/空白光盘/) });
  }, 180_000);
});
