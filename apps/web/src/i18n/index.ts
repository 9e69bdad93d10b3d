import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey } from './en';
import { fr } from './fr';

export type Locale = 'fr' | 'en';
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { fr, en };
const STORAGE_KEY = 'civic.locale';

/** The saved choice, else the browser's language, else French (the towns' language). */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

export function saveLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, params) => {
    const text = catalogue[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
  };
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

export interface I18n {
  locale: Locale;
  t: Translate;
  setLocale(locale: Locale): void;
}

export const I18nContext = createContext<I18n>({ locale: 'fr', t: translator('fr'), setLocale: () => undefined });

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** The current locale, read by the API client for Accept-Language. */
let currentLocale: Locale = 'fr';
export function setCurrentLocale(locale: Locale): void {
  currentLocale = locale;
}
export function getCurrentLocale(): Locale {
  return currentLocale;
}
