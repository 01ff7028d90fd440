// The language of the UI: Chinese first, English on request, remembered in
// localStorage and mirrored on <html lang> (screen readers and CJK glyph
// selection both follow it).
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Language, Vars } from './catalog.js';
import { catalogs, isLanguage, lookup, translate } from './catalog.js';

const STORAGE_KEY = 'station.language';

export type Translate = (key: string, vars?: Vars) => string;

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** For keys built from data (audit actions): lets the caller fall back to the raw code. */
  has(key: string): boolean;
}

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN'; // storage can be disabled; the default is fine then
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, still switched
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, vars) => translate(language, key, vars),
      has: (key) => lookup(catalogs[language], key) !== undefined,
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nProvider>');
  return i18n;
}
