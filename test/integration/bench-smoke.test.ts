// The two benchmarks are scripts, run by hand (docs/performance.md), never
// timed in tests. This only keeps them working: each runs in its smallest form
// and must print its tables with real figures, not NaN or a crash.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeAfterEach } from '../support/cleanup.js';
import { repoRoot } from '../support/cli.js';

const remove = removeAfterEach();
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

function bench(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [path.join(repoRoot, 'scripts', script), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The Markdown table row of a case, by its id in backticks. */
const row = (output: string, id: string) => output.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${id}\``));

describe('benchmarks (smoke)', () => {
  it('bench:index --quick fills a station, runs every search from its index and prints the targets', async () => {
    const dir = remove(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-index-smoke-')));
    const r = await bench('bench-index.ts', ['--quick', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Inserted 50,000 clips .* \*\*[\d,]+ rows\/s\*\*/);
    for (const search of ['officer', 'officer-deep', 'device', 'important', 'checkout']) {
      expect(row(r.stdout, search), search).toMatch(/\| \*\*[\d.]+\*\* \|/);
    }
    expect(r.stdout).not.toContain('NaN');
    expect(r.stdout).toContain('16 KiB pages');
  }, 120_000);

  it('bench:ingest --quick copies emulated footage with the station and a baseline, docks a photo camera into a whole station, and prints their ratios', async () => {
    const dir = remove(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-smoke-')));
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'not the benchmark’s');
    const r = await bench('bench-ingest.ts', ['--quick', '--dir', dir, '--cases', 'verified-sha256,dd-copy-direct,photos']);
    expect(r.code, r.stderr).toBe(0);
    // One run: the median alone, no (min–max).
    expect(row(r.stdout, 'verified-sha256')).toMatch(/\| \*\*\d+\*\* \| [\d.]+ \|/);
    expect(row(r.stdout, 'dd-copy-direct')).toMatch(/\| \*\*\d+\*\* \| [\d.]+ \|/);
    expect(r.stdout).toMatch(/verified ingest \(SHA-256\) vs the disk's own O_DIRECT copy .* ≥ 0\.95× \| verified \d+ \/ dd copy \d+ MB\/s \| [\d.]+× \| (met|\*\*not met\*\*) \|/);
    // The small-file case: 50 real JPEGs through the whole station (checked bit-exact after the run) and the shell.
    expect(r.stdout).toMatch(/\| 50 photos \| files\/s \|/);
    expect(row(r.stdout, 'photos-station')).toMatch(/\| \*\*[\d.]+\*\* \| \d+ \| [\d.]+ \| [\d.]+ \/ [\d.]+ ms \|/);
    expect(row(r.stdout, 'photos-shell')).toMatch(/\| \*\*[\d.]+\*\* \| \d+ \| [\d.]+ \|/);
    expect(r.stdout).toMatch(/50 photos: whole-station verified ingest ≥ 100 files\/s \| station [\d.]+ files\/s \| [\d.]+× \| (met|\*\*not met\*\*) \|/);
    expect(r.stdout).toMatch(/50 photos: whole station vs `cp`, `sync`, `sha256sum` per file ≥ 2× \| station [\d.]+ \/ shell [\d.]+ files\/s \| [\d.]+× \| (met|\*\*not met\*\*) \|/);
    expect(r.stdout).not.toContain('NaN');
    // Its own work folder inside --dir is gone (footage, photo camera, station, copies); --dir itself and what it held are not.
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  }, 240_000);

  it('bench:export in its smallest form exports a case with the station and the baseline and prints the targets', async () => {
    const dir = remove(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-smoke-')));
    const r = await bench('bench-export.ts', ['--gib', '0.05', '--runs', '1', '--clip-mib', '8', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    // Both targets judged with figures (at this size the fixed costs decide the ratio: no verdict is asserted).
    expect(r.stdout).toMatch(/station ≥ 1\.2× the baseline's throughput \| station \d+ \/ baseline \d+ MB\/s \| [\d.]+× \| \**(MET|MISSED)/);
    expect(r.stdout).toMatch(/longest gap between two progress events [\d.]+ s/);
    expect(r.stdout).not.toContain('NaN');
  }, 240_000);
});
