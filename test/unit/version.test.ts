import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../electron/core/paths.js';
import { STATION_VERSION } from '../../electron/core/version.js';

describe('version', () => {
  it('the core reports the version in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
    expect(STATION_VERSION).toBe(pkg.version);
  });
});
