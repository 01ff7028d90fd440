// Translation lookup without React, so the unit test and the components share it.
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

export type Catalog = { [key: string]: string | Catalog };

export const catalogs: Readonly<Record<Language, Catalog>> = { 'zh-CN': zhCN, en };

export type Vars = Readonly<Record<string, string | number>>;

/** The string at a dotted path (`people.create.title`), or undefined. */
export function lookup(catalog: Catalog, key: string): string | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible so it gets noticed. */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * A missing key shows the key itself: visible in screenshots and caught by
 * test/unit/i18n.test.ts, rather than an empty label.
 */
export function translate(language: Language, key: string, vars?: Vars): string {
  const template = lookup(catalogs[language], key) ?? lookup(catalogs['zh-CN'], key) ?? key;
  return interpolate(template, vars);
}

/** Every leaf key of a catalog, dotted. */
export function flattenKeys(catalog: Catalog, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flattenKeys(v, `${prefix}${k}.`),
  );
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}
