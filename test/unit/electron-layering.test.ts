// Layering, checked on the source tree: only the Electron shell (files under
// electron/ but not electron/core/) may import 'electron'. The core, shared/
// and the renderer never do, and neither does anything the core's utility
// process or a test loads (transitively): those run under plain Node.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['electron', 'shared', 'renderer', 'test', 'scripts', 'bin'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'dist-electron', '.cache']);
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Plain-Node entry points: nothing they load may import electron. */
const NODE_ONLY_ENTRIES = ['electron/host/utility-host.ts'];

/** Every module specifier a file imports: static, dynamic, require, re-export, type-only. */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

function isElectronSpecifier(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/');
}

/** Repo-relative, with forward slashes. */
const rel = (file: string) => path.relative(repo, file).split(path.sep).join('/');

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path.join(dir, entry.name), out);
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

/** NodeNext style: './x.js' names x.ts in the sources. */
function resolveRelative(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base.replace(/\.mjs$/, '.mts'),
    base.replace(/\.cjs$/, '.cts'),
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
  ];
  return candidates.find((c) => SOURCE.test(c) && fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

interface SourceFile {
  file: string;
  imports: string[];
}

function scan(): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const top of SCANNED) {
    for (const file of walk(path.join(repo, top))) {
      files.set(file, { file, imports: importsOf(fs.readFileSync(file, 'utf8')) });
    }
  }
  return files;
}

/** Each file reachable from `entry` through relative imports, with the chain that reaches it. */
function closure(entry: string, files: Map<string, SourceFile>): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const chain = reached.get(file)!;
    for (const specifier of files.get(file)?.imports ?? importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target && !reached.has(target)) {
        reached.set(target, [...chain, target]);
        queue.push(target);
      }
    }
  }
  return reached;
}

const importsElectron = (f: SourceFile) => f.imports.some(isElectronSpecifier);
const isShellFile = (r: string) => r.startsWith('electron/') && !r.startsWith('electron/core/');

describe('layering: who may import electron', () => {
  const files = scan();

  it('the detector finds every form of import and ignores comments and strings', () => {
    const src = [
      "// must not import 'electron' here",
      "/* require('electron') */",
      "const s = \"import 'electron'\";",
      "import type { App } from 'electron';",
      "import { app } from 'electron/main';",
      "export { ipcMain } from 'electron';",
      "const a = require('electron');",
      "const b = import('electron');",
      "import './local.js';",
      "import builder from 'electron-builder';",
    ].join('\n');
    expect(importsOf(src).filter(isElectronSpecifier)).toEqual(['electron', 'electron/main', 'electron', 'electron', 'electron']);
    expect(isElectronSpecifier('electron-builder')).toBe(false);
    expect(isElectronSpecifier('@electron/rebuild')).toBe(false);
  });

  it('scans the real tree (the shell files are there and do import electron)', () => {
    const shell = [...files.values()].filter((f) => importsElectron(f)).map((f) => rel(f.file));
    expect(shell).toContain('electron/main.ts');
    expect(shell).toContain('electron/preload.ts');
    expect(files.size).toBeGreaterThan(20);
  });

  it('nothing outside the shell imports electron (core, shared, renderer, tests, scripts)', () => {
    const offenders = [...files.values()].filter((f) => importsElectron(f) && !isShellFile(rel(f.file))).map((f) => rel(f.file));
    expect(offenders).toEqual([]);
  });

  it('nothing under electron/core, shared or renderer imports electron', () => {
    const layered = [...files.values()].filter((f) => /^(electron\/core|shared|renderer)\//.test(rel(f.file)));
    expect(layered.length).toBeGreaterThan(0);
    expect(layered.filter(importsElectron).map((f) => rel(f.file))).toEqual([]);
  });

  it('what the utility process and the tests load is electron-free, all the way down', () => {
    const entries = [
      ...NODE_ONLY_ENTRIES.map((e) => path.join(repo, e)),
      ...[...files.keys()].filter((f) => rel(f).startsWith('test/')),
    ];
    const offenders = new Set<string>();
    for (const entry of entries) {
      for (const [file, chain] of closure(entry, files)) {
        const source = files.get(file);
        if (source && importsElectron(source)) offenders.add(chain.map(rel).join(' → '));
      }
    }
    expect([...offenders]).toEqual([]);
  });
});
