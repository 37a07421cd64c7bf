/**
 * The evaluation domain's public API: the adaptive positioning engine, knowledge elements,
 * scoring, target-profile practice, recommendations, and the improve/reset rules. Everything is
 * pure: time comes in as Dates from the caller's clock, randomness as an optional RandomSource.
 *
 * Typical use:
 *   const index = buildEngineIndex(framework);                 // once per content version
 *   const next = computeNextChallenge({ index, scope: competenceScope(index, '1.1'), ... });
 *   const { created } = applyAnswer({ index, knowledgeElements, answer, createdAt: clock.now() });
 *   const score = computeCompetenceScore([...knowledgeElements, ...created], '1.1', { maxLevel });
 */
export * from './algorithm.js';
export * from './answer-inference.js';
export * from './assessment.js';
export * from './engine-index.js';
export * from './errors.js';
export * from './improvement.js';
export * from './knowledge-element.js';
export * from './level-estimation.js';
export * from './positioning.js';
export * from './recommendations.js';
export * from './scoring.js';
export * from './target-profile.js';
export { IMPROVED_DEFAULTS, type ImprovedParameters } from './improved-positioning.js';
export { fnv1a } from './tie-break.js';
