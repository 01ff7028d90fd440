// Where the vault refuses O_DIRECT, a re-read is only called evicted-readback after dd dropped the
// file's cached pages and fincore found none left (ingest/copy/page-cache.ts). Real dd and
// fincore on a real file; and, without them, the answer "cannot tell" at once, with nothing left
// holding the process open.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evictFromPageCache, isMemoryFilesystem, residentBytes } from '../../electron/core/ingest/copy/page-cache.js';
import { removeAfterEach } from '../support/cleanup.js';
import { secondsToExit } from '../support/node-run.js';
import { tempDir } from '../support/station.js';

const removeLater = removeAfterEach();

/** A file of 4 MiB written and fsynced in a folder on the repository's disk (not a memory filesystem). */
function writtenFile(): string {
  const dir = tempDir('page-cache-');
  removeLater(dir);
  const file = path.join(dir, 'clip.bin');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Buffer.alloc(4 * 1024 * 1024, 7));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return file;
}

describe('the page cache of a written file', () => {
  it('is measured by fincore and dropped by dd', async ({ skip }) => {
    const file = writtenFile();
    if (await isMemoryFilesystem(path.dirname(file))) skip('the temp folder is a memory filesystem: there is no page cache to drop');
    expect(await residentBytes(file)).toBeGreaterThan(0);
    expect(await evictFromPageCache(file)).toBe(true);
    expect(await residentBytes(file)).toBe(0);
  });

  it('without dd and fincore: cannot be told, at once, and nothing keeps the process open', () => {
    const file = writtenFile();
    // PATH names no folder with either tool (node itself is run by its full path).
    const run = secondsToExit(
      'electron/core/ingest/copy/page-cache.ts',
      `console.log(await m.residentBytes(${JSON.stringify(file)}), await m.evictFromPageCache(${JSON.stringify(file)}));`,
      { ...process.env, PATH: path.dirname(file) },
    );
    expect(run).toMatchObject({ status: 0, stdout: 'null false\n' });
    // Before, spawn's timeout option left a 10 s timer (30 s for dd) behind for a tool that could not be started.
    expect(run.seconds).toBeLessThan(8);
  });
});
