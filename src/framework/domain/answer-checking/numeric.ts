import { preTreat } from './text-treatments.js';

/**
 * Optional sign, then either plain digits or digits grouped by three with single spaces
 * ("1 234 567"), then an optional decimal part after a comma or a point. The integer part may be
 * omitted (",5", ".5"). Exponents, "Infinity", "NaN", hexadecimal and a dangling separator ("5,")
 * are refused.
 */
const NUMBER_PATTERN = /^([+-])?(\d+|\d{1,3}(?: \d{3})+)?(?:[.,](\d+))?$/;

/** Relative tolerance used when comparing two parsed numbers, to absorb floating-point noise. */
export const NUMERIC_RELATIVE_EPSILON = 1e-9;

/**
 * Parses a number written the French or English way: surrounding spaces, a leading + or -, spaces
 * as thousands separators ("1 234,5"; no-break spaces count as spaces), a decimal comma or point.
 * Returns `undefined` when the text is not such a number. Commas are never thousands separators,
 * so "1,234" is 1.234.
 */
export function parseNumber(text: string): number | undefined {
  const match = NUMBER_PATTERN.exec(preTreat(text).trim());
  if (!match) return undefined;
  const [, sign = '', integerPart, fractionPart] = match;
  if (integerPart === undefined && fractionPart === undefined) return undefined;
  const canonical = `${sign}${(integerPart ?? '0').replace(/ /g, '')}.${fractionPart ?? '0'}`;
  const value = Number(canonical);
  return Number.isFinite(value) ? value : undefined;
}

/** Equality up to {@link NUMERIC_RELATIVE_EPSILON} relative to the larger magnitude (absolute below 1). */
export function numbersEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= NUMERIC_RELATIVE_EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Numeric input: the answer and each variant are parsed; a non-numeric answer or variant never matches. */
export function matchesNumber(answer: string, variants: readonly string[]): boolean {
  const value = parseNumber(answer);
  if (value === undefined) return false;
  return variants.some((variant) => {
    const expected = parseNumber(variant);
    return expected !== undefined && numbersEqual(value, expected);
  });
}
