import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against
// the real core through the browser harness; electron.spec.ts drives the real
// app where an Electron binary exists.

/** Chromium as root in a container: no sandbox, no GPU, nothing phoning home. */
export const chromiumArgs = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'test/e2e',
  // Each test starts its own core process and browser page; two at a time keeps CI machines responsive.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  // Backstops against a hang, never speed limits: each test starts a core process and a browser
  // page, makes cameras with ffmpeg and offloads them, and on a loaded 2-core machine takes
  // several times what it takes on an idle one (custody's first test: 37 s at load ~15, 2.7 min
  // at load ~18). A wait on the core's work waits for it (custody.spec.ts: UNTIL_DONE).
  timeout: 300_000,
  expect: { timeout: 30_000 },
  // test-results/ (gitignored) is emptied at the start of each run: failure artefacts
  // and the screenshots the specs save on purpose (test-results/screenshots/) are this run's.
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium' }],
});
