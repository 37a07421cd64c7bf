import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../domain/locale.js';
import { PROJECT_ROOT } from '../embedded-db/engine-binary.js';

export type Translate = TFunction;

export interface I18n {
  t(locale: Locale): Translate;
  /** Formats numbers and dates the way the locale expects ('1 024' in French, '1,024' in English). */
  formatNumber(locale: Locale, value: number): string;
  formatDate(locale: Locale, value: Date): string;
}

export const LOCALES_DIR = path.join(PROJECT_ROOT, 'locales');

export function readLocaleFile(locale: Locale): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(LOCALES_DIR, `${locale}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** Loads locales/{fr,en}.json once, at boot. French is the default and the fallback. */
export async function createI18n(): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(LOCALES.map((locale) => [locale, { translation: readLocaleFile(locale) }])),
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    // ejs escapes output itself; escaping here too would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LOCALES.map((locale) => [locale, instance.getFixedT(locale)]));
  const numberFormats = new Map(LOCALES.map((locale) => [locale, new Intl.NumberFormat(locale)]));
  const dateFormats = new Map(
    LOCALES.map((locale) => [locale, new Intl.DateTimeFormat(locale, { dateStyle: 'long' })]),
  );
  return {
    t: (locale) => fixed.get(locale) ?? instance.getFixedT(DEFAULT_LOCALE),
    formatNumber: (locale, value) =>
      (numberFormats.get(locale) ?? new Intl.NumberFormat(locale)).format(value),
    formatDate: (locale, value) => (dateFormats.get(locale) ?? new Intl.DateTimeFormat(locale)).format(value),
  };
}
