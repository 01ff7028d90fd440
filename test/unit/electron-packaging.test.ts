// electron-builder.yml, read and validated by electron-builder's own code
// against its schema (as `electron-builder` does before packaging), and held
// to what the design asks of a packaged station.
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  productName?: string;
  asar?: boolean;
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  files?: Array<{ filter?: string[] }>;
  extraResources?: Array<{ from?: string; to?: string; filter?: string[] }>;
  linux?: { target?: string[] };
  win?: { target?: Array<{ target: string }> };
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, file: string | null, options: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(repo, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder and flips the fuses', async () => {
    const config = await loadConfig();
    expect(config.productName).toBe('执法记录仪证据采集站');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the bundles and the renderer, with the migrations beside app.asar', async () => {
    const config = await loadConfig();
    const files = (config.files ?? []).flatMap((f) => f.filter ?? []);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/renderer/**/*', 'dist-electron/*.cjs']));
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'migrations', to: 'migrations' }));
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target?.map((t) => t.target)).toEqual(['nsis']);
  });
});
