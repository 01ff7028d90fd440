// electron-builder.yml, read and validated by electron-builder's own code
// against its schema (as `electron-builder` does before packaging), and held
// to what the design asks of a packaged station; and the build/ resources it
// names, which no build here can run (no Electron binary, no Windows).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
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
  linux?: { target?: string[]; icon?: string };
  deb?: { afterInstall?: string };
  win?: { target?: Array<{ target: string }>; icon?: string; forceCodeSigning?: boolean };
  nsis?: { include?: string; perMachine?: boolean; deleteAppDataOnUninstall?: boolean };
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

  it('packs the bundles, the renderer, the migrations and the shipped profiles inside app.asar (integrity covers them)', async () => {
    const config = await loadConfig();
    const files = (config.files ?? []).flatMap((f) => f.filter ?? []);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'dist/renderer/**/*', 'dist-electron/*.cjs', 'migrations/*.sql', 'profiles/*.json']),
    );
    // Nothing the core reads is left beside the archive, where no integrity check reaches.
    expect(config.extraResources ?? []).toEqual([]);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target?.map((t) => t.target)).toEqual(['nsis']);
  });

  it('refuses an unsigned Windows build, and keeps the certificate out of the file', async () => {
    const config = await loadConfig();
    expect(config.win?.forceCodeSigning).toBe(true);
    // CSC_LINK / WIN_CSC_LINK and their passwords come from the build's environment.
    const text = fs.readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(cscLink|cscKeyPassword|certificateFile|certificatePassword|certificateSha1)\s*:/m);
  });

  it('names build/ resources that are in the tree', async () => {
    const config = await loadConfig();
    const named = [config.linux?.icon, config.win?.icon, config.nsis?.include, config.deb?.afterInstall];
    expect(named).toEqual(['build/icon.png', 'build/icon.ico', 'build/installer.nsh', 'build/linux/after-install.sh']);
    for (const file of named) expect(fs.existsSync(path.join(repo, file!)), file).toBe(true);
    expect(config.nsis?.perMachine).toBe(true);
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
  });
});

describe('build/installer.nsh', () => {
  it('defines the macro electron-builder inserts after its own install steps', () => {
    const nsh = fs.readFileSync(path.join(repo, 'build/installer.nsh'), 'utf8');
    // installSection.nsh: `!ifmacrodef customInstall` — any other name would be silently skipped.
    expect(nsh).toMatch(/^!macro customInstall$/m);
    expect(nsh.match(/^!macro /gm)).toHaveLength(nsh.match(/^!macroend$/gm)!.length);
  });
});

describe('build/linux/after-install.sh', () => {
  /**
   * The script as the .deb carries it: electron-builder (FpmTarget's writeConfigFile) replaces
   * each `${name}` of letters with the option of that name and fails the build on any other.
   */
  function rendered(): string {
    const options: Record<string, string> = { executable: 'evidence-station', sanitizedProductName: '执法记录仪证据采集站' };
    const source = fs.readFileSync(path.join(repo, 'build/linux/after-install.sh'), 'utf8');
    return source.replace(/\$\{([a-zA-Z]+)\}/g, (_m, name: string) => {
      if (!(name in options)) throw new Error(`Macro ${name} is not defined (electron-builder would refuse the script)`);
      return options[name]!;
    });
  }

  function check(command: string, args: string[]): { status: number | null; output: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'after-install-'));
    try {
      const file = path.join(dir, 'after-install.sh');
      fs.writeFileSync(file, rendered());
      const run = spawnSync(command, [...args, file], { encoding: 'utf8' });
      if (run.error) throw new Error(`${command} could not run (apt-get install ${command}): ${run.error.message}`);
      return { status: run.status, output: run.stdout + run.stderr };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('renders with only the macros electron-builder fills in', () => {
    const script = rendered();
    expect(script).toContain("app_dir='/opt/执法记录仪证据采集站'");
    expect(script).toContain("exe='evidence-station'");
  });

  it('is valid bash and clean under shellcheck', () => {
    expect(check('bash', ['-n'])).toEqual({ status: 0, output: '' });
    // Not run here: it would make a real user as root. Read instead: syntax, then every warning.
    expect(check('shellcheck', ['--shell=bash', '--severity=style'])).toEqual({ status: 0, output: '' });
  });

  it('makes the account only where the site asked, and never walks the data folder', () => {
    const script = rendered();
    const block = script.slice(script.indexOf('if [ -e /etc/evidence-station/service-account ]'));
    expect(block).toMatch(/getent passwd "\$account"/);
    expect(block).toMatch(/chmod 0700 "\$data_dir"/);
    expect(script).not.toMatch(/ -R /);
  });
});
