import { distance } from 'fastest-levenshtein';
import type { Tolerances } from '../models.js';

/**
 * Text treatments applied before comparing a learner's free-text answer with the accepted variants.
 * The rules (pre-treatment, T1, T2, T3 and the 0.25 ratio) follow the public Pix platform's
 * documented behaviour; see docs/pix-reference.md §1 "Tolerances T1/T2/T3".
 */

/** U+00A0 no-break space, U+2007 figure space, U+202F narrow no-break space. */
const NON_BREAKING_SPACES = /[\u00A0\u2007\u202F]/g;
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;
const WHITESPACE = /\s+/gu;
const NOT_ASCII_ALPHANUMERIC_OR_SPACE = /[^a-zA-Z0-9 ]+/g;
const REPEATED_SPACES = / {2,}/g;

/** Largest accepted ratio Levenshtein distance / answer length for T3. */
export const T3_MAX_RATIO = 0.25;

/**
 * Always applied to answers (and, here, to variants too, so that content typed with decomposed
 * characters or no-break spaces still compares equal): NFC normalisation, then no-break spaces
 * turned into plain spaces.
 */
export function preTreat(text: string): string {
  return text.normalize('NFC').replace(NON_BREAKING_SPACES, ' ');
}

/** T1, "spaces, case and accents": trim, lowercase, strip diacritics (NFD), remove all whitespace. */
export function applyT1(text: string): string {
  return text.trim().toLowerCase().normalize('NFD').replace(COMBINING_DIACRITICS, '').replace(WHITESPACE, '');
}

/**
 * T2, "punctuation": drop every character outside [a-zA-Z0-9 ], then collapse repeated spaces.
 *
 * Decision: the result is also trimmed. Without it, T2 alone would refuse "Paris !" against
 * "Paris" because stripping "!" leaves a trailing space; trimming can only equate strings that
 * differ by surrounding spaces, never by a letter.
 */
export function applyT2(text: string): string {
  return text.replace(NOT_ASCII_ALPHANUMERIC_OR_SPACE, '').replace(REPEATED_SPACES, ' ').trim();
}

/** Applies the enabled treatments among T1 and T2, in that order (T3 is a comparison, not a treatment). */
export function applyTreatments(text: string, tolerances: Tolerances): string {
  let result = text;
  if (tolerances.t1) result = applyT1(result);
  if (tolerances.t2) result = applyT2(result);
  return result;
}

/**
 * T3, "edit distance": true when `min over variants of Levenshtein(answer, variant) / answer.length`
 * is at most {@link T3_MAX_RATIO}. An empty answer never matches. Lengths are UTF-16 code units,
 * the unit `fastest-levenshtein` works in.
 */
export function isWithinEditDistance(
  answer: string,
  variants: readonly string[],
  maxRatio: number = T3_MAX_RATIO,
): boolean {
  if (answer.length === 0) return false;
  const maxDistance = answer.length * maxRatio;
  return variants.some(
    // The distance is at least the length difference: skip variants that cannot be close enough.
    (variant) =>
      Math.abs(variant.length - answer.length) <= maxDistance && distance(answer, variant) <= maxDistance,
  );
}

/**
 * Free-text match, with tolerances: the pre-treated answer and variants are treated (T1 then T2),
 * then compared by exact membership, or by edit distance when T3 is on.
 *
 * Decisions:
 * - An answer that is empty or whitespace-only is never correct, even against an empty variant.
 * - An answer that the treatments reduce to nothing (e.g. "Москва" under T2, which keeps ASCII only)
 *   is only accepted when it equals a variant exactly after pre-treatment; otherwise any two
 *   non-ASCII answers would compare equal as "".
 */
export function matchesText(answer: string, variants: readonly string[], tolerances: Tolerances): boolean {
  const preTreatedAnswer = preTreat(answer);
  if (preTreatedAnswer.trim() === '') return false;
  const preTreatedVariants = variants.map(preTreat);

  const treatedAnswer = applyTreatments(preTreatedAnswer, tolerances);
  if (treatedAnswer === '') return preTreatedVariants.includes(preTreatedAnswer);

  const treatedVariants = preTreatedVariants.map((variant) => applyTreatments(variant, tolerances));
  if (treatedVariants.includes(treatedAnswer)) return true;
  return tolerances.t3 && isWithinEditDistance(treatedAnswer, treatedVariants);
}

/** Select input: exact match after pre-treatment only, no tolerance. An empty answer is never correct. */
export function matchesSelect(answer: string, variants: readonly string[]): boolean {
  const preTreatedAnswer = preTreat(answer);
  if (preTreatedAnswer.trim() === '') return false;
  return variants.some((variant) => preTreat(variant) === preTreatedAnswer);
}
