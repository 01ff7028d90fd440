// Every string the renderer shows exists in both languages: the catalogs have
// the same keys, every error code, role and camera status has its words, and
// every t('key') written in the renderer's source names a real key.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceStatuses } from '../../shared/domain.js';
import { errorCodes } from '../../shared/errors.js';
import { alarmKinds, damageKinds, dockNoticeKinds, ingestFailureKinds, vaultProblemKinds } from '../../shared/ingest.js';
import { roles } from '../../shared/roles.js';
import { sealFindingKinds } from '../../shared/seal.js';
import type { Catalog, Language } from '../../renderer/i18n/catalog.js';
import { catalogs, flattenKeys, languages, lookup, translate } from '../../renderer/i18n/catalog.js';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full, pattern);
    return pattern.test(entry.name) ? [full] : [];
  });
}

/** Keys that must exist in every language. */
function missingIn(catalog: Catalog, keys: readonly string[]): string[] {
  return keys.filter((k) => lookup(catalog, k) === undefined);
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translation catalogs', () => {
  const keysOf = Object.fromEntries(languages.map((l) => [l, flattenKeys(catalogs[l])])) as Record<Language, string[]>;

  it.each(languages.flatMap((a) => languages.filter((b) => b !== a).map((b) => [a, b] as const)))(
    'every key in %s is also in %s',
    (from, to) => {
      expect(keysOf[from].filter((k) => !keysOf[to].includes(k))).toEqual([]);
    },
  );

  it.each(languages)('%s has no empty strings', (language) => {
    expect(keysOf[language].filter((k) => !lookup(catalogs[language], k)?.trim())).toEqual([]);
  });

  it.each(languages)('%s says why a file was not stored, for every reason, every dock notice, and why a stored file does not play', (language) => {
    const keys = [
      ...ingestFailureKinds.map((k) => `dockDetail.failure.${k}`),
      ...dockNoticeKinds.map((k) => `dockDetail.notice.${k}`),
      ...damageKinds.map((k) => `dockDetail.damage.${k}`),
    ];
    expect(missingIn(catalogs[language], keys)).toEqual([]);
  });

  it.each(languages)('%s names every alarm, says what to do about it, and why the vault is unavailable', (language) => {
    const keys = [
      ...alarmKinds.flatMap((k) => [`board.alarm.${k}`, `board.alarmHint.${k}`]),
      ...vaultProblemKinds.map((k) => `board.alarm.vaultProblem.${k}`),
    ];
    expect(missingIn(catalogs[language], keys)).toEqual([]);
  });

  it('uses the same {placeholders} in both languages', () => {
    const differing = keysOf['zh-CN'].filter((k) => {
      const zh = lookup(catalogs['zh-CN'], k) ?? '';
      const en = lookup(catalogs.en, k) ?? '';
      return JSON.stringify(placeholders(zh)) !== JSON.stringify(placeholders(en));
    });
    expect(differing).toEqual([]);
  });

  it.each(languages)('%s has a sentence for every error code', (language) => {
    expect(missingIn(catalogs[language], errorCodes.map((c) => `errors.${c}`))).toEqual([]);
  });

  it.each(languages)('%s names every role and says what it does', (language) => {
    expect(missingIn(catalogs[language], roles.flatMap((r) => [`roles.${r}`, `roleInfo.${r}`]))).toEqual([]);
  });

  it.each(languages)('%s says what each finding of a seal verification means', (language) => {
    expect(missingIn(catalogs[language], sealFindingKinds.map((k) => `audit.seal.finding.${k}`))).toEqual([]);
  });

  it.each(languages)('%s names every camera status', (language) => {
    expect(missingIn(catalogs[language], deviceStatuses.map((s) => `deviceStatus.${s}`))).toEqual([]);
  });

  it('has every key used as t(\'…\') in the renderer source', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(path.join(root, 'renderer'), /\.tsx?$/)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*(['"`])([^'"`$]+)\1/g)) used.add(m[2]!);
    }
    expect(used.size).toBeGreaterThan(100); // the scan itself works
    for (const language of languages) expect({ language, missing: missingIn(catalogs[language], [...used]) }).toEqual({ language, missing: [] });
  });

  it('names every audit action the core writes', () => {
    const actions = new Set<string>();
    for (const file of sourceFiles(path.join(root, 'electron/core'), /\.ts$/)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!/\baction:/.test(line)) continue;
        for (const m of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) actions.add(m[1]!);
      }
    }
    expect(actions).toContain('device.registered');
    for (const language of languages) {
      expect({ language, missing: missingIn(catalogs[language], [...actions].map((a) => `audit.actions.${a}`)) }).toEqual({ language, missing: [] });
    }
  });

  it('fills placeholders and shows a missing key as itself', () => {
    expect(translate('zh-CN', 'home.greeting', { name: '李保管' })).toBe('您好，李保管');
    expect(translate('en', 'home.greeting', { name: 'Li' })).toBe('Hello, Li');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
