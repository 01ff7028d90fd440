// `station ingest` and the camera profiles, run as a user runs the CLI (a child process): a
// ProfileError answers with its own code, profile_invalid, and every problem (file: field: message),
// not `internal`; a profile file with errors is skipped and said so; --label and --usb-id make a
// copied card identify as the camera would when docked, and a malformed --usb-id is a usage error.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { removeAfterEach } from '../support/cleanup.js';
import { repoRoot, runStation, type CliRun } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';
const SHIPPED = path.join(repoRoot, 'profiles');
/** The emulator's default model: its cards identify through it. */
const GOOD = 'gat947-generic';
const removeLater = removeAfterEach();

/**
 * `station <args>` through the CLI's own entry (runCli), with the station's camera profiles in
 * `profilesDir` instead of the repository's: the way the packaged app points at its resources, and
 * here at a folder the test controls, so the shipped profiles are never touched.
 */
function runWithProfiles(args: string[], profilesDir: string): Promise<CliRun> {
  const run = path.join(repoRoot, 'electron/core/cli/run.ts');
  const code = `const { runCli } = await import(${JSON.stringify(run)}); process.exitCode = await runCli(JSON.parse(process.env.CLI_ARGS), process.env, { profilesDir: process.env.CLI_PROFILES });`;
  return runStation(args, {
    command: [process.execPath, '--import', 'tsx', '--input-type=module', '-e', code],
    env: { CLI_ARGS: JSON.stringify(args), CLI_PROFILES: profilesDir },
  });
}

async function station(): Promise<string> {
  const data = removeLater(tempDir('station-cli-profiles-'));
  const r = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: `${PASSWORD}\n${PASSWORD}\n` });
  expect(r.code, r.stderr).toBe(0);
  return data;
}

/** A profiles folder with the given files (name → text), and the good shipped profile when asked. */
function profilesFolder(files: Record<string, string>, withGood = true): string {
  const dir = removeLater(tempDir('profiles-'));
  if (withGood) fs.copyFileSync(path.join(SHIPPED, `${GOOD}.json`), path.join(dir, `${GOOD}.json`));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const lastJson = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1)!) as { ok: boolean; error: { code: string; message: string; details?: { problems?: unknown[] } } };

async function card(serial: string) {
  const m = await camera({ serial, badge: '100001' });
  removeLater(path.dirname(m.root));
  return m;
}

describe('station ingest and the camera profiles', { timeout: 300_000 }, () => {
  it('answers profile_invalid, exit 1, listing every problem as file: field: message, when no profile loads', async () => {
    const data = await station();
    const m = await card('DSJ-Q1');
    const dir = profilesFolder({ 'broken.json': '{ "id": "broken", ', 'empty.json': '{}' }, false);
    const r = await runWithProfiles(['ingest', m.root, '--data', data], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^错误 \/ Error \[profile_invalid\]: 相机配置有误（\d+ 处问题，见下）/mu);
    expect(r.stderr).not.toContain('[internal]');
    expect(r.stderr).toContain(`  - ${path.join(dir, 'broken.json')}: (file): 不是有效的 JSON / not valid JSON`);
    expect(r.stderr).toContain(`  - ${path.join(dir, 'empty.json')}: id: 缺少必填字段`);
    expect(r.stderr).toContain(`  - ${dir}: (file): `);
    expect(r.stderr).toMatch(/npm run profile:check/);

    const json = await runWithProfiles(['ingest', m.root, '--data', data, '--json'], dir);
    expect(json.code).toBe(1);
    const body = lastJson(json.stderr);
    expect(body).toMatchObject({ ok: false, error: { code: 'profile_invalid' } });
    expect(body.error.details!.problems).toEqual(
      expect.arrayContaining([
        { file: path.join(dir, 'broken.json'), field: '', message: expect.stringContaining('not valid JSON') },
        { file: dir, field: '', message: expect.stringContaining('no camera can be recognised') },
      ]),
    );
    // The folder was not offloaded: no dock was opened.
    const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM dock_session').get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM alarm WHERE kind = 'profile_invalid' AND resolved_at IS NULL").get()).toEqual({ n: 3 });
    } finally {
      db.close();
    }
  });

  it('skips a profile file with errors, says which, and offloads through the others', async () => {
    const data = await station();
    const m = await card('DSJ-Q2');
    const dir = profilesFolder({ 'typo.json': JSON.stringify({ id: 'typo', nmae: 'x' }) });
    const r = await runWithProfiles(['ingest', m.root, '--data', data], dir);
    // Unregistered, so exit 1, but identified through the good profile.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('DSJ-Q2');
    expect(r.stderr).toContain('注意：1 个相机配置文件有误，已跳过');
    expect(r.stderr).toContain('Note: 1 camera profile file(s) have errors and were skipped');
    expect(r.stderr).toContain(`  - ${path.join(dir, 'typo.json')}: nmae: 不认识的字段（拼写错误？） / unknown field (a typo?)`);

    const json = await runWithProfiles(['ingest', m.root, '--data', data, '--json'], dir);
    const summary = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { type: string; profileId: string; profileProblems: Array<{ file: string; field: string }> };
    expect(summary).toMatchObject({ type: 'summary', profileId: GOOD });
    expect(summary.profileProblems.map((p) => [path.basename(p.file), p.field])).toEqual(expect.arrayContaining([['typo.json', 'nmae']]));
  });

  it('--label and --usb-id make a copied card identify as the camera would when docked', async () => {
    const data = await station();
    const m = await card('DSJ-Q3');
    // A model of the same layout known by its USB id and its own label: a copy is one or the other only as told.
    const good = JSON.parse(fs.readFileSync(path.join(SHIPPED, `${GOOD}.json`), 'utf8')) as { recognise: Record<string, unknown> };
    const acme = { ...good, id: 'acme-x1', recognise: { ...good.recognise, usb: [{ vendorId: '2207', productId: '0010' }], volumeLabel: { patterns: ['^ACME'], typical: 'ACME' } } };
    const dir = profilesFolder({ 'acme-x1.json': JSON.stringify(acme) });
    const profileOf = async (extra: string[]) => {
      const r = await runWithProfiles(['ingest', m.root, '--data', data, '--json', ...extra], dir);
      const last = r.stdout.trim().split('\n').at(-1);
      return last ? (JSON.parse(last) as { profileId: string | null }).profileId : lastJson(r.stderr).error.code;
    };
    // The folder's own name is no label either model writes: the two match equally, and the station will not guess.
    expect(await profileOf([])).toBe('invalid_state');
    expect(await profileOf(['--label', 'DSJ'])).toBe(GOOD);
    expect(await profileOf(['--usb-id', '2207:0010'])).toBe('acme-x1');
    expect(await profileOf(['--usb-id', '0x2207:0x0010', '--label', 'ACME'])).toBe('acme-x1');
    const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT label, profile_id FROM dock_session ORDER BY id').all()).toEqual([
        { label: 'DSJ', profile_id: GOOD },
        { label: 'volume', profile_id: 'acme-x1' },
        { label: 'ACME', profile_id: 'acme-x1' },
      ]);
    } finally {
      db.close();
    }
    // Not told apart: the answer says it is a tie, and how to give a copy's label and USB id.
    const refused = await runWithProfiles(['ingest', m.root, '--data', data], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('several camera profiles match it equally');
    expect(refused.stderr).toContain("give the camera's volume label and USB id with --label and --usb-id");
  });

  it('refuses a malformed --usb-id as a usage error, exit 2, before anything is offloaded', async () => {
    const data = await station();
    const m = await card('DSJ-Q4');
    for (const bad of ['2207', '2207:10', 'xyz1:0010', '2207-0010']) {
      const r = await runStation(['ingest', m.root, '--data', data, '--usb-id', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--usb-id must be VVVV:PPPP, vendor:product, 4 hex digits each (e.g. 2207:0010), not “${bad}”`);
      expect(r.stderr).toMatch(/^错误 \/ Error \[usage\]: --usb-id 应为 VVVV:PPPP/mu);
      expect(r.stderr).toContain('station ingest --help');
    }
    const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM dock_session').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const help = await runStation(['ingest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--label <卷标 label>');
    expect(help.stdout).toContain('--usb-id <VVVV:PPPP>');
    expect(help.stdout).toMatch(/--label and --usb-id/);
  });
});
