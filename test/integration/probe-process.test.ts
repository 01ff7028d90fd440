// ffprobe as the station runs it: a real process for each stored file, stopped on its timeout,
// and told apart when it cannot be started at all (ingest/probe-guard.ts raises the alarm on
// that). Real ffprobe, real footage from the emulator, and stand-in programs for the faults.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffprobeUnavailable, probeFile } from '../../electron/core/ingest/probe.js';
import { removeAfterEach } from '../support/cleanup.js';
import { camera } from '../support/ingest.js';
import { tempDir } from '../support/station.js';
import { secondsToExit } from '../support/node-run.js';

const removeLater = removeAfterEach();
const REAL_FFPROBE = execFileSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).trim();

/** A program at `<temp>/ffprobe` with this shell body. */
function fakeFfprobe(body: string): string {
  const dir = tempDir('fake-ffprobe-');
  removeLater(dir);
  const file = path.join(dir, 'ffprobe');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('probing a stored file', () => {
  it('reads a real clip: duration, codecs and size', async () => {
    const m = await camera({ serial: 'DSJ-P1', badge: '100001', clips: 2, seconds: 1 });
    removeLater(path.dirname(m.root));
    const clip = m.files.find((f) => f.kind === 'video' && f.expected === 'committed')!;
    const r = await probeFile(path.join(m.root, clip.path), 'video', { size: clip.size, name: path.posix.basename(clip.path) });
    expect(r).toMatchObject({ ok: true, message: null, videoCodec: 'h264', audioCodec: 'aac' });
    expect(r.durationMs).toBeGreaterThan(500);
    expect(r.notRun).toBeUndefined();
  });

  it('stops an ffprobe that does not answer within the timeout, and says so', async () => {
    const hanging = fakeFfprobe('exec sleep 30');
    const started = Date.now();
    // A .TS recording has no check in process: ffprobe is asked at once.
    const r = await probeFile('/dev/null', 'video', { ffprobe: hanging, timeoutMs: 300, size: 10, name: 'CLIP.TS' });
    expect(r).toMatchObject({ ok: false, message: 'ffprobe stopped (SIGKILL)' });
    expect(r.notRun).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('tells a program that cannot be started from a verdict on the file, and leaves no timer behind', async () => {
    const missing = path.join(tempDir('no-ffprobe-'), 'ffprobe');
    removeLater(path.dirname(missing));
    const r = await probeFile('/dev/null', 'video', { ffprobe: missing, timeoutMs: 60_000, size: 10, name: 'CLIP.TS' });
    expect(r).toMatchObject({ ok: false, message: `ffprobe: spawn ${missing} ENOENT`, notRun: `spawn ${missing} ENOENT` });
    // Before, spawn's own timeout option kept its timer for a process that never ran: `station
    // ingest` on a machine without ffprobe waited half a minute before it exited.
    const run = secondsToExit(
      'electron/core/ingest/probe.ts',
      `const r = await m.probeFile('/dev/null', 'video', { ffprobe: ${JSON.stringify(missing)}, timeoutMs: 20000, size: 10, name: 'CLIP.TS' });` +
        `const c = await m.ffprobeUnavailable(${JSON.stringify(missing)}, 20000); console.log(r.notRun, '|', c);`,
    );
    expect(run).toMatchObject({ status: 0, stdout: `spawn ${missing} ENOENT | ${missing}: spawn ${missing} ENOENT\n` });
    expect(run.seconds).toBeLessThan(10);
  });
});

describe('whether ffprobe runs at all', () => {
  it('the real ffprobe does', async () => {
    expect(await ffprobeUnavailable(REAL_FFPROBE)).toBeNull();
  });

  it('says why not: missing, not ffprobe, failing, or not answering', async () => {
    const missing = path.join(tempDir('no-ffprobe-'), 'ffprobe');
    removeLater(path.dirname(missing));
    expect(await ffprobeUnavailable(missing)).toBe(`${missing}: spawn ${missing} ENOENT`);
    expect(await ffprobeUnavailable('/bin/true')).toBe('/bin/true is not ffprobe');
    const failing = fakeFfprobe('echo "ffprobe version 6"; exit 3');
    expect(await ffprobeUnavailable(failing)).toBe(`${failing} -version: exit 3`);
    const hanging = fakeFfprobe('exec sleep 30');
    expect(await ffprobeUnavailable(hanging, 300)).toBe(`${hanging}: no answer within 0.3 s`);
  });
});
