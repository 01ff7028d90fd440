// `station ingest <folder>` as a user runs it: the real CLI in a child
// process, an emulated camera (real ffmpeg footage), a temp data folder; the
// counts it prints are held against the emulator's manifest.
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../electron/core/cli/format.js';
import type { IngestReport } from '../../electron/core/cli/ingest-command.js';
import type { CameraManifest } from '../fixtures/camera/camera.js';
import { removeAfterEach } from '../support/cleanup.js';
import { runStation, stationBin } from '../support/cli.js';
import { camera } from '../support/ingest.js';
import { tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';

const removeLater = removeAfterEach();

/** A set-up station with officer 100001 (and, when given, a camera kept by them). */
async function station(serial?: string): Promise<string> {
  const data = tempDir('station-cli-ingest-');
  removeLater(data);
  const steps: string[][] = [
    ['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'],
    ['users', 'add', '--data', data, '--badge', '100001', '--name', '张执法', '--role', 'officer'],
    ...(serial ? [['devices', 'add', '--data', data, '--serial', serial, '--model', 'DSJ-V8', '--keeper', '100001']] : []),
  ];
  for (const args of steps) {
    const r = await runStation(args, { stdin: `${PASSWORD}\n${PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
  }
  return data;
}

async function emulated(serial: string, options: { clipBytes?: number; badge?: string } = {}): Promise<CameraManifest> {
  const m = await camera({ serial, badge: '100001', ...options });
  removeLater(path.dirname(m.root));
  return m;
}

const footage = (m: CameraManifest) => m.files.filter((f) => f.expected === 'committed' || f.expected === 'damaged');
const damaged = (m: CameraManifest) => m.files.filter((f) => f.expected === 'damaged');
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
const count = (stdout: string, label: RegExp) => Number(label.exec(stdout)?.[1]);

// Every test here runs the CLI five to ten times, each a Node process that loads the core
// through tsx, and most make a camera with ffmpeg and offload it: 10–20 s each on an idle
// 2-core machine, two and a half minutes on a loaded one (load ~18). Each step waits for its
// process to end, never for a fixed time; the timeout is only a backstop against a hang.
describe('station ingest <folder>', { timeout: 300_000 }, () => {
  it('offloads an emulated camera, prints a clean summary, and a second run finds everything already there', async () => {
    const data = await station('DSJ-C1');
    const m = await emulated('DSJ-C1');
    expect(damaged(m)).toHaveLength(2);

    // The folder before the flags.
    const first = await runStation(['ingest', m.root, '--data', data]);
    expect(first.code, first.stderr).toBe(0);
    const out = first.stdout;
    expect(out).toContain('导出完成');
    expect(out).toContain('Offload finished: camera DSJ-C1');
    expect(count(out, /已存入 committed\s+(\d+)/)).toBe(footage(m).length);
    expect(count(out, /incl\. damaged (\d+)/)).toBe(2);
    expect(count(out, /重复 duplicate\s+(\d+)/)).toBe(0);
    expect(count(out, /失败 failed\s+(\d+)/)).toBe(0);
    const bytes = footage(m).reduce((s, f) => s + f.size, 0);
    expect(out).toMatch(new RegExp(`数据量 data\\s+${formatBytes(bytes)}\n`));
    expect(out).toMatch(/用时 time taken\s+\d/);
    // 第七条: the emulated camera's clock runs 7 minutes slow.
    expect(out).toMatch(/时钟偏差 clock skew\s+记录仪慢 7 分 \d+ 秒.*the camera is 7 min \d+ s slow/);
    // Each damaged file with the probe's message, and where the clips went.
    for (const f of damaged(m)) expect(out).toContain(f.path);
    expect(out).toMatch(/录像不完整，缺少 moov 索引.* \/ incomplete recording.*\n {4}探测结果 probe: .*moov atom not found/);
    expect(out).toContain('    文件为空 / empty file\n    探测结果 probe: zero-length file');
    expect(out).toMatch(new RegExp(`In the vault \\(${data}/vault\\):\\n  ${data}/vault/\\d{4}/\\d\\d/\\d\\d/DSJ-C1`));
    // No terminal, no bar: nothing but plain lines on stderr.
    expect(first.stderr).not.toContain('\r');

    // Again, the flags before the folder, as JSON lines: nothing new, all duplicates.
    const again = await runStation(['ingest', '--data', data, '--json', m.root]);
    expect(again.code, again.stderr).toBe(0);
    const lines = jsonLines(again.stdout);
    const summary = lines.at(-1) as unknown as IngestReport;
    expect(summary.type).toBe('summary');
    expect(lines.slice(0, -1).every((l) => l.type === 'progress' || l.type === 'file')).toBe(true);
    expect(summary).toMatchObject({ state: 'done', committed: 0, duplicate: footage(m).length, failed: 0, bytes: 0, serial: 'DSJ-C1' });
    expect(summary.files.every((f) => f.state === 'duplicate' && f.vaultPath !== null)).toBe(true);
    // Each duplicate says how its clip was stored: the damaged recordings are still damaged, the rest not.
    expect(summary.files.filter((f) => f.damaged).map((f) => f.path).sort()).toEqual(footage(m).filter((f) => f.expected === 'damaged').map((f) => f.path).sort());
    expect(summary.files.filter((f) => f.damaged).every((f) => f.damageReason !== null)).toBe(true);
    expect(summary.damaged).toBe(0);
  });

  it('--json streams progress and every file change, then the summary as the last line', async () => {
    const data = await station('DSJ-C2');
    const m = await emulated('DSJ-C2');
    const r = await runStation(['ingest', m.root, '--data', data, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    const summary = lines.at(-1) as unknown as IngestReport;
    expect(summary).toMatchObject({ type: 'summary', state: 'done', committed: footage(m).length, damaged: 2, duplicate: 0, failed: 0 });
    expect(summary.bytes).toBe(footage(m).reduce((s, f) => s + f.size, 0));
    // 7 minutes slow, plus however long it took from writing the camera's clock file to reading it.
    expect(summary.clockSkewMs).toBeLessThanOrEqual(-419_000);
    expect(summary.clockSkewMs).toBeGreaterThan(-480_000);
    expect(summary.damagedFiles.map((f) => f.path).sort()).toEqual(damaged(m).map((f) => f.path).sort());
    expect(summary.damagedFiles.every((f) => typeof f.damageReason === 'string' && f.damageReason.length > 0)).toBe(true);
    // One folder per day and camera: the emulated clips were recorded just before now, so around midnight in the
    // station's zone they fill two days' folders.
    const days = new Set(summary.files.filter((f) => f.vaultPath !== null).map((f) => path.posix.dirname(f.vaultPath!)));
    expect(summary.vault.folders).toHaveLength(days.size);
    expect(days.size).toBeGreaterThanOrEqual(1);
    for (const folder of summary.vault.folders) {
      expect(folder).toMatch(/\d{4}[/\\]\d\d[/\\]\d\d[/\\]DSJ-C2$/);
      expect(fs.existsSync(folder)).toBe(true);
    }

    const progress = lines.filter((l) => l.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatchObject({ filesDone: footage(m).length, filesTotal: footage(m).length, bytesDone: summary.bytes });
    // Every file went copying → verifying → committed, in that order.
    const files = lines.filter((l) => l.type === 'file') as unknown as Array<{ path: string; state: string }>;
    for (const f of footage(m)) {
      const states = files.filter((l) => l.path === f.path).map((l) => l.state);
      expect(states.at(-1), f.path).toBe('committed');
      expect(states.indexOf('copying'), f.path).toBeLessThan(states.indexOf('committed'));
    }
  });

  it('refuses an unregistered camera with the commands that register it, which then work', async () => {
    const data = await station();
    const m = await emulated('DSJ-NEW');
    const r = await runStation(['ingest', m.root, '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('未登记的执法记录仪');
    expect(r.stdout).toContain('Unregistered camera: serial DSJ-NEW');
    const suggested = r.stdout.split('\n').filter((l) => l.startsWith('  station '));
    expect(suggested).toEqual([`  station devices add --serial DSJ-NEW --keeper 100001 --data ${data}`, `  station ingest ${m.root} --data ${data}`]);
    expect(r.stderr).toContain('Unregistered camera: DSJ-NEW');

    const json = await runStation(['ingest', m.root, '--data', data, '--json']);
    expect(json.code).toBe(1);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ type: 'summary', state: 'unregistered', serial: 'DSJ-NEW', committed: 0 });

    // Following the hint, word for word.
    for (const line of suggested) {
      const next = await runStation(line.trim().split(' ').slice(1));
      expect(next.code, next.stderr).toBe(0);
    }
  });

  it('a camera bound to another officer than its keeper: the footage is offloaded and the summary says an alarm was raised', async () => {
    const data = await station('DSJ-C4');
    const m = await emulated('DSJ-C4', { badge: '300400' });
    const r = await runStation(['ingest', m.root, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(count(r.stdout, /已存入 committed\s+(\d+)/)).toBe(footage(m).length);
    expect(r.stdout).toContain('注意：记录仪绑定的警号 300400 与定人保管人 张执法（100001）不符，已发出告警。\n');
    expect(r.stdout).toContain('Note: the camera is bound to badge 300400, not to its keeper 张执法 (100001); an alarm was raised.\n');
    const db = new Database(path.join(data, 'station.sqlite'), { readonly: true });
    try {
      const alarms = db.prepare("SELECT serial, resolved_at FROM alarm WHERE kind = 'binding_mismatch'").all();
      expect(alarms).toEqual([{ serial: 'DSJ-C4', resolved_at: null }]);
    } finally {
      db.close();
    }
    // The same camera bound to its keeper says nothing of the kind.
    const own = await emulated('DSJ-C4');
    const again = await runStation(['ingest', own.root, '--data', data]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('导出完成');
    expect(again.stdout).not.toContain('已发出告警');
  });

  it('a station whose ffprobe does not run (STATION_FFPROBE names none): every file stored whole, marked not checked, and the summary says what to do', async () => {
    const data = await station('DSJ-C5');
    const m = await emulated('DSJ-C5');
    const nowhere = path.join(data, 'no-ffmpeg', 'ffprobe');
    const r = await runStation(['ingest', m.root, '--data', data], { env: { STATION_FFPROBE: nowhere } });
    expect(r.code, r.stderr).toBe(0);
    expect(count(r.stdout, /已存入 committed\s+(\d+)/)).toBe(footage(m).length);
    // The empty file and the MP4 cut short (no moov) are known to be damaged, and the photos to be
    // whole, without ffprobe (ingest/media-check); every other file ffprobe reads was not checked.
    const inProcess = (f: ReturnType<typeof footage>[number]) => f.size > 0 && (f.kind === 'photo' || f.expected === 'damaged');
    const probed = footage(m).filter((f) => f.kind !== 'other' && f.size > 0 && !inProcess(f)).length;
    expect(probed).toBeGreaterThan(2);
    expect(r.stdout).toMatch(new RegExp(`已存入 committed\\s+\\d+（含损坏 incl\\. damaged 2，未能检查 not checked ${probed}）\n`));
    const notCheckedList = r.stdout.split('未能检查能否播放的文件（已按原样存入，不一定损坏） / Not checked whether they play (stored bit-exact; not necessarily damaged):\n')[1]!.split('\n\n')[0]!;
    expect(notCheckedList.match(/ {4}未能检查能否播放，文件已完整保存 \/ could not be checked; stored whole\n/g)).toHaveLength(probed);
    expect(r.stdout).toContain('    文件为空 / empty file\n');
    expect(r.stdout).toContain(`注意：检测程序 ffprobe 无法运行（${nowhere}: spawn ${nowhere} ENOENT），存入的录像未能检查能否播放`);
    expect(r.stdout).toContain('or give its path in the environment variable STATION_FFPROBE, and the station checks them then; an alarm was raised.');
    const json = await runStation(['ingest', m.root, '--data', data, '--json'], { env: { STATION_FFPROBE: nowhere } });
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ type: 'summary', probeUnavailable: `${nowhere}: spawn ${nowhere} ENOENT` });
    const damagedAgain = jsonLines(json.stdout).at(-1) as unknown as IngestReport;
    // All duplicates the second time: nothing new stored, nothing new to count.
    expect(damagedAgain).toMatchObject({ committed: 0, damaged: 0, notChecked: 0 });
    // With ffprobe back, the alarm is resolved when the station starts, and the summary says nothing of it.
    const again = await runStation(['ingest', m.root, '--data', data]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('ffprobe');
  });

  it('a folder that is not a camera, or not there, or a data folder another process is ingesting into, exits 1 with the reason', async () => {
    const data = await station('DSJ-C3');
    const junk = tempDir('not-a-camera-');
    removeLater(junk);
    fs.mkdirSync(path.join(junk, 'stuff'));
    fs.writeFileSync(path.join(junk, 'stuff', 'notes.txt'), 'shopping list');
    fs.writeFileSync(path.join(junk, 'random.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const notCamera = await runStation(['ingest', junk, '--data', data]);
    expect(notCamera.code).toBe(1);
    expect(notCamera.stdout).toBe('');
    expect(notCamera.stderr).toContain('[invalid_state]');
    expect(notCamera.stderr).toContain('is not a camera the station recognises');
    // Why, per camera profile.
    expect(notCamera.stderr).toMatch(/- gat947-generic: .*is missing/);
    expect(notCamera.stderr).toMatch(/- dcim-generic: .*is missing/);

    const missing = await runStation(['ingest', path.join(junk, 'no-such-folder'), '--data', data, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr.trim().split('\n').at(-1)!)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(missing.stderr).toContain(`There is no folder ${path.join(junk, 'no-such-folder')}`);
    const aFile = await runStation(['ingest', path.join(junk, 'random.bin'), '--data', data]);
    expect(aFile.code).toBe(1);
    expect(aFile.stderr).toContain(`${path.join(junk, 'random.bin')} is a file, not a folder`);

    // The desktop app (here: this test process, which is alive) holds the ingest lock.
    const m = await emulated('DSJ-C3');
    fs.writeFileSync(path.join(data, 'ingest.lock'), String(process.pid));
    const locked = await runStation(['ingest', m.root, '--data', data]);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`Another station process (pid ${process.pid}) is offloading into this data folder`);
    fs.rmSync(path.join(data, 'ingest.lock'));
    const free = await runStation(['ingest', m.root, '--data', data]);
    expect(free.code, free.stderr).toBe(0);
  });

  it('usage: the folder is required and alone; --vault must exist', async () => {
    const data = await station();
    for (const args of [
      ['ingest', '--data', data],
      ['ingest', data, data, '--data', data],
      ['verify', 'extra', '--data', data],
    ]) {
      const r = await runStation(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toContain('[usage]');
      expect(r.stdout).toBe('');
    }
    expect((await runStation(['ingest', '--data', data])).stderr).toContain('Missing <目录 folder>');
    const noVault = await runStation(['ingest', data, '--data', data, '--vault', path.join(data, 'elsewhere')]);
    expect(noVault.code).toBe(3);
    expect(noVault.stderr).toContain('[no_vault]');
    expect(fs.existsSync(path.join(data, 'elsewhere'))).toBe(false);

    const help = await runStation(['ingest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('station ingest <目录 folder> [--vault <目录 folder>] [--label <卷标 label>] [--usb-id <VVVV:PPPP>] [--data <目录 folder>] [--json]');
    const top = await runStation(['--help']);
    for (const name of ['ingest', 'verify', 'rebuild-index']) expect(top.stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
  });

  it('on a terminal draws a progress bar on stderr, then the summary', async () => {
    if (spawnSync('python3', ['--version']).status !== 0) {
      console.warn('skipped: python3 is needed to drive a pseudo-terminal');
      return;
    }
    const data = await station('DSJ-C4');
    const m = await emulated('DSJ-C4');
    // A pseudo-terminal for stdin, stdout and stderr (Python's pty module); everything it printed comes back.
    const driver = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk: break
    out += chunk
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;
    const r = await runStation(['ingest', m.root, '--data', data], { command: ['python3', '-c', driver, process.execPath, stationBin] });
    expect(r.code, r.stdout).toBe(0);
    const n = footage(m).length;
    expect(r.stdout).toMatch(/\r\[[=> ]+\]\s+\d+% {2}文件 files \d+\/\d+ {2}/);
    expect(r.stdout).toContain(`100%  文件 files ${n}/${n}`);
    // The bar is erased (carriage return, erase to end of line) before the summary, which starts on a clean line.
    expect(r.stdout).toContain('\r\u001b[K导出完成');
  });

  it('Ctrl-C cancels: what was stored stays, and the next run stores the rest', async () => {
    const data = await station('DSJ-C5');
    // Big clips, so the copy is still running when the signal arrives.
    const m = await emulated('DSJ-C5', { clipBytes: 96 * 1024 * 1024 });
    const child = spawn(process.execPath, [stationBin, 'ingest', m.root, '--data', data, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!signalled && /"type":"progress"/.test(stdout)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('Cancelling');
    const cancelled = jsonLines(stdout).at(-1) as unknown as IngestReport;
    expect(cancelled).toMatchObject({ type: 'summary', state: 'cancelled' });
    expect(cancelled.committed).toBeLessThan(footage(m).length);
    expect(cancelled.failedFiles.every((f) => f.failureKind === 'cancelled')).toBe(true);

    const rest = await runStation(['ingest', m.root, '--data', data, '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    const done = jsonLines(rest.stdout).at(-1) as unknown as IngestReport;
    expect(done.committed + done.duplicate).toBe(footage(m).length);
    expect(done.committed).toBe(footage(m).length - cancelled.committed);
  });
});
