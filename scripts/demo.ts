// `npm run demo`: a fresh station in a temporary folder with sample people and
// cameras, served through the browser harness, where emulated cameras dock now
// and then and checkouts run their course, for anyone without a camera at hand.
//
//   npm run demo -- [--speed <n>] [--port <n>] [--clean]
//
// Ctrl-C stops it; the data folder is kept (and printed) unless --clean.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoPath } from '../electron/core/paths.js';
import { DEFAULT_RENDERER_DIR, rendererBuilt, startHarness } from '../test/harness/harness.js';
import type { DemoSeed } from './demo/seed.js';
import { seedDemo } from './demo/seed.js';
import { runShifts } from './demo/shifts.js';
import { StationSocket } from './demo/socket-client.js';

const TIME_ZONE = 'Asia/Shanghai'; // the station's default zone (electron/core/config.ts)

const usage = `Usage: npm run demo -- [--speed <n>] [--port <n>] [--clean]
  --speed  how fast shifts pass: 1 = a camera docks every 20–40 s (default), 2 = twice as often
  --port   the page's port on 127.0.0.1 (default: a free one)
  --clean  remove the temporary data folder on exit`;

function log(line: string): void {
  const time = new Date().toLocaleTimeString('zh-CN', { hour12: false });
  console.log(`[${time}] ${line}`);
}

function printLogins(seed: DemoSeed): void {
  console.log('\n登录 / Logins (警号 badge + 密码 password 或 PIN):');
  for (const p of seed.people) {
    const how = p.secret.kind === 'password' ? `密码 password: ${p.secret.value}` : `PIN: ${p.secret.value}`;
    console.log(`  ${p.badge}  ${p.name}  ${p.roleLabel.zh} / ${p.roleLabel.en}  —  ${how}`);
  }
  console.log('\n设备 / Cameras:');
  for (const c of seed.cameras) console.log(`  ${c.serial}  保管 keeper: ${c.keeper.name} ${c.keeper.badge}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      speed: { type: 'string' },
      port: { type: 'string' },
      clean: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0 && speed <= 100)) throw new Error(`--speed: expected a number above 0 (up to 100), got "${values.speed}"`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: "${values.port}"`);

  if (!rendererBuilt(DEFAULT_RENDERER_DIR)) {
    console.log('正在构建界面 / building the renderer (npx vite build)…');
    const built = spawnSync('npx', ['vite', 'build'], { cwd: repoPath(), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('vite build failed; the demo needs dist/renderer');
  }

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'station-demo-'));
  const dataDir = path.join(root, 'data');
  const dockDir = path.join(root, 'dock');
  const scratch = path.join(root, 'scratch');
  fs.mkdirSync(dockDir, { recursive: true });
  fs.mkdirSync(scratch, { recursive: true });
  console.log(`演示数据目录 / demo data folder: ${root}`);
  console.log('正在准备人员和设备 / setting up people and cameras…');
  const seed = await seedDemo({ dataDir, scratch });

  const harness = await startHarness({ dataDir, watch: dockDir, port, requireRenderer: true, log });
  const stop = new AbortController();
  let socket: StationSocket | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = () =>
    (stopping ??= (async () => {
      stop.abort();
      socket?.close();
      await harness.stop();
      if (values.clean) {
        fs.rmSync(root, { recursive: true, force: true });
        console.log(`\n已停止，已删除 / stopped, removed: ${root}`);
      } else {
        console.log(`\n已停止，数据保留在 / stopped, data kept in: ${root}`);
      }
    })());
  process.once('SIGINT', () => void shutdown().then(() => process.exit(0), () => process.exit(1)));
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(0), () => process.exit(1)));

  try {
    socket = await StationSocket.open(`${harness.socketUrl}?token=${encodeURIComponent(harness.token)}`, new URL(harness.url).origin);
    // The custodian at the counter, logged in on the demo's own connection.
    await socket.ok('auth.loginBadge', { badge: seed.custodian.badge, pin: seed.custodian.secret.value });
  } catch (error) {
    await shutdown();
    throw error;
  }

  console.log(`\n在浏览器中打开 / open in a browser: ${harness.url}`);
  printLogins(seed);
  console.log(`\n演示中：保管人 ${seed.custodian.name} 为执法人员领用设备，设备接入后自动采集，取走后归还。按 Ctrl-C 停止。`);
  console.log(`Running: the custodian checks cameras out, each docks, is ingested, taken off and received back. Ctrl-C stops.\n`);
  await runShifts({ socket, seed, dockDir, scratch, speed, timeZone: TIME_ZONE, log, signal: stop.signal });
}

main().catch((error: unknown) => {
  console.error(`演示失败 / demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
