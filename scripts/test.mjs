#!/usr/bin/env node
// `npm test`: every suite that can run on this machine, then one closing line
// with the totals. Unit + integration (vitest) always run; the browser suite
// (Playwright in Debian's Chromium through the harness) runs where Chromium is
// installed, and says plainly when it is not.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}
const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

let failedSteps = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };

const vitestJson = path.join(results, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
failedSteps += run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]) ? 1 : 0;
const v = readJson(vitestJson);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
} else {
  failedSteps++;
}

if (fs.existsSync(chromium)) {
  // The browser suite serves the built renderer; the Electron spec launches the built shell where Electron exists.
  failedSteps += run('npx', ['vite', 'build', '--logLevel', 'warn']) ? 1 : 0;
  failedSteps += run('node', ['scripts/build-electron.mjs']) ? 1 : 0;
  const pwJson = path.join(results, 'playwright.json');
  fs.rmSync(pwJson, { force: true });
  failedSteps += run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson }) ? 1 : 0;
  const p = readJson(pwJson);
  if (p?.stats) {
    totals.passed += p.stats.expected;
    totals.failed += p.stats.unexpected + (p.stats.flaky ?? 0);
    totals.skipped += p.stats.skipped;
  } else {
    failedSteps++;
  }
} else {
  console.log(`\nBrowser suite not run: no Chromium at ${chromium} (Debian: apt-get install chromium; or set CHROMIUM_PATH).`);
}

console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps > 0 || totals.failed > 0 ? 1 : 0);
