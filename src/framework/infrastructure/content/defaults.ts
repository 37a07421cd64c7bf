/**
 * Defaults the loader applies to fields an author may leave out. Each one is documented in
 * docs/content-authoring.md; change both together.
 */
import type { IrtParameters, Tolerances } from '../../domain/models.js';

/**
 * Text tolerances when a QROC/QROCM solution gives none: T1 (spaces, case and accents) and T2
 * (punctuation) on, T3 (edit distance) off, because a typo tolerance can accept a wrong short word
 * and should be a deliberate choice. A solution may override any of the three.
 */
export const DEFAULT_TOLERANCES: Tolerances = Object.freeze({ t1: true, t2: true, t3: false });

/** The level at the centre of the derived difficulty scale (between levels 3 and 4). */
export const DERIVED_DIFFICULTY_CENTRE = 3.5;
/** Difficulty units per skill level. */
export const DERIVED_DIFFICULTY_SCALE = 1;
export const DERIVED_DISCRIMINATION = 1;

/**
 * IRT parameters of a challenge that has not been calibrated, derived from its skill level:
 * difficulty = (level − 3.5) × 1, discrimination = 1. Level 1 gives −2.5, level 4 gives 0.5,
 * level 8 gives 4.5, on the same logit scale as the learner's ability θ.
 */
export function deriveIrtParameters(level: number): IrtParameters {
  return Object.freeze({
    discrimination: DERIVED_DISCRIMINATION,
    difficulty: (level - DERIVED_DIFFICULTY_CENTRE) * DERIVED_DIFFICULTY_SCALE,
    source: 'derived',
  });
}
