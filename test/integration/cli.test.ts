// The real `station` command, spawned as a user would run it (node bin/station.mjs,
// the same launcher `npx station` runs), against a temp data folder; what it
// wrote is then read back through the core.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Device } from '../../shared/domain.js';
import { osUserName } from '../../electron/core/cli/run.js';
import { removeAfterEach } from '../support/cleanup.js';
import { repoRoot as repo, runStation, stationBin as bin } from '../support/cli.js';
import { makeStation, tempDir } from '../support/station.js';

const PASSWORD = 'correct horse battery';
const twice = (pw: string, again = pw) => `${pw}\n${again}\n`;

const removeLater = removeAfterEach();
const dataDir = (): string => removeLater(tempDir('station-cli-'));

async function initialized(): Promise<string> {
  const data = dataDir();
  const r = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: twice(PASSWORD) });
  expect(r.code, r.stderr).toBe(0);
  return data;
}

/** Reads what the CLI left behind, through the core (not around it). */
async function readBack<T>(data: string, f: (t: ReturnType<typeof makeStation>) => Promise<T>): Promise<T> {
  const t = makeStation({ dataDir: data });
  try {
    return await f(t);
  } finally {
    t.close();
  }
}

describe('station CLI', () => {
  it('sets up, adds a person and a camera, lists and verifies; every audit row names the OS user', async () => {
    const data = dataDir();
    const init = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长', '--admin-unit', '某某分局'], {
      stdin: twice(PASSWORD),
    });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('张站长（000001）');
    expect(init.stdout).toContain(`os:${osUserName()}`);

    const add = await runStation(['users', 'add', '--data', data, '--badge', '100200', '--name', '李保管', '--role', '保管人', '--role', 'officer']);
    expect(add.code, add.stderr).toBe(0);
    const pin = /一次性 PIN：(\d+)/.exec(add.stdout)?.[1];
    expect(pin).toMatch(/^\d{6}$/);
    expect(add.stdout).toContain(`One-time PIN: ${pin}`);
    expect(add.stdout).toMatch(/首次登录时必须改/);
    expect(add.stdout).toMatch(/must be changed at first login/);

    const addJson = await runStation(['users', 'add', '--data', data, '--badge', '100201', '--name', '赵综合', '--role', 'general-office', '--json']);
    expect(addJson.code, addJson.stderr).toBe(0);
    const created = JSON.parse(addJson.stdout) as { person: { badge: string; roles: string[]; mustChangePin: boolean }; pendingRoles: string[]; oneTimePin: string };
    // 综合处 waits for a second person: the administrator 张站长 confirms it at the station (four eyes).
    expect(created.person).toMatchObject({ badge: '100201', roles: [], mustChangePin: true });
    expect(created.pendingRoles).toEqual(['general_office']);
    expect(created.oneTimePin).toMatch(/^\d{6}$/);

    const dev = await runStation(['devices', 'add', '--data', data, '--serial', 'DSJ-0001', '--model', 'X1', '--keeper', '100200']);
    expect(dev.code, dev.stderr).toBe(0);
    expect(dev.stdout).toContain('DSJ-0001');
    expect(dev.stdout).toContain('李保管（100200）');

    const listed = await runStation(['devices', 'list', '--data', data, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const devices = JSON.parse(listed.stdout) as Device[];
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ serial: 'DSJ-0001', model: 'X1', status: 'in_service', keeper: { badge: '100200', name: '李保管' } });

    const table = await runStation(['devices', 'list', '--data', data]);
    expect(table.code).toBe(0);
    const row = table.stdout.split('\n').find((l) => l.startsWith('DSJ-0001'));
    expect(row).toMatch(/^DSJ-0001\s+X1\s+在用 in service\s+李保管（100200）\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(table.stdout).toContain('Asia/Shanghai');

    const verify = await runStation(['audit', 'verify', '--data', data]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('审计链完整');
    const verifyJson = await runStation(['audit', 'verify', '--data', data, '--json']);
    expect(verifyJson.code).toBe(0);
    expect(JSON.parse(verifyJson.stdout)).toMatchObject({ intact: true, rows: 6, headSeq: 6 });

    await readBack(data, async (t) => {
      const audit = await t.cli().ok('audit.list', {});
      // The first start made the vault and bound it to the database (ingest/vault-guard.ts): the
      // station's own row; everything the CLI did names the OS user.
      expect(audit.entries.map((e) => [e.seq, e.action, e.actorKind]).reverse()).toEqual([
        [1, 'vault.bound', 'station'],
        [2, 'station.setup', 'os'],
        [3, 'person.created', 'os'],
        [4, 'person.created', 'os'],
        [5, 'role.grant_requested', 'os'],
        [6, 'device.registered', 'os'],
      ]);
      for (const e of audit.entries.filter((e) => e.actorKind !== 'station')) expect([e.actorKind, e.actorLabel]).toEqual(['os', `os:${osUserName()}`]);
      // The printed PIN is the one the station holds, and it is one-time.
      const session = await t.ui().ok('auth.loginBadge', { badge: '100200', pin: pin! });
      expect(session.mustChangePin).toBe(true);
      expect(session.person.roles).toEqual(['officer', 'custodian']);
      // And the administrator's password was taken from stdin.
      await t.ui().ok('auth.loginPassword', { badge: '000001', password: PASSWORD });
    });
  });

  it('--pin-stdin sets the chosen PIN, still one-time; a guessable PIN is refused before anyone is created', async () => {
    const data = await initialized();
    const ok = await runStation(['users', 'add', '--data', data, '--badge', '100300', '--name', '王审计', '--role', '审计员', '--pin-stdin'], {
      stdin: '802413\n',
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).not.toMatch(/802413/);
    expect(ok.stdout).toMatch(/must be changed at first login/);

    const weak = await runStation(['users', 'add', '--data', data, '--badge', '100301', '--name', '钱', '--role', 'auditor', '--pin-stdin'], {
      stdin: '123456\n',
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('[weak_secret]');
    const none = await runStation(['users', 'add', '--data', data, '--badge', '100302', '--name', '孙', '--role', 'auditor', '--pin-stdin']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('[missing_input]');

    await readBack(data, async (t) => {
      const people = await t.cli().ok('people.list', { includeInactive: true });
      expect(people.map((p) => p.badge)).toEqual(['000001', '100300']);
      const actions = (await t.cli().ok('audit.list', {})).entries.map((e) => e.action);
      expect(actions).toEqual(['person.pin_set', 'person.created', 'station.setup', 'vault.bound']);
      const session = await t.ui().ok('auth.loginBadge', { badge: '100300', pin: '802413' });
      expect(session.mustChangePin).toBe(true);
    });
  });

  it('refuses a second init, and mismatched or missing passwords change nothing', async () => {
    const fresh = dataDir();
    const mismatch = await runStation(['init', '--data', fresh, '--admin-badge', '000001', '--admin-name', '张站长'], {
      stdin: twice(PASSWORD, 'correct horse batterz'),
    });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('[secret_mismatch]');
    expect(mismatch.stderr).toMatch(/两次输入的新密码不一致.*differ/);
    const oneLine = await runStation(['init', '--data', fresh, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: `${PASSWORD}\n` });
    expect(oneLine.code).toBe(1);
    expect(oneLine.stderr).toContain('[missing_input]');
    const weak = await runStation(['init', '--data', fresh, '--admin-badge', '000001', '--admin-name', '张站长'], { stdin: twice('short') });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('[invalid_input]');
    expect(weak.stderr).toContain('password');
    await readBack(fresh, async (t) => expect((await t.ui().ok('station.status', {})).initialized).toBe(false));

    const data = await initialized();
    const again = await runStation(['init', '--data', data, '--admin-badge', '000009', '--admin-name', '另一人'], { stdin: twice(PASSWORD) });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[already_initialized]');
    expect(again.stderr).toMatch(/已完成初始设置.*already set up/);
  });

  it('usage errors exit 2 with a message, and write nothing', async () => {
    const data = await initialized();
    const role = await runStation(['users', 'add', '--data', data, '--badge', '100400', '--name', '周', '--role', 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('未知角色 “boss”');
    expect(role.stderr).toContain('Unknown role “boss”');
    expect(role.stderr).toContain('general_office');

    const cases: string[][] = [
      ['frobnicate'],
      ['users'],
      ['users', 'remove', '--data', data],
      ['devices', 'add', '--data', data, '--serial', 'A1', '--colour', 'red'],
      ['devices', 'add', '--data', data],
      ['devices', 'list', '--data', data, '--status', 'lost'],
      ['audit', 'verify', '--data', data, 'extra'],
      ['init', '--data', data, '--admin-badge'],
    ];
    for (const args of cases) {
      const r = await runStation(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(/\[usage\]/);
      expect(r.stderr).toMatch(/--help/);
      expect(r.stdout).toBe('');
    }
    const bare = await runStation([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage');

    // What init wrote (the vault bound, the setup), and nothing since.
    await readBack(data, async (t) => expect((await t.cli().ok('audit.list', {})).entries.map((e) => e.action)).toEqual(['station.setup', 'vault.bound']));
  });

  it('with --json, answers parse and errors are one JSON line on stderr with the error code', async () => {
    const data = await initialized();
    const conflict = await runStation(['devices', 'add', '--data', data, '--serial', 'DSJ-1', '--json']);
    expect(conflict.code).toBe(0);
    expect(JSON.parse(conflict.stdout)).toMatchObject({ serial: 'DSJ-1', keeper: null, keeperHistory: [] });

    const again = await runStation(['devices', 'add', '--data', data, '--serial', 'dsj-1', '--json']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(JSON.parse(again.stderr.trim().split('\n').at(-1)!)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const noKeeper = await runStation(['devices', 'add', '--data', data, '--serial', 'DSJ-2', '--keeper', '999999', '--json']);
    expect(noKeeper.code).toBe(1);
    expect(JSON.parse(noKeeper.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'not_found' } });

    const bad = await runStation(['devices', 'add', '--data', data, '--serial', 'not a serial!', '--json']);
    expect(bad.code).toBe(1);
    const body = JSON.parse(bad.stderr.trim().split('\n').at(-1)!) as { error: { code: string; details: { issues: Array<{ path: string }> } } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details.issues.map((i) => i.path)).toEqual(['serial']);

    const usage = await runStation(['devices', 'add', '--data', data, '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'usage' } });
  });

  it('takes --data and --json before the command too, as git does', async () => {
    const data = await initialized();
    const list = await runStation(['--data', data, '--json', 'devices', 'list']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const joined = await runStation([`--data=${data}`, 'audit', 'verify']);
    expect(joined.code).toBe(0);
    // Still checked by the command's own parse: a value-less --data is a usage error, not a command.
    const noValue = await runStation(['--data']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/\[usage\]/);
  });

  it('a folder without a station is refused with exit 3 and not created', async () => {
    const missing = path.join(os.tmpdir(), `station-cli-missing-${process.pid}-${Date.now()}`);
    for (const args of [['audit', 'verify'], ['devices', 'list'], ['users', 'add', '--badge', '1', '--name', 'x', '--role', 'officer']]) {
      const r = await runStation([...args, '--data', missing]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('[no_station]');
      expect(r.stderr).toContain('station init');
    }
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('--help for every command exits 0 and names its options and the exit codes', async () => {
    const expected: Record<string, string[]> = {
      init: ['--admin-badge', '--admin-name', '--admin-unit'],
      'users add': ['--badge', '--name', '--role', '--unit', '--pin-stdin'],
      'devices add': ['--serial', '--model', '--keeper'],
      'devices list': ['--status'],
      'audit verify': [],
    };
    for (const [name, flags] of Object.entries(expected)) {
      const r = await runStation([...name.split(' '), '--help']);
      expect(r.code).toBe(0);
      for (const f of [...flags, '--data', '--json']) expect(r.stdout).toContain(f);
      expect(r.stdout).toContain('退出码 / Exit codes');
      expect(r.stdout).toMatch(/^\s+2\s+用法错误/m);
    }
    const top = await runStation(['--help']);
    expect(top.code).toBe(0);
    for (const name of Object.keys(expected)) expect(top.stdout).toContain(name);
    expect((await runStation(['help', 'users', 'add'])).stdout).toContain('--pin-stdin');
  });

  it('on a terminal asks for the password twice and never echoes it', async () => {
    // A real pseudo-terminal (Python's pty module), so raw-mode input is what is tested.
    if (spawnSync('python3', ['--version']).status !== 0) {
      console.warn('skipped: python3 is needed to drive a pseudo-terminal');
      return;
    }
    const data = dataDir();
    const driver = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
def until(marker):
    global out
    end = time.time() + 30
    while marker not in out:
        if not select.select([fd], [], [], max(0, end - time.time()))[0]: sys.exit('timeout: %r' % out)
        out += os.read(fd, 4096)
until(b'New password: ')
os.write(fd, b'${PASSWORD}\\r')
until(b'Again: ')
os.write(fd, b'${PASSWORD}\\r')
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk: break
    out += chunk
sys.stdout.write(out.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;
    const r = await runStation(['init', '--data', data, '--admin-badge', '000001', '--admin-name', '张站长'], {
      command: ['python3', '-c', driver, process.execPath, bin],
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('新密码 / New password:');
    expect(r.stdout).toContain('再输入一次 / Again:');
    expect(r.stdout).toContain('张站长（000001）');
    expect(r.stdout).not.toContain('correct');
    await readBack(data, (t) => t.ui().ok('auth.loginPassword', { badge: '000001', password: PASSWORD }));
  });

  it('`npx station` runs the repository’s own bin', async () => {
    // npm ≥ 7 runs a bin of the package in the current folder by linking it into its npx cache.
    const r = await runStation(['station', '--version'], { command: ['npx', '--no-install'] });
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
