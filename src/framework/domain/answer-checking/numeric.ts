import type { Locale } from '../models.js';
import { preTreat } from './text-treatments.js';

/**
 * Optional sign, then either plain digits or digits grouped by three with single spaces
 * ("1 234 567"), then an optional decimal part after a comma or a point. The integer part may be
 * omitted (",5", ".5"). Exponents, "Infinity", "NaN", hexadecimal and a dangling separator ("5,")
 * are refused.
 */
const NUMBER_PATTERN = /^([+-])?(\d+|\d{1,3}(?: \d{3})+)?(?:[.,](\d+))?$/;

/**
 * English also groups thousands with commas ("2,250", "1,234,567.5"). A comma followed by exactly
 * three digits is therefore read as a thousands separator first; any other comma ("2,25") stays a
 * decimal comma, as many learners write it.
 */
const ENGLISH_NUMBER_PATTERN = /^([+-])?(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)?(?:[.,](\d+))?$/;

/** Relative tolerance used when comparing two parsed numbers, to absorb floating-point noise. */
export const NUMERIC_RELATIVE_EPSILON = 1e-9;

/**
 * Parses a number as the locale writes it: surrounding spaces, a leading + or -, spaces as thousands
 * separators ("1 234,5"; no-break spaces count as spaces), a decimal comma or point. In French a
 * comma is always decimal ("1,234" is 1.234); in English a comma before a group of three digits
 * separates thousands ("1,234" is 1234). Returns `undefined` when the text is not such a number.
 */
export function parseNumber(text: string, locale: Locale = 'fr'): number | undefined {
  const pattern = locale === 'en' ? ENGLISH_NUMBER_PATTERN : NUMBER_PATTERN;
  const match = pattern.exec(preTreat(text).trim());
  if (!match) return undefined;
  const [, sign = '', integerPart, fractionPart] = match;
  if (integerPart === undefined && fractionPart === undefined) return undefined;
  const canonical = `${sign}${(integerPart ?? '0').replace(/[ ,]/g, '')}.${fractionPart ?? '0'}`;
  const value = Number(canonical);
  return Number.isFinite(value) ? value : undefined;
}

/** Equality up to {@link NUMERIC_RELATIVE_EPSILON} relative to the larger magnitude (absolute below 1). */
export function numbersEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= NUMERIC_RELATIVE_EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Numeric input: the answer and each variant (written for the same locale) are parsed; a
 * non-numeric answer or variant never matches.
 */
export function matchesNumber(answer: string, variants: readonly string[], locale: Locale = 'fr'): boolean {
  const value = parseNumber(answer, locale);
  if (value === undefined) return false;
  return variants.some((variant) => {
    const expected = parseNumber(variant, locale);
    return expected !== undefined && numbersEqual(value, expected);
  });
}
