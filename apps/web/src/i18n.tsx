/**
 * Chinese first, English on request. Text lives where it is used, as t('中文', 'English'):
 * no key files to keep in step, and a reader of the code sees both.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'duban.lang';

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (zh: string, en: string) => string;
}

const I18nContext = createContext<I18n>({ lang: 'zh', setLang: () => undefined, t: (zh) => zh });

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts this page only */
    }
  }, []);
  // The page's language for screen readers and fonts, also when the choice comes from storage on a reload.
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (zh, en) => (lang === 'en' ? en : zh) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);

/** An error's text in the chosen language: the API's own words (message / messageEn). */
export function errorText(err: unknown, lang: Lang): string {
  const e = err as { message?: string; messageEn?: string } | null;
  if (!e) return '';
  return (lang === 'en' ? e.messageEn || e.message : e.message || e.messageEn) ?? String(err);
}
