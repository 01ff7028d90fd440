import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test as base } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import type { Harness, HarnessOptions } from '../harness/harness.js';
import { startHarness } from '../harness/harness.js';

// What every e2e spec stands on: a fresh station (own data folder, own core
// process) per test, and the two checks each screen gets, an accessibility
// scan and a saved screenshot.

export type HarnessFixtureOptions = Omit<HarnessOptions, 'dataDir' | 'log'>;

/** scrypt at its production cost makes each login take ~100 ms; tests log in a lot. */
const TEST_SCRYPT_COST = 1024;

export const test = base.extend<{ harnessOptions: HarnessFixtureOptions; harness: Harness }>({
  /** Override per file or describe block: `test.use({ harnessOptions: { clock: '2026-11-27T09:00:00+08:00' } })`. */
  harnessOptions: [{}, { option: true }],
  harness: async ({ harnessOptions }, use, testInfo) => {
    // In the test's own output folder, which Playwright empties at the start of the next run: a
    // failed test's station stays there to be looked at, beside its trace, and no longer piles up in /tmp.
    const dataDir = testInfo.outputPath('station');
    fs.mkdirSync(dataDir, { recursive: true });
    const harness = await startHarness({
      scryptCost: TEST_SCRYPT_COST,
      // No free-space reserve: the board's alarms must not depend on how full this machine's disk is.
      vaultReserveBytes: 0,
      requireRenderer: true,
      ...harnessOptions,
      dataDir,
    });
    try {
      await use(harness);
    } finally {
      await harness.stop();
      // A failed test keeps its station, so the database and audit log can be looked at.
      if (testInfo.status === testInfo.expectedStatus) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        // The test's folder too, unless it holds something else (an attachment, a trace).
        if (fs.readdirSync(testInfo.outputDir).length === 0) fs.rmdirSync(testInfo.outputDir);
      } else {
        console.log(`station data of the failed test kept in ${dataDir}`);
      }
    }
  },
});

export { expect } from '@playwright/test';

const SCREENSHOT_DIR = path.join('test-results', 'screenshots');

function checkName(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot/scan name "${name}": letters, digits, _ . - only`);
  return name;
}

/** Saves test-results/screenshots/<name>.png (the issue asks for screenshots of the flow) and attaches it to the report. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${checkName(name)}.png`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
  return file;
}

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical
 * violation, listing each rule, why it matters and the elements at fault.
 * Minor and moderate findings are attached to the report, not failed on.
 */
export async function scanAccessibility(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  await test.info().attach(`axe-${checkName(name)}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length === 0) return;
  const report = blocking
    .map((v) => {
      const targets = v.nodes
        .slice(0, 5)
        .map((n) => `      ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${targets}${more}`;
    })
    .join('\n');
  throw new Error(`accessibility scan "${name}" found ${blocking.length} serious/critical violation(s) on ${page.url()}:\n${report}`);
}
