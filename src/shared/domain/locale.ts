import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../framework/domain/models.js';

export { DEFAULT_LOCALE, LOCALES, type Locale };

/**
 * Maps a BCP 47 tag from an LTI launch (`launch_presentation.locale`), a `?lang=` parameter or an
 * Accept-Language header to a supported locale: 'en', 'en-GB', 'en_US' → 'en'; anything else → 'fr'.
 */
export function resolveLocale(...candidates: ReadonlyArray<string | undefined | null>): Locale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    // An Accept-Language header lists tags by preference: 'en-GB,en;q=0.9,fr;q=0.8'.
    for (const tag of candidate.split(',')) {
      const language = tag.split(';')[0]?.trim().toLowerCase().split(/[-_]/)[0];
      const supported = LOCALES.find((locale) => locale === language);
      if (supported) return supported;
    }
  }
  return DEFAULT_LOCALE;
}
