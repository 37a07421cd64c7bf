/**
 * Deterministic choice among equivalent candidates.
 *
 * When no RandomSource is injected, the engine picks index `fnv1a(key) mod n`, where the key is
 * built from the assessment id, the number of answers already given and the purpose of the pick
 * ('skill' or 'challenge'). The same assessment at the same step always gets the same challenge
 * (so a reload or a retried request is stable), while different assessments spread over the ties.
 * Pix hashes the assessment id alone; adding the step avoids always taking the same rank.
 */
import type { RandomSource } from '../../shared/domain/random.js';

/** 32-bit FNV-1a hash of a string's UTF-16 code units, as an unsigned integer. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** An index in [0, n) from the injected source, or from the hash of `key`. n must be ≥ 1. */
export function pickIndex(n: number, key: string, random: RandomSource | undefined): number {
  if (n <= 1) return 0;
  return random ? random.int(n) : fnv1a(key) % n;
}
